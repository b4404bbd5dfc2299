//! Pairings (结对帮扶 / 结对认亲).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::platform::{Pairing, PairingKind, PairingStatus};
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::pairings as pr;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pr)]
struct PairingRow {
    id: String,
    participant_id: String,
    organization_id: Option<String>,
    household_id: Option<String>,
    village_id: Option<String>,
    region_code: String,
    county_code: String,
    pseudonym: String,
    place_name: String,
    kind: String,
    status: String,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    note: Option<String>,
    participant_consented_at: NaiveDateTime,
    household_consented_at: Option<NaiveDateTime>,
    household_consent_by: Option<String>,
    status_reason: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<PairingRow> for Pairing {
    type Error = PersistenceError;

    fn try_from(r: PairingRow) -> Result<Self, Self::Error> {
        Ok(Pairing {
            place: RegionCode::parse(&r.region_code)?,
            kind: PairingKind::parse(&r.kind)?,
            status: PairingStatus::parse(&r.status)?,
            id: r.id,
            participant_id: r.participant_id,
            organization_id: r.organization_id,
            household_id: r.household_id,
            village_id: r.village_id,
            pseudonym: r.pseudonym,
            place_name: r.place_name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            note: r.note,
            participant_consented_at: r.participant_consented_at.and_utc(),
            household_consented_at: r.household_consented_at.map(|t| t.and_utc()),
            household_consent_by: r.household_consent_by,
            status_reason: r.status_reason,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        })
    }
}

impl From<&Pairing> for PairingRow {
    fn from(p: &Pairing) -> Self {
        PairingRow {
            id: p.id.clone(),
            participant_id: p.participant_id.clone(),
            organization_id: p.organization_id.clone(),
            household_id: p.household_id.clone(),
            village_id: p.village_id.clone(),
            region_code: p.place.to_string(),
            county_code: p.place.county().map(|c| c.to_string()).unwrap_or_default(),
            pseudonym: p.pseudonym.clone(),
            place_name: p.place_name.clone(),
            kind: p.kind.as_str().to_owned(),
            status: p.status.as_str().to_owned(),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            note: p.note.clone(),
            participant_consented_at: p.participant_consented_at.naive_utc(),
            household_consented_at: p.household_consented_at.map(|t| t.naive_utc()),
            household_consent_by: p.household_consent_by.clone(),
            status_reason: p.status_reason.clone(),
            version: p.version,
            created_at: p.created_at.naive_utc(),
            updated_at: p.updated_at.naive_utc(),
        }
    }
}

pub fn insert(conn: &mut DbConn, pairing: &Pairing) -> Result<(), PersistenceError> {
    diesel::insert_into(pr::table)
        .values(PairingRow::from(pairing))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Pairing>, PersistenceError> {
    pr::table
        .find(id)
        .select(PairingRow::as_select())
        .first(conn)
        .optional()?
        .map(Pairing::try_from)
        .transpose()
}

/// Records a status change if the version is still `expected_version`.
pub fn update(
    conn: &mut DbConn,
    pairing: &Pairing,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let row = PairingRow::from(pairing);
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

/// Filters of a pairing list.
#[derive(Debug, Clone, Default)]
pub struct PairingQuery {
    pub participant_id: Option<String>,
    pub within: Option<RegionCode>,
    pub status: Option<PairingStatus>,
}

/// Pairings by id (creation order).
pub fn list(
    conn: &mut DbConn,
    q: &PairingQuery,
    page: &PageRequest<String>,
) -> Result<Page<Pairing>, PersistenceError> {
    let mut query = pr::table
        .select(PairingRow::as_select())
        .order(pr::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(v) = &q.participant_id {
        query = query.filter(pr::participant_id.eq(v.clone()));
    }
    if let Some(v) = q.status {
        query = query.filter(pr::status.eq(v.as_str()));
    }
    let query = crate::keyset_in_subtree!(
        query,
        region = pr::region_code,
        within = q.within.as_ref(),
        key = pr::id,
        after = page.after.as_ref()
    );
    let pairings = query
        .load(conn)?
        .into_iter()
        .map(Pairing::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(pairings, page.limit, |p| p.id.clone()))
}
