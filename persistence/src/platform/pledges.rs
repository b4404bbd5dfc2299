//! Pledges (认领) and the feedback on them.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use domain::platform::{Amount, Evidence, Feedback, Pledge, PledgeFeedback, PledgeStatus};
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::{pledge_feedback as f, pledges as p};
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = p)]
struct PledgeRow {
    id: String,
    need_id: String,
    pledger_id: String,
    organization_id: Option<String>,
    offer_id: Option<String>,
    pairing_id: Option<String>,
    region_code: String,
    county_code: String,
    amount: i64,
    unit: Option<String>,
    note: Option<String>,
    status: String,
    /// JSON array of `{url, sha256}`.
    evidence: Option<String>,
    delivery_note: Option<String>,
    cancel_reason: Option<String>,
    confirmed_by: Option<String>,
    pledged_at: NaiveDateTime,
    delivered_at: Option<NaiveDateTime>,
    confirmed_at: Option<NaiveDateTime>,
    cancelled_at: Option<NaiveDateTime>,
    version: i32,
    updated_at: NaiveDateTime,
}

/// Attachments as stored: a JSON array, or nothing.
pub(crate) fn evidence_from(json: Option<&str>) -> Result<Vec<Evidence>, PersistenceError> {
    match json.filter(|j| !j.is_empty()) {
        None => Ok(Vec::new()),
        Some(j) => {
            serde_json::from_str(j).map_err(|e| PersistenceError::Corrupt(format!("evidence: {e}")))
        }
    }
}

pub(crate) fn evidence_json(evidence: &[Evidence]) -> Result<String, PersistenceError> {
    serde_json::to_string(evidence).map_err(|e| PersistenceError::Corrupt(e.to_string()))
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

impl TryFrom<PledgeRow> for Pledge {
    type Error = PersistenceError;

    fn try_from(r: PledgeRow) -> Result<Self, Self::Error> {
        Ok(Pledge {
            evidence: evidence_from(r.evidence.as_deref())?,
            status: PledgeStatus::parse(&r.status)?,
            place: RegionCode::parse(&r.region_code)?,
            id: r.id,
            need_id: r.need_id,
            pledger_id: r.pledger_id,
            organization_id: r.organization_id,
            offer_id: r.offer_id,
            pairing_id: r.pairing_id,
            amount: Amount {
                value: r.amount,
                unit: r.unit,
            },
            note: r.note,
            delivery_note: r.delivery_note,
            cancel_reason: r.cancel_reason,
            confirmed_by: r.confirmed_by,
            pledged_at: utc(r.pledged_at),
            delivered_at: r.delivered_at.map(utc),
            confirmed_at: r.confirmed_at.map(utc),
            cancelled_at: r.cancelled_at.map(utc),
            version: r.version,
            updated_at: utc(r.updated_at),
        })
    }
}

impl PledgeRow {
    fn of(pl: &Pledge) -> Result<Self, PersistenceError> {
        Ok(PledgeRow {
            id: pl.id.clone(),
            need_id: pl.need_id.clone(),
            pledger_id: pl.pledger_id.clone(),
            organization_id: pl.organization_id.clone(),
            offer_id: pl.offer_id.clone(),
            pairing_id: pl.pairing_id.clone(),
            region_code: pl.place.to_string(),
            county_code: pl.place.county().map(|c| c.to_string()).unwrap_or_default(),
            amount: pl.amount.value,
            unit: pl.amount.unit.clone(),
            note: pl.note.clone(),
            status: pl.status.as_str().to_owned(),
            evidence: if pl.evidence.is_empty() {
                None
            } else {
                Some(evidence_json(&pl.evidence)?)
            },
            delivery_note: pl.delivery_note.clone(),
            cancel_reason: pl.cancel_reason.clone(),
            confirmed_by: pl.confirmed_by.clone(),
            pledged_at: pl.pledged_at.naive_utc(),
            delivered_at: pl.delivered_at.map(|t| t.naive_utc()),
            confirmed_at: pl.confirmed_at.map(|t| t.naive_utc()),
            cancelled_at: pl.cancelled_at.map(|t| t.naive_utc()),
            version: pl.version,
            updated_at: pl.updated_at.naive_utc(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = f)]
struct FeedbackRow {
    id: String,
    pledge_id: String,
    author_id: String,
    message: String,
    rating: Option<i32>,
    household_acknowledged: bool,
    created_at: NaiveDateTime,
}

impl TryFrom<FeedbackRow> for PledgeFeedback {
    type Error = PersistenceError;

    fn try_from(r: FeedbackRow) -> Result<Self, Self::Error> {
        Ok(PledgeFeedback {
            id: r.id,
            pledge_id: r.pledge_id,
            author_id: r.author_id,
            feedback: Feedback {
                message: r.message,
                rating: r.rating,
                household_acknowledged: r.household_acknowledged,
            },
            created_at: utc(r.created_at),
        })
    }
}

fn decode(rows: Vec<PledgeRow>) -> Result<Vec<Pledge>, PersistenceError> {
    rows.into_iter().map(Pledge::try_from).collect()
}

pub fn insert(conn: &mut DbConn, pledge: &Pledge) -> Result<(), PersistenceError> {
    diesel::insert_into(p::table)
        .values(PledgeRow::of(pledge)?)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Pledge>, PersistenceError> {
    p::table
        .find(id)
        .select(PledgeRow::as_select())
        .first(conn)
        .optional()?
        .map(Pledge::try_from)
        .transpose()
}

/// Stores the pledge's new state if its version is still `expected_version`.
pub fn update(
    conn: &mut DbConn,
    pledge: &Pledge,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let row = PledgeRow::of(pledge)?;
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
        .filter(p::status.eq_any([
            PledgeStatus::Pledged.as_str(),
            PledgeStatus::Delivered.as_str(),
        ]))
        .count()
        .get_result(conn)?)
}

/// The undelivered pledges of a need (to cancel with it).
pub fn undelivered_of(conn: &mut DbConn, need_id: &str) -> Result<Vec<Pledge>, PersistenceError> {
    decode(
        p::table
            .filter(p::need_id.eq(need_id))
            .filter(p::status.eq(PledgeStatus::Pledged.as_str()))
            .select(PledgeRow::as_select())
            .load(conn)?,
    )
}

/// Filters of a pledge list.
#[derive(Debug, Clone, Default)]
pub struct PledgeQuery {
    pub pledger_id: Option<String>,
    pub need_id: Option<String>,
    pub pairing_id: Option<String>,
    pub within: Option<RegionCode>,
    pub status: Option<PledgeStatus>,
}

/// Pledges by id (creation order).
pub fn list(
    conn: &mut DbConn,
    q: &PledgeQuery,
    page: &PageRequest<String>,
) -> Result<Page<Pledge>, PersistenceError> {
    let mut query = p::table
        .select(PledgeRow::as_select())
        .order(p::id)
        .limit(page.fetch())
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
    if let Some(v) = q.status {
        query = query.filter(p::status.eq(v.as_str()));
    }
    let query = crate::keyset_in_subtree!(
        query,
        region = p::region_code,
        within = q.within.as_ref(),
        key = p::id,
        after = page.after.as_ref()
    );
    Ok(Page::from_fetched(
        decode(query.load(conn)?)?,
        page.limit,
        |pl| pl.id.clone(),
    ))
}

pub fn insert_feedback(conn: &mut DbConn, fb: &PledgeFeedback) -> Result<(), PersistenceError> {
    let row = FeedbackRow {
        id: fb.id.clone(),
        pledge_id: fb.pledge_id.clone(),
        author_id: fb.author_id.clone(),
        message: fb.feedback.message.clone(),
        rating: fb.feedback.rating,
        household_acknowledged: fb.feedback.household_acknowledged,
        created_at: fb.created_at.naive_utc(),
    };
    diesel::insert_into(f::table).values(row).execute(conn)?;
    Ok(())
}

/// Feedback on these pledges, oldest first.
pub fn feedback_of(
    conn: &mut DbConn,
    pledge_ids: &[String],
) -> Result<Vec<PledgeFeedback>, PersistenceError> {
    f::table
        .filter(f::pledge_id.eq_any(pledge_ids))
        .order(f::id)
        .select(FeedbackRow::as_select())
        .load(conn)?
        .into_iter()
        .map(PledgeFeedback::try_from)
        .collect()
}
