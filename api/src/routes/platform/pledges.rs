//! `/api/v1/pledges`: a participant pledges all or part of a published need, delivers it
//! with evidence, and the place confirms it; the household side gives feedback.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::Action;
use domain::platform::{EvidenceDraft, Feedback, PledgeAction, PledgeDraft, PledgeStatus};
use domain::region::RegionCode;

use super::views::PledgeView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination::{Page, PageRequest};
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::platform::pledges::{self, PledgeActionInput, PledgeFilter};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_pledge)
        .service(list_pledges)
        .service(my_pledges)
        .service(get_pledge)
        .service(give_feedback)
        .service(act_on_pledge);
}

/// The body of `POST /pledges`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"need_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "quantity": 1, "note": "周五前送到村委会"}))]
pub struct PledgeBody {
    pub need_id: String,
    /// For a need that asks for money.
    pub amount_fen: Option<i64>,
    /// For a need that asks for a quantity (in the need's unit).
    pub quantity: Option<i64>,
    /// One of your open offers this pledge comes from.
    pub offer_id: Option<String>,
    /// One of your active pairings with the need's household or village.
    pub pairing_id: Option<String>,
    pub note: Option<String>,
}

impl From<PledgeBody> for PledgeDraft {
    fn from(b: PledgeBody) -> Self {
        PledgeDraft {
            need_id: b.need_id,
            amount_fen: b.amount_fen,
            quantity: b.quantity,
            offer_id: b.offer_id,
            pairing_id: b.pairing_id,
            note: b.note,
        }
    }
}

/// Pledge all or part of a published need (自主选择). Safe to retry with `Idempotency-Key`.
#[utoipa::path(
    tag = "platform", operation_id = "create_pledge", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer instead of pledging twice")),
    request_body = PledgeBody,
    responses(
        (status = 201, description = "Pledged", body = PledgeView, headers(("Location" = String, description = "URL of the pledge"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pledges")]
pub async fn create_pledge(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<PledgeBody>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::Give)?;
    let principal = caller.principal.clone();
    let draft = PledgeDraft::from(body.into_inner());
    let detail = state
        .call(move |conn| pledges::create(conn, &principal, &meta, draft))
        .await?;
    state.public_needs.forget(&detail.pledge.need_id);
    let view = PledgeView::from(detail);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/pledges/{}", view.id)))
        .json(view))
}

/// One pledge with its trail and feedback (its pledger, or officials of the place).
#[utoipa::path(
    tag = "platform", operation_id = "get_pledge", security(("bearer" = [])), params(("id" = String, Path, description = "Pledge id")),
    responses(
        (status = 200, description = "The pledge", body = PledgeView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/pledges/{id}")]
pub async fn get_pledge(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<PledgeView>, ApiError> {
    let principal = caller.principal.clone();
    let detail = state
        .call(move |conn| pledges::get(conn, &principal, &id))
        .await?;
    Ok(web::Json(detail.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PledgeListParams {
    pub need_id: Option<String>,
    pub pairing_id: Option<String>,
    /// Officials: this region and everything under it.
    pub region: Option<String>,
    /// `pledged`, `delivered`, `confirmed`, `cancelled`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl PledgeListParams {
    fn read(self) -> Result<(PledgeFilter, PageRequest<String>), ApiError> {
        let mut q = QueryReader::new();
        let region = q.optional(self.region.as_deref(), "region", RegionCode::parse);
        let status = q.optional(self.status.as_deref(), "status", PledgeStatus::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        let filter = PledgeFilter {
            need_id: self.need_id,
            pairing_id: self.pairing_id,
            region,
            status,
        };
        Ok((filter, page))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PledgePage {
    pub items: Vec<PledgeView>,
    pub next_cursor: Option<String>,
}

impl From<Page<pledges::PledgeDetail>> for PledgePage {
    fn from(page: Page<pledges::PledgeDetail>) -> Self {
        let page = page.map(PledgeView::from);
        PledgePage {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// Pledges: a participant's own; an official's jurisdiction's.
#[utoipa::path(
    tag = "platform", operation_id = "list_pledges", security(("bearer" = [])), params(PledgeListParams),
    responses(
        (status = 200, description = "A page of pledges", body = PledgePage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/pledges")]
pub async fn list_pledges(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<PledgeListParams>,
) -> Result<web::Json<PledgePage>, ApiError> {
    let (filter, page) = params.into_inner().read()?;
    let principal = caller.principal.clone();
    let found = state
        .call(move |conn| pledges::list(conn, &principal, filter, &page))
        .await?;
    Ok(web::Json(found.into()))
}

/// Your own pledges and their trail: pledged → delivered → confirmed, and the feedback.
#[utoipa::path(
    tag = "platform", operation_id = "my_pledges", security(("bearer" = [])), params(PledgeListParams),
    responses(
        (status = 200, description = "A page of your pledges", body = PledgePage),
        Always, SignedIn,
    )
)]
#[get("/me/pledges")]
pub async fn my_pledges(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<PledgeListParams>,
) -> Result<web::Json<PledgePage>, ApiError> {
    let (filter, page) = params.into_inner().read()?;
    let principal = caller.principal.clone();
    let found = state
        .call(move |conn| pledges::list_mine(conn, &principal, filter, &page))
        .await?;
    Ok(web::Json(found.into()))
}

/// The body of a pledge action.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"evidence": [{"url": "https://files.example.cn/receipt.jpg", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}], "note": "已送到村委会"}))]
pub struct PledgeActionBody {
    /// `deliver`: at least one attachment (photo, receipt).
    #[schema(value_type = Option<Vec<super::views::EvidenceBody>>)]
    pub evidence: Option<Vec<EvidenceDraft>>,
    pub note: Option<String>,
    /// `cancel`: why.
    pub reason: Option<String>,
}

/// `deliver` (the pledger, with evidence), `confirm` (the village cadre or an official of
/// the place), `cancel` (the pledger, before delivery; the capacity goes back to the need).
#[utoipa::path(
    tag = "platform", operation_id = "act_on_pledge", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pledge id"), ("action" = String, Path, description = "`deliver`, `confirm` or `cancel`")),
    request_body(content = Option<PledgeActionBody>, description = "`evidence` for deliver; `reason` for cancel"),
    responses(
        (status = 200, description = "The pledge after the action", body = PledgeView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pledges/{id}/{action}")]
pub async fn act_on_pledge(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<PledgeActionBody>>,
) -> Result<web::Json<PledgeView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = PledgeAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let input = PledgeActionInput {
        evidence: body.evidence.unwrap_or_default(),
        note: body.note,
        reason: body.reason,
    };
    let principal = caller.principal.clone();
    let detail = state
        .call(move |conn| pledges::act(conn, &principal, &meta, &id, action, input))
        .await?;
    state.public_needs.forget(&detail.pledge.need_id);
    Ok(web::Json(detail.into()))
}

/// Feedback and thanks from the household side.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "孩子们穿上了新校服，谢谢您！", "rating": 5, "household_acknowledged": true}))]
pub struct FeedbackBody {
    /// At most 1,000 characters.
    pub message: Option<String>,
    /// 1 to 5.
    pub rating: Option<i32>,
    /// The household itself acknowledged receipt.
    pub household_acknowledged: Option<bool>,
}

/// Give feedback on a delivered or confirmed pledge (the village cadre or an official of
/// the place, for the household); the donor sees it on the pledge.
#[utoipa::path(
    tag = "platform", operation_id = "give_pledge_feedback", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pledge id")),
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "Recorded; the pledge with its feedback", body = PledgeView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pledges/{id}/feedback")]
pub async fn give_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<FeedbackBody>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ActForHouseholds)?;
    let b = body.into_inner();
    let feedback = Feedback::parse(b.message.as_deref(), b.rating, b.household_acknowledged)
        .map_err(ApiError::validation)?;
    let principal = caller.principal.clone();
    let detail = state
        .call(move |conn| pledges::give_feedback(conn, &principal, &meta, &id, feedback))
        .await?;
    Ok(HttpResponse::Created().json(PledgeView::from(detail)))
}
