//! Bulk import jobs: progress, counts and the first row errors.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{import_errors as ie, import_jobs as ij};
use crate::{DbConn, PersistenceError};

/// Row errors kept per job; the counts go on past it.
pub const MAX_ERRORS: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ij)]
#[diesel(treat_none_as_null = true)]
pub struct ImportJobRow {
    pub id: String,
    pub kind: String,
    /// `queued`, `running`, `succeeded`, `failed`.
    pub status: String,
    pub actor_id: Option<String>,
    /// The importer's jurisdiction (`None`: everywhere).
    pub region_code: Option<String>,
    pub encoding: Option<String>,
    pub bytes_total: i64,
    pub bytes_processed: i64,
    pub rows_processed: i64,
    pub households_created: i64,
    pub households_updated: i64,
    pub households_unchanged: i64,
    pub households_failed: i64,
    pub rows_failed: i64,
    pub message: Option<String>,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = ie)]
pub struct ImportErrorRow {
    pub job_id: String,
    pub seq: i32,
    pub row_number: i64,
    pub column_name: String,
    pub code: String,
    pub message_en: String,
    pub message_zh: String,
}

pub fn insert(conn: &mut DbConn, job: &ImportJobRow) -> Result<(), PersistenceError> {
    diesel::insert_into(ij::table).values(job).execute(conn)?;
    Ok(())
}

pub fn save(conn: &mut DbConn, job: &ImportJobRow) -> Result<(), PersistenceError> {
    diesel::update(ij::table.find(&job.id))
        .set(job)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ImportJobRow>, PersistenceError> {
    Ok(ij::table
        .find(id)
        .select(ImportJobRow::as_select())
        .first(conn)
        .optional()?)
}

/// Stores errors while fewer than [`MAX_ERRORS`] are stored; returns how many were kept.
pub fn add_errors(conn: &mut DbConn, errors: &[ImportErrorRow]) -> Result<usize, PersistenceError> {
    let Some(first) = errors.first() else {
        return Ok(0);
    };
    let stored: i64 = ie::table
        .filter(ie::job_id.eq(&first.job_id))
        .count()
        .get_result(conn)?;
    let room = usize::try_from((MAX_ERRORS - stored).max(0)).unwrap_or(0);
    let keep = &errors[..errors.len().min(room)];
    for e in keep {
        diesel::insert_into(ie::table).values(e).execute(conn)?;
    }
    Ok(keep.len())
}

pub fn errors(conn: &mut DbConn, job_id: &str) -> Result<Vec<ImportErrorRow>, PersistenceError> {
    Ok(ie::table
        .filter(ie::job_id.eq(job_id))
        .order(ie::seq)
        .select(ImportErrorRow::as_select())
        .load(conn)?)
}

/// Marks jobs left `running` or `queued` by a process that stopped as failed.
pub fn fail_interrupted(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, PersistenceError> {
    Ok(diesel::update(ij::table.filter(ij::status.eq_any(["running", "queued"])))
        .set((
            ij::status.eq("failed"),
            ij::message.eq("interrupted by a server restart; import the file again (imports are idempotent)"),
            ij::finished_at.eq(now),
        ))
        .execute(conn)?)
}
