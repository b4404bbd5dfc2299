//! 扶贫志愿者行动 (task 6): volunteers' profiles and service records, the activities verified
//! organisations run in villages, sign-up and attendance, and hours logged by the volunteer
//! and certified by the organiser (uncertified hours never count).

mod activities;
mod hours;
mod profiles;

pub use activities::{create_activity, list_activities, mark_attendance, sign_up};
pub use hours::{HoursDraft, certify_hours, log_hours};
pub use profiles::{VolunteerFilter, list, save_profile, service_record};
