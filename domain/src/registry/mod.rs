//! 建档立卡: the registry of poor villages and households that the information service
//! platform (task 9 of the policy) is built on.
//!
//! - Enumerations of the registry's forms ([`HouseholdType`], [`PovertyCause`],
//!   [`Relation`], ...): each has `ALL`, `as_str` (the English value of the API and the CSV
//!   layout), `label_zh` and `parse`, which takes the English value or the Chinese label.
//!   Serde uses the English value.
//! - [`HouseholdDraft`] / [`MemberDraft`] / [`PoorVillageDraft`]: what a JSON body or a CSV
//!   row gives, every field text. `parse` checks every rule and reports every error at once,
//!   by field name (`members[2].id_number`).
//! - [`Household`], [`Member`], [`PoorVillage`]: the parsed, valid records.
//! - The status machine ([`HouseholdStatus::transition`]) and the exit standard
//!   ([`Household::check_exit`] against [`PovertyLines`]).
//! - [`csv_layout`]: the import/export layout of `docs/registry-csv.md`; [`ImportJob`]: a
//!   bulk import's progress, counts and [`ImportProblem`]s.

mod attributes;
mod changes;
mod classification;
pub mod csv_layout;
mod ethnicity;
mod exit;
mod fields;
mod guarantees;
mod household;
mod household_number;
mod import_job;
mod member;
mod records;
mod status;
mod village;

#[cfg(test)]
mod household_tests;
#[cfg(test)]
mod test_support;

pub use attributes::{Education, Health, Relation, Schooling, WorkCapacity, parse_sex};
pub use changes::{MAX_REASON_CHARS, Transition};
pub use classification::{HouseholdType, IdentificationStandard, PovertyCause};
pub use ethnicity::{ETHNIC_GROUPS, Ethnicity};
pub use exit::{EXIT_CONDITIONS_UNMET, PovertyLines};
pub use fields::{FIRST_REGISTRY_YEAR, parse_bool};
pub use guarantees::{Guarantees, GuaranteesDraft};
pub use household::{Household, HouseholdDraft, MAX_MEMBERS, MAX_SECONDARY_CAUSES};
pub use household_number::HouseholdNumber;
pub use import_job::{
    IMPORT_HEARTBEAT, IMPORT_STALE_AFTER, ImportJob, ImportKind, ImportProblem, ImportStatus,
    MAX_IMPORT_PROBLEMS,
};
pub use member::{Member, MemberDraft};
pub use records::{HouseholdSummary, RegisteredHousehold, RegisteredVillage, StatusChange};
pub use status::{HouseholdStatus, StatusAction};
pub use village::{MAX_NOTES_CHARS, PoorVillage, PoorVillageDraft, VillageStatus};
