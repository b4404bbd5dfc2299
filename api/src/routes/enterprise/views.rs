//! What the API shows of enterprise projects, and the request bodies, each read into its
//! domain draft in one call.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::enterprise::{
    ClaimStatus, EmploymentClaim, ProgressSpec, Project, ProjectSpec, ProjectType,
};

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

/// A person the project employs, named by ID number (looked up in the registry by its keyed
/// index; the answer does not tell whether the person is registered).
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

/// An employment claim as the API shows it: the ID number masked, whoever asks. A claim
/// answers the same shape whatever the registry holds; `status` is `recorded` only for a
/// person registered in one of the project's own villages.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "project_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e40", "year": 2026, "id_number": "210921********001X", "status": "pending", "created_at": "2026-11-28T08:00:00Z", "decided_at": null}))]
pub struct EmploymentClaimView {
    pub id: String,
    pub project_id: String,
    pub year: i32,
    /// Masked (`210921********001X`).
    pub id_number: String,
    /// `recorded` (counted at once), `pending` (waits for an official of the project's
    /// villages), `confirmed` (counted) or `rejected`.
    #[schema(schema_with = crate::openapi::labelled::<ClaimStatus>)]
    pub status: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When an official confirmed or rejected it.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<EmploymentClaim> for EmploymentClaimView {
    fn from(c: EmploymentClaim) -> Self {
        EmploymentClaimView {
            id: c.id,
            project_id: c.project_id,
            year: c.year,
            id_number: c.id_number.masked(),
            status: c.status.as_str().to_owned(),
            created_at: c.created_at.and_utc(),
            decided_at: c.decided_at.map(|t| t.and_utc()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentClaimPage {
    pub items: Vec<EmploymentClaimView>,
    pub next_cursor: Option<String>,
}

impl From<Page<EmploymentClaim>> for EmploymentClaimPage {
    fn from(page: Page<EmploymentClaim>) -> Self {
        let page = page.map(EmploymentClaimView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}
