//! Regions: the reference hierarchy and its queries.

use chrono::Utc;
use diesel::prelude::*;

use domain::region::{Region, RegionCode, RegionLevel, reference};

use crate::page::{Page, PageRequest};
use crate::schema::{reference_data_sets, regions};
use crate::{DbConn, PersistenceError, write_transaction};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = regions)]
struct RegionRow {
    code: String,
    name: String,
}

impl TryFrom<RegionRow> for Region {
    type Error = PersistenceError;

    fn try_from(row: RegionRow) -> Result<Self, Self::Error> {
        Ok(Region {
            code: RegionCode::parse(&row.code)?,
            name: row.name,
        })
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = regions)]
struct NewRegionRow<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    parent_code: Option<String>,
    county_code: Option<String>,
    created_at: chrono::NaiveDateTime,
}

fn rows(loaded: Vec<RegionRow>) -> Result<Vec<Region>, PersistenceError> {
    loaded.into_iter().map(Region::try_from).collect()
}

pub fn find(conn: &mut DbConn, code: &RegionCode) -> Result<Option<Region>, PersistenceError> {
    regions::table
        .find(code.as_str())
        .select(RegionRow::as_select())
        .first(conn)
        .optional()?
        .map(Region::try_from)
        .transpose()
}

/// The regions among `codes` that exist, ordered from the top of the hierarchy down.
pub fn find_many(conn: &mut DbConn, codes: &[RegionCode]) -> Result<Vec<Region>, PersistenceError> {
    let keys: Vec<&str> = codes.iter().map(RegionCode::as_str).collect();
    let mut found = rows(
        regions::table
            .filter(regions::code.eq_any(keys))
            .select(RegionRow::as_select())
            .load(conn)?,
    )?;
    found.sort_by_key(Region::level);
    Ok(found)
}

/// What `GET /regions` asks for. With `parent` alone: its direct children. With `parent`
/// and `level`: every region of that level under `parent`. With `level` alone: every region
/// of that level. With neither: every region. Always ordered by code, keyset-paginated.
#[derive(Debug, Clone, Default)]
pub struct RegionQuery {
    pub parent: Option<RegionCode>,
    pub level: Option<RegionLevel>,
}

/// One page of the regions `q` asks for, continued after the code in `page`.
pub fn list(
    conn: &mut DbConn,
    q: &RegionQuery,
    page: &PageRequest<String>,
) -> Result<Page<Region>, PersistenceError> {
    let mut query = regions::table
        .select(RegionRow::as_select())
        .order(regions::code)
        .limit(page.fetch())
        .into_boxed();
    match (&q.parent, q.level) {
        (Some(parent), None) => {
            query = query.filter(regions::parent_code.eq(parent.as_str().to_owned()))
        }
        (Some(parent), Some(level)) => {
            let (low, high) = parent.subtree_range();
            query = query
                .filter(regions::code.ge(low))
                .filter(regions::code.lt(high))
                .filter(regions::level.eq(level.as_str()));
        }
        (None, Some(level)) => query = query.filter(regions::level.eq(level.as_str())),
        (None, None) => {}
    }
    if let Some(after) = &page.after {
        query = query.filter(regions::code.gt(after.clone()));
    }
    let found = rows(query.load(conn)?)?;
    Ok(Page::from_fetched(found, page.limit, |r| {
        r.code.to_string()
    }))
}

pub fn count(conn: &mut DbConn) -> Result<i64, PersistenceError> {
    Ok(regions::table.count().get_result(conn)?)
}

/// Loads the embedded divisions once. Returns how many regions were inserted, or `None`
/// when this data set was already loaded (by this process or a concurrent one).
pub fn load_reference(conn: &mut DbConn) -> Result<Option<usize>, PersistenceError> {
    let divisions = reference::liaoning_divisions()?;
    let result = write_transaction(conn, |conn| -> Result<Option<usize>, PersistenceError> {
        let now = Utc::now().naive_utc();
        let already: Option<String> = reference_data_sets::table
            .find("divisions")
            .select(reference_data_sets::version)
            .first(conn)
            .optional()?;
        if already.is_some() {
            return Ok(None);
        }
        // The marker first: a concurrent loader on PostgreSQL waits on this key and then
        // fails with a unique violation instead of inserting the regions twice.
        diesel::insert_into(reference_data_sets::table)
            .values((
                reference_data_sets::name.eq("divisions"),
                reference_data_sets::version.eq(reference::DIVISIONS_VERSION),
                reference_data_sets::loaded_at.eq(now),
            ))
            .execute(conn)?;
        let parents: Vec<(Option<String>, Option<String>)> = divisions
            .iter()
            .map(|r| {
                (
                    r.parent_code().map(String::from),
                    r.code.county().map(String::from),
                )
            })
            .collect();
        let new_rows: Vec<NewRegionRow<'_>> = divisions
            .iter()
            .zip(parents)
            .map(|(r, (parent_code, county_code))| NewRegionRow {
                code: r.code.as_str(),
                name: &r.name,
                level: r.level().as_str(),
                parent_code,
                county_code,
                created_at: now,
            })
            .collect();
        match conn {
            DbConn::Postgresql(c) => {
                for chunk in new_rows.chunks(1000) {
                    diesel::insert_into(regions::table)
                        .values(chunk)
                        .execute(c)?;
                }
            }
            // SQLite's multi-row VALUES cannot hold the NULL parent of the province; one
            // statement per row inside the transaction is just as fast there.
            DbConn::Sqlite(c) => {
                for row in &new_rows {
                    diesel::insert_into(regions::table).values(row).execute(c)?;
                }
            }
        }
        Ok(Some(new_rows.len()))
    });
    match result {
        Err(PersistenceError::Conflict { .. }) => Ok(None),
        other => other,
    }
}

/// Which of `codes` are known regions.
pub fn existing_codes(
    conn: &mut DbConn,
    codes: &[String],
) -> Result<Vec<String>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        out.extend(
            regions::table
                .filter(regions::code.eq_any(chunk))
                .select(regions::code)
                .load::<String>(conn)?,
        );
    }
    Ok(out)
}
