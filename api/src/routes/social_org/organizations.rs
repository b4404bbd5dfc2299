//! `/api/v1/organizations`: the organisations that take part, registered by one of their
//! members (who becomes its first member) or by an official, and verified by an official of
//! the place. `/api/v1/public/organizations` lists the verified ones.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::social_org::{
    OrganizationAction, OrganizationDraft, OrganizationKind, OrganizationStatus,
};

use super::views::{OrganizationBody, OrganizationPage, OrganizationView, PublicOrganizationPage};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::social_org::{self as service, OrganizationFilter};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register_organization)
        .service(list_organizations)
        .service(list_public_organizations)
        .service(get_organization)
        .service(update_organization)
        .service(review_organization);
}

/// Register an organisation (status `pending` until an official verifies it). An
/// `org_member` without an organisation becomes its first member (refresh your token to act
/// for it); officials and admins may register organisations of their region.
#[utoipa::path(
    tag = "participants", operation_id = "register_organization", security(("bearer" = [])),
    request_body = OrganizationBody,
    responses(
        (status = 201, description = "Registered, pending verification", body = OrganizationView, headers(("Location" = String, description = "URL of the organisation"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/organizations")]
pub async fn register_organization(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<OrganizationDraft>,
) -> Result<HttpResponse, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let org = state
        .call(move |conn| service::register(conn, &keys, &principal, &meta, &body))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organizations/{}", org.id),
        ))
        .json(OrganizationView::masked(org)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationParams {
    /// Unmasked contact (officials of the place, admins, the organisation's members; audited).
    pub reveal: Option<bool>,
}

/// One organisation (its members, officials of its place, admins).
#[utoipa::path(
    tag = "participants", operation_id = "get_organization", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id"), OrganizationParams),
    responses(
        (status = 200, description = "The organisation", body = OrganizationView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/organizations/{id}")]
pub async fn get_organization(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    params: web::Query<OrganizationParams>,
) -> Result<HttpResponse, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let reveal = params.reveal.unwrap_or(false);
    let (org, d) = state
        .call(move |conn| service::get(conn, &keys, &principal, &meta, &id, reveal))
        .await?;
    Ok(etag::respond(&req, &OrganizationView::build(org, d)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    pub kind: Option<String>,
    /// `pending`, `verified`, `rejected`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl OrganizationListParams {
    fn filter(&self) -> Result<OrganizationFilter, ApiError> {
        let mut q = QueryReader::new();
        let region = q.region(self.region.as_deref());
        let kind = q.optional(self.kind.as_deref(), "kind", OrganizationKind::parse);
        let status = q.optional(self.status.as_deref(), "status", OrganizationStatus::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(OrganizationFilter {
            region,
            kind,
            status,
            page,
        })
    }
}

/// Organisations: an official's jurisdiction's; a member's own.
#[utoipa::path(
    tag = "participants", operation_id = "list_organizations", security(("bearer" = [])), params(OrganizationListParams),
    responses(
        (status = 200, description = "A page of organisations", body = OrganizationPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<OrganizationListParams>,
) -> Result<web::Json<OrganizationPage>, ApiError> {
    let filter = params.filter()?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let page = state
        .call(move |conn| service::list(conn, &keys, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
}

/// Verified organisations, for anyone.
#[utoipa::path(
    tag = "public", operation_id = "list_public_organizations", params(OrganizationListParams),
    responses(
        (status = 200, description = "A page of verified organisations", body = PublicOrganizationPage,
            headers(("Cache-Control" = String, description = "`public, max-age=60`"))),
        Always,
    )
)]
#[get("/public/organizations")]
pub async fn list_public_organizations(
    state: web::Data<AppState>,
    params: web::Query<OrganizationListParams>,
) -> Result<HttpResponse, ApiError> {
    let filter = params.filter()?;
    let keys = state.data_keys.clone();
    let page = state
        .call(move |conn| service::list_public(conn, &keys, filter))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, etag::PUBLIC_CACHE))
        .json(PublicOrganizationPage::from(page)))
}

/// Change your organisation's details (its members); name, contact, qualification years,
/// foundation. A rejected registration goes back to `pending` for another review.
#[utoipa::path(
    tag = "participants", operation_id = "update_organization", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content = OrganizationBody, description = "Any of subtype, name, contact_name, contact_phone, deduction_qualified_years, foundation_name"),
    responses(
        (status = 200, description = "Changed", body = OrganizationView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<OrganizationDraft>,
) -> Result<web::Json<OrganizationView>, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let org = state
        .call(move |conn| service::update(conn, &keys, &principal, &meta, &id, &body))
        .await?;
    Ok(web::Json(OrganizationView::masked(org)))
}

/// A reason, required to reject.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub reason: Option<String>,
}

/// `verify` or `reject` (with a reason) a pending organisation of your jurisdiction.
#[utoipa::path(
    tag = "participants", operation_id = "review_organization", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id"), ("action" = String, Path, description = "`verify` or `reject`")),
    request_body(content = Option<ReviewBody>, description = "`reason` is required to reject"),
    responses(
        (status = 200, description = "Reviewed", body = OrganizationView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/organizations/{id}/{action}")]
pub async fn review_organization(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<ReviewBody>>,
) -> Result<web::Json<OrganizationView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = OrganizationAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let org = state
        .call(move |conn| {
            service::review(
                conn,
                &keys,
                &principal,
                &meta,
                &id,
                action,
                reason.as_deref(),
            )
        })
        .await?;
    Ok(web::Json(OrganizationView::masked(org)))
}
