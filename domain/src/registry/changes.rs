//! Changes to a household on the register: a partial update over what is stored, and a
//! status transition as requested (the action, the year it takes effect, and why).

use chrono::{Datelike, NaiveDate};

use super::fields::FIRST_REGISTRY_YEAR;
use super::household::HouseholdDraft;
use super::status::StatusAction;
use crate::FieldError;

/// The longest reason kept with a status change, in characters.
pub const MAX_REASON_CHARS: usize = 500;

impl HouseholdDraft {
    /// This draft as a partial update of `base`: the fields given replace the stored ones;
    /// `secondary_causes` and `members`, when given, replace the whole list; each guarantee
    /// given replaces its own.
    #[must_use]
    pub fn over(self, mut base: HouseholdDraft) -> HouseholdDraft {
        macro_rules! take {
            ($($f:ident),*) => { $( if self.$f.is_some() { base.$f = self.$f; } )* };
        }
        take!(
            region_code,
            scattered,
            household_type,
            identification_standard,
            main_cause,
            income_per_person_fen,
            housing_safe
        );
        if !self.secondary_causes.is_empty() {
            base.secondary_causes = self.secondary_causes;
        }
        let g = self.guarantees;
        macro_rules! guarantee {
            ($($f:ident),*) => { $( if g.$f.is_some() { base.guarantees.$f = g.$f; } )* };
        }
        guarantee!(
            food_secure,
            clothing_secure,
            compulsory_education,
            basic_medical,
            housing_security,
            safe_drinking_water
        );
        if !self.members.is_empty() {
            base.members = self.members;
        }
        base
    }
}

/// A requested change of a household's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub action: StatusAction,
    /// The year it takes effect: for `exit`, the exit year.
    pub year: i32,
    /// Why, trimmed to [`MAX_REASON_CHARS`]; kept in the history.
    pub reason: Option<String>,
}

impl Transition {
    /// The action (English value or Chinese label), the year (default: this year, from
    /// 2013 on) and the reason.
    pub fn parse(
        action: &str,
        year: Option<i32>,
        reason: Option<String>,
        today: NaiveDate,
    ) -> Result<Self, FieldError> {
        let action = StatusAction::parse(action)?;
        let this_year = today.year();
        let year = year.unwrap_or(this_year);
        if !(FIRST_REGISTRY_YEAR..=this_year).contains(&year) {
            return Err(FieldError::new(
                "year",
                "out_of_range",
                "between 2013 and this year",
                "应在 2013 年到今年之间",
            ));
        }
        let reason = reason
            .map(|r| r.trim().chars().take(MAX_REASON_CHARS).collect::<String>())
            .filter(|r| !r.is_empty());
        Ok(Self {
            action,
            year,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::test_support::{example_draft, today};

    #[test]
    fn a_partial_update_replaces_only_what_it_gives() {
        let base = example_draft();
        let mut patch = HouseholdDraft {
            income_per_person_fen: Some("310000".into()),
            ..HouseholdDraft::default()
        };
        patch.guarantees.basic_medical = Some("true".into());
        let merged = patch.over(base.clone());
        assert_eq!(merged.income_per_person_fen.as_deref(), Some("310000"));
        assert_eq!(merged.guarantees.basic_medical.as_deref(), Some("true"));
        assert_eq!(merged.guarantees.food_secure, base.guarantees.food_secure);
        assert_eq!(merged.members, base.members);
        assert_eq!(merged.secondary_causes, base.secondary_causes);
        let lists = HouseholdDraft {
            secondary_causes: vec!["disability".into()],
            members: base.members[..1].to_vec(),
            ..HouseholdDraft::default()
        };
        let merged = lists.over(base.clone());
        assert_eq!(merged.secondary_causes, ["disability"]);
        assert_eq!(merged.members.len(), 1);
        assert_eq!(merged.household_number, base.household_number);
    }

    #[test]
    fn a_transition_takes_this_year_and_a_trimmed_reason() {
        let t = Transition::parse("脱贫", None, Some("  收入稳定  ".into()), today()).unwrap();
        assert_eq!(t.action, StatusAction::Exit);
        assert_eq!(t.year, 2026);
        assert_eq!(t.reason.as_deref(), Some("收入稳定"));
        let t = Transition::parse("return", Some(2013), Some(" ".into()), today()).unwrap();
        assert_eq!((t.year, t.reason), (2013, None));
        let long = "因".repeat(600);
        let t = Transition::parse("exit", None, Some(long), today()).unwrap();
        assert_eq!(t.reason.map(|r| r.chars().count()), Some(MAX_REASON_CHARS));
    }

    #[test]
    fn a_transition_refuses_unknown_actions_and_years_out_of_range() {
        let e = Transition::parse("vanish", None, None, today()).unwrap_err();
        assert_eq!(e.field, "action");
        for year in [2012, 2027] {
            let e = Transition::parse("exit", Some(year), None, today()).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("year", "out_of_range"));
        }
    }
}
