//! 民营企业扶贫 (task 1): enterprises' aid projects in poor villages, the registered poor
//! people they employ (each counted once a year however many projects claim them), and
//! progress over time.

mod employment;
mod projects;

pub use employment::{employment_total, record_employment};
pub use projects::{ProjectDetail, ProjectFilter, create_project, get, list, report_progress};
