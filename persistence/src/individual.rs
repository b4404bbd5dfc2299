//! Individuals (task 3): the work units people name, and the participation records counted
//! for them. Claims are replaced whole; decisions are conditional updates on the claim still
//! being pending, so two deciders never both succeed.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use domain::individual::{AffiliationStatus, Participation, StaffClaim, WorkUnitClaim};
use domain::region::RegionCode;
use domain::social_org::{Organization, OrganizationKind};

use crate::page::{Page, PageRequest};
use crate::schema::{
    campaign_participants as cp, donations as d, organizations as o, pairings as p, pledges as pl,
    staff_affiliations as a, volunteer_hours as h,
};
use crate::social_org::OrganizationRow;
use crate::{DbConn, PersistenceError, keyset_in_subtree};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
struct AffiliationRow {
    user_id: String,
    organization_id: String,
    status: String,
    status_reason: Option<String>,
    claimed_at: NaiveDateTime,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
}

impl From<&WorkUnitClaim> for AffiliationRow {
    fn from(c: &WorkUnitClaim) -> Self {
        Self {
            user_id: c.user_id.clone(),
            organization_id: c.organization_id.clone(),
            status: c.status.as_str().to_owned(),
            status_reason: c.status_reason.clone(),
            claimed_at: c.claimed_at,
            decided_by: c.decided_by.clone(),
            decided_at: c.decided_at,
        }
    }
}

impl TryFrom<AffiliationRow> for WorkUnitClaim {
    type Error = PersistenceError;

    fn try_from(r: AffiliationRow) -> Result<Self, PersistenceError> {
        Ok(WorkUnitClaim {
            status: AffiliationStatus::parse(&r.status)?,
            user_id: r.user_id,
            organization_id: r.organization_id,
            status_reason: r.status_reason,
            claimed_at: r.claimed_at,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
        })
    }
}

const CONFIRMED: &str = "confirmed";

/// Replaces a person's claim (call inside a write transaction).
pub fn claim(conn: &mut DbConn, claim: &WorkUnitClaim) -> Result<(), PersistenceError> {
    diesel::delete(a::table.find(&claim.user_id)).execute(conn)?;
    diesel::insert_into(a::table)
        .values(AffiliationRow::from(claim))
        .execute(conn)?;
    Ok(())
}

/// Removes a person's claim; `false` if they had none.
pub fn withdraw(conn: &mut DbConn, user_id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(a::table.find(user_id)).execute(conn)? == 1)
}

pub fn find(conn: &mut DbConn, user_id: &str) -> Result<Option<WorkUnitClaim>, PersistenceError> {
    a::table
        .find(user_id)
        .select(AffiliationRow::as_select())
        .first(conn)
        .optional()?
        .map(WorkUnitClaim::try_from)
        .transpose()
}

/// Stores a decided claim if the claim still names the unit and still has status `from`;
/// `false` if it changed meanwhile.
pub fn decide(
    conn: &mut DbConn,
    decided: &WorkUnitClaim,
    from: AffiliationStatus,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        a::table
            .filter(a::user_id.eq(&decided.user_id))
            .filter(a::organization_id.eq(&decided.organization_id))
            .filter(a::status.eq(from.as_str())),
    )
    .set((
        a::status.eq(decided.status.as_str()),
        a::status_reason.eq(&decided.status_reason),
        a::decided_by.eq(&decided.decided_by),
        a::decided_at.eq(decided.decided_at),
    ))
    .execute(conn)?
        == 1)
}

#[derive(Debug, Clone)]
pub struct StaffQuery {
    pub organization_id: String,
    pub status: Option<AffiliationStatus>,
    pub page: PageRequest<String>,
}

/// A unit's claims with the claimant's public display name, in user-id order.
pub fn list_staff(conn: &mut DbConn, q: &StaffQuery) -> Result<Page<StaffClaim>, PersistenceError> {
    use crate::schema::users as u;
    let mut query = a::table
        .inner_join(u::table.on(u::id.eq(a::user_id)))
        .filter(a::organization_id.eq(q.organization_id.clone()))
        .select((AffiliationRow::as_select(), u::display_name))
        .order(a::user_id)
        .limit(q.page.fetch())
        .into_boxed();
    if let Some(s) = q.status {
        query = query.filter(a::status.eq(s.as_str()));
    }
    if let Some(after) = &q.page.after {
        query = query.filter(a::user_id.gt(after.clone()));
    }
    let items = query
        .load::<(AffiliationRow, Option<String>)>(conn)?
        .into_iter()
        .map(|(row, display_name)| {
            Ok(StaffClaim {
                claim: WorkUnitClaim::try_from(row)?,
                display_name,
            })
        })
        .collect::<Result<Vec<_>, PersistenceError>>()?;
    Ok(Page::from_fetched(items, q.page.limit, |x: &StaffClaim| {
        x.claim.user_id.clone()
    }))
}

#[derive(Debug, Clone)]
pub struct UnitQuery {
    pub within: Option<RegionCode>,
    pub kind: Option<OrganizationKind>,
    pub page: PageRequest<String>,
}

/// A page of work units with at least one confirmed staff member, in id order.
pub fn units_with_staff(
    conn: &mut DbConn,
    keys: &crate::crypto::DataKeys,
    q: &UnitQuery,
) -> Result<Page<Organization>, PersistenceError> {
    let confirmed = a::table
        .filter(a::status.eq(CONFIRMED))
        .select(a::organization_id);
    let mut query = keyset_in_subtree!(
        o::table
            .filter(o::id.eq_any(confirmed))
            .select(OrganizationRow::as_select())
            .order(o::id)
            .limit(q.page.fetch())
            .into_boxed(),
        region = o::region_code,
        within = q.within.as_ref(),
        key = o::id,
        after = q.page.after.as_ref(),
    );
    if let Some(kind) = q.kind {
        query = query.filter(o::kind.eq(kind.as_str()));
    }
    let items = crate::social_org::decode(query.load(conn)?, keys)?;
    Ok(Page::from_fetched(
        items,
        q.page.limit,
        |x: &Organization| x.id.clone(),
    ))
}

/// The confirmed staff of these units, as (unit, person).
pub fn confirmed_staff(
    conn: &mut DbConn,
    units: &[String],
) -> Result<Vec<(String, String)>, PersistenceError> {
    Ok(a::table
        .filter(a::organization_id.eq_any(units))
        .filter(a::status.eq(CONFIRMED))
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
            // Only gifts their receivers confirmed (and did not refund or void) count.
            .filter(d::status.eq(domain::donation::DonationStatus::Confirmed.as_str()))
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
            .filter(a::status.eq(CONFIRMED))
            .select(a::user_id)
    };
    participation_where!(conn, staff(), from, until)
}
