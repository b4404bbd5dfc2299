//! `POST /api/v1/needs/{id}/{action}`: the need's lifecycle. A village cadre submits; a
//! township or county official verifies, rejects (with a reason) or publishes; a fulfilled
//! need is closed; any open need may be cancelled (with a reason), which cancels its
//! undelivered pledges and gives their capacity back.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, Principal};
use domain::platform::{NeedAction, NeedStatus, parse_reason};
use persistence::platform::needs::{self as store, NeedRow, StatusChange};
use persistence::platform::pledges;
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::routes::platform_views::{NeedView, load_need};
use crate::service::scope::place_of;
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

/// Who may ask for each action.
fn required_right(action: NeedAction) -> Option<Action> {
    match action {
        NeedAction::Submit | NeedAction::Cancel => Some(Action::ManageNeeds),
        NeedAction::Verify | NeedAction::Reject | NeedAction::Publish | NeedAction::Close => {
            Some(Action::ReviewNeeds)
        }
        NeedAction::Expire | NeedAction::Fulfil => None,
    }
}

/// Cancels the need's undelivered pledges, giving their capacity back.
fn cancel_pledges(conn: &mut DbConn, need: &NeedRow, reason: &str) -> Result<usize, ApiError> {
    let open = pledges::undelivered_of(conn, &need.id)?;
    let now = chrono::Utc::now();
    for p in &open {
        let released = p.released_by_cancelled_need(reason, now)?;
        if !pledges::update(conn, &released, p.version)? {
            return Err(ApiError::conflict(
                "认领记录已被修改，请重试。",
                "A pledge changed meanwhile; retry.",
            ));
        }
        store::give_back_capacity(conn, &need.id, p.amount.value)?;
    }
    Ok(open.len())
}

fn apply(
    conn: &mut DbConn,
    principal: &Principal,
    id: &str,
    action: NeedAction,
    reason: Option<String>,
    if_match: Option<&header::HeaderValue>,
) -> Result<NeedRow, ApiError> {
    let current = load_need(conn, principal, id)?;
    etag::check_if_match_value(if_match, &etag::of(&NeedView::build(&current)?))?;
    let status =
        NeedStatus::parse(&current.status).map_err(|e| ApiError::internal(e.to_string()))?;
    let next = status.transition(action)?;
    let reason = match action {
        NeedAction::Reject | NeedAction::Cancel => Some(parse_reason(reason.as_deref())?),
        _ => None,
    };
    let mut version = current.version;
    if action == NeedAction::Cancel {
        cancel_pledges(conn, &current, reason.as_deref().unwrap_or_default())?;
        version = store::find_row(conn, id)?
            .ok_or_else(ApiError::not_found)?
            .version;
    }
    let now = chrono::Utc::now().naive_utc();
    let change = StatusChange {
        status: next.as_str().to_owned(),
        listed: store::listed(next),
        reason: action.reason_change(reason),
        reviewed_by: action.is_review().then(|| principal.id().to_owned()),
        published_at: (action == NeedAction::Publish).then_some(now),
        version: version + 1,
        updated_at: now,
    };
    if !store::change_status(conn, id, version, &change)? {
        return Err(ApiError::conflict(
            "需求已被他人修改，请重新读取后再试。",
            "The need changed meanwhile; read it again and retry.",
        ));
    }
    store::find_row(conn, id)?.ok_or_else(ApiError::not_found)
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
    let right = required_right(action).ok_or_else(ApiError::not_found)?;
    caller.may(right).map_err(|_| ApiError::forbidden())?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let principal = caller.principal.clone();
    let if_match = req.headers().get(header::IF_MATCH).cloned();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let row = apply(conn, &principal, &id, action, reason, if_match.as_ref())?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    &format!("need.{}", action.as_str()),
                    Some(("need", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    row.status_reason
                        .as_ref()
                        .map(|r| serde_json::json!({"reason": r})),
                )?;
                Ok(row)
            })
        })
        .await?;
    state.public_needs.forget(&row.id);
    let view = NeedView::build(&row)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag::of(&view)))
        .json(view))
}

/// How often the platform looks for needs whose deadline passed.
pub const EXPIRY_SWEEP: std::time::Duration = std::time::Duration::from_secs(600);

/// Moves needs past their deadline to `expired`, now and every [`EXPIRY_SWEEP`]. Listing
/// and pledging check the deadline themselves, so nothing waits on this sweep to be correct.
pub async fn expire_overdue_needs(state: web::Data<AppState>) {
    let mut tick = actix_web::rt::time::interval(EXPIRY_SWEEP);
    loop {
        tick.tick().await;
        let done = state
            .db(|conn| {
                let now = chrono::Utc::now().naive_utc();
                Ok(write_transaction(conn, |conn| {
                    store::expire_overdue(conn, domain::identity::today_in_china(), now)
                })?)
            })
            .await;
        match done {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "needs past their deadline expired"),
            Err(e) => tracing::warn!(error = %e, "need expiry sweep failed"),
        }
    }
}
