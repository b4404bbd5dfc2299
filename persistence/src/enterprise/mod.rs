//! Enterprise aid projects (task 1) and the registered poor people they employ. Rows are
//! private and decode into [`domain::enterprise`] records.

pub mod claims;

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count;
use diesel::prelude::*;

use domain::enterprise::{Progress, ProgressSpec, Project, ProjectSpec, ProjectType};
use domain::identity::IdCardNumber;
use domain::region::RegionCode;

use crate::crypto::DataKeys;
use crate::page::{Page, PageRequest};
use crate::schema::{
    enterprise_projects as p, household_members as m, households as hh, project_employments as e,
    project_progress as g, project_villages as pv,
};
use crate::{DbConn, PersistenceError, on_backend};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = p)]
struct ProjectRow {
    id: String,
    organization_id: String,
    project_type: String,
    title: String,
    /// Space-separated village codes.
    village_codes: String,
    invested_fen: i64,
    credit_support_fen: i64,
    interest_subsidy_fen: i64,
    started_on: NaiveDate,
    created_by: String,
    created_at: NaiveDateTime,
}

impl From<&Project> for ProjectRow {
    fn from(x: &Project) -> Self {
        let s = &x.spec;
        Self {
            id: x.id.clone(),
            organization_id: x.organization_id.clone(),
            project_type: s.project_type.as_str().to_owned(),
            title: s.title.clone(),
            village_codes: crate::region_list::join(&s.villages),
            invested_fen: s.invested_fen,
            credit_support_fen: s.credit_support_fen,
            interest_subsidy_fen: s.interest_subsidy_fen,
            started_on: s.started_on,
            created_by: x.created_by.clone(),
            created_at: x.created_at,
        }
    }
}

impl TryFrom<ProjectRow> for Project {
    type Error = PersistenceError;

    fn try_from(r: ProjectRow) -> Result<Self, PersistenceError> {
        Ok(Project {
            spec: ProjectSpec {
                project_type: ProjectType::parse(&r.project_type)?,
                title: r.title,
                villages: crate::region_list::split(&r.village_codes)?,
                invested_fen: r.invested_fen,
                credit_support_fen: r.credit_support_fen,
                interest_subsidy_fen: r.interest_subsidy_fen,
                started_on: r.started_on,
            },
            id: r.id,
            organization_id: r.organization_id,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = g)]
struct ProgressRow {
    id: String,
    project_id: String,
    reported_on: NaiveDate,
    invested_fen: i64,
    note: String,
    created_at: NaiveDateTime,
}

impl From<ProgressRow> for Progress {
    fn from(r: ProgressRow) -> Self {
        Progress {
            id: r.id,
            project_id: r.project_id,
            spec: ProgressSpec {
                reported_on: r.reported_on,
                invested_fen: r.invested_fen,
                note: r.note,
            },
            created_at: r.created_at,
        }
    }
}

/// Stores a project and the villages it serves (call inside a write transaction).
pub fn insert(conn: &mut DbConn, project: &Project) -> Result<(), PersistenceError> {
    diesel::insert_into(p::table)
        .values(ProjectRow::from(project))
        .execute(conn)?;
    let villages: BTreeSet<&str> = project.spec.villages.iter().map(|v| v.as_str()).collect();
    let rows: Vec<_> = villages
        .into_iter()
        .map(|v| (pv::village_code.eq(v), pv::project_id.eq(&project.id)))
        .collect();
    on_backend!(conn, |c| diesel::insert_into(pv::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Project>, PersistenceError> {
    p::table
        .find(id)
        .select(ProjectRow::as_select())
        .first(conn)
        .optional()?
        .map(Project::try_from)
        .transpose()
}

#[derive(Debug, Clone)]
pub struct ProjectQuery {
    pub organization_id: Option<String>,
    /// Projects serving at least one village in this subtree.
    pub serving: Option<RegionCode>,
    pub project_type: Option<ProjectType>,
    pub page: PageRequest<String>,
}

/// A page of projects in id order.
pub fn list(conn: &mut DbConn, q: &ProjectQuery) -> Result<Page<Project>, PersistenceError> {
    let mut query = p::table
        .select(ProjectRow::as_select())
        .order(p::id)
        .limit(q.page.fetch())
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
    if let Some(t) = q.project_type {
        query = query.filter(p::project_type.eq(t.as_str()));
    }
    if let Some(after) = &q.page.after {
        query = query.filter(p::id.gt(after.clone()));
    }
    let items = query
        .load(conn)?
        .into_iter()
        .map(Project::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(items, q.page.limit, |x: &Project| {
        x.id.clone()
    }))
}

/// The registered poor person holding this ID number, if any: their member id and the
/// village their household lives in. Found by the keyed index of the number, so the
/// number itself is never compared.
pub fn registered_person(
    conn: &mut DbConn,
    keys: &DataKeys,
    id_number: &IdCardNumber,
) -> Result<Option<(String, RegionCode)>, PersistenceError> {
    let index = crate::registry::columns::id_index(keys, id_number.expose());
    let found: Option<(String, String)> = m::table
        .inner_join(hh::table)
        .filter(m::id_number_index.eq(&index))
        .select((m::id, hh::region_code))
        .first(conn)
        .optional()?;
    found
        .map(|(member, village)| Ok((member, RegionCode::parse(&village)?)))
        .transpose()
}

/// Records that the project employs this registered poor person in `year` (again is a
/// no-op).
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

pub fn add_progress(conn: &mut DbConn, progress: &Progress) -> Result<(), PersistenceError> {
    diesel::insert_into(g::table)
        .values(ProgressRow {
            id: progress.id.clone(),
            project_id: progress.project_id.clone(),
            reported_on: progress.spec.reported_on,
            invested_fen: progress.spec.invested_fen,
            note: progress.spec.note.clone(),
            created_at: progress.created_at,
        })
        .execute(conn)?;
    Ok(())
}

/// A project's progress reports, oldest first.
pub fn progress_of(conn: &mut DbConn, project_id: &str) -> Result<Vec<Progress>, PersistenceError> {
    Ok(g::table
        .filter(g::project_id.eq(project_id))
        .order(g::id)
        .select(ProgressRow::as_select())
        .load::<ProgressRow>(conn)?
        .into_iter()
        .map(Progress::from)
        .collect())
}
