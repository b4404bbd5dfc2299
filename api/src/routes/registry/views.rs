//! What the API shows of the register: villages, households (personal data masked through
//! [`crate::personal`]), status history and import jobs, built from domain values.

use serde::Serialize;
use utoipa::ToSchema;

use domain::identity::{IdCardNumber, PersonName, PhoneNumber};
use domain::registry::{
    Education, Health, HouseholdStatus, HouseholdSummary as Summary, HouseholdType,
    IdentificationStandard, ImportJob, ImportProblem, Member, PovertyCause, RegisteredHousehold,
    RegisteredVillage, Relation, Schooling, WorkCapacity,
};

use crate::http::pagination::Page;
use crate::i18n::Lang;
use crate::personal::{Disclosure, Shown};

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "region_code": "210921100202", "county_code": "210921", "registered_year": 2014, "status": "poor", "exit_year": null, "population": 1320, "poor_household_count": 86, "collective_income_fen": 1500000, "currency": "CNY", "notes": null, "version": 1}))]
pub struct VillageView {
    pub id: String,
    /// The village's 12-digit code.
    pub region_code: String,
    pub county_code: String,
    pub registered_year: i32,
    #[schema(schema_with = crate::openapi::labelled::<domain::registry::VillageStatus>)]
    pub status: String,
    pub exit_year: Option<i32>,
    pub population: i32,
    pub poor_household_count: i32,
    /// 村集体经济收入, per year.
    pub collective_income_fen: i64,
    pub currency: &'static str,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&RegisteredVillage> for VillageView {
    fn from(r: &RegisteredVillage) -> Self {
        let v = &r.village;
        VillageView {
            id: r.id.clone(),
            region_code: v.region_code.to_string(),
            county_code: v.region_code.county().map(String::from).unwrap_or_default(),
            registered_year: v.registered_year,
            status: v.status.as_str().to_owned(),
            exit_year: v.exit_year,
            population: v.population,
            poor_household_count: v.poor_household_count,
            collective_income_fen: v.collective_income_fen.get(),
            currency: "CNY",
            notes: v.notes.clone(),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VillagePage {
    pub items: Vec<VillageView>,
    pub next_cursor: Option<String>,
}

impl From<Page<RegisteredVillage>> for VillagePage {
    fn from(page: Page<RegisteredVillage>) -> Self {
        let page = page.map(|v| VillageView::from(&v));
        VillagePage {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// The six guarantees (两不愁三保障 and safe drinking water).
#[derive(Debug, Serialize, ToSchema)]
pub struct GuaranteesView {
    /// 不愁吃
    pub food_secure: bool,
    /// 不愁穿
    pub clothing_secure: bool,
    /// 义务教育有保障
    pub compulsory_education: bool,
    /// 基本医疗有保障
    pub basic_medical: bool,
    /// 住房安全有保障
    pub housing_security: bool,
    /// 饮水安全有保障
    pub safe_drinking_water: bool,
}

/// A member. Name, ID number and phone are masked unless revealed.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    #[schema(value_type = String, example = "张*")]
    pub name: Shown<PersonName>,
    /// `male` or `female`.
    pub sex: &'static str,
    #[schema(value_type = String, example = "210921********0010")]
    pub id_number: Shown<IdCardNumber>,
    #[schema(schema_with = crate::openapi::labelled::<Relation>)]
    pub relation: &'static str,
    pub ethnicity: &'static str,
    #[schema(schema_with = crate::openapi::labelled::<Education>)]
    pub education: &'static str,
    #[schema(schema_with = crate::openapi::labelled::<Schooling>)]
    pub schooling: &'static str,
    #[schema(schema_with = crate::openapi::labelled::<Health>)]
    pub health: &'static str,
    #[schema(schema_with = crate::openapi::labelled::<WorkCapacity>)]
    pub work_capacity: &'static str,
    pub migrant_worker: bool,
    /// 新农合
    pub rural_medical: bool,
    /// 城乡居民养老保险
    pub rural_pension: bool,
    /// 低保
    pub dibao: bool,
    /// 大病医疗保险
    pub critical_illness: bool,
    #[schema(value_type = Option<String>, example = "138****5678")]
    pub phone: Option<Shown<PhoneNumber>>,
}

impl MemberView {
    fn build(m: &Member, d: Disclosure) -> Self {
        MemberView {
            name: d.show(m.name.clone()),
            sex: m.sex.as_str(),
            id_number: d.show(m.id_number.clone()),
            relation: m.relation.as_str(),
            ethnicity: m.ethnicity.as_str(),
            education: m.education.as_str(),
            schooling: m.schooling.as_str(),
            health: m.health.as_str(),
            work_capacity: m.work_capacity.as_str(),
            migrant_worker: m.migrant_worker,
            rural_medical: m.rural_medical,
            rural_pension: m.rural_pension,
            dibao: m.dibao,
            critical_illness: m.critical_illness,
            phone: m.phone.clone().map(|p| d.show(p)),
        }
    }
}

/// A registered poor household with its members.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdView {
    pub id: String,
    /// 户编号
    pub household_number: String,
    /// The village's 12-digit code.
    pub region_code: String,
    pub county_code: String,
    /// 插花贫困户
    pub scattered: bool,
    #[schema(schema_with = crate::openapi::labelled::<HouseholdType>)]
    pub household_type: &'static str,
    #[schema(schema_with = crate::openapi::labelled::<IdentificationStandard>)]
    pub identification_standard: &'static str,
    #[schema(schema_with = crate::openapi::labelled::<PovertyCause>)]
    pub main_cause: &'static str,
    #[schema(schema_with = crate::openapi::labelled_list::<PovertyCause>)]
    pub secondary_causes: Vec<&'static str>,
    pub income_per_person_fen: i64,
    /// Always `CNY`.
    pub currency: &'static str,
    pub housing_safe: bool,
    pub guarantees: GuaranteesView,
    pub guarantees_met: bool,
    #[schema(schema_with = crate::openapi::labelled::<HouseholdStatus>)]
    pub status: &'static str,
    pub exit_year: Option<i32>,
    pub members: Vec<MemberView>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl HouseholdView {
    pub fn build(entry: &RegisteredHousehold, d: Disclosure) -> Self {
        let h = &entry.household;
        let g = &h.guarantees;
        HouseholdView {
            id: entry.id.clone(),
            household_number: h.household_number.as_str().to_owned(),
            region_code: h.region_code.to_string(),
            county_code: h.county().map(String::from).unwrap_or_default(),
            scattered: h.scattered,
            household_type: h.household_type.as_str(),
            identification_standard: h.identification_standard.as_str(),
            main_cause: h.main_cause.as_str(),
            secondary_causes: h.secondary_causes.iter().map(|c| c.as_str()).collect(),
            income_per_person_fen: h.income_per_person_fen.get(),
            currency: "CNY",
            housing_safe: h.housing_safe,
            guarantees: GuaranteesView {
                food_secure: g.food_secure,
                clothing_secure: g.clothing_secure,
                compulsory_education: g.compulsory_education,
                basic_medical: g.basic_medical,
                housing_security: g.housing_security,
                safe_drinking_water: g.safe_drinking_water,
            },
            guarantees_met: g.all_met(),
            status: h.status.as_str(),
            exit_year: h.exit_year,
            members: h.members.iter().map(|m| MemberView::build(m, d)).collect(),
            version: entry.version,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
        }
    }
}

impl HouseholdView {
    /// One line of an NDJSON export: the household as `GET /households/{id}` shows it.
    pub fn write_line(
        entry: &RegisteredHousehold,
        d: Disclosure,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        serde_json::to_writer(out, &HouseholdView::build(entry, d))
    }
}

/// A household in a list: no members, the head's name masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdSummary {
    pub id: String,
    pub household_number: String,
    pub region_code: String,
    /// Surname and `*`.
    #[schema(example = "张*")]
    pub head_name: String,
    pub member_count: i32,
    #[schema(schema_with = crate::openapi::labelled::<HouseholdType>)]
    pub household_type: String,
    #[schema(schema_with = crate::openapi::labelled::<PovertyCause>)]
    pub main_cause: String,
    pub income_per_person_fen: i64,
    pub currency: &'static str,
    pub guarantees_met: bool,
    #[schema(schema_with = crate::openapi::labelled::<HouseholdStatus>)]
    pub status: String,
    pub exit_year: Option<i32>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Summary> for HouseholdSummary {
    fn from(s: &Summary) -> Self {
        HouseholdSummary {
            id: s.id.clone(),
            household_number: s.household_number.as_str().to_owned(),
            region_code: s.region_code.to_string(),
            head_name: s
                .head_name
                .as_ref()
                .map_or_else(|| "*".to_owned(), PersonName::masked),
            member_count: s.member_count,
            household_type: s.household_type.as_str().to_owned(),
            main_cause: s.main_cause.as_str().to_owned(),
            income_per_person_fen: s.income_per_person_fen.get(),
            currency: "CNY",
            guarantees_met: s.guarantees_met,
            status: s.status.as_str().to_owned(),
            exit_year: s.exit_year,
            updated_at: s.updated_at,
        }
    }
}

/// One page of households.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdPage {
    pub items: Vec<HouseholdSummary>,
    pub next_cursor: Option<String>,
}

impl From<Page<Summary>> for HouseholdPage {
    fn from(page: Page<Summary>) -> Self {
        let page = page.map(|s| HouseholdSummary::from(&s));
        HouseholdPage {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

// A row problem of an import file (no doc comment: it would enter the schema).
#[derive(Debug, Serialize, ToSchema)]
pub struct RowErrorView {
    /// Line in the file (the header is line 1).
    pub row: i64,
    /// The column, or empty for the whole row.
    pub column: String,
    pub code: String,
    pub message: String,
}

impl RowErrorView {
    pub fn build(p: ImportProblem, lang: Lang) -> Self {
        RowErrorView {
            row: i64::try_from(p.row).unwrap_or(i64::MAX),
            message: lang.pick(&p.message_zh, &p.message_en).to_owned(),
            column: p.column,
            code: p.code,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "kind": "households", "status": "running", "encoding": "UTF-8", "bytes_total": 1048576, "bytes_processed": 524288, "progress": 0.5, "rows_processed": 4210, "households_created": 1200, "households_updated": 0, "households_unchanged": 0, "households_failed": 3, "rows_failed": 3, "message": null, "errors": [{"row": 17, "column": "member_id_number", "code": "check_digit", "message": "the check digit is wrong"}]}))]
pub struct ImportJobView {
    pub id: String,
    /// `villages` or `households`: what the `households_*` counts count (for a village
    /// import they count villages).
    pub kind: String,
    /// `queued`, `running`; then `succeeded` (every row imported), `completed_with_errors`
    /// (some rows rejected: see `errors`) or `failed` (nothing imported: every row rejected,
    /// or the file unreadable).
    #[schema(schema_with = crate::openapi::labelled::<domain::registry::ImportStatus>)]
    pub status: String,
    /// The encoding detected: `UTF-8` or `gb18030`.
    pub encoding: Option<String>,
    pub bytes_total: i64,
    pub bytes_processed: i64,
    /// 0 to 1.
    pub progress: f64,
    pub rows_processed: i64,
    pub households_created: i64,
    pub households_updated: i64,
    pub households_unchanged: i64,
    pub households_failed: i64,
    pub rows_failed: i64,
    pub message: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The first 1,000 row errors (with `?errors=false`, none).
    pub errors: Vec<RowErrorView>,
}

impl ImportJobView {
    pub fn build(j: &ImportJob, errors: Vec<RowErrorView>) -> Self {
        ImportJobView {
            id: j.id.clone(),
            kind: j.kind.as_str().to_owned(),
            status: j.status.as_str().to_owned(),
            encoding: j.encoding.clone(),
            bytes_total: j.bytes_total,
            bytes_processed: j.bytes_processed,
            progress: j.progress(),
            rows_processed: j.rows_processed,
            households_created: j.households_created,
            households_updated: j.households_updated,
            households_unchanged: j.households_unchanged,
            households_failed: j.households_failed,
            rows_failed: j.rows_failed,
            message: j.message.clone(),
            created_at: j.created_at,
            started_at: j.started_at,
            finished_at: j.finished_at,
            errors,
        }
    }
}
