//! `/api/v1/enterprise-projects/.../employment(s)`: the registered poor people projects
//! employ, each counted once a year.

use actix_web::{get, post, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use domain::identity::{Action, IdCardNumber, today_in_china};

use super::views::{EmploymentBody, EmploymentTotal, ProjectView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::enterprise as service;
use crate::state::AppState;

/// Record a registered poor person the project employs (members of the enterprise).
#[utoipa::path(
    tag = "participants", operation_id = "record_employment", security(("bearer" = [])),
    params(("id" = String, Path, description = "Project id")),
    request_body = EmploymentBody,
    responses(
        (status = 200, description = "Recorded (again is no change); the project", body = ProjectView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn, WithBody,
    )
)]
#[post("/enterprise-projects/{id}/employments")]
pub async fn record_employment(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<EmploymentBody>,
) -> Result<web::Json<ProjectView>, ApiError> {
    let number = IdCardNumber::parse(&body.id_number).map_err(|e| e.for_field("id_number"))?;
    let (year, keys, principal) = (body.year, state.data_keys.clone(), caller.principal);
    let project = state
        .call(move |conn| {
            service::record_employment(conn, &keys, &principal, &meta, &id, &number, year)
        })
        .await?;
    Ok(web::Json(project.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmploymentParams {
    /// Default this year.
    pub year: Option<i32>,
    /// People whose household lives in this region (within the caller's jurisdiction).
    pub region: Option<String>,
}

/// Registered poor people employed by enterprise projects in a year, each counted once;
/// officials count those whose household lives in their jurisdiction (officials, village
/// cadres, evaluators, admins, `stats:read` clients).
#[utoipa::path(
    tag = "participants", operation_id = "enterprise_employment_total", security(("bearer" = [])), params(EmploymentParams),
    responses(
        (status = 200, description = "The count", body = EmploymentTotal),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/enterprise-projects/employment")]
pub async fn employment_total(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<EmploymentParams>,
) -> Result<web::Json<EmploymentTotal>, ApiError> {
    caller.may(Action::ReadStats)?;
    let year = params.year.unwrap_or_else(|| today_in_china().year());
    let mut q = QueryReader::new();
    let region = q.region(params.region.as_deref());
    q.finish()?;
    let principal = caller.principal;
    let n = state
        .call(move |conn| service::employment_total(conn, &principal, year, region))
        .await?;
    Ok(web::Json(EmploymentTotal {
        year,
        poor_people_employed: n,
    }))
}
