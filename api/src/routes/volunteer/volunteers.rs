//! `/api/v1/volunteers`: a volunteer's own profile, the volunteers of a jurisdiction, and a
//! volunteer's service record.

use actix_web::{get, put, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::identity::Action;
use domain::volunteer::VolunteerKind;

use super::views::{ProfileBody, ServiceRecord, VolunteerPage};
use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::volunteer::{self as service, VolunteerFilter};
use crate::state::AppState;

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
    caller.may(Action::Volunteer)?;
    let body = body.into_inner();
    let (spec, principal) = (body.spec()?, caller.principal);
    let saved = state
        .call(move |conn| service::save_profile(conn, &principal, spec))
        .await?;
    // The profile as given, its kind in its canonical word.
    Ok(web::Json(ProfileBody {
        kind: saved.profile.kind.as_str().to_owned(),
        ..body
    }))
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

impl VolunteerListParams {
    fn filter(&self) -> Result<VolunteerFilter, ApiError> {
        let mut q = QueryReader::new();
        let region = q.region(self.region.as_deref());
        let kind = q.optional(self.kind.as_deref(), "kind", VolunteerKind::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(VolunteerFilter { region, kind, page })
    }
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
    caller.may(Action::ReadParticipation)?;
    let (filter, principal) = (params.filter()?, caller.principal);
    let page = state
        .call(move |conn| service::list(conn, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
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
    let principal = caller.principal;
    let record = state
        .call(move |conn| service::service_record(conn, &principal, &id))
        .await?;
    Ok(web::Json(record.into()))
}
