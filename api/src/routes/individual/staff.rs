//! `/api/v1/organizations/{id}/staff`: the people who named a unit as their work unit, and
//! the unit's (or an official's) decision on their claims.

use actix_web::{get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::individual::{AffiliationAction, AffiliationStatus};

use super::views::{DecisionBody, StaffPage, WorkUnitView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, NotFound, SignedIn, WithBody};
use crate::service::individual::{self as service, StaffFilter};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffParams {
    /// `pending`, `confirmed` or `rejected`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl StaffParams {
    fn filter(&self) -> Result<StaffFilter, ApiError> {
        let mut q = QueryReader::new();
        let status = q.optional(self.status.as_deref(), "status", AffiliationStatus::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(StaffFilter { status, page })
    }
}

/// The people who named this organisation as their work unit (its members; officials and
/// evaluators of its place).
#[utoipa::path(
    tag = "participants", operation_id = "list_staff", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id"), StaffParams),
    responses(
        (status = 200, description = "A page of claims", body = StaffPage),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/organizations/{id}/staff")]
pub async fn list_staff(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: web::Query<StaffParams>,
) -> Result<web::Json<StaffPage>, ApiError> {
    let filter = params.filter()?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let page = state
        .call(move |conn| service::list_staff(conn, &keys, &principal, &id, filter))
        .await?;
    Ok(web::Json(page.into()))
}

/// `confirm` or `reject` (with a reason) a pending claim on your unit (its members; officials
/// whose jurisdiction holds it).
#[utoipa::path(
    tag = "participants", operation_id = "decide_staff", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Organisation id"),
        ("user_id" = String, Path, description = "The claimant"),
        ("action" = String, Path, description = "`confirm` or `reject`"),
    ),
    request_body(content = Option<DecisionBody>, description = "`reason` is required to reject"),
    responses(
        (status = 200, description = "Decided", body = WorkUnitView),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/organizations/{id}/staff/{user_id}/{action}")]
pub async fn decide_staff(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String, String)>,
    body: Option<web::Json<DecisionBody>>,
) -> Result<web::Json<WorkUnitView>, ApiError> {
    let (id, user_id, action) = path.into_inner();
    let action = AffiliationAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let decided = state
        .call(move |conn| {
            let target = (id.as_str(), user_id.as_str());
            service::decide_staff(
                conn,
                &keys,
                &principal,
                &meta,
                target,
                action,
                reason.as_deref(),
            )
        })
        .await?;
    Ok(web::Json(decided.into()))
}
