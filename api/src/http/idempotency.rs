//! `Idempotency-Key` for `POST`: the first response to a key is stored and replayed for
//! 24 hours to the same caller sending the same request; the same key with another request
//! is refused (422), and a second request while the first is still running gets 409.
//! Server errors are not stored, so a retry after a 5xx runs again; and a claim left behind
//! without an answer (the database failed before it could be released, the process died)
//! expires after `persistence::idempotency::LEASE_SECONDS`, so such a retry runs too.

use std::collections::BTreeMap;

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, web};
use futures_util::StreamExt;
use persistence::idempotency::{self, Claim, KeyRef, StoredResponse};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::http::extract::JSON_LIMIT;
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const IDEMPOTENCY_REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

/// Headers of the first response that a replay repeats.
const REPLAYED_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::LOCATION, header::ETAG];

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whose key it is: callers are told apart by their credentials (a hash of the
/// `Authorization` header), callers without any share `anonymous`.
pub fn scope_of(authorization: Option<&HeaderValue>) -> String {
    authorization.map_or_else(|| "anonymous".to_owned(), |v| hex(v.as_bytes()))
}

fn problem(req: ServiceRequest, e: ApiError) -> ServiceResponse<BoxBody> {
    req.error_response(e)
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = match req.headers().get(&IDEMPOTENCY_KEY) {
        Some(k) if req.method() == Method::POST => k.clone(),
        _ => {
            return next
                .call(req)
                .await
                .map(ServiceResponse::map_into_boxed_body);
        }
    };
    let Some(key) = key
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()))
        .map(str::to_owned)
    else {
        let e = ApiError::invalid_parameters(vec![domain::FieldError::new(
            "Idempotency-Key",
            "invalid",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
            "Idempotency-Key 必须是 1 到 255 个可见 ASCII 字符",
        )]);
        return Ok(problem(req, e));
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // Read the body (bounded) to fingerprint it, then hand it on unchanged.
    let mut payload = req.take_payload();
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if bytes.len() + chunk.len() > JSON_LIMIT {
            return Ok(problem(req, ApiError::payload_too_large()));
        }
        bytes.extend_from_slice(&chunk);
    }
    let bytes = bytes.freeze();
    req.set_payload(bytes.clone().into());

    // Keys belong to the caller that used them: callers are told apart by their credentials.
    let scope = scope_of(req.headers().get(header::AUTHORIZATION));
    let method = req.method().to_string();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.path().to_owned(), ToString::to_string);
    let body_hash = hex(&bytes);
    let claim = {
        let (state, scope, key, method, path) = (
            state.clone(),
            scope.clone(),
            key.clone(),
            method.clone(),
            path.clone(),
        );
        web::block(move || -> Result<Claim, ApiError> {
            let mut conn = state
                .pool
                .get()
                .map_err(|e| ApiError::unavailable(e.to_string()))?;
            let now = chrono::Utc::now().naive_utc();
            Ok(idempotency::claim(
                &mut conn,
                &KeyRef {
                    scope: &scope,
                    key: &key,
                },
                &method,
                &path,
                &body_hash,
                now,
            )?)
        })
        .await
    };
    let claim = match claim {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => return Ok(problem(req, e)),
        Err(e) => return Ok(problem(req, e.into())),
    };
    match claim {
        Claim::Mismatch => Ok(problem(
            req,
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "此 Idempotency-Key 已用于另一个请求。",
                "This Idempotency-Key was already used for a different request.",
            ),
        )),
        Claim::InProgress => Ok(problem(
            req,
            ApiError::conflict(
                "使用同一 Idempotency-Key 的请求仍在处理中。",
                "A request with this Idempotency-Key is still being processed.",
            ),
        )),
        Claim::Replay(stored) => {
            let mut res = HttpResponse::build(
                StatusCode::from_u16(stored.status_code).unwrap_or(StatusCode::OK),
            );
            let headers: BTreeMap<String, String> =
                serde_json::from_str(&stored.headers_json).unwrap_or_default();
            for (name, value) in &headers {
                if let (Ok(n), Ok(v)) = (
                    HeaderName::try_from(name.as_str()),
                    HeaderValue::from_str(value),
                ) {
                    res.insert_header((n, v));
                }
            }
            res.insert_header((IDEMPOTENCY_REPLAYED, "true"));
            Ok(req.into_response(res.body(stored.body)))
        }
        Claim::Fresh => {
            let res = next.call(req).await?;
            let status = res.status();
            let (req, response) = res.into_parts();
            let (head, body) = response.into_parts();
            let body = body::to_bytes(body)
                .await
                .map_err(|_| ApiError::internal("response body could not be read"))?;
            let headers: BTreeMap<String, String> = REPLAYED_HEADERS
                .iter()
                .filter_map(|n| {
                    head.headers()
                        .get(n)
                        .and_then(|v| v.to_str().ok())
                        .map(|v| (n.to_string(), v.to_owned()))
                })
                .collect();
            let stored = StoredResponse {
                status_code: status.as_u16(),
                headers_json: serde_json::to_string(&headers).unwrap_or_else(|_| "{}".to_owned()),
                body: body.to_vec(),
            };
            let outcome = web::block(move || -> Result<(), ApiError> {
                let mut conn = state
                    .pool
                    .get()
                    .map_err(|e| ApiError::unavailable(e.to_string()))?;
                let key_ref = KeyRef {
                    scope: &scope,
                    key: &key,
                };
                if status.is_server_error() {
                    idempotency::release(&mut conn, &key_ref)?;
                } else {
                    idempotency::complete(&mut conn, &key_ref, &stored)?;
                }
                Ok(())
            })
            .await;
            if let Err(e) = outcome.map_err(ApiError::from).and_then(|r| r) {
                tracing::error!(error = %e, "idempotency record could not be stored");
            }
            Ok(ServiceResponse::new(
                req,
                head.set_body(body).map_into_boxed_body(),
            ))
        }
    }
}
