//! A pledge (认领): a participant takes all or part of a published need, delivers it, and
//! the place confirms it.
//!
//! ```text
//! pledged ─deliver─▶ delivered ─confirm─▶ confirmed
//!    └─cancel─▶ cancelled   (only before delivery; the capacity goes back to the need)
//! ```

use chrono::{DateTime, Utc};

use crate::DomainError;
use crate::FieldError;
use crate::labels::labelled_enum;
use crate::region::RegionCode;

use super::amount::Amount;
use super::evidence::{Evidence, EvidenceDraft, parse_evidence};
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

/// A stored pledge and its trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pledge {
    pub id: String,
    pub need_id: String,
    pub pledger_id: String,
    pub organization_id: Option<String>,
    /// The pledger's offer this pledge comes from.
    pub offer_id: Option<String>,
    /// The pledger's pairing this pledge is made within.
    pub pairing_id: Option<String>,
    /// The need's village.
    pub place: RegionCode,
    /// The part of the need taken, in the need's measure.
    pub amount: Amount,
    pub note: Option<String>,
    pub status: PledgeStatus,
    /// The delivery's evidence (empty until delivered).
    pub evidence: Vec<Evidence>,
    pub delivery_note: Option<String>,
    pub cancel_reason: Option<String>,
    pub confirmed_by: Option<String>,
    pub pledged_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A pledge as a request gives it (the amount is read in the need's measure).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PledgeDraft {
    pub need_id: String,
    pub amount_fen: Option<i64>,
    pub quantity: Option<i64>,
    pub offer_id: Option<String>,
    pub pairing_id: Option<String>,
    pub note: Option<String>,
}

/// What is asked of a pledge, with what the action carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PledgeStep {
    /// With at least one attachment, and a note.
    Deliver {
        evidence: Vec<Evidence>,
        note: Option<String>,
    },
    /// By whom.
    Confirm { by: String },
    /// Why.
    Cancel { reason: String },
}

impl PledgeStep {
    /// The step `action` asks for, its body checked: a delivery needs evidence, a
    /// cancellation a reason.
    pub fn parse(
        action: PledgeAction,
        by: &str,
        evidence: &[EvidenceDraft],
        note: Option<&str>,
        reason: Option<&str>,
    ) -> Result<PledgeStep, DomainError> {
        Ok(match action {
            PledgeAction::Deliver => {
                let evidence =
                    parse_evidence(evidence, "evidence").map_err(DomainError::Invalid)?;
                if evidence.is_empty() {
                    return Err(FieldError::new(
                        "evidence",
                        "required",
                        "a delivery needs at least one attachment",
                        "交付时至少需要一个证明附件",
                    )
                    .into());
                }
                PledgeStep::Deliver {
                    evidence,
                    note: parse_note(note)?,
                }
            }
            PledgeAction::Confirm => PledgeStep::Confirm { by: by.to_owned() },
            PledgeAction::Cancel => PledgeStep::Cancel {
                reason: parse_reason(reason)?,
            },
        })
    }

    pub fn action(&self) -> PledgeAction {
        match self {
            PledgeStep::Deliver { .. } => PledgeAction::Deliver,
            PledgeStep::Confirm { .. } => PledgeAction::Confirm,
            PledgeStep::Cancel { .. } => PledgeAction::Cancel,
        }
    }
}

impl Pledge {
    /// The pledge after `step` at `now` (a new version), if its status allows it.
    pub fn after(&self, step: PledgeStep, now: DateTime<Utc>) -> Result<Pledge, DomainError> {
        let mut next = self.clone();
        next.status = self.status.transition(step.action())?;
        next.version += 1;
        next.updated_at = now;
        match step {
            PledgeStep::Deliver { evidence, note } => {
                next.evidence = evidence;
                next.delivery_note = note;
                next.delivered_at = Some(now);
            }
            PledgeStep::Confirm { by } => {
                next.confirmed_by = Some(by);
                next.confirmed_at = Some(now);
            }
            PledgeStep::Cancel { reason } => {
                next.cancel_reason = Some(reason);
                next.cancelled_at = Some(now);
            }
        }
        Ok(next)
    }

    /// The cancel cascade: a cancelled need releases its undelivered pledges, each
    /// cancelled with the need's reason (its amount then goes back to the need).
    pub fn released_by_cancelled_need(
        &self,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Pledge, DomainError> {
        self.after(
            PledgeStep::Cancel {
                reason: format!("need cancelled: {reason}"),
            },
            now,
        )
    }

    /// Feedback may be given once the pledge was delivered.
    pub fn takes_feedback(&self) -> Result<(), DomainError> {
        match self.status {
            PledgeStatus::Delivered | PledgeStatus::Confirmed => Ok(()),
            s => Err(DomainError::InvalidTransition {
                state: s.as_str().to_owned(),
                action: "feedback".into(),
                allowed: vec![],
            }),
        }
    }
}

/// Feedback as stored: who gave it on which pledge, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeFeedback {
    pub id: String,
    pub pledge_id: String,
    pub author_id: String,
    pub feedback: Feedback,
    pub created_at: DateTime<Utc>,
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

    #[test]
    fn a_delivery_needs_evidence_and_records_it() {
        use crate::platform::fixtures::{at, pledge};
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let none = PledgeStep::parse(A::Deliver, "u1", &[], None, None).unwrap_err();
        let DomainError::Invalid(errs) = none else {
            panic!("a delivery without evidence is invalid")
        };
        assert_eq!(
            (errs[0].field.as_str(), errs[0].code),
            ("evidence", "required")
        );
        let draft = EvidenceDraft {
            url: Some("https://files.example.cn/r.jpg".into()),
            sha256: Some(sha.into()),
        };
        let step = PledgeStep::parse(A::Deliver, "u1", &[draft], Some(" 已送到 "), None).unwrap();
        let delivered = pledge(3).after(step, at()).unwrap();
        assert_eq!(delivered.status, S::Delivered);
        assert_eq!(delivered.evidence[0].sha256, sha);
        assert_eq!(delivered.delivery_note.as_deref(), Some("已送到"));
        assert_eq!((delivered.version, delivered.delivered_at), (2, Some(at())));
        assert!(delivered.takes_feedback().is_ok() && pledge(3).takes_feedback().is_err());
        let confirm = PledgeStep::parse(A::Confirm, "cadre", &[], None, None).unwrap();
        let confirmed = delivered.after(confirm, at()).unwrap();
        assert_eq!(confirmed.confirmed_by.as_deref(), Some("cadre"));
        let cancel = PledgeStep::Cancel { reason: "x".into() };
        assert!(confirmed.after(cancel, at()).is_err());
    }

    #[test]
    fn a_cancelled_need_releases_its_undelivered_pledges() {
        use crate::platform::fixtures::{at, need, pledge};
        let released = pledge(4)
            .released_by_cancelled_need("重复登记", at())
            .unwrap();
        assert_eq!(released.status, S::Cancelled);
        assert_eq!(
            released.cancel_reason.as_deref(),
            Some("need cancelled: 重复登记")
        );
        let mut n = need("h1");
        n.pledged = 10;
        n.status = crate::platform::NeedStatus::FullyPledged;
        assert_eq!(
            n.status_after_release(4),
            Some(crate::platform::NeedStatus::PartiallyPledged)
        );
        n.status = crate::platform::NeedStatus::Cancelled;
        assert_eq!(n.status_after_release(4), None);
    }

    #[test]
    fn a_need_is_fulfilled_on_the_last_confirmation() {
        use crate::platform::NeedStatus as N;
        use crate::platform::fixtures::need;
        let mut n = need("h1");
        n.status = N::FullyPledged;
        assert_eq!(n.status_after_confirmation(1), Ok(None));
        assert_eq!(n.status_after_confirmation(0), Ok(Some(N::Fulfilled)));
        n.status = N::PartiallyPledged;
        assert_eq!(n.status_after_confirmation(0), Ok(None));
    }
}
