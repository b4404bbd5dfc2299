//! `/api/v1/pairings` (结对帮扶 / 结对认亲): a lasting relationship between a participant and
//! a household or village, active once both sides consented.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, today_in_china as today};
use domain::platform::{PairingAction, PairingKind, PairingSpec, PairingStatus, parse_note};
use domain::region::RegionCode;

use super::views::PairingView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::platform::pairings::{self, PairingDetail};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(propose_pairing)
        .service(list_pairings)
        .service(get_pairing)
        .service(act_on_pairing);
}

/// The body of `POST /pairings`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "kind": "kinship", "starts_on": "2026-12-01", "note": "每季度走访一次"}))]
pub struct PairingBody {
    /// A registered household (or give `village_id`).
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    /// `assistance` (结对帮扶) or `kinship` (结对认亲).
    #[schema(schema_with = crate::openapi::labelled::<PairingKind>)]
    pub kind: String,
    /// `YYYY-MM-DD`; default today.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub note: Option<String>,
}

impl PairingBody {
    fn parse(&self) -> Result<PairingSpec, ApiError> {
        PairingSpec::parse(
            self.household_id.as_deref(),
            self.village_id.as_deref(),
            &self.kind,
            (self.starts_on.as_deref(), self.ends_on.as_deref()),
            self.note.as_deref(),
            today(),
        )
        .map_err(ApiError::validation)
    }
}

/// Propose a pairing with a registered household or poor village (你自愿，对方同意后生效).
#[utoipa::path(
    tag = "platform", operation_id = "propose_pairing", security(("bearer" = [])),
    request_body = PairingBody,
    responses(
        (status = 201, description = "Proposed; active once the household side accepts", body = PairingView, headers(("Location" = String, description = "URL of the pairing"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pairings")]
pub async fn propose_pairing(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<PairingBody>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::Give)?;
    let spec = body.parse()?;
    let principal = caller.principal.clone();
    let pairing = state
        .call(move |conn| pairings::propose(conn, &principal, &meta, spec))
        .await?;
    let view = PairingView::from(PairingDetail {
        pairing,
        pledge_ids: vec![],
        show_household: false,
    });
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/pairings/{}", view.id)))
        .json(view))
}

/// One pairing (its participant, or officials of the place).
#[utoipa::path(
    tag = "platform", operation_id = "get_pairing", security(("bearer" = [])), params(("id" = String, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The pairing", body = PairingView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/pairings/{id}")]
pub async fn get_pairing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<PairingView>, ApiError> {
    let principal = caller.principal.clone();
    let detail = state
        .call(move |conn| pairings::get(conn, &principal, &id))
        .await?;
    Ok(web::Json(detail.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairingListParams {
    /// Officials: this region and everything under it.
    pub region: Option<String>,
    /// `proposed`, `active`, `declined`, `ended`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PairingPage {
    pub items: Vec<PairingView>,
    pub next_cursor: Option<String>,
}

/// Pairings: a participant's own; an official's jurisdiction's.
#[utoipa::path(
    tag = "platform", operation_id = "list_pairings", security(("bearer" = [])), params(PairingListParams),
    responses(
        (status = 200, description = "A page of pairings", body = PairingPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/pairings")]
pub async fn list_pairings(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<PairingListParams>,
) -> Result<web::Json<PairingPage>, ApiError> {
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let region = q.optional(p.region.as_deref(), "region", RegionCode::parse);
    let status = q.optional(p.status.as_deref(), "status", PairingStatus::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let principal = caller.principal.clone();
    let found = state
        .call(move |conn| pairings::list(conn, &principal, region, status, &page))
        .await?
        .map(PairingView::from);
    Ok(web::Json(PairingPage {
        items: found.items,
        next_cursor: found.next_cursor,
    }))
}

/// A reason for declining or ending.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingActionBody {
    pub reason: Option<String>,
}

/// `accept` or `decline` (the household side: its village cadre or an official of the
/// place), `end` (either side).
#[utoipa::path(
    tag = "platform", operation_id = "act_on_pairing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pairing id"), ("action" = String, Path, description = "`accept`, `decline` or `end`")),
    request_body(content = Option<PairingActionBody>, description = "An optional reason"),
    responses(
        (status = 200, description = "The pairing after the action", body = PairingView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pairings/{id}/{action}")]
pub async fn act_on_pairing(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<PairingActionBody>>,
) -> Result<web::Json<PairingView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = PairingAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let reason = parse_note(body.and_then(|b| b.into_inner().reason).as_deref())
        .map_err(|e| ApiError::validation(vec![e.for_field("reason")]))?;
    let principal = caller.principal.clone();
    let detail = state
        .call(move |conn| pairings::act(conn, &principal, &meta, &id, action, reason))
        .await?;
    Ok(web::Json(detail.into()))
}
