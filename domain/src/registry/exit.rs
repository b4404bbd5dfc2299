//! Leaving poverty (脱贫): the poverty line in force each year, the exit standard (income
//! above the line, basic needs secure, a safe dwelling), and applying status actions.

use std::fmt;

use super::household::Household;
use super::status::{HouseholdStatus, StatusAction};
use crate::money::Fen;
use crate::{DomainError, FieldError};

const FIELD: &str = "poverty_lines";

/// The code of [`DomainError::Unmet`] when a household does not meet the exit standard.
pub const EXIT_CONDITIONS_UNMET: &str = "exit_conditions_unmet";

/// The poverty line (fen per person per year) in force from each year on. The line for a
/// year is that of the latest entry not after it; years before the first entry use the
/// first entry. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PovertyLines(Vec<(i32, Fen)>);

impl Default for PovertyLines {
    /// 2015: 2,855 yuan, the line the policy of 2015 names.
    fn default() -> Self {
        Self(vec![(
            2015,
            Fen::try_from(285_500).expect("a positive constant"),
        )])
    }
}

fn bad(code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> FieldError {
    FieldError::new(FIELD, code, en, zh)
}

impl PovertyLines {
    /// Builds the table from `(year, line)` entries in any order; at least one entry, no
    /// year twice.
    pub fn new(mut entries: Vec<(i32, Fen)>) -> Result<Self, FieldError> {
        if entries.is_empty() {
            return Err(bad(
                "required",
                "at least one poverty line (year:fen) is required",
                "至少需要一条贫困线（年份:分）",
            ));
        }
        entries.sort_by_key(|(year, _)| *year);
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            let year = w[0].0;
            return Err(bad(
                "duplicate_year",
                format!("the poverty line of {year} is given twice"),
                format!("{year} 年的贫困线重复"),
            ));
        }
        Ok(Self(entries))
    }

    /// Parses configuration such as `2015:285500,2020:400000` (year, colon, fen per person
    /// per year; entries separated by commas, spaces allowed). Errors name the field
    /// `poverty_lines`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let mut entries = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let parsed = part.split_once(':').and_then(|(y, f)| {
                Some((y.trim().parse::<i32>().ok()?, f.trim().parse::<i64>().ok()?))
            });
            let Some((year, fen)) = parsed else {
                return Err(bad(
                    "format",
                    format!("{part:?} is not year:fen, e.g. 2015:285500"),
                    format!("{part:?} 不是“年份:分”的格式，例如 2015:285500"),
                ));
            };
            if !(1949..=9999).contains(&year) {
                return Err(bad(
                    "format",
                    format!("{year} is not a plausible year"),
                    format!("{year} 不是有效的年份"),
                ));
            }
            let fen = Fen::try_from(fen).map_err(|e| e.for_field(FIELD))?;
            entries.push((year, fen));
        }
        Self::new(entries)
    }

    /// The line in force in `year`.
    pub fn line_for(&self, year: i32) -> Fen {
        self.0
            .iter()
            .rev()
            .find(|(from, _)| *from <= year)
            .or(self.0.first())
            .map_or(Fen::ZERO, |(_, line)| *line)
    }

    /// The entries, by year.
    pub fn entries(&self) -> &[(i32, Fen)] {
        &self.0
    }
}

impl fmt::Display for PovertyLines {
    /// The configuration form `parse` reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(year, line)| format!("{year}:{}", line.get()))
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl Household {
    /// The exit standard for `year`: income per person strictly above that year's poverty
    /// line, every guarantee met, a safe dwelling. Otherwise `DomainError::Unmet` with code
    /// `exit_conditions_unmet` and one condition per failure, in this order:
    /// `income_below_line` (field `income_per_person_fen`; the message gives both amounts),
    /// each unmet guarantee by its name (field `guarantees.<name>`), `housing_safe`.
    pub fn check_exit(&self, year: i32, lines: &PovertyLines) -> Result<(), DomainError> {
        let mut conditions = Vec::new();
        let line = lines.line_for(year);
        let income = self.income_per_person_fen;
        if income <= line {
            conditions.push(FieldError::new(
                "income_per_person_fen",
                "income_below_line",
                format!(
                    "income per person of {income} yuan is not above the poverty line of \
                     {line} yuan for {year}"
                ),
                format!("人均纯收入 {income} 元未超过 {year} 年贫困线 {line} 元"),
            ));
        }
        for name in self.guarantees.unmet() {
            let label = super::Guarantees::label_zh(name).unwrap_or(name);
            conditions.push(FieldError::new(
                format!("guarantees.{name}"),
                name,
                format!("{name} is not yet secured"),
                format!("“{label}”尚未实现"),
            ));
        }
        if !self.housing_safe {
            conditions.push(FieldError::new(
                "housing_safe",
                "housing_safe",
                "the dwelling is not safe (a dilapidated house)",
                "住房不安全（危房）",
            ));
        }
        if conditions.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Unmet {
                code: EXIT_CONDITIONS_UNMET,
                conditions,
            })
        }
    }

    /// Applies a status action in `year`: checks that the current status allows it
    /// (`InvalidTransition`) and, for `exit`, the exit standard of `year` (`Unmet`); then
    /// sets the new status. `exit` records `year` as the exit year; `return` keeps the
    /// year of the earlier exit for the record. Nothing changes on error.
    pub fn apply(
        &mut self,
        action: StatusAction,
        year: i32,
        lines: &PovertyLines,
    ) -> Result<HouseholdStatus, DomainError> {
        let next = self.status.transition(action)?;
        if action == StatusAction::Exit {
            self.check_exit(year, lines)?;
            self.exit_year = Some(year);
        }
        self.status = next;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::test_support::{example_draft, today};

    fn fen(n: i64) -> Fen {
        Fen::try_from(n).expect("non-negative")
    }

    fn household() -> Household {
        example_draft().parse(today()).expect("valid")
    }

    /// A household that meets the exit standard of 2015.
    fn ready() -> Household {
        let mut h = household();
        h.income_per_person_fen = fen(300_000);
        h.guarantees = crate::registry::Guarantees::ALL_MET;
        h
    }

    fn unmet_codes(r: Result<(), DomainError>) -> Vec<&'static str> {
        match r {
            Err(DomainError::Unmet { code, conditions }) => {
                assert_eq!(code, "exit_conditions_unmet");
                conditions.iter().map(|c| c.code).collect()
            }
            other => panic!("expected Unmet, got {other:?}"),
        }
    }

    #[test]
    fn the_default_line_is_2855_yuan_from_2015() {
        let lines = PovertyLines::default();
        assert_eq!(lines.entries(), [(2015, fen(285_500))]);
        assert_eq!(lines.line_for(2015), fen(285_500));
        assert_eq!(lines.line_for(2020), fen(285_500));
        assert_eq!(
            lines.line_for(2013),
            fen(285_500),
            "earlier years use the first"
        );
    }

    #[test]
    fn the_line_of_a_year_is_the_latest_entry_not_after_it() {
        let lines = PovertyLines::parse(" 2020:400000 , 2015:285500").expect("valid");
        assert_eq!(
            lines.entries(),
            [(2015, fen(285_500)), (2020, fen(400_000))]
        );
        assert_eq!(lines.line_for(2014), fen(285_500));
        assert_eq!(lines.line_for(2019), fen(285_500));
        assert_eq!(lines.line_for(2020), fen(400_000));
        assert_eq!(lines.line_for(2030), fen(400_000));
        assert_eq!(lines.to_string(), "2015:285500,2020:400000");
        assert_eq!(PovertyLines::parse(&lines.to_string()), Ok(lines));
    }

    #[test]
    fn bad_configuration_is_reported_on_poverty_lines() {
        for (s, code) in [
            ("", "required"),
            (" , ", "required"),
            ("2015", "format"),
            ("2015:2855.00", "format"),
            ("二〇一五:285500", "format"),
            ("15:285500", "format"),
            ("2015:-1", "negative"),
            ("2015:1,2015:2", "duplicate_year"),
        ] {
            let err = PovertyLines::parse(s).expect_err(s);
            assert_eq!(
                (err.field.as_str(), err.code),
                ("poverty_lines", code),
                "{s}"
            );
        }
    }

    #[test]
    fn exit_needs_income_above_the_line_and_every_guarantee() {
        // The example household: 2,500 yuan, basic medical care not secured.
        let err = household()
            .check_exit(2016, &PovertyLines::default())
            .expect_err("not ready");
        let DomainError::Unmet { code, conditions } = &err else {
            panic!("expected Unmet, got {err:?}");
        };
        assert_eq!(*code, EXIT_CONDITIONS_UNMET);
        let found: Vec<(&str, &str)> = conditions
            .iter()
            .map(|c| (c.field.as_str(), c.code))
            .collect();
        assert_eq!(
            found,
            [
                ("income_per_person_fen", "income_below_line"),
                ("guarantees.basic_medical", "basic_medical"),
            ]
        );
        assert!(conditions[0].message_en.contains("2500.00"));
        assert!(conditions[0].message_en.contains("2855.00"));
        assert!(conditions[0].message_zh.contains("2016"));
        assert!(conditions[1].message_zh.contains("基本医疗有保障"));
        assert!(err.to_string().starts_with("exit_conditions_unmet: "));
    }

    #[test]
    fn income_must_be_strictly_above_the_line() {
        let lines = PovertyLines::default();
        let mut h = ready();
        h.income_per_person_fen = fen(285_500);
        assert_eq!(
            unmet_codes(h.check_exit(2016, &lines)),
            ["income_below_line"]
        );
        h.income_per_person_fen = fen(285_501);
        assert_eq!(h.check_exit(2016, &lines), Ok(()));
        let raised = PovertyLines::parse("2015:285500,2020:400000").expect("valid");
        assert_eq!(
            unmet_codes(h.check_exit(2020, &raised)),
            ["income_below_line"]
        );
    }

    #[test]
    fn exit_needs_a_safe_dwelling() {
        let mut h = ready();
        h.housing_safe = false;
        h.guarantees.safe_drinking_water = false;
        assert_eq!(
            unmet_codes(h.check_exit(2016, &PovertyLines::default())),
            ["safe_drinking_water", "housing_safe"]
        );
    }

    #[test]
    fn apply_checks_the_transition_then_the_standard() {
        let lines = PovertyLines::default();
        let mut h = household();
        let before = h.clone();
        assert_eq!(
            unmet_codes(h.apply(StatusAction::Exit, 2016, &lines).map(|_| ())),
            ["income_below_line", "basic_medical"]
        );
        assert_eq!(h, before, "nothing changes when refused");
        assert!(matches!(
            h.apply(StatusAction::ClearRisk, 2016, &lines),
            Err(DomainError::InvalidTransition { .. })
        ));

        let mut h = ready();
        assert_eq!(
            h.apply(StatusAction::Exit, 2017, &lines),
            Ok(HouseholdStatus::Exited)
        );
        assert_eq!(
            (h.status, h.exit_year),
            (HouseholdStatus::Exited, Some(2017))
        );
        assert_eq!(
            h.apply(StatusAction::FlagRisk, 2018, &lines),
            Ok(HouseholdStatus::AtRisk)
        );
        assert_eq!(h.exit_year, Some(2017));
        assert_eq!(
            h.apply(StatusAction::Return, 2019, &lines),
            Ok(HouseholdStatus::Returned)
        );
        assert_eq!(h.exit_year, Some(2017), "the earlier exit stays on record");
        assert_eq!(
            h.apply(StatusAction::Exit, 2020, &lines),
            Ok(HouseholdStatus::Exited)
        );
        assert_eq!(h.exit_year, Some(2020));
        assert!(matches!(
            h.apply(StatusAction::Exit, 2021, &lines),
            Err(DomainError::InvalidTransition { state, .. }) if state == "exited"
        ));
    }
}
