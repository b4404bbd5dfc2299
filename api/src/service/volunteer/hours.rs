//! Hours: logged by the volunteer within an activity they signed up for, certified once by
//! the organiser.

use domain::identity::{Action, Principal, today_in_china};
use domain::volunteer::{HoursEntry, check_daily_total, parse_hours};
use persistence::volunteer as store;
use persistence::{DbConn, write_transaction};

use super::activities::{find, organised};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Hours as a volunteer reports them, checked against the activity's period.
#[derive(Debug, Clone, Default)]
pub struct HoursDraft {
    /// 0.5 to 24.
    pub hours: Option<f64>,
    /// `YYYY-MM-DD`, within the activity, not in the future.
    pub date: Option<String>,
    pub note: Option<String>,
}

/// Log hours served in an activity the caller signed up for; they count once certified.
pub fn log_hours(
    conn: &mut DbConn,
    who: &Principal,
    id: &str,
    draft: &HoursDraft,
) -> ServiceResult<HoursEntry> {
    who.may(Action::Volunteer)?;
    write_transaction(conn, |conn| {
        let activity = find(conn, id)?;
        if !store::is_signed_up(conn, id, who.id())? {
            return Err(ServiceError::field(
                "activity",
                "not_signed_up",
                "sign up for the activity first",
                "请先报名参加该活动",
            ));
        }
        let period = (activity.spec.starts_on, activity.spec.ends_on);
        let (tenths, served_on) =
            parse_hours(draft.hours, draft.date.as_deref(), period, today_in_china())
                .map_err(ServiceError::validation)?;
        let logged = store::tenths_logged_on(conn, who.id(), served_on)?;
        check_daily_total(logged, tenths).map_err(|e| ServiceError::validation(vec![e]))?;
        let entry = HoursEntry {
            id: uuid::Uuid::now_v7().to_string(),
            activity_id: activity.id,
            volunteer_id: who.id().to_owned(),
            served_on,
            tenths,
            note: domain::platform::parse_note(draft.note.as_deref())?,
            certification: None,
            created_at: chrono::Utc::now().naive_utc(),
        };
        store::insert_hours(conn, &entry)?;
        Ok(entry)
    })
}

/// The organiser certifies an entry of hours logged in their activity (once).
pub fn certify_hours(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    activity_id: &str,
    hours_id: &str,
) -> ServiceResult<HoursEntry> {
    write_transaction(conn, |conn| {
        let activity = organised(conn, who, activity_id)?;
        let entry = store::find_hours(conn, hours_id)?
            .filter(|h| h.activity_id == activity.id)
            .ok_or_else(ServiceError::not_found)?;
        let already =
            || ServiceError::conflict("这些时长已经认证过。", "These hours are already certified.");
        let certified = entry
            .certify(who.id(), chrono::Utc::now().naive_utc())
            .map_err(|_| already())?;
        if !store::certify(conn, &certified)? {
            return Err(already());
        }
        Audit::by(who, "volunteer_hours.certify")
            .on("volunteer_hours", &certified.id)
            .record(conn, meta)?;
        Ok(certified)
    })
}
