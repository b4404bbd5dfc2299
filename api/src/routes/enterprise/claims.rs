//! `/api/v1/employment-claims`: the claims of enterprise projects to employ people, listed
//! and decided by the officials of the projects' villages.

use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::enterprise::{ClaimAction, ClaimStatus};

use super::views::{EmploymentClaimPage, EmploymentClaimView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn};
use crate::service::enterprise::{self as service, ClaimFilter};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClaimListParams {
    pub project_id: Option<String>,
    /// `recorded`, `pending`, `confirmed` or `rejected`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl ClaimListParams {
    fn filter(&self) -> Result<ClaimFilter, ApiError> {
        let mut q = QueryReader::new();
        let status = q.optional(self.status.as_deref(), "status", ClaimStatus::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(ClaimFilter {
            project_id: self.project_id.clone(),
            status,
            page,
        })
    }
}

/// Employment claims, oldest first: for officials and evaluators those of projects serving
/// a village of their jurisdiction; for an enterprise's members their own projects'.
#[utoipa::path(
    tag = "participants", operation_id = "list_employment_claims", security(("bearer" = [])), params(ClaimListParams),
    responses(
        (status = 200, description = "A page of claims", body = EmploymentClaimPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/employment-claims")]
pub async fn list_claims(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<ClaimListParams>,
) -> Result<web::Json<EmploymentClaimPage>, ApiError> {
    let (filter, principal, keys) = (params.filter()?, caller.principal, state.data_keys.clone());
    let page = state
        .call(move |conn| service::list_claims(conn, &keys, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
}

/// Confirm a pending claim (the person must be a registered poor person; they are counted
/// from then on) or reject it: officials and village cadres of one of the project's
/// villages. Two at once: one wins, the other gets 409.
#[utoipa::path(
    tag = "participants", operation_id = "decide_employment_claim", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Claim id"),
        ("action" = String, Path, description = "`confirm` or `reject`"),
    ),
    responses(
        (status = 200, description = "The claim after the decision", body = EmploymentClaimView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        Always, SignedIn,
    )
)]
#[post("/employment-claims/{id}/{action}")]
pub async fn decide_claim(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
) -> Result<web::Json<EmploymentClaimView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = ClaimAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let claim = state
        .call(move |conn| service::decide_claim(conn, &keys, &principal, &meta, &id, action))
        .await?;
    Ok(web::Json(claim.into()))
}
