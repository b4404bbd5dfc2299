//! 建档立卡: the register of poor villages and households, over HTTP.

pub mod exports;
pub mod household_status;
pub mod households;
pub mod imports;
mod request;
pub mod views;
pub mod villages;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.configure(villages::configure)
        .configure(households::configure)
        .configure(household_status::configure)
        .configure(imports::configure)
        .configure(exports::configure);
}
