//! `/api/v1/villages`: registered poor villages (贫困村), by officials of their jurisdiction.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, today_in_china as today};
use domain::registry::{PoorVillageDraft, RegisteredVillage, VillageStatus};

use super::request;
use super::views::{VillagePage, VillageView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::query::QueryReader;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::service::registry::villages::{self as service, VillageFilter};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_village)
        .service(list_villages)
        .service(get_village)
        .service(update_village)
        .service(delete_village);
}

const FIELDS: [&str; 8] = [
    "region_code",
    "registered_year",
    "status",
    "exit_year",
    "population",
    "poor_household_count",
    "collective_income_fen",
    "notes",
];

/// A JSON body as a draft; unknown members (`id`, `version`, ...) are refused with 422, and so
/// are those in `forbidden`.
fn draft_from(body: serde_json::Value, forbidden: &[&str]) -> Result<PoorVillageDraft, ApiError> {
    request::draft(body, |k| !FIELDS.contains(&k) || forbidden.contains(&k))
}

/// Register a poor village.
#[utoipa::path(
    tag = "registry", operation_id = "create_village", security(("bearer" = [])),
    request_body(content = serde_json::Value, description = "region_code (12-digit village), registered_year, status (poor|exited), exit_year, population, poor_household_count, collective_income_fen, notes",
        example = json!({"region_code": "210921100202", "registered_year": 2014, "population": 1320, "poor_household_count": 86, "collective_income_fen": 1500000})),
    responses(
        (status = 201, description = "Registered", body = VillageView, headers(("Location" = String, description = "URL of the village"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/villages")]
pub async fn create_village(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let village = draft_from(body.into_inner(), &[])?
        .parse(today())
        .map_err(ApiError::validation)?;
    let who = caller.principal;
    let entry = state
        .call(move |conn| service::create(conn, &who, &meta, village))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/villages/{}", entry.id)))
        .json(VillageView::from(&entry)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VillageListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    /// `poor` or `exited`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// List registered poor villages in the caller's jurisdiction, by region code.
#[utoipa::path(
    tag = "registry", operation_id = "list_villages", security(("bearer" = [])), params(VillageListParams),
    responses(
        (status = 200, description = "A page of villages", body = VillagePage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/villages")]
pub async fn list_villages(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<VillageListParams>,
) -> Result<web::Json<VillagePage>, ApiError> {
    caller.may(Action::ReadRegistry)?;
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let filter = VillageFilter {
        region: q.region(p.region.as_deref()),
        status: q.optional(p.status.as_deref(), "status", VillageStatus::parse),
    };
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let who = caller.principal;
    let page = state
        .call(move |conn| service::list(conn, &who, filter, page))
        .await?;
    Ok(web::Json(page.into()))
}

/// One registered poor village.
#[utoipa::path(
    tag = "registry", operation_id = "get_village", security(("bearer" = [])), params(("id" = String, Path, description = "Village record id")),
    responses(
        (status = 200, description = "The village", body = VillageView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/villages/{id}")]
pub async fn get_village(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ReadRegistry)?;
    let who = caller.principal;
    let entry = state
        .call(move |conn| service::load(conn, &who, &id))
        .await?;
    Ok(etag::respond(&req, &VillageView::from(&entry)))
}

/// Change a village's figures or status (`If-Match` guards against lost updates).
#[utoipa::path(
    tag = "registry", operation_id = "update_village", security(("bearer" = [])),
    params(("id" = String, Path, description = "Village record id"), ("If-Match" = Option<String>, Header, description = "The ETag being changed")),
    request_body(content = serde_json::Value, description = "Any of registered_year, status, exit_year, population, poor_household_count, collective_income_fen, notes", example = json!({"status": "exited", "exit_year": 2019})),
    responses(
        (status = 200, description = "Changed", body = VillageView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/villages/{id}")]
pub async fn update_village(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let patch = draft_from(body.into_inner(), &["region_code"])?;
    let unchanged = request::if_match(&req, |v: &RegisteredVillage| VillageView::from(v));
    let who = caller.principal;
    let entry = state
        .call(move |conn| service::update(conn, &who, &meta, &id, patch, unchanged))
        .await?;
    Ok(etag::tagged(&VillageView::from(&entry)))
}

/// Remove a village from the poor-village register.
#[utoipa::path(
    tag = "registry", operation_id = "delete_village", security(("bearer" = [])), params(("id" = String, Path, description = "Village record id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/villages/{id}")]
pub async fn delete_village(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let who = caller.principal;
    state
        .call(move |conn| service::delete(conn, &who, &meta, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
