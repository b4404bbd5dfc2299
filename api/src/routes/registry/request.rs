//! Reading the registry's requests: a JSON body into a domain draft (refusing members the
//! caller may not set), and `If-Match` into the precondition a use case checks against the
//! stored entry.

use serde::de::DeserializeOwned;

use domain::FieldError;

use crate::error::ApiError;

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
    serde_json::from_value(body).map_err(|e| ApiError::validation(vec![body_error(&e)]))
}

/// A body that does not deserialize: an unknown member (the drafts refuse them, here and in
/// nested objects) is named as the field, anything else is `body`.
fn body_error(e: &serde_json::Error) -> FieldError {
    let text = e.to_string();
    let unknown = text
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name.to_owned());
    match unknown {
        Some(name) => FieldError::new(
            name.clone(),
            "unknown_field",
            format!("{name} is not a field of this body"),
            format!("{name} 不是此请求体的字段"),
        ),
        None => FieldError::new(
            "body",
            "invalid_type",
            text.clone(),
            format!("请求体格式错误：{text}"),
        ),
    }
}

pub use crate::http::etag::if_match;
