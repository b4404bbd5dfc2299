//! Households between the domain and the database: encryption of ID and phone numbers, the
//! duplicate index, the content fingerprint, and rebuilding a household from its rows.

use chrono::{NaiveDate, NaiveDateTime};

use domain::identity::Sex;
use domain::registry::{GuaranteesDraft, Household, HouseholdDraft, MemberDraft};
use persistence::crypto::DataKeys;
use persistence::registry::households::{HouseholdRow, MemberRow};

use crate::error::ApiError;
use persistence::crypto::INDEX_ID_NUMBER;

/// Encryption purposes (associated data) of the members' personal columns.
pub const AAD_MEMBER_ID_NUMBER: &str = "household_members.id_number";
pub const AAD_MEMBER_PHONE: &str = "household_members.phone";
/// Blind-index purpose of a household's whole content (to skip unchanged re-imports).
const CONTENT_PURPOSE: &str = "household_content";

fn sex_str(s: Sex) -> &'static str {
    s.as_str()
}

/// A keyed fingerprint of everything a household holds: equal iff the content is equal.
/// Keyed (HMAC), because the content includes ID numbers that a plain hash would let anyone
/// with the database confirm by guessing.
pub fn fingerprint(h: &Household, keys: &DataKeys) -> String {
    let mut canonical = String::new();
    let g = &h.guarantees;
    canonical.push_str(&format!(
        "{}|{}|{}|{}|{}|{}|{:?}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{:?}\n",
        h.household_number.as_str(),
        h.region_code,
        h.scattered,
        h.household_type.as_str(),
        h.identification_standard.as_str(),
        h.main_cause.as_str(),
        h.secondary_causes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        h.income_per_person_fen.get(),
        h.housing_safe,
        g.food_secure,
        g.clothing_secure,
        g.compulsory_education,
        g.basic_medical,
        g.housing_security,
        g.safe_drinking_water,
        h.status.as_str(),
        h.exit_year,
    ));
    for m in &h.members {
        canonical.push_str(&format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n",
            m.name.expose(),
            sex_str(m.sex),
            m.id_number.expose(),
            m.relation.as_str(),
            m.ethnicity.as_str(),
            m.education.as_str(),
            m.schooling.as_str(),
            m.health.as_str(),
            m.work_capacity.as_str(),
            m.migrant_worker,
            m.rural_medical,
            m.rural_pension,
            m.dibao,
            m.critical_illness,
            m.phone.as_ref().map_or("", |p| p.expose()),
        ));
    }
    keys.blind_index(CONTENT_PURPOSE, &canonical)
}

/// The index under which a person's ID number is unique in the whole registry.
pub fn id_index(keys: &DataKeys, id_number: &str) -> String {
    keys.blind_index(INDEX_ID_NUMBER, id_number)
}

/// Who made a row and when, kept across updates.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub id: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The duplicate-index of each member's ID number, in member order.
pub fn indexes(h: &Household, keys: &DataKeys) -> Vec<String> {
    h.members
        .iter()
        .map(|m| id_index(keys, m.id_number.expose()))
        .collect()
}

/// The rows that store `h`, given its `fingerprint` and member `indexes` (computed once by
/// the caller, who needed them for its checks).
pub fn to_rows(
    h: &Household,
    keys: &DataKeys,
    p: &Provenance,
    fingerprint: String,
    indexes: &[String],
) -> (HouseholdRow, Vec<MemberRow>) {
    let county = h.county().map(String::from).unwrap_or_default();
    let g = &h.guarantees;
    let head = h
        .head()
        .map(|m| m.name.expose().to_owned())
        .unwrap_or_default();
    let row = HouseholdRow {
        id: p.id.clone(),
        household_number: h.household_number.as_str().to_owned(),
        region_code: h.region_code.to_string(),
        county_code: county.clone(),
        scattered: h.scattered,
        household_type: h.household_type.as_str().to_owned(),
        identification_standard: h.identification_standard.as_str().to_owned(),
        main_cause: h.main_cause.as_str().to_owned(),
        secondary_causes: h
            .secondary_causes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        income_per_person_fen: h.income_per_person_fen.get(),
        housing_safe: h.housing_safe,
        food_secure: g.food_secure,
        clothing_secure: g.clothing_secure,
        compulsory_education: g.compulsory_education,
        basic_medical: g.basic_medical,
        housing_security: g.housing_security,
        safe_drinking_water: g.safe_drinking_water,
        guarantees_met: g.all_met(),
        status: h.status.as_str().to_owned(),
        exit_year: h.exit_year,
        head_name: head,
        member_count: i32::try_from(h.members.len()).unwrap_or(i32::MAX),
        content_hash: fingerprint,
        version: p.version,
        created_by: p.created_by.clone(),
        updated_by: p.updated_by.clone(),
        created_at: p.created_at,
        updated_at: p.updated_at,
    };
    let members = h
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| MemberRow {
            id: uuid::Uuid::now_v7().to_string(),
            household_id: p.id.clone(),
            county_code: county.clone(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            name: m.name.expose().to_owned(),
            sex: sex_str(m.sex).to_owned(),
            id_number_enc: keys.encrypt(m.id_number.expose(), AAD_MEMBER_ID_NUMBER),
            id_number_index: indexes
                .get(i)
                .cloned()
                .unwrap_or_else(|| id_index(keys, m.id_number.expose())),
            relation: m.relation.as_str().to_owned(),
            ethnicity: m.ethnicity.as_str().to_owned(),
            education: m.education.as_str().to_owned(),
            schooling: m.schooling.as_str().to_owned(),
            health: m.health.as_str().to_owned(),
            work_capacity: m.work_capacity.as_str().to_owned(),
            migrant_worker: m.migrant_worker,
            rural_medical: m.rural_medical,
            rural_pension: m.rural_pension,
            dibao: m.dibao,
            critical_illness: m.critical_illness,
            phone_enc: m
                .phone
                .as_ref()
                .map(|p| keys.encrypt(p.expose(), AAD_MEMBER_PHONE)),
        })
        .collect();
    (row, members)
}

/// Rebuilds the household its rows store (decrypting ID and phone numbers).
pub fn from_rows(
    row: &HouseholdRow,
    members: &[MemberRow],
    keys: &DataKeys,
    today: NaiveDate,
) -> Result<Household, ApiError> {
    let some = |s: &str| Some(s.to_owned());
    let flag = |b: bool| Some(b.to_string());
    let mut drafts = Vec::with_capacity(members.len());
    for m in members {
        let id = keys
            .decrypt(&m.id_number_enc, AAD_MEMBER_ID_NUMBER)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        let phone = m
            .phone_enc
            .as_deref()
            .map(|p| keys.decrypt(p, AAD_MEMBER_PHONE))
            .transpose()
            .map_err(|e| ApiError::internal(e.to_string()))?;
        drafts.push(MemberDraft {
            name: some(&m.name),
            sex: some(&m.sex),
            id_number: Some(id),
            relation: some(&m.relation),
            ethnicity: some(&m.ethnicity),
            education: some(&m.education),
            schooling: some(&m.schooling),
            health: some(&m.health),
            work_capacity: some(&m.work_capacity),
            migrant_worker: flag(m.migrant_worker),
            rural_medical: flag(m.rural_medical),
            rural_pension: flag(m.rural_pension),
            dibao: flag(m.dibao),
            critical_illness: flag(m.critical_illness),
            phone,
        });
    }
    let draft = HouseholdDraft {
        household_number: some(&row.household_number),
        region_code: some(&row.region_code),
        scattered: flag(row.scattered),
        household_type: some(&row.household_type),
        identification_standard: some(&row.identification_standard),
        main_cause: some(&row.main_cause),
        secondary_causes: row
            .secondary_causes
            .split('|')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        income_per_person_fen: Some(row.income_per_person_fen.to_string()),
        housing_safe: flag(row.housing_safe),
        guarantees: GuaranteesDraft {
            food_secure: flag(row.food_secure),
            clothing_secure: flag(row.clothing_secure),
            compulsory_education: flag(row.compulsory_education),
            basic_medical: flag(row.basic_medical),
            housing_security: flag(row.housing_security),
            safe_drinking_water: flag(row.safe_drinking_water),
        },
        status: some(&row.status),
        exit_year: row.exit_year.map(|y| y.to_string()),
        members: drafts,
    };
    draft.parse(today).map_err(|errors| {
        ApiError::internal(format!(
            "stored household {} no longer valid: {}",
            row.id,
            errors
                .iter()
                .map(|e| format!("{} {}", e.field, e.code))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}
