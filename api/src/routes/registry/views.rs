//! What the API shows of the register: villages, households (personal data masked through
//! [`crate::personal`]), status history and import jobs, built from domain values.

use serde::Serialize;
use utoipa::ToSchema;

use domain::registry::RegisteredVillage;

use crate::http::pagination::Page;

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
