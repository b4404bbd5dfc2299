//! `/api/v1/auth`: access tokens for people (password grant, refreshed by rotating refresh
//! tokens) and for integration clients (client-credentials grant), and revocation.

use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::FieldError;
use domain::input::check_text;

use crate::auth::caller::RequestMeta;
use crate::error::ApiError;
use crate::openapi::responses::{Always, SignedIn, WithBody};
use crate::service::identity::tokens::{self as service, Grant, Issued};
use crate::state::AppState;

/// `POST /auth/token`, as JSON or as an OAuth 2.0 form (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "password", "username": "fuxin.county.li", "password": "Fupin-2026-ln"}))]
pub struct TokenRequest {
    /// `password`, `refresh_token` or `client_credentials`.
    pub grant_type: String,
    /// For `password`.
    pub username: Option<String>,
    /// For `password`.
    pub password: Option<String>,
    /// For `refresh_token`.
    pub refresh_token: Option<String>,
    /// For `client_credentials` (or HTTP Basic authentication).
    pub client_id: Option<String>,
    /// For `client_credentials` (or HTTP Basic authentication).
    pub client_secret: Option<String>,
    /// For `client_credentials`: a subset of the client's scopes (default: all of them).
    pub scope: Option<String>,
}

fn missing(field: &str) -> FieldError {
    FieldError::new(
        field,
        "required",
        format!("{field} is required for this grant"),
        format!("此授权方式需要 {field}"),
    )
}

impl TokenRequest {
    /// The grant asked for; a client's credentials may come as HTTP Basic (`basic`) instead.
    fn grant(self, basic: Option<(String, String)>) -> Result<Grant, ApiError> {
        match self.grant_type.as_str() {
            "password" => match (self.username, self.password) {
                (Some(username), Some(password)) => Ok(Grant::Password { username, password }),
                _ => Err(ApiError::validation(vec![
                    missing("username"),
                    missing("password"),
                ])),
            },
            "refresh_token" => self
                .refresh_token
                .map(|token| Grant::RefreshToken { token })
                .ok_or_else(|| ApiError::validation(vec![missing("refresh_token")])),
            "client_credentials" => {
                let (client_id, secret) = match (self.client_id, self.client_secret) {
                    (Some(id), Some(secret)) => (id, secret),
                    _ => basic.ok_or_else(|| {
                        ApiError::validation(vec![missing("client_id"), missing("client_secret")])
                    })?,
                };
                Ok(Grant::ClientCredentials {
                    client_id,
                    secret,
                    scope: self.scope,
                })
            }
            other => Err(ApiError::invalid_parameters(vec![FieldError::new(
                "grant_type",
                "unsupported_grant_type",
                format!(
                    "unsupported grant_type {other:?}: use password, refresh_token or client_credentials"
                ),
                format!(
                    "不支持的 grant_type {other:?}：应为 password、refresh_token 或 client_credentials"
                ),
            )])),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiIsImtpZCI6ImRlZmF1bHQifQ...", "token_type": "Bearer", "expires_in": 900, "refresh_token": "q0Zk3...", "scope": null}))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// For people: spend it once at `grant_type=refresh_token`; each use returns a new one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// For clients: the granted scopes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Present (and `true`) when the account's password was reset: the access token may
    /// only change it (`POST /api/v1/me/password`), there is no refresh token, and every
    /// other operation answers 403 `password_change_required`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub password_change_required: bool,
}

impl From<Issued> for TokenResponse {
    fn from(i: Issued) -> Self {
        TokenResponse {
            access_token: i.access_token,
            token_type: "Bearer",
            expires_in: i.expires_in,
            refresh_token: i.refresh_token,
            scope: i.scope,
            password_change_required: i.password_change_required,
        }
    }
}

/// HTTP Basic credentials (`client_id:client_secret`), as OAuth 2.0 clients send them.
/// Decoded text is held to the rule of every other text (`http::text`).
fn basic_credentials(req: &HttpRequest) -> Result<Option<(String, String)>, ApiError> {
    let decoded = || {
        let value = req.headers().get("authorization")?.to_str().ok()?;
        let encoded = value.strip_prefix("Basic ")?;
        String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()
    };
    let Some((id, secret)) = decoded().and_then(|d| {
        d.split_once(':')
            .map(|(id, secret)| (id.to_owned(), secret.to_owned()))
    }) else {
        return Ok(None);
    };
    let checked = [(&id, "client_id"), (&secret, "client_secret")]
        .into_iter()
        .filter_map(|(text, field)| check_text(text, field).err())
        .collect::<Vec<_>>();
    if checked.is_empty() {
        Ok(Some((id, secret)))
    } else {
        Err(ApiError::validation(checked))
    }
}

/// Get an access token.
///
/// - `password`: `username` + `password` → access token (15 minutes) and refresh token.
/// - `refresh_token`: a refresh token → new access and refresh tokens; the old one is spent.
///   Presenting a spent refresh token revokes every token descended from the same login.
/// - `client_credentials`: `client_id` + `client_secret` (body or HTTP Basic) → access token
///   with the client's scopes and region.
///
/// An account whose password was reset gets, for the `password` grant, only an access token
/// that may change the password (`password_change_required: true`, no refresh token; every
/// other operation answers 403 `password_change_required`): the client asks for a new
/// password and calls `POST /api/v1/me/password`, whose answer is a full login.
///
/// Logins are limited per account and per address (429 with `Retry-After`). Every login,
/// failed login and refresh is written to the audit log.
#[utoipa::path(
    tag = "auth", operation_id = "create_token",
    request_body(content(
        (TokenRequest = "application/json"),
        (TokenRequest = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 200, description = "Tokens", body = TokenResponse),
        Always, SignedIn, WithBody,
    )
)]
#[post("/auth/token")]
pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Either<web::Json<TokenRequest>, web::Form<TokenRequest>>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = match body {
        web::Either::Left(j) => j.into_inner(),
        web::Either::Right(f) => f.into_inner(),
    };
    let grant = body.grant(basic_credentials(&req)?)?;
    if let Some(key) = grant.limited_as() {
        state
            .login_limiter
            .check(&key, crate::http::client_ip::of(&req))?;
    }
    let (tokens, keys) = (state.tokens.clone(), state.data_keys.clone());
    let issued = state
        .call(move |conn| service::grant(conn, &tokens, &keys, &meta, grant))
        .await?;
    Ok(web::Json(issued.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"token": "q0Zk3..."}))]
pub struct RevokeRequest {
    /// A refresh token.
    pub token: String,
}

/// Revoke a refresh token and every token descended from the same login (RFC 7009: the
/// answer is the same whether or not the token was known). Access tokens are short-lived
/// and expire by themselves.
#[utoipa::path(
    tag = "auth", operation_id = "revoke_token",
    request_body(content(
        (RevokeRequest = "application/json"),
        (RevokeRequest = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 204, description = "Revoked (or unknown)"),
        Always, WithBody,
    )
)]
#[post("/auth/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Either<web::Json<RevokeRequest>, web::Form<RevokeRequest>>,
) -> Result<HttpResponse, ApiError> {
    let token = match body {
        web::Either::Left(j) => j.into_inner().token,
        web::Either::Right(f) => f.into_inner().token,
    };
    state
        .call(move |conn| service::revoke(conn, &meta, &token))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
