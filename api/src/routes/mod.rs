//! The API's resources, one file per resource, in the policy's words.

pub mod accounts;
pub mod audit_events;
pub mod auth;
pub mod clients;
pub mod regions;
pub mod service;
pub mod users;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(regions::configure)
        .configure(auth::configure)
        .configure(accounts::configure)
        .configure(users::configure)
        .configure(clients::configure)
        .configure(audit_events::configure);
}
