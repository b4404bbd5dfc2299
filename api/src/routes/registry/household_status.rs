//! `/api/v1/households/{id}/transitions` and `/history`: status changes (exit, monitoring,
//! return to poverty) under the exit rule, and who changed what, when, why.

use actix_web::{get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, today_in_china as today};
use domain::registry::{StatusChange, Transition};

use super::views::HouseholdView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::personal::Disclosure;
use crate::service::registry::status as service;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(transition_household).service(household_history);
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"action": "exit", "year": 2026, "reason": "收入稳定超过贫困线，两不愁三保障均已实现"}))]
pub struct TransitionRequest {
    /// `exit` (poor or returned → exited; the exit standard must be met), `flag_risk`
    /// (exited → at_risk, 监测户), `clear_risk` (at_risk → exited), `return` (exited or
    /// at_risk → returned, 返贫).
    pub action: String,
    /// For `exit`: the year of exit (default: this year).
    pub year: Option<i32>,
    /// Why; kept in the history.
    pub reason: Option<String>,
}

/// Change a household's status. An illegal transition is 409 `invalid_transition` naming
/// the current status and the allowed actions; an exit that does not meet the standard is
/// 409 `exit_conditions_unmet` listing each unmet condition.
#[utoipa::path(
    tag = "registry", operation_id = "transition_household", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id")), request_body = TransitionRequest,
    responses(
        (status = 200, description = "The household after the change", body = HouseholdView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/households/{id}/transitions")]
pub async fn transition_household(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<TransitionRequest>,
) -> Result<web::Json<HouseholdView>, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let b = body.into_inner();
    let t = Transition::parse(&b.action, b.year, b.reason, today())
        .map_err(|e| ApiError::validation(vec![e]))?;
    let (who, keys, lines) = (
        caller.principal,
        state.data_keys.clone(),
        state.poverty_lines.clone(),
    );
    let entry = state
        .call(move |conn| service::transition(conn, &keys, &lines, &who, &meta, &id, t))
        .await?;
    Ok(web::Json(HouseholdView::build(&entry, Disclosure::MASKED)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusChangeView {
    pub from_status: Option<String>,
    pub to_status: String,
    pub exit_year: Option<i32>,
    pub reason: Option<String>,
    /// Who changed it (account or client id).
    pub actor_id: Option<String>,
    pub changed_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusHistory {
    pub items: Vec<StatusChangeView>,
}

/// A household's status history, oldest first.
#[utoipa::path(
    tag = "registry", operation_id = "household_history", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id")),
    responses(
        (status = 200, description = "Status changes", body = StatusHistory),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/households/{id}/history")]
pub async fn household_history(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<StatusHistory>, ApiError> {
    caller.may(Action::ReadRegistry)?;
    let (who, keys) = (caller.principal, state.data_keys.clone());
    let items = state
        .call(move |conn| service::history(conn, &keys, &who, &id))
        .await?;
    Ok(web::Json(StatusHistory {
        items: items.iter().map(StatusChangeView::from).collect(),
    }))
}

impl From<&StatusChange> for StatusChangeView {
    fn from(c: &StatusChange) -> Self {
        StatusChangeView {
            from_status: c.from_status.map(|s| s.as_str().to_owned()),
            to_status: c.to_status.as_str().to_owned(),
            exit_year: c.exit_year,
            reason: c.reason.clone(),
            actor_id: c.actor_id.clone(),
            changed_at: c.changed_at,
        }
    }
}
