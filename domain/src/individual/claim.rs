//! A person's claim on a work unit as kept, its decision, and who speaks for the unit.

use chrono::NaiveDateTime;

use super::{AffiliationAction, AffiliationStatus};
use crate::DomainError;
use crate::identity::{Action, Principal};
use crate::social_org::Organization;

/// A person's claim that they work at an organisation (单位确认申请).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkUnitClaim {
    pub user_id: String,
    pub organization_id: String,
    pub status: AffiliationStatus,
    pub status_reason: Option<String>,
    pub claimed_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

impl WorkUnitClaim {
    /// A new claim, pending until the unit decides.
    pub fn new(user_id: &str, organization_id: &str, at: NaiveDateTime) -> Self {
        Self {
            user_id: user_id.to_owned(),
            organization_id: organization_id.to_owned(),
            status: AffiliationStatus::Pending,
            status_reason: None,
            claimed_at: at,
            decided_by: None,
            decided_at: None,
        }
    }

    /// The claim decided by `by`: only a pending claim is decided.
    pub fn decide(
        &self,
        action: AffiliationAction,
        reason: Option<String>,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            status: self.status.transition(action)?,
            status_reason: reason,
            decided_by: Some(by.to_owned()),
            decided_at: Some(at),
            ..self.clone()
        })
    }
}

/// A claim on a unit, with the claimant's public display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffClaim {
    pub claim: WorkUnitClaim,
    pub display_name: Option<String>,
}

/// Whether the caller speaks for the unit: one of its members, or (to decide) an official
/// whose jurisdiction holds it; readers of participation of its place may look.
pub fn speaks_for(who: &Principal, unit: &Organization, deciding: bool) -> bool {
    if who.organization_id.as_deref() == Some(unit.id.as_str()) {
        return true;
    }
    let action = if deciding {
        Action::ReviewOrganizations
    } else {
        Action::ReadParticipation
    };
    who.may(action).is_ok() && who.sees(&unit.spec.region)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{Role, Subject};
    use crate::region::RegionCode;
    use crate::social_org::OrganizationDraft;

    #[test]
    fn a_claim_is_decided_once() {
        let claim = WorkUnitClaim::new("u", "dept", NaiveDateTime::default());
        assert_eq!(claim.status, AffiliationStatus::Pending);
        let confirmed = claim
            .decide(
                AffiliationAction::Confirm,
                None,
                "o",
                NaiveDateTime::default(),
            )
            .unwrap();
        assert_eq!(
            (confirmed.status, confirmed.decided_by.as_deref()),
            (AffiliationStatus::Confirmed, Some("o"))
        );
        assert!(matches!(
            confirmed.decide(
                AffiliationAction::Reject,
                Some("x".into()),
                "o",
                NaiveDateTime::default()
            ),
            Err(DomainError::InvalidTransition { .. })
        ));
    }

    fn caller(role: Role, region: Option<&str>, organization: Option<&str>) -> Principal {
        Principal {
            subject: Subject::User {
                id: "u".into(),
                role,
            },
            region: region.map(|r| RegionCode::parse(r).unwrap()),
            organization_id: organization.map(Into::into),
        }
    }

    fn unit() -> Organization {
        let spec = OrganizationDraft {
            kind: Some("designated_unit".into()),
            name: Some("阜新市某国有企业".into()),
            credit_code: Some("91350100M000100Y43".into()),
            region_code: Some("210921".into()),
            contact_name: Some("王五".into()),
            contact_phone: Some("13912345678".into()),
            ..OrganizationDraft::default()
        }
        .parse(2026)
        .unwrap();
        Organization::register(spec, "dept".into(), None, NaiveDateTime::default())
    }

    #[test]
    fn members_and_officials_of_the_place_speak_for_a_unit() {
        let unit = unit();
        let member = caller(Role::OrgMember, None, Some("dept"));
        assert!(speaks_for(&member, &unit, true));
        let other_member = caller(Role::OrgMember, None, Some("elsewhere"));
        assert!(!speaks_for(&other_member, &unit, false));
        let county = caller(Role::CountyOfficial, Some("210921"), None);
        assert!(speaks_for(&county, &unit, true));
        let other_county = caller(Role::CountyOfficial, Some("210922"), None);
        assert!(!speaks_for(&other_county, &unit, true));
        let evaluator = caller(Role::Evaluator, None, None);
        assert!(speaks_for(&evaluator, &unit, false));
        assert!(!speaks_for(&evaluator, &unit, true));
        let donor = caller(Role::Donor, None, None);
        assert!(!speaks_for(&donor, &unit, false));
    }
}
