//! The one error type of the domain: a rule of the policy was broken.
//!
//! Messages come in both languages the API speaks (`zh-CN` and `en`), so the HTTP layer can
//! answer in the caller's language without a translation table of its own.

use std::fmt;

/// One invalid field: which field, a stable machine word, and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as the API spells it (`region_code`, `members[2].id_number`).
    pub field: String,
    /// Stable machine word, e.g. `format`, `unknown_level`, `required`.
    pub code: &'static str,
    pub message_en: String,
    pub message_zh: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: &'static str,
        message_en: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code,
            message_en: message_en.into(),
            message_zh: message_zh.into(),
        }
    }

    /// The same error reported against another field name (a value type does not know
    /// which field of which request it was parsed from).
    #[must_use]
    pub fn for_field(mut self, field: impl Into<String>) -> Self {
        self.field = field.into();
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message_en)
    }
}

impl std::error::Error for FieldError {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// One or more fields break a rule (422).
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// A state machine was asked for an action its current state does not allow (409).
    #[error("cannot {action} while {state}; allowed: {}", allowed.join(", "))]
    InvalidTransition {
        state: String,
        action: String,
        allowed: Vec<String>,
    },
    /// The record does not (yet) meet the conditions an action requires (409), e.g. a
    /// household that does not meet the standard for exiting poverty. `code` is a stable
    /// machine word for the rule (`exit_conditions_unmet`); each condition names what is
    /// missing in its `code` (`income_below_line`, `basic_medical`, `housing_safe`, ...),
    /// the field it concerns, and a message in both languages.
    #[error("{code}: {}", conditions.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Unmet {
        code: &'static str,
        conditions: Vec<FieldError>,
    },
    /// A pledge asks for more than a need has left (409 `capacity_exceeded`). `remaining`
    /// is in fen when `unit` is `None`, else in that unit.
    #[error("capacity exceeded: {remaining} {} remaining", unit.as_deref().unwrap_or("fen"))]
    CapacityExceeded {
        remaining: i64,
        unit: Option<String>,
    },
}

impl From<FieldError> for DomainError {
    fn from(e: FieldError) -> Self {
        Self::Invalid(vec![e])
    }
}
