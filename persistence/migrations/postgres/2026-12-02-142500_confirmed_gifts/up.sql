-- A gift counts only once the receiving organisation confirms it (pending -> confirmed |
-- rejected; confirmed -> refunded | voided). The receipt (number, deduction, issue time)
-- is made on confirmation, so its columns are empty while a gift is pending. Gifts recorded
-- before this change were already receipted: they stay confirmed, so the receipts people
-- hold keep their numbers; the receiver can void any it never received.
-- The table is rebuilt, as SQLite must (it cannot drop NOT NULL in place), so both
-- backends run the same statements.
CREATE TABLE donations_new (
    id TEXT COLLATE "C" PRIMARY KEY,
    donor_id TEXT NOT NULL,
    donor_organization_id TEXT,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
    description TEXT,
    need_id TEXT,
    pledge_id TEXT,
    campaign_id TEXT,
    project_id TEXT,
    donated_on DATE NOT NULL,
    receipt_number TEXT UNIQUE,
    deductible BOOLEAN NOT NULL,
    deductible_fen BIGINT NOT NULL,
    non_deductible_fen BIGINT NOT NULL,
    issued_at TIMESTAMP,
    status TEXT NOT NULL DEFAULT 'pending',
    status_reason TEXT,
    not_deductible_reason TEXT,
    decided_by TEXT,
    decided_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO donations_new (
    id, donor_id, donor_organization_id, organization_id, kind, amount_fen, description,
    need_id, pledge_id, campaign_id, project_id, donated_on, receipt_number, deductible,
    deductible_fen, non_deductible_fen, issued_at, status, not_deductible_reason, created_at
)
SELECT
    id, donor_id, donor_organization_id, organization_id, kind, amount_fen, description,
    need_id, pledge_id, campaign_id, project_id, donated_on, receipt_number, deductible,
    deductible_fen, non_deductible_fen, issued_at, 'confirmed',
    CASE WHEN deductible THEN NULL ELSE 'receiver_not_qualified' END, issued_at
FROM donations;
DROP TABLE donations;
ALTER TABLE donations_new RENAME TO donations;
CREATE INDEX donations_donor ON donations (donor_id, donated_on, id);
CREATE INDEX donations_organization ON donations (organization_id, id);
CREATE INDEX donations_campaign ON donations (campaign_id);
-- The receiver's list of what waits for it.
CREATE INDEX donations_received ON donations (organization_id, status, id);
