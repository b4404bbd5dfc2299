//! Programme records that belong to a registered household (task 7): 雨露计划 training
//! subsidies, 扶贫小额贷款 micro-loans with their interest subsidy, 易地扶贫搬迁 relocation.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use crate::FieldError;
use crate::input::parse_date;
use crate::labels::labelled_enum;
use crate::platform::MAX_AMOUNT;
use crate::region::{RegionCode, RegionLevel};

labelled_enum! {
    /// 扶贫项目
    pub enum Programme in "programme" {
        /// 雨露计划: vocational training of a poor family's member, with a subsidy.
        RainDew = "rain_dew", "雨露计划", [];
        /// 扶贫小额贷款: a micro-loan with a fiscal interest subsidy.
        Microcredit = "microcredit", "扶贫小额贷款", ["小额信贷"];
        /// 易地扶贫搬迁: relocation from one village to another place.
        Relocation = "relocation", "易地扶贫搬迁", ["搬迁"];
    }
}

/// A record as a request gives it; which members are required depends on the programme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeRecordDraft {
    pub household_id: Option<String>,
    pub programme: Option<String>,
    /// `YYYY-MM-DD`: training finished, loan issued, household relocated.
    pub happened_on: Option<String>,
    /// rain_dew: the course.
    pub course: Option<String>,
    /// rain_dew: the training subsidy; microcredit: the interest subsidy.
    pub subsidy_fen: Option<i64>,
    /// microcredit: the loan.
    pub amount_fen: Option<i64>,
    /// microcredit: the term in months (1 to 60).
    pub term_months: Option<i32>,
    /// relocation: where from (a village) and where to (any region).
    pub from_region_code: Option<String>,
    pub to_region_code: Option<String>,
}

/// A valid record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeRecord {
    pub household_id: String,
    pub programme: Programme,
    pub happened_on: NaiveDate,
    pub course: Option<String>,
    pub subsidy_fen: Option<i64>,
    pub amount_fen: Option<i64>,
    pub term_months: Option<i32>,
    pub from_region: Option<RegionCode>,
    pub to_region: Option<RegionCode>,
}

fn missing(field: &str, programme: Programme) -> FieldError {
    FieldError::new(
        field,
        "required",
        format!("{field} is required for {}", programme.as_str()),
        format!("{} 记录须填写 {field}", programme.label_zh()),
    )
}

fn not_for(field: &str, programme: Programme) -> FieldError {
    FieldError::new(
        field,
        "not_allowed",
        format!("{field} does not belong to a {} record", programme.as_str()),
        format!("{} 记录不填写 {field}", programme.label_zh()),
    )
}

fn money(v: Option<i64>, field: &str, errors: &mut Vec<FieldError>) {
    if v.is_some_and(|n| !(0..=MAX_AMOUNT).contains(&n)) {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field} is 0 to {MAX_AMOUNT}"),
            format!("{field} 超出范围"),
        ));
    }
}

impl ProgrammeRecordDraft {
    pub fn parse(&self, today: NaiveDate) -> Result<ProgrammeRecord, Vec<FieldError>> {
        let mut errors = Vec::new();
        let household_id = self.household_id.clone().filter(|h| !h.trim().is_empty());
        if household_id.is_none() {
            errors.push(FieldError::new(
                "household_id",
                "required",
                "household_id is required",
                "缺少 household_id",
            ));
        }
        let programme = match self.programme.as_deref() {
            None => {
                errors.push(FieldError::new(
                    "programme",
                    "required",
                    "programme is required",
                    "缺少 programme",
                ));
                None
            }
            Some(p) => Programme::parse(p).map_err(|e| errors.push(e)).ok(),
        };
        let happened_on = match self
            .happened_on
            .as_deref()
            .map(|d| parse_date(d, "happened_on"))
        {
            None => {
                errors.push(FieldError::new(
                    "happened_on",
                    "required",
                    "happened_on is required",
                    "缺少 happened_on",
                ));
                None
            }
            Some(Err(e)) => {
                errors.push(e);
                None
            }
            Some(Ok(d)) if d > today => {
                errors.push(FieldError::new(
                    "happened_on",
                    "in_the_future",
                    "records are made after the fact",
                    "不能登记未来日期",
                ));
                None
            }
            Some(Ok(d)) => Some(d),
        };
        money(self.subsidy_fen, "subsidy_fen", &mut errors);
        money(self.amount_fen, "amount_fen", &mut errors);
        let region = |v: &Option<String>, field: &str, errors: &mut Vec<FieldError>| {
            v.as_deref().and_then(|c| {
                RegionCode::parse(c)
                    .map_err(|e| errors.push(e.for_field(field)))
                    .ok()
            })
        };
        let from_region = region(&self.from_region_code, "from_region_code", &mut errors);
        let to_region = region(&self.to_region_code, "to_region_code", &mut errors);
        if let Some(p) = programme {
            let given = [
                ("course", self.course.is_some()),
                ("subsidy_fen", self.subsidy_fen.is_some()),
                ("amount_fen", self.amount_fen.is_some()),
                ("term_months", self.term_months.is_some()),
                ("from_region_code", self.from_region_code.is_some()),
                ("to_region_code", self.to_region_code.is_some()),
            ];
            let needed: &[&str] = match p {
                Programme::RainDew => &["course", "subsidy_fen"],
                Programme::Microcredit => &["amount_fen", "term_months", "subsidy_fen"],
                Programme::Relocation => &["from_region_code", "to_region_code"],
            };
            for (field, is_given) in given {
                match (needed.contains(&field), is_given) {
                    (true, false) => errors.push(missing(field, p)),
                    (false, true) => errors.push(not_for(field, p)),
                    _ => {}
                }
            }
            if let Some(t) = self.term_months.filter(|t| !(1..=60).contains(t)) {
                errors.push(FieldError::new(
                    "term_months",
                    "out_of_range",
                    format!("a micro-loan runs 1 to 60 months, not {t}"),
                    format!("小额贷款期限应为 1 到 60 个月，而不是 {t}"),
                ));
            }
            if from_region
                .as_ref()
                .is_some_and(|r| r.level() != RegionLevel::Village)
            {
                errors.push(FieldError::new(
                    "from_region_code",
                    "not_a_village",
                    "a household moves from its village",
                    "搬出地应为村级代码",
                ));
            }
            if from_region.is_some() && from_region == to_region {
                errors.push(FieldError::new(
                    "to_region_code",
                    "same_place",
                    "a relocation moves somewhere else",
                    "搬入地不能与搬出地相同",
                ));
            }
        }
        match (household_id, programme, happened_on) {
            (Some(household_id), Some(programme), Some(happened_on)) if errors.is_empty() => {
                Ok(ProgrammeRecord {
                    household_id,
                    programme,
                    happened_on,
                    course: self.course.clone(),
                    subsidy_fen: self.subsidy_fen,
                    amount_fen: self.amount_fen,
                    term_months: self.term_months,
                    from_region,
                    to_region,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A record as kept: the valid record, the household's place, who made it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedProgramme {
    pub id: String,
    pub record: ProgrammeRecord,
    /// The household's village.
    pub region: RegionCode,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn each_programme_asks_for_its_own_fields() {
        let loan = ProgrammeRecordDraft {
            household_id: Some("h".into()),
            programme: Some("扶贫小额贷款".into()),
            happened_on: Some("2026-05-01".into()),
            amount_fen: Some(5_000_000),
            term_months: Some(36),
            subsidy_fen: Some(150_000),
            ..ProgrammeRecordDraft::default()
        };
        assert_eq!(
            loan.parse(today()).unwrap().programme,
            Programme::Microcredit
        );
        let bad = ProgrammeRecordDraft {
            course: Some("电工".into()),
            term_months: Some(99),
            subsidy_fen: None,
            ..loan
        };
        let got: Vec<_> = bad
            .parse(today())
            .unwrap_err()
            .iter()
            .map(|e| (e.field.clone(), e.code))
            .collect();
        assert_eq!(
            got,
            vec![
                ("course".to_owned(), "not_allowed"),
                ("subsidy_fen".to_owned(), "required"),
                ("term_months".to_owned(), "out_of_range"),
            ]
        );
        let moved = ProgrammeRecordDraft {
            household_id: Some("h".into()),
            programme: Some("relocation".into()),
            happened_on: Some("2026-06-01".into()),
            from_region_code: Some("210921100202".into()),
            to_region_code: Some("210921100202".into()),
            ..ProgrammeRecordDraft::default()
        };
        assert_eq!(moved.parse(today()).unwrap_err()[0].code, "same_place");
    }
}
