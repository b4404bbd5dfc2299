//! `/api/v1/auth`: access tokens for people (password grant, refreshed by rotating refresh
//! tokens) and for integration clients (client-credentials grant), and revocation.

use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Scopes, User};
use persistence::identity::refresh_tokens::{self, Rotation};
use persistence::identity::{clients, users};

use crate::audit::{self, Actor};
use crate::auth::caller::{RequestMeta, principal_of};
use crate::auth::jwt::{AccessSubject, TokenIssuer};
use crate::auth::password;
use crate::error::ApiError;
use crate::openapi::responses::{Always, SignedIn, WithBody};
use crate::state::{AppState, REFRESH_TTL_DAYS};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_token).service(revoke_token);
}

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
}

impl TokenResponse {
    fn bearer(
        access_token: String,
        tokens: &TokenIssuer,
        refresh_token: Option<String>,
        scope: Option<String>,
    ) -> Self {
        TokenResponse {
            access_token,
            token_type: "Bearer",
            expires_in: tokens.access_ttl().as_secs(),
            refresh_token,
            scope,
        }
    }
}

fn missing(field: &str) -> FieldError {
    FieldError::new(
        field,
        "required",
        format!("{field} is required for this grant"),
        format!("此授权方式需要 {field}"),
    )
}

fn invalid_credentials() -> ApiError {
    let mut e = ApiError::unauthorized("invalid_credentials");
    e.detail_zh = "用户名或密码错误，或账号已停用。".to_owned();
    e.detail_en = "Wrong username or password, or the account is disabled.".to_owned();
    e
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_refresh_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// HTTP Basic credentials (`client_id:client_secret`), as OAuth 2.0 clients send them.
fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Get an access token.
///
/// - `password`: `username` + `password` → access token (15 minutes) and refresh token.
/// - `refresh_token`: a refresh token → new access and refresh tokens; the old one is spent.
///   Presenting a spent refresh token revokes every token descended from the same login.
/// - `client_credentials`: `client_id` + `client_secret` (body or HTTP Basic) → access token
///   with the client's scopes and region.
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
    let ip = req.peer_addr().map(|a| a.ip());
    match body.grant_type.as_str() {
        "password" => {
            let (Some(username), Some(pw)) = (body.username, body.password) else {
                return Err(ApiError::validation(vec![
                    missing("username"),
                    missing("password"),
                ]));
            };
            state.login_limiter.check(&username, ip)?;
            password_grant(&state, username, pw, meta).await
        }
        "refresh_token" => {
            let token = body
                .refresh_token
                .ok_or_else(|| ApiError::validation(vec![missing("refresh_token")]))?;
            refresh_grant(&state, token, meta).await
        }
        "client_credentials" => {
            let (id, secret) = match (body.client_id, body.client_secret) {
                (Some(id), Some(secret)) => (id, secret),
                _ => basic_credentials(&req).ok_or_else(|| {
                    ApiError::validation(vec![missing("client_id"), missing("client_secret")])
                })?,
            };
            state.login_limiter.check(&format!("client:{id}"), ip)?;
            client_grant(&state, id, secret, body.scope, meta).await
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

/// The subject a user's access token speaks for.
fn user_subject(user: &User) -> AccessSubject {
    let mut subject = AccessSubject::user(user.id.clone(), user.role.as_str());
    if let Some(region) = &user.region {
        subject = subject.with_region(region.to_string());
    }
    if let Some(org) = &user.organization_id {
        subject = subject.with_org(org.clone());
    }
    subject
}

async fn password_grant(
    state: &AppState,
    username: String,
    pw: String,
    meta: RequestMeta,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let tokens = state.tokens.clone();
    let keys = state.data_keys.clone();
    state
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let name = username.trim().to_lowercase();
            let found = users::find_with_password(conn, &keys, &name)?;
            let ok = password::verify(&pw, found.as_ref().map(|(_, h)| h.as_str()));
            let user = match found {
                Some((u, _)) if ok && u.in_good_standing(now) => u,
                _ => {
                    audit::record(
                        conn,
                        &Actor::Anonymous(Some(&name)),
                        &meta,
                        "auth.login_failed",
                        None,
                        None,
                        false,
                        None,
                    )?;
                    return Err(invalid_credentials());
                }
            };
            let (access, claims) = tokens
                .issue(user_subject(&user))
                .map_err(|e| ApiError::internal(e.to_string()))?;
            let refresh = new_refresh_token()?;
            let family = uuid::Uuid::now_v7().to_string();
            let principal = principal_of(&claims)?;
            persistence::write_transaction(conn, |conn| {
                refresh_tokens::issue(
                    conn,
                    &hash_token(&refresh),
                    &family,
                    &user.id,
                    now,
                    now + chrono::Duration::days(REFRESH_TTL_DAYS),
                )?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "auth.login",
                    Some(("user", &user.id)),
                    principal.region.as_ref(),
                    true,
                    None,
                )
            })?;
            Ok(web::Json(TokenResponse::bearer(
                access,
                &tokens,
                Some(refresh),
                None,
            )))
        })
        .await
}

async fn refresh_grant(
    state: &AppState,
    presented: String,
    meta: RequestMeta,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let tokens = state.tokens.clone();
    let keys = state.data_keys.clone();
    state
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let next = new_refresh_token()?;
            let expires = now + chrono::Duration::days(REFRESH_TTL_DAYS);
            match refresh_tokens::rotate(
                conn,
                &hash_token(&presented),
                &hash_token(&next),
                now,
                expires,
            )? {
                Rotation::Invalid => Err(ApiError::unauthorized("invalid_refresh_token")),
                Rotation::Reused { user_id, family_id } => {
                    audit::record(
                        conn,
                        &Actor::Anonymous(None),
                        &meta,
                        "auth.refresh_reused",
                        Some(("user", &user_id)),
                        None,
                        false,
                        Some(serde_json::json!({"family_revoked": family_id})),
                    )?;
                    Err(ApiError::unauthorized("refresh_token_reused"))
                }
                Rotation::Rotated { user_id, family_id } => {
                    let user =
                        users::find(conn, &keys, &user_id)?.filter(|u| u.in_good_standing(now));
                    let Some(user) = user else {
                        refresh_tokens::revoke_family(conn, &family_id, now)?;
                        return Err(ApiError::unauthorized("invalid_refresh_token"));
                    };
                    let (access, claims) = tokens
                        .issue(user_subject(&user))
                        .map_err(|e| ApiError::internal(e.to_string()))?;
                    let principal = principal_of(&claims)?;
                    audit::record(
                        conn,
                        &Actor::Principal(&principal),
                        &meta,
                        "auth.refresh",
                        Some(("user", &user.id)),
                        principal.region.as_ref(),
                        true,
                        None,
                    )?;
                    Ok(web::Json(TokenResponse::bearer(
                        access,
                        &tokens,
                        Some(next),
                        None,
                    )))
                }
            }
        })
        .await
}

async fn client_grant(
    state: &AppState,
    id: String,
    secret: String,
    requested: Option<String>,
    meta: RequestMeta,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let tokens = state.tokens.clone();
    state
        .db(move |conn| {
            let found = clients::find_with_secret(conn, &id)?;
            let ok = password::verify(&secret, found.as_ref().map(|(_, h)| h.as_str()));
            let client = match found {
                Some((c, _)) if ok && c.acts() => c,
                _ => {
                    audit::record(
                        conn,
                        &Actor::Anonymous(Some(&id)),
                        &meta,
                        "auth.client_failed",
                        None,
                        None,
                        false,
                        None,
                    )?;
                    return Err(invalid_credentials());
                }
            };
            let granted = client.scopes.clone();
            let scopes = match requested.as_deref().filter(|s| !s.trim().is_empty()) {
                None => granted,
                Some(r) => {
                    let asked = Scopes::parse(r).map_err(|e| ApiError::validation(vec![e]))?;
                    if !asked.is_subset(&granted) {
                        return Err(ApiError::validation(vec![FieldError::new(
                            "scope",
                            "not_granted",
                            "a requested scope was not granted to this client",
                            "请求的权限范围超出了该客户端的授权",
                        )]));
                    }
                    asked
                }
            };
            let mut subject = AccessSubject::client(client.id.clone(), scopes.to_string());
            if let Some(region) = &client.region {
                subject = subject.with_region(region.to_string());
            }
            if let Some(rl) = client
                .rate_limit_per_minute
                .and_then(|r| u32::try_from(r).ok())
            {
                subject = subject.with_rate_limit(rl);
            }
            let (access, claims) = tokens
                .issue(subject)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            let principal = principal_of(&claims)?;
            audit::record(
                conn,
                &Actor::Principal(&principal),
                &meta,
                "auth.client_token",
                Some(("client", &client.id)),
                principal.region.as_ref(),
                true,
                None,
            )?;
            Ok(web::Json(TokenResponse::bearer(
                access,
                &tokens,
                None,
                Some(scopes.to_string()),
            )))
        })
        .await
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
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            if let Some((family, user_id)) = refresh_tokens::family_of(conn, &hash_token(&token))? {
                persistence::write_transaction(conn, |conn| {
                    refresh_tokens::revoke_family(conn, &family, now)?;
                    audit::record(
                        conn,
                        &Actor::Anonymous(None),
                        &meta,
                        "auth.revoke",
                        Some(("user", &user_id)),
                        None,
                        true,
                        None,
                    )
                })?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
