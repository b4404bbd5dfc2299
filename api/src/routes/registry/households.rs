//! `/api/v1/households`: registered poor households (贫困户) with their members inline.
//! Officials, village cadres and `registry:*` clients work within their jurisdiction;
//! anything outside it is 404.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, PersonName, today_in_china as today};
use domain::registry::{
    HouseholdDraft, HouseholdStatus, HouseholdType, PovertyCause, RegisteredHousehold,
};

use super::request;
use super::views::{HouseholdPage, HouseholdView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::query::QueryReader;
use crate::http::reveal::RevealParams;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::personal::Disclosure;
use crate::service::registry::households::{self as service, HouseholdQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_household)
        .service(list_households)
        .service(get_household)
        .service(update_household)
        .service(delete_household);
}

/// Body members a caller may never set: identity and bookkeeping, and the status (which
/// changes only through `/transitions`, where the exit rule applies).
const NOT_SETTABLE: [&str; 8] = [
    "id",
    "status",
    "exit_year",
    "version",
    "county_code",
    "created_at",
    "updated_at",
    "created_by",
];

/// Reads a JSON body into a draft, refusing fields the caller may not set (422).
fn draft_from(
    body: serde_json::Value,
    also_forbidden: &[&str],
) -> Result<HouseholdDraft, ApiError> {
    request::draft(body, |k| {
        NOT_SETTABLE.contains(&k) || also_forbidden.contains(&k)
    })
}

/// Register a household (with its members).
///
/// The village must be a registered poor village, or the household marked `scattered`.
/// Every member's ID number must be valid and registered nowhere else (409
/// `duplicate_person`). `status` and `exit_year` are set through `/transitions`.
#[utoipa::path(
    tag = "registry", operation_id = "create_household", security(("bearer" = [])),
    request_body(content = serde_json::Value, description = "A household as in the import layout: the household fields, `guarantees` {food_secure, clothing_secure, compulsory_education, basic_medical, housing_security, safe_drinking_water}, and `members` [{name, sex, id_number, relation, ethnicity, education, schooling, health, work_capacity, migrant_worker, rural_medical, rural_pension, dibao, critical_illness, phone}]. Enumerations take the English value or the Chinese label.",
        example = json!({"household_number": "2109211002020001", "region_code": "210921100202", "household_type": "general", "identification_standard": "national", "main_cause": "illness", "secondary_causes": ["lack_of_skills"], "income_per_person_fen": 250000, "housing_safe": true,
            "guarantees": {"food_secure": true, "clothing_secure": true, "compulsory_education": true, "basic_medical": false, "housing_security": true, "safe_drinking_water": true},
            "members": [{"name": "张三", "sex": "male", "id_number": "210921196503120010", "relation": "head", "ethnicity": "蒙古族", "education": "primary", "health": "chronic_illness", "work_capacity": "ordinary", "rural_medical": true, "phone": "13812345678"}]})),
    responses(
        (status = 201, description = "Registered", body = HouseholdView, headers(("Location" = String, description = "URL of the household"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/households")]
pub async fn create_household(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let household = draft_from(body.into_inner(), &[])?
        .parse(today())
        .map_err(ApiError::validation)?;
    let (who, keys) = (caller.principal, state.data_keys.clone());
    let entry = state
        .call(move |conn| service::create(conn, &keys, &who, &meta, household))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/households/{}", entry.id)))
        .json(HouseholdView::build(&entry, Disclosure::MASKED)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    /// `poor`, `exited`, `at_risk`, `returned`.
    pub status: Option<String>,
    /// A poverty cause (`illness`, `disability`, ...).
    pub main_cause: Option<String>,
    /// `general`, `dibao`, `wubao`, `dibao_poor`.
    pub household_type: Option<String>,
    /// `true`: only households with at least one guarantee unmet.
    pub guarantee_unmet: Option<bool>,
    /// Income per person at least (fen).
    pub income_min: Option<i64>,
    /// Income per person at most (fen).
    pub income_max: Option<i64>,
    /// The head of household's full name, exactly (officials' search; names are stored
    /// encrypted, so a household is found by its head's whole name, not a part of it).
    pub head_name: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// List households in the caller's jurisdiction, with filters.
#[utoipa::path(
    tag = "registry", operation_id = "list_households", security(("bearer" = [])), params(HouseholdListParams),
    responses(
        (status = 200, description = "A page of households", body = HouseholdPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/households")]
pub async fn list_households(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<HouseholdListParams>,
) -> Result<web::Json<HouseholdPage>, ApiError> {
    caller.may(Action::ReadRegistry)?;
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let query = HouseholdQuery {
        region: q.region(p.region.as_deref()),
        status: q.optional(p.status.as_deref(), "status", HouseholdStatus::parse),
        main_cause: q.optional(p.main_cause.as_deref(), "main_cause", PovertyCause::parse),
        household_type: q.optional(
            p.household_type.as_deref(),
            "household_type",
            HouseholdType::parse,
        ),
        guarantee_unmet: p.guarantee_unmet.unwrap_or(false),
        income_min: p.income_min,
        income_max: p.income_max,
        head_name: q.optional(
            p.head_name.as_deref().filter(|n| !n.trim().is_empty()),
            "head_name",
            PersonName::parse,
        ),
    };
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let who = caller.principal;
    let keys = state.data_keys.clone();
    let page = state
        .call(move |conn| service::list(conn, &keys, &who, query, page))
        .await?;
    Ok(web::Json(page.into()))
}

/// One household with its members (`?reveal=true`: unmasked, audited).
#[utoipa::path(
    tag = "registry", operation_id = "get_household", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id"), RevealParams),
    responses(
        (status = 200, description = "The household", body = HouseholdView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/households/{id}")]
pub async fn get_household(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    params: web::Query<RevealParams>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ReadRegistry)?;
    let reveal = params.reveal.unwrap_or(false);
    let (who, keys) = (caller.principal, state.data_keys.clone());
    let read = state
        .call(move |conn| service::get(conn, &keys, &who, &meta, &id, reveal))
        .await?;
    Ok(etag::respond(
        &req,
        &HouseholdView::build(&read.entry, read.disclosure),
    ))
}

/// Change a household: the fields given replace the stored ones (`members`, if given,
/// replaces the whole list). Requires `If-Match` with the current `ETag` (412 otherwise
/// if it changed).
#[utoipa::path(
    tag = "registry", operation_id = "update_household", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id"), ("If-Match" = Option<String>, Header, description = "The ETag of the version being changed")),
    request_body(content = serde_json::Value, description = "Any household fields except household_number, status and exit_year", example = json!({"income_per_person_fen": 310000, "guarantees": {"basic_medical": true}})),
    responses(
        (status = 200, description = "Changed", body = HouseholdView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict), (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/households/{id}")]
pub async fn update_household(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let patch = draft_from(body.into_inner(), &["household_number"])?;
    let unchanged = request::if_match(&req, |h: &RegisteredHousehold| {
        HouseholdView::build(h, Disclosure::MASKED)
    });
    let (who, keys) = (caller.principal, state.data_keys.clone());
    let entry = state
        .call(move |conn| service::update(conn, &keys, &who, &meta, &id, patch, unchanged))
        .await?;
    Ok(etag::tagged(&HouseholdView::build(
        &entry,
        Disclosure::MASKED,
    )))
}

/// Remove a household from the registry (with its members and history).
#[utoipa::path(
    tag = "registry", operation_id = "delete_household", security(("bearer" = [])), params(("id" = String, Path, description = "Household id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/households/{id}")]
pub async fn delete_household(
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
