//! A pairing (结对帮扶 / 结对认亲): a lasting relationship between a participant and a
//! household or a village. The policy asks to respect both sides' wishes, so a pairing is
//! active only once both have consented: the participant by proposing it, the household
//! side (through its village cadre or an official of the place) by accepting it.
//!
//! ```text
//! proposed ─accept─▶ active ─end─▶ ended
//!    └─decline─▶ declined
//! ```

use chrono::NaiveDate;

use crate::labels::labelled_enum;
use crate::{DomainError, FieldError};

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
}
