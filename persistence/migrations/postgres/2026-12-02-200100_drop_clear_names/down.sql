-- The clear names cannot be restored by SQL (only the server holds the data key): the
-- columns come back empty.
DROP INDEX households_head_name_index;
ALTER TABLE household_members ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE households ADD COLUMN head_name TEXT NOT NULL DEFAULT '';
CREATE INDEX households_head_name ON households (head_name);
