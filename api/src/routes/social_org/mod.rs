//! 社会组织扶贫 (task 2): the organisations that take part and their verification.

pub mod organizations;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    organizations::configure(cfg);
}
