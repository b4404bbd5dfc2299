//! `/api/v1/enterprise-projects/.../employment(s)`: the people projects claim to employ,
//! and the registered poor people employed, each counted once a year.

use actix_web::{HttpResponse, get, post, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use domain::identity::{Action, IdCardNumber, today_in_china};

use super::views::{EmploymentBody, EmploymentClaimView, EmploymentTotal};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::enterprise as service;
use crate::state::AppState;

/// Claim the project employs a person, named by ID number (members of the enterprise).
/// Someone registered in one of the project's own villages is recorded and counted at once
/// (`recorded`); any other claim is `pending` until an official of the project's villages
/// confirms or rejects it, whether or not the person is registered anywhere, so the answer
/// does not tell who is a registered poor person. Again: the first claim. Audited.
#[utoipa::path(
    tag = "participants", operation_id = "record_employment", security(("bearer" = [])),
    params(("id" = String, Path, description = "Project id")),
    request_body = EmploymentBody,
    responses(
        (status = 202, description = "The claim: `recorded` or `pending`", body = EmploymentClaimView),
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
) -> Result<HttpResponse, ApiError> {
    let number = IdCardNumber::parse(&body.id_number).map_err(|e| e.for_field("id_number"))?;
    let (year, keys, principal) = (body.year, state.data_keys.clone(), caller.principal);
    let claim = state
        .call(move |conn| {
            service::record_employment(conn, &keys, &principal, &meta, &id, &number, year)
        })
        .await?;
    Ok(HttpResponse::Accepted().json(EmploymentClaimView::from(claim)))
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
