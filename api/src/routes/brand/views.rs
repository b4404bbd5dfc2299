//! What the API shows of brands, campaigns and programme records, and the documented
//! request bodies (the handlers read the domain drafts).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::brand::{Brand, Programme, RecordedProgramme};

use crate::http::pagination::Page;
use crate::service::brand::CampaignProgress;

/// A brand or programme.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "brand-hope-project", "code": "hope_project", "name": "希望工程", "kind": "brand", "owner": "中国青少年发展基金会", "description": "资助贫困地区失学儿童、援建希望小学", "target_group": "children", "builtin": true}))]
pub struct BrandView {
    pub id: String,
    pub code: String,
    pub name: String,
    /// `brand` (公益品牌) or `programme` (扶贫项目).
    pub kind: String,
    pub owner: String,
    pub description: String,
    #[schema(schema_with = crate::openapi::labelled_or_null::<domain::platform::TargetGroup>)]
    pub target_group: Option<String>,
    /// Part of the reference catalogue.
    pub builtin: bool,
}

impl From<Brand> for BrandView {
    fn from(b: Brand) -> Self {
        BrandView {
            id: b.id,
            code: b.code,
            name: b.name,
            kind: b.kind.as_str().to_owned(),
            owner: b.owner,
            description: b.description,
            target_group: b.target_group.map(|g| g.as_str().to_owned()),
            builtin: b.builtin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrandList {
    pub items: Vec<BrandView>,
}

/// The body of `POST /brands`: a new brand for one of the special groups.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "left_behind_mothers", "name": "留守妈妈关爱行动", "owner": "辽宁省妇联", "description": "为留守妇女提供技能培训和心理关爱", "target_group": "left_behind_women"}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::brand::BrandDraft"
)]
pub struct BrandBody {
    /// Lower-case letters, digits and `_`, 3 to 40 characters.
    code: String,
    name: String,
    owner: String,
    description: String,
    /// The special group it serves: `left_behind_women`, `children`, `elderly`, `disabled`.
    #[schema(schema_with = crate::openapi::labelled::<domain::platform::TargetGroup>)]
    target_group: String,
}

/// The body of `POST /campaigns`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"brand_id": "brand-hope-project", "kind": "fundraising", "title": "阜新希望小学冬衣募捐", "goal_fen": 10000000, "starts_on": "2026-12-01", "ends_on": "2027-01-31", "target_group": "children", "region_codes": ["210900"]}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::brand::CampaignDraft"
)]
pub struct CampaignBody {
    brand_id: String,
    /// `kinship`, `fundraising`, `visiting`, `other`.
    #[schema(schema_with = crate::openapi::labelled::<domain::brand::CampaignKind>)]
    kind: String,
    title: String,
    goal_fen: i64,
    starts_on: String,
    ends_on: String,
    target_group: Option<String>,
    #[serde(default)]
    region_codes: Vec<String>,
}

/// A campaign with what it has raised so far (the sum of its donations).
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: String,
    pub brand_id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<domain::brand::CampaignKind>)]
    pub kind: String,
    pub title: String,
    pub goal_fen: i64,
    pub raised_fen: i64,
    /// People and organisations taking part.
    pub participants: i64,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub target_group: Option<String>,
    pub region_codes: Vec<String>,
}

impl From<CampaignProgress> for CampaignView {
    fn from(p: CampaignProgress) -> Self {
        let c = p.campaign;
        let s = c.spec;
        CampaignView {
            id: c.id,
            brand_id: s.brand_id,
            organization_id: c.organization_id,
            kind: s.kind.as_str().to_owned(),
            title: s.title,
            goal_fen: s.goal_fen,
            raised_fen: p.raised_fen,
            participants: p.participants,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            target_group: s.target_group.map(|g| g.as_str().to_owned()),
            region_codes: s.regions.iter().map(ToString::to_string).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignPage {
    pub items: Vec<CampaignView>,
    pub next_cursor: Option<String>,
}

impl From<Page<CampaignProgress>> for CampaignPage {
    fn from(page: Page<CampaignProgress>) -> Self {
        let page = page.map(CampaignView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// The body of `POST /programme-records`; which members apply depends on the programme.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"household_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "programme": "microcredit", "happened_on": "2026-05-01", "amount_fen": 5000000, "term_months": 36, "subsidy_fen": 150000}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::brand::ProgrammeRecordDraft"
)]
pub struct ProgrammeRecordBody {
    household_id: String,
    #[schema(schema_with = crate::openapi::labelled::<Programme>)]
    programme: String,
    /// `YYYY-MM-DD`: training finished, loan issued, household relocated.
    happened_on: String,
    /// rain_dew: the course.
    course: Option<String>,
    /// rain_dew: training subsidy; microcredit: interest subsidy.
    subsidy_fen: Option<i64>,
    /// microcredit: the loan.
    amount_fen: Option<i64>,
    /// microcredit: 1 to 60 months.
    term_months: Option<i32>,
    /// relocation: the village moved from.
    from_region_code: Option<String>,
    /// relocation: the place moved to.
    to_region_code: Option<String>,
}

/// A programme record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeRecordView {
    pub id: String,
    pub household_id: String,
    #[schema(schema_with = crate::openapi::labelled::<Programme>)]
    pub programme: String,
    pub happened_on: chrono::NaiveDate,
    pub course: Option<String>,
    pub subsidy_fen: Option<i64>,
    pub amount_fen: Option<i64>,
    pub term_months: Option<i32>,
    pub from_region_code: Option<String>,
    pub to_region_code: Option<String>,
}

impl From<RecordedProgramme> for ProgrammeRecordView {
    fn from(x: RecordedProgramme) -> Self {
        let r = x.record;
        ProgrammeRecordView {
            id: x.id,
            household_id: r.household_id,
            programme: r.programme.as_str().to_owned(),
            happened_on: r.happened_on,
            course: r.course,
            subsidy_fen: r.subsidy_fen,
            amount_fen: r.amount_fen,
            term_months: r.term_months,
            from_region_code: r.from_region.map(|c| c.to_string()),
            to_region_code: r.to_region.map(|c| c.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeRecordList {
    pub items: Vec<ProgrammeRecordView>,
}
