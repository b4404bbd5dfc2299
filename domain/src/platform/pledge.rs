//! A pledge (认领): a participant takes all or part of a published need, delivers it, and
//! the place confirms it.
//!
//! ```text
//! pledged ─deliver─▶ delivered ─confirm─▶ confirmed
//!    └─cancel─▶ cancelled   (only before delivery; the capacity goes back to the need)
//! ```

use crate::DomainError;
use crate::FieldError;
use crate::labels::labelled_enum;

use super::text::{optional_text, required_text};

pub const MAX_NOTE_CHARS: usize = 1000;

labelled_enum! {
    /// 认领状态
    pub enum PledgeStatus in "status" {
        /// 已认领
        Pledged = "pledged", "已认领", [];
        /// 已交付
        Delivered = "delivered", "已交付", [];
        /// 已确认: the place confirmed the delivery.
        Confirmed = "confirmed", "已确认", [];
        /// 已取消
        Cancelled = "cancelled", "已取消", [];
    }
}

labelled_enum! {
    /// What can be asked of a pledge.
    pub enum PledgeAction in "action" {
        /// 交付 (the pledger, with evidence)
        Deliver = "deliver", "交付", [];
        /// 确认 (the village cadre or an official of the place)
        Confirm = "confirm", "确认", [];
        /// 取消 (the pledger, before delivery)
        Cancel = "cancel", "取消", [];
    }
}

impl PledgeStatus {
    pub fn transition(self, action: PledgeAction) -> Result<PledgeStatus, DomainError> {
        self.next(action)
            .ok_or_else(|| DomainError::InvalidTransition {
                state: self.as_str().to_owned(),
                action: action.as_str().to_owned(),
                allowed: PledgeAction::ALL
                    .iter()
                    .filter(|a| self.next(**a).is_some())
                    .map(|a| a.as_str().to_owned())
                    .collect(),
            })
    }

    fn next(self, action: PledgeAction) -> Option<PledgeStatus> {
        match (self, action) {
            (PledgeStatus::Pledged, PledgeAction::Deliver) => Some(PledgeStatus::Delivered),
            (PledgeStatus::Delivered, PledgeAction::Confirm) => Some(PledgeStatus::Confirmed),
            (PledgeStatus::Pledged, PledgeAction::Cancel) => Some(PledgeStatus::Cancelled),
            _ => None,
        }
    }

    /// Counts against its need's capacity.
    pub fn holds_capacity(self) -> bool {
        self != PledgeStatus::Cancelled
    }
}

/// A pledge's note, checked like any text the other side will read.
pub fn parse_note(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    optional_text(raw, "note", MAX_NOTE_CHARS)
}

/// A reason (for rejecting, cancelling): required, at most 1,000 characters.
pub fn parse_reason(raw: Option<&str>) -> Result<String, FieldError> {
    required_text(raw, "reason", MAX_NOTE_CHARS)
}

/// Feedback and thanks from the household side (反馈与感谢), visible to the donor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub message: String,
    /// 1 to 5, when given.
    pub rating: Option<i32>,
    /// The household itself acknowledged receipt (签收).
    pub household_acknowledged: bool,
}

impl Feedback {
    pub fn parse(
        message: Option<&str>,
        rating: Option<i32>,
        household_acknowledged: Option<bool>,
    ) -> Result<Feedback, Vec<FieldError>> {
        let mut errors = Vec::new();
        let message = required_text(message, "message", MAX_NOTE_CHARS)
            .map_err(|e| errors.push(e))
            .ok();
        if let Some(r) = rating.filter(|r| !(1..=5).contains(r)) {
            errors.push(FieldError::new(
                "rating",
                "out_of_range",
                format!("rating is 1 to 5, not {r}"),
                format!("评分应为 1 到 5，而不是 {r}"),
            ));
        }
        match message {
            Some(message) if errors.is_empty() => Ok(Feedback {
                message,
                rating,
                household_acknowledged: household_acknowledged.unwrap_or(false),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PledgeAction as A;
    use PledgeStatus as S;

    #[test]
    fn pledge_lifecycle() {
        assert_eq!(S::Pledged.transition(A::Deliver), Ok(S::Delivered));
        assert_eq!(S::Delivered.transition(A::Confirm), Ok(S::Confirmed));
        assert_eq!(S::Pledged.transition(A::Cancel), Ok(S::Cancelled));
        assert_eq!(
            S::Delivered.transition(A::Cancel),
            Err(DomainError::InvalidTransition {
                state: "delivered".into(),
                action: "cancel".into(),
                allowed: vec!["confirm".into()],
            })
        );
        assert!(S::Pledged.transition(A::Confirm).is_err());
        assert!(S::Confirmed.transition(A::Cancel).is_err());
        assert!(!S::Cancelled.holds_capacity() && S::Delivered.holds_capacity());
    }

    #[test]
    fn feedback_is_checked() {
        let f = Feedback::parse(Some(" 谢谢！校服很暖和 "), Some(5), Some(true)).unwrap();
        assert_eq!(f.message, "谢谢！校服很暖和");
        let errs = Feedback::parse(None, Some(9), None).unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            vec![("message", "required"), ("rating", "out_of_range")]
        );
        assert_eq!(parse_reason(Some("")).unwrap_err().code, "required");
    }
}
