ALTER TABLE activity_signups DROP COLUMN attended_at;
DROP TABLE campaign_participants;
