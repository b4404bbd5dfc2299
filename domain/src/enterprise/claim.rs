//! An enterprise's claim that its project employs a person, named by ID number.
//!
//! The claim must not tell the enterprise whether the person is a registered poor person:
//! a claim naming someone registered in one of the project's own villages is recorded at
//! once; every other claim waits for an official of the project's villages, whatever the
//! registry holds, so the answer to the enterprise is the same for a person registered
//! elsewhere and for someone not registered at all.
//!
//! ```text
//! recorded                         (registered in the project's own villages)
//! pending ─confirm─▶ confirmed     (an official of the project's villages vouches)
//!    └────reject──▶ rejected
//! ```
//!
//! Only `recorded` and `confirmed` claims count as employment.

use chrono::NaiveDateTime;

use crate::DomainError;
use crate::identity::IdCardNumber;
use crate::labels::labelled_enum;

labelled_enum! {
    /// 用工申报状态
    pub enum ClaimStatus in "status" {
        /// 已记录: the person is registered in one of the project's villages.
        Recorded = "recorded", "已记录", [];
        /// 待核实: waits for an official of the project's villages.
        Pending = "pending", "待核实", [];
        /// 已核实: an official confirmed it.
        Confirmed = "confirmed", "已核实", [];
        /// 已驳回: an official rejected it.
        Rejected = "rejected", "已驳回", [];
    }
}

labelled_enum! {
    /// What an official can do with a pending claim.
    pub enum ClaimAction in "action" {
        /// 核实
        Confirm = "confirm", "核实", [];
        /// 驳回
        Reject = "reject", "驳回", [];
    }
}

impl ClaimStatus {
    /// The status after `action`, or `InvalidTransition` naming what is allowed now.
    pub fn transition(self, action: ClaimAction) -> Result<ClaimStatus, DomainError> {
        self.next(action)
            .ok_or_else(|| DomainError::InvalidTransition {
                state: self.as_str().to_owned(),
                action: action.as_str().to_owned(),
                allowed: self
                    .allowed_actions()
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
            })
    }

    fn next(self, action: ClaimAction) -> Option<ClaimStatus> {
        match (self, action) {
            (ClaimStatus::Pending, ClaimAction::Confirm) => Some(ClaimStatus::Confirmed),
            (ClaimStatus::Pending, ClaimAction::Reject) => Some(ClaimStatus::Rejected),
            _ => None,
        }
    }

    pub fn allowed_actions(self) -> Vec<ClaimAction> {
        ClaimAction::ALL
            .iter()
            .copied()
            .filter(|a| self.next(*a).is_some())
            .collect()
    }

    /// Counts as employment.
    pub fn counts(self) -> bool {
        matches!(self, ClaimStatus::Recorded | ClaimStatus::Confirmed)
    }
}

/// 用工申报: one project's claim to employ one person in one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmploymentClaim {
    pub id: String,
    pub project_id: String,
    pub year: i32,
    pub id_number: IdCardNumber,
    pub status: ClaimStatus,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    /// The official who confirmed or rejected it, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimAction as A;
    use ClaimStatus as S;

    #[test]
    fn only_a_pending_claim_is_decided_and_only_recorded_or_confirmed_ones_count() {
        assert_eq!(S::Pending.transition(A::Confirm).unwrap(), S::Confirmed);
        assert_eq!(S::Pending.transition(A::Reject).unwrap(), S::Rejected);
        for s in [S::Recorded, S::Confirmed, S::Rejected] {
            for a in ClaimAction::ALL {
                assert!(
                    matches!(s.transition(*a), Err(DomainError::InvalidTransition { .. })),
                    "{s:?} {a:?}"
                );
            }
        }
        assert_eq!(S::Pending.allowed_actions(), vec![A::Confirm, A::Reject]);
        let counted: Vec<S> = ClaimStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.counts())
            .collect();
        assert_eq!(counted, vec![S::Recorded, S::Confirmed]);
    }
}
