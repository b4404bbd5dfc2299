//! A volunteer's profile, the volunteers of a jurisdiction, and a volunteer's service record.

use domain::identity::{Action, Principal};
use domain::region::RegionCode;
use domain::volunteer::{ProfileSpec, ServiceRecord, Volunteer, VolunteerKind};
use persistence::page::{Page, PageRequest};
use persistence::volunteer::{self as store, VolunteerQuery};
use persistence::{DbConn, write_transaction};

use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{ServiceError, ServiceResult};

/// Create or replace the caller's volunteer profile (volunteers).
pub fn save_profile(
    conn: &mut DbConn,
    who: &Principal,
    spec: ProfileSpec,
) -> ServiceResult<Volunteer> {
    who.may(Action::Volunteer)?;
    if let Some(region) = &spec.region
        && persistence::region::find(conn, region)?.is_none()
    {
        return Err(ServiceError::field(
            "region_code",
            "unknown_region",
            "no such region",
            "该地区不存在",
        ));
    }
    let now = chrono::Utc::now().naive_utc();
    let volunteer = Volunteer {
        user_id: who.id().to_owned(),
        profile: spec,
        created_at: now,
        updated_at: now,
    };
    write_transaction(conn, |conn| store::upsert(conn, &volunteer))?;
    Ok(volunteer)
}

/// What a list of volunteers asks for.
#[derive(Debug, Clone)]
pub struct VolunteerFilter {
    pub region: Option<RegionCode>,
    pub kind: Option<VolunteerKind>,
    pub page: PageRequest<String>,
}

/// The volunteers of the caller's jurisdiction; those who gave no region are listed to
/// platform-wide callers only.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: VolunteerFilter,
) -> ServiceResult<Page<Volunteer>> {
    who.may(Action::ReadParticipation)?;
    let Reach::Within(within) = narrow(scope_of(who)?, filter.region) else {
        return Ok(Page::empty());
    };
    let query = VolunteerQuery {
        within,
        kind: filter.kind,
        page: filter.page,
    };
    Ok(store::list(conn, &query)?)
}

/// The volunteer `id` as the caller may see their record: themself, or a reader of
/// participation whose jurisdiction holds their region (404 otherwise).
fn load(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Volunteer> {
    store::find(conn, id)?
        .filter(|v| v.record_visible_to(who))
        .ok_or_else(ServiceError::not_found)
}

/// A volunteer's service record: every entry, the activities attended, certified hours.
pub fn service_record(
    conn: &mut DbConn,
    who: &Principal,
    id: &str,
) -> ServiceResult<ServiceRecord> {
    let volunteer = load(conn, who, id)?;
    Ok(ServiceRecord {
        activities_attended: store::attended_count(conn, &volunteer.user_id)?,
        entries: store::hours_of(conn, &volunteer.user_id)?,
        volunteer,
    })
}
