//! The audit log, as every use case writes it: one builder, recorded in the same
//! transaction as the change, so every event has its actor, address and request id.
//!
//! ```ignore
//! Audit::by(principal, "pledge.create")
//!     .on("pledge", &pledge.id)
//!     .at(&pledge.region)
//!     .details(json!({"need_id": pledge.need_id}))
//!     .record(conn, meta)?;
//! ```

use domain::identity::{ActorKind, AuditEvent, Outcome, Principal, Subject};
use domain::region::RegionCode;
use persistence::DbConn;

use super::ServiceError;

/// Where a request came from, for the audit log (filled in by the HTTP layer; the CLI and
/// background jobs use the default).
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

/// Who acted.
#[derive(Debug, Clone)]
pub enum Actor<'a> {
    Principal(&'a Principal),
    /// Someone not (yet) authenticated, named by what they claimed (a username).
    Anonymous(Option<&'a str>),
    /// The platform itself: the CLI, the expiry sweep, start-up.
    System,
}

/// One audit event being described; [`Audit::record`] writes it.
#[derive(Debug, Clone)]
#[must_use = "an audit event is only kept once recorded"]
pub struct Audit<'a> {
    actor: Actor<'a>,
    action: String,
    object: Option<(String, String)>,
    place: Option<RegionCode>,
    success: bool,
    details: Option<serde_json::Value>,
}

impl<'a> Audit<'a> {
    /// `action` is a dotted verb: `pledge.create`, `auth.login_failed`, ...
    pub fn new(actor: Actor<'a>, action: impl Into<String>) -> Self {
        Self {
            actor,
            action: action.into(),
            object: None,
            place: None,
            success: true,
            details: None,
        }
    }

    /// An event of an authenticated caller.
    pub fn by(principal: &'a Principal, action: impl Into<String>) -> Self {
        Self::new(Actor::Principal(principal), action)
    }

    /// An event of the platform itself.
    pub fn system(action: impl Into<String>) -> Self {
        Self::new(Actor::System, action)
    }

    /// The object acted on: its type (`pledge`) and id.
    pub fn on(mut self, object_type: &str, id: &str) -> Self {
        self.object = Some((object_type.to_owned(), id.to_owned()));
        self
    }

    /// The place the object belongs to (the log is read by jurisdiction).
    pub fn at(mut self, place: &RegionCode) -> Self {
        self.place = Some(place.clone());
        self
    }

    /// The place, when the object may have none.
    pub fn at_maybe(mut self, place: Option<&RegionCode>) -> Self {
        self.place = place.cloned();
        self
    }

    /// Anything else worth keeping (never personal data).
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// The attempt failed (a refused login, ...).
    pub fn failed(mut self) -> Self {
        self.success = false;
        self
    }

    pub fn record(self, conn: &mut DbConn, meta: &RequestMeta) -> Result<(), ServiceError> {
        let (actor_kind, actor_id, actor_role) = match &self.actor {
            Actor::Principal(p) => match &p.subject {
                Subject::User { id, role } => (ActorKind::User, Some(id.clone()), Some(*role)),
                Subject::Client { id, .. } => (ActorKind::Client, Some(id.clone()), None),
            },
            Actor::Anonymous(name) => (ActorKind::Anonymous, name.map(str::to_owned), None),
            Actor::System => (ActorKind::System, None, None),
        };
        let (object_type, object_id) = match self.object {
            Some((t, id)) => (Some(t), Some(id)),
            None => (None, None),
        };
        let event = AuditEvent {
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: chrono::Utc::now().naive_utc(),
            actor_kind,
            actor_id,
            actor_role,
            action: self.action,
            object_type,
            object_id,
            place: self.place,
            outcome: if self.success {
                Outcome::Success
            } else {
                Outcome::Failure
            },
            ip: meta.ip.clone(),
            request_id: meta.request_id.clone(),
            details: self.details.map(|d| d.to_string()),
        };
        persistence::identity::audit_events::record(conn, &event)?;
        Ok(())
    }
}
