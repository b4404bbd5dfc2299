//! A pairing (结对帮扶 / 结对认亲): a lasting relationship between a participant and a
//! household or a village. The policy asks to respect both sides' wishes, so a pairing is
//! active only once both have consented: the participant by proposing it, the household
//! side (through its village cadre or an official of the place) by accepting it.
//!
//! ```text
//! proposed ─accept─▶ active ─end─▶ ended
//!    └─decline─▶ declined
//! ```

use chrono::{DateTime, NaiveDate, Utc};

use crate::labels::labelled_enum;
use crate::region::RegionCode;
use crate::{DomainError, FieldError};

use super::need::{Beneficiary, Need};
use super::vocabulary::PairingKind;

labelled_enum! {
    /// 结对状态
    pub enum PairingStatus in "status" {
        /// 待对方同意
        Proposed = "proposed", "待同意", [];
        /// 结对中
        Active = "active", "结对中", [];
        /// 已谢绝
        Declined = "declined", "已谢绝", [];
        /// 已结束
        Ended = "ended", "已结束", [];
    }
}

labelled_enum! {
    /// What can be asked of a pairing.
    pub enum PairingAction in "action" {
        /// 同意 (the household side)
        Accept = "accept", "同意", [];
        /// 谢绝 (the household side)
        Decline = "decline", "谢绝", [];
        /// 结束 (either side)
        End = "end", "结束", [];
    }
}

impl PairingStatus {
    pub fn transition(self, action: PairingAction) -> Result<PairingStatus, DomainError> {
        self.next(action)
            .ok_or_else(|| DomainError::InvalidTransition {
                state: self.as_str().to_owned(),
                action: action.as_str().to_owned(),
                allowed: PairingAction::ALL
                    .iter()
                    .filter(|a| self.next(**a).is_some())
                    .map(|a| a.as_str().to_owned())
                    .collect(),
            })
    }

    fn next(self, action: PairingAction) -> Option<PairingStatus> {
        use PairingAction as A;
        use PairingStatus as S;
        match (self, action) {
            (S::Proposed, A::Accept) => Some(S::Active),
            (S::Proposed, A::Decline) => Some(S::Declined),
            (S::Proposed | S::Active, A::End) => Some(S::Ended),
            _ => None,
        }
    }
}

/// A stored pairing and the consent of both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub id: String,
    pub participant_id: String,
    pub organization_id: Option<String>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    /// The village of the household, or the village itself.
    pub place: RegionCode,
    pub pseudonym: String,
    pub place_name: String,
    pub kind: PairingKind,
    pub status: PairingStatus,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// When the participant consented (by proposing).
    pub participant_consented_at: DateTime<Utc>,
    /// When the household side consented, and who spoke for it.
    pub household_consented_at: Option<DateTime<Utc>>,
    pub household_consent_by: Option<String>,
    pub status_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A pairing as its participant proposes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingSpec {
    pub beneficiary: Beneficiary,
    pub kind: PairingKind,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl PairingSpec {
    /// Checks a proposal against `today`; all errors at once.
    pub fn parse(
        household_id: Option<&str>,
        village_id: Option<&str>,
        kind: &str,
        period: (Option<&str>, Option<&str>),
        note: Option<&str>,
        today: NaiveDate,
    ) -> Result<PairingSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let who = super::keep(&mut errors, beneficiary(household_id, village_id));
        let kind = super::keep(&mut errors, PairingKind::parse(kind));
        let period = parse_period(period.0, period.1, today)
            .map_err(|e| errors.extend(e))
            .ok();
        let note = super::keep(&mut errors, super::parse_note(note));
        match (who, kind, period, note) {
            (Some(beneficiary), Some(kind), Some((starts_on, ends_on)), Some(note))
                if errors.is_empty() =>
            {
                Ok(PairingSpec {
                    beneficiary,
                    kind,
                    starts_on,
                    ends_on,
                    note,
                })
            }
            _ => Err(errors),
        }
    }
}

fn beneficiary(
    household_id: Option<&str>,
    village_id: Option<&str>,
) -> Result<Beneficiary, FieldError> {
    match (household_id, village_id) {
        (Some(h), None) => Ok(Beneficiary::Household(h.to_owned())),
        (None, Some(v)) => Ok(Beneficiary::Village(v.to_owned())),
        (Some(_), Some(_)) => Err(FieldError::new(
            "village_id",
            "exclusive",
            "a pairing is with a household or a village, not both",
            "结对对象只能是一个贫困户或一个贫困村",
        )),
        (None, None) => Err(FieldError::new(
            "household_id",
            "required",
            "give household_id or village_id",
            "请填写 household_id 或 village_id",
        )),
    }
}

impl Pairing {
    /// Whether the pairing is with the need's beneficiary: the same household, or the
    /// village (by record or by place) the need is in.
    pub fn is_with(&self, need: &Need) -> bool {
        (self.household_id.is_some() && self.household_id == need.household_id)
            || (self.village_id.is_some() && self.village_id == need.village_id)
            || (self.village_id.is_some() && self.place == need.place)
    }

    /// The pairing after `action` by `by` at `now` (a new version), with `reason` recorded;
    /// accepting records the household side's consent, ending closes the period today.
    pub fn after(
        &self,
        action: PairingAction,
        by: &str,
        reason: Option<String>,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<Pairing, DomainError> {
        let mut next = self.clone();
        next.status = self.status.transition(action)?;
        next.status_reason = reason;
        next.version += 1;
        next.updated_at = now;
        if action == PairingAction::Accept {
            next.household_consented_at = Some(now);
            next.household_consent_by = Some(by.to_owned());
        }
        if action == PairingAction::End && next.ends_on.is_none_or(|e| e > today) {
            next.ends_on = Some(today.max(next.starts_on));
        }
        Ok(next)
    }
}

/// The period of a pairing: starts on or after `today` less a year (recording a pairing
/// already begun is allowed), ends after it starts when an end is given.
pub fn parse_period(
    starts_on: Option<&str>,
    ends_on: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, Option<NaiveDate>), Vec<FieldError>> {
    let date = |s: &str, field: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            FieldError::new(
                field,
                "invalid_date",
                format!("{s:?} is not a date in the form YYYY-MM-DD"),
                format!("{s:?} 不是 YYYY-MM-DD 格式的日期"),
            )
        })
    };
    let mut errors = Vec::new();
    let start = match starts_on {
        None => Some(today),
        Some(s) => date(s, "starts_on").map_err(|e| errors.push(e)).ok(),
    };
    let end = ends_on
        .map(|s| date(s, "ends_on"))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if let Some(s) = start.filter(|s| (today - *s).num_days() > 366) {
        errors.push(FieldError::new(
            "starts_on",
            "too_early",
            format!("{s} is more than a year ago"),
            format!("{s} 早于一年以前"),
        ));
    }
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        {
            errors.push(FieldError::new(
                "ends_on",
                "before_start",
                "ends_on must be after starts_on",
                "结束日期必须晚于开始日期",
            ));
        }
    }
    match start {
        Some(s) if errors.is_empty() => Ok((s, end)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fixtures::{need, pairing};
    use PairingAction as A;
    use PairingStatus as S;

    #[test]
    fn both_sides_consent_before_a_pairing_is_active() {
        assert_eq!(S::Proposed.transition(A::Accept), Ok(S::Active));
        assert_eq!(S::Proposed.transition(A::Decline), Ok(S::Declined));
        assert_eq!(S::Active.transition(A::End), Ok(S::Ended));
        assert_eq!(
            S::Active.transition(A::Accept),
            Err(DomainError::InvalidTransition {
                state: "active".into(),
                action: "accept".into(),
                allowed: vec!["end".into()],
            })
        );
        assert!(S::Declined.transition(A::End).is_err());
    }

    #[test]
    fn periods_are_checked() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(parse_period(None, None, today), Ok((today, None)));
        let errs = parse_period(Some("2026-12-01"), Some("2026-11-30"), today).unwrap_err();
        assert_eq!(errs[0].code, "before_start");
        assert_eq!(
            parse_period(Some("2020-01-01"), None, today).unwrap_err()[0].code,
            "too_early"
        );
        assert_eq!(
            parse_period(Some("x"), None, today).unwrap_err()[0].code,
            "invalid_date"
        );
    }

    #[test]
    fn accepting_records_consent_and_ending_closes_the_period() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let p = pairing("u1", Some("h1"), None);
        let active = p.after(A::Accept, "cadre", None, now, today).unwrap();
        assert_eq!(active.status, S::Active);
        assert_eq!(active.household_consent_by.as_deref(), Some("cadre"));
        assert_eq!(active.version, p.version + 1);
        let ended = active
            .after(A::End, "u1", Some("搬迁".into()), now, today)
            .unwrap();
        assert_eq!((ended.status, ended.ends_on), (S::Ended, Some(today)));
        assert_eq!(ended.status_reason.as_deref(), Some("搬迁"));
        assert!(ended.after(A::End, "u1", None, now, today).is_err());
    }

    #[test]
    fn a_pairing_is_with_its_household_or_its_village() {
        assert!(pairing("u1", Some("h1"), None).is_with(&need("h1")));
        assert!(!pairing("u1", Some("h1"), None).is_with(&need("h2")));
        assert!(pairing("u1", None, Some("v9")).is_with(&need("h2")));
        let errs = PairingSpec::parse(
            Some("h"),
            Some("v"),
            "pets",
            (None, None),
            None,
            NaiveDate::MIN,
        )
        .unwrap_err();
        let codes: Vec<_> = errs.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["exclusive", "unknown_value"]);
    }
}
