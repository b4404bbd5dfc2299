-- Volunteers (task 6): profiles, activities organised by organisations, sign-ups, and hours
-- that count only once certified by the organiser.
CREATE TABLE volunteers (
    user_id TEXT COLLATE "C" PRIMARY KEY,
    kind TEXT NOT NULL,
    skills TEXT NOT NULL,
    region_code TEXT COLLATE "C" REFERENCES regions (code),
    availability TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE volunteer_activities (
    id TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    activity_type TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    village_codes TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX volunteer_activities_organization ON volunteer_activities (organization_id, id);

CREATE TABLE activity_signups (
    activity_id TEXT COLLATE "C" NOT NULL REFERENCES volunteer_activities (id),
    volunteer_id TEXT COLLATE "C" NOT NULL REFERENCES volunteers (user_id),
    signed_up_at TIMESTAMP NOT NULL,
    PRIMARY KEY (activity_id, volunteer_id)
);
CREATE INDEX activity_signups_volunteer ON activity_signups (volunteer_id);

CREATE TABLE volunteer_hours (
    id TEXT COLLATE "C" PRIMARY KEY,
    activity_id TEXT COLLATE "C" NOT NULL REFERENCES volunteer_activities (id),
    volunteer_id TEXT COLLATE "C" NOT NULL REFERENCES volunteers (user_id),
    served_on DATE NOT NULL,
    tenths INTEGER NOT NULL CHECK (tenths > 0),
    note TEXT,
    certified_by TEXT,
    certified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX volunteer_hours_volunteer ON volunteer_hours (volunteer_id, id);
CREATE INDEX volunteer_hours_activity ON volunteer_hours (activity_id, id);

-- Enterprise aid projects (task 1) and the registered poor people they employ: one row per
-- project, person and year; people are counted distinct across projects.
CREATE TABLE enterprise_projects (
    id TEXT COLLATE "C" PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    project_type TEXT NOT NULL,
    title TEXT NOT NULL,
    village_codes TEXT NOT NULL,
    invested_fen BIGINT NOT NULL,
    credit_support_fen BIGINT NOT NULL,
    interest_subsidy_fen BIGINT NOT NULL,
    started_on DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_projects_organization ON enterprise_projects (organization_id, id);

CREATE TABLE project_employments (
    project_id TEXT COLLATE "C" NOT NULL REFERENCES enterprise_projects (id),
    member_id TEXT NOT NULL REFERENCES household_members (id),
    year INTEGER NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, member_id, year)
);
CREATE INDEX project_employments_year ON project_employments (year, member_id);

CREATE TABLE project_progress (
    id TEXT COLLATE "C" PRIMARY KEY,
    project_id TEXT COLLATE "C" NOT NULL REFERENCES enterprise_projects (id),
    reported_on DATE NOT NULL,
    invested_fen BIGINT NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_progress_project ON project_progress (project_id, id);

-- Campaigns under a brand (task 7); raised-so-far is summed from donations.
CREATE TABLE campaigns (
    id TEXT COLLATE "C" PRIMARY KEY,
    brand_id TEXT COLLATE "C" NOT NULL REFERENCES brands (id),
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    goal_fen BIGINT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    target_group TEXT,
    region_codes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_organization ON campaigns (organization_id, id);
