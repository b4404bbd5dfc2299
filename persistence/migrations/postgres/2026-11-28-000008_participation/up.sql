-- Who takes part in a campaign, and which signed-up volunteers the organiser saw attend.
CREATE TABLE campaign_participants (
    campaign_id TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    user_id TEXT NOT NULL,
    organization_id TEXT,
    joined_at TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, user_id)
);
ALTER TABLE activity_signups ADD COLUMN attended_at TIMESTAMP;
