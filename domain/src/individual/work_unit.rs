//! A person's work unit (工作单位) and its confirmation.
//!
//! ```text
//! (claim) ─▶ pending ─confirm─▶ confirmed
//!               └─reject─▶ rejected        (a new claim starts again at pending)
//! ```
//!
//! Anyone may say where they work; only the unit — one of its verified members — or an
//! official whose jurisdiction holds the unit can confirm it, so a donor cannot add their
//! gifts to a department's "lead by example" count by naming it.

use crate::labels::labelled_enum;
use crate::social_org::{OrganizationKind, OrganizationStatus};
use crate::{DomainError, FieldError};

labelled_enum! {
    /// 单位确认状态
    pub enum AffiliationStatus in "status" {
        /// 待单位确认
        Pending = "pending", "待确认", [];
        /// 单位已确认
        Confirmed = "confirmed", "已确认", [];
        /// 单位不认可
        Rejected = "rejected", "未认可", [];
    }
}

labelled_enum! {
    /// What the unit (or an official) may do with a claim.
    pub enum AffiliationAction in "action" {
        /// 确认
        Confirm = "confirm", "确认", [];
        /// 不认可 (with a reason)
        Reject = "reject", "不认可", [];
    }
}

impl AffiliationStatus {
    /// Whether this person's participation counts for the unit.
    pub fn counts(self) -> bool {
        self == Self::Confirmed
    }

    /// Only a pending claim is decided; a decided one is claimed again to be re-decided.
    pub fn transition(self, action: AffiliationAction) -> Result<Self, DomainError> {
        match (self, action) {
            (Self::Pending, AffiliationAction::Confirm) => Ok(Self::Confirmed),
            (Self::Pending, AffiliationAction::Reject) => Ok(Self::Rejected),
            _ => Err(DomainError::InvalidTransition {
                state: self.as_str().to_owned(),
                action: action.as_str().to_owned(),
                allowed: vec![],
            }),
        }
    }
}

/// Whether an organisation can be named as a work unit whose staff lead by example: a
/// verified government department (党政机关), designated unit (定点扶贫单位, which includes
/// public institutions and state enterprises) or people's organisation (人民团体). Enterprises
/// and social organisations take part as organisations in their own right.
pub fn check_work_unit(
    kind: OrganizationKind,
    status: OrganizationStatus,
    field: &str,
) -> Result<(), FieldError> {
    use OrganizationKind as K;
    if !matches!(
        kind,
        K::GovernmentDepartment | K::DesignatedUnit | K::PeopleOrganization
    ) {
        return Err(FieldError::new(
            field,
            "not_a_public_body",
            "a work unit is a government department, a designated unit or a people's organisation",
            "工作单位应为党政机关、定点扶贫单位或人民团体",
        ));
    }
    if status != OrganizationStatus::Verified {
        return Err(FieldError::new(
            field,
            "organization_not_verified",
            "the work unit is not verified yet",
            "该单位尚未通过认证",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pending_claims_are_decided_and_only_confirmed_ones_count() {
        use AffiliationAction as A;
        use AffiliationStatus as S;
        assert_eq!(S::Pending.transition(A::Confirm), Ok(S::Confirmed));
        assert_eq!(S::Pending.transition(A::Reject), Ok(S::Rejected));
        for decided in [S::Confirmed, S::Rejected] {
            for action in A::ALL {
                assert!(matches!(
                    decided.transition(*action),
                    Err(DomainError::InvalidTransition { .. })
                ));
            }
        }
        let counting: Vec<_> = S::ALL.iter().filter(|s| s.counts()).collect();
        assert_eq!(counting, [&S::Confirmed]);
    }

    #[test]
    fn work_units_are_verified_public_bodies() {
        use OrganizationKind as K;
        let ok = |k| check_work_unit(k, OrganizationStatus::Verified, "organization_id");
        assert!(ok(K::GovernmentDepartment).is_ok());
        assert!(ok(K::DesignatedUnit).is_ok());
        assert!(ok(K::PeopleOrganization).is_ok());
        assert_eq!(ok(K::Enterprise).unwrap_err().code, "not_a_public_body");
        assert_eq!(
            ok(K::SocialOrganization).unwrap_err().code,
            "not_a_public_body"
        );
        let pending = check_work_unit(
            K::GovernmentDepartment,
            OrganizationStatus::Pending,
            "organization_id",
        )
        .unwrap_err();
        assert_eq!(
            (pending.field.as_str(), pending.code),
            ("organization_id", "organization_not_verified")
        );
    }
}
