//! The caller extractors: `Caller` (a valid access token is required) and `MaybeCaller`
//! (endpoints that also serve the public; a bad token is still refused, never downgraded to
//! anonymous). Also `RequestMeta`, what the audit log records about a request.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use domain::identity::{Principal, Role, Scopes, Subject};
use domain::region::RegionCode;

use crate::auth::jwt::{AccessClaims, SubjectKind};
use crate::error::ApiError;
use crate::http::request_id::RequestId;
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

/// A caller if a token was sent; `None` for anonymous requests.
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

fn bearer(req: &HttpRequest) -> Option<Result<&str, ApiError>> {
    let value = req.headers().get(AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
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
    let Some(token) = bearer(req) else {
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

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|c| c.ok_or_else(|| ApiError::unauthorized("missing"))))
    }
}

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).map(MaybeCaller))
    }
}

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<String>,
    pub request_id: Option<String>,
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestMeta {
            ip: req.peer_addr().map(|a| a.ip().to_string()),
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
        }))
    }
}
