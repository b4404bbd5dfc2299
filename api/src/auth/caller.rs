//! The caller extractors: `Caller` (a valid access token is required) and `MaybeCaller`
//! (endpoints that also serve the public; a bad token is still refused, never downgraded to
//! anonymous), both refusing a token that may only change its account's password (403
//! `password_change_required`), which `PasswordOwner` accepts. Also `RequestMeta`, what the
//! audit log records about a request.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use domain::identity::{Principal, Role, Scopes, Subject};
use domain::region::RegionCode;

use crate::auth::jwt::{AccessClaims, SubjectKind};
use crate::error::ApiError;
use crate::http::request_id::RequestId;
pub use crate::service::RequestMeta;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub claims: AccessClaims,
}

impl std::ops::Deref for Caller {
    type Target = Principal;

    fn deref(&self) -> &Principal {
        &self.principal
    }
}

/// A caller that may also hold a token issued only to change the account's password (after
/// a reset): the one extractor of `POST /me/password`.
#[derive(Debug, Clone)]
pub struct PasswordOwner(pub Caller);

/// A caller if a token was sent; `None` for anonymous requests.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

/// The token of an `Authorization: Bearer <token>` header (the scheme's case does not
/// matter, RFC 9110 §11.1): `None` without the header, an error when it is not a bearer
/// token. The one reader of the header: the rate limiter and the extractors use it alike.
pub fn bearer(headers: &actix_web::http::header::HeaderMap) -> Option<Result<&str, ApiError>> {
    let value = headers.get(AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::unauthorized("malformed")),
    )
}

/// The principal a verified token describes.
pub fn principal_of(claims: &AccessClaims) -> Result<Principal, ApiError> {
    let malformed = |_| ApiError::unauthorized("malformed");
    let subject = match claims.kind {
        SubjectKind::User => Subject::User {
            id: claims.sub.clone(),
            role: Role::parse(claims.role.as_deref().unwrap_or_default()).map_err(malformed)?,
        },
        SubjectKind::Client => Subject::Client {
            id: claims.sub.clone(),
            scopes: Scopes::parse(claims.scope.as_deref().unwrap_or_default())
                .map_err(malformed)?,
        },
    };
    let region = claims
        .region
        .as_deref()
        .map(RegionCode::parse)
        .transpose()
        .map_err(malformed)?;
    Ok(Principal {
        subject,
        region,
        organization_id: claims.org.clone(),
    })
}

/// Claims of the request's bearer token, already verified earlier in the same request (by
/// the rate limiter, which needs the caller's identity before any handler runs).
#[derive(Debug, Clone)]
pub struct Verified(pub AccessClaims);

fn authenticate(req: &HttpRequest) -> Result<Option<Caller>, ApiError> {
    let Some(token) = bearer(req.headers()) else {
        return Ok(None);
    };
    let token = token?;
    if let Some(Verified(claims)) = req.extensions().get::<Verified>().cloned() {
        let principal = principal_of(&claims)?;
        return Ok(Some(Caller { principal, claims }));
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let claims = state
        .tokens
        .verify(token)
        .map_err(|e| ApiError::unauthorized(e.reason()))?;
    let principal = principal_of(&claims)?;
    Ok(Some(Caller { principal, claims }))
}

/// A verified caller whose account or client is still in good standing (not disabled since
/// the token was issued; see [`crate::auth::standing`]).
async fn in_standing(
    state: Option<web::Data<AppState>>,
    caller: Caller,
) -> Result<Caller, ApiError> {
    let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
    if crate::auth::standing::in_good_standing(&state, caller.claims.kind, &caller.claims.sub)
        .await?
    {
        Ok(caller)
    } else {
        Err(ApiError::unauthorized("disabled"))
    }
}

/// `caller`, unless its token may only change the account's password.
fn not_restricted(caller: Caller) -> Result<Caller, ApiError> {
    if caller.claims.password_change_only() {
        Err(ApiError::password_change_required())
    } else {
        Ok(caller)
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = authenticate(req)
            .and_then(|c| c.ok_or_else(|| ApiError::unauthorized("missing")))
            .and_then(not_restricted);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move { in_standing(state, found?).await })
    }
}

impl FromRequest for PasswordOwner {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found =
            authenticate(req).and_then(|c| c.ok_or_else(|| ApiError::unauthorized("missing")));
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move { in_standing(state, found?).await.map(PasswordOwner) })
    }
}

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = authenticate(req).and_then(|c| c.map(not_restricted).transpose());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            match found? {
                Some(caller) => Ok(MaybeCaller(Some(in_standing(state, caller).await?))),
                None => Ok(MaybeCaller(None)),
            }
        })
    }
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestMeta {
            ip: crate::http::client_ip::of(req).map(|ip| ip.to_string()),
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        }))
    }
}
