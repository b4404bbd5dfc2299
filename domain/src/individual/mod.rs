//! Individuals (task 3, 个人扶贫): everyone may donate, volunteer, pair with a household and
//! join visits; officials and staff of party and government bodies, public institutions and
//! people's organisations "lead by example" (发挥带头示范作用). Their participation is
//! counted by work unit: a person names their unit, the unit (or an official of its place)
//! confirms it, and only confirmed staff count.

mod claim;
mod participation;
mod work_unit;

pub use claim::{StaffClaim, WorkUnitClaim, speaks_for};
pub use participation::{Participation, WorkUnitTally, tally_by_unit};
pub use work_unit::{AffiliationAction, AffiliationStatus, check_work_unit};
