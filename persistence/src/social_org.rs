//! Organisations that take part (社会组织, enterprises, designated units, departments,
//! people's organisations) and their verification.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::organizations as o;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = o)]
pub struct OrganizationRow {
    pub id: String,
    pub kind: String,
    pub subtype: Option<String>,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub contact_name: String,
    /// Encrypted at rest.
    pub contact_phone_enc: String,
    /// Space-separated years.
    pub deduction_qualified_years: String,
    pub foundation_name: Option<String>,
    pub status: String,
    pub status_reason: Option<String>,
    pub created_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OrganizationRow {
    pub fn qualified_years(&self) -> Vec<i32> {
        self.deduction_qualified_years
            .split(' ')
            .filter_map(|y| y.parse().ok())
            .collect()
    }
}

pub fn insert(conn: &mut DbConn, row: &OrganizationRow) -> Result<(), PersistenceError> {
    diesel::insert_into(o::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<OrganizationRow>, PersistenceError> {
    Ok(o::table
        .find(id)
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_credit_code(
    conn: &mut DbConn,
    code: &str,
) -> Result<Option<OrganizationRow>, PersistenceError> {
    Ok(o::table
        .filter(o::credit_code.eq(code))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces the row if its version is still `expected_version`.
pub fn update(
    conn: &mut DbConn,
    row: &OrganizationRow,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(
        o::table
            .find(&row.id)
            .filter(o::version.eq(expected_version)),
    )
    .set((
        o::subtype.eq(&row.subtype),
        o::name.eq(&row.name),
        o::contact_name.eq(&row.contact_name),
        o::contact_phone_enc.eq(&row.contact_phone_enc),
        o::deduction_qualified_years.eq(&row.deduction_qualified_years),
        o::foundation_name.eq(&row.foundation_name),
        o::status.eq(&row.status),
        o::status_reason.eq(&row.status_reason),
        o::reviewed_by.eq(&row.reviewed_by),
        o::version.eq(row.version),
        o::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?
        == 1)
}

#[derive(Debug, Clone, Default)]
pub struct OrganizationQuery {
    pub within: Option<RegionCode>,
    pub only_id: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(
    conn: &mut DbConn,
    q: &OrganizationQuery,
) -> Result<Vec<OrganizationRow>, PersistenceError> {
    let mut query = o::table
        .select(OrganizationRow::as_select())
        .order(o::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(o::region_code.ge(low))
            .filter(o::region_code.lt(high));
    }
    if let Some(v) = &q.only_id {
        query = query.filter(o::id.eq(v.clone()));
    }
    if let Some(v) = &q.kind {
        query = query.filter(o::kind.eq(v.clone()));
    }
    if let Some(v) = &q.status {
        query = query.filter(o::status.eq(v.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(o::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
