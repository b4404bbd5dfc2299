//! Access tokens: short-lived JWTs that carry who the caller is (a user or an integration
//! client), their role, region, organisation and scopes.
//!
//! - [`TokenIssuer::issue`] signs [`AccessClaims`] with the active key of a [`TokenKeys`]
//!   ring and names that key in the header (`kid`).
//! - [`TokenIssuer::verify`] trusts nothing in the header but the `kid`: the key it names
//!   must be in the ring, and the token must be signed with that key's own algorithm. So an
//!   `alg: none` token, an HS256 token under an Ed25519 or RSA key id (the "public key as
//!   HMAC secret" attack), or a token under an unknown key id are all refused. Then the
//!   signature, `exp`, `nbf`, `iat`, `iss` and `aud` are checked with 30 seconds of leeway
//!   for clock skew, and `exp`, `nbf`, `iat`, `iss`, `aud`, `sub` and `jti` must be present.
//! - A refusal is a [`TokenError`], answered as 401 with a short machine reason and nothing
//!   more.
//!
//! Where the keys come from: [`TokenKeys::from_env_or_dev_file`] (see the `config` module for
//! the variables), [`TokenKeys::hs256`], or [`TokenKeys::from_private_pem`].

use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

mod config;
mod dev_file;
mod keys;

pub use config::{
    ACCESS_TTL_ENV, DEFAULT_KEY_ID, DEFAULT_SECRET_KID, KEY_ID_ENV, PRIVATE_KEY_FILE_ENV,
    PUBLIC_KEY_FILES_ENV, SECRET_ENV,
};
pub use dev_file::DEV_SECRET_FILE;
pub use jsonwebtoken::Algorithm;
pub use keys::{MIN_RSA_BITS, MIN_SECRET_LEN, TokenKeys};

/// The `iss` of tokens this service makes, unless set otherwise.
pub const DEFAULT_ISSUER: &str = "fupin";
/// The `aud` of tokens this service makes and accepts, unless set otherwise.
pub const DEFAULT_AUDIENCE: &str = "fupin-api";
/// How long an access token lives, unless `FUPIN_ACCESS_TOKEN_TTL_SECS` says otherwise.
pub const DEFAULT_ACCESS_TTL: Duration = Duration::from_secs(15 * 60);
/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds.
pub const LEEWAY_SECS: u64 = 30;
/// Longer tokens are refused unread: ours are well under 1 KiB.
const MAX_TOKEN_LEN: usize = 8 * 1024;

/// Who a token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// A person with an account; `sub` is the user id.
    User,
    /// An integration client (client-credentials grant); `sub` is the client id.
    Client,
}

/// The claims of an access token, as signed and as verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id or client id.
    pub sub: String,
    pub kind: SubjectKind,
    /// The user's role (`county_official`, `donor`, ...); clients have scopes instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The region code an official is bound to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The organisation id an `org_member` acts for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// Space-separated scopes of an integration client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// A raised per-minute rate limit granted to an integration client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rl: Option<u32>,
    /// `true` on a token issued while the account must change its password: it may do
    /// nothing else (`POST /me/password`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pwc: Option<bool>,
    pub iss: String,
    pub aud: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: i64,
    /// Not before, seconds since the Unix epoch.
    pub nbf: i64,
    /// Issued at, seconds since the Unix epoch.
    pub iat: i64,
    /// Token id, a UUIDv7: what a revocation list names.
    pub jti: String,
}

impl AccessClaims {
    /// The scopes, split on spaces; empty for a token without `scope`.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.scope.as_deref().unwrap_or("").split_ascii_whitespace()
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes().any(|s| s == scope)
    }
}

/// What a token is issued for: every claim but the registered ones, which
/// [`TokenIssuer::issue`] sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessSubject {
    pub sub: String,
    pub kind: SubjectKind,
    pub role: Option<String>,
    pub region: Option<String>,
    pub org: Option<String>,
    pub scope: Option<String>,
    pub rl: Option<u32>,
    pub password_change_only: bool,
}

impl AccessSubject {
    /// A user acting in `role`.
    pub fn user(user_id: impl Into<String>, role: impl Into<String>) -> Self {
        AccessSubject {
            sub: user_id.into(),
            kind: SubjectKind::User,
            role: Some(role.into()),
            region: None,
            org: None,
            scope: None,
            rl: None,
            password_change_only: false,
        }
    }

    /// An integration client with space-separated `scope`.
    pub fn client(client_id: impl Into<String>, scope: impl Into<String>) -> Self {
        AccessSubject {
            sub: client_id.into(),
            kind: SubjectKind::Client,
            role: None,
            region: None,
            org: None,
            scope: Some(scope.into()),
            rl: None,
            password_change_only: false,
        }
    }

    #[must_use]
    pub fn with_region(mut self, region_code: impl Into<String>) -> Self {
        self.region = Some(region_code.into());
        self
    }

    #[must_use]
    pub fn with_org(mut self, org_id: impl Into<String>) -> Self {
        self.org = Some(org_id.into());
        self
    }

    #[must_use]
    pub fn with_rate_limit(mut self, per_minute: u32) -> Self {
        self.rl = Some(per_minute);
        self
    }

    /// A token that may only change the account's password.
    #[must_use]
    pub fn password_change_only(mut self) -> Self {
        self.password_change_only = true;
        self
    }
}

impl AccessClaims {
    /// Whether the token may only change the account's password.
    pub fn password_change_only(&self) -> bool {
        self.pwc == Some(true)
    }
}

/// Why a token was refused. Every variant but [`TokenError::SigningFailed`] is a 401 whose
/// only detail is [`TokenError::reason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not valid yet")]
    NotYetValid,
    #[error("the access token is meant for another audience")]
    BadAudience,
    #[error("the access token comes from another issuer")]
    BadIssuer,
    /// The signature does not verify, or the token is not signed with the algorithm of the
    /// key it names.
    #[error("the access token's signature is not valid")]
    BadSignature,
    /// No `kid` in the header, or one that is not in the ring.
    #[error("the access token names an unknown key")]
    UnknownKey,
    #[error("the access token is malformed")]
    Malformed,
    /// Issuing failed: a server fault (500), not the caller's.
    #[error("the access token could not be signed")]
    SigningFailed,
}

impl TokenError {
    /// The machine reason: `expired`, `not_yet_valid`, `bad_audience`, `bad_issuer`,
    /// `bad_signature`, `unknown_key`, `malformed` or `signing_failed`.
    pub fn reason(self) -> &'static str {
        match self {
            TokenError::Expired => "expired",
            TokenError::NotYetValid => "not_yet_valid",
            TokenError::BadAudience => "bad_audience",
            TokenError::BadIssuer => "bad_issuer",
            TokenError::BadSignature => "bad_signature",
            TokenError::UnknownKey => "unknown_key",
            TokenError::Malformed => "malformed",
            TokenError::SigningFailed => "signing_failed",
        }
    }

    fn from_jwt(e: &jsonwebtoken::errors::Error) -> TokenError {
        match e.kind() {
            ErrorKind::ExpiredSignature => TokenError::Expired,
            ErrorKind::ImmatureSignature => TokenError::NotYetValid,
            ErrorKind::InvalidAudience => TokenError::BadAudience,
            ErrorKind::InvalidIssuer => TokenError::BadIssuer,
            ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => TokenError::BadSignature,
            // Shape, encoding, JSON, missing or mistyped claims.
            _ => TokenError::Malformed,
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(e: TokenError) -> Self {
        let (zh, en) = match e {
            TokenError::SigningFailed => return ApiError::internal(e.to_string()),
            TokenError::Expired => ("访问令牌已过期。", "The access token has expired."),
            TokenError::NotYetValid => ("访问令牌尚未生效。", "The access token is not valid yet."),
            TokenError::BadAudience | TokenError::BadIssuer => (
                "访问令牌不是签发给本服务的。",
                "The access token was not issued for this service.",
            ),
            TokenError::BadSignature | TokenError::UnknownKey => (
                "访问令牌签名无效。",
                "The access token's signature is not valid.",
            ),
            TokenError::Malformed => ("访问令牌格式错误。", "The access token is malformed."),
        };
        let mut error = ApiError::unauthorized(e.reason());
        error.detail_zh = zh.to_owned();
        error.detail_en = en.to_owned();
        error
    }
}

/// Issues and verifies access tokens: a key ring plus the issuer, audience and lifetime.
#[derive(Debug, Clone)]
pub struct TokenIssuer {
    keys: TokenKeys,
    issuer: String,
    audience: String,
    access_ttl: Duration,
}

impl TokenIssuer {
    /// Issuer `fupin`, audience `fupin-api`, tokens living 15 minutes.
    pub fn new(keys: TokenKeys) -> Self {
        TokenIssuer {
            keys,
            issuer: DEFAULT_ISSUER.to_owned(),
            audience: DEFAULT_AUDIENCE.to_owned(),
            access_ttl: DEFAULT_ACCESS_TTL,
        }
    }

    /// Keys from [`TokenKeys::from_env_or_dev_file`], lifetime from
    /// `FUPIN_ACCESS_TOKEN_TTL_SECS` (60 to 86400 seconds, default 900).
    /// The issuer of resolved settings (variables, then `fupin.toml`): keys as
    /// [`TokenKeys::from_config`], lifetime from `access_token_ttl_secs`.
    pub fn from_config(
        cfg: &crate::settings::JwtSettings,
        data_dir: &std::path::Path,
    ) -> Result<Self, String> {
        let access_ttl = config::parse_access_ttl(cfg.access_token_ttl_secs.as_deref())?;
        let keys = TokenKeys::from_config(cfg, data_dir)?;
        Ok(TokenIssuer::new(keys).with_access_ttl(access_ttl))
    }

    pub fn from_env_or_dev_file(data_dir: &std::path::Path) -> Result<Self, String> {
        let access_ttl = config::access_ttl_from_env()?;
        let keys = TokenKeys::from_env_or_dev_file(data_dir)?;
        Ok(TokenIssuer::new(keys).with_access_ttl(access_ttl))
    }

    #[must_use]
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    #[must_use]
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = audience.into();
        self
    }

    #[must_use]
    pub fn with_access_ttl(mut self, ttl: Duration) -> Self {
        self.access_ttl = ttl;
        self
    }

    pub fn keys(&self) -> &TokenKeys {
        &self.keys
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }

    /// The lifetime of new tokens: the `expires_in` of a token response.
    pub fn access_ttl(&self) -> Duration {
        self.access_ttl
    }

    /// Signs a token for `subject` with the active key: `iat` = `nbf` = now, `exp` = now +
    /// the lifetime, a fresh UUIDv7 `jti`, and the key's id in the header.
    pub fn issue(&self, subject: AccessSubject) -> Result<(String, AccessClaims), TokenError> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        let claims = AccessClaims {
            sub: subject.sub,
            kind: subject.kind,
            role: subject.role,
            region: subject.region,
            org: subject.org,
            scope: subject.scope,
            rl: subject.rl,
            pwc: subject.password_change_only.then_some(true),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now.saturating_add(ttl),
            nbf: now,
            iat: now,
            jti: uuid::Uuid::now_v7().to_string(),
        };
        let signer = self.keys.signer();
        let mut header = Header::new(signer.alg);
        header.kid = Some(signer.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &signer.key).map_err(|e| {
            tracing::error!(kid = %signer.kid, error = %e, "cannot sign an access token");
            TokenError::SigningFailed
        })?;
        Ok((token, claims))
    }

    /// Checks `token` and returns its claims; see the module documentation for what is
    /// checked.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(TokenError::Malformed);
        }
        // Only the kid is read from the header; its alg must match the key's (in `decode`).
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.verifier(kid))
            .ok_or(TokenError::UnknownKey)?;

        let mut validation = Validation::new(key.alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        // jsonwebtoken ignores nbf unless told otherwise.
        validation.validate_nbf = true;
        validation.validate_aud = true;
        validation.set_audience(&[&self.audience]);
        validation.set_issuer(&[&self.issuer]);
        // `iat` and `jti` are not known to jsonwebtoken: `AccessClaims` requires them.
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);

        let claims = jsonwebtoken::decode::<AccessClaims>(token, &key.key, &validation)
            .map_err(|e| TokenError::from_jwt(&e))?
            .claims;

        let now = chrono::Utc::now().timestamp();
        let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(0);
        if claims.iat > now.saturating_add(leeway) {
            return Err(TokenError::NotYetValid);
        }
        if claims.sub.is_empty() || claims.jti.is_empty() {
            return Err(TokenError::Malformed);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod key_tests;
#[cfg(test)]
mod test_keys;
#[cfg(test)]
mod tests;
