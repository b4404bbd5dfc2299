DROP TABLE audit_events;
DROP FUNCTION IF EXISTS audit_events_append_only();
DROP TABLE refresh_tokens;
DROP TABLE clients;
DROP TABLE users;
