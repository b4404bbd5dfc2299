//! 民营企业扶贫 (task 1): enterprises' aid projects in poor villages, the money they put in,
//! the registered poor people they employ — each person counted once per year, however many
//! projects claim them — and the credit support and interest subsidies they receive.

use chrono::NaiveDate;

use crate::FieldError;
use crate::input::{parse_date, parse_villages};
use crate::labels::labelled_enum;
use crate::platform::MAX_AMOUNT;
use crate::platform::text::required_text;
use crate::region::RegionCode;

mod claim;
mod record;

pub use claim::{ClaimAction, ClaimStatus, EmploymentClaim};
pub use record::{FIRST_EMPLOYMENT_YEAR, Progress, ProgressSpec, Project, employment_year};

labelled_enum! {
    /// 企业帮扶方式 (the six the policy names)
    pub enum ProjectType in "type" {
        /// 资源开发
        ResourceDevelopment = "resource_development", "资源开发", [];
        /// 产业培育
        IndustryCultivation = "industry_cultivation", "产业培育", [];
        /// 村企共建
        VillageEnterprise = "village_enterprise", "村企共建", [];
        /// 投资兴业
        Investment = "investment", "投资兴业", [];
        /// 吸纳就业
        Employment = "employment", "吸纳就业", [];
        /// 捐资助学
        Schooling = "schooling", "捐资助学", [];
    }
}

/// How many different people a set of employment records names in one year: each
/// `(person, year)` pair counts once, whichever projects claim it.
pub fn people_employed<'a>(records: impl IntoIterator<Item = (&'a str, i32)>, year: i32) -> usize {
    let mut people: Vec<&str> = records
        .into_iter()
        .filter(|(_, y)| *y == year)
        .map(|(p, _)| p)
        .collect();
    people.sort_unstable();
    people.dedup();
    people.len()
}

/// An aid project as an enterprise records it: one of the six kinds, the villages it
/// serves, the money it puts in, and the credit support and interest subsidy (财政贴息) it
/// received — each 0 to [`MAX_AMOUNT`] fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectSpec {
    pub project_type: ProjectType,
    pub title: String,
    pub villages: Vec<RegionCode>,
    pub invested_fen: i64,
    pub credit_support_fen: i64,
    pub interest_subsidy_fen: i64,
    pub started_on: NaiveDate,
}

/// A sum of money in fen, 0 to [`MAX_AMOUNT`]; absent is 0.
fn fen(value: Option<i64>, field: &str, errors: &mut Vec<FieldError>) -> i64 {
    match value.unwrap_or(0) {
        n if (0..=MAX_AMOUNT).contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                format!("{field} is 0 to 10^12 fen"),
                format!("{field} 应在 0 到 10^12 分之间"),
            ));
            0
        }
    }
}

impl ProjectSpec {
    /// Every field checked; every error reported at once, against its field.
    pub fn parse(
        project_type: &str,
        title: &str,
        village_codes: &[String],
        invested_fen: i64,
        credit_support_fen: Option<i64>,
        interest_subsidy_fen: Option<i64>,
        started_on: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let project_type = ProjectType::parse(project_type)
            .map_err(|e| errors.push(e.for_field("project_type")))
            .ok();
        let title = required_text(Some(title), "title", 100)
            .map_err(|e| errors.push(e))
            .ok();
        let started_on = parse_date(started_on, "started_on")
            .map_err(|e| errors.push(e))
            .ok();
        let invested_fen = fen(Some(invested_fen), "invested_fen", &mut errors);
        let credit_support_fen = fen(credit_support_fen, "credit_support_fen", &mut errors);
        let interest_subsidy_fen = fen(interest_subsidy_fen, "interest_subsidy_fen", &mut errors);
        let villages = parse_villages(village_codes, "village_codes")
            .map_err(|e| errors.extend(e))
            .ok();
        match (project_type, title, started_on, villages) {
            (Some(project_type), Some(title), Some(started_on), Some(villages))
                if errors.is_empty() =>
            {
                Ok(ProjectSpec {
                    project_type,
                    title,
                    villages,
                    invested_fen,
                    credit_support_fen,
                    interest_subsidy_fen,
                    started_on,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_reports_every_bad_field_and_bounds_its_money() {
        let ok = ProjectSpec::parse(
            "employment",
            "扶贫车间",
            &["210921100202".into()],
            50_000_000,
            Some(1_000_000),
            None,
            "2026-03-01",
        )
        .unwrap();
        assert_eq!(
            (
                ok.project_type,
                ok.credit_support_fen,
                ok.interest_subsidy_fen
            ),
            (ProjectType::Employment, 1_000_000, 0)
        );
        let errors = ProjectSpec::parse(
            "mining",
            "x",
            &[],
            -1,
            Some(MAX_AMOUNT + 1),
            Some(0),
            "2026-13-01",
        )
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("project_type", "unknown_value"),
                ("started_on", "invalid_date"),
                ("invested_fen", "out_of_range"),
                ("credit_support_fen", "out_of_range"),
                ("village_codes", "required"),
            ]
        );
    }

    #[test]
    fn a_worker_of_two_projects_counts_once() {
        let records = [("m1", 2026), ("m1", 2026), ("m2", 2026), ("m1", 2025)];
        assert_eq!(people_employed(records, 2026), 2);
        assert_eq!(people_employed(records, 2025), 1);
        assert_eq!(ProjectType::ALL.len(), 6);
        assert_eq!(
            ProjectType::parse("村企共建"),
            Ok(ProjectType::VillageEnterprise)
        );
    }
}
