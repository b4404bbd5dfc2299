//! Turns every error answer into `application/problem+json` in the caller's language, with
//! the request path as `instance` and the request id. Errors raised by handlers and
//! extractors carry an [`ApiError`]; anything else the framework answered on its own (405,
//! an unmatched route) gets the problem for its status.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::error::{ApiError, PROBLEM_JSON};
use crate::http::request_id::RequestId;
use crate::i18n::Lang;

pub async fn problem_details(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let lang = Lang::from_request(req.request());
    let instance = req.path().to_owned();
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let res = next.call(req).await?;
    let status = res.status();
    let api_error = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
        .cloned();
    let is_problem = res
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    let problem = match api_error {
        Some(e) => e,
        None if status.as_u16() >= 400 && !is_problem => ApiError::from_status(status),
        None => return Ok(res.map_into_boxed_body()),
    };
    if let Some(internal) = &problem.internal
        && problem.status.is_server_error()
    {
        tracing::error!(request_id = request_id.as_deref().unwrap_or("-"), error = %internal, "request failed");
    }
    let (req, old) = res.into_parts();
    let mut fresh = problem.to_response(lang, &instance, request_id.as_deref());
    // Keep headers a handler or the framework set for a reason (Allow on 405, for example).
    for (name, value) in old.headers() {
        if name != CONTENT_TYPE
            && name != actix_web::http::header::CONTENT_LENGTH
            && !fresh.headers().contains_key(name)
        {
            fresh.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(req, fresh))
}
