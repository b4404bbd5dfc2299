//! Bulk import jobs: progress, counts and the first row problems. Rows decode into
//! [`ImportJob`] and [`ImportProblem`].

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;
use domain::registry::{ImportJob, ImportKind, ImportProblem, ImportStatus, MAX_IMPORT_PROBLEMS};

use crate::schema::{import_errors as ie, import_jobs as ij};
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ij)]
#[diesel(treat_none_as_null = true)]
struct ImportJobRow {
    id: String,
    kind: String,
    status: String,
    actor_id: Option<String>,
    region_code: Option<String>,
    encoding: Option<String>,
    bytes_total: i64,
    bytes_processed: i64,
    rows_processed: i64,
    households_created: i64,
    households_updated: i64,
    households_unchanged: i64,
    households_failed: i64,
    rows_failed: i64,
    message: Option<String>,
    created_at: NaiveDateTime,
    started_at: Option<NaiveDateTime>,
    finished_at: Option<NaiveDateTime>,
}

impl TryFrom<ImportJobRow> for ImportJob {
    type Error = PersistenceError;

    fn try_from(r: ImportJobRow) -> Result<Self, PersistenceError> {
        Ok(ImportJob {
            id: r.id,
            kind: ImportKind::parse(&r.kind)?,
            status: ImportStatus::parse(&r.status)?,
            actor_id: r.actor_id,
            region: r
                .region_code
                .as_deref()
                .map(RegionCode::parse)
                .transpose()?,
            encoding: r.encoding,
            bytes_total: r.bytes_total,
            bytes_processed: r.bytes_processed,
            rows_processed: r.rows_processed,
            households_created: r.households_created,
            households_updated: r.households_updated,
            households_unchanged: r.households_unchanged,
            households_failed: r.households_failed,
            rows_failed: r.rows_failed,
            lost_to_concurrent_import: 0,
            message: r.message,
            created_at: r.created_at.and_utc(),
            started_at: r.started_at.map(|t| t.and_utc()),
            finished_at: r.finished_at.map(|t| t.and_utc()),
        })
    }
}

impl From<&ImportJob> for ImportJobRow {
    fn from(j: &ImportJob) -> Self {
        ImportJobRow {
            id: j.id.clone(),
            kind: j.kind.as_str().to_owned(),
            status: j.status.as_str().to_owned(),
            actor_id: j.actor_id.clone(),
            region_code: j.region.as_ref().map(ToString::to_string),
            encoding: j.encoding.clone(),
            bytes_total: j.bytes_total,
            bytes_processed: j.bytes_processed,
            rows_processed: j.rows_processed,
            households_created: j.households_created,
            households_updated: j.households_updated,
            households_unchanged: j.households_unchanged,
            households_failed: j.households_failed,
            rows_failed: j.rows_failed,
            message: j.message.clone(),
            created_at: j.created_at.naive_utc(),
            started_at: j.started_at.map(|t| t.naive_utc()),
            finished_at: j.finished_at.map(|t| t.naive_utc()),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ie)]
struct ImportErrorRow {
    job_id: String,
    seq: i32,
    row_number: i64,
    column_name: String,
    code: String,
    message_en: String,
    message_zh: String,
}

impl TryFrom<ImportErrorRow> for ImportProblem {
    type Error = PersistenceError;

    fn try_from(r: ImportErrorRow) -> Result<Self, PersistenceError> {
        Ok(ImportProblem {
            row: u64::try_from(r.row_number).map_err(|_| {
                PersistenceError::Corrupt(format!("import error row {}", r.row_number))
            })?,
            column: r.column_name,
            code: r.code,
            message_en: r.message_en,
            message_zh: r.message_zh,
        })
    }
}

/// Stores a new job, run by the instance `owner`, alive as of `now`.
pub fn insert(
    conn: &mut DbConn,
    job: &ImportJob,
    owner: &str,
    now: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(ij::table)
        .values((
            ImportJobRow::from(job),
            ij::owner.eq(owner),
            ij::heartbeat_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that `owner`, running job `id`, is alive at `now`; `false` when the job is no
/// longer that instance's unfinished job (it ended, or was failed as stale).
pub fn heartbeat(
    conn: &mut DbConn,
    id: &str,
    owner: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let unfinished = [ImportStatus::Running, ImportStatus::Queued].map(ImportStatus::as_str);
    let n = diesel::update(
        ij::table
            .find(id)
            .filter(ij::owner.eq(owner))
            .filter(ij::status.eq_any(unfinished)),
    )
    .set(ij::heartbeat_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

/// Who runs an import job and when it last showed it was alive.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Liveness {
    /// The instance that runs (or ran) the job; `None` for jobs of older versions.
    pub owner: Option<String>,
    pub heartbeat_at: Option<NaiveDateTime>,
}

/// The instance running job `id` and its last heartbeat (`None` for an unknown job).
pub fn liveness(conn: &mut DbConn, id: &str) -> Result<Option<Liveness>, PersistenceError> {
    Ok(ij::table
        .find(id)
        .select((ij::owner, ij::heartbeat_at))
        .first(conn)
        .optional()?)
}

pub fn save(conn: &mut DbConn, job: &ImportJob) -> Result<(), PersistenceError> {
    diesel::update(ij::table.find(&job.id))
        .set(ImportJobRow::from(job))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ImportJob>, PersistenceError> {
    ij::table
        .find(id)
        .select(ImportJobRow::as_select())
        .first(conn)
        .optional()?
        .map(ImportJob::try_from)
        .transpose()
}

/// Stores problems of job `job_id`, numbered on from `after` (the number of the last one
/// stored), while fewer than [`MAX_IMPORT_PROBLEMS`] are stored; returns how many were kept.
pub fn add_errors(
    conn: &mut DbConn,
    job_id: &str,
    after: i64,
    problems: &[ImportProblem],
) -> Result<usize, PersistenceError> {
    if problems.is_empty() {
        return Ok(0);
    }
    let stored: i64 = ie::table
        .filter(ie::job_id.eq(job_id))
        .count()
        .get_result(conn)?;
    let room = usize::try_from((MAX_IMPORT_PROBLEMS - stored).max(0)).unwrap_or(0);
    let keep = &problems[..problems.len().min(room)];
    for (n, p) in (after + 1..).zip(keep) {
        let row = ImportErrorRow {
            job_id: job_id.to_owned(),
            seq: i32::try_from(n).unwrap_or(i32::MAX),
            row_number: i64::try_from(p.row).unwrap_or(i64::MAX),
            column_name: p.column.clone(),
            code: p.code.clone(),
            message_en: p.message_en.clone(),
            message_zh: p.message_zh.clone(),
        };
        diesel::insert_into(ie::table).values(row).execute(conn)?;
    }
    Ok(keep.len())
}

/// The problems stored for job `job_id`, in the order they were found.
pub fn errors(conn: &mut DbConn, job_id: &str) -> Result<Vec<ImportProblem>, PersistenceError> {
    ie::table
        .filter(ie::job_id.eq(job_id))
        .order(ie::seq)
        .select(ImportErrorRow::as_select())
        .load(conn)?
        .into_iter()
        .map(ImportProblem::try_from)
        .collect()
}

/// Fails, in one conditional update, every unfinished (`queued` or `running`) job whose
/// heartbeat is older than `stale_before` (or missing: a job of a version before heartbeats):
/// its instance stopped. Jobs of living instances, whose heartbeat is fresh, are left alone.
pub fn fail_stale(
    conn: &mut DbConn,
    stale_before: NaiveDateTime,
    now: NaiveDateTime,
    message: &str,
) -> Result<usize, PersistenceError> {
    let unfinished = [ImportStatus::Running, ImportStatus::Queued].map(ImportStatus::as_str);
    Ok(diesel::update(
        ij::table.filter(ij::status.eq_any(unfinished)).filter(
            ij::heartbeat_at
                .is_null()
                .or(ij::heartbeat_at.lt(stale_before)),
        ),
    )
    .set((
        ij::status.eq(ImportStatus::Failed.as_str()),
        ij::message.eq(message),
        ij::finished_at.eq(now),
    ))
    .execute(conn)?)
}
