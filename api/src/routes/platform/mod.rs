//! The information service platform (task 9 of the policy, 扶贫信息服务平台): needs and
//! their lifecycle, offers and matching, pledges, pairings, and the public listing.

pub mod matches;
pub mod need_actions;
pub mod needs;
pub mod offers;
pub mod pairings;
pub mod pledges;
pub mod public_needs;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// The platform's routes. `/needs/{id}/matches` is registered before
/// `/needs/{id}/{action}`, which would otherwise take it.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(needs::configure)
        .configure(matches::configure)
        .configure(need_actions::configure)
        .configure(offers::configure)
        .configure(pledges::configure)
        .configure(pairings::configure)
        .configure(public_needs::configure);
}
