//! Headers every answer carries for the client's safety: `X-Content-Type-Options: nosniff`
//! on all, and `Cache-Control: no-store` on the API's answers that do not declare their own
//! caching. Only public pages declare theirs (`public, max-age=60`); everything else under
//! `/api/v1` may carry personal data, so no browser, proxy or portal keeps a copy.
//! A `304 Not Modified` is left alone: it has no body, and headers on it would overwrite
//! those of the copy a client chose to keep (a public page's `max-age`).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// Where answers are no-store unless they say otherwise.
const API_PREFIX: &str = "/api/v1/";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let api = req.path().starts_with(API_PREFIX);
    let mut res = next.call(req).await?;
    let not_modified = res.status() == StatusCode::NOT_MODIFIED;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if api && !not_modified && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}
