//! 扶贫志愿者行动 (task 6): volunteer profiles and service records, activities run by
//! verified organisations in villages, sign-up and attendance, hours logged by the volunteer
//! and certified by the organiser. Uncertified hours never count.

pub mod activities;
pub mod hours;
pub mod views;
pub mod volunteers;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(volunteers::put_profile)
        .service(volunteers::list_volunteers)
        .service(volunteers::service_record)
        .service(activities::create_activity)
        .service(activities::list_activities)
        .service(activities::sign_up)
        .service(activities::mark_attendance)
        .service(hours::log_hours)
        .service(hours::certify_hours);
}
