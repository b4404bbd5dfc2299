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

diesel::allow_tables_to_appear_in_same_query!(regions, reference_data_sets, idempotency_keys);
