//! Pledges (认领) and the feedback on them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{pledge_feedback as f, pledges as p};
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = p)]
pub struct PledgeRow {
    pub id: String,
    pub need_id: String,
    pub pledger_id: String,
    pub organization_id: Option<String>,
    pub offer_id: Option<String>,
    pub pairing_id: Option<String>,
    pub region_code: String,
    pub county_code: String,
    pub amount: i64,
    pub unit: Option<String>,
    pub note: Option<String>,
    pub status: String,
    /// JSON array of `{url, sha256}`.
    pub evidence: Option<String>,
    pub delivery_note: Option<String>,
    pub cancel_reason: Option<String>,
    pub confirmed_by: Option<String>,
    pub pledged_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub confirmed_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = f)]
pub struct FeedbackRow {
    pub id: String,
    pub pledge_id: String,
    pub author_id: String,
    pub message: String,
    pub rating: Option<i32>,
    pub household_acknowledged: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &PledgeRow) -> Result<(), PersistenceError> {
    diesel::insert_into(p::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<PledgeRow>, PersistenceError> {
    Ok(p::table
        .find(id)
        .select(PledgeRow::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces the row if its version is still `expected_version`.
pub fn update(
    conn: &mut DbConn,
    row: &PledgeRow,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        p::table
            .find(&row.id)
            .filter(p::version.eq(expected_version)),
    )
    .set((
        p::status.eq(&row.status),
        p::evidence.eq(&row.evidence),
        p::delivery_note.eq(&row.delivery_note),
        p::cancel_reason.eq(&row.cancel_reason),
        p::confirmed_by.eq(&row.confirmed_by),
        p::delivered_at.eq(row.delivered_at),
        p::confirmed_at.eq(row.confirmed_at),
        p::cancelled_at.eq(row.cancelled_at),
        p::version.eq(row.version),
        p::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?
        == 1)
}

/// How many pledges on the need are still open (pledged or delivered).
pub fn count_unconfirmed(conn: &mut DbConn, need_id: &str) -> Result<i64, PersistenceError> {
    Ok(p::table
        .filter(p::need_id.eq(need_id))
        .filter(p::status.eq_any(["pledged", "delivered"]))
        .count()
        .get_result(conn)?)
}

/// The undelivered pledges of a need (to cancel with it).
pub fn undelivered_of(
    conn: &mut DbConn,
    need_id: &str,
) -> Result<Vec<PledgeRow>, PersistenceError> {
    Ok(p::table
        .filter(p::need_id.eq(need_id))
        .filter(p::status.eq("pledged"))
        .select(PledgeRow::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct PledgeQuery {
    pub pledger_id: Option<String>,
    pub need_id: Option<String>,
    pub pairing_id: Option<String>,
    pub within: Option<domain::region::RegionCode>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, q: &PledgeQuery) -> Result<Vec<PledgeRow>, PersistenceError> {
    let mut query = p::table
        .select(PledgeRow::as_select())
        .order(p::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(v) = &q.pledger_id {
        query = query.filter(p::pledger_id.eq(v.clone()));
    }
    if let Some(v) = &q.need_id {
        query = query.filter(p::need_id.eq(v.clone()));
    }
    if let Some(v) = &q.pairing_id {
        query = query.filter(p::pairing_id.eq(v.clone()));
    }
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(p::region_code.ge(low))
            .filter(p::region_code.lt(high));
    }
    if let Some(v) = &q.status {
        query = query.filter(p::status.eq(v.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(p::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

pub fn insert_feedback(conn: &mut DbConn, row: &FeedbackRow) -> Result<(), PersistenceError> {
    diesel::insert_into(f::table).values(row).execute(conn)?;
    Ok(())
}

/// Feedback on these pledges, oldest first.
pub fn feedback_of(
    conn: &mut DbConn,
    pledge_ids: &[String],
) -> Result<Vec<FeedbackRow>, PersistenceError> {
    Ok(f::table
        .filter(f::pledge_id.eq_any(pledge_ids))
        .order(f::id)
        .select(FeedbackRow::as_select())
        .load(conn)?)
}
