//! Enterprise aid projects (task 1) and the registered poor people they employ.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count;
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::{
    enterprise_projects as p, household_members as m, households as hh, project_employments as e,
    project_progress as g, project_villages as pv,
};
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

/// Stores a project and the villages it serves (call inside a write transaction).
pub fn insert(conn: &mut DbConn, row: &ProjectRow) -> Result<(), PersistenceError> {
    diesel::insert_into(p::table).values(row).execute(conn)?;
    let villages: BTreeSet<&str> = row.village_codes.split_whitespace().collect();
    let rows: Vec<_> = villages
        .into_iter()
        .map(|v| (pv::village_code.eq(v), pv::project_id.eq(&row.id)))
        .collect();
    on_backend!(conn, |c| diesel::insert_into(pv::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ProjectRow>, PersistenceError> {
    Ok(p::table
        .find(id)
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Default)]
pub struct ProjectQuery {
    pub organization_id: Option<String>,
    /// Projects serving at least one village in this subtree.
    pub serving: Option<RegionCode>,
    pub project_type: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// A page of projects in id order.
pub fn list(conn: &mut DbConn, q: &ProjectQuery) -> Result<Vec<ProjectRow>, PersistenceError> {
    let mut query = p::table
        .select(ProjectRow::as_select())
        .order(p::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(org) = &q.organization_id {
        query = query.filter(p::organization_id.eq(org.clone()));
    }
    if let Some(region) = &q.serving {
        let (low, high) = region.subtree_range();
        query = query.filter(
            p::id.eq_any(
                pv::table
                    .filter(pv::village_code.ge(low))
                    .filter(pv::village_code.lt(high))
                    .select(pv::project_id),
            ),
        );
    }
    if let Some(t) = &q.project_type {
        query = query.filter(p::project_type.eq(t.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(p::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
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

/// Different registered poor people employed in `year`: by one project, or by all projects,
/// optionally only people whose household lives in a region's subtree. Counted by the
/// database (`COUNT(DISTINCT member_id)`), never by loading the people.
pub fn people_employed(
    conn: &mut DbConn,
    project_id: Option<&str>,
    living_in: Option<&RegionCode>,
    year: i32,
) -> Result<i64, PersistenceError> {
    let mut q = e::table
        .filter(e::year.eq(year))
        .select(count(e::member_id).aggregate_distinct())
        .into_boxed();
    if let Some(id) = project_id {
        q = q.filter(e::project_id.eq(id.to_owned()));
    }
    if let Some(region) = living_in {
        let (low, high) = region.subtree_range();
        q = q.filter(
            e::member_id.eq_any(
                m::table
                    .filter(
                        m::household_id.eq_any(
                            hh::table
                                .filter(hh::region_code.ge(low))
                                .filter(hh::region_code.lt(high))
                                .select(hh::id),
                        ),
                    )
                    .select(m::id),
            ),
        );
    }
    Ok(q.get_result(conn)?)
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
