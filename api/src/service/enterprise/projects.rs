//! Projects: recording one in the name of a verified enterprise, reading and listing them,
//! reporting progress.

use chrono::Datelike;

use domain::enterprise::{Progress, ProgressSpec, Project, ProjectSpec, ProjectType};
use domain::identity::{Action, Principal, today_in_china};
use domain::region::RegionCode;
use persistence::crypto::DataKeys;
use persistence::enterprise::{self as store, ProjectQuery};
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::social_org::acting_organization;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// A project with this year's count of registered poor people employed and its progress.
#[derive(Debug, Clone)]
pub struct ProjectDetail {
    pub project: Project,
    /// Different registered poor people the project employs this year.
    pub poor_people_employed: i64,
    pub progress: Vec<Progress>,
}

pub(super) fn detail(conn: &mut DbConn, project: Project) -> ServiceResult<ProjectDetail> {
    let year = today_in_china().year();
    Ok(ProjectDetail {
        poor_people_employed: store::people_employed(conn, Some(&project.id), None, year)?,
        progress: store::progress_of(conn, &project.id)?,
        project,
    })
}

/// The project `id` for a member of the enterprise that runs it: 404 if unknown, 403 for
/// anyone else.
pub(super) fn run_by_caller(
    conn: &mut DbConn,
    who: &Principal,
    id: &str,
) -> ServiceResult<Project> {
    let project = store::find(conn, id)?.ok_or_else(ServiceError::not_found)?;
    if !project.is_run_by(who.organization_id.as_deref()) {
        return Err(ServiceError::forbidden());
    }
    Ok(project)
}

/// Record an aid project in the name of the caller's verified enterprise.
pub fn create_project(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    spec: ProjectSpec,
) -> ServiceResult<ProjectDetail> {
    write_transaction(conn, |conn| {
        let org = acting_organization(conn, keys, who)?;
        if !Project::may_be_run_by(org.spec.kind) {
            return Err(ServiceError::forbidden());
        }
        let project = Project {
            id: uuid::Uuid::now_v7().to_string(),
            organization_id: org.id,
            spec: spec.clone(),
            created_by: who.id().to_owned(),
            created_at: chrono::Utc::now().naive_utc(),
        };
        store::insert(conn, &project)?;
        Audit::by(who, "enterprise_project.create")
            .on("enterprise_project", &project.id)
            .record(conn, meta)?;
        detail(conn, project)
    })
}

/// One project (anyone signed in).
pub fn get(conn: &mut DbConn, id: &str) -> ServiceResult<ProjectDetail> {
    let project = store::find(conn, id)?.ok_or_else(ServiceError::not_found)?;
    detail(conn, project)
}

/// A progress report by a member of the enterprise.
pub fn report_progress(
    conn: &mut DbConn,
    who: &Principal,
    id: &str,
    spec: ProgressSpec,
) -> ServiceResult<ProjectDetail> {
    write_transaction(conn, |conn| {
        let project = run_by_caller(conn, who, id)?;
        store::add_progress(
            conn,
            &Progress {
                id: uuid::Uuid::now_v7().to_string(),
                project_id: project.id.clone(),
                spec: spec.clone(),
                created_at: chrono::Utc::now().naive_utc(),
            },
        )?;
        detail(conn, project)
    })
}

/// What a list of projects asks for.
#[derive(Debug, Clone)]
pub struct ProjectFilter {
    /// Officials: projects serving a village of this region.
    pub region: Option<RegionCode>,
    /// Officials: one organisation's projects.
    pub organization_id: Option<String>,
    pub project_type: Option<ProjectType>,
    pub page: PageRequest<String>,
}

/// Projects: for those who oversee, those serving a village of their jurisdiction; for an
/// enterprise's members their own.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: ProjectFilter,
) -> ServiceResult<Page<Project>> {
    let mut query = ProjectQuery {
        organization_id: None,
        serving: None,
        project_type: filter.project_type,
        page: filter.page,
    };
    if who.may(Action::ReadParticipation).is_ok() {
        let Reach::Within(serving) = narrow(scope_of(who)?, filter.region) else {
            return Ok(Page::empty());
        };
        query.serving = serving;
        query.organization_id = filter.organization_id;
    } else {
        let own = who
            .organization_id
            .clone()
            .ok_or_else(ServiceError::forbidden)?;
        query.organization_id = Some(own);
    }
    Ok(store::list(conn, &query)?)
}
