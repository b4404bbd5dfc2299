-- The sealed name columns are filled (by the migration runner, before this step): the clear
-- ones go. SQLite cannot add NOT NULL to an existing column; the runner has filled every
-- row and every write fills them.
DROP INDEX households_head_name;
ALTER TABLE households DROP COLUMN head_name;
ALTER TABLE household_members DROP COLUMN name;
CREATE INDEX households_head_name_index ON households (head_name_index, id);
