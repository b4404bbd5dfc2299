//! `/api/v1/enterprise-projects` (task 1): enterprises' aid projects, the registered poor
//! people they employ (each person counted once a year however many projects claim them),
//! and progress over time.

use actix_web::{HttpResponse, get, post, web};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::enterprise::{ProjectSpec, ProjectType};
use domain::identity::{Action, IdCardNumber, today_in_china};
use persistence::enterprise::{self as store, ProgressRow, ProjectRow};
use persistence::write_transaction;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::social_org::acting_organization;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_project)
        .service(list_projects)
        .service(employment_total)
        .service(get_project)
        .service(record_employment)
        .service(report_progress);
}

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

impl From<&ProjectRow> for ProjectSummary {
    fn from(p: &ProjectRow) -> Self {
        ProjectSummary {
            id: p.id.clone(),
            organization_id: p.organization_id.clone(),
            project_type: p.project_type.clone(),
            title: p.title.clone(),
            village_codes: p
                .village_codes
                .split(' ')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            invested_fen: p.invested_fen,
            credit_support_fen: p.credit_support_fen,
            interest_subsidy_fen: p.interest_subsidy_fen,
            started_on: p.started_on,
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

fn view(conn: &mut persistence::DbConn, p: &ProjectRow) -> Result<ProjectView, ApiError> {
    let year = today_in_china().year();
    Ok(ProjectView {
        project: ProjectSummary::from(p),
        poor_people_employed: store::people_employed(conn, Some(&p.id), None, year)?,
        progress: store::progress_of(conn, &p.id)?
            .iter()
            .map(|g| ProgressView {
                reported_on: g.reported_on,
                invested_fen: g.invested_fen,
                note: g.note.clone(),
            })
            .collect(),
    })
}

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
    let b = body.into_inner();
    let spec = ProjectSpec::parse(
        &b.project_type,
        &b.title,
        &b.village_codes,
        b.invested_fen,
        b.credit_support_fen,
        b.interest_subsidy_fen,
        &b.started_on,
    )
    .map_err(ApiError::validation)?;
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let org = acting_organization(conn, &keys, &principal)?;
                if org.spec.kind != domain::social_org::OrganizationKind::Enterprise {
                    return Err(ApiError::forbidden());
                }
                let row = ProjectRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    organization_id: org.id,
                    project_type: spec.project_type.as_str().to_owned(),
                    title: spec.title.clone(),
                    village_codes: spec
                        .villages
                        .iter()
                        .map(|v| v.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    invested_fen: spec.invested_fen,
                    credit_support_fen: spec.credit_support_fen,
                    interest_subsidy_fen: spec.interest_subsidy_fen,
                    started_on: spec.started_on,
                    created_by: principal.id().to_owned(),
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "enterprise_project.create",
                    Some(("enterprise_project", &row.id)),
                    None,
                    true,
                    None,
                )?;
                view(conn, &row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
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
    let v = state
        .db(move |conn| {
            let row = store::find(conn, &id)?.ok_or_else(ApiError::not_found)?;
            view(conn, &row)
        })
        .await?;
    Ok(web::Json(v))
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

/// Record a registered poor person the project employs (members of the enterprise).
#[utoipa::path(
    tag = "participants", operation_id = "record_employment", security(("bearer" = [])),
    params(("id" = String, Path, description = "Project id")),
    request_body = EmploymentBody,
    responses(
        (status = 200, description = "Recorded (again is no change); the project", body = ProjectView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn, WithBody,
    )
)]
#[post("/enterprise-projects/{id}/employments")]
pub async fn record_employment(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<EmploymentBody>,
) -> Result<web::Json<ProjectView>, ApiError> {
    let b = body.into_inner();
    let number = IdCardNumber::parse(&b.id_number)
        .map_err(|e| ApiError::validation(vec![e.for_field("id_number")]))?;
    let this_year = today_in_china().year();
    let year = b.year.unwrap_or(this_year);
    if !(2013..=this_year).contains(&year) {
        return Err(ApiError::validation(vec![FieldError::new(
            "year",
            "out_of_range",
            "year is 2013 to this year",
            "年份应在 2013 年至今年之间",
        )]));
    }
    let index = crate::registry::codec::id_index(&state.data_keys, number.expose());
    let principal = caller.principal.clone();
    let v = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let project = store::find(conn, &id)?.ok_or_else(ApiError::not_found)?;
                if principal.organization_id.as_deref() != Some(project.organization_id.as_str()) {
                    return Err(ApiError::forbidden());
                }
                let (member, _) = persistence::registry::households::member_by_index(conn, &index)?
                    .ok_or_else(|| {
                        ApiError::validation(vec![FieldError::new(
                            "id_number",
                            "not_registered",
                            "this person is not in the registry of poor households",
                            "此人不在建档立卡贫困人口中",
                        )])
                    })?;
                store::employ(
                    conn,
                    &project.id,
                    &member,
                    year,
                    chrono::Utc::now().naive_utc(),
                )?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "enterprise_project.employ",
                    Some(("enterprise_project", &project.id)),
                    None,
                    true,
                    Some(serde_json::json!({"year": year})),
                )?;
                view(conn, &project)
            })
        })
        .await?;
    Ok(web::Json(v))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressBody {
    pub reported_on: String,
    /// Money invested so far.
    pub invested_fen: i64,
    pub note: String,
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
    let b = body.into_inner();
    let mut errors = Vec::new();
    let date = domain::input::parse_date(&b.reported_on, "reported_on")
        .map_err(|e| errors.push(e))
        .ok();
    let note = domain::platform::text::required_text(Some(&b.note), "note", 1000)
        .map_err(|e| errors.push(e))
        .ok();
    if !(0..=domain::platform::MAX_AMOUNT).contains(&b.invested_fen) {
        errors.push(FieldError::new(
            "invested_fen",
            "out_of_range",
            "invested_fen is 0 to 10^12",
            "invested_fen 超出范围",
        ));
    }
    let (Some(reported_on), Some(note), true) = (date, note, errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    let principal = caller.principal.clone();
    let v = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let project = store::find(conn, &id)?.ok_or_else(ApiError::not_found)?;
                if principal.organization_id.as_deref() != Some(project.organization_id.as_str()) {
                    return Err(ApiError::forbidden());
                }
                store::add_progress(
                    conn,
                    &ProgressRow {
                        id: uuid::Uuid::now_v7().to_string(),
                        project_id: project.id.clone(),
                        reported_on,
                        invested_fen: b.invested_fen,
                        note,
                        created_at: chrono::Utc::now().naive_utc(),
                    },
                )?;
                view(conn, &project)
            })
        })
        .await?;
    Ok(web::Json(v))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectPage {
    pub items: Vec<ProjectSummary>,
    pub next_cursor: Option<String>,
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
    let overseer = caller.may(Action::ReadParticipation).is_ok();
    if !overseer && caller.organization_id.is_none() {
        return Err(ApiError::forbidden());
    }
    let mut q = QueryReader::new();
    let region = q.region(params.region.as_deref());
    let project_type = q.optional(
        params.project_type.as_deref(),
        "project_type",
        ProjectType::parse,
    );
    let page = q.page::<String>(params.limit, params.cursor.as_deref())?;
    let mut query = store::ProjectQuery {
        project_type: project_type.map(|t| t.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
        ..store::ProjectQuery::default()
    };
    if overseer {
        let Reach::Within(serving) = narrow(scope_of(&caller)?, region) else {
            return Ok(web::Json(ProjectPage {
                items: vec![],
                next_cursor: None,
            }));
        };
        query.serving = serving;
        query.organization_id = params.organization_id.clone();
    } else {
        query.organization_id = Some(
            caller
                .organization_id
                .clone()
                .ok_or_else(ApiError::forbidden)?,
        );
    }
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(ProjectPage {
        items: rows.iter().map(ProjectSummary::from).collect(),
        next_cursor,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmploymentParams {
    /// Default this year.
    pub year: Option<i32>,
    /// People whose household lives in this region (within the caller's jurisdiction).
    pub region: Option<String>,
}

/// How many different registered poor people enterprise projects employ.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentTotal {
    pub year: i32,
    /// Each person once, however many projects employ them.
    pub poor_people_employed: i64,
}

/// Registered poor people employed by enterprise projects in a year, each counted once;
/// officials count those whose household lives in their jurisdiction (officials, village
/// cadres, evaluators, admins, `stats:read` clients).
#[utoipa::path(
    tag = "participants", operation_id = "enterprise_employment_total", security(("bearer" = [])), params(EmploymentParams),
    responses(
        (status = 200, description = "The count", body = EmploymentTotal),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/enterprise-projects/employment")]
pub async fn employment_total(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<EmploymentParams>,
) -> Result<web::Json<EmploymentTotal>, ApiError> {
    caller
        .may(Action::ReadStats)
        .map_err(|_| ApiError::forbidden())?;
    let year = params.year.unwrap_or_else(|| today_in_china().year());
    let mut q = QueryReader::new();
    let region = q.region(params.region.as_deref());
    q.finish()?;
    let n = match narrow(scope_of(&caller)?, region) {
        Reach::Within(living_in) => {
            state
                .db(move |conn| {
                    Ok(store::people_employed(
                        conn,
                        None,
                        living_in.as_ref(),
                        year,
                    )?)
                })
                .await?
        }
        Reach::Nowhere => 0,
    };
    Ok(web::Json(EmploymentTotal {
        year,
        poor_people_employed: n,
    }))
}
