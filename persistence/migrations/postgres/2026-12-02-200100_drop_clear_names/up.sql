-- The sealed name columns are filled (by the migration runner, before this step): the clear
-- ones go.
DROP INDEX households_head_name;
ALTER TABLE households DROP COLUMN head_name;
ALTER TABLE household_members DROP COLUMN name;
ALTER TABLE households ALTER COLUMN head_name_enc SET NOT NULL;
ALTER TABLE households ALTER COLUMN head_name_index SET NOT NULL;
ALTER TABLE household_members ALTER COLUMN name_enc SET NOT NULL;
CREATE INDEX households_head_name_index ON households (head_name_index, id);
