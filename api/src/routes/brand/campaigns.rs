//! `/api/v1/campaigns` and `/api/v1/public/campaigns`: campaigns a verified organisation runs
//! under a brand, with what each has raised, and the people taking part.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::brand::CampaignDraft;
use domain::identity::Action;

use super::views::{CampaignBody, CampaignPage, CampaignView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::brand as service;
use crate::state::AppState;

/// Run a campaign under a brand (members of a verified organisation).
#[utoipa::path(
    tag = "participants", operation_id = "create_campaign", security(("bearer" = [])),
    request_body = CampaignBody,
    responses(
        (status = 201, description = "Published", body = CampaignView),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/campaigns")]
pub async fn create_campaign(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<CampaignDraft>,
) -> Result<HttpResponse, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let campaign = state
        .call(move |conn| service::create_campaign(conn, &keys, &principal, &meta, &body))
        .await?;
    Ok(HttpResponse::Created().json(CampaignView::from(campaign)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignParams {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Campaigns, with what each has raised, for anyone.
#[utoipa::path(
    tag = "public", operation_id = "list_public_campaigns", params(CampaignParams),
    responses(
        (status = 200, description = "A page of campaigns", body = CampaignPage,
            headers(("Cache-Control" = String, description = "`public, max-age=60`"))),
        Always,
    )
)]
#[get("/public/campaigns")]
pub async fn list_public_campaigns(
    state: web::Data<AppState>,
    params: web::Query<CampaignParams>,
) -> Result<HttpResponse, ApiError> {
    let page = QueryReader::new().page::<String>(params.limit, params.cursor.as_deref())?;
    let campaigns = state
        .call(move |conn| service::list_campaigns(conn, &page))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, etag::PUBLIC_CACHE))
        .json(CampaignPage::from(campaigns)))
}

/// Take part in a campaign (organisation members, donors, volunteers); joining again
/// changes nothing.
#[utoipa::path(
    tag = "participants", operation_id = "join_campaign", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    responses(
        (status = 204, description = "Taking part"),
        (status = 403, response = Forbidden), (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[post("/campaigns/{id}/participants")]
pub async fn join_campaign(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::Give)?;
    let principal = caller.principal;
    state
        .call(move |conn| service::join_campaign(conn, &principal, &meta, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
