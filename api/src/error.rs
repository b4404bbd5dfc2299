//! `ApiError`: every failure the API reports, rendered as RFC 9457 `application/problem+json`
//! in the caller's language. Framework errors (bad JSON, bad query, unknown route, too large)
//! are mapped here too, so no answer is ever plain text.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use domain::identity::Denied;
use domain::{DomainError, FieldError};
use persistence::PersistenceError;

use crate::i18n::Lang;
use crate::service::{ErrorCode, ServiceError};

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error answer. Boxed so `Result<T, ApiError>` stays small on the happy path.
#[derive(Debug, Clone)]
pub struct ApiError(Box<ErrorDetails>);

#[derive(Debug, Clone)]
pub struct ErrorDetails {
    pub status: StatusCode,
    /// Stable machine word (`not_found`, `validation_failed`, ...).
    pub code: &'static str,
    pub detail_zh: String,
    pub detail_en: String,
    pub errors: Vec<FieldError>,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
    /// The methods a known path does support, for 405.
    pub allow: Option<String>,
    /// Extra members of the problem object (`allowed_actions`, `remaining_fen`, ...).
    pub extensions: serde_json::Map<String, serde_json::Value>,
    /// Logged with the request id, never shown.
    pub internal: Option<String>,
}

/// One invalid field of a problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemFieldError {
    /// The field (body member, query or path parameter) that is wrong.
    #[schema(example = "parent")]
    pub field: String,
    /// Stable machine word for what is wrong with it.
    #[schema(example = "invalid_region_code")]
    pub code: String,
    #[schema(example = "\"21x\" is not a region code: only digits are allowed")]
    pub message: String,
}

/// An RFC 9457 problem: what every error response of this API carries.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:fupin:problem:not_found",
    "title": "Not found",
    "status": 404,
    "detail": "No region 210999.",
    "instance": "/api/v1/regions/210999",
    "code": "not_found",
    "errors": [],
    "request_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f"
}))]
pub struct Problem {
    /// URI naming the kind of problem: `urn:fupin:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request path that failed.
    pub instance: String,
    /// Stable machine word: `bad_request`, `invalid_parameter`, `validation_failed`,
    /// `invalid_scope`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`, `not_acceptable`,
    /// `conflict`, `invalid_transition`, `capacity_exceeded`, `organization_not_verified`,
    /// `precondition_failed`,
    /// `precondition_required`, `payload_too_large`, `unsupported_media_type`,
    /// `idempotency_key_reused`, `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    pub errors: Vec<ProblemFieldError>,
    /// The `X-Request-Id` of the failed request, for support.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

fn title(code: &str, lang: Lang) -> &'static str {
    let (zh, en) = ErrorCode::parse(code)
        .unwrap_or(ErrorCode::Internal)
        .title();
    lang.pick(zh, en)
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self(Box::new(ErrorDetails {
            status,
            code,
            detail_zh: zh.into(),
            detail_en: en.into(),
            errors: Vec::new(),
            retry_after: None,
            allow: None,
            extensions: serde_json::Map::new(),
            internal: None,
        }))
    }

    /// 400: the request could not be read (bad JSON, wrong types).
    pub fn bad_request(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", zh, en)
    }

    /// 400: a path or query parameter is invalid.
    pub fn invalid_parameters(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
            "请求参数无效，详见 errors。",
            "A request parameter is invalid; see errors.",
        );
        e.errors = errors;
        e
    }

    /// 422: body fields break a rule.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "请求内容未通过校验，详见 errors。",
            "The request body failed validation; see errors.",
        );
        e.errors = errors;
        e
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "所请求的资源不存在。",
            "The requested resource does not exist.",
        )
    }

    /// 401: no token, or one that fails verification (`reason` says which check).
    pub fn unauthorized(reason: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "需要有效的访问令牌。",
            "A valid access token is required.",
        )
        .with_extension("reason", reason.into())
    }

    /// 403: the token was issued while the account must change its password; it may only
    /// do that (`POST /api/v1/me/password`).
    pub fn password_change_required() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            "账号密码已被重置：请先通过 POST /api/v1/me/password 修改密码。",
            "The account's password was reset: change it first with POST /api/v1/me/password.",
        )
    }

    /// 403: a caller of this kind may never do this.
    pub fn forbidden() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您的角色无权执行此操作。",
            "Your role may not do this.",
        )
    }

    pub fn conflict(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", zh, en)
    }

    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            "资源已被修改，If-Match 与当前 ETag 不符。",
            "The resource has changed: If-Match does not match its current ETag.",
        )
    }

    pub fn unavailable(internal: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "数据库暂不可用，请稍后重试。",
            "The database is unavailable; retry later.",
        );
        e.retry_after = Some(5);
        e.internal = Some(internal.into());
        e
    }

    pub fn internal(internal: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请凭 request_id 联系运维。",
            "Internal server error; quote the request_id when reporting it.",
        );
        e.internal = Some(internal.into());
        e
    }

    /// The problem for a status produced by the framework itself (no handler ran).
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            404 => Self::not_found(),
            405 => Self::new(
                status,
                "method_not_allowed",
                "该路径不支持此请求方法。",
                "This path does not support this method.",
            ),
            406 => Self::new(
                status,
                "not_acceptable",
                "无法提供所请求的媒体类型。",
                "The requested media type cannot be produced.",
            ),
            413 => Self::payload_too_large(),
            415 => Self::unsupported_media_type(),
            s if s >= 500 => Self::internal(format!("framework answered {status}")),
            _ => Self::new(
                status,
                "bad_request",
                "请求无法处理。",
                "The request cannot be processed.",
            ),
        }
    }

    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "请求体超过大小限制。",
            "The request body exceeds the size limit.",
        )
    }

    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "不支持的 Content-Type，请使用 application/json。",
            "Unsupported Content-Type; send application/json.",
        )
    }

    #[must_use]
    pub fn with_extension(mut self, key: &str, value: serde_json::Value) -> Self {
        self.extensions.insert(key.to_owned(), value);
        self
    }

    pub fn problem(&self, lang: Lang, instance: &str, request_id: Option<&str>) -> Problem {
        Problem {
            type_: format!("urn:fupin:problem:{}", self.code),
            title: title(self.code, lang).to_owned(),
            status: self.status.as_u16(),
            detail: lang.pick(&self.detail_zh, &self.detail_en).to_owned(),
            instance: instance.to_owned(),
            code: self.code.to_owned(),
            errors: self
                .errors
                .iter()
                .map(|e| ProblemFieldError {
                    field: e.field.clone(),
                    code: e.code.to_owned(),
                    message: lang.pick(&e.message_zh, &e.message_en).to_owned(),
                })
                .collect(),
            request_id: request_id.map(str::to_owned),
        }
    }

    /// The full HTTP answer. The problem middleware calls this with the request's language,
    /// path and id; `error_response` uses the defaults.
    pub fn to_response(
        &self,
        lang: Lang,
        instance: &str,
        request_id: Option<&str>,
    ) -> HttpResponse {
        let mut body =
            serde_json::to_value(self.problem(lang, instance, request_id)).unwrap_or_default();
        if let serde_json::Value::Object(map) = &mut body {
            for (k, v) in &self.extensions {
                map.insert(k.clone(), v.clone());
            }
        }
        let mut res = HttpResponse::build(self.status);
        res.content_type(PROBLEM_JSON);
        res.insert_header((header::CONTENT_LANGUAGE, lang.tag()));
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"fupin\""),
            ));
        }
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        if let Some(allow) = &self.allow {
            res.insert_header((header::ALLOW, allow.as_str()));
        }
        res.body(body.to_string())
    }
}

impl std::ops::Deref for ApiError {
    type Target = ErrorDetails;

    fn deref(&self) -> &ErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorDetails {
        &mut self.0
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.detail_en
        )?;
        if let Some(internal) = &self.internal {
            write!(f, " ({internal})")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        self.to_response(Lang::default(), "", None)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ServiceError::from(e).into()
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::validation(vec![e])
    }
}

impl From<PersistenceError> for ApiError {
    fn from(e: PersistenceError) -> Self {
        ServiceError::from(e).into()
    }
}

/// `caller.may(Action)?` in a handler: a role that may never do this gets 403.
impl From<Denied> for ApiError {
    fn from(_: Denied) -> Self {
        ApiError::forbidden()
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        let f = e.into_failure();
        let mut out = ApiError::new(status_of(f.code), f.code.code(), f.detail_zh, f.detail_en);
        out.errors = f.errors;
        out.extensions = f.extensions;
        out.retry_after = f.retry_after;
        out.internal = f.internal;
        out
    }
}

/// The HTTP status of each machine code.
pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::BadRequest | ErrorCode::InvalidParameter | ErrorCode::InvalidScope => {
            StatusCode::BAD_REQUEST
        }
        ErrorCode::ValidationFailed | ErrorCode::IdempotencyKeyReused => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden | ErrorCode::PasswordChangeRequired => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
        ErrorCode::Conflict
        | ErrorCode::DuplicatePerson
        | ErrorCode::InvalidTransition
        | ErrorCode::CapacityExceeded
        | ErrorCode::OrganizationNotVerified
        | ErrorCode::ExitConditionsUnmet => StatusCode::CONFLICT,
        ErrorCode::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        ErrorCode::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal(format!("blocking task failed: {e}"))
    }
}
