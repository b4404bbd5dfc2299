//! One check of every text a request carries before any handler reads it: no control
//! character other than tab, CR and LF (`domain::input::refused_character`) in a path
//! segment, a query value, or a string (or key) of a JSON or form body. PostgreSQL cannot
//! store NUL in text and SQLite would keep it; no such character is ever meant, so the
//! request is refused here, the same way on both databases, instead of reaching a query:
//!
//! - a path with one names nothing: 404 `not_found`, as an unknown id;
//! - a query value: 400 `invalid_parameter` naming the parameter;
//! - a body: 422 `validation_failed` naming each field (`name`, `members[0].name`), as every
//!   other well-formed body with a bad value. Bodies that do not parse are left to the
//!   extractors, which answer as they always have.
//!
//! Headers cannot carry these characters (the HTTP parser refuses them, and the ones read
//! into records are checked as visible ASCII); credentials decoded from HTTP Basic are
//! checked where they are decoded. CSV import cells are checked row by row
//! (`domain::registry::csv_layout`), so such a row is a row error.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::mime;
use actix_web::web::{self, Bytes, BytesMut};
use actix_web::{Error, HttpMessage};
use futures_util::StreamExt;
use serde_json::Value;

use domain::FieldError;
use domain::input::{check_text, refused_character};

use crate::error::ApiError;
use crate::http::extract::JSON_LIMIT;
use crate::service::ServiceError;

/// At most this many fields are named in one answer.
const MAX_ERRORS: usize = 50;

pub async fn refuse_control_characters(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(e) = path_error(req.path()).or_else(|| query_error(req.query_string())) {
        return Ok(req.error_response(e));
    }
    if let Some(kind) = body_kind(&req) {
        let mut payload = req.take_payload();
        match read_bounded(&mut payload).await? {
            Ok(bytes) => {
                let errors = match kind {
                    BodyKind::Json => serde_json::from_slice::<Value>(&bytes)
                        .map(|v| json_errors(&v))
                        .unwrap_or_default(),
                    BodyKind::Form => form_errors(&bytes),
                };
                if !errors.is_empty() {
                    return Ok(req.error_response(ApiError::validation(errors)));
                }
                req.set_payload(bytes.into());
            }
            // Too large to be read here: handed on whole, for the extractor to refuse.
            Err(head) => {
                let rest = futures_util::stream::once(async move { Ok(head) }).chain(payload);
                req.set_payload(Payload::Stream {
                    payload: Box::pin(rest),
                });
            }
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

#[derive(Debug, Clone, Copy)]
enum BodyKind {
    Json,
    Form,
}

/// The bodies the extractors read as text: JSON (`application/json`, `*/*+json`, as the
/// JSON extractor accepts) and forms.
fn body_kind(req: &ServiceRequest) -> Option<BodyKind> {
    let mime = req.mime_type().ok()??;
    if mime.subtype() == mime::JSON || mime.suffix() == Some(mime::JSON) {
        Some(BodyKind::Json)
    } else if mime.type_() == mime::APPLICATION && mime.subtype() == mime::WWW_FORM_URLENCODED {
        Some(BodyKind::Form)
    } else {
        None
    }
}

/// The body, or (`Err`) what was read of it once it passed the JSON limit.
async fn read_bounded(payload: &mut Payload) -> Result<Result<Bytes, Bytes>, Error> {
    let mut bytes = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        bytes.extend_from_slice(&chunk?);
        if bytes.len() > JSON_LIMIT {
            return Ok(Err(bytes.freeze()));
        }
    }
    Ok(Ok(bytes.freeze()))
}

/// A path whose decoded text holds a refused character names nothing.
fn path_error(raw: &str) -> Option<ApiError> {
    let decoded = percent_decode(raw);
    refused_character(&String::from_utf8_lossy(&decoded)).map(|_| ServiceError::not_found().into())
}

fn query_error(raw: &str) -> Option<ApiError> {
    if raw.is_empty() {
        return None;
    }
    let errors = pairs_errors(raw);
    (!errors.is_empty()).then(|| ApiError::invalid_parameters(errors))
}

fn form_errors(body: &[u8]) -> Vec<FieldError> {
    pairs_errors(&String::from_utf8_lossy(body))
}

/// The errors of `name=value&...` text (a query string or a form), each against its name.
/// Text that cannot be read as pairs is left to the extractor.
fn pairs_errors(text: &str) -> Vec<FieldError> {
    let Ok(pairs) = web::Query::<Vec<(String, String)>>::from_query(text) else {
        return Vec::new();
    };
    pairs
        .iter()
        .filter_map(|(name, value)| {
            let field = shown(name);
            check_text(name, &field)
                .and_then(|()| check_text(value, &field))
                .err()
        })
        .take(MAX_ERRORS)
        .collect()
}

/// Every string and key of a JSON value with a refused character, named by its place in
/// the body (`name`, `members[0].name`; `body` for the body itself).
pub fn json_errors(value: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    walk(value, &mut String::new(), &mut errors);
    errors
}

fn walk(value: &Value, at: &mut String, errors: &mut Vec<FieldError>) {
    if errors.len() >= MAX_ERRORS {
        return;
    }
    match value {
        Value::String(s) => {
            if let Err(e) = check_text(s, field_name(at)) {
                errors.push(e);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                walk(item, at, errors);
                at.truncate(len);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(&shown(key));
                if let Err(e) = check_text(key, field_name(at)) {
                    errors.push(e);
                } else {
                    walk(item, at, errors);
                }
                at.truncate(len);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn field_name(at: &str) -> &str {
    if at.is_empty() { "body" } else { at }
}

/// A name as an answer may show it: refused characters escaped (`a\0b`).
fn shown(name: &str) -> String {
    if refused_character(name).is_some() {
        name.escape_debug().to_string()
    } else {
        name.to_owned()
    }
}

/// `%XX` sequences decoded to their bytes; anything else kept as it is.
fn percent_decode(raw: &str) -> Vec<u8> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = match bytes.get(i + 1..i + 3) {
            Some([hi, lo]) if hi.is_ascii_hexdigit() && lo.is_ascii_hexdigit() => {
                std::str::from_utf8(&[*hi, *lo])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            }
            _ => None,
        };
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn every_string_of_a_body_is_named_by_its_place() {
        let body = json!({
            "name": "a\u{0}b",
            "ok": "tab\tcr\rlf\n 汉字",
            "members": [{"name": "张三"}, {"name": "\u{1b}[31m", "age": 3}],
            "tags": ["x", "\u{7f}"],
            "nested": {"deep": {"text": "\u{85}"}},
            "bad\u{0}key": 1,
        });
        assert_eq!(
            fields(&json_errors(&body)),
            // In the order of the keys (the JSON value keeps them sorted).
            [
                ("bad\\0key", "control_character"),
                ("members[1].name", "control_character"),
                ("name", "control_character"),
                ("nested.deep.text", "control_character"),
                ("tags[1]", "control_character"),
            ]
        );
        assert_eq!(
            fields(&json_errors(&json!("\u{0}"))),
            [("body", "control_character")]
        );
        assert_eq!(
            fields(&json_errors(&json!([{"a": "\u{0}"}]))),
            [("[0].a", "control_character")]
        );
        assert!(json_errors(&json!({"a": ["b", {"c": "d\te"}], "n": 1, "z": null})).is_empty());
    }

    #[test]
    fn a_flood_of_bad_strings_is_named_only_so_far() {
        let body = Value::Array(vec![json!("\u{0}"); 1000]);
        assert_eq!(json_errors(&body).len(), MAX_ERRORS);
    }

    #[test]
    fn query_values_and_form_fields_are_named() {
        let e = query_error("region=%00&q=a%00b&limit=5").unwrap();
        assert_eq!(e.code, "invalid_parameter");
        assert_eq!(
            fields(&e.errors),
            [("region", "control_character"), ("q", "control_character")]
        );
        assert!(query_error("q=a+b%09c&region=210900").is_none());
        assert!(query_error("").is_none());
        assert_eq!(
            fields(&form_errors(b"grant_type=password&username=a%00")),
            [("username", "control_character")]
        );
        assert_eq!(
            fields(&form_errors(b"x%01y=1")),
            [("x\\u{1}y", "control_character")]
        );
    }

    #[test]
    fn a_path_with_a_control_character_names_nothing() {
        assert_eq!(
            path_error("/api/v1/public/needs/%00").map(|e| e.status.as_u16()),
            Some(404)
        );
        assert!(path_error("/api/v1/public/needs/%1B%5B").is_some());
        assert!(path_error("/api/v1/public/needs/%C2%85").is_some());
        assert!(path_error("/api/v1/regions/%E8%BE%BD%E5%AE%81").is_none());
        assert!(path_error("/api/v1/x/%zz/%+1/%4").is_none());
    }
}
