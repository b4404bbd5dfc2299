//! `POST /api/v1/donations/{id}/{action}`: the receiving organisation confirms a gift
//! arrived (its receipt is issued), rejects it, refunds it or voids its receipt.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use domain::donation::{Donation, DonationAction};
use domain::identity::Action;

use super::views::DonationView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::service::donation as service;
use crate::state::AppState;

/// A reason, required for all but `confirm`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "未收到该笔汇款"}))]
pub struct DonationReasonBody {
    /// At most 1,000 characters.
    pub reason: Option<String>,
}

/// Act on a gift your organisation received: `confirm` (it arrived; the receipt is issued),
/// `reject`, `refund` or `void` (each with a reason). Two members acting at once: one wins,
/// the other gets 409.
#[utoipa::path(
    tag = "participants", operation_id = "act_on_donation", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Donation id"),
        ("action" = String, Path, description = "`confirm` or `reject` a pending gift; `refund` or `void` a confirmed one"),
        ("If-Match" = Option<String>, Header, description = "The ETag the action is based on"),
    ),
    request_body(content = Option<DonationReasonBody>, description = "`reason` is required for `reject`, `refund` and `void`"),
    responses(
        (status = 200, description = "The gift after the action", body = DonationView, example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "donor_id": "0193a6f4-0000-7000-8000-000000000001", "organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e40", "kind": "money", "amount_fen": 50000, "description": null, "need_id": null, "pledge_id": null, "campaign_id": null, "project_id": null, "donated_on": "2026-11-28", "status": "confirmed", "status_reason": null, "receipt_number": "FP20260000000042", "deductible": true, "not_deductible_reason": null, "created_at": "2026-11-28T08:00:00Z"})),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[post("/donations/{id}/{action}")]
pub async fn act_on_donation(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<DonationReasonBody>>,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
    let action = DonationAction::parse(&action).map_err(|_| ApiError::not_found())?;
    caller.may(Action::ReceiveGifts)?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let precondition = etag::if_match(&req, |d: &Donation| DonationView::from(d.clone()));
    let donation = state
        .call(move |conn| {
            service::act(
                conn,
                &keys,
                &principal,
                &meta,
                &id,
                action,
                reason,
                precondition,
            )
        })
        .await?;
    Ok(etag::tagged(&DonationView::from(donation)))
}
