//! `/api/v1/volunteers` and `/api/v1/volunteer-activities` (task 6): volunteer profiles,
//! activities run by verified organisations in villages, sign-up, hours logged by the
//! volunteer and certified by the organiser. Uncertified hours never count.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, Jurisdiction, Principal, Role, today_in_china};
use domain::region::RegionCode;
use domain::volunteer::{
    ActivitySpec, ActivityType, VolunteerKind, certified_total_tenths, parse_hours,
};
use persistence::volunteer::{self as store, ActivityRow, HoursRow, VolunteerRow};
use persistence::write_transaction;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, SignedIn, Unprocessable, WithBody,
};
use crate::service::scope::{Reach, narrow, place_of, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(put_profile)
        .service(list_volunteers)
        .service(service_record)
        .service(create_activity)
        .service(list_activities)
        .service(sign_up)
        .service(mark_attendance)
        .service(log_hours)
        .service(certify_hours);
}

fn invalid(field: &str, code: &'static str, en: &str, zh: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(field, code, en, zh)])
}

/// A volunteer's profile.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "student", "skills": ["数学", "英语"], "region_code": "210900", "availability": "周末"}))]
pub struct ProfileBody {
    /// `student`, `professional`, `retiree`, `other`.
    #[schema(schema_with = crate::openapi::labelled::<VolunteerKind>)]
    pub kind: String,
    #[serde(default)]
    pub skills: Vec<String>,
    pub region_code: Option<String>,
    pub availability: Option<String>,
}

/// Create or replace your volunteer profile (volunteers).
#[utoipa::path(
    tag = "participants", operation_id = "put_volunteer_profile", security(("bearer" = [])),
    request_body = ProfileBody,
    responses(
        (status = 200, description = "Saved", body = ProfileBody),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[put("/volunteers/me")]
pub async fn put_profile(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<ProfileBody>,
) -> Result<web::Json<ProfileBody>, ApiError> {
    if caller.role() != Some(Role::Volunteer) {
        return Err(ApiError::forbidden());
    }
    let b = body.into_inner();
    let mut errors = Vec::new();
    let kind = VolunteerKind::parse(&b.kind)
        .map_err(|e| errors.push(e))
        .ok();
    let region = b
        .region_code
        .as_deref()
        .map(|r| RegionCode::parse(r).map_err(|e| e.for_field("region_code")))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if b.skills.len() > 20
        || b.skills
            .iter()
            .any(|s| s.trim().is_empty() || s.chars().count() > 30 || s.contains(','))
    {
        errors.push(FieldError::new(
            "skills",
            "invalid",
            "up to 20 skills of 1 to 30 characters, without commas",
            "最多 20 项技能，每项 1 到 30 个字符，不含逗号",
        ));
    }
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let now = chrono::Utc::now().naive_utc();
    let row = VolunteerRow {
        user_id: caller.id().to_owned(),
        kind: kind.as_str().to_owned(),
        skills: b
            .skills
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(","),
        region_code: region.map(|r| r.to_string()),
        availability: b.availability.clone(),
        created_at: now,
        updated_at: now,
    };
    state
        .db(move |conn| {
            if let Some(r) = &row.region_code {
                persistence::region::find(conn, &RegionCode::parse(r)?)?.ok_or_else(|| {
                    invalid(
                        "region_code",
                        "unknown_region",
                        "no such region",
                        "该地区不存在",
                    )
                })?;
            }
            write_transaction(conn, |conn| Ok(store::upsert(conn, &row)?))
        })
        .await?;
    Ok(web::Json(ProfileBody {
        kind: kind.as_str().to_owned(),
        ..b
    }))
}

/// A volunteer as officials of their region see them.
#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerView {
    pub user_id: String,
    #[schema(schema_with = crate::openapi::labelled::<VolunteerKind>)]
    pub kind: String,
    pub skills: Vec<String>,
    pub region_code: Option<String>,
    pub availability: Option<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&VolunteerRow> for VolunteerView {
    fn from(r: &VolunteerRow) -> Self {
        VolunteerView {
            user_id: r.user_id.clone(),
            kind: r.kind.clone(),
            skills: r
                .skills
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            region_code: r.region_code.clone(),
            availability: r.availability.clone(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VolunteerListParams {
    /// Volunteers of this region (within the caller's own).
    pub region: Option<String>,
    /// `student`, `professional`, `retiree`, `other`.
    pub kind: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerPage {
    pub items: Vec<VolunteerView>,
    pub next_cursor: Option<String>,
}

/// The volunteers of the caller's jurisdiction (officials, evaluators, integration clients
/// with `platform:read`). Volunteers who gave no region are listed to platform-wide callers
/// only.
#[utoipa::path(
    tag = "participants", operation_id = "list_volunteers", security(("bearer" = [])), params(VolunteerListParams),
    responses(
        (status = 200, description = "A page of volunteers", body = VolunteerPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/volunteers")]
pub async fn list_volunteers(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<VolunteerListParams>,
) -> Result<web::Json<VolunteerPage>, ApiError> {
    caller
        .may(Action::ReadParticipation)
        .map_err(|_| ApiError::forbidden())?;
    let mut q = QueryReader::new();
    let region = q.region(params.region.as_deref());
    let kind = q.optional(params.kind.as_deref(), "kind", VolunteerKind::parse);
    let page = q.page::<String>(params.limit, params.cursor.as_deref())?;
    let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
        return Ok(web::Json(VolunteerPage {
            items: vec![],
            next_cursor: None,
        }));
    };
    let query = store::VolunteerQuery {
        within,
        kind: kind.map(|k| k.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.user_id.clone());
    Ok(web::Json(VolunteerPage {
        items: rows.iter().map(VolunteerView::from).collect(),
        next_cursor,
    }))
}

/// One activity a volunteer served in.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceEntry {
    pub hours_id: String,
    pub activity_id: String,
    pub served_on: chrono::NaiveDate,
    pub hours: f64,
    pub certified: bool,
}

/// A volunteer's service record: every entry, and the total of certified hours only.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRecord {
    pub volunteer_id: String,
    #[schema(schema_with = crate::openapi::labelled::<VolunteerKind>)]
    pub kind: String,
    /// Activities the organiser saw them attend.
    pub activities_attended: i64,
    /// Certified hours only.
    pub certified_hours: f64,
    /// Logged but not (yet) certified: shown, never counted.
    pub uncertified_hours: f64,
    pub entries: Vec<ServiceEntry>,
}

/// A volunteer's service record (the volunteer; officials and evaluators whose jurisdiction
/// holds the volunteer's region; platform-wide callers for any).
#[utoipa::path(
    tag = "participants", operation_id = "volunteer_service_record", security(("bearer" = [])),
    params(("id" = String, Path, description = "The volunteer's user id")),
    responses(
        (status = 200, description = "The record", body = ServiceRecord),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/volunteers/{id}/record")]
pub async fn service_record(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ServiceRecord>, ApiError> {
    let principal = caller.principal.clone();
    let record = state
        .db(move |conn| {
            let profile = store::find(conn, &id)?.ok_or_else(ApiError::not_found)?;
            if !may_read_record(&principal, &profile)? {
                return Err(ApiError::not_found());
            }
            let hours = store::hours_of(conn, &id)?;
            let certified =
                certified_total_tenths(hours.iter().map(|h| (h.tenths, h.certified_at.is_some())));
            let all: i64 = hours.iter().map(|h| i64::from(h.tenths)).sum();
            Ok(ServiceRecord {
                volunteer_id: profile.user_id.clone(),
                kind: profile.kind.clone(),
                activities_attended: store::attended_count(conn, &id)?,
                certified_hours: certified as f64 / 10.0,
                uncertified_hours: (all - certified) as f64 / 10.0,
                entries: hours
                    .iter()
                    .map(|h| ServiceEntry {
                        hours_id: h.id.clone(),
                        activity_id: h.activity_id.clone(),
                        served_on: h.served_on,
                        hours: f64::from(h.tenths) / 10.0,
                        certified: h.certified_at.is_some(),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(web::Json(record))
}

/// The volunteer themself, or a reader of participation whose jurisdiction holds the
/// volunteer's region (a volunteer without a region: platform-wide readers only).
fn may_read_record(principal: &Principal, profile: &VolunteerRow) -> Result<bool, ApiError> {
    if principal.id() == profile.user_id {
        return Ok(true);
    }
    if principal.may(Action::ReadParticipation).is_err() {
        return Ok(false);
    }
    Ok(match (principal.jurisdiction(), &profile.region_code) {
        (Jurisdiction::Everywhere, _) => true,
        (Jurisdiction::Within(own), Some(r)) => own.contains(&place_of(r)?),
        _ => false,
    })
}

/// The body of `POST /volunteer-activities`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"activity_type": "teaching", "title": "寒假支教", "village_codes": ["210921100202"], "starts_on": "2026-11-01", "ends_on": "2027-02-28"}))]
pub struct ActivityBody {
    /// `research`, `teaching`, `medical`, `culture`, `technology`.
    #[schema(schema_with = crate::openapi::labelled::<ActivityType>)]
    pub activity_type: String,
    pub title: String,
    pub description: Option<String>,
    /// The villages (12-digit codes) it serves.
    pub village_codes: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
}

/// An activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityView {
    pub id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<ActivityType>)]
    pub activity_type: String,
    pub title: String,
    pub description: Option<String>,
    pub village_codes: Vec<String>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
}

impl From<&ActivityRow> for ActivityView {
    fn from(a: &ActivityRow) -> Self {
        ActivityView {
            id: a.id.clone(),
            organization_id: a.organization_id.clone(),
            activity_type: a.activity_type.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            village_codes: a
                .village_codes
                .split(' ')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            starts_on: a.starts_on,
            ends_on: a.ends_on,
        }
    }
}

/// Organise an activity (members of a verified organisation).
#[utoipa::path(
    tag = "participants", operation_id = "create_volunteer_activity", security(("bearer" = [])),
    request_body = ActivityBody,
    responses(
        (status = 201, description = "Created", body = ActivityView),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/volunteer-activities")]
pub async fn create_activity(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<ActivityBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let spec = ActivitySpec::parse(
        &b.activity_type,
        &b.title,
        &b.village_codes,
        &b.starts_on,
        &b.ends_on,
    )
    .map_err(ApiError::validation)?;
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let org = crate::service::social_org::acting_organization(conn, &keys, &principal)?;
                let row = ActivityRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    organization_id: org.id,
                    activity_type: spec.activity_type.as_str().to_owned(),
                    title: spec.title.clone(),
                    description: b.description.clone(),
                    village_codes: spec
                        .villages
                        .iter()
                        .map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    starts_on: spec.starts_on,
                    ends_on: spec.ends_on,
                    created_by: principal.id().to_owned(),
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert_activity(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "volunteer_activity.create",
                    Some(("volunteer_activity", &row.id)),
                    None,
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(ActivityView::from(&row)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListParams {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub items: Vec<ActivityView>,
    pub next_cursor: Option<String>,
}

/// Activities volunteers can join.
#[utoipa::path(
    tag = "participants", operation_id = "list_volunteer_activities", security(("bearer" = [])), params(ActivityListParams),
    responses(
        (status = 200, description = "A page of activities", body = ActivityPage),
        Always, SignedIn,
    )
)]
#[get("/volunteer-activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    _caller: Caller,
    params: web::Query<ActivityListParams>,
) -> Result<web::Json<ActivityPage>, ApiError> {
    let page = pagination::PageRequest::<String>::parse(params.limit, params.cursor.as_deref())
        .map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let rows = state
        .db(move |conn| Ok(store::list_activities(conn, after.as_deref(), fetch)?))
        .await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(ActivityPage {
        items: rows.iter().map(ActivityView::from).collect(),
        next_cursor,
    }))
}

/// Sign up for an activity (volunteers with a profile).
#[utoipa::path(
    tag = "participants", operation_id = "sign_up_for_activity", security(("bearer" = [])),
    params(("id" = String, Path, description = "Activity id")),
    responses(
        (status = 204, description = "Signed up"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 422, response = Unprocessable),
        Always, SignedIn,
    )
)]
#[post("/volunteer-activities/{id}/signups")]
pub async fn sign_up(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if caller.role() != Some(Role::Volunteer) {
        return Err(ApiError::forbidden());
    }
    let me = caller.id().to_owned();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                store::find_activity(conn, &id)?.ok_or_else(ApiError::not_found)?;
                store::find(conn, &me)?.ok_or_else(|| {
                    invalid(
                        "volunteer",
                        "no_profile",
                        "create your volunteer profile first (PUT /volunteers/me)",
                        "请先填写志愿者资料（PUT /volunteers/me）",
                    )
                })?;
                Ok(store::sign_up(
                    conn,
                    &id,
                    &me,
                    chrono::Utc::now().naive_utc(),
                )?)
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The body of `POST /volunteer-activities/{id}/hours`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours": 3.5, "date": "2026-11-20", "note": "数学课两节"}))]
pub struct HoursBody {
    /// 0.5 to 24.
    pub hours: Option<f64>,
    /// `YYYY-MM-DD`, within the activity, not in the future.
    pub date: Option<String>,
    pub note: Option<String>,
}

/// Hours as logged.
#[derive(Debug, Serialize, ToSchema)]
pub struct HoursView {
    pub id: String,
    pub activity_id: String,
    pub volunteer_id: String,
    pub served_on: chrono::NaiveDate,
    pub hours: f64,
    pub certified: bool,
}

impl From<&HoursRow> for HoursView {
    fn from(h: &HoursRow) -> Self {
        HoursView {
            id: h.id.clone(),
            activity_id: h.activity_id.clone(),
            volunteer_id: h.volunteer_id.clone(),
            served_on: h.served_on,
            hours: f64::from(h.tenths) / 10.0,
            certified: h.certified_at.is_some(),
        }
    }
}

/// Log hours served in an activity you signed up for (volunteers). They count once the
/// organiser certifies them.
#[utoipa::path(
    tag = "participants", operation_id = "log_volunteer_hours", security(("bearer" = [])),
    params(("id" = String, Path, description = "Activity id")),
    request_body = HoursBody,
    responses(
        (status = 201, description = "Logged, not yet certified", body = HoursView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn, WithBody,
    )
)]
#[post("/volunteer-activities/{id}/hours")]
pub async fn log_hours(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<HoursBody>,
) -> Result<HttpResponse, ApiError> {
    if caller.role() != Some(Role::Volunteer) {
        return Err(ApiError::forbidden());
    }
    let me = caller.id().to_owned();
    let b = body.into_inner();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let activity = store::find_activity(conn, &id)?.ok_or_else(ApiError::not_found)?;
                if !store::is_signed_up(conn, &id, &me)? {
                    return Err(invalid(
                        "activity",
                        "not_signed_up",
                        "sign up for the activity first",
                        "请先报名参加该活动",
                    ));
                }
                let (tenths, served_on) = parse_hours(
                    b.hours,
                    b.date.as_deref(),
                    (activity.starts_on, activity.ends_on),
                    today_in_china(),
                )
                .map_err(ApiError::validation)?;
                let note = domain::platform::parse_note(b.note.as_deref())?;
                let row = HoursRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    activity_id: id.clone(),
                    volunteer_id: me.clone(),
                    served_on,
                    tenths,
                    note,
                    certified_by: None,
                    certified_at: None,
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert_hours(conn, &row)?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(HoursView::from(&row)))
}

/// Certify a volunteer's hours (members of the organising organisation).
#[utoipa::path(
    tag = "participants", operation_id = "certify_volunteer_hours", security(("bearer" = [])),
    params(("id" = String, Path, description = "Activity id"), ("hid" = String, Path, description = "Hours entry id")),
    responses(
        (status = 200, description = "Certified", body = HoursView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn,
    )
)]
#[post("/volunteer-activities/{id}/hours/{hid}/certify")]
pub async fn certify_hours(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
) -> Result<web::Json<HoursView>, ApiError> {
    let (id, hid) = path.into_inner();
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let activity = store::find_activity(conn, &id)?.ok_or_else(ApiError::not_found)?;
                if principal.organization_id.as_deref() != Some(activity.organization_id.as_str()) {
                    return Err(ApiError::forbidden());
                }
                let hours = store::find_hours(conn, &hid)?
                    .filter(|h| h.activity_id == id)
                    .ok_or_else(ApiError::not_found)?;
                if !store::certify(
                    conn,
                    &hours.id,
                    principal.id(),
                    chrono::Utc::now().naive_utc(),
                )? {
                    return Err(ApiError::conflict(
                        "这些时长已经认证过。",
                        "These hours are already certified.",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "volunteer_hours.certify",
                    Some(("volunteer_hours", &hours.id)),
                    None,
                    true,
                    None,
                )?;
                store::find_hours(conn, &hours.id)?.ok_or_else(ApiError::not_found)
            })
        })
        .await?;
    Ok(web::Json(HoursView::from(&row)))
}

/// The volunteer whose attendance is recorded.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceBody {
    pub volunteer_id: String,
}

/// Record that a signed-up volunteer attended (members of the organising organisation).
#[utoipa::path(
    tag = "participants", operation_id = "mark_attendance", security(("bearer" = [])),
    params(("id" = String, Path, description = "Activity id")),
    request_body = AttendanceBody,
    responses(
        (status = 204, description = "Recorded"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn, WithBody,
    )
)]
#[post("/volunteer-activities/{id}/attendance")]
pub async fn mark_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<AttendanceBody>,
) -> Result<HttpResponse, ApiError> {
    let principal = caller.principal.clone();
    let volunteer = body.into_inner().volunteer_id;
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let activity = store::find_activity(conn, &id)?.ok_or_else(ApiError::not_found)?;
                if principal.organization_id.as_deref() != Some(activity.organization_id.as_str()) {
                    return Err(ApiError::forbidden());
                }
                if !store::mark_attended(
                    conn,
                    &activity.id,
                    &volunteer,
                    chrono::Utc::now().naive_utc(),
                )? {
                    return Err(invalid(
                        "volunteer_id",
                        "not_signed_up",
                        "this volunteer did not sign up for the activity",
                        "该志愿者未报名此活动",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "volunteer_activity.attendance",
                    Some(("volunteer_activity", &activity.id)),
                    None,
                    true,
                    Some(serde_json::json!({"volunteer_id": volunteer})),
                )
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
