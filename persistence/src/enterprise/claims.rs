//! Employment claims of enterprise projects: the person's ID number encrypted, with the
//! registry's keyed index of it (to find a repeated claim and the registered person), and
//! the claim's status. Nothing here says whether the person is registered.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::enterprise::{ClaimStatus, EmploymentClaim};
use domain::identity::IdCardNumber;
use domain::region::RegionCode;

use crate::crypto::DataKeys;
use crate::page::{Page, PageRequest};
use crate::schema::{employment_claims as c, project_villages as pv};
use crate::{DbConn, PersistenceError};

/// Encryption purpose (associated data) of a claim's ID number.
const AAD_CLAIM_ID_NUMBER: &str = "employment_claims.id_number";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
struct ClaimRow {
    id: String,
    project_id: String,
    year: i32,
    id_number_enc: String,
    id_number_index: String,
    status: String,
    created_by: String,
    created_at: NaiveDateTime,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
}

fn decode(keys: &DataKeys, r: ClaimRow) -> Result<EmploymentClaim, PersistenceError> {
    let number = keys.decrypt(&r.id_number_enc, AAD_CLAIM_ID_NUMBER)?;
    Ok(EmploymentClaim {
        id: r.id,
        project_id: r.project_id,
        year: r.year,
        id_number: IdCardNumber::parse(&number)?,
        status: ClaimStatus::parse(&r.status)?,
        created_by: r.created_by,
        created_at: r.created_at,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
    })
}

/// The index a claim's ID number is found under (the registry's, so a claim and the
/// registered person share it).
fn index_of(keys: &DataKeys, id_number: &IdCardNumber) -> String {
    crate::registry::columns::id_index(keys, id_number.expose())
}

/// Stores a new claim (call inside a write transaction, after [`find_for`] found none).
pub fn insert(
    conn: &mut DbConn,
    keys: &DataKeys,
    claim: &EmploymentClaim,
) -> Result<(), PersistenceError> {
    diesel::insert_into(c::table)
        .values(ClaimRow {
            id: claim.id.clone(),
            project_id: claim.project_id.clone(),
            year: claim.year,
            id_number_enc: keys.encrypt(claim.id_number.expose(), AAD_CLAIM_ID_NUMBER),
            id_number_index: index_of(keys, &claim.id_number),
            status: claim.status.as_str().to_owned(),
            created_by: claim.created_by.clone(),
            created_at: claim.created_at,
            decided_by: claim.decided_by.clone(),
            decided_at: claim.decided_at,
        })
        .execute(conn)?;
    Ok(())
}

/// The project's claim for this person in `year`, if it made one.
pub fn find_for(
    conn: &mut DbConn,
    keys: &DataKeys,
    project_id: &str,
    year: i32,
    id_number: &IdCardNumber,
) -> Result<Option<EmploymentClaim>, PersistenceError> {
    c::table
        .filter(c::project_id.eq(project_id))
        .filter(c::year.eq(year))
        .filter(c::id_number_index.eq(index_of(keys, id_number)))
        .select(ClaimRow::as_select())
        .first(conn)
        .optional()?
        .map(|r| decode(keys, r))
        .transpose()
}

pub fn find(
    conn: &mut DbConn,
    keys: &DataKeys,
    id: &str,
) -> Result<Option<EmploymentClaim>, PersistenceError> {
    c::table
        .find(id)
        .select(ClaimRow::as_select())
        .first(conn)
        .optional()?
        .map(|r| decode(keys, r))
        .transpose()
}

/// Moves a claim from `from` to `to`, by `by`; `false` when it was no longer in `from` (a
/// concurrent decision won).
pub fn decide(
    conn: &mut DbConn,
    id: &str,
    from: ClaimStatus,
    to: ClaimStatus,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(c::table.find(id).filter(c::status.eq(from.as_str())))
        .set((
            c::status.eq(to.as_str()),
            c::decided_by.eq(by),
            c::decided_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// What a list of claims asks for.
#[derive(Debug, Clone)]
pub struct ClaimQuery {
    /// Claims of projects serving a village of this subtree (`None`: all).
    pub serving: Option<RegionCode>,
    /// Claims of this organisation's projects.
    pub organization_id: Option<String>,
    pub project_id: Option<String>,
    pub status: Option<ClaimStatus>,
    pub page: PageRequest<String>,
}

/// A page of claims in id order (oldest first).
pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    q: &ClaimQuery,
) -> Result<Page<EmploymentClaim>, PersistenceError> {
    use crate::schema::enterprise_projects as p;
    let mut query = c::table
        .select(ClaimRow::as_select())
        .order(c::id)
        .limit(q.page.fetch())
        .into_boxed();
    if let Some(region) = &q.serving {
        let (low, high) = region.subtree_range();
        query = query.filter(
            c::project_id.eq_any(
                pv::table
                    .filter(pv::village_code.ge(low))
                    .filter(pv::village_code.lt(high))
                    .select(pv::project_id),
            ),
        );
    }
    if let Some(org) = &q.organization_id {
        query = query.filter(
            c::project_id.eq_any(
                p::table
                    .filter(p::organization_id.eq(org.clone()))
                    .select(p::id),
            ),
        );
    }
    if let Some(project) = &q.project_id {
        query = query.filter(c::project_id.eq(project.clone()));
    }
    if let Some(status) = q.status {
        query = query.filter(c::status.eq(status.as_str()));
    }
    if let Some(after) = &q.page.after {
        query = query.filter(c::id.gt(after.clone()));
    }
    let items = query
        .load(conn)?
        .into_iter()
        .map(|r| decode(keys, r))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(
        items,
        q.page.limit,
        |x: &EmploymentClaim| x.id.clone(),
    ))
}
