//! Access tokens: for people by password, refreshed by rotating refresh tokens (a spent
//! one presented again revokes the whole login), for integration clients by their
//! credentials, and revocation. Every login, failed login, refresh and revocation is
//! written to the audit log.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use domain::identity::User;
use persistence::DbConn;
use persistence::crypto::DataKeys;
use persistence::identity::refresh_tokens::{self, Rotation};
use persistence::identity::{clients, users};

use crate::auth::jwt::{AccessSubject, TokenIssuer};
use crate::auth::password;
use crate::service::audit::Actor;
use crate::service::{Audit, ErrorCode, RequestMeta, ServiceError, ServiceResult};

/// How long a refresh token lives (rotated on every use).
pub const REFRESH_TTL_DAYS: i64 = 30;

/// What a token is asked for with.
#[derive(Debug, Clone)]
pub enum Grant {
    Password {
        username: String,
        password: String,
    },
    RefreshToken {
        token: String,
    },
    ClientCredentials {
        client_id: String,
        secret: String,
        /// A subset of the client's scopes (default: all of them).
        scope: Option<String>,
    },
}

impl Grant {
    /// The key under which attempts of this grant are rate-limited, if they are.
    pub fn limited_as(&self) -> Option<String> {
        match self {
            Grant::Password { username, .. } => Some(username.clone()),
            Grant::ClientCredentials { client_id, .. } => Some(format!("client:{client_id}")),
            Grant::RefreshToken { .. } => None,
        }
    }
}

/// Tokens issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// For people: spend it once to refresh.
    pub refresh_token: Option<String>,
    /// For clients: the granted scopes.
    pub scope: Option<String>,
    /// The account's password was reset: the access token may only change it.
    pub password_change_required: bool,
}

/// 401 with the machine `reason` of the refusal.
fn unauthorized(reason: &str) -> ServiceError {
    ServiceError::new(
        ErrorCode::Unauthorized,
        "需要有效的访问令牌。",
        "A valid access token is required.",
    )
    .with_extension("reason", reason.into())
}

fn invalid_credentials() -> ServiceError {
    ServiceError::new(
        ErrorCode::Unauthorized,
        "用户名或密码错误，或账号已停用。",
        "Wrong username or password, or the account is disabled.",
    )
    .with_extension("reason", "invalid_credentials".into())
}

fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_refresh_token() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
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

fn sign(tokens: &TokenIssuer, subject: AccessSubject) -> ServiceResult<String> {
    tokens
        .issue(subject)
        .map(|(access, _)| access)
        .map_err(|e| ServiceError::internal(e.to_string()))
}

/// Issues tokens for a grant. Slow on purpose for passwords and client secrets: call it on
/// the blocking pool.
pub fn grant(
    conn: &mut DbConn,
    tokens: &TokenIssuer,
    keys: &DataKeys,
    meta: &RequestMeta,
    grant: Grant,
) -> ServiceResult<Issued> {
    match grant {
        Grant::Password { username, password } => {
            password_grant(conn, tokens, keys, meta, &username, &password)
        }
        Grant::RefreshToken { token } => refresh_grant(conn, tokens, keys, meta, &token),
        Grant::ClientCredentials {
            client_id,
            secret,
            scope,
        } => client_grant(conn, tokens, meta, &client_id, &secret, scope.as_deref()),
    }
}

fn password_grant(
    conn: &mut DbConn,
    tokens: &TokenIssuer,
    keys: &DataKeys,
    meta: &RequestMeta,
    username: &str,
    pw: &str,
) -> ServiceResult<Issued> {
    let now = chrono::Utc::now().naive_utc();
    let name = username.trim().to_lowercase();
    let found = users::find_with_password(conn, keys, &name)?;
    let ok = password::verify(pw, found.as_ref().map(|(_, h)| h.as_str()));
    let user = match found {
        Some((u, _)) if ok && u.in_good_standing(now) => u,
        _ => {
            Audit::new(Actor::Anonymous(Some(&name)), "auth.login_failed")
                .failed()
                .record(conn, meta)?;
            return Err(invalid_credentials());
        }
    };
    let principal = user.principal();
    persistence::write_transaction(conn, |conn| {
        let issued = start_session(conn, tokens, &user, now)?;
        let mut event = Audit::by(&principal, "auth.login")
            .on("user", &user.id)
            .at_maybe(principal.region.as_ref());
        if issued.password_change_required {
            event = event.details(serde_json::json!({"password_change_required": true}));
        }
        event.record(conn, meta)?;
        Ok(issued)
    })
}

/// Tokens for a user who just proved their password, the refresh token stored (call it
/// inside the write transaction that audits the login). An account whose password was
/// reset gets only an access token that may change the password, and no refresh token.
pub(super) fn start_session(
    conn: &mut DbConn,
    tokens: &TokenIssuer,
    user: &User,
    now: chrono::NaiveDateTime,
) -> ServiceResult<Issued> {
    if user.password_change_required {
        return Ok(Issued {
            access_token: sign(tokens, user_subject(user).password_change_only())?,
            expires_in: tokens.access_ttl().as_secs(),
            refresh_token: None,
            scope: None,
            password_change_required: true,
        });
    }
    let access = sign(tokens, user_subject(user))?;
    let refresh = new_refresh_token()?;
    let family = uuid::Uuid::now_v7().to_string();
    refresh_tokens::issue(
        conn,
        &hash_token(&refresh),
        &family,
        &user.id,
        now,
        now + chrono::Duration::days(REFRESH_TTL_DAYS),
    )?;
    Ok(Issued {
        access_token: access,
        expires_in: tokens.access_ttl().as_secs(),
        refresh_token: Some(refresh),
        scope: None,
        password_change_required: false,
    })
}

fn refresh_grant(
    conn: &mut DbConn,
    tokens: &TokenIssuer,
    keys: &DataKeys,
    meta: &RequestMeta,
    presented: &str,
) -> ServiceResult<Issued> {
    let now = chrono::Utc::now().naive_utc();
    let next = new_refresh_token()?;
    let expires = now + chrono::Duration::days(REFRESH_TTL_DAYS);
    let (user_id, family_id) = match refresh_tokens::rotate(
        conn,
        &hash_token(presented),
        &hash_token(&next),
        now,
        expires,
    )? {
        Rotation::Invalid => return Err(unauthorized("invalid_refresh_token")),
        Rotation::Reused { user_id, family_id } => {
            Audit::new(Actor::Anonymous(None), "auth.refresh_reused")
                .on("user", &user_id)
                .failed()
                .details(serde_json::json!({"family_revoked": family_id}))
                .record(conn, meta)?;
            return Err(unauthorized("refresh_token_reused"));
        }
        Rotation::Rotated { user_id, family_id } => (user_id, family_id),
    };
    let user = users::find(conn, keys, &user_id)?.filter(|u| u.in_good_standing(now));
    let Some(user) = user else {
        refresh_tokens::revoke_family(conn, &family_id, now)?;
        return Err(unauthorized("invalid_refresh_token"));
    };
    let access = sign(tokens, user_subject(&user))?;
    let principal = user.principal();
    Audit::by(&principal, "auth.refresh")
        .on("user", &user.id)
        .at_maybe(principal.region.as_ref())
        .record(conn, meta)?;
    Ok(Issued {
        access_token: access,
        expires_in: tokens.access_ttl().as_secs(),
        refresh_token: Some(next),
        scope: None,
        password_change_required: false,
    })
}

fn client_grant(
    conn: &mut DbConn,
    tokens: &TokenIssuer,
    meta: &RequestMeta,
    id: &str,
    secret: &str,
    requested: Option<&str>,
) -> ServiceResult<Issued> {
    let found = clients::find_with_secret(conn, id)?;
    let ok = password::verify(secret, found.as_ref().map(|(_, h)| h.as_str()));
    let client = match found {
        Some((c, _)) if ok && c.acts() => c,
        _ => {
            Audit::new(Actor::Anonymous(Some(id)), "auth.client_failed")
                .failed()
                .record(conn, meta)?;
            return Err(invalid_credentials());
        }
    };
    let scopes = client
        .grant_scopes(requested)
        .map_err(ServiceError::invalid_scope)?;
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
    let access = sign(tokens, subject)?;
    let principal = client.principal(scopes.clone());
    Audit::by(&principal, "auth.client_token")
        .on("client", &client.id)
        .at_maybe(principal.region.as_ref())
        .record(conn, meta)?;
    Ok(Issued {
        access_token: access,
        expires_in: tokens.access_ttl().as_secs(),
        refresh_token: None,
        scope: Some(scopes.to_string()),
        password_change_required: false,
    })
}

/// Revokes a refresh token and every token descended from the same login. The answer is
/// the same whether or not the token was known.
pub fn revoke(conn: &mut DbConn, meta: &RequestMeta, token: &str) -> ServiceResult<()> {
    let now = chrono::Utc::now().naive_utc();
    let Some((family, user_id)) = refresh_tokens::family_of(conn, &hash_token(token))? else {
        return Ok(());
    };
    persistence::write_transaction(conn, |conn| {
        refresh_tokens::revoke_family(conn, &family, now)?;
        Audit::new(Actor::Anonymous(None), "auth.revoke")
            .on("user", &user_id)
            .record(conn, meta)
    })
}
