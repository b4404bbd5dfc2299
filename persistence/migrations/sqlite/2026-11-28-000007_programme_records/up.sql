-- Programme records of registered households (task 7): 雨露计划 training subsidies,
-- 扶贫小额贷款 micro-loans, 易地扶贫搬迁 relocation.
CREATE TABLE programme_records (
    id TEXT PRIMARY KEY NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    region_code TEXT NOT NULL,
    programme TEXT NOT NULL,
    happened_on DATE NOT NULL,
    course TEXT,
    subsidy_fen BIGINT,
    amount_fen BIGINT,
    term_months INTEGER,
    from_region_code TEXT,
    to_region_code TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX programme_records_household ON programme_records (household_id, id);
CREATE INDEX programme_records_region ON programme_records (region_code, id);
