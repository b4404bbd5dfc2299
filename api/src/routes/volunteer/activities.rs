//! `/api/v1/volunteer-activities`: activities organised by verified organisations, sign-up,
//! and the organiser's record of attendance.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::identity::Action;

use super::views::{ActivityBody, ActivityPage, ActivityView, AttendanceBody};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, SignedIn, Unprocessable, WithBody,
};
use crate::service::volunteer as service;
use crate::state::AppState;

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
    let (spec, description) = (body.spec()?, body.into_inner().description);
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let activity = state
        .call(move |conn| {
            service::create_activity(conn, &keys, &principal, &meta, spec, description)
        })
        .await?;
    Ok(HttpResponse::Created().json(ActivityView::from(activity)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListParams {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
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
    let page = QueryReader::new().page::<String>(params.limit, params.cursor.as_deref())?;
    let activities = state
        .call(move |conn| service::list_activities(conn, page))
        .await?;
    Ok(web::Json(activities.into()))
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
    caller.may(Action::Volunteer)?;
    let principal = caller.principal;
    state
        .call(move |conn| service::sign_up(conn, &principal, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
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
    let (principal, volunteer) = (caller.principal, body.into_inner().volunteer_id);
    state
        .call(move |conn| service::mark_attendance(conn, &principal, &meta, &id, &volunteer))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
