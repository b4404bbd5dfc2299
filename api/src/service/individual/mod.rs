//! 个人扶贫 (task 3): the work unit a donor or volunteer names, its confirmation by the unit
//! or an official of its place, a person's own participation in a year, and the "lead by
//! example" tally of public bodies' staff by work unit.

mod participation;
mod staff;
mod work_unit;

pub use participation::{UnitFilter, UnitTallies, my_participation, work_unit_participation};
pub use staff::{StaffFilter, decide_staff, list_staff};
pub use work_unit::{WorkUnit, claim_work_unit, get_work_unit, withdraw_work_unit};
