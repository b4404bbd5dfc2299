//! Entity tags for single resources: `ETag` on reads, `If-None-Match` (304) on `GET`,
//! `If-Match` (412) on `PATCH` and state changes.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::service::{ServiceError, ServiceResult};

/// How long portals and proxies may cache a public answer (`Cache-Control`).
pub const PUBLIC_CACHE: &str = "public, max-age=60";

/// A strong ETag over the resource's JSON representation.
pub fn of<T: Serialize>(resource: &T) -> String {
    of_bytes(&serde_json::to_vec(resource).unwrap_or_default())
}

/// The tag of a body already serialized.
pub fn of_bytes(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn matches(header_value: &HeaderValue, etag: &str) -> bool {
    header_value.to_str().is_ok_and(|v| {
        v.split(',')
            .map(str::trim)
            .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == etag)
    })
}

/// Fails with 412 when the request carries an `If-Match` that does not match `etag`.
pub fn check_if_match(req: &HttpRequest, etag: &str) -> Result<(), ApiError> {
    check_if_match_value(req.headers().get(header::IF_MATCH), etag)
}

/// [`check_if_match`] for an `If-Match` value taken from the request earlier (the check
/// runs where the current version is read, inside the write transaction).
pub fn check_if_match_value(if_match: Option<&HeaderValue>, etag: &str) -> Result<(), ApiError> {
    match if_match {
        Some(v) if !matches(v, etag) => Err(ApiError::precondition_failed()),
        _ => Ok(()),
    }
}

/// The request's `If-Match` as a check of the stored entry, whose representation `view`
/// makes: 412 when the client changes a version it does not hold. The use case runs the
/// check where it reads the current version, inside its write transaction.
pub fn if_match<E, V: Serialize, F: Fn(&E) -> V>(
    req: &HttpRequest,
    view: F,
) -> impl FnOnce(&E) -> ServiceResult<()> + use<E, V, F> {
    let header: Option<HeaderValue> = req.headers().get(header::IF_MATCH).cloned();
    move |entry| {
        check_if_match_value(header.as_ref(), &of(&view(entry)))
            .map_err(|_| ServiceError::precondition_failed())
    }
}

/// `200` with the body and its `ETag` (the answer to a change).
pub fn tagged<T: Serialize>(resource: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, of(resource)))
        .json(resource)
}

/// `200` with the body and its `ETag`, or `304` when the client already holds it.
pub fn respond<T: Serialize>(req: &HttpRequest, resource: &T) -> HttpResponse {
    // Serialized once: the tag is the hash of exactly the bytes sent.
    let body = serde_json::to_vec(resource).unwrap_or_default();
    let etag = of_bytes(&body);
    respond_bytes(req, etag, body)
}

/// [`respond`] for a JSON body already serialized, with its tag.
pub fn respond_bytes(req: &HttpRequest, etag: String, body: Vec<u8>) -> HttpResponse {
    if req
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| matches(v, &etag))
    {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish();
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .content_type("application/json")
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn if_match_is_checked_against_the_current_tag() {
        let tag = of(&serde_json::json!({"a": 1}));
        assert_ne!(tag, of(&serde_json::json!({"a": 2})));
        let ok = TestRequest::default()
            .insert_header((header::IF_MATCH, tag.clone()))
            .to_http_request();
        assert!(check_if_match(&ok, &tag).is_ok());
        let stale = TestRequest::default()
            .insert_header((header::IF_MATCH, "\"0000\""))
            .to_http_request();
        assert_eq!(
            check_if_match(&stale, &tag).unwrap_err().status.as_u16(),
            412
        );
        let none = TestRequest::default().to_http_request();
        assert!(check_if_match(&none, &tag).is_ok());
    }
}
