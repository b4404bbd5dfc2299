//! 民营企业扶贫 (task 1): enterprises' aid projects in poor villages, the registered poor
//! people they employ (claimed by the enterprise, confirmed by officials where the registry
//! cannot settle it silently; each counted once a year however many projects claim them),
//! and progress over time.

mod employment;
mod projects;

pub use employment::{ClaimFilter, decide_claim, employment_total, list_claims, record_employment};
pub use projects::{ProjectDetail, ProjectFilter, create_project, get, list, report_progress};
