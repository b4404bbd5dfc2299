//! `/api/v1/imports`: bulk import of poor villages (`docs/villages-csv.md`) and households
//! (`docs/registry-csv.md`). The body is streamed to a file, answered with 202 and a job,
//! and imported in the background; `GET /imports/{id}` shows progress, counts and the first
//! 1,000 row errors.

use std::path::Path;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::Action;
use domain::registry::ImportKind;

use super::views::{ImportJobView, RowErrorView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::openapi::responses::{
    Always, BadRequest, Forbidden, NotFound, PayloadTooLarge, SignedIn, UnsupportedMediaType,
};
use crate::service::registry::imports::{self as service, Importer, Spool};
use crate::service::{ErrorCode, ServiceError};
use crate::state::AppState;

/// Largest import file accepted over HTTP (bigger ones: `fupin import households`).
pub const MAX_IMPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_import).service(get_import);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// What the file holds: `villages` (register them first) or `households`.
    #[param(example = "households")]
    pub kind: String,
}

/// Import poor villages or households from a CSV file.
///
/// The body is the file (`text/csv`; UTF-8 or GB18030). `kind=villages`: one row per poor
/// village, in the layout of `docs/villages-csv.md`; `kind=households`: one row per member,
/// grouped by `household_number`, in the layout of `docs/registry-csv.md` (a household
/// that is not `scattered` needs its village registered first). Answers 202 at once with
/// the job; poll `GET /imports/{id}` until its status is `succeeded` (every row imported),
/// `completed_with_errors` (some rows rejected) or `failed` (nothing imported). Re-importing
/// a file updates records, never duplicates them. Rows outside the caller's jurisdiction,
/// rows with more fields than the header and rows another import wrote first
/// (`lost_to_concurrent_import`) are row errors.
#[utoipa::path(
    tag = "registry", operation_id = "create_import", security(("bearer" = [])), params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "The import file"),
    responses(
        (status = 202, description = "Accepted; the import runs in the background", body = ImportJobView, headers(("Location" = String, description = "URL of the job")),
            example = json!({"id": "0193a5c2-7d1e-7000-8000-000000000001", "kind": "villages", "status": "queued", "encoding": null, "bytes_total": 2048, "bytes_processed": 0, "progress": 0.0, "rows_processed": 0, "households_created": 0, "households_updated": 0, "households_unchanged": 0, "households_failed": 0, "rows_failed": 0, "message": null, "created_at": "2026-12-02T14:00:00Z", "started_at": null, "finished_at": null, "errors": []})),
        (status = 400, response = BadRequest),
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
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::WriteRegistry)?;
    let kind =
        ImportKind::parse(&params.kind).map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    require_csv(&req)?;
    service::check_reach(&caller)?;
    let file = spool(&service::spool_dir(&state.data_dir), body).await?;
    let importer = Importer::new(
        &state.pool,
        &state.data_keys,
        &state.poverty_lines,
        &state.instance,
    );
    let who = caller.principal;
    let job = state
        .call(move |conn| service::submit(conn, &importer, who, meta, kind, file))
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/imports/{}", job.id)))
        .json(ImportJobView::build(&job, Vec::new())))
}

/// 415 unless the body is sent as CSV (or as plain bytes).
fn require_csv(req: &HttpRequest) -> Result<(), ApiError> {
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("text/csv") || content_type.starts_with("application/octet-stream")
    {
        return Ok(());
    }
    Err(ServiceError::new(
        ErrorCode::UnsupportedMediaType,
        "导入文件请以 text/csv 发送。",
        "Send the import file as text/csv.",
    )
    .into())
}

/// Streams the body into a new spool file under `dir` (at most [`MAX_IMPORT_BYTES`], never
/// empty). On any error the spool is dropped, which removes it.
async fn spool(dir: &Path, mut body: web::Payload) -> Result<Spool, ApiError> {
    let mut file = Spool::create(dir)
        .map_err(|e| ApiError::internal(format!("cannot spool into {}: {e}", dir.display())))?;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                format!("请求体读取失败：{e}"),
                format!("the body could not be read: {e}"),
            )
        })?;
        if file.len() + chunk.len() as u64 > MAX_IMPORT_BYTES {
            return Err(ApiError::payload_too_large());
        }
        file.write_all(&chunk)
            .map_err(|e| ApiError::internal(e.to_string()))?;
    }
    if file.is_empty() {
        return Err(ApiError::bad_request(
            "导入文件为空。",
            "The import file is empty.",
        ));
    }
    file.finish()
        .map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(file)
}

/// An import job: progress, counts, and the first 1,000 row errors.
///
/// Row errors locate the problem by line and column and never quote an ID or phone number
/// in full (they are masked as everywhere else).
#[utoipa::path(
    tag = "registry", operation_id = "get_import", security(("bearer" = [])), params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, description = "The job", body = ImportJobView,
            example = json!({"id": "0193a5c2-7d1e-7000-8000-000000000002", "kind": "households", "status": "completed_with_errors", "encoding": "UTF-8", "bytes_total": 81920, "bytes_processed": 81920, "progress": 1.0, "rows_processed": 912, "households_created": 299, "households_updated": 0, "households_unchanged": 0, "households_failed": 1, "rows_failed": 1, "message": "299 created, 0 updated, 0 unchanged, 1 rejected (1 rows)", "created_at": "2026-12-02T14:00:00Z", "started_at": "2026-12-02T14:00:01Z", "finished_at": "2026-12-02T14:00:03Z",
                "errors": [{"row": 12, "column": "member_id_number", "code": "check_digit", "message": "the check digit of 210921********0011 is wrong"}]})),
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
    caller.may(Action::WriteRegistry)?;
    let lang = Lang::from_request(&req);
    let who = caller.principal;
    let report = state
        .call(move |conn| service::get(conn, &who, &id))
        .await?;
    let errors = report
        .problems
        .into_iter()
        .map(|p| RowErrorView::build(p, lang))
        .collect();
    Ok(web::Json(ImportJobView::build(&report.job, errors)))
}
