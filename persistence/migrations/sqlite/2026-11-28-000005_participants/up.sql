-- Organisations that take part (enterprises, social organisations, designated units,
-- government departments, people's organisations), verified by officials. The contact
-- phone is encrypted at rest like every phone number.
CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    subtype TEXT,
    name TEXT NOT NULL,
    credit_code TEXT NOT NULL UNIQUE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    contact_name TEXT NOT NULL,
    contact_phone_enc TEXT NOT NULL,
    deduction_qualified_years TEXT NOT NULL,
    foundation_name TEXT,
    status TEXT NOT NULL,
    status_reason TEXT,
    created_by TEXT,
    reviewed_by TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organizations_region ON organizations (region_code, id);
CREATE INDEX organizations_status ON organizations (status, id);

-- Donations (爱心捐赠) with their receipts. receipt_number is unique; numbers come from
-- receipt_counters, one row per year, taken with an UPDATE that locks the row.
CREATE TABLE donations (
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
CREATE INDEX donations_donor ON donations (donor_id, donated_on, id);
CREATE INDEX donations_organization ON donations (organization_id, id);
CREATE INDEX donations_campaign ON donations (campaign_id);

CREATE TABLE receipt_counters (
    year INTEGER PRIMARY KEY NOT NULL,
    last BIGINT NOT NULL
);

-- The public-benefit brands and programmes of task 7 (reference data), and brands created
-- later for the special groups.
CREATE TABLE brands (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner TEXT NOT NULL,
    description TEXT NOT NULL,
    target_group TEXT,
    builtin BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO brands (id, code, name, kind, owner, description, target_group, builtin, created_at) VALUES
('brand-guangcai', 'guangcai', '光彩事业', 'brand', '中国光彩事业促进会', '民营企业家参与扶贫开发的公益事业', NULL, TRUE, '2015-11-01 00:00:00'),
('brand-volunteer-action', 'volunteer_action', '扶贫志愿者行动计划', 'brand', '共青团中央', '组织青年志愿者到贫困地区服务', NULL, TRUE, '2015-11-01 00:00:00'),
('brand-hope-project', 'hope_project', '希望工程', 'brand', '中国青少年发展基金会', '资助贫困地区失学儿童、援建希望小学', 'children', TRUE, '2015-11-01 00:00:00'),
('brand-spring-bud', 'spring_bud', '春蕾计划', 'brand', '中国儿童少年基金会', '资助贫困地区失学女童', 'children', TRUE, '2015-11-01 00:00:00'),
('brand-love-package', 'love_package', '爱心包裹', 'brand', '中国扶贫基金会', '为贫困地区学生捐赠学习和生活用品', 'children', TRUE, '2015-11-01 00:00:00'),
('programme-rain-dew', 'rain_dew', '雨露计划', 'programme', '扶贫开发领导小组办公室', '贫困家庭劳动力职业教育和技能培训补助', NULL, TRUE, '2015-11-01 00:00:00'),
('programme-microcredit', 'microcredit', '扶贫小额贷款', 'programme', '扶贫开发领导小组办公室', '向贫困户发放小额信贷并给予财政贴息', NULL, TRUE, '2015-11-01 00:00:00'),
('programme-relocation', 'relocation', '易地扶贫搬迁', 'programme', '发展改革委', '将生存条件恶劣地区的贫困人口搬迁安置', NULL, TRUE, '2015-11-01 00:00:00');
