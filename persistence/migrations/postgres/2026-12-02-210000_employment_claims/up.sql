-- Claims of enterprise projects to employ a person, named by ID number (encrypted, with
-- the keyed index the registry uses). A claim naming someone registered in one of the
-- project's villages is `recorded` at once; any other waits `pending` for an official of
-- the project's villages, so the enterprise's answer does not depend on the registry.
CREATE TABLE employment_claims (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    project_id TEXT NOT NULL REFERENCES enterprise_projects (id),
    year INTEGER NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_index TEXT NOT NULL,
    status TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP,
    UNIQUE (project_id, year, id_number_index)
);
CREATE INDEX employment_claims_by_status ON employment_claims (status, id);
