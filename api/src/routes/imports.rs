//! `/api/v1/imports`: bulk import of households from the documented CSV layout
//! (`docs/registry-csv.md`). The body is streamed to a file, answered with 202 and a job,
//! and imported in the background; `GET /imports/{id}` shows progress, counts and the first
//! 1,000 row errors.

use std::io::Write;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::Action;
use persistence::registry::imports::{self as jobs, ImportJobRow};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::openapi::responses::{
    Always, Forbidden, NotFound, PayloadTooLarge, SignedIn, UnsupportedMediaType,
};
use crate::registry::import::{ImportScope, Importer};
use crate::service::scope::scope_of;
use crate::state::AppState;

/// Largest import file accepted over HTTP (bigger ones: `fupin import households`).
pub const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_import).service(get_import);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// What the file holds: `households`.
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RowErrorView {
    /// Line in the file (the header is line 1).
    pub row: i64,
    /// The column, or empty for the whole row.
    pub column: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "kind": "households", "status": "running", "encoding": "UTF-8", "bytes_total": 1048576, "bytes_processed": 524288, "progress": 0.5, "rows_processed": 4210, "households_created": 1200, "households_updated": 0, "households_unchanged": 0, "households_failed": 3, "rows_failed": 3, "message": null, "errors": [{"row": 17, "column": "member_id_number", "code": "check_digit", "message": "the check digit is wrong"}]}))]
pub struct ImportJobView {
    pub id: String,
    pub kind: String,
    /// `queued`, `running`, `succeeded` (with or without row errors), `failed`.
    pub status: String,
    /// The encoding detected: `UTF-8` or `gb18030`.
    pub encoding: Option<String>,
    pub bytes_total: i64,
    pub bytes_processed: i64,
    /// 0 to 1.
    pub progress: f64,
    pub rows_processed: i64,
    pub households_created: i64,
    pub households_updated: i64,
    pub households_unchanged: i64,
    pub households_failed: i64,
    pub rows_failed: i64,
    pub message: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The first 1,000 row errors (with `?errors=false`, none).
    pub errors: Vec<RowErrorView>,
}

impl ImportJobView {
    pub fn build(j: &ImportJobRow, errors: Vec<RowErrorView>) -> Self {
        #[expect(
            clippy::cast_precision_loss,
            reason = "a progress fraction needs no more precision"
        )]
        let progress = if j.bytes_total > 0 {
            (j.bytes_processed as f64 / j.bytes_total as f64).min(1.0)
        } else {
            1.0
        };
        ImportJobView {
            id: j.id.clone(),
            kind: j.kind.clone(),
            status: j.status.clone(),
            encoding: j.encoding.clone(),
            bytes_total: j.bytes_total,
            bytes_processed: j.bytes_processed,
            progress: if j.status == "succeeded" {
                1.0
            } else {
                progress
            },
            rows_processed: j.rows_processed,
            households_created: j.households_created,
            households_updated: j.households_updated,
            households_unchanged: j.households_unchanged,
            households_failed: j.households_failed,
            rows_failed: j.rows_failed,
            message: j.message.clone(),
            created_at: j.created_at.and_utc(),
            started_at: j.started_at.map(|t| t.and_utc()),
            finished_at: j.finished_at.map(|t| t.and_utc()),
            errors,
        }
    }
}

/// A new job row for a file of `bytes` bytes.
pub fn new_job(actor: Option<String>, region: Option<String>, bytes: u64) -> ImportJobRow {
    ImportJobRow {
        id: uuid::Uuid::now_v7().to_string(),
        kind: "households".to_owned(),
        status: "queued".to_owned(),
        actor_id: actor,
        region_code: region,
        encoding: None,
        bytes_total: i64::try_from(bytes).unwrap_or(i64::MAX),
        bytes_processed: 0,
        rows_processed: 0,
        households_created: 0,
        households_updated: 0,
        households_unchanged: 0,
        households_failed: 0,
        rows_failed: 0,
        message: None,
        created_at: chrono::Utc::now().naive_utc(),
        started_at: None,
        finished_at: None,
    }
}

/// Import households from a CSV file.
///
/// The body is the file (`text/csv`; UTF-8 or GB18030), in the layout of
/// `docs/registry-csv.md`: one row per member, grouped by `household_number`. Answers 202
/// at once with the job; poll `GET /imports/{id}`. Re-importing a file updates households,
/// never duplicates them. Rows outside the caller's jurisdiction are row errors.
#[utoipa::path(
    tag = "registry", operation_id = "create_import", security(("bearer" = [])), params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The import file"),
    responses(
        (status = 202, description = "Accepted; the import runs in the background", body = ImportJobView, headers(("Location" = String, description = "URL of the job"))),
        (status = 403, response = Forbidden),
        (status = 413, response = PayloadTooLarge), (status = 415, response = UnsupportedMediaType),
        Always, SignedIn,
    )
)]
#[post("/imports")]
pub async fn create_import(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    params: web::Query<ImportParams>,
    mut body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    if params.kind != "households" {
        return Err(ApiError::invalid_parameters(vec![FieldError::new(
            "kind",
            "unknown_kind",
            "kind must be households",
            "kind 应为 households",
        )]));
    }
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(content_type.starts_with("text/csv")
        || content_type.starts_with("application/octet-stream"))
    {
        return Err(ApiError::new(
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "导入文件请以 text/csv 发送。",
            "Send the import file as text/csv.",
        ));
    }
    let within = scope_of(&caller)?;
    let dir = state.data_dir.join("imports");
    std::fs::create_dir_all(&dir)
        .map_err(|e| ApiError::internal(format!("cannot create {}: {e}", dir.display())))?;
    let mut file =
        tempfile::NamedTempFile::new_in(&dir).map_err(|e| ApiError::internal(e.to_string()))?;
    let mut written: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                format!("请求体读取失败：{e}"),
                format!("the body could not be read: {e}"),
            )
        })?;
        written += chunk.len() as u64;
        if written > MAX_IMPORT_BYTES {
            return Err(ApiError::payload_too_large());
        }
        file.write_all(&chunk)
            .map_err(|e| ApiError::internal(e.to_string()))?;
    }
    if written == 0 {
        return Err(ApiError::bad_request(
            "导入文件为空。",
            "The import file is empty.",
        ));
    }
    file.flush()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let job = new_job(
        Some(caller.id().to_owned()),
        within.as_ref().map(ToString::to_string),
        written,
    );
    let saved = job.clone();
    state
        .db(move |conn| Ok(jobs::insert(conn, &saved)?))
        .await?;
    let importer = Importer {
        pool: state.pool.clone(),
        keys: state.data_keys.clone(),
        lines: state.poverty_lines.clone(),
        scope: ImportScope {
            within,
            actor_id: Some(caller.id().to_owned()),
        },
    };
    let job_id = job.id.clone();
    let principal = caller.principal.clone();
    std::thread::Builder::new()
        .name(format!("import-{job_id}"))
        .spawn(move || {
            let path = file.into_temp_path();
            let done = importer.run(&job_id, &path, |_| {});
            if let Err(e) = &done {
                tracing::error!(job = %job_id, error = %e, "import failed");
            }
            // One audit event per import, with its counts (the households carry who wrote them).
            let details = done.as_ref().ok().map(|j| {
                serde_json::json!({"created": j.households_created, "updated": j.households_updated, "rejected": j.households_failed})
            });
            let recorded = importer.pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
                audit::record(&mut conn, &Actor::Principal(&principal), &meta, "registry.import", Some(("import_job", &job_id)), principal.region.as_ref(), done.is_ok(), details)
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = recorded {
                tracing::error!(job = %job_id, error = %e, "import audit event not recorded");
            }
        })
        .map_err(|e| ApiError::internal(format!("cannot start the import: {e}")))?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/imports/{}", job.id)))
        .json(ImportJobView::build(&job, Vec::new())))
}

/// An import job: progress, counts, and the first 1,000 row errors.
#[utoipa::path(
    tag = "registry", operation_id = "get_import", security(("bearer" = [])), params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = ImportJobView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/imports/{id}")]
pub async fn get_import(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ImportJobView>, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let lang = Lang::from_request(&req);
    let principal = caller.principal.clone();
    let (job, errors) = state
        .db(move |conn| {
            let job = jobs::find(conn, &id)?
                .filter(|j| principal.is_admin() || j.actor_id.as_deref() == Some(principal.id()));
            let job = job.ok_or_else(ApiError::not_found)?;
            let errors = jobs::errors(conn, &job.id)?;
            Ok((job, errors))
        })
        .await?;
    let errors = errors
        .into_iter()
        .map(|e| RowErrorView {
            row: e.row_number,
            column: e.column_name,
            code: e.code,
            message: lang.pick(&e.message_zh, &e.message_en).to_owned(),
        })
        .collect();
    Ok(web::Json(ImportJobView::build(&job, errors)))
}
