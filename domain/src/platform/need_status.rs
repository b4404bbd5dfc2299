//! The life of a need (API.md "Lifecycles"):
//!
//! ```text
//! draft ─submit─▶ submitted ─verify─▶ verified ─publish─▶ published
//!   ▲                 │reject                                │ pledges
//!   └──(edit) rejected ◀┘─submit again                       ▼
//!                       published ⇄ partially_pledged ⇄ fully_pledged ─fulfil─▶ fulfilled ─close─▶ closed
//! cancel: from any open state (draft … fully_pledged, rejected) → cancelled
//! expire: deadline passed while not yet fully pledged → expired
//! ```
//!
//! Pledging moves a published need between `published`, `partially_pledged` and
//! `fully_pledged` by its capacity ([`NeedStatus::by_capacity`]); it is not an action anyone
//! asks for.

use crate::DomainError;
use crate::labels::labelled_enum;

use super::amount::Capacity;

labelled_enum! {
    /// 需求状态
    pub enum NeedStatus in "status" {
        /// 草稿
        Draft = "draft", "草稿", [];
        /// 已提交: waiting for the township or county to verify it.
        Submitted = "submitted", "已提交", ["待审核"];
        /// 已审核
        Verified = "verified", "已审核", ["审核通过"];
        /// 已退回, with the reason.
        Rejected = "rejected", "已退回", ["审核未通过"];
        /// 已发布: public, open for pledges.
        Published = "published", "已发布", [];
        /// 部分认领
        PartiallyPledged = "partially_pledged", "部分认领", [];
        /// 已全部认领
        FullyPledged = "fully_pledged", "已全部认领", ["全部认领"];
        /// 已实现: every pledge delivered and confirmed.
        Fulfilled = "fulfilled", "已实现", ["已完成"];
        /// 已关闭
        Closed = "closed", "已关闭", [];
        /// 已取消
        Cancelled = "cancelled", "已取消", [];
        /// 已过期: the deadline passed.
        Expired = "expired", "已过期", [];
    }
}

labelled_enum! {
    /// What can be asked of a need.
    pub enum NeedAction in "action" {
        /// 提交审核 (a village cadre)
        Submit = "submit", "提交", [];
        /// 审核通过 (a township or county official)
        Verify = "verify", "审核通过", [];
        /// 退回 (a township or county official, with a reason)
        Reject = "reject", "退回", [];
        /// 发布 (a township or county official)
        Publish = "publish", "发布", [];
        /// 关闭 a fulfilled need
        Close = "close", "关闭", [];
        /// 取消, with a reason
        Cancel = "cancel", "取消", [];
        /// 过期: the deadline passed (the platform does this itself)
        Expire = "expire", "过期", [];
        /// 实现: the last open pledge was confirmed (the platform does this itself)
        Fulfil = "fulfil", "实现", [];
    }
}

/// What an action does to the reason recorded with a need's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReasonChange {
    /// The recorded reason stays.
    Keep,
    /// The recorded reason no longer applies: a rejected need, fixed and submitted again.
    Clear,
    /// This action's reason (reject, cancel).
    Set(String),
}

impl NeedAction {
    /// What doing this with `reason` (required and checked before, for reject and cancel)
    /// does to the recorded reason.
    pub fn reason_change(self, reason: Option<String>) -> ReasonChange {
        match (self, reason) {
            (_, Some(r)) => ReasonChange::Set(r),
            (NeedAction::Submit, None) => ReasonChange::Clear,
            _ => ReasonChange::Keep,
        }
    }

    /// An official's review (verify, reject, publish), recorded with who did it.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            NeedAction::Verify | NeedAction::Reject | NeedAction::Publish
        )
    }
}

impl NeedStatus {
    /// The status after `action`, or `InvalidTransition` naming what is allowed now.
    pub fn transition(self, action: NeedAction) -> Result<NeedStatus, DomainError> {
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

    fn next(self, action: NeedAction) -> Option<NeedStatus> {
        use NeedAction as A;
        use NeedStatus as S;
        match (self, action) {
            (S::Draft | S::Rejected, A::Submit) => Some(S::Submitted),
            (S::Submitted, A::Verify) => Some(S::Verified),
            (S::Submitted, A::Reject) => Some(S::Rejected),
            (S::Verified, A::Publish) => Some(S::Published),
            (S::FullyPledged, A::Fulfil) => Some(S::Fulfilled),
            (S::Fulfilled, A::Close) => Some(S::Closed),
            (s, A::Cancel) if s.is_open() => Some(S::Cancelled),
            (s, A::Expire) if s.may_expire() => Some(S::Expired),
            _ => None,
        }
    }

    /// The actions a person may ask for in this status (not `expire` or `fulfil`, which
    /// the platform does itself).
    pub fn allowed_actions(self) -> Vec<NeedAction> {
        NeedAction::ALL
            .iter()
            .copied()
            .filter(|a| !matches!(a, NeedAction::Expire | NeedAction::Fulfil))
            .filter(|a| self.next(*a).is_some())
            .collect()
    }

    /// Not yet finished: may still be cancelled.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            NeedStatus::Fulfilled
                | NeedStatus::Closed
                | NeedStatus::Cancelled
                | NeedStatus::Expired
        )
    }

    /// Open and not yet fully covered: passes to `expired` when its deadline passes.
    pub fn may_expire(self) -> bool {
        self.is_open() && self != NeedStatus::FullyPledged
    }

    /// Open for pledges.
    pub fn takes_pledges(self) -> bool {
        matches!(self, NeedStatus::Published | NeedStatus::PartiallyPledged)
    }

    /// Has been published (and so is on the public pages, for as long as it exists).
    pub fn is_public(self) -> bool {
        matches!(
            self,
            NeedStatus::Published
                | NeedStatus::PartiallyPledged
                | NeedStatus::FullyPledged
                | NeedStatus::Fulfilled
                | NeedStatus::Closed
        )
    }

    /// May be edited (by its drafters).
    pub fn is_editable(self) -> bool {
        matches!(self, NeedStatus::Draft | NeedStatus::Rejected)
    }

    /// The status a pledged-on need has for this capacity: `published` with nothing
    /// pledged, `fully_pledged` when nothing remains, `partially_pledged` between.
    pub fn by_capacity(capacity: Capacity) -> NeedStatus {
        if capacity.pledged <= 0 {
            NeedStatus::Published
        } else if capacity.remaining() == 0 {
            NeedStatus::FullyPledged
        } else {
            NeedStatus::PartiallyPledged
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resubmitting_clears_the_old_reason_and_reviews_are_marked() {
        use NeedAction as A;
        assert_eq!(A::Submit.reason_change(None), ReasonChange::Clear);
        assert_eq!(
            A::Reject.reason_change(Some("照片不清".into())),
            ReasonChange::Set("照片不清".into())
        );
        assert_eq!(A::Close.reason_change(None), ReasonChange::Keep);
        let reviews: Vec<_> = A::ALL.iter().filter(|a| a.is_review()).collect();
        assert_eq!(reviews, [&A::Verify, &A::Reject, &A::Publish]);
    }
    use NeedAction as A;
    use NeedStatus as S;

    #[test]
    fn the_happy_path() {
        let s = S::Draft.transition(A::Submit).unwrap();
        assert_eq!(s, S::Submitted);
        let s = s.transition(A::Verify).unwrap();
        assert_eq!(s, S::Verified);
        assert_eq!(s.transition(A::Publish), Ok(S::Published));
        assert_eq!(S::FullyPledged.transition(A::Fulfil), Ok(S::Fulfilled));
        assert_eq!(S::Fulfilled.transition(A::Close), Ok(S::Closed));
    }

    #[test]
    fn rejected_needs_are_fixed_and_submitted_again() {
        assert_eq!(S::Submitted.transition(A::Reject), Ok(S::Rejected));
        assert!(S::Rejected.is_editable());
        assert_eq!(S::Rejected.transition(A::Submit), Ok(S::Submitted));
    }

    #[test]
    fn illegal_transitions_name_the_state_and_allowed_actions() {
        assert_eq!(
            S::Draft.transition(A::Publish),
            Err(DomainError::InvalidTransition {
                state: "draft".into(),
                action: "publish".into(),
                allowed: vec!["submit".into(), "cancel".into()],
            })
        );
        assert_eq!(
            S::Closed.transition(A::Cancel),
            Err(DomainError::InvalidTransition {
                state: "closed".into(),
                action: "cancel".into(),
                allowed: vec![],
            })
        );
        assert!(S::Published.transition(A::Verify).is_err());
        assert!(S::Fulfilled.transition(A::Cancel).is_err());
    }

    #[test]
    fn cancel_and_expire_from_open_states_only() {
        for s in S::ALL {
            assert_eq!(s.transition(A::Cancel).is_ok(), s.is_open(), "{s}");
        }
        assert!(S::Published.transition(A::Expire).is_ok());
        assert!(S::PartiallyPledged.transition(A::Expire).is_ok());
        assert!(S::FullyPledged.transition(A::Expire).is_err());
        assert!(S::Cancelled.transition(A::Expire).is_err());
    }

    #[test]
    fn pledges_move_the_status_by_capacity() {
        let c = |pledged| Capacity { asked: 10, pledged };
        assert_eq!(S::by_capacity(c(0)), S::Published);
        assert_eq!(S::by_capacity(c(4)), S::PartiallyPledged);
        assert_eq!(S::by_capacity(c(10)), S::FullyPledged);
        assert!(S::Published.takes_pledges() && S::PartiallyPledged.takes_pledges());
        assert!(!S::FullyPledged.takes_pledges() && !S::Verified.takes_pledges());
        assert!(S::Fulfilled.is_public() && !S::Verified.is_public());
    }
}
