-- Needs (需求) of registered poor households and villages. asked/pledged hold the capacity
-- (fen when unit is NULL): a pledge takes capacity with one conditional UPDATE, so the
-- sum of open pledges never exceeds what was asked, whatever the concurrency.
-- listed = open for pledges (published or partially pledged); the needs_public_* indexes
-- serve the public listing and matching in (urgency_rank, deadline, id) order at each
-- region level, so a page costs the same at any depth and any table size.
CREATE TABLE needs (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT REFERENCES households (id),
    village_id TEXT REFERENCES poor_villages (id),
    region_code TEXT NOT NULL,
    township_code TEXT NOT NULL,
    county_code TEXT NOT NULL,
    city_code TEXT NOT NULL,
    place_name TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    cause TEXT,
    category TEXT NOT NULL,
    target_group TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    unit TEXT,
    asked BIGINT NOT NULL CHECK (asked > 0),
    pledged BIGINT NOT NULL CHECK (pledged >= 0 AND pledged <= asked),
    urgency TEXT NOT NULL,
    urgency_rank INTEGER NOT NULL,
    deadline DATE NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    listed BOOLEAN NOT NULL,
    status_reason TEXT,
    created_by TEXT,
    reviewed_by TEXT,
    published_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX needs_region ON needs (region_code, id);
CREATE INDEX needs_household ON needs (household_id);
CREATE INDEX needs_village ON needs (village_id);
CREATE INDEX needs_public ON needs (listed, urgency_rank, deadline, id);
CREATE INDEX needs_public_category ON needs (listed, category, urgency_rank, deadline, id);
CREATE INDEX needs_public_city ON needs (listed, city_code, urgency_rank, deadline, id);
CREATE INDEX needs_public_city_category ON needs (listed, category, city_code, urgency_rank, deadline, id);
CREATE INDEX needs_public_county ON needs (listed, county_code, urgency_rank, deadline, id);
CREATE INDEX needs_public_county_category ON needs (listed, category, county_code, urgency_rank, deadline, id);
CREATE INDEX needs_public_township ON needs (listed, township_code, urgency_rank, deadline, id);
CREATE INDEX needs_public_village ON needs (listed, region_code, urgency_rank, deadline, id);
CREATE INDEX needs_expiry ON needs (status, deadline);

-- Offers (供给) of participants. region_codes and target_groups are space-separated.
CREATE TABLE offers (
    id TEXT PRIMARY KEY NOT NULL,
    owner_id TEXT NOT NULL,
    organization_id TEXT,
    category TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    unit TEXT,
    amount BIGINT NOT NULL CHECK (amount > 0),
    region_codes TEXT NOT NULL,
    target_groups TEXT NOT NULL,
    valid_until DATE,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX offers_owner ON offers (owner_id, id);
CREATE INDEX offers_open ON offers (status, id);

-- The matching index of open offers: one row per preferred region ('210000' for
-- "anywhere"), removed when the offer is withdrawn.
CREATE TABLE offer_regions (
    offer_id TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL,
    category TEXT NOT NULL,
    open_until DATE NOT NULL,
    PRIMARY KEY (offer_id, region_code)
);
CREATE INDEX offer_regions_match ON offer_regions (category, region_code, offer_id);
CREATE INDEX offer_regions_any ON offer_regions (region_code, offer_id);

-- Pairings (结对): active once both sides consented.
CREATE TABLE pairings (
    id TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL,
    organization_id TEXT,
    household_id TEXT REFERENCES households (id),
    village_id TEXT REFERENCES poor_villages (id),
    region_code TEXT NOT NULL,
    county_code TEXT NOT NULL,
    pseudonym TEXT NOT NULL,
    place_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    note TEXT,
    participant_consented_at TIMESTAMP NOT NULL,
    household_consented_at TIMESTAMP,
    household_consent_by TEXT,
    status_reason TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX pairings_participant ON pairings (participant_id, id);
CREATE INDEX pairings_region ON pairings (region_code, id);
CREATE INDEX pairings_household ON pairings (household_id);
CREATE INDEX pairings_village ON pairings (village_id);

-- Pledges (认领) on needs, with their trail.
CREATE TABLE pledges (
    id TEXT PRIMARY KEY NOT NULL,
    need_id TEXT NOT NULL REFERENCES needs (id),
    pledger_id TEXT NOT NULL,
    organization_id TEXT,
    offer_id TEXT REFERENCES offers (id),
    pairing_id TEXT REFERENCES pairings (id),
    region_code TEXT NOT NULL,
    county_code TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    unit TEXT,
    note TEXT,
    status TEXT NOT NULL,
    evidence TEXT,
    delivery_note TEXT,
    cancel_reason TEXT,
    confirmed_by TEXT,
    pledged_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP,
    confirmed_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    version INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX pledges_need ON pledges (need_id, id);
CREATE INDEX pledges_pledger ON pledges (pledger_id, id);
CREATE INDEX pledges_region ON pledges (region_code, id);
CREATE INDEX pledges_offer ON pledges (offer_id);
CREATE INDEX pledges_pairing ON pledges (pairing_id);

-- Feedback and thanks from the household side, visible to the donor.
CREATE TABLE pledge_feedback (
    id TEXT PRIMARY KEY NOT NULL,
    pledge_id TEXT NOT NULL REFERENCES pledges (id),
    author_id TEXT NOT NULL,
    message TEXT NOT NULL,
    rating INTEGER,
    household_acknowledged BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pledge_feedback_pledge ON pledge_feedback (pledge_id, id);
