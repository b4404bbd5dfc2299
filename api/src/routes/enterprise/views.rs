//! What the API shows of enterprise projects, and the request bodies, each read into its
//! domain draft in one call.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::enterprise::{ProgressSpec, Project, ProjectSpec, ProjectType};

use crate::error::ApiError;
use crate::http::pagination::Page;
use crate::service::enterprise::ProjectDetail;

/// The body of `POST /enterprise-projects`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"project_type": "employment", "title": "扶贫车间", "village_codes": ["210921100202"], "invested_fen": 50000000, "started_on": "2026-03-01"}))]
pub struct ProjectBody {
    /// `resource_development`, `industry_cultivation`, `village_enterprise`, `investment`,
    /// `employment`, `schooling`.
    #[schema(schema_with = crate::openapi::labelled::<ProjectType>)]
    pub project_type: String,
    pub title: String,
    pub village_codes: Vec<String>,
    pub invested_fen: i64,
    /// Credit support received (信贷支持).
    pub credit_support_fen: Option<i64>,
    /// Interest subsidy received (财政贴息).
    pub interest_subsidy_fen: Option<i64>,
    pub started_on: String,
}

impl ProjectBody {
    pub fn spec(&self) -> Result<ProjectSpec, ApiError> {
        ProjectSpec::parse(
            &self.project_type,
            &self.title,
            &self.village_codes,
            self.invested_fen,
            self.credit_support_fen,
            self.interest_subsidy_fen,
            &self.started_on,
        )
        .map_err(ApiError::validation)
    }
}

/// A project with this year's count of registered poor people employed.
/// A project as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectSummary {
    pub id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<ProjectType>)]
    pub project_type: String,
    pub title: String,
    pub village_codes: Vec<String>,
    pub invested_fen: i64,
    pub credit_support_fen: i64,
    pub interest_subsidy_fen: i64,
    pub started_on: chrono::NaiveDate,
}

impl From<Project> for ProjectSummary {
    fn from(p: Project) -> Self {
        let s = p.spec;
        ProjectSummary {
            id: p.id,
            organization_id: p.organization_id,
            project_type: s.project_type.as_str().to_owned(),
            title: s.title,
            village_codes: s.villages.iter().map(ToString::to_string).collect(),
            invested_fen: s.invested_fen,
            credit_support_fen: s.credit_support_fen,
            interest_subsidy_fen: s.interest_subsidy_fen,
            started_on: s.started_on,
        }
    }
}

/// A project with its employment count and progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    #[serde(flatten)]
    pub project: ProjectSummary,
    /// Different registered poor people this project employs this year.
    pub poor_people_employed: i64,
    pub progress: Vec<ProgressView>,
}

/// A progress update.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressView {
    pub reported_on: chrono::NaiveDate,
    pub invested_fen: i64,
    pub note: String,
}

impl From<ProjectDetail> for ProjectView {
    fn from(d: ProjectDetail) -> Self {
        ProjectView {
            project: d.project.into(),
            poor_people_employed: d.poor_people_employed,
            progress: d
                .progress
                .into_iter()
                .map(|g| ProgressView {
                    reported_on: g.spec.reported_on,
                    invested_fen: g.spec.invested_fen,
                    note: g.spec.note,
                })
                .collect(),
        }
    }
}

/// A registered poor person the project employs, named by ID number (checked against the
/// registry by its keyed hash; the answer reveals nothing about the household).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmploymentBody {
    pub id_number: String,
    /// Default this year.
    pub year: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    pub reported_on: String,
    /// Money invested so far.
    pub invested_fen: i64,
    pub note: String,
}

impl ProgressBody {
    pub fn spec(&self) -> Result<ProgressSpec, ApiError> {
        ProgressSpec::parse(&self.reported_on, self.invested_fen, &self.note)
            .map_err(ApiError::validation)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectSummary>,
    pub next_cursor: Option<String>,
}

impl From<Page<Project>> for ProjectPage {
    fn from(page: Page<Project>) -> Self {
        let page = page.map(ProjectSummary::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// How many different registered poor people enterprise projects employ.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentTotal {
    pub year: i32,
    /// Each person once, however many projects employ them.
    pub poor_people_employed: i64,
}
