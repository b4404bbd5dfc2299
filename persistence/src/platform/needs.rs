//! Needs (需求). The capacity guard lives here: [`take_capacity`] is one conditional
//! `UPDATE`, so two pledges can never both take the last unit.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Integer, Text};
use domain::platform::ReasonChange;

use domain::platform::{Amount, Need, NeedCategory, NeedStatus, TargetGroup, Urgency};
use domain::region::{RegionCode, RegionLevel};
use domain::registry::PovertyCause;

use crate::schema::needs as n;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = n)]
pub struct NeedRow {
    pub id: String,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    pub region_code: String,
    pub township_code: String,
    pub county_code: String,
    pub city_code: String,
    pub place_name: String,
    pub pseudonym: String,
    pub cause: Option<String>,
    pub category: String,
    pub target_group: Option<String>,
    pub title: String,
    pub description: String,
    pub unit: Option<String>,
    pub asked: i64,
    pub pledged: i64,
    pub urgency: String,
    pub urgency_rank: i32,
    pub deadline: NaiveDate,
    pub evidence: String,
    pub status: String,
    pub listed: bool,
    pub status_reason: Option<String>,
    pub created_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl TryFrom<NeedRow> for Need {
    type Error = PersistenceError;

    fn try_from(r: NeedRow) -> Result<Self, Self::Error> {
        Ok(Need {
            place: RegionCode::parse(&r.region_code)?,
            cause: r.cause.as_deref().map(PovertyCause::parse).transpose()?,
            category: NeedCategory::parse(&r.category)?,
            target_group: r
                .target_group
                .as_deref()
                .map(TargetGroup::parse)
                .transpose()?,
            urgency: Urgency::parse(&r.urgency)?,
            status: NeedStatus::parse(&r.status)?,
            evidence: super::pledges::evidence_from(Some(&r.evidence))?,
            id: r.id,
            household_id: r.household_id,
            village_id: r.village_id,
            place_name: r.place_name,
            pseudonym: r.pseudonym,
            title: r.title,
            description: r.description,
            asked: Amount {
                value: r.asked,
                unit: r.unit,
            },
            pledged: r.pledged,
            deadline: r.deadline,
            status_reason: r.status_reason,
            created_by: r.created_by,
            reviewed_by: r.reviewed_by,
            published_at: r.published_at.map(|t| t.and_utc()),
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        })
    }
}

/// The order of the public listing and of matching: most urgent first (0 = high).
pub fn urgency_rank(u: Urgency) -> i32 {
    match u {
        Urgency::High => 0,
        Urgency::Medium => 1,
        Urgency::Low => 2,
    }
}

/// Whether a need in this status sits in the public listing (open for pledges).
pub fn listed(status: NeedStatus) -> bool {
    status.takes_pledges()
}

pub fn insert(conn: &mut DbConn, row: &NeedRow) -> Result<(), PersistenceError> {
    diesel::insert_into(n::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_row(conn: &mut DbConn, id: &str) -> Result<Option<NeedRow>, PersistenceError> {
    Ok(n::table
        .find(id)
        .select(NeedRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Need>, PersistenceError> {
    find_row(conn, id)?.map(Need::try_from).transpose()
}

/// Content changes of an editable need, if its version is still `expected_version`.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = n, treat_none_as_null = true)]
pub struct NeedContent {
    pub category: String,
    pub target_group: Option<String>,
    pub title: String,
    pub description: String,
    pub unit: Option<String>,
    pub asked: i64,
    pub urgency: String,
    pub urgency_rank: i32,
    pub deadline: NaiveDate,
    pub evidence: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

pub fn update_content(
    conn: &mut DbConn,
    id: &str,
    expected_version: i32,
    content: &NeedContent,
) -> Result<bool, PersistenceError> {
    Ok(
        diesel::update(n::table.find(id).filter(n::version.eq(expected_version)))
            .set(content)
            .execute(conn)?
            == 1,
    )
}

/// A status change.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub status: String,
    pub listed: bool,
    pub reason: ReasonChange,
    /// Set when an official reviewed the need; `None` leaves the column as it is.
    pub reviewed_by: Option<String>,
    /// Set when the need is published; `None` leaves the column as it is.
    pub published_at: Option<NaiveDateTime>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

/// The columns a status change writes, in diesel's terms: an outer `None` leaves a column
/// alone, `Some(None)` writes NULL.
#[derive(AsChangeset)]
#[diesel(table_name = n)]
struct StatusColumns {
    status: String,
    listed: bool,
    status_reason: Option<Option<String>>,
    reviewed_by: Option<Option<String>>,
    published_at: Option<Option<NaiveDateTime>>,
    version: i32,
    updated_at: NaiveDateTime,
}

/// Applies `change` if the version is still `expected_version`; `false` if it is not.
pub fn change_status(
    conn: &mut DbConn,
    id: &str,
    expected_version: i32,
    change: &StatusChange,
) -> Result<bool, PersistenceError> {
    let columns = StatusColumns {
        status: change.status.clone(),
        listed: change.listed,
        status_reason: match &change.reason {
            ReasonChange::Keep => None,
            ReasonChange::Clear => Some(None),
            ReasonChange::Set(r) => Some(Some(r.clone())),
        },
        reviewed_by: change.reviewed_by.clone().map(Some),
        published_at: change.published_at.map(Some),
        version: change.version,
        updated_at: change.updated_at,
    };
    Ok(
        diesel::update(n::table.find(id).filter(n::version.eq(expected_version)))
            .set(&columns)
            .execute(conn)?
            == 1,
    )
}

/// Takes `amount` of the need's capacity if it is listed, not past its deadline, and has
/// that much left — in one statement, which also locks the row until the transaction ends.
/// `false`: nothing was taken (read the row to learn why).
pub fn take_capacity(
    conn: &mut DbConn,
    id: &str,
    amount: i64,
    today: NaiveDate,
) -> Result<bool, PersistenceError> {
    let updated = diesel::update(
        n::table
            .find(id)
            .filter(n::listed.eq(true))
            .filter(n::deadline.ge(today))
            .filter(n::asked.ge(n::pledged + amount)),
    )
    .set((
        n::pledged.eq(n::pledged + amount),
        n::version.eq(n::version + 1),
    ))
    .execute(conn)?;
    Ok(updated == 1)
}

/// Gives `amount` back (a cancelled pledge); locks the row like [`take_capacity`].
pub fn give_back_capacity(
    conn: &mut DbConn,
    id: &str,
    amount: i64,
) -> Result<(), PersistenceError> {
    diesel::update(n::table.find(id).filter(n::pledged.ge(amount)))
        .set((
            n::pledged.eq(n::pledged - amount),
            n::version.eq(n::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Takes the need's row lock (PostgreSQL) for the rest of the transaction, so checks made
/// after it see every other writer's committed work. SQLite transactions are serial anyway.
pub fn lock(conn: &mut DbConn, id: &str) -> Result<(), PersistenceError> {
    diesel::update(n::table.find(id))
        .set(n::version.eq(n::version + 1))
        .execute(conn)?;
    Ok(())
}

/// Sets the status that follows from the capacity, for a need that is being pledged on.
pub fn set_pledging_status(
    conn: &mut DbConn,
    id: &str,
    status: NeedStatus,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::update(n::table.find(id))
        .set((
            n::status.eq(status.as_str()),
            n::listed.eq(listed(status)),
            n::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks every need whose deadline passed before `today` while it could still expire.
/// Returns how many expired.
pub fn expire_overdue(
    conn: &mut DbConn,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    let expiring: Vec<&str> = NeedStatus::ALL
        .iter()
        .filter(|s| s.may_expire())
        .map(|s| s.as_str())
        .collect();
    Ok(diesel::update(
        n::table
            .filter(n::status.eq_any(expiring))
            .filter(n::deadline.lt(today)),
    )
    .set((
        n::status.eq(NeedStatus::Expired.as_str()),
        n::listed.eq(false),
        n::version.eq(n::version + 1),
        n::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// The keyset of the public order.
pub type PublicKey = (i32, NaiveDate, String);

/// Filters of the public listing and of matching.
#[derive(Debug, Clone)]
pub struct OpenNeedQuery {
    pub within: Option<RegionCode>,
    pub category: Option<String>,
    pub target_group: Option<String>,
    pub urgency_rank: Option<i32>,
    /// Only needs with at least this much left (in their own measure).
    pub min_remaining: Option<i64>,
    pub today: NaiveDate,
    pub after: Option<PublicKey>,
    pub limit: i64,
}

/// Listed needs in (urgency, deadline, id) order, from the index of the filter's region
/// level, continuing after the keyset `after`.
pub fn list_open(conn: &mut DbConn, q: &OpenNeedQuery) -> Result<Vec<NeedRow>, PersistenceError> {
    let mut query = n::table
        .select(NeedRow::as_select())
        .filter(n::listed.eq(true))
        .filter(n::deadline.ge(q.today))
        .order((n::urgency_rank, n::deadline, n::id))
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let code = region.as_str().to_owned();
        query = match region.level() {
            RegionLevel::Province => query,
            RegionLevel::City => query.filter(n::city_code.eq(code)),
            RegionLevel::County => query.filter(n::county_code.eq(code)),
            RegionLevel::Township => query.filter(n::township_code.eq(code)),
            RegionLevel::Village => query.filter(n::region_code.eq(code)),
        };
    }
    if let Some(c) = &q.category {
        query = query.filter(n::category.eq(c.clone()));
    }
    if let Some(g) = &q.target_group {
        query = query.filter(n::target_group.eq(g.clone()));
    }
    if let Some(r) = q.urgency_rank {
        query = query.filter(n::urgency_rank.eq(r));
    }
    if let Some(min) = q.min_remaining {
        query = query.filter(n::asked.ge(n::pledged + min));
    }
    if let Some((rank, deadline, id)) = &q.after {
        query = query.filter(
            sql::<Bool>("(urgency_rank, deadline, id) > (")
                .bind::<Integer, _>(*rank)
                .sql(", ")
                .bind::<Date, _>(*deadline)
                .sql(", ")
                .bind::<Text, _>(id.clone())
                .sql(")"),
        );
    }
    Ok(query.load(conn)?)
}

/// Filters of the officials' listing (every status).
#[derive(Debug, Clone, Default)]
pub struct NeedQuery {
    pub within: Option<RegionCode>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// Needs by id (creation order) within a subtree.
pub fn list(conn: &mut DbConn, q: &NeedQuery) -> Result<Vec<NeedRow>, PersistenceError> {
    let mut query = n::table
        .select(NeedRow::as_select())
        .order(n::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(n::region_code.ge(low))
            .filter(n::region_code.lt(high));
    }
    if let Some(s) = &q.status {
        query = query.filter(n::status.eq(s.clone()));
    }
    if let Some(c) = &q.category {
        query = query.filter(n::category.eq(c.clone()));
    }
    if let Some(h) = &q.household_id {
        query = query.filter(n::household_id.eq(h.clone()));
    }
    if let Some(v) = &q.village_id {
        query = query.filter(n::village_id.eq(v.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(n::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

pub fn find_many(conn: &mut DbConn, ids: &[String]) -> Result<Vec<Need>, PersistenceError> {
    n::table
        .filter(n::id.eq_any(ids))
        .select(NeedRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Need::try_from)
        .collect()
}
