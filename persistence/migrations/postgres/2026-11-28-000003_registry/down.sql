DROP TABLE import_errors;
DROP TABLE import_jobs;
DROP TABLE household_status_changes;
DROP TABLE household_members;
DROP TABLE households;
DROP TABLE poor_villages;
