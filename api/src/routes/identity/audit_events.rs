//! `/api/v1/audit-events`: the audit log, read-only. Platform admins see everything;
//! province officials see the events about places in their subtree.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use domain::FieldError;
use domain::identity::{Action, AuditEvent};

use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::http::pagination::Page;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, SignedIn};
use crate::service::identity::audit_events::{self as service, AuditFilter};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "occurred_at": "2026-11-28T08:00:00Z", "actor_kind": "user",
    "actor_id": "0193a6f4-0000-7000-8000-000000000001", "actor_role": "county_official", "action": "personal_data.reveal",
    "object_type": "user", "object_id": "0193a6f4-0000-7000-8000-000000000002", "region_code": "210921100000",
    "outcome": "success", "ip": "10.1.2.3", "request_id": "portal-42", "details": null
}))]
pub struct AuditEventView {
    pub id: String,
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// `user`, `client`, `anonymous` or `system`.
    pub actor_kind: String,
    /// Account or client id; for failed logins, the username tried.
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    /// `auth.login`, `auth.login_failed`, `auth.refresh`, `auth.refresh_reused`, `auth.revoke`,
    /// `auth.client_token`, `user.create`, `client.create`, `client.disable`,
    /// `personal_data.reveal`, ...
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub region_code: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    pub details: Option<serde_json::Value>,
}

impl From<AuditEvent> for AuditEventView {
    fn from(e: AuditEvent) -> Self {
        AuditEventView {
            id: e.id,
            occurred_at: e.occurred_at.and_utc(),
            actor_kind: e.actor_kind.as_str().to_owned(),
            actor_id: e.actor_id,
            actor_role: e.actor_role.map(|r| r.as_str().to_owned()),
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            region_code: e.place.map(|p| p.to_string()),
            outcome: e.outcome.as_str().to_owned(),
            ip: e.ip,
            request_id: e.request_id,
            details: e.details.and_then(|d| serde_json::from_str(&d).ok()),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Only events by this actor (account or client id).
    pub actor_id: Option<String>,
    /// Only this action, e.g. `personal_data.reveal`.
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// From this time on (RFC 3339).
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// Before this time (RFC 3339).
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl AuditParams {
    fn filter(self) -> Result<AuditFilter, ApiError> {
        let page = QueryReader::new().page(self.limit, self.cursor.as_deref())?;
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ApiError::invalid_parameters(vec![FieldError::new(
                "to",
                "before_from",
                "`to` is before `from`",
                "`to` 早于 `from`",
            )]));
        }
        Ok(AuditFilter {
            actor_id: self.actor_id,
            action: self.action,
            object_type: self.object_type,
            object_id: self.object_id,
            from: self.from.map(|t| t.naive_utc()),
            to: self.to.map(|t| t.naive_utc()),
            page,
        })
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventPage {
    pub items: Vec<AuditEventView>,
    pub next_cursor: Option<String>,
}

impl From<Page<AuditEvent>> for AuditEventPage {
    fn from(page: Page<AuditEvent>) -> Self {
        let page = page.map(AuditEventView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// Read the audit log, oldest first.
#[utoipa::path(
    tag = "audit", operation_id = "list_audit_events", security(("bearer" = [])), params(AuditParams),
    responses(
        (status = 200, description = "A page of audit events", body = AuditEventPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/audit-events")]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<AuditParams>,
) -> Result<web::Json<AuditEventPage>, ApiError> {
    caller.may(Action::ReadAuditEvents)?;
    let (filter, principal) = (params.into_inner().filter()?, caller.principal);
    let page = state
        .call(move |conn| service::list(conn, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
}
