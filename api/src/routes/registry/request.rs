//! Reading the registry's requests: a JSON body into a domain draft (refusing members the
//! caller may not set), and `If-Match` into the precondition a use case checks against the
//! stored entry.

use actix_web::HttpRequest;
use actix_web::http::header::{HeaderValue, IF_MATCH};
use serde::Serialize;
use serde::de::DeserializeOwned;

use domain::FieldError;

use crate::error::ApiError;
use crate::http::etag;
use crate::service::{ServiceError, ServiceResult};

/// A JSON body as a draft; every member `refused` names is refused with 422 `not_settable`.
pub fn draft<T: DeserializeOwned>(
    body: serde_json::Value,
    refused: impl Fn(&str) -> bool,
) -> Result<T, ApiError> {
    let serde_json::Value::Object(map) = &body else {
        return Err(ApiError::validation(vec![FieldError::new(
            "body",
            "not_an_object",
            "the body must be a JSON object",
            "请求体必须是 JSON 对象",
        )]));
    };
    let errors: Vec<FieldError> = map
        .keys()
        .filter(|k| refused(k))
        .map(|k| {
            FieldError::new(
                k.clone(),
                "not_settable",
                format!("{k} cannot be set here"),
                format!("不能在此设置 {k}"),
            )
        })
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    serde_json::from_value(body).map_err(|e| {
        ApiError::validation(vec![FieldError::new(
            "body",
            "invalid_type",
            e.to_string(),
            format!("请求体格式错误：{e}"),
        )])
    })
}

/// The request's `If-Match` as a check of the stored entry, whose representation `view`
/// makes: 412 when the client changes a version it does not hold.
pub fn if_match<E, V: Serialize, F: Fn(&E) -> V>(
    req: &HttpRequest,
    view: F,
) -> impl FnOnce(&E) -> ServiceResult<()> + use<E, V, F> {
    let header: Option<HeaderValue> = req.headers().get(IF_MATCH).cloned();
    move |entry| {
        etag::check_if_match_value(header.as_ref(), &etag::of(&view(entry)))
            .map_err(|_| ServiceError::precondition_failed())
    }
}
