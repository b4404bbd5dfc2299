//! The register's personal columns: members' names, ID and phone numbers encrypted under
//! their column's purpose, the keyed index under which an ID number is unique in the whole
//! register, the keyed index of a head's full name (an official's search), and the keyed fingerprint of a household's content (to skip unchanged
//! re-imports). Nothing above persistence names a cipher or a purpose.

use domain::identity::PersonName;
use domain::registry::Household;

use crate::PersistenceError;
use crate::crypto::{DataKeys, INDEX_ID_NUMBER};

/// Encryption purposes (associated data) of the members' personal columns.
const AAD_MEMBER_ID_NUMBER: &str = "household_members.id_number";
const AAD_MEMBER_PHONE: &str = "household_members.phone";
const AAD_MEMBER_NAME: &str = "household_members.name";
const AAD_HEAD_NAME: &str = "households.head_name";
/// Blind-index purpose of a head of household's full name.
const HEAD_NAME_PURPOSE: &str = "households.head_name";
/// Blind-index purpose of a household's whole content.
const CONTENT_PURPOSE: &str = "household_content";

/// The index under which a person's ID number is unique in the whole register.
pub fn id_index(keys: &DataKeys, id_number: &str) -> String {
    keys.blind_index(INDEX_ID_NUMBER, id_number)
}

pub(crate) fn encrypt_id_number(keys: &DataKeys, id_number: &str) -> String {
    keys.encrypt(id_number, AAD_MEMBER_ID_NUMBER)
}

pub(crate) fn decrypt_id_number(keys: &DataKeys, token: &str) -> Result<String, PersistenceError> {
    keys.decrypt(token, AAD_MEMBER_ID_NUMBER)
}

pub(crate) fn encrypt_phone(keys: &DataKeys, phone: &str) -> String {
    keys.encrypt(phone, AAD_MEMBER_PHONE)
}

pub(crate) fn decrypt_phone(keys: &DataKeys, token: &str) -> Result<String, PersistenceError> {
    keys.decrypt(token, AAD_MEMBER_PHONE)
}

pub(crate) fn encrypt_member_name(keys: &DataKeys, name: &str) -> String {
    keys.encrypt(name, AAD_MEMBER_NAME)
}

pub(crate) fn decrypt_member_name(
    keys: &DataKeys,
    token: &str,
) -> Result<String, PersistenceError> {
    keys.decrypt(token, AAD_MEMBER_NAME)
}

pub(crate) fn encrypt_head_name(keys: &DataKeys, name: &str) -> String {
    keys.encrypt(name, AAD_HEAD_NAME)
}

pub(crate) fn decrypt_head_name(keys: &DataKeys, token: &str) -> Result<String, PersistenceError> {
    keys.decrypt(token, AAD_HEAD_NAME)
}

/// The index under which a household is found by its head's full name: the name as the
/// domain normalises it ([`PersonName`]), so spellings that parse alike find each other.
pub(crate) fn head_name_index(keys: &DataKeys, name: &str) -> String {
    let normalised =
        PersonName::parse(name).map_or_else(|_| name.trim().to_owned(), |n| n.expose().to_owned());
    keys.blind_index(HEAD_NAME_PURPOSE, &normalised)
}

/// What a household's personal content hashes to: its members' ID-number indexes (in
/// member order) and the fingerprint of everything it holds. Computed once per household,
/// where there is time for it (the import's reading thread), and carried to the write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    indexes: Vec<String>,
    fingerprint: String,
}

impl Seal {
    pub fn of(keys: &DataKeys, h: &Household) -> Self {
        Seal {
            indexes: h
                .members
                .iter()
                .map(|m| id_index(keys, m.id_number.expose()))
                .collect(),
            fingerprint: fingerprint(keys, h),
        }
    }

    /// The members' ID-number indexes, in member order.
    pub fn indexes(&self) -> &[String] {
        &self.indexes
    }

    /// Equal iff the content is equal.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// A keyed fingerprint of everything a household holds: equal iff the content is equal.
/// Keyed (HMAC), because the content includes ID numbers that a plain hash would let anyone
/// with the database confirm by guessing.
fn fingerprint(keys: &DataKeys, h: &Household) -> String {
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
            m.sex.as_str(),
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
