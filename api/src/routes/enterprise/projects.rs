//! `/api/v1/enterprise-projects`: recording a project, reading and listing them, progress.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::enterprise::{Project, ProjectType};

use super::views::{ProgressBody, ProjectBody, ProjectPage, ProjectView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::enterprise::{self as service, ProjectFilter};
use crate::state::AppState;

/// Record an aid project (members of a verified enterprise).
#[utoipa::path(
    tag = "participants", operation_id = "create_enterprise_project", security(("bearer" = [])),
    request_body = ProjectBody,
    responses(
        (status = 201, description = "Recorded", body = ProjectView),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/enterprise-projects")]
pub async fn create_project(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<ProjectBody>,
) -> Result<HttpResponse, ApiError> {
    let spec = body.spec()?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let project = state
        .call(move |conn| service::create_project(conn, &keys, &principal, &meta, spec))
        .await?;
    Ok(HttpResponse::Created().json(ProjectView::from(project)))
}

/// One project (anyone signed in).
#[utoipa::path(
    tag = "participants", operation_id = "get_enterprise_project", security(("bearer" = [])),
    params(("id" = String, Path, description = "Project id")),
    responses(
        (status = 200, description = "The project", body = ProjectView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/enterprise-projects/{id}")]
pub async fn get_project(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ProjectView>, ApiError> {
    let project = state.call(move |conn| service::get(conn, &id)).await?;
    Ok(web::Json(project.into()))
}

/// Report progress (members of the enterprise).
#[utoipa::path(
    tag = "participants", operation_id = "report_project_progress", security(("bearer" = [])),
    params(("id" = String, Path, description = "Project id")),
    request_body = ProgressBody,
    responses(
        (status = 200, description = "Recorded; the project", body = ProjectView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn, WithBody,
    )
)]
#[post("/enterprise-projects/{id}/progress")]
pub async fn report_progress(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    body: web::Json<ProgressBody>,
) -> Result<web::Json<ProjectView>, ApiError> {
    let (spec, principal) = (body.spec()?, caller.principal);
    let project = state
        .call(move |conn| service::report_progress(conn, &principal, &id, spec))
        .await?;
    Ok(web::Json(project.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectListParams {
    /// Officials: projects serving a village of this region (within their own).
    pub region: Option<String>,
    /// Officials: one organisation's projects.
    pub organization_id: Option<String>,
    pub project_type: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl ProjectListParams {
    fn filter(&self) -> Result<ProjectFilter, ApiError> {
        let mut q = QueryReader::new();
        let region = q.region(self.region.as_deref());
        let project_type = q.optional(
            self.project_type.as_deref(),
            "project_type",
            ProjectType::parse,
        );
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(ProjectFilter {
            region,
            organization_id: self.organization_id.clone(),
            project_type,
            page,
        })
    }
}

/// Projects: for officials, evaluators and `platform:read` clients those serving a village of
/// their jurisdiction; for an enterprise's members their own.
#[utoipa::path(
    tag = "participants", operation_id = "list_enterprise_projects", security(("bearer" = [])), params(ProjectListParams),
    responses(
        (status = 200, description = "A page of projects", body = ProjectPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/enterprise-projects")]
pub async fn list_projects(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<ProjectListParams>,
) -> Result<web::Json<ProjectPage>, ApiError> {
    Project::may_list(&caller)?;
    let (filter, principal) = (params.filter()?, caller.principal);
    let page = state
        .call(move |conn| service::list(conn, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
}
