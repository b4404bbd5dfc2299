//! Pairings (结对帮扶 / 结对认亲).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::pairings as pr;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pr)]
pub struct PairingRow {
    pub id: String,
    pub participant_id: String,
    pub organization_id: Option<String>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    pub region_code: String,
    pub county_code: String,
    pub pseudonym: String,
    pub place_name: String,
    pub kind: String,
    pub status: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub participant_consented_at: NaiveDateTime,
    pub household_consented_at: Option<NaiveDateTime>,
    pub household_consent_by: Option<String>,
    pub status_reason: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &PairingRow) -> Result<(), PersistenceError> {
    diesel::insert_into(pr::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<PairingRow>, PersistenceError> {
    Ok(pr::table
        .find(id)
        .select(PairingRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records a status change if the version is still `expected_version`.
pub fn update(
    conn: &mut DbConn,
    row: &PairingRow,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        pr::table
            .find(&row.id)
            .filter(pr::version.eq(expected_version)),
    )
    .set((
        pr::status.eq(&row.status),
        pr::ends_on.eq(row.ends_on),
        pr::household_consented_at.eq(row.household_consented_at),
        pr::household_consent_by.eq(&row.household_consent_by),
        pr::status_reason.eq(&row.status_reason),
        pr::version.eq(row.version),
        pr::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?
        == 1)
}

#[derive(Debug, Clone, Default)]
pub struct PairingQuery {
    pub participant_id: Option<String>,
    pub within: Option<domain::region::RegionCode>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, q: &PairingQuery) -> Result<Vec<PairingRow>, PersistenceError> {
    let mut query = pr::table
        .select(PairingRow::as_select())
        .order(pr::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(v) = &q.participant_id {
        query = query.filter(pr::participant_id.eq(v.clone()));
    }
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(pr::region_code.ge(low))
            .filter(pr::region_code.lt(high));
    }
    if let Some(v) = &q.status {
        query = query.filter(pr::status.eq(v.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(pr::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
