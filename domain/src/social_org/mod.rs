//! 社会组织扶贫 (task 2) and the registry of every organisation that takes part: the unified
//! social credit code, kinds and subtypes, verification, and the donation pre-tax deduction
//! qualification (safeguard 3).

mod credit_code;
mod organization;
mod registered;

pub use credit_code::CreditCode;
pub use organization::{
    MAX_NAME_CHARS, OrganizationAction, OrganizationDraft, OrganizationKind, OrganizationSpec,
    OrganizationStatus, SocialOrgSubtype,
};
pub use registered::Organization;
