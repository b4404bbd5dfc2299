//! `PoorVillage` (贫困村): a village registered as poor, and the draft it is parsed from.

use chrono::NaiveDate;
use serde::Deserialize;

use super::fields::{Errors, lenient, parse_non_negative, parse_year};
use super::household::parse_village;
use crate::FieldError;
use crate::labels::labelled_enum;
use crate::money::Fen;
use crate::region::RegionCode;

/// The longest notes on a village, in characters.
pub const MAX_NOTES_CHARS: usize = 2000;

labelled_enum! {
    /// 贫困村状态
    pub enum VillageStatus in "status" {
        /// 贫困村: registered and not yet out of poverty.
        Poor = "poor", "贫困村", ["贫困", "未退出"];
        /// 已退出: has left the list of poor villages.
        Exited = "exited", "已退出", ["已出列", "出列"];
    }
}

/// A registered poor village (建档立卡贫困村).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoorVillage {
    /// The village (12-digit, village level).
    pub region_code: RegionCode,
    /// The year it was registered, 2013 to this year.
    pub registered_year: i32,
    pub status: VillageStatus,
    /// Set exactly when exited; not before the registered year.
    pub exit_year: Option<i32>,
    /// Registered residents (户籍人口).
    pub population: i32,
    /// Registered poor households; never more than the population when that is known
    /// (above 0), since every household has at least one person.
    pub poor_household_count: i32,
    /// 村集体经济收入: the village collective's annual income.
    pub collective_income_fen: Fen,
    /// At most 2,000 characters; `None` rather than empty.
    pub notes: Option<String>,
}

/// A poor village as a JSON body or a CSV row gives it (see [`super::HouseholdDraft`] for
/// how JSON scalars become text). Required: `region_code`, `registered_year`,
/// `population`, `poor_household_count`; `status` defaults to `poor`,
/// `collective_income_fen` to 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoorVillageDraft {
    #[serde(default, deserialize_with = "lenient")]
    pub region_code: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub registered_year: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub exit_year: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub population: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub poor_household_count: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub collective_income_fen: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub notes: Option<String>,
}

fn parse_count(s: &str) -> Result<i32, FieldError> {
    let n = parse_non_negative(s)?;
    i32::try_from(n).map_err(|_| {
        FieldError::new(
            "",
            "out_of_range",
            format!("{n} is too large"),
            format!("{n} 超出范围"),
        )
    })
}

fn parse_notes(s: &str) -> Result<String, FieldError> {
    let chars = s.chars().count();
    if chars > MAX_NOTES_CHARS {
        return Err(FieldError::new(
            "notes",
            "too_long",
            format!("notes have at most {MAX_NOTES_CHARS} characters, not {chars}"),
            format!("备注最多 {MAX_NOTES_CHARS} 个字符，实际为 {chars} 个"),
        ));
    }
    Ok(s.to_owned())
}

impl PoorVillageDraft {
    /// Parses the village, collecting every error; years are judged against `today`.
    pub fn parse(self, today: NaiveDate) -> Result<PoorVillage, Vec<FieldError>> {
        let mut e = Errors::default();
        let region_code = e.required("region_code", self.region_code.as_ref(), parse_village);
        let registered_year = e.required("registered_year", self.registered_year.as_ref(), |s| {
            parse_year(s, today)
        });
        let status = e.or_default(
            "status",
            self.status.as_ref(),
            VillageStatus::Poor,
            VillageStatus::parse,
        );
        let exit_year = e.optional("exit_year", self.exit_year.as_ref(), |s| {
            parse_year(s, today)
        });
        let population = e.required("population", self.population.as_ref(), parse_count);
        let poor_household_count = e.required(
            "poor_household_count",
            self.poor_household_count.as_ref(),
            parse_count,
        );
        let collective_income_fen = e.or_default(
            "collective_income_fen",
            self.collective_income_fen.as_ref(),
            Fen::ZERO,
            |s| parse_non_negative(s).and_then(Fen::try_from),
        );
        let notes = e.optional("notes", self.notes.as_ref(), |s| parse_notes(s.trim()));

        match (status, exit_year) {
            (Some(VillageStatus::Exited), Some(None)) => e.push(FieldError::new(
                "exit_year",
                "exit_year_required",
                "an exited village needs the year it left the list of poor villages",
                "已退出的贫困村须填写退出年份",
            )),
            (Some(VillageStatus::Poor), Some(Some(_))) => e.push(FieldError::new(
                "exit_year",
                "exit_year_not_allowed",
                "a village that is still poor has no exit year",
                "未退出的贫困村不能填写退出年份",
            )),
            _ => {}
        }
        if let (Some(registered), Some(Some(exit))) = (registered_year, exit_year)
            && exit < registered
        {
            e.push(FieldError::new(
                "exit_year",
                "before_registration",
                format!("the exit year {exit} lies before the registered year {registered}"),
                format!("退出年份 {exit} 早于认定年份 {registered}"),
            ));
        }
        if let (Some(population), Some(households)) = (population, poor_household_count)
            && population > 0
            && households > population
        {
            e.push(FieldError::new(
                "poor_household_count",
                "exceeds_population",
                format!("{households} poor households cannot live among {population} people"),
                format!("贫困户数 {households} 超过户籍人口 {population}"),
            ));
        }

        let (
            Some(region_code),
            Some(registered_year),
            Some(status),
            Some(exit_year),
            Some(population),
            Some(poor_household_count),
            Some(collective_income_fen),
            Some(notes),
        ) = (
            region_code,
            registered_year,
            status,
            exit_year,
            population,
            poor_household_count,
            collective_income_fen,
            notes,
        )
        else {
            return Err(e.into_vec());
        };
        if !e.is_empty() {
            return Err(e.into_vec());
        }
        Ok(PoorVillage {
            region_code,
            registered_year,
            status,
            exit_year,
            population,
            poor_household_count,
            collective_income_fen,
            notes,
        })
    }
}

impl PoorVillage {
    /// The village as draft text, e.g. to apply a partial update and parse the result again.
    pub fn to_draft(&self) -> PoorVillageDraft {
        PoorVillageDraft {
            region_code: Some(self.region_code.to_string()),
            registered_year: Some(self.registered_year.to_string()),
            status: Some(self.status.as_str().to_owned()),
            exit_year: self.exit_year.map(|y| y.to_string()),
            population: Some(self.population.to_string()),
            poor_household_count: Some(self.poor_household_count.to_string()),
            collective_income_fen: Some(self.collective_income_fen.get().to_string()),
            notes: self.notes.clone(),
        }
    }
}

impl PoorVillageDraft {
    /// This draft as a partial update of `base`: the fields given replace the stored ones
    /// (the region never changes). Setting the status back to `poor` without an exit year
    /// drops the stored exit year, which a poor village may not have.
    #[must_use]
    pub fn over(self, mut base: PoorVillageDraft) -> PoorVillageDraft {
        let back_to_poor = self.status.as_deref() == Some(VillageStatus::Poor.as_str())
            && self.exit_year.is_none();
        macro_rules! take {
            ($($f:ident),*) => { $( if self.$f.is_some() { base.$f = self.$f; } )* };
        }
        take!(
            registered_year,
            status,
            exit_year,
            population,
            poor_household_count,
            collective_income_fen,
            notes
        );
        if back_to_poor {
            base.exit_year = None;
        }
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::test_support::today;

    fn draft() -> PoorVillageDraft {
        let text = |s: &str| Some(s.to_owned());
        PoorVillageDraft {
            region_code: text("210921100202"),
            registered_year: text("2014"),
            population: text("1200"),
            poor_household_count: text("86"),
            collective_income_fen: text("5000000"),
            notes: text("  全村以玉米种植为主  "),
            ..PoorVillageDraft::default()
        }
    }

    fn errors(d: PoorVillageDraft) -> Vec<(String, &'static str)> {
        d.parse(today())
            .expect_err("should be rejected")
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
        vec![(field.to_owned(), code)]
    }

    #[test]
    fn a_complete_draft_parses_with_defaults() {
        let v = draft().parse(today()).expect("valid");
        assert_eq!(v.region_code.as_str(), "210921100202");
        assert_eq!(v.registered_year, 2014);
        assert_eq!(v.status, VillageStatus::Poor);
        assert_eq!(v.exit_year, None);
        assert_eq!((v.population, v.poor_household_count), (1200, 86));
        assert_eq!(v.collective_income_fen.get(), 5_000_000);
        assert_eq!(v.notes.as_deref(), Some("全村以玉米种植为主"));
        let mut d = draft();
        d.collective_income_fen = None;
        d.notes = Some("   ".into());
        let v = d.parse(today()).expect("valid");
        assert_eq!((v.collective_income_fen, v.notes), (Fen::ZERO, None));
    }

    #[test]
    fn required_fields_are_all_reported() {
        assert_eq!(
            errors(PoorVillageDraft::default()),
            [
                ("region_code".to_owned(), "required"),
                ("registered_year".to_owned(), "required"),
                ("population".to_owned(), "required"),
                ("poor_household_count".to_owned(), "required"),
            ]
        );
    }

    #[test]
    fn the_region_must_be_a_village() {
        let mut d = draft();
        d.region_code = Some("210921100000".into());
        assert_eq!(errors(d), one("region_code", "not_a_village"));
    }

    #[test]
    fn registered_year_lies_between_2013_and_this_year() {
        for (year, ok) in [
            ("2012", false),
            ("2013", true),
            ("2026", true),
            ("2027", false),
        ] {
            let mut d = draft();
            d.registered_year = Some(year.into());
            let result = d.parse(today());
            assert_eq!(result.is_ok(), ok, "{year}");
            if let Err(e) = result {
                assert_eq!(
                    (e[0].field.as_str(), e[0].code),
                    ("registered_year", "out_of_range")
                );
            }
        }
    }

    #[test]
    fn exit_year_is_required_exactly_when_exited() {
        let mut d = draft();
        d.status = Some("已退出".into());
        assert_eq!(errors(d.clone()), one("exit_year", "exit_year_required"));
        d.exit_year = Some("2019".into());
        let v = d.clone().parse(today()).expect("valid");
        assert_eq!((v.status, v.exit_year), (VillageStatus::Exited, Some(2019)));
        d.exit_year = Some("2013".into());
        assert_eq!(errors(d), one("exit_year", "before_registration"));
        let mut d = draft();
        d.exit_year = Some("2019".into());
        assert_eq!(errors(d), one("exit_year", "exit_year_not_allowed"));
    }

    #[test]
    fn counts_and_income_are_checked() {
        let mut d = draft();
        d.population = Some("-1".into());
        d.collective_income_fen = Some("-5".into());
        assert_eq!(
            errors(d),
            [
                ("population".to_owned(), "negative"),
                ("collective_income_fen".to_owned(), "negative"),
            ]
        );
        let mut d = draft();
        d.poor_household_count = Some("1201".into());
        assert_eq!(errors(d), one("poor_household_count", "exceeds_population"));
        let mut d = draft();
        d.population = Some("0".into());
        d.poor_household_count = Some("5".into());
        assert!(
            d.parse(today()).is_ok(),
            "population 0 means not yet counted"
        );
        let mut d = draft();
        d.population = Some("3000000000".into());
        assert_eq!(errors(d), one("population", "out_of_range"));
    }

    #[test]
    fn notes_are_limited_to_2000_characters() {
        let mut d = draft();
        d.notes = Some("村".repeat(2000));
        assert!(d.clone().parse(today()).is_ok());
        d.notes = Some("村".repeat(2001));
        assert_eq!(errors(d), one("notes", "too_long"));
    }
    #[test]
    fn a_partial_update_replaces_only_the_fields_given() {
        let v = draft().parse(today()).expect("valid");
        let patch = PoorVillageDraft {
            population: Some("1300".into()),
            region_code: Some("210921100203".into()),
            ..PoorVillageDraft::default()
        };
        let merged = patch.over(v.to_draft()).parse(today()).expect("valid");
        assert_eq!(merged.population, 1300);
        assert_eq!(
            merged.region_code, v.region_code,
            "the region never changes"
        );
        assert_eq!(merged.notes, v.notes);
        assert_eq!(v.to_draft().parse(today()).expect("valid"), v);
    }

    #[test]
    fn back_to_poor_drops_the_exit_year() {
        let mut exited = draft();
        exited.status = Some("exited".into());
        exited.exit_year = Some("2019".into());
        let base = exited.parse(today()).expect("valid").to_draft();
        let patch = PoorVillageDraft {
            status: Some("poor".into()),
            ..PoorVillageDraft::default()
        };
        let v = patch.over(base.clone()).parse(today()).expect("valid");
        assert_eq!((v.status, v.exit_year), (VillageStatus::Poor, None));
        let patch = PoorVillageDraft {
            status: Some("poor".into()),
            exit_year: Some("2019".into()),
            ..PoorVillageDraft::default()
        };
        assert_eq!(
            errors(patch.over(base)),
            one("exit_year", "exit_year_not_allowed")
        );
    }
}
