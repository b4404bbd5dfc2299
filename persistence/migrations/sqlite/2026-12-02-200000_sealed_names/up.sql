-- Names of registered people are encrypted at rest like their ID and phone numbers. This
-- step adds the sealed columns; the migration runner fills them from the clear ones (in
-- Rust: the data key is not the database's) before the next step drops the clear columns.
-- head_name_index is the keyed blind index of the head's full name, so an official can
-- still find a household by it.
ALTER TABLE households ADD COLUMN head_name_enc TEXT;
ALTER TABLE households ADD COLUMN head_name_index TEXT;
ALTER TABLE household_members ADD COLUMN name_enc TEXT;
