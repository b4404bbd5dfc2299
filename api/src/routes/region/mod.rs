//! `/api/v1/regions`: Liaoning's administrative hierarchy (reference data, public).

mod regions;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(regions::list_regions)
        .service(regions::get_region);
}
