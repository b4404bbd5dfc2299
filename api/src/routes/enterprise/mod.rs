//! 民营企业扶贫 (task 1): enterprises' aid projects, the registered poor people they employ
//! (each person counted once a year however many projects claim them), and progress over
//! time.

pub mod claims;
pub mod employment;
pub mod projects;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(projects::create_project)
        .service(projects::list_projects)
        .service(employment::employment_total)
        .service(projects::get_project)
        .service(employment::record_employment)
        .service(projects::report_progress)
        .service(claims::list_claims)
        .service(claims::decide_claim);
}
