//! Activities organised by verified organisations: organising one, listing them, signing
//! up, and the organiser recording attendance.

use domain::identity::{Action, Principal};
use domain::volunteer::{Activity, ActivitySpec};
use persistence::crypto::DataKeys;
use persistence::page::{Page, PageRequest};
use persistence::volunteer as store;
use persistence::{DbConn, write_transaction};

use crate::service::social_org::acting_organization;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Organise an activity in the name of the caller's verified organisation.
pub fn create_activity(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    spec: ActivitySpec,
    description: Option<String>,
) -> ServiceResult<Activity> {
    write_transaction(conn, |conn| {
        let org = acting_organization(conn, keys, who)?;
        let activity = Activity {
            id: uuid::Uuid::now_v7().to_string(),
            organization_id: org.id,
            spec: spec.clone(),
            description: description.clone(),
            created_by: who.id().to_owned(),
            created_at: now(),
        };
        store::insert_activity(conn, &activity)?;
        Audit::by(who, "volunteer_activity.create")
            .on("volunteer_activity", &activity.id)
            .record(conn, meta)?;
        Ok(activity)
    })
}

/// Activities volunteers can join.
pub fn list_activities(
    conn: &mut DbConn,
    page: PageRequest<String>,
) -> ServiceResult<Page<Activity>> {
    Ok(store::list_activities(conn, &page)?)
}

/// The activity `id` (404 if unknown).
pub(super) fn find(conn: &mut DbConn, id: &str) -> ServiceResult<Activity> {
    store::find_activity(conn, id)?.ok_or_else(ServiceError::not_found)
}

/// The activity `id` for its organiser: 404 if unknown, 403 for anyone but a member of the
/// organising organisation.
pub(super) fn organised(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Activity> {
    let activity = find(conn, id)?;
    if !activity.is_organised_by(who.organization_id.as_deref()) {
        return Err(ServiceError::forbidden());
    }
    Ok(activity)
}

/// Sign the caller up for an activity (volunteers with a profile; again is no change).
pub fn sign_up(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<()> {
    who.may(Action::Volunteer)?;
    write_transaction(conn, |conn| {
        find(conn, id)?;
        store::find(conn, who.id())?.ok_or_else(|| {
            ServiceError::field(
                "volunteer",
                "no_profile",
                "create your volunteer profile first (PUT /volunteers/me)",
                "请先填写志愿者资料（PUT /volunteers/me）",
            )
        })?;
        Ok(store::sign_up(conn, id, who.id(), now())?)
    })
}

/// The organiser records that a signed-up volunteer attended.
pub fn mark_attendance(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    volunteer_id: &str,
) -> ServiceResult<()> {
    write_transaction(conn, |conn| {
        let activity = organised(conn, who, id)?;
        if !store::mark_attended(conn, &activity.id, volunteer_id, now())? {
            return Err(ServiceError::field(
                "volunteer_id",
                "not_signed_up",
                "this volunteer did not sign up for the activity",
                "该志愿者未报名此活动",
            ));
        }
        Audit::by(who, "volunteer_activity.attendance")
            .on("volunteer_activity", &activity.id)
            .details(serde_json::json!({"volunteer_id": volunteer_id}))
            .record(conn, meta)
    })
}
