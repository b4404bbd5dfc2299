//! What a person did in a year, and the "lead by example" tally of public bodies' staff by
//! work unit.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use domain::identity::{Action, Principal, today_in_china};
use domain::individual::{Participation, WorkUnitTally, tally_by_unit};
use domain::input::calendar_year;
use domain::region::RegionCode;
use domain::social_org::{Organization, OrganizationKind};
use persistence::crypto::DataKeys;
use persistence::individual::{self as store, UnitQuery};
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, read_snapshot};

use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{ServiceError, ServiceResult};

/// The caller's participation in `year` (default this year).
pub fn my_participation(
    conn: &mut DbConn,
    who: &Principal,
    year: Option<i32>,
) -> ServiceResult<(i32, Participation)> {
    let year = year.unwrap_or_else(|| today_in_china().year());
    let (from, until) =
        calendar_year(year, "year").map_err(|e| ServiceError::invalid_parameters(vec![e]))?;
    Ok((
        year,
        store::participation_of_person(conn, who.id(), from, until)?,
    ))
}

/// What the tally by work unit asks for.
#[derive(Debug, Clone)]
pub struct UnitFilter {
    pub year: i32,
    /// The year's first and last day.
    pub days: (NaiveDate, NaiveDate),
    pub region: Option<RegionCode>,
    pub kind: Option<OrganizationKind>,
    pub page: PageRequest<String>,
}

/// A page of work units, each with its tally.
pub type UnitTallies = Page<(Organization, WorkUnitTally)>;

/// The units of the caller's jurisdiction with confirmed staff, and what their staff did.
pub fn work_unit_participation(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    filter: UnitFilter,
) -> ServiceResult<UnitTallies> {
    who.may(Action::ReadParticipation)?;
    let Reach::Within(within) = narrow(scope_of(who)?, filter.region) else {
        return Ok(Page::empty());
    };
    let query = UnitQuery {
        within,
        kind: filter.kind,
        page: filter.page,
    };
    let (from, until) = filter.days;
    let (units, tallies) = read_snapshot(conn, |conn| tally_page(conn, keys, &query, from, until))?;
    Ok(units.map(|u| {
        let t = tallies.get(&u.id).copied().unwrap_or_default();
        (u, t)
    }))
}

/// A page of units and their tallies, read on one snapshot so a claim decided meanwhile
/// cannot make the staff and their participation disagree.
fn tally_page(
    conn: &mut DbConn,
    keys: &DataKeys,
    query: &UnitQuery,
    from: NaiveDate,
    until: NaiveDate,
) -> ServiceResult<(Page<Organization>, BTreeMap<String, WorkUnitTally>)> {
    let units = store::units_with_staff(conn, keys, query)?;
    let ids: Vec<String> = units.items.iter().map(|u| u.id.clone()).collect();
    let staff = store::confirmed_staff(conn, &ids)?;
    let participation = store::participation_of_staff(conn, &ids, from, until)?;
    let tallies = tally_by_unit(
        staff.iter().map(|(u, p)| (u.as_str(), p.as_str())),
        &participation,
    );
    Ok((units, tallies))
}
