//! 扶贫公益品牌 (task 7): the brand catalogue and new brands, campaigns under a brand, and
//! the programme records of households.

pub mod brands;
pub mod campaigns;
pub mod programme_records;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// The catalogue and the campaigns.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(brands::list_public_brands)
        .service(campaigns::create_campaign)
        .service(campaigns::join_campaign)
        .service(campaigns::list_public_campaigns);
}

/// New brands and the programme records. Registered after the enterprise projects, as they
/// always were: the document lists paths in the order they are registered, and it does not
/// change.
pub fn configure_records(cfg: &mut ServiceConfig) {
    cfg.service(brands::create_brand)
        .service(programme_records::record_programme)
        .service(programme_records::household_programmes);
}
