ALTER TABLE import_jobs DROP COLUMN heartbeat_at;
ALTER TABLE import_jobs DROP COLUMN owner;
