//! Service endpoints for operators: liveness, readiness, metrics.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::error::ApiError;
use crate::openapi::responses::{Internal, NotFound, Unauthorized, Unavailable};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(live).service(ready).service(metrics);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HealthStatus {
    /// `ok` when the check passed.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// The database backend in use (`sqlite` or `postgres`), on readiness.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "sqlite")]
    pub database: Option<&'static str>,
}

/// Liveness: the process is up and serving.
#[utoipa::path(
    tag = "service",
    operation_id = "health_live",
    responses((status = 200, description = "The process is alive", body = HealthStatus, example = json!({"status": "ok"})))
)]
#[get("/health/live")]
pub async fn live() -> web::Json<HealthStatus> {
    web::Json(HealthStatus {
        status: "ok",
        database: None,
    })
}

/// Readiness: the database answers. 503 problem+json with `Retry-After` when it does not.
#[utoipa::path(
    tag = "service",
    operation_id = "health_ready",
    responses(
        (status = 200, description = "Ready to serve", body = HealthStatus, example = json!({"status": "ok", "database": "postgres"})),
        (status = 503, response = Unavailable),
        (status = 500, response = Internal),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<web::Json<HealthStatus>, ApiError> {
    let pool = state.pool.clone();
    let backend = web::block(move || crate::service::operations::readiness(&pool)).await??;
    Ok(web::Json(HealthStatus {
        status: "ok",
        database: Some(backend),
    }))
}

/// Prometheus metrics (text exposition format 0.0.4), for the scraper holding
/// `FUPIN_METRICS_TOKEN` as its bearer token; not served (404) when no token is configured.
#[utoipa::path(
    tag = "service",
    operation_id = "metrics",
    security(("metrics_token" = [])),
    responses(
        (status = 200, description = "Metrics in Prometheus text format", content_type = "text/plain; version=0.0.4", body = String,
            example = "fupin_http_requests_total{method=\"GET\",route=\"/api/v1/regions\",status=\"200\"} 12\n"),
        (status = 401, response = Unauthorized),
        (status = 404, response = NotFound),
    )
)]
#[get("/metrics")]
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let expected = state
        .metrics_token
        .as_deref()
        .ok_or_else(ApiError::not_found)?;
    let given = crate::auth::caller::bearer(req.headers())
        .ok_or_else(|| ApiError::unauthorized("missing"))??;
    if !crate::auth::password::same_secret(given, expected) {
        return Err(ApiError::unauthorized("invalid"));
    }
    let pool = state.pool.state();
    let text = state.metrics.render(
        pool.connections,
        pool.idle_connections,
        state.pool.max_size(),
    );
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}
