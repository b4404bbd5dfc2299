//! The API's resources, one file per resource, in the policy's words.

pub mod brand;
pub mod donation;
pub mod enterprise;
pub mod identity;
pub mod individual;
pub mod operations;
pub mod platform;
pub mod region;
pub mod registry;
pub mod social_org;
pub mod volunteer;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.configure(region::configure)
        .configure(identity::configure_tokens)
        .configure(identity::configure_accounts)
        .configure(identity::configure_users)
        .configure(identity::configure_user_status)
        .configure(identity::configure_clients)
        .configure(identity::configure_audit_events)
        .configure(registry::configure)
        .configure(platform::configure)
        .configure(social_org::configure)
        .configure(donation::configure)
        .configure(individual::configure)
        .configure(brand::configure)
        .configure(volunteer::configure)
        .configure(enterprise::configure)
        .configure(brand::configure_records);
}
