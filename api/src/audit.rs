//! Recording audit events from the API layer: one function, so every event has the actor,
//! the address and the request id.

use domain::identity::{Principal, Subject};
use domain::region::RegionCode;
use persistence::DbConn;
use persistence::audit::AuditEvent;

use crate::auth::caller::RequestMeta;
use crate::error::ApiError;

/// Who acted.
#[derive(Debug, Clone)]
pub enum Actor<'a> {
    Principal(&'a Principal),
    /// Someone not (yet) authenticated, named by what they claimed (a username).
    Anonymous(Option<&'a str>),
    System,
}

#[expect(
    clippy::too_many_arguments,
    reason = "one flat call site per event reads best"
)]
pub fn record(
    conn: &mut DbConn,
    actor: &Actor<'_>,
    meta: &RequestMeta,
    action: &str,
    object: Option<(&str, &str)>,
    place: Option<&RegionCode>,
    success: bool,
    details: Option<serde_json::Value>,
) -> Result<(), ApiError> {
    let (actor_kind, actor_id, actor_role) = match actor {
        Actor::Principal(p) => match &p.subject {
            Subject::User { id, role } => {
                ("user", Some(id.clone()), Some(role.as_str().to_owned()))
            }
            Subject::Client { id, .. } => ("client", Some(id.clone()), None),
        },
        Actor::Anonymous(name) => ("anonymous", name.map(str::to_owned), None),
        Actor::System => ("system", None, None),
    };
    let event = AuditEvent {
        id: uuid::Uuid::now_v7().to_string(),
        occurred_at: chrono::Utc::now().naive_utc(),
        actor_kind: actor_kind.to_owned(),
        actor_id,
        actor_role,
        action: action.to_owned(),
        object_type: object.map(|(t, _)| t.to_owned()),
        object_id: object.map(|(_, id)| id.to_owned()),
        region_code: place.map(ToString::to_string),
        county_code: place.and_then(RegionCode::county).map(String::from),
        outcome: if success { "success" } else { "failure" }.to_owned(),
        ip: meta.ip.clone(),
        request_id: meta.request_id.clone(),
        details: details.map(|d| d.to_string()),
    };
    persistence::audit::record(conn, &event)?;
    Ok(())
}
