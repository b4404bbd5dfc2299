//! Enterprise aid projects (task 1) and the registered poor people they employ.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{enterprise_projects as p, project_employments as e, project_progress as g};
use crate::{DbConn, PersistenceError, on_backend};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = p)]
pub struct ProjectRow {
    pub id: String,
    pub organization_id: String,
    pub project_type: String,
    pub title: String,
    /// Space-separated village codes.
    pub village_codes: String,
    pub invested_fen: i64,
    pub credit_support_fen: i64,
    pub interest_subsidy_fen: i64,
    pub started_on: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = g)]
pub struct ProgressRow {
    pub id: String,
    pub project_id: String,
    pub reported_on: NaiveDate,
    pub invested_fen: i64,
    pub note: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &ProjectRow) -> Result<(), PersistenceError> {
    diesel::insert_into(p::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ProjectRow>, PersistenceError> {
    Ok(p::table
        .find(id)
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    organization_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ProjectRow>, PersistenceError> {
    let mut q = p::table
        .select(ProjectRow::as_select())
        .order(p::id)
        .limit(limit)
        .into_boxed();
    if let Some(org) = organization_id {
        q = q.filter(p::organization_id.eq(org.to_owned()));
    }
    if let Some(after) = after {
        q = q.filter(p::id.gt(after.to_owned()));
    }
    Ok(q.load(conn)?)
}

/// Records that the project employs this household member in `year` (again is a no-op).
pub fn employ(
    conn: &mut DbConn,
    project_id: &str,
    member_id: &str,
    year: i32,
    at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    on_backend!(conn, |c| {
        diesel::insert_into(e::table)
            .values((
                e::project_id.eq(project_id),
                e::member_id.eq(member_id),
                e::year.eq(year),
                e::recorded_at.eq(at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(())
}

/// Different registered poor people employed in `year`, by one project or by all.
pub fn people_employed(
    conn: &mut DbConn,
    project_id: Option<&str>,
    year: i32,
) -> Result<i64, PersistenceError> {
    let mut q = e::table
        .filter(e::year.eq(year))
        .select(e::member_id)
        .distinct()
        .into_boxed();
    if let Some(id) = project_id {
        q = q.filter(e::project_id.eq(id.to_owned()));
    }
    Ok(i64::try_from(q.load::<String>(conn)?.len()).unwrap_or(i64::MAX))
}

pub fn add_progress(conn: &mut DbConn, row: &ProgressRow) -> Result<(), PersistenceError> {
    diesel::insert_into(g::table).values(row).execute(conn)?;
    Ok(())
}

pub fn progress_of(
    conn: &mut DbConn,
    project_id: &str,
) -> Result<Vec<ProgressRow>, PersistenceError> {
    Ok(g::table
        .filter(g::project_id.eq(project_id))
        .order(g::id)
        .select(ProgressRow::as_select())
        .load(conn)?)
}
