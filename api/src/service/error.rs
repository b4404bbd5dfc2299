//! `ServiceError`: why a use case did not happen, in words the HTTP layer can render but
//! without HTTP in it. Every stable machine code of the API is one variant of [`ErrorCode`],
//! with its title in both languages, so no code is a string literal in a handler.

use domain::identity::Denied;
use domain::{DomainError, FieldError};
use persistence::PersistenceError;

/// The stable machine words of the API's problems (`code` of a problem+json body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    BadRequest,
    InvalidParameter,
    ValidationFailed,
    InvalidScope,
    Unauthorized,
    Forbidden,
    PasswordChangeRequired,
    NotFound,
    MethodNotAllowed,
    NotAcceptable,
    Conflict,
    DuplicatePerson,
    InvalidTransition,
    CapacityExceeded,
    OrganizationNotVerified,
    ExitConditionsUnmet,
    PreconditionFailed,
    PreconditionRequired,
    PayloadTooLarge,
    UnsupportedMediaType,
    IdempotencyKeyReused,
    RateLimited,
    Unavailable,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 24] = [
        Self::BadRequest,
        Self::InvalidParameter,
        Self::ValidationFailed,
        Self::InvalidScope,
        Self::Unauthorized,
        Self::Forbidden,
        Self::PasswordChangeRequired,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::NotAcceptable,
        Self::Conflict,
        Self::DuplicatePerson,
        Self::InvalidTransition,
        Self::CapacityExceeded,
        Self::OrganizationNotVerified,
        Self::ExitConditionsUnmet,
        Self::PreconditionFailed,
        Self::PreconditionRequired,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::IdempotencyKeyReused,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The machine word clients match on.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "bad_request",
            Self::InvalidParameter => "invalid_parameter",
            Self::ValidationFailed => "validation_failed",
            Self::InvalidScope => "invalid_scope",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::PasswordChangeRequired => "password_change_required",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::NotAcceptable => "not_acceptable",
            Self::Conflict => "conflict",
            Self::DuplicatePerson => "duplicate_person",
            Self::InvalidTransition => "invalid_transition",
            Self::CapacityExceeded => "capacity_exceeded",
            Self::OrganizationNotVerified => "organization_not_verified",
            Self::ExitConditionsUnmet => "exit_conditions_unmet",
            Self::PreconditionFailed => "precondition_failed",
            Self::PreconditionRequired => "precondition_required",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::RateLimited => "rate_limited",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// The problem's title: (Chinese, English).
    pub fn title(self) -> (&'static str, &'static str) {
        match self {
            Self::BadRequest => ("请求格式错误", "Malformed request"),
            Self::InvalidParameter => ("参数无效", "Invalid parameter"),
            Self::ValidationFailed => ("字段校验失败", "Validation failed"),
            Self::InvalidScope => ("请求的权限范围无效", "Invalid scope"),
            Self::Unauthorized => ("未认证", "Unauthorized"),
            Self::Forbidden => ("无权执行此操作", "Forbidden"),
            Self::PasswordChangeRequired => ("需要先修改密码", "Password change required"),
            Self::NotFound => ("未找到", "Not found"),
            Self::MethodNotAllowed => ("不支持的请求方法", "Method not allowed"),
            Self::NotAcceptable => ("无法提供所请求的格式", "Not acceptable"),
            Self::Conflict => ("冲突", "Conflict"),
            Self::DuplicatePerson => ("此人已登记在其他农户中", "Person already registered"),
            Self::InvalidTransition => ("当前状态不允许此操作", "Invalid state transition"),
            Self::CapacityExceeded => ("超出剩余额度", "Capacity exceeded"),
            Self::OrganizationNotVerified => ("组织尚未通过认证", "Organisation not verified"),
            Self::ExitConditionsUnmet => ("不满足脱贫条件", "Exit conditions not met"),
            Self::PreconditionFailed => ("前置条件不满足", "Precondition failed"),
            Self::PreconditionRequired => ("需要 If-Match 请求头", "Precondition required"),
            Self::PayloadTooLarge => ("请求体过大", "Payload too large"),
            Self::UnsupportedMediaType => ("不支持的内容类型", "Unsupported media type"),
            Self::IdempotencyKeyReused => ("幂等键已用于其他请求", "Idempotency key reused"),
            Self::RateLimited => ("请求过于频繁", "Too many requests"),
            Self::Unavailable => ("服务暂不可用", "Service unavailable"),
            Self::Internal => ("服务器内部错误", "Internal server error"),
        }
    }

    /// The code of a machine word (`None` for words this API does not use).
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == word)
    }
}

/// A use case that did not happen: a code, a detail in both languages, the invalid fields,
/// and extension members for the problem body. Boxed so `Result<T, ServiceError>` stays
/// small on the happy path.
#[derive(Debug, Clone)]
pub struct ServiceError(Box<Failure>);

#[derive(Debug, Clone)]
pub struct Failure {
    pub code: ErrorCode,
    pub detail_zh: String,
    pub detail_en: String,
    pub errors: Vec<FieldError>,
    /// Extra members of the problem object (`allowed_actions`, `remaining_fen`, ...).
    pub extensions: serde_json::Map<String, serde_json::Value>,
    /// Seconds, for `unavailable`.
    pub retry_after: Option<u64>,
    /// Logged with the request id, never shown.
    pub internal: Option<String>,
}

impl ServiceError {
    pub fn new(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self(Box::new(Failure {
            code,
            detail_zh: zh.into(),
            detail_en: en.into(),
            errors: Vec::new(),
            extensions: serde_json::Map::new(),
            retry_after: None,
            internal: None,
        }))
    }

    /// Unknown, or outside the caller's reach (never reveal which).
    pub fn not_found() -> Self {
        Self::new(
            ErrorCode::NotFound,
            "所请求的资源不存在。",
            "The requested resource does not exist.",
        )
    }

    /// A caller of this kind may never do this.
    pub fn forbidden() -> Self {
        Self::new(
            ErrorCode::Forbidden,
            "您的角色无权执行此操作。",
            "Your role may not do this.",
        )
    }

    pub fn conflict(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, zh, en)
    }

    /// The record changed between our read and our write (optimistic concurrency).
    pub fn changed_meanwhile(zh_what: &str, en_what: &str) -> Self {
        Self::conflict(
            format!("{zh_what}已被修改，请重试。"),
            format!("The {en_what} changed meanwhile; retry."),
        )
    }

    /// Fields of the request break a rule.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            ErrorCode::ValidationFailed,
            "请求内容未通过校验，详见 errors。",
            "The request body failed validation; see errors.",
        );
        e.0.errors = errors;
        e
    }

    /// One field breaks a rule.
    pub fn field(name: &str, code: &'static str, en: &str, zh: &str) -> Self {
        Self::validation(vec![FieldError::new(name, code, en, zh)])
    }

    /// A token request asks for a scope that is unknown or not granted to the client
    /// (RFC 6749 §5.2 `invalid_scope`); `e` says which and why.
    pub fn invalid_scope(why: FieldError) -> Self {
        let mut e = Self::new(
            ErrorCode::InvalidScope,
            "请求的权限范围未知或超出了该客户端的授权，详见 errors。",
            "The requested scope is unknown or exceeds what the client was granted; see errors.",
        );
        e.0.errors = vec![why.for_field("scope")];
        e
    }

    /// A path or query parameter is invalid.
    pub fn invalid_parameters(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            ErrorCode::InvalidParameter,
            "请求参数无效，详见 errors。",
            "A request parameter is invalid; see errors.",
        );
        e.0.errors = errors;
        e
    }

    pub fn precondition_failed() -> Self {
        Self::new(
            ErrorCode::PreconditionFailed,
            "资源已被修改，If-Match 与当前 ETag 不符。",
            "The resource has changed: If-Match does not match its current ETag.",
        )
    }

    pub fn unavailable(internal: impl Into<String>) -> Self {
        let mut e = Self::new(
            ErrorCode::Unavailable,
            "数据库暂不可用，请稍后重试。",
            "The database is unavailable; retry later.",
        );
        e.0.retry_after = Some(5);
        e.0.internal = Some(internal.into());
        e
    }

    pub fn internal(internal: impl Into<String>) -> Self {
        let mut e = Self::new(
            ErrorCode::Internal,
            "服务器内部错误，请凭 request_id 联系运维。",
            "Internal server error; quote the request_id when reporting it.",
        );
        e.0.internal = Some(internal.into());
        e
    }

    /// `replacement` in place of a not-found (the caller named something that is not there
    /// or not theirs to see); every other failure, an unreachable database above all, stays
    /// what it is, so it is never reported as the client's mistake.
    pub fn or_if_not_found(self, replacement: impl FnOnce() -> ServiceError) -> ServiceError {
        if self.code() == ErrorCode::NotFound {
            replacement()
        } else {
            self
        }
    }

    #[must_use]
    pub fn with_extension(mut self, key: &str, value: serde_json::Value) -> Self {
        self.0.extensions.insert(key.to_owned(), value);
        self
    }

    #[must_use]
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.0.errors = errors;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    pub fn into_failure(self) -> Failure {
        *self.0
    }
}

impl std::ops::Deref for ServiceError {
    type Target = Failure;

    fn deref(&self) -> &Failure {
        &self.0
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code.code(), self.0.detail_en)?;
        if let Some(internal) = &self.0.internal {
            write!(f, " ({internal})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

impl From<Denied> for ServiceError {
    fn from(_: Denied) -> Self {
        Self::forbidden()
    }
}

impl From<FieldError> for ServiceError {
    fn from(e: FieldError) -> Self {
        Self::validation(vec![e])
    }
}

impl From<PersistenceError> for ServiceError {
    fn from(e: PersistenceError) -> Self {
        match e {
            PersistenceError::NotFound => Self::not_found(),
            PersistenceError::Conflict { message, .. } => Self::conflict(
                format!("与已有数据冲突：{message}"),
                format!("Conflicts with existing data: {message}"),
            ),
            PersistenceError::Unavailable(why) => Self::unavailable(why),
            other => Self::internal(other.to_string()),
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Invalid(errors) => Self::validation(errors),
            DomainError::InvalidTransition {
                state,
                action,
                allowed,
            } => Self::new(
                ErrorCode::InvalidTransition,
                format!(
                    "当前状态为 {state}，不能执行 {action}；允许的操作：{}。",
                    allowed.join("、")
                ),
                format!(
                    "Cannot {action} while {state}; allowed actions: {}.",
                    allowed.join(", ")
                ),
            )
            .with_extension("current_status", state.into())
            .with_extension("allowed_actions", allowed.into()),
            DomainError::Unmet { code, conditions } => Self::new(
                ErrorCode::parse(code).unwrap_or(ErrorCode::Conflict),
                "条件不满足，详见 errors。",
                "The conditions are not met; see errors.",
            )
            .with_errors(conditions),
            DomainError::CapacityExceeded { remaining, unit } => {
                let (zh, en, key) = match &unit {
                    None => (
                        format!("超出需求剩余额度：还剩 {remaining} 分。"),
                        format!("The pledge exceeds what the need has left: {remaining} fen."),
                        "remaining_fen",
                    ),
                    Some(u) => (
                        format!("超出需求剩余数量：还剩 {remaining} {u}。"),
                        format!("The pledge exceeds what the need has left: {remaining} {u}."),
                        "remaining_quantity",
                    ),
                };
                let e = Self::new(ErrorCode::CapacityExceeded, zh, en)
                    .with_extension(key, remaining.into());
                match unit {
                    Some(u) => e.with_extension("unit", u.into()),
                    None => e,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_not_found_becomes_the_clients_mistake() {
        let unknown = || ServiceError::field("need_id", "unknown_need", "unknown", "未知");
        let replaced = ServiceError::not_found().or_if_not_found(unknown);
        assert_eq!(replaced.code(), ErrorCode::ValidationFailed);
        let down = ServiceError::unavailable("connection refused").or_if_not_found(unknown);
        assert_eq!(down.code(), ErrorCode::Unavailable);
        let broken = ServiceError::internal("corrupt row").or_if_not_found(unknown);
        assert_eq!(broken.code(), ErrorCode::Internal);
    }

    #[test]
    fn every_code_parses_back_from_its_word() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.code()), Some(code));
            let (zh, en) = code.title();
            assert!(!zh.is_empty() && !en.is_empty());
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }

    #[test]
    fn domain_errors_keep_their_machine_words() {
        let e = ServiceError::from(DomainError::CapacityExceeded {
            remaining: 5,
            unit: Some("件".into()),
        });
        assert_eq!(e.code(), ErrorCode::CapacityExceeded);
        assert_eq!(e.extensions["remaining_quantity"], 5);
        assert_eq!(e.extensions["unit"], "件");
        let e = ServiceError::from(DomainError::Unmet {
            code: "exit_conditions_unmet",
            conditions: vec![],
        });
        assert_eq!(e.code(), ErrorCode::ExitConditionsUnmet);
        let e = ServiceError::from(PersistenceError::NotFound);
        assert_eq!(e.code(), ErrorCode::NotFound);
    }
}
