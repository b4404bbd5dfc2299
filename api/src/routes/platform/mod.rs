//! The information service platform (task 9 of the policy, 扶贫信息服务平台): needs,
//! offers and matching, pledges, pairings.

pub mod pairings;
pub mod pledges;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// The platform's pledges and pairings.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(pledges::configure)
        .configure(pairings::configure);
}
