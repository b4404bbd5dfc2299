//! `/api/v1/programme-records` and `GET /api/v1/households/{id}/programme-records`: the
//! 雨露计划, 扶贫小额贷款 and 易地扶贫搬迁 records of registered households, kept by the
//! officials and cadres of the household's place.

use actix_web::{HttpResponse, get, post, web};

use domain::brand::ProgrammeRecordDraft;
use domain::identity::Action;

use super::views::{ProgrammeRecordBody, ProgrammeRecordList, ProgrammeRecordView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::brand as service;
use crate::state::AppState;

/// Record a programme benefit of a household of your jurisdiction.
#[utoipa::path(
    tag = "registry", operation_id = "record_programme", security(("bearer" = [])),
    request_body = ProgrammeRecordBody,
    responses(
        (status = 201, description = "Recorded", body = ProgrammeRecordView),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[post("/programme-records")]
pub async fn record_programme(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<ProgrammeRecordDraft>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let principal = caller.principal;
    let record = state
        .call(move |conn| service::record_programme(conn, &principal, &meta, &body))
        .await?;
    Ok(HttpResponse::Created().json(ProgrammeRecordView::from(record)))
}

/// A household's programme records, oldest first.
#[utoipa::path(
    tag = "registry", operation_id = "household_programmes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id")),
    responses(
        (status = 200, description = "The records", body = ProgrammeRecordList),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/households/{id}/programme-records")]
pub async fn household_programmes(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ProgrammeRecordList>, ApiError> {
    caller.may(Action::ReadRegistry)?;
    let principal = caller.principal;
    let records = state
        .call(move |conn| service::household_programmes(conn, &principal, &id))
        .await?;
    Ok(web::Json(ProgrammeRecordList {
        items: records.into_iter().map(ProgrammeRecordView::from).collect(),
    }))
}
