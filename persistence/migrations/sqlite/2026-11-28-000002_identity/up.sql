-- User accounts. Usernames are stored in lower case. Personal data (phone, ID number, real
-- name) is stored encrypted (v1:<kid>:<ciphertext>); id_number_index is its keyed hash, so a
-- person cannot register twice and nobody has to decrypt to find out.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    region_code TEXT REFERENCES regions (code),
    county_code TEXT,
    organization_id TEXT,
    display_name TEXT,
    work_unit TEXT,
    real_name_enc TEXT,
    phone_enc TEXT,
    id_number_enc TEXT,
    id_number_index TEXT UNIQUE,
    valid_until TIMESTAMP,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_region_code ON users (region_code, id);

-- Integration clients (government systems, portals): secret stored hashed.
CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    region_code TEXT REFERENCES regions (code),
    rate_limit_per_minute INTEGER,
    disabled BOOLEAN NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL
);

-- Refresh tokens: opaque, stored as SHA-256, rotated on every use. A family is the chain of
-- tokens descended from one login; reuse of a spent token revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    family_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);

-- The audit log: append-only (the triggers refuse changes).
CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT,
    object_id TEXT,
    region_code TEXT,
    county_code TEXT,
    outcome TEXT NOT NULL,
    ip TEXT,
    request_id TEXT,
    details TEXT
);
CREATE INDEX audit_events_actor_id ON audit_events (actor_id, id);
CREATE INDEX audit_events_action ON audit_events (action, id);
CREATE INDEX audit_events_object ON audit_events (object_type, object_id, id);
CREATE INDEX audit_events_region_code ON audit_events (region_code, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
