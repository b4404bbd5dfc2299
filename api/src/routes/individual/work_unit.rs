//! `/api/v1/me/work-unit`: the work unit a donor or volunteer names.

use actix_web::{HttpResponse, delete, get, put, web};

use domain::identity::Action;

use super::views::{WorkUnitBody, WorkUnitView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::individual as service;
use crate::state::AppState;

/// Name your work unit (donors and volunteers). The claim is pending until a member of the
/// unit or an official of its place confirms it; naming another unit starts again, naming
/// the same one again changes nothing.
#[utoipa::path(
    tag = "participants", operation_id = "claim_work_unit", security(("bearer" = [])),
    request_body = WorkUnitBody,
    responses(
        (status = 200, description = "Claimed, pending confirmation", body = WorkUnitView),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[put("/me/work-unit")]
pub async fn claim_work_unit(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<WorkUnitBody>,
) -> Result<web::Json<WorkUnitView>, ApiError> {
    caller.may(Action::TakePartAsIndividual)?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let org = body.into_inner().organization_id;
    let claimed = state
        .call(move |conn| service::claim_work_unit(conn, &keys, &principal, &meta, &org))
        .await?;
    Ok(web::Json(claimed.into()))
}

/// Your work unit and its confirmation.
#[utoipa::path(
    tag = "participants", operation_id = "get_work_unit", security(("bearer" = [])),
    responses(
        (status = 200, description = "Your work unit", body = WorkUnitView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/me/work-unit")]
pub async fn get_work_unit(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WorkUnitView>, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let unit = state
        .call(move |conn| service::get_work_unit(conn, &keys, &principal))
        .await?;
    Ok(web::Json(unit.into()))
}

/// Stop naming a work unit; your participation no longer counts for it.
#[utoipa::path(
    tag = "participants", operation_id = "withdraw_work_unit", security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/me/work-unit")]
pub async fn withdraw_work_unit(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let principal = caller.principal;
    state
        .call(move |conn| service::withdraw_work_unit(conn, &principal, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
