//! HEAD answered wherever GET is (RFC 9110 §9.3.2): the request is routed as GET and the
//! HTTP layer, which saw HEAD when it read the request, sends the headers without the body.
//! Health probes and link checkers often ask HEAD.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

/// Marks a request that arrived as HEAD and is routed as GET.
#[derive(Debug, Clone, Copy)]
pub struct AskedHead;

pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
        req.extensions_mut().insert(AskedHead);
    }
    next.call(req).await
}
