//! 审计日志: who did what to which object, when, from where, and whether it worked. The
//! log is append-only; an event is never changed once recorded.

use chrono::NaiveDateTime;

use crate::FieldError;
use crate::region::RegionCode;

use super::Role;

/// What kind of actor an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// A signed-in user.
    User,
    /// An integration client.
    Client,
    /// Someone not (yet) authenticated, named by what they claimed (a failed login).
    Anonymous,
    /// The platform itself: the command line, background jobs, start-up.
    System,
}

impl ActorKind {
    pub const ALL: [ActorKind; 4] = [Self::User, Self::Client, Self::Anonymous, Self::System];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Client => "client",
            Self::Anonymous => "anonymous",
            Self::System => "system",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "actor_kind",
                    "unknown_value",
                    format!("unknown actor kind {s:?}"),
                    format!("未知的操作者类型 {s:?}"),
                )
            })
    }
}

/// Whether what an event records was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Success,
    /// Attempted and refused (a failed login, a reused refresh token).
    Failure,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Failure => "failure",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s {
            "success" => Ok(Self::Success),
            "failure" => Ok(Self::Failure),
            _ => Err(FieldError::new(
                "outcome",
                "unknown_value",
                format!("unknown outcome {s:?}"),
                format!("未知的结果 {s:?}"),
            )),
        }
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// UUIDv7: time-ordered, so the log pages by id.
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: ActorKind,
    /// Account or client id; for failed logins, the name tried.
    pub actor_id: Option<String>,
    pub actor_role: Option<Role>,
    /// Dotted verb: `user.create`, `auth.login`, `auth.login_failed`, `personal_data.reveal`...
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// The place the object belongs to: the log is read by jurisdiction.
    pub place: Option<RegionCode>,
    pub outcome: Outcome,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// A JSON object with anything else worth keeping (never personal data).
    pub details: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_outcomes_round_trip_through_their_words() {
        for kind in ActorKind::ALL {
            assert_eq!(ActorKind::parse(kind.as_str()), Ok(kind));
        }
        assert_eq!(ActorKind::parse("robot").unwrap_err().code, "unknown_value");
        for outcome in [Outcome::Success, Outcome::Failure] {
            assert_eq!(Outcome::parse(outcome.as_str()), Ok(outcome));
        }
        assert!(Outcome::parse("maybe").is_err());
    }
}
