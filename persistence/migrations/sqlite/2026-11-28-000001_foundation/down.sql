DROP TABLE idempotency_keys;
DROP TABLE reference_data_sets;
DROP TABLE regions;
