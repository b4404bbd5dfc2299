//! `/api/v1/offers`: what participants can give, where and to whom they prefer.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, Principal, today_in_china as today};
use domain::platform::{NeedCategory, OfferDraft, OfferStatus};
use persistence::platform::offers::{self as store, OfferQuery, OfferRow};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::routes::platform_views::OfferView;
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
    caller
        .may(Action::Give)
        .map_err(|_| ApiError::forbidden())?;
    let spec = body.parse(today()).map_err(ApiError::validation)?;
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let member = caller.role() == Some(domain::identity::Role::OrgMember);
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                // An organisation publishes offers only once an official has verified it.
                if member {
                    crate::service::social_org::acting_organization(conn, &keys, &principal)?;
                }
                let now = chrono::Utc::now().naive_utc();
                let words = |v: Vec<String>| v.join(" ");
                let row = OfferRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    owner_id: principal.id().to_owned(),
                    organization_id: principal.organization_id.clone(),
                    category: spec.category.as_str().to_owned(),
                    kind: spec.kind.as_str().to_owned(),
                    title: spec.title.clone(),
                    description: spec.description.clone(),
                    unit: spec.amount.unit.clone(),
                    amount: spec.amount.value,
                    region_codes: words(spec.regions.iter().map(ToString::to_string).collect()),
                    target_groups: words(
                        spec.target_groups
                            .iter()
                            .map(|g| g.as_str().to_owned())
                            .collect(),
                    ),
                    valid_until: spec.valid_until,
                    status: OfferStatus::Open.as_str().to_owned(),
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                store::insert(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "offer.create",
                    Some(("offer", &row.id)),
                    None,
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/offers/{}", row.id)))
        .json(OfferView::build(&row)?))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferPage {
    pub items: Vec<OfferView>,
    pub next_cursor: Option<String>,
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
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let status = q.optional(p.status.as_deref(), "status", OfferStatus::parse);
    let category = q.optional(p.category.as_deref(), "category", NeedCategory::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let mine = p.mine.unwrap_or(false);
    let query = OfferQuery {
        owner_id: mine.then(|| caller.id().to_owned()),
        // Others' withdrawn offers are never shown.
        status: if mine {
            status.map(|s| s.as_str().to_owned())
        } else {
            Some(OfferStatus::Open.as_str().to_owned())
        },
        category: category.map(|c| c.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(OfferPage {
        items: rows
            .iter()
            .map(OfferView::build)
            .collect::<Result<_, _>>()?,
        next_cursor,
    }))
}

/// Loads an offer the caller may see: open ones, or their own.
pub fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<OfferRow, ApiError> {
    store::find_row(conn, id)?
        .filter(|o| o.status == OfferStatus::Open.as_str() || o.owner_id == principal.id())
        .ok_or_else(ApiError::not_found)
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
    let row = state.db(move |conn| load(conn, &principal, &id)).await?;
    Ok(web::Json(OfferView::build(&row)?))
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
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let current = load(conn, &principal, &id)?;
                if current.owner_id != principal.id() {
                    return Err(ApiError::forbidden());
                }
                if !store::withdraw(
                    conn,
                    &current.id,
                    current.version,
                    chrono::Utc::now().naive_utc(),
                )? {
                    return Err(ApiError::conflict(
                        "该供给已撤回或已被修改。",
                        "The offer is already withdrawn or changed meanwhile.",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "offer.withdraw",
                    Some(("offer", &current.id)),
                    None,
                    true,
                    None,
                )?;
                store::find_row(conn, &current.id)?.ok_or_else(ApiError::not_found)
            })
        })
        .await?;
    Ok(web::Json(OfferView::build(&row)?))
}
