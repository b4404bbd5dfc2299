//! The registry's checks that need the database, for single writes (the import engine does
//! the same in batches): the village exists and is a registered poor village unless the
//! household is scattered, and no member is registered in another household.

use domain::registry::Household;
use persistence::crypto::DataKeys;
use persistence::registry::{households as store, villages};
use persistence::{DbConn, PersistenceError};

use super::codec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    UnknownRegion,
    NotPoorVillage,
    /// Member `member` (0-based) is registered in household `household_id` in `region`.
    DuplicatePerson {
        member: usize,
        household_id: String,
        region_code: String,
    },
}

/// `own_id`: the household being updated (its own members are no conflict).
pub fn check(
    conn: &mut DbConn,
    keys: &DataKeys,
    h: &Household,
    own_id: Option<&str>,
) -> Result<Option<Refusal>, PersistenceError> {
    let region = h.region_code.to_string();
    if persistence::region::existing_codes(conn, std::slice::from_ref(&region))?.is_empty() {
        return Ok(Some(Refusal::UnknownRegion));
    }
    if !h.scattered && villages::registered_among(conn, std::slice::from_ref(&region))?.is_empty() {
        return Ok(Some(Refusal::NotPoorVillage));
    }
    let indexes: Vec<String> = h
        .members
        .iter()
        .map(|m| codec::id_index(keys, m.id_number.expose()))
        .collect();
    for (index, household_id, region_code) in store::owners_of(conn, &indexes)? {
        if Some(household_id.as_str()) != own_id {
            let member = indexes.iter().position(|i| *i == index).unwrap_or(0);
            return Ok(Some(Refusal::DuplicatePerson {
                member,
                household_id,
                region_code,
            }));
        }
    }
    Ok(None)
}
