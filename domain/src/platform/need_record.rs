//! A need's record through its life: drafted for a recipient, edited while a draft or
//! rejected, moved along its lifecycle by the cadre and the officials of the place.

use chrono::{DateTime, Utc};

use super::matching::NeedFacts;
use super::need::{Need, NeedSpec};
use super::need_status::{NeedAction, NeedStatus, ReasonChange};
use super::pledge::parse_reason;
use crate::DomainError;
use crate::identity::Action;
use crate::region::RegionCode;
use crate::registry::PovertyCause;

/// Whom a need is for, resolved from the register: a household or a poor village, its
/// village, its public pseudonym and the names of its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    /// The village of the household, or the village itself.
    pub place: RegionCode,
    /// County, township and village names.
    pub place_name: String,
    /// `户-3F9A2C` for a household, `村集体` for a village.
    pub pseudonym: String,
    /// The household's main cause of poverty.
    pub cause: Option<PovertyCause>,
}

impl NeedAction {
    /// The right a caller needs to ask for this action; `None`: only the platform does it
    /// (expiry, fulfilment), nobody may ask for it.
    pub fn right(self) -> Option<Action> {
        match self {
            NeedAction::Submit | NeedAction::Cancel => Some(Action::ManageNeeds),
            NeedAction::Verify | NeedAction::Reject | NeedAction::Publish | NeedAction::Close => {
                Some(Action::ReviewNeeds)
            }
            NeedAction::Expire | NeedAction::Fulfil => None,
        }
    }

    /// Reject and cancel must say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, NeedAction::Reject | NeedAction::Cancel)
    }
}

impl Need {
    /// What matching needs to know of the need.
    pub fn facts(&self) -> NeedFacts {
        NeedFacts {
            category: self.category,
            place: self.place.clone(),
            target_group: self.target_group,
            remaining: self.remaining(),
            urgency: self.urgency,
            deadline: self.deadline,
        }
    }

    /// A new need, a draft nobody has pledged on yet.
    pub fn drafted(
        id: String,
        spec: NeedSpec,
        recipient: Recipient,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Need {
        Need {
            id,
            household_id: recipient.household_id,
            village_id: recipient.village_id,
            place: recipient.place,
            place_name: recipient.place_name,
            pseudonym: recipient.pseudonym,
            cause: recipient.cause,
            category: spec.category,
            target_group: spec.target_group,
            title: spec.title,
            description: spec.description,
            asked: spec.amount,
            pledged: 0,
            urgency: spec.urgency,
            deadline: spec.deadline,
            evidence: spec.evidence,
            status: NeedStatus::Draft,
            status_reason: None,
            created_by: Some(created_by.to_owned()),
            reviewed_by: None,
            published_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// The need with its content replaced by `spec` (whom it is for does not change).
    /// Whether it may be edited at all is [`NeedStatus::is_editable`].
    pub fn edited(&self, spec: NeedSpec, now: DateTime<Utc>) -> Need {
        Need {
            category: spec.category,
            target_group: spec.target_group,
            title: spec.title,
            description: spec.description,
            asked: spec.amount,
            urgency: spec.urgency,
            deadline: spec.deadline,
            evidence: spec.evidence,
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        }
    }

    /// The need after `by` did `action` (with `reason`, required to reject and cancel): the
    /// next status, the recorded reason, the reviewer and the publication time.
    pub fn acted(
        &self,
        action: NeedAction,
        reason: Option<&str>,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<Need, DomainError> {
        let status = self.status.transition(action)?;
        let reason = if action.needs_reason() {
            Some(parse_reason(reason)?)
        } else {
            None
        };
        let status_reason = match action.reason_change(reason) {
            ReasonChange::Keep => self.status_reason.clone(),
            ReasonChange::Clear => None,
            ReasonChange::Set(r) => Some(r),
        };
        Ok(Need {
            status,
            status_reason,
            reviewed_by: if action.is_review() {
                Some(by.to_owned())
            } else {
                self.reviewed_by.clone()
            },
            published_at: if action == NeedAction::Publish {
                Some(now)
            } else {
                self.published_at
            },
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fixtures::{at, need};

    #[test]
    fn only_the_platform_expires_or_fulfils() {
        assert_eq!(NeedAction::Expire.right(), None);
        assert_eq!(NeedAction::Fulfil.right(), None);
        assert_eq!(NeedAction::Submit.right(), Some(Action::ManageNeeds));
        assert_eq!(NeedAction::Publish.right(), Some(Action::ReviewNeeds));
    }

    #[test]
    fn rejecting_needs_a_reason_and_records_it() {
        let mut n = need("h1");
        n.status = NeedStatus::Submitted;
        assert!(matches!(
            n.acted(NeedAction::Reject, None, "official", at()),
            Err(DomainError::Invalid(_))
        ));
        let rejected = n
            .acted(NeedAction::Reject, Some("缺证明"), "official", at())
            .unwrap();
        assert_eq!(rejected.status, NeedStatus::Rejected);
        assert_eq!(rejected.status_reason.as_deref(), Some("缺证明"));
        assert_eq!(rejected.reviewed_by.as_deref(), Some("official"));
        assert_eq!(rejected.version, n.version + 1);
    }

    #[test]
    fn submitting_again_clears_the_old_reason() {
        let mut n = need("h1");
        n.status = NeedStatus::Rejected;
        n.status_reason = Some("缺证明".to_owned());
        let again = n.acted(NeedAction::Submit, None, "cadre", at()).unwrap();
        assert_eq!(again.status, NeedStatus::Submitted);
        assert_eq!(again.status_reason, None);
        assert_eq!(again.reviewed_by, n.reviewed_by);
    }

    #[test]
    fn publishing_stamps_the_time() {
        let mut n = need("h1");
        n.status = NeedStatus::Verified;
        n.published_at = None;
        let published = n
            .acted(NeedAction::Publish, None, "official", at())
            .unwrap();
        assert_eq!(published.status, NeedStatus::Published);
        assert_eq!(published.published_at, Some(at()));
    }

    #[test]
    fn a_transition_the_state_forbids_is_refused_before_the_reason() {
        let mut n = need("h1");
        n.status = NeedStatus::Draft;
        assert!(matches!(
            n.acted(NeedAction::Reject, None, "official", at()),
            Err(DomainError::InvalidTransition { .. })
        ));
    }

    #[test]
    fn an_edit_keeps_the_recipient_and_bumps_the_version() {
        let n = need("h1");
        let mut spec = n.as_draft().parse(n.deadline).unwrap();
        spec.title = "新标题".to_owned();
        let edited = n.edited(spec, at());
        assert_eq!(edited.title, "新标题");
        assert_eq!(edited.household_id, n.household_id);
        assert_eq!(edited.pseudonym, n.pseudonym);
        assert_eq!(edited.version, n.version + 1);
    }
}
