//! Projects and their progress as kept: who runs a project, who may record its employment
//! and progress, and the checks of a progress report and of an employment year.

use chrono::{NaiveDate, NaiveDateTime};

use super::ProjectSpec;
use crate::FieldError;
use crate::identity::{Action, Denied, Principal};
use crate::input::parse_date;
use crate::platform::MAX_AMOUNT;
use crate::platform::text::required_text;
use crate::social_org::OrganizationKind;

/// The first year employment records are kept for (精准扶贫 began in 2013).
pub const FIRST_EMPLOYMENT_YEAR: i32 = 2013;

/// An enterprise's aid project (企业帮扶项目).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    pub id: String,
    pub organization_id: String,
    pub spec: ProjectSpec,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl Project {
    /// Only enterprises record aid projects in their own name.
    pub fn may_be_run_by(kind: OrganizationKind) -> bool {
        kind == OrganizationKind::Enterprise
    }

    /// Those who oversee read the projects of their jurisdiction; an organisation's members
    /// read their own; nobody else lists projects.
    pub fn may_list(who: &Principal) -> Result<(), Denied> {
        match who.may(Action::ReadParticipation) {
            Err(_) if who.organization_id.is_some() => Ok(()),
            other => other,
        }
    }

    /// Only members of the enterprise record its employment and progress.
    pub fn is_run_by(&self, organization_id: Option<&str>) -> bool {
        organization_id == Some(self.organization_id.as_str())
    }
}

/// A progress report as given: the day, the money invested so far, a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressSpec {
    pub reported_on: NaiveDate,
    pub invested_fen: i64,
    pub note: String,
}

impl ProgressSpec {
    /// Every field checked; every error reported at once, against its field.
    pub fn parse(
        reported_on: &str,
        invested_fen: i64,
        note: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let date = parse_date(reported_on, "reported_on")
            .map_err(|e| errors.push(e))
            .ok();
        let note = required_text(Some(note), "note", 1000)
            .map_err(|e| errors.push(e))
            .ok();
        if !(0..=MAX_AMOUNT).contains(&invested_fen) {
            errors.push(FieldError::new(
                "invested_fen",
                "out_of_range",
                "invested_fen is 0 to 10^12",
                "invested_fen 超出范围",
            ));
        }
        match (date, note) {
            (Some(reported_on), Some(note)) if errors.is_empty() => Ok(Self {
                reported_on,
                invested_fen,
                note,
            }),
            _ => Err(errors),
        }
    }
}

/// A progress report on a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub id: String,
    pub project_id: String,
    pub spec: ProgressSpec,
    pub created_at: NaiveDateTime,
}

/// The year an employment is recorded for: `year` (default this year), from
/// [`FIRST_EMPLOYMENT_YEAR`] to this year.
pub fn employment_year(year: Option<i32>, this_year: i32) -> Result<i32, FieldError> {
    let year = year.unwrap_or(this_year);
    if (FIRST_EMPLOYMENT_YEAR..=this_year).contains(&year) {
        Ok(year)
    } else {
        Err(FieldError::new(
            "year",
            "out_of_range",
            "year is 2013 to this year",
            "年份应在 2013 年至今年之间",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_report_reports_every_bad_field() {
        let ok = ProgressSpec::parse("2026-05-01", 100, " 厂房竣工 ").unwrap();
        assert_eq!((ok.invested_fen, ok.note.as_str()), (100, "厂房竣工"));
        let errors = ProgressSpec::parse("2026-13-01", -1, "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reported_on", "note", "invested_fen"]);
    }

    #[test]
    fn employment_is_recorded_from_2013_to_this_year() {
        assert_eq!(employment_year(None, 2026), Ok(2026));
        assert_eq!(employment_year(Some(2013), 2026), Ok(2013));
        assert_eq!(
            employment_year(Some(2012), 2026).unwrap_err().code,
            "out_of_range"
        );
        assert!(employment_year(Some(2027), 2026).is_err());
    }

    #[test]
    fn only_enterprises_run_projects_and_only_their_members_report_on_them() {
        assert!(Project::may_be_run_by(OrganizationKind::Enterprise));
        assert!(!Project::may_be_run_by(
            OrganizationKind::SocialOrganization
        ));
        let spec = ProjectSpec::parse(
            "employment",
            "扶贫车间",
            &["210921100202".into()],
            1,
            None,
            None,
            "2026-03-01",
        )
        .unwrap();
        let p = Project {
            id: "p".into(),
            organization_id: "e".into(),
            spec,
            created_by: "u".into(),
            created_at: NaiveDateTime::default(),
        };
        assert!(p.is_run_by(Some("e")) && !p.is_run_by(Some("x")) && !p.is_run_by(None));
    }
}
