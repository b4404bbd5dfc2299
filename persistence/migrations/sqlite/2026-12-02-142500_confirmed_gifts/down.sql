CREATE TABLE donations_old (
    id TEXT PRIMARY KEY NOT NULL,
    donor_id TEXT NOT NULL,
    donor_organization_id TEXT,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    description TEXT,
    need_id TEXT,
    pledge_id TEXT,
    campaign_id TEXT,
    project_id TEXT,
    donated_on DATE NOT NULL,
    receipt_number TEXT NOT NULL UNIQUE,
    deductible BOOLEAN NOT NULL,
    deductible_fen BIGINT NOT NULL,
    non_deductible_fen BIGINT NOT NULL,
    issued_at TIMESTAMP NOT NULL
);
INSERT INTO donations_old
SELECT id, donor_id, donor_organization_id, organization_id, kind, amount_fen, description,
    need_id, pledge_id, campaign_id, project_id, donated_on, receipt_number, deductible,
    deductible_fen, non_deductible_fen, issued_at
FROM donations WHERE receipt_number IS NOT NULL;
DROP TABLE donations;
ALTER TABLE donations_old RENAME TO donations;
CREATE INDEX donations_donor ON donations (donor_id, donated_on, id);
CREATE INDEX donations_organization ON donations (organization_id, id);
CREATE INDEX donations_campaign ON donations (campaign_id);
