//! 爱心捐赠 (task 3): donations to verified organisations, confirmed by their receivers,
//! their receipts, a donor's annual statement.

pub mod actions;
pub mod donations;
pub mod receipts;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(donations::donate)
        .service(donations::list_donations)
        .service(donations::annual_statement)
        .service(donations::get_donation)
        .service(receipts::get_receipt)
        .service(actions::act_on_donation);
}
