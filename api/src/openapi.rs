//! The OpenAPI 3.1 document: generated from the handlers' annotations, with the shared
//! error responses, tags per policy area, security scheme and server.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Shared error responses, each an RFC 9457 problem with an example.
pub mod responses {
    use utoipa::ToResponse;

    use crate::error::Problem;

    /// The request is malformed: unreadable JSON, or an invalid path or query parameter.
    #[derive(Debug, ToResponse)]
    #[response(
        description = "Malformed request or invalid parameter (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:invalid_parameter", "title": "Invalid parameter", "status": 400,
            "detail": "A request parameter is invalid; see errors.", "instance": "/api/v1/regions",
            "code": "invalid_parameter",
            "errors": [{"field": "parent", "code": "invalid_region_code", "message": "\"21x\" is not a region code: only digits are allowed"}]
        })
    )]
    pub struct BadRequest(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "Fields of the body break a rule (problem+json, one entry per field in `errors`)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:validation_failed", "title": "Validation failed", "status": 422,
            "detail": "The request body failed validation; see errors.", "instance": "/api/v1/users",
            "code": "validation_failed",
            "errors": [{"field": "region_code", "code": "invalid_region_code", "message": "\"2109\" is not a region code: expected 6 digits (province, city, county) or 12 digits (township, village)"}]
        })
    )]
    pub struct Unprocessable(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "No access token, or one that fails verification: expired, not yet valid, wrong audience or issuer, wrong key, unknown key id, `alg: none` (problem+json; `reason` says which)",
        content_type = "application/problem+json",
        headers(("WWW-Authenticate" = String, description = "`Bearer realm=\"fupin\"`")),
        example = json!({
            "type": "urn:fupin:problem:unauthorized", "title": "Unauthorized", "status": 401,
            "detail": "A valid access token is required.", "instance": "/api/v1/users", "code": "unauthorized",
            "errors": [], "reason": "expired"
        })
    )]
    pub struct Unauthorized(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "The caller's role or scopes may never do this, or the token was issued after a password reset and may only change the password (`password_change_required`) (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:forbidden", "title": "Forbidden", "status": 403,
            "detail": "Your role may not do this.", "instance": "/api/v1/clients", "code": "forbidden", "errors": []
        })
    )]
    pub struct Forbidden(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "Conflicts with existing data, or an illegal state transition (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:conflict", "title": "Conflict", "status": 409,
            "detail": "The username is taken.", "instance": "/api/v1/users", "code": "conflict", "errors": [], "field": "username"
        })
    )]
    pub struct Conflict(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "Too many requests or login attempts; retry after `Retry-After` seconds (problem+json)",
        content_type = "application/problem+json",
        headers(("Retry-After" = u32, description = "Seconds to wait before retrying")),
        example = json!({
            "type": "urn:fupin:problem:rate_limited", "title": "Too many requests", "status": 429,
            "detail": "Too many login attempts; retry later.", "instance": "/api/v1/auth/token", "code": "rate_limited", "errors": []
        })
    )]
    pub struct TooManyRequests(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "Unknown, or outside the caller's jurisdiction (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:not_found", "title": "Not found", "status": 404,
            "detail": "No region 210999.", "instance": "/api/v1/regions/210999", "code": "not_found", "errors": []
        })
    )]
    pub struct NotFound(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "The body is larger than allowed (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:payload_too_large", "title": "Payload too large", "status": 413,
            "detail": "The request body exceeds the size limit.", "instance": "/api/v1/needs", "code": "payload_too_large", "errors": []
        })
    )]
    pub struct PayloadTooLarge(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "`If-Match` does not match the current `ETag`: someone changed it first (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:precondition_failed", "title": "Precondition failed", "status": 412,
            "detail": "The resource has changed: If-Match does not match its current ETag.", "instance": "/api/v1/households/0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f",
            "code": "precondition_failed", "errors": []
        })
    )]
    pub struct PreconditionFailed(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "The body is not in a media type this operation accepts (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:unsupported_media_type", "title": "Unsupported media type", "status": 415,
            "detail": "Unsupported Content-Type; send application/json.", "instance": "/api/v1/users", "code": "unsupported_media_type", "errors": []
        })
    )]
    pub struct UnsupportedMediaType(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "The database is unreachable; retry after `Retry-After` seconds (problem+json)",
        content_type = "application/problem+json",
        headers(("Retry-After" = u32, description = "Seconds to wait before retrying")),
        example = json!({
            "type": "urn:fupin:problem:unavailable", "title": "Service unavailable", "status": 503,
            "detail": "The database is unavailable; retry later.", "instance": "/health/ready", "code": "unavailable", "errors": []
        })
    )]
    pub struct Unavailable(#[to_schema] pub Problem);

    #[derive(Debug, ToResponse)]
    #[response(
        description = "Unexpected failure; details are logged under the request id, never shown (problem+json)",
        content_type = "application/problem+json",
        example = json!({
            "type": "urn:fupin:problem:internal", "title": "Internal server error", "status": 500,
            "detail": "Internal server error; quote the request_id when reporting it.", "instance": "/api/v1/regions",
            "code": "internal", "errors": [], "request_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f"
        })
    )]
    pub struct Internal(#[to_schema] pub Problem);

    /// Answers in sets that say why they apply, for `responses(...)` of a path: whatever a
    /// request is ([`Always`]), once it needs a token ([`SignedIn`]), once it has a JSON
    /// body ([`WithBody`]). The statuses that depend on what an operation does (403, 404,
    /// 409, 412) stay written out at the operation.
    fn refs(
        entries: &[(&str, &str)],
    ) -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        entries
            .iter()
            .map(|(status, name)| {
                (
                    (*status).to_owned(),
                    utoipa::openapi::RefOr::Ref(utoipa::openapi::Ref::from_response_name(*name)),
                )
            })
            .collect()
    }

    /// 400 (malformed request or parameter), 429 (rate limited), 500: any request.
    #[derive(Debug)]
    pub struct Always;

    impl utoipa::IntoResponses for Always {
        fn responses()
        -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>>
        {
            refs(&[
                ("400", "BadRequest"),
                ("429", "TooManyRequests"),
                ("500", "Internal"),
            ])
        }
    }

    /// 401: the operation needs a valid access token.
    #[derive(Debug)]
    pub struct SignedIn;

    impl utoipa::IntoResponses for SignedIn {
        fn responses()
        -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>>
        {
            refs(&[("401", "Unauthorized")])
        }
    }

    /// 413 (too large), 415 (not JSON), 422 (fields break a rule): the operation reads a
    /// JSON body.
    #[derive(Debug)]
    pub struct WithBody;

    impl utoipa::IntoResponses for WithBody {
        fn responses()
        -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>>
        {
            refs(&[
                ("413", "PayloadTooLarge"),
                ("415", "UnsupportedMediaType"),
                ("422", "Unprocessable"),
            ])
        }
    }
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Fupin: Liaoning social poverty-alleviation platform API",
        description = "REST/JSON API of the information service platform that Liaoning's 2015 opinions on \
mobilising society for poverty alleviation ask for: the registry of poor villages and households, \
their needs, the offers of enterprises, social organisations and individuals, matching, pledges and \
pairings, and the records of every other task of the policy.\n\n\
Conventions: JSON with snake_case fields; RFC 3339 UTC timestamps; money as integer `*_fen`; \
errors as RFC 9457 `application/problem+json` with a stable `code`, in `zh-CN` (default) or `en` \
by `Accept-Language`; lists are keyset-paginated with `limit` and an opaque `cursor`; every \
response carries `X-Request-Id`; `POST` honours `Idempotency-Key` (replayed for 24 h).",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
        contact(name = "Fupin maintainers"),
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "service", description = "Health, readiness and metrics for operators"),
        (name = "regions", description = "行政区划: Liaoning's administrative hierarchy (reference data)"),
        (name = "auth", description = "Access tokens: password, refresh-token and client-credentials grants; revocation"),
        (name = "users", description = "Accounts of officials, village cadres, evaluators, organisation members, donors and volunteers; self sign-up"),
        (name = "clients", description = "Integration clients: government systems and portals with scopes and a region"),
        (name = "registry", description = "建档立卡: registered poor villages and households (members inline), status changes, bulk import and export"),
        (name = "platform", description = "扶贫信息服务平台: needs of poor households and villages, offers, matching, pledges, pairings"),
        (name = "participants", description = "社会力量: organisations and their verification, individuals and their work units, donations and receipts, volunteers, enterprise projects, the brand catalogue"),
        (name = "public", description = "Published needs for portals, without a token: no personal data, cacheable"),
        (name = "audit", description = "The audit log: writes, logins, refreshes and every unmasked read of personal data"),
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemFieldError), responses(
        responses::BadRequest,
        responses::Unprocessable,
        responses::Unauthorized,
        responses::Forbidden,
        responses::NotFound,
        responses::Conflict,
        responses::TooManyRequests,
        responses::PayloadTooLarge,
        responses::UnsupportedMediaType,
        responses::PreconditionFailed,
        responses::Unavailable,
        responses::Internal,
    )),
    modifiers(&Security)
)]
pub struct ApiDoc;

#[derive(Debug)]
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("Access token from POST /api/v1/auth/token"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The operator's FUPIN_METRICS_TOKEN"))
                    .build(),
            ),
        );
    }
}

/// The schema of a labelled domain enumeration: its English values as `enum`, and each
/// value's Chinese label in the description.
pub fn labelled<T: domain::labels::Labelled>() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let labels: Vec<String> = T::all()
        .iter()
        .map(|v| format!("`{}` {}", v.value(), v.label()))
        .collect();
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(T::all().iter().map(|v| v.value())))
        .description(Some(labels.join(", ")))
        .build()
}

/// [`labelled`], or `null`.
pub fn labelled_or_null<T: domain::labels::Labelled>() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{SchemaType, Type};
    let mut schema = labelled::<T>();
    schema.schema_type = SchemaType::from_iter([Type::String, Type::Null]);
    if let Some(values) = schema.enum_values.as_mut() {
        values.push(serde_json::Value::Null);
    }
    schema
}

/// An array of [`labelled`] values.
pub fn labelled_list<T: domain::labels::Labelled>() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(labelled::<T>())
        .build()
}
