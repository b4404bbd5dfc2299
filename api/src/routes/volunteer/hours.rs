//! `/api/v1/volunteer-activities/{id}/hours`: hours logged by the volunteer and certified by
//! the organiser.

use actix_web::{HttpResponse, post, web};

use domain::identity::Action;

use super::views::{HoursBody, HoursView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::volunteer::{self as service, HoursDraft};
use crate::state::AppState;

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
    caller.may(Action::Volunteer)?;
    let (principal, draft) = (caller.principal, HoursDraft::from(body.into_inner()));
    let entry = state
        .call(move |conn| service::log_hours(conn, &principal, &id, &draft))
        .await?;
    Ok(HttpResponse::Created().json(HoursView::from(entry)))
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
    let ((id, hid), principal) = (path.into_inner(), caller.principal);
    let entry = state
        .call(move |conn| service::certify_hours(conn, &principal, &meta, &id, &hid))
        .await?;
    Ok(web::Json(entry.into()))
}
