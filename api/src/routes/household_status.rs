//! `/api/v1/households/{id}/transitions` and `/history`: status changes (exit, monitoring,
//! return to poverty) under the exit rule, and who changed what, when, why.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::Action;
use domain::registry::StatusAction;
use persistence::registry::households as store;
use persistence::write_transaction;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::personal::Disclosure;
use crate::routes::household_views::HouseholdView;
use crate::routes::households::{load, status_change};
use crate::state::AppState;
use domain::identity::today_in_china as today;

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
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let b = body.into_inner();
    let action = StatusAction::parse(&b.action).map_err(|e| ApiError::validation(vec![e]))?;
    let year = b.year.unwrap_or_else(|| chrono::Datelike::year(&today()));
    if !(2013..=chrono::Datelike::year(&today())).contains(&year) {
        return Err(ApiError::validation(vec![FieldError::new(
            "year",
            "out_of_range",
            "between 2013 and this year",
            "应在 2013 年到今年之间",
        )]));
    }
    let reason = b
        .reason
        .map(|r| r.trim().chars().take(500).collect::<String>())
        .filter(|r| !r.is_empty());
    let principal = caller.principal.clone();
    let st = state.clone();
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let (row, mut household) = load(conn, &st, &principal, &id)?;
                let from = row.status.clone();
                household.apply(action, year, &st.poverty_lines)?;
                let now = chrono::Utc::now().naive_utc();
                let status = household.status.as_str();
                if !store::set_status(
                    conn,
                    &row.id,
                    status,
                    household.exit_year,
                    row.version,
                    Some(principal.id()),
                    now,
                )? {
                    return Err(ApiError::precondition_failed());
                }
                let updated = store::find(conn, &row.id)?.ok_or_else(ApiError::not_found)?;
                store::record_status_change(
                    conn,
                    &status_change(&updated, Some(&from), reason.clone(), &principal, now),
                )?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "household.transition",
                    Some(("household", &row.id)),
                    Some(&household.region_code),
                    true,
                    Some(
                        serde_json::json!({"from": from, "to": status, "action": action.as_str()}),
                    ),
                )?;
                Ok(HouseholdView::build(
                    &updated,
                    &household,
                    Disclosure::MASKED,
                ))
            })
        })
        .await?;
    Ok(web::Json(view))
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
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ReadRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    let st = state.clone();
    let items = state
        .db(move |conn| {
            let (row, _) = load(conn, &st, &principal, &id)?;
            Ok(store::status_history(conn, &row.id)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(StatusHistory {
        items: items
            .into_iter()
            .map(|c| StatusChangeView {
                from_status: c.from_status,
                to_status: c.to_status,
                exit_year: c.exit_year,
                reason: c.reason,
                actor_id: c.actor_id,
                changed_at: c.changed_at.and_utc(),
            })
            .collect(),
    }))
}
