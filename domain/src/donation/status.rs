//! The life of a gift: it counts only once the receiving organisation says it arrived.
//!
//! ```text
//! pending ─confirm─▶ confirmed ─refund (reason)─▶ refunded
//!    │                   └──────void (reason)───▶ voided
//!    └─reject (reason)─▶ rejected
//! ```
//!
//! A receipt is numbered on `confirm`; a refunded or voided gift keeps its receipt number
//! and the receipt says it is no longer valid. Only `confirmed` gifts count in any total.

use crate::DomainError;
use crate::labels::labelled_enum;

labelled_enum! {
    /// 捐赠状态
    pub enum DonationStatus in "status" {
        /// 待确认: recorded by the donor, not yet confirmed by the receiver.
        Pending = "pending", "待确认", ["待受赠方确认"];
        /// 已确认: the receiving organisation confirmed it arrived; the receipt is issued.
        Confirmed = "confirmed", "已确认", ["已到账"];
        /// 已拒收: the receiving organisation says it never arrived or refuses it.
        Rejected = "rejected", "已拒收", ["未到账"];
        /// 已退还: returned to the donor after confirmation; the receipt is no longer valid.
        Refunded = "refunded", "已退还", ["已退款"];
        /// 已作废: the receipt was voided (keeps its number and says so).
        Voided = "voided", "已作废", [];
    }
}

labelled_enum! {
    /// What the receiving organisation can do with a gift.
    pub enum DonationAction in "action" {
        /// 确认到账: issues the receipt
        Confirm = "confirm", "确认", [];
        /// 拒收, with a reason
        Reject = "reject", "拒收", [];
        /// 退还, with a reason
        Refund = "refund", "退还", [];
        /// 作废票据, with a reason
        Void = "void", "作废", [];
    }
}

impl DonationAction {
    /// Everything but `confirm` must say why.
    pub fn needs_reason(self) -> bool {
        self != DonationAction::Confirm
    }
}

impl DonationStatus {
    /// The status after `action`, or `InvalidTransition` naming what is allowed now.
    pub fn transition(self, action: DonationAction) -> Result<DonationStatus, DomainError> {
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

    fn next(self, action: DonationAction) -> Option<DonationStatus> {
        use DonationAction as A;
        use DonationStatus as S;
        match (self, action) {
            (S::Pending, A::Confirm) => Some(S::Confirmed),
            (S::Pending, A::Reject) => Some(S::Rejected),
            (S::Confirmed, A::Refund) => Some(S::Refunded),
            (S::Confirmed, A::Void) => Some(S::Voided),
            _ => None,
        }
    }

    pub fn allowed_actions(self) -> Vec<DonationAction> {
        DonationAction::ALL
            .iter()
            .copied()
            .filter(|a| self.next(*a).is_some())
            .collect()
    }

    /// Counts in totals, tallies and statements: confirmed and not refunded or voided.
    pub fn counts(self) -> bool {
        self == DonationStatus::Confirmed
    }

    /// Has a numbered receipt (valid or not).
    pub fn has_receipt(self) -> bool {
        matches!(
            self,
            DonationStatus::Confirmed | DonationStatus::Refunded | DonationStatus::Voided
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DonationAction as A;
    use DonationStatus as S;

    #[test]
    fn a_gift_is_confirmed_or_rejected_then_refunded_or_voided() {
        assert_eq!(S::Pending.transition(A::Confirm).unwrap(), S::Confirmed);
        assert_eq!(S::Pending.transition(A::Reject).unwrap(), S::Rejected);
        assert_eq!(S::Confirmed.transition(A::Refund).unwrap(), S::Refunded);
        assert_eq!(S::Confirmed.transition(A::Void).unwrap(), S::Voided);
        assert_eq!(S::Pending.allowed_actions(), vec![A::Confirm, A::Reject]);
        assert_eq!(S::Confirmed.allowed_actions(), vec![A::Refund, A::Void]);
        for end in [S::Rejected, S::Refunded, S::Voided] {
            assert!(end.allowed_actions().is_empty(), "{end:?}");
        }
    }

    #[test]
    fn no_confirming_twice_nor_refunding_what_never_arrived() {
        match S::Confirmed.transition(A::Confirm) {
            Err(DomainError::InvalidTransition { state, allowed, .. }) => {
                assert_eq!(state, "confirmed");
                assert_eq!(allowed, ["refund", "void"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(S::Pending.transition(A::Refund).is_err());
        assert!(S::Pending.transition(A::Void).is_err());
        assert!(S::Rejected.transition(A::Confirm).is_err());
        assert!(S::Voided.transition(A::Refund).is_err());
    }

    #[test]
    fn only_confirmed_gifts_count() {
        let counting: Vec<_> = S::ALL.iter().filter(|s| s.counts()).collect();
        assert_eq!(counting, [&S::Confirmed]);
        let receipted: Vec<_> = S::ALL.iter().filter(|s| s.has_receipt()).collect();
        assert_eq!(receipted, [&S::Confirmed, &S::Refunded, &S::Voided]);
        assert!(A::Reject.needs_reason() && A::Void.needs_reason() && A::Refund.needs_reason());
        assert!(!A::Confirm.needs_reason());
    }
}
