-- Individuals (task 3): the work unit a person names, and whether the unit confirmed it.
-- One unit per person; only confirmed staff count for the unit's "lead by example" tally.
CREATE TABLE staff_affiliations (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (id),
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL,
    status_reason TEXT,
    claimed_at TIMESTAMP NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP
);
CREATE INDEX staff_affiliations_unit ON staff_affiliations (organization_id, status, user_id);
CREATE INDEX staff_affiliations_status ON staff_affiliations (status, organization_id);

-- Reading the participation of the jurisdiction's people.
CREATE INDEX volunteers_region ON volunteers (region_code, user_id);
CREATE INDEX campaign_participants_user ON campaign_participants (user_id, joined_at);
CREATE INDEX volunteer_hours_certified ON volunteer_hours (volunteer_id, served_on);
