//! Extractor settings: body limits, and the mapping of the framework's own extractor errors
//! (bad JSON, wrong content type, bad path or query) to problems.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::{HttpMessage, HttpRequest, web};
use domain::FieldError;

use crate::error::ApiError;
use crate::http::head::AskedHead;
use crate::http::known_paths::KnownPaths;

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 1024 * 1024;

pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT)
        .error_handler(json_error)
}

pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| query_error(err).into())
}

pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| path_error(err).into())
}

fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            ApiError::payload_too_large()
        }
        JsonPayloadError::ContentType => ApiError::unsupported_media_type(),
        JsonPayloadError::Deserialize(e) if e.is_data() => {
            ApiError::validation(vec![FieldError::new(
                "body",
                "invalid_type",
                e.to_string(),
                format!("请求体字段类型或取值错误：{e}"),
            )])
        }
        other => ApiError::bad_request(
            format!("请求体不是有效的 JSON：{other}"),
            format!("The request body is not valid JSON: {other}"),
        ),
    };
    api.into()
}

fn query_error(err: QueryPayloadError) -> ApiError {
    let text = err.to_string();
    ApiError::invalid_parameters(vec![FieldError::new(
        "query",
        "malformed",
        format!("Query string cannot be read: {text}"),
        format!("查询参数无法解析：{text}"),
    )])
}

fn path_error(err: PathError) -> ApiError {
    let text = err.to_string();
    ApiError::invalid_parameters(vec![FieldError::new(
        "path",
        "malformed",
        format!("Path parameter cannot be read: {text}"),
        format!("路径参数无法解析：{text}"),
    )])
}

/// Answer for a request that matched no route: 405 with `Allow` when the path is documented
/// for other methods, else 404.
pub async fn unknown_route(
    req: HttpRequest,
    known: Option<web::Data<KnownPaths>>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let allowed = known.map(|k| k.allowed(req.path())).unwrap_or_default();
    // The method the client sent: HEAD is routed as GET (`http::head`).
    let asked = if req.extensions().get::<AskedHead>().is_some() {
        "HEAD"
    } else {
        req.method().as_str()
    };
    // A documented method that still matched no route (a path parameter the router would
    // not take) is a path that does not exist.
    if allowed.is_empty() || allowed.contains(&asked) {
        return Err(ApiError::new(
            actix_web::http::StatusCode::NOT_FOUND,
            "not_found",
            "没有这个路径。API 文档见 /docs。",
            "No such path. The API is documented at /docs.",
        ));
    }
    let allow = allowed.join(", ");
    let mut e = ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("该路径不支持 {asked} 方法，支持：{allow}。"),
        format!("This path does not support {asked}; it supports {allow}."),
    );
    e.allow = Some(allow);
    Err(e)
}
