//! Table definitions shared by both backends (the migrations keep them in step).

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
        county_code -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reference_data_sets (name) {
        name -> Text,
        version -> Text,
        loaded_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (scope, idempotency_key) {
        scope -> Text,
        idempotency_key -> Text,
        method -> Text,
        path -> Text,
        request_hash -> Text,
        status_code -> Nullable<Integer>,
        response_headers -> Nullable<Text>,
        response_body -> Nullable<Binary>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        region_code -> Nullable<Text>,
        county_code -> Nullable<Text>,
        organization_id -> Nullable<Text>,
        display_name -> Nullable<Text>,
        work_unit -> Nullable<Text>,
        real_name_enc -> Nullable<Text>,
        phone_enc -> Nullable<Text>,
        id_number_enc -> Nullable<Text>,
        id_number_index -> Nullable<Text>,
        valid_until -> Nullable<Timestamp>,
        disabled -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    clients (id) {
        id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Text,
        region_code -> Nullable<Text>,
        rate_limit_per_minute -> Nullable<Integer>,
        disabled -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        family_id -> Text,
        user_id -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Nullable<Text>,
        action -> Text,
        object_type -> Nullable<Text>,
        object_id -> Nullable<Text>,
        region_code -> Nullable<Text>,
        county_code -> Nullable<Text>,
        outcome -> Text,
        ip -> Nullable<Text>,
        request_id -> Nullable<Text>,
        details -> Nullable<Text>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    reference_data_sets,
    idempotency_keys,
    users,
    clients,
    refresh_tokens,
    audit_events,
);
