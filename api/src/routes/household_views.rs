//! What the API shows of a household: DTOs with personal data masked through
//! [`crate::personal`].

use serde::Serialize;
use utoipa::ToSchema;

use domain::identity::{IdCardNumber, PersonName, PhoneNumber};
use domain::registry::{
    Education, Health, Household, HouseholdStatus, HouseholdType, IdentificationStandard, Member,
    PovertyCause, Relation, Schooling, WorkCapacity,
};
use persistence::registry::households::HouseholdRow;

use crate::personal::{Disclosure, Shown};

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
    pub fn build(row: &HouseholdRow, h: &Household, d: Disclosure) -> Self {
        let g = &h.guarantees;
        HouseholdView {
            id: row.id.clone(),
            household_number: h.household_number.as_str().to_owned(),
            region_code: h.region_code.to_string(),
            county_code: row.county_code.clone(),
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
            version: row.version,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        }
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

impl From<&HouseholdRow> for HouseholdSummary {
    fn from(r: &HouseholdRow) -> Self {
        let head = PersonName::parse(&r.head_name).map_or_else(|_| "*".to_owned(), |n| n.masked());
        HouseholdSummary {
            id: r.id.clone(),
            household_number: r.household_number.clone(),
            region_code: r.region_code.clone(),
            head_name: head,
            member_count: r.member_count,
            household_type: r.household_type.clone(),
            main_cause: r.main_cause.clone(),
            income_per_person_fen: r.income_per_person_fen,
            currency: "CNY",
            guarantees_met: r.guarantees_met,
            status: r.status.clone(),
            exit_year: r.exit_year,
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// One page of households.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdPage {
    pub items: Vec<HouseholdSummary>,
    pub next_cursor: Option<String>,
}
