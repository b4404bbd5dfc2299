//! `/api/v1/offers`: what participants can give, where and to whom they prefer.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::Action;
use domain::platform::{NeedCategory, Offer, OfferDraft, OfferStatus};

use super::views::OfferView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination::{Page, PageRequest};
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::platform::offers::{self, OfferFilter};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_offer)
        .service(list_offers)
        .service(get_offer)
        .service(withdraw_offer);
}

/// The body of `POST /offers`.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"category": "education", "kind": "goods", "title": "冬季校服 200 套", "quantity": 200, "unit": "套", "region_codes": ["210900"], "target_groups": ["children"], "valid_until": "2027-03-01"}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::platform::OfferDraft"
)]
pub struct OfferBody {
    #[schema(schema_with = crate::openapi::labelled::<NeedCategory>)]
    category: String,
    #[schema(schema_with = crate::openapi::labelled::<domain::platform::OfferKind>)]
    kind: String,
    title: String,
    description: Option<String>,
    amount_fen: Option<i64>,
    quantity: Option<i64>,
    unit: Option<String>,
    /// Preferred regions, any level, at most 20; empty or absent: anywhere.
    region_codes: Option<Vec<String>>,
    #[schema(schema_with = crate::openapi::labelled_list::<domain::platform::TargetGroup>)]
    target_groups: Option<Vec<String>>,
    /// `YYYY-MM-DD`.
    valid_until: Option<String>,
}

/// Publish what you can give.
#[utoipa::path(
    tag = "platform", operation_id = "create_offer", security(("bearer" = [])),
    request_body = OfferBody,
    responses(
        (status = 201, description = "Open", body = OfferView, headers(("Location" = String, description = "URL of the offer"))),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[post("/offers")]
pub async fn create_offer(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<OfferDraft>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::Give)?;
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let draft = body.into_inner();
    let offer = state
        .call(move |conn| offers::create(conn, &keys, &principal, &meta, draft))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/offers/{}", offer.id)))
        .json(OfferView::from(&offer)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfferListParams {
    /// `open` or `withdrawn`.
    pub status: Option<String>,
    pub category: Option<String>,
    /// Only your own offers (participants always see their own with `mine=true`).
    pub mine: Option<bool>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl OfferListParams {
    fn read(self) -> Result<(OfferFilter, PageRequest<String>), ApiError> {
        let mut q = QueryReader::new();
        let filter = OfferFilter {
            status: q.optional(self.status.as_deref(), "status", OfferStatus::parse),
            category: q.optional(self.category.as_deref(), "category", NeedCategory::parse),
            mine: self.mine.unwrap_or(false),
        };
        Ok((filter, q.page(self.limit, self.cursor.as_deref())?))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferPage {
    pub items: Vec<OfferView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Offer>> for OfferPage {
    fn from(page: Page<Offer>) -> Self {
        OfferPage {
            items: page.items.iter().map(OfferView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}

/// Offers, oldest first: open offers are visible to every signed-in caller; withdrawn ones
/// only to their owner.
#[utoipa::path(
    tag = "platform", operation_id = "list_offers", security(("bearer" = [])), params(OfferListParams),
    responses(
        (status = 200, description = "A page of offers", body = OfferPage),
        Always, SignedIn,
    )
)]
#[get("/offers")]
pub async fn list_offers(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<OfferListParams>,
) -> Result<web::Json<OfferPage>, ApiError> {
    let (filter, page) = params.into_inner().read()?;
    let principal = caller.principal.clone();
    let found = state
        .call(move |conn| offers::list(conn, &principal, filter, &page))
        .await?;
    Ok(web::Json(found.into()))
}

/// One offer.
#[utoipa::path(
    tag = "platform", operation_id = "get_offer", security(("bearer" = [])), params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, description = "The offer", body = OfferView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/offers/{id}")]
pub async fn get_offer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<OfferView>, ApiError> {
    let principal = caller.principal.clone();
    let offer = state
        .call(move |conn| offers::load(conn, &principal, &id))
        .await?;
    Ok(web::Json(OfferView::from(&offer)))
}

/// Withdraw your offer; pledges already made from it stay.
#[utoipa::path(
    tag = "platform", operation_id = "withdraw_offer", security(("bearer" = [])), params(("id" = String, Path, description = "Offer id")),
    responses(
        (status = 200, description = "Withdrawn", body = OfferView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn,
    )
)]
#[delete("/offers/{id}")]
pub async fn withdraw_offer(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
) -> Result<web::Json<OfferView>, ApiError> {
    let principal = caller.principal.clone();
    let offer = state
        .call(move |conn| offers::withdraw(conn, &principal, &meta, &id))
        .await?;
    Ok(web::Json(OfferView::from(&offer)))
}
