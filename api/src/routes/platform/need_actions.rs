//! `POST /api/v1/needs/{id}/{action}`: the need's lifecycle. A village cadre submits; a
//! township or county official verifies, rejects (with a reason) or publishes; a fulfilled
//! need is closed; any open need may be cancelled (with a reason), which cancels its
//! undelivered pledges and gives their capacity back.

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::platform::{Need, NeedAction};

use super::views::NeedView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::service::platform::needs;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(act_on_need);
}

/// A reason, required to `reject` and `cancel`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "请补充学校出具的在读证明"}))]
pub struct ReasonBody {
    /// At most 1,000 characters.
    pub reason: Option<String>,
}

/// Move a need along its lifecycle: `submit`, `verify`, `reject`, `publish`, `close`,
/// `cancel`.
#[utoipa::path(
    tag = "platform", operation_id = "act_on_need", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Need id"),
        ("action" = String, Path, description = "`submit` (village cadre), `verify`, `reject`, `publish` (township or county official), `close`, `cancel`"),
        ("If-Match" = Option<String>, Header, description = "The ETag the action is based on"),
    ),
    request_body(content = Option<ReasonBody>, description = "`reason` is required for `reject` and `cancel`"),
    responses(
        (status = 200, description = "The need after the action", body = NeedView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = Conflict),
        (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[post("/needs/{id}/{action}")]
pub async fn act_on_need(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<ReasonBody>>,
) -> Result<HttpResponse, ApiError> {
    let (id, action) = path.into_inner();
    let action = NeedAction::parse(&action).map_err(|_| ApiError::not_found())?;
    caller.may(action.right().ok_or_else(ApiError::not_found)?)?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let principal = caller.principal.clone();
    let precondition = etag::if_match(&req, |n: &Need| NeedView::from(n));
    let need = state
        .call(move |conn| needs::act(conn, &principal, &meta, &id, action, reason, precondition))
        .await?;
    state.public_needs.forget(&need.id);
    Ok(etag::tagged(&NeedView::from(&need)))
}
