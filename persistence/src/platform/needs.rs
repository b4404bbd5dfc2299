//! Needs (需求). The capacity guard lives here: [`take_capacity`] is one conditional
//! `UPDATE`, so two pledges can never both take the last unit.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Date, Integer, Text};

use domain::platform::{Amount, Need, NeedCategory, NeedStatus, TargetGroup, Urgency};
use domain::region::{RegionCode, RegionLevel};
use domain::registry::PovertyCause;

use crate::page::{Page, PageRequest};
use crate::schema::needs as n;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = n)]
struct NeedRow {
    id: String,
    household_id: Option<String>,
    village_id: Option<String>,
    region_code: String,
    township_code: String,
    county_code: String,
    city_code: String,
    place_name: String,
    pseudonym: String,
    cause: Option<String>,
    category: String,
    target_group: Option<String>,
    title: String,
    description: String,
    unit: Option<String>,
    asked: i64,
    pledged: i64,
    urgency: String,
    urgency_rank: i32,
    deadline: NaiveDate,
    evidence: String,
    status: String,
    listed: bool,
    status_reason: Option<String>,
    created_by: Option<String>,
    reviewed_by: Option<String>,
    published_at: Option<NaiveDateTime>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
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

/// The three region levels above a village (township, county, city), for the level indexes.
fn level_codes(village: &RegionCode) -> (String, String, String) {
    let township = village.parent().map(|t| t.to_string()).unwrap_or_default();
    let county = village.county();
    let city = county.as_ref().and_then(RegionCode::parent);
    (
        township,
        county.map(|c| c.to_string()).unwrap_or_default(),
        city.map(|c| c.to_string()).unwrap_or_default(),
    )
}

impl From<&Need> for NeedRow {
    fn from(need: &Need) -> Self {
        let (township_code, county_code, city_code) = level_codes(&need.place);
        NeedRow {
            id: need.id.clone(),
            household_id: need.household_id.clone(),
            village_id: need.village_id.clone(),
            region_code: need.place.to_string(),
            township_code,
            county_code,
            city_code,
            place_name: need.place_name.clone(),
            pseudonym: need.pseudonym.clone(),
            cause: need.cause.map(|c| c.as_str().to_owned()),
            category: need.category.as_str().to_owned(),
            target_group: need.target_group.map(|g| g.as_str().to_owned()),
            title: need.title.clone(),
            description: need.description.clone(),
            unit: need.asked.unit.clone(),
            asked: need.asked.value,
            pledged: need.pledged,
            urgency: need.urgency.as_str().to_owned(),
            urgency_rank: urgency_rank(need.urgency),
            deadline: need.deadline,
            evidence: serde_json::to_string(&need.evidence).unwrap_or_else(|_| "[]".to_owned()),
            status: need.status.as_str().to_owned(),
            listed: listed(need.status),
            status_reason: need.status_reason.clone(),
            created_by: need.created_by.clone(),
            reviewed_by: need.reviewed_by.clone(),
            published_at: need.published_at.map(|t| t.naive_utc()),
            version: need.version,
            created_at: need.created_at.naive_utc(),
            updated_at: need.updated_at.naive_utc(),
        }
    }
}

/// The order of the public listing and of matching: most urgent first (0 = high).
fn urgency_rank(u: Urgency) -> i32 {
    match u {
        Urgency::High => 0,
        Urgency::Medium => 1,
        Urgency::Low => 2,
    }
}

/// Whether a need in this status sits in the public listing (open for pledges).
fn listed(status: NeedStatus) -> bool {
    status.takes_pledges()
}

fn decode(rows: Vec<NeedRow>) -> Result<Vec<Need>, PersistenceError> {
    rows.into_iter().map(Need::try_from).collect()
}

pub fn insert(conn: &mut DbConn, need: &Need) -> Result<(), PersistenceError> {
    diesel::insert_into(n::table)
        .values(NeedRow::from(need))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Need>, PersistenceError> {
    n::table
        .find(id)
        .select(NeedRow::as_select())
        .first(conn)
        .optional()?
        .map(Need::try_from)
        .transpose()
}

/// What an edit or a lifecycle step writes: content and status, never the capacity
/// (only [`take_capacity`] and [`give_back_capacity`] move it) nor whom the need is for.
#[derive(AsChangeset)]
#[diesel(table_name = n, treat_none_as_null = true)]
struct NeedChanges {
    category: String,
    target_group: Option<String>,
    title: String,
    description: String,
    unit: Option<String>,
    asked: i64,
    urgency: String,
    urgency_rank: i32,
    deadline: NaiveDate,
    evidence: String,
    status: String,
    listed: bool,
    status_reason: Option<String>,
    reviewed_by: Option<String>,
    published_at: Option<NaiveDateTime>,
    version: i32,
    updated_at: NaiveDateTime,
}

impl From<NeedRow> for NeedChanges {
    fn from(r: NeedRow) -> Self {
        NeedChanges {
            category: r.category,
            target_group: r.target_group,
            title: r.title,
            description: r.description,
            unit: r.unit,
            asked: r.asked,
            urgency: r.urgency,
            urgency_rank: r.urgency_rank,
            deadline: r.deadline,
            evidence: r.evidence,
            status: r.status,
            listed: r.listed,
            status_reason: r.status_reason,
            reviewed_by: r.reviewed_by,
            published_at: r.published_at,
            version: r.version,
            updated_at: r.updated_at,
        }
    }
}

/// Writes `need`'s content and status if the stored version is still `expected_version`;
/// `false` if it is not.
pub fn update(
    conn: &mut DbConn,
    need: &Need,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let changes = NeedChanges::from(NeedRow::from(need));
    Ok(diesel::update(
        n::table
            .find(&need.id)
            .filter(n::version.eq(expected_version)),
    )
    .set(&changes)
    .execute(conn)?
        == 1)
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

/// Where a need stands in the public order.
pub fn public_key(need: &Need) -> PublicKey {
    (urgency_rank(need.urgency), need.deadline, need.id.clone())
}

/// Filters of the public listing and of matching.
#[derive(Debug, Clone)]
pub struct OpenNeedQuery {
    pub within: Option<RegionCode>,
    pub category: Option<NeedCategory>,
    pub target_group: Option<TargetGroup>,
    pub urgency: Option<Urgency>,
    /// Only needs with at least this much left (in their own measure).
    pub min_remaining: Option<i64>,
    pub today: NaiveDate,
    pub after: Option<PublicKey>,
    pub limit: i64,
}

/// Listed needs in (urgency, deadline, id) order, from the index of the filter's region
/// level, continuing after the keyset `after`.
pub fn list_open(conn: &mut DbConn, q: &OpenNeedQuery) -> Result<Vec<Need>, PersistenceError> {
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
    if let Some(c) = q.category {
        query = query.filter(n::category.eq(c.as_str()));
    }
    if let Some(g) = q.target_group {
        query = query.filter(n::target_group.eq(g.as_str()));
    }
    if let Some(u) = q.urgency {
        query = query.filter(n::urgency_rank.eq(urgency_rank(u)));
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
    decode(query.load(conn)?)
}

/// Filters of the officials' listing (every status).
#[derive(Debug, Clone, Default)]
pub struct NeedQuery {
    pub within: Option<RegionCode>,
    pub status: Option<NeedStatus>,
    pub category: Option<NeedCategory>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
}

/// Needs by id (creation order) within a subtree, a page at a time.
pub fn list(
    conn: &mut DbConn,
    q: &NeedQuery,
    page: &PageRequest<String>,
) -> Result<Page<Need>, PersistenceError> {
    let mut query = n::table
        .select(NeedRow::as_select())
        .order(n::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(s) = q.status {
        query = query.filter(n::status.eq(s.as_str()));
    }
    if let Some(c) = q.category {
        query = query.filter(n::category.eq(c.as_str()));
    }
    if let Some(h) = &q.household_id {
        query = query.filter(n::household_id.eq(h.clone()));
    }
    if let Some(v) = &q.village_id {
        query = query.filter(n::village_id.eq(v.clone()));
    }
    let query = crate::keyset_in_subtree!(
        query,
        region = n::region_code,
        within = q.within.as_ref(),
        key = n::id,
        after = page.after.as_ref()
    );
    Ok(Page::from_fetched(
        decode(query.load(conn)?)?,
        page.limit,
        |need| need.id.clone(),
    ))
}

pub fn find_many(conn: &mut DbConn, ids: &[String]) -> Result<Vec<Need>, PersistenceError> {
    decode(
        n::table
            .filter(n::id.eq_any(ids))
            .select(NeedRow::as_select())
            .load(conn)?,
    )
}
