//! Individuals (task 3): the work units people name, and the participation records counted
//! for them. Claims are replaced whole; decisions are conditional updates on the claim still
//! being pending, so two deciders never both succeed.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use domain::individual::Participation;
use domain::region::RegionCode;

use crate::schema::{
    campaign_participants as cp, donations as d, organizations as o, pairings as p, pledges as pl,
    staff_affiliations as a, volunteer_hours as h,
};
use crate::social_org::OrganizationRow;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
pub struct AffiliationRow {
    pub user_id: String,
    pub organization_id: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub claimed_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

/// Replaces a person's claim (call inside a write transaction).
pub fn claim(conn: &mut DbConn, row: &AffiliationRow) -> Result<(), PersistenceError> {
    diesel::delete(a::table.find(&row.user_id)).execute(conn)?;
    diesel::insert_into(a::table).values(row).execute(conn)?;
    Ok(())
}

/// Removes a person's claim; `false` if they had none.
pub fn withdraw(conn: &mut DbConn, user_id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(a::table.find(user_id)).execute(conn)? == 1)
}

pub fn find(conn: &mut DbConn, user_id: &str) -> Result<Option<AffiliationRow>, PersistenceError> {
    Ok(a::table
        .find(user_id)
        .select(AffiliationRow::as_select())
        .first(conn)
        .optional()?)
}

/// A decision on a claim.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub user_id: &'a str,
    pub organization_id: &'a str,
    /// The status the claim must still have.
    pub from: &'a str,
    pub to: &'a str,
    pub reason: Option<&'a str>,
    pub by: &'a str,
    pub at: NaiveDateTime,
}

/// Applies a decision if the claim still names the unit and still has `from`; `false` if it
/// changed meanwhile.
pub fn decide(conn: &mut DbConn, d: &Decision<'_>) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        a::table
            .filter(a::user_id.eq(d.user_id))
            .filter(a::organization_id.eq(d.organization_id))
            .filter(a::status.eq(d.from)),
    )
    .set((
        a::status.eq(d.to),
        a::status_reason.eq(d.reason),
        a::decided_by.eq(d.by),
        a::decided_at.eq(d.at),
    ))
    .execute(conn)?
        == 1)
}

#[derive(Debug, Clone, Default)]
pub struct StaffQuery {
    pub organization_id: String,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// A unit's claims with the claimant's public display name, in user-id order.
pub fn list_staff(
    conn: &mut DbConn,
    q: &StaffQuery,
) -> Result<Vec<(AffiliationRow, Option<String>)>, PersistenceError> {
    use crate::schema::users as u;
    let mut query = a::table
        .inner_join(u::table.on(u::id.eq(a::user_id)))
        .filter(a::organization_id.eq(q.organization_id.clone()))
        .select((AffiliationRow::as_select(), u::display_name))
        .order(a::user_id)
        .limit(q.limit)
        .into_boxed();
    if let Some(s) = &q.status {
        query = query.filter(a::status.eq(s.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(a::user_id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct UnitQuery {
    pub within: Option<RegionCode>,
    pub kind: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// A page of work units with at least one confirmed staff member, in id order.
pub fn units_with_staff(
    conn: &mut DbConn,
    keys: &crate::crypto::DataKeys,
    q: &UnitQuery,
) -> Result<Vec<domain::social_org::Organization>, PersistenceError> {
    let confirmed = a::table
        .filter(a::status.eq("confirmed"))
        .select(a::organization_id);
    let mut query = o::table
        .filter(o::id.eq_any(confirmed))
        .select(OrganizationRow::as_select())
        .order(o::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(o::region_code.ge(low))
            .filter(o::region_code.lt(high));
    }
    if let Some(kind) = &q.kind {
        query = query.filter(o::kind.eq(kind.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(o::id.gt(after.clone()));
    }
    crate::social_org::decode(query.load(conn)?, keys)
}

/// The confirmed staff of these units, as (unit, person).
pub fn confirmed_staff(
    conn: &mut DbConn,
    units: &[String],
) -> Result<Vec<(String, String)>, PersistenceError> {
    Ok(a::table
        .filter(a::organization_id.eq_any(units))
        .filter(a::status.eq("confirmed"))
        .select((a::organization_id, a::user_id))
        .load(conn)?)
}

/// Sums each form of participation per person for the people `$who` selects (a list of
/// ids or a subquery of user ids), in the days `$from..=$until` (China time).
macro_rules! participation_where {
    ($conn:expr, $who:expr, $from:expr, $until:expr) => {{
        let (from, until): (NaiveDate, NaiveDate) = ($from, $until);
        // Timestamps are stored in UTC; the day starts at 00:00 in China (UTC+8).
        let start = from.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8);
        let end = until.and_time(chrono::NaiveTime::MIN) + chrono::Duration::hours(16);
        let mut out: HashMap<String, Participation> = HashMap::new();
        let gifts: Vec<(String, i64, i64)> = d::table
            .filter(d::donor_id.eq_any($who))
            .filter(d::donated_on.between(from, until))
            .group_by(d::donor_id)
            .select((
                d::donor_id,
                count_star(),
                sql::<BigInt>("CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT)"),
            ))
            .load($conn)?;
        for (who, n, fen) in gifts {
            let e = out.entry(who).or_default();
            e.donations = n;
            e.donated_fen = fen;
        }
        let hours: Vec<(String, i64)> = h::table
            .filter(h::volunteer_id.eq_any($who))
            .filter(h::served_on.between(from, until))
            .filter(h::certified_at.is_not_null())
            .group_by(h::volunteer_id)
            .select((
                h::volunteer_id,
                sql::<BigInt>("CAST(COALESCE(SUM(tenths), 0) AS BIGINT)"),
            ))
            .load($conn)?;
        for (who, tenths) in hours {
            out.entry(who).or_default().volunteer_tenths = tenths;
        }
        let pairings: Vec<(String, i64)> = p::table
            .filter(p::participant_id.eq_any($who))
            .filter(p::status.eq_any(["active", "ended"]))
            .filter(p::starts_on.le(until))
            .filter(p::ends_on.is_null().or(p::ends_on.ge(from)))
            .group_by(p::participant_id)
            .select((p::participant_id, count_star()))
            .load($conn)?;
        for (who, n) in pairings {
            out.entry(who).or_default().pairings = n;
        }
        let pledges: Vec<(String, i64)> = pl::table
            .filter(pl::pledger_id.eq_any($who))
            .filter(pl::status.eq("confirmed"))
            .filter(pl::confirmed_at.ge(start))
            .filter(pl::confirmed_at.lt(end))
            .group_by(pl::pledger_id)
            .select((pl::pledger_id, count_star()))
            .load($conn)?;
        for (who, n) in pledges {
            out.entry(who).or_default().confirmed_pledges = n;
        }
        let joined: Vec<(String, i64)> = cp::table
            .filter(cp::user_id.eq_any($who))
            .filter(cp::joined_at.ge(start))
            .filter(cp::joined_at.lt(end))
            .group_by(cp::user_id)
            .select((cp::user_id, count_star()))
            .load($conn)?;
        for (who, n) in joined {
            out.entry(who).or_default().campaigns_joined = n;
        }
        Ok(out)
    }};
}

/// One person's participation in the days `from..=until`.
pub fn participation_of_person(
    conn: &mut DbConn,
    person: &str,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Participation, PersistenceError> {
    let found: Result<HashMap<String, Participation>, PersistenceError> =
        participation_where!(conn, [person], from, until);
    Ok(found?.remove(person).unwrap_or_default())
}

/// The participation of the confirmed staff of these units, per person; people without any
/// record are absent. The database finds the staff itself (a semi-join on the units'
/// confirmed claims), so no list of people travels to it.
pub fn participation_of_staff(
    conn: &mut DbConn,
    units: &[String],
    from: NaiveDate,
    until: NaiveDate,
) -> Result<HashMap<String, Participation>, PersistenceError> {
    let staff = || {
        a::table
            .filter(a::organization_id.eq_any(units))
            .filter(a::status.eq("confirmed"))
            .select(a::user_id)
    };
    participation_where!(conn, staff(), from, until)
}
