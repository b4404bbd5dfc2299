//! The API's resources, one file per resource, in the policy's words.

pub mod regions;
pub mod service;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(regions::configure);
}
