-- Registered poor villages (贫困村): a village region marked as poor, with its figures.
CREATE TABLE poor_villages (
    id TEXT PRIMARY KEY NOT NULL,
    region_code TEXT NOT NULL UNIQUE REFERENCES regions (code),
    county_code TEXT NOT NULL,
    registered_year INTEGER NOT NULL,
    status TEXT NOT NULL,
    exit_year INTEGER,
    population INTEGER NOT NULL,
    poor_household_count INTEGER NOT NULL,
    collective_income_fen BIGINT NOT NULL,
    notes TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX poor_villages_county_code ON poor_villages (county_code, region_code);

-- Registered poor households (贫困户). content_hash identifies the household's content so a
-- re-import of the same data changes nothing.
CREATE TABLE households (
    id TEXT PRIMARY KEY NOT NULL,
    household_number TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    county_code TEXT NOT NULL,
    scattered BOOLEAN NOT NULL,
    household_type TEXT NOT NULL,
    identification_standard TEXT NOT NULL,
    main_cause TEXT NOT NULL,
    secondary_causes TEXT NOT NULL,
    income_per_person_fen BIGINT NOT NULL,
    housing_safe BOOLEAN NOT NULL,
    food_secure BOOLEAN NOT NULL,
    clothing_secure BOOLEAN NOT NULL,
    compulsory_education BOOLEAN NOT NULL,
    basic_medical BOOLEAN NOT NULL,
    housing_security BOOLEAN NOT NULL,
    safe_drinking_water BOOLEAN NOT NULL,
    guarantees_met BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    exit_year INTEGER,
    head_name TEXT NOT NULL,
    member_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX households_region_code ON households (region_code, id);
CREATE INDEX households_county_status ON households (county_code, status, id);
CREATE INDEX households_head_name ON households (head_name);

-- Members, inline in the API. ID and phone numbers encrypted; id_number_index (keyed hash)
-- makes one person registrable once in the whole registry.
CREATE TABLE household_members (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    county_code TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    sex TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_index TEXT NOT NULL UNIQUE,
    relation TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    education TEXT NOT NULL,
    schooling TEXT NOT NULL,
    health TEXT NOT NULL,
    work_capacity TEXT NOT NULL,
    migrant_worker BOOLEAN NOT NULL,
    rural_medical BOOLEAN NOT NULL,
    rural_pension BOOLEAN NOT NULL,
    dibao BOOLEAN NOT NULL,
    critical_illness BOOLEAN NOT NULL,
    phone_enc TEXT
);
CREATE INDEX household_members_household_id ON household_members (household_id, position);

-- Status history: who changed what, when, why.
CREATE TABLE household_status_changes (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    county_code TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    exit_year INTEGER,
    reason TEXT,
    actor_id TEXT,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX household_status_changes_household_id ON household_status_changes (household_id, id);

-- Bulk import jobs and their first row errors.
CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    actor_id TEXT,
    region_code TEXT,
    encoding TEXT,
    bytes_total BIGINT NOT NULL,
    bytes_processed BIGINT NOT NULL,
    rows_processed BIGINT NOT NULL,
    households_created BIGINT NOT NULL,
    households_updated BIGINT NOT NULL,
    households_unchanged BIGINT NOT NULL,
    households_failed BIGINT NOT NULL,
    rows_failed BIGINT NOT NULL,
    message TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE TABLE import_errors (
    job_id TEXT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    row_number BIGINT NOT NULL,
    column_name TEXT NOT NULL,
    code TEXT NOT NULL,
    message_en TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
