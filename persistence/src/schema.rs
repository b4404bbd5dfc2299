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
        password_change_required -> Bool,
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

diesel::table! {
    poor_villages (id) {
        id -> Text,
        region_code -> Text,
        county_code -> Text,
        registered_year -> Integer,
        status -> Text,
        exit_year -> Nullable<Integer>,
        population -> Integer,
        poor_household_count -> Integer,
        collective_income_fen -> BigInt,
        notes -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    households (id) {
        id -> Text,
        household_number -> Text,
        region_code -> Text,
        county_code -> Text,
        scattered -> Bool,
        household_type -> Text,
        identification_standard -> Text,
        main_cause -> Text,
        secondary_causes -> Text,
        income_per_person_fen -> BigInt,
        housing_safe -> Bool,
        food_secure -> Bool,
        clothing_secure -> Bool,
        compulsory_education -> Bool,
        basic_medical -> Bool,
        housing_security -> Bool,
        safe_drinking_water -> Bool,
        guarantees_met -> Bool,
        status -> Text,
        exit_year -> Nullable<Integer>,
        head_name_enc -> Text,
        head_name_index -> Text,
        member_count -> Integer,
        content_hash -> Text,
        version -> Integer,
        created_by -> Nullable<Text>,
        updated_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    household_members (id) {
        id -> Text,
        household_id -> Text,
        county_code -> Text,
        position -> Integer,
        name_enc -> Text,
        sex -> Text,
        id_number_enc -> Text,
        id_number_index -> Text,
        relation -> Text,
        ethnicity -> Text,
        education -> Text,
        schooling -> Text,
        health -> Text,
        work_capacity -> Text,
        migrant_worker -> Bool,
        rural_medical -> Bool,
        rural_pension -> Bool,
        dibao -> Bool,
        critical_illness -> Bool,
        phone_enc -> Nullable<Text>,
    }
}

diesel::table! {
    household_status_changes (id) {
        id -> Text,
        household_id -> Text,
        county_code -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        exit_year -> Nullable<Integer>,
        reason -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    import_jobs (id) {
        id -> Text,
        kind -> Text,
        status -> Text,
        actor_id -> Nullable<Text>,
        region_code -> Nullable<Text>,
        encoding -> Nullable<Text>,
        bytes_total -> BigInt,
        bytes_processed -> BigInt,
        rows_processed -> BigInt,
        households_created -> BigInt,
        households_updated -> BigInt,
        households_unchanged -> BigInt,
        households_failed -> BigInt,
        rows_failed -> BigInt,
        message -> Nullable<Text>,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        owner -> Nullable<Text>,
        heartbeat_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_errors (job_id, seq) {
        job_id -> Text,
        seq -> Integer,
        row_number -> BigInt,
        column_name -> Text,
        code -> Text,
        message_en -> Text,
        message_zh -> Text,
    }
}

diesel::table! {
    needs (id) {
        id -> Text,
        household_id -> Nullable<Text>,
        village_id -> Nullable<Text>,
        region_code -> Text,
        township_code -> Text,
        county_code -> Text,
        city_code -> Text,
        place_name -> Text,
        pseudonym -> Text,
        cause -> Nullable<Text>,
        category -> Text,
        target_group -> Nullable<Text>,
        title -> Text,
        description -> Text,
        unit -> Nullable<Text>,
        asked -> BigInt,
        pledged -> BigInt,
        urgency -> Text,
        urgency_rank -> Integer,
        deadline -> Date,
        evidence -> Text,
        status -> Text,
        listed -> Bool,
        status_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        owner_id -> Text,
        organization_id -> Nullable<Text>,
        category -> Text,
        kind -> Text,
        title -> Text,
        description -> Nullable<Text>,
        unit -> Nullable<Text>,
        amount -> BigInt,
        region_codes -> Text,
        target_groups -> Text,
        valid_until -> Nullable<Date>,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    offer_regions (offer_id, region_code) {
        offer_id -> Text,
        region_code -> Text,
        category -> Text,
        open_until -> Date,
    }
}

diesel::table! {
    pairings (id) {
        id -> Text,
        participant_id -> Text,
        organization_id -> Nullable<Text>,
        household_id -> Nullable<Text>,
        village_id -> Nullable<Text>,
        region_code -> Text,
        county_code -> Text,
        pseudonym -> Text,
        place_name -> Text,
        kind -> Text,
        status -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        note -> Nullable<Text>,
        participant_consented_at -> Timestamp,
        household_consented_at -> Nullable<Timestamp>,
        household_consent_by -> Nullable<Text>,
        status_reason -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pledges (id) {
        id -> Text,
        need_id -> Text,
        pledger_id -> Text,
        organization_id -> Nullable<Text>,
        offer_id -> Nullable<Text>,
        pairing_id -> Nullable<Text>,
        region_code -> Text,
        county_code -> Text,
        amount -> BigInt,
        unit -> Nullable<Text>,
        note -> Nullable<Text>,
        status -> Text,
        evidence -> Nullable<Text>,
        delivery_note -> Nullable<Text>,
        cancel_reason -> Nullable<Text>,
        confirmed_by -> Nullable<Text>,
        pledged_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        confirmed_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pledge_feedback (id) {
        id -> Text,
        pledge_id -> Text,
        author_id -> Text,
        message -> Text,
        rating -> Nullable<Integer>,
        household_acknowledged -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        kind -> Text,
        subtype -> Nullable<Text>,
        name -> Text,
        credit_code -> Text,
        region_code -> Text,
        contact_name -> Text,
        contact_phone_enc -> Text,
        deduction_qualified_years -> Text,
        foundation_name -> Nullable<Text>,
        status -> Text,
        status_reason -> Nullable<Text>,
        created_by -> Nullable<Text>,
        reviewed_by -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    donations (id) {
        id -> Text,
        donor_id -> Text,
        donor_organization_id -> Nullable<Text>,
        organization_id -> Text,
        kind -> Text,
        amount_fen -> BigInt,
        description -> Nullable<Text>,
        need_id -> Nullable<Text>,
        pledge_id -> Nullable<Text>,
        campaign_id -> Nullable<Text>,
        project_id -> Nullable<Text>,
        donated_on -> Date,
        receipt_number -> Nullable<Text>,
        deductible -> Bool,
        deductible_fen -> BigInt,
        non_deductible_fen -> BigInt,
        issued_at -> Nullable<Timestamp>,
        status -> Text,
        status_reason -> Nullable<Text>,
        not_deductible_reason -> Nullable<Text>,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    receipt_counters (year) {
        year -> Integer,
        last -> BigInt,
    }
}

diesel::table! {
    brands (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        owner -> Text,
        description -> Text,
        target_group -> Nullable<Text>,
        builtin -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    volunteers (user_id) {
        user_id -> Text,
        kind -> Text,
        skills -> Text,
        region_code -> Nullable<Text>,
        availability -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    volunteer_activities (id) {
        id -> Text,
        organization_id -> Text,
        activity_type -> Text,
        title -> Text,
        description -> Nullable<Text>,
        village_codes -> Text,
        starts_on -> Date,
        ends_on -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    activity_signups (activity_id, volunteer_id) {
        activity_id -> Text,
        volunteer_id -> Text,
        signed_up_at -> Timestamp,
        attended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    volunteer_hours (id) {
        id -> Text,
        activity_id -> Text,
        volunteer_id -> Text,
        served_on -> Date,
        tenths -> Integer,
        note -> Nullable<Text>,
        certified_by -> Nullable<Text>,
        certified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    enterprise_projects (id) {
        id -> Text,
        organization_id -> Text,
        project_type -> Text,
        title -> Text,
        village_codes -> Text,
        invested_fen -> BigInt,
        credit_support_fen -> BigInt,
        interest_subsidy_fen -> BigInt,
        started_on -> Date,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    project_employments (project_id, member_id, year) {
        project_id -> Text,
        member_id -> Text,
        year -> Integer,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    employment_claims (id) {
        id -> Text,
        project_id -> Text,
        year -> Integer,
        id_number_enc -> Text,
        id_number_index -> Text,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    project_progress (id) {
        id -> Text,
        project_id -> Text,
        reported_on -> Date,
        invested_fen -> BigInt,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaigns (id) {
        id -> Text,
        brand_id -> Text,
        organization_id -> Text,
        kind -> Text,
        title -> Text,
        goal_fen -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        target_group -> Nullable<Text>,
        region_codes -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    programme_records (id) {
        id -> Text,
        household_id -> Text,
        region_code -> Text,
        programme -> Text,
        happened_on -> Date,
        course -> Nullable<Text>,
        subsidy_fen -> Nullable<BigInt>,
        amount_fen -> Nullable<BigInt>,
        term_months -> Nullable<Integer>,
        from_region_code -> Nullable<Text>,
        to_region_code -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    campaign_participants (campaign_id, user_id) {
        campaign_id -> Text,
        user_id -> Text,
        organization_id -> Nullable<Text>,
        joined_at -> Timestamp,
    }
}

diesel::table! {
    staff_affiliations (user_id) {
        user_id -> Text,
        organization_id -> Text,
        status -> Text,
        status_reason -> Nullable<Text>,
        claimed_at -> Timestamp,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    project_villages (village_code, project_id) {
        village_code -> Text,
        project_id -> Text,
    }
}

diesel::joinable!(household_members -> households (household_id));
diesel::joinable!(household_status_changes -> households (household_id));

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(offer_regions -> offers (offer_id));
diesel::joinable!(pledges -> needs (need_id));
diesel::joinable!(donations -> organizations (organization_id));
diesel::joinable!(pledge_feedback -> pledges (pledge_id));

diesel::allow_tables_to_appear_in_same_query!(
    regions,
    reference_data_sets,
    idempotency_keys,
    users,
    clients,
    refresh_tokens,
    audit_events,
    poor_villages,
    households,
    household_members,
    household_status_changes,
    import_jobs,
    import_errors,
    needs,
    offers,
    offer_regions,
    pairings,
    pledges,
    pledge_feedback,
    organizations,
    donations,
    receipt_counters,
    brands,
    volunteers,
    volunteer_activities,
    activity_signups,
    volunteer_hours,
    enterprise_projects,
    project_employments,
    employment_claims,
    project_progress,
    campaigns,
    programme_records,
    campaign_participants,
    staff_affiliations,
    project_villages,
);
