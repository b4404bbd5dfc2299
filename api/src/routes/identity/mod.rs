//! Identity: accounts, integration clients, tokens and the audit log.

pub mod clients;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// The integration clients.
pub fn configure_clients(cfg: &mut ServiceConfig) {
    clients::configure(cfg);
}
