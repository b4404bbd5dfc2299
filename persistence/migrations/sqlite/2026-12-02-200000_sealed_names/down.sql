ALTER TABLE household_members DROP COLUMN name_enc;
ALTER TABLE households DROP COLUMN head_name_index;
ALTER TABLE households DROP COLUMN head_name_enc;
