//! `/api/v1/public/brands`, the brand and programme catalogue (光彩事业, 希望工程, 雨露计划 …,
//! present on every fresh install), and `POST /api/v1/brands` for new brands for the
//! special groups.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};

use domain::brand::BrandDraft;
use domain::identity::Action;

use super::views::{BrandBody, BrandList, BrandView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::openapi::responses::{Always, Conflict, Forbidden, SignedIn, WithBody};
use crate::service::brand as service;
use crate::state::AppState;

/// The brand and programme catalogue, for anyone.
#[utoipa::path(
    tag = "public", operation_id = "list_public_brands",
    responses(
        (status = 200, description = "Every brand and programme", body = BrandList,
            headers(("Cache-Control" = String, description = "`public, max-age=60`"))),
        Always,
    )
)]
#[get("/public/brands")]
pub async fn list_public_brands(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let brands = state.call(service::catalogue).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, etag::PUBLIC_CACHE))
        .json(BrandList {
            items: brands.into_iter().map(BrandView::from).collect(),
        }))
}

/// Create a brand for one of the special groups (platform admins and province officials).
#[utoipa::path(
    tag = "participants", operation_id = "create_brand", security(("bearer" = [])),
    request_body = BrandBody,
    responses(
        (status = 201, description = "Created", body = BrandView),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/brands")]
pub async fn create_brand(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<BrandDraft>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ManageBrands)?;
    let principal = caller.principal;
    let brand = state
        .call(move |conn| service::create_brand(conn, &principal, &meta, &body))
        .await?;
    Ok(HttpResponse::Created().json(BrandView::from(brand)))
}
