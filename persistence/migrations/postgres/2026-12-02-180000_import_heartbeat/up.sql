-- Several instances share one database: an import job names the instance running it and
-- when that instance last showed it was alive, so only jobs of a dead instance are failed.
ALTER TABLE import_jobs ADD COLUMN owner TEXT;
ALTER TABLE import_jobs ADD COLUMN heartbeat_at TIMESTAMP;
