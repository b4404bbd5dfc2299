//! 个人扶贫 (task 3): the work unit a donor or volunteer names, its confirmation by the unit
//! or an official of its place, a person's own participation in a year, and the "lead by
//! example" tally of public bodies' staff by work unit.

pub mod participation;
pub mod staff;
pub mod views;
pub mod work_unit;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(work_unit::claim_work_unit)
        .service(work_unit::get_work_unit)
        .service(work_unit::withdraw_work_unit)
        .service(participation::my_participation)
        .service(staff::list_staff)
        .service(staff::decide_staff)
        .service(participation::work_unit_participation);
}
