//! Registered poor villages (贫困村).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::poor_villages as pv;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = pv)]
pub struct VillageRow {
    pub id: String,
    pub region_code: String,
    pub county_code: String,
    pub registered_year: i32,
    pub status: String,
    pub exit_year: Option<i32>,
    pub population: i32,
    pub poor_household_count: i32,
    pub collective_income_fen: i64,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &VillageRow) -> Result<(), PersistenceError> {
    diesel::insert_into(pv::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<VillageRow>, PersistenceError> {
    Ok(pv::table
        .find(id)
        .select(VillageRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_region(
    conn: &mut DbConn,
    region: &str,
) -> Result<Option<VillageRow>, PersistenceError> {
    Ok(pv::table
        .filter(pv::region_code.eq(region))
        .select(VillageRow::as_select())
        .first(conn)
        .optional()?)
}

/// Replaces the row if its version is still `expected_version`; `false` when it changed.
pub fn update(
    conn: &mut DbConn,
    row: &VillageRow,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(
        pv::table
            .find(&row.id)
            .filter(pv::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(pv::table.find(id)).execute(conn)? == 1)
}

/// Which of `codes` are registered poor villages.
pub fn registered_among(
    conn: &mut DbConn,
    codes: &[String],
) -> Result<Vec<String>, PersistenceError> {
    crate::db::with_custom_plans(conn, |conn| registered_among_each(conn, codes))
}

fn registered_among_each(
    conn: &mut DbConn,
    codes: &[String],
) -> Result<Vec<String>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        out.extend(
            pv::table
                .filter(pv::region_code.eq_any(chunk))
                .select(pv::region_code)
                .load::<String>(conn)?,
        );
    }
    Ok(out)
}

#[derive(Debug, Clone, Default)]
pub struct VillageQuery {
    pub within: Option<RegionCode>,
    pub status: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// Ordered by region code (the keyset).
pub fn list(conn: &mut DbConn, q: &VillageQuery) -> Result<Vec<VillageRow>, PersistenceError> {
    let mut query = pv::table
        .select(VillageRow::as_select())
        .order(pv::region_code)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(pv::region_code.ge(low))
            .filter(pv::region_code.lt(high));
    }
    if let Some(status) = &q.status {
        query = query.filter(pv::status.eq(status.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(pv::region_code.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
