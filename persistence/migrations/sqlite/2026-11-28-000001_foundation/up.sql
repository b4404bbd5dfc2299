-- Regions (行政区划): reference data, codes in canonical spelling (6 or 12 digits).
CREATE TABLE regions (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    parent_code TEXT REFERENCES regions (code),
    county_code TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX regions_parent_code ON regions (parent_code, code);
CREATE INDEX regions_level_code ON regions (level, code);

-- Which embedded reference data sets have been loaded, and when.
CREATE TABLE reference_data_sets (
    name TEXT PRIMARY KEY NOT NULL,
    version TEXT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

-- Idempotency-Key records for POST: the first response is stored and replayed for 24 h.
-- status_code NULL means the first request is still being processed.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER,
    response_headers TEXT,
    response_body BLOB,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
