//! Registered poor households (贫困户) and their members. Rows hold ciphertext for ID and
//! phone numbers; the api layer encrypts and decrypts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::{household_members as hm, household_status_changes as hsc, households as h};
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = h)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct HouseholdRow {
    pub id: String,
    pub household_number: String,
    pub region_code: String,
    pub county_code: String,
    pub scattered: bool,
    pub household_type: String,
    pub identification_standard: String,
    pub main_cause: String,
    /// `|`-separated.
    pub secondary_causes: String,
    pub income_per_person_fen: i64,
    pub housing_safe: bool,
    pub food_secure: bool,
    pub clothing_secure: bool,
    pub compulsory_education: bool,
    pub basic_medical: bool,
    pub housing_security: bool,
    pub safe_drinking_water: bool,
    pub guarantees_met: bool,
    pub status: String,
    pub exit_year: Option<i32>,
    pub head_name: String,
    pub member_count: i32,
    pub content_hash: String,
    pub version: i32,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = hm)]
#[diesel(treat_none_as_default_value = false)]
pub struct MemberRow {
    pub id: String,
    pub household_id: String,
    pub county_code: String,
    pub position: i32,
    pub name: String,
    pub sex: String,
    pub id_number_enc: String,
    pub id_number_index: String,
    pub relation: String,
    pub ethnicity: String,
    pub education: String,
    pub schooling: String,
    pub health: String,
    pub work_capacity: String,
    pub migrant_worker: bool,
    pub rural_medical: bool,
    pub rural_pension: bool,
    pub dibao: bool,
    pub critical_illness: bool,
    pub phone_enc: Option<String>,
}

/// Splits `rows` into chunks whose sizes come from a fixed set (256, 64, 16, 4, 1), so a
/// bulk insert prepares at most five distinct statements per table: with arbitrary chunk
/// sizes, PostgreSQL's prepared-statement cache would keep one statement per size seen.
pub fn fixed_chunks<T>(rows: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    std::iter::from_fn(move || {
        let size = [256, 64, 16, 4, 1].into_iter().find(|s| *s <= rest.len())?;
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
}

fn insert_members(conn: &mut DbConn, members: &[MemberRow]) -> Result<(), PersistenceError> {
    if let DbConn::Postgresql(c) = conn {
        // Binary COPY: PostgreSQL's own bulk path, several times faster than INSERT.
        diesel::copy_from(hm::table)
            .from_insertable(members)
            .execute(c)?;
        return Ok(());
    }
    for chunk in fixed_chunks(members) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(hm::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Inserts a household with its members (the caller owns the transaction).
pub fn insert(
    conn: &mut DbConn,
    household: &HouseholdRow,
    members: &[MemberRow],
) -> Result<(), PersistenceError> {
    diesel::insert_into(h::table)
        .values(household)
        .execute(conn)?;
    insert_members(conn, members)
}

/// Inserts many households with their members: multi-row statements on PostgreSQL.
pub fn insert_many(
    conn: &mut DbConn,
    households: &[HouseholdRow],
    members: &[MemberRow],
) -> Result<(), PersistenceError> {
    if let DbConn::Postgresql(c) = conn {
        diesel::copy_from(h::table)
            .from_insertable(households)
            .execute(c)?;
        return insert_members(conn, members);
    }
    for chunk in fixed_chunks(households) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(h::table)
            .values(chunk)
            .execute(c))?;
    }
    insert_members(conn, members)
}

/// Replaces a household and its members if its version is still `expected_version`;
/// `false` when someone changed it in between.
pub fn replace(
    conn: &mut DbConn,
    household: &HouseholdRow,
    members: &[MemberRow],
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(
        h::table
            .find(&household.id)
            .filter(h::version.eq(expected_version)),
    )
    .set(household)
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::delete(hm::table.filter(hm::household_id.eq(&household.id))).execute(conn)?;
    insert_members(conn, members)?;
    Ok(true)
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<bool, PersistenceError> {
    diesel::delete(hsc::table.filter(hsc::household_id.eq(id))).execute(conn)?;
    diesel::delete(hm::table.filter(hm::household_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(h::table.find(id)).execute(conn)? == 1)
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<HouseholdRow>, PersistenceError> {
    Ok(h::table
        .find(id)
        .select(HouseholdRow::as_select())
        .first(conn)
        .optional()?)
}

/// Members of the given households, ordered by household and position.
pub fn members_of(
    conn: &mut DbConn,
    household_ids: &[String],
) -> Result<Vec<MemberRow>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in household_ids.chunks(500) {
        out.extend(
            hm::table
                .filter(hm::household_id.eq_any(chunk))
                .order((hm::household_id, hm::position))
                .select(MemberRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// What an import needs to know of households that already exist.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct Existing {
    pub household_number: String,
    pub id: String,
    pub region_code: String,
    pub content_hash: String,
    pub version: i32,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub created_by: Option<String>,
}

pub fn existing_by_number(
    conn: &mut DbConn,
    numbers: &[String],
) -> Result<Vec<Existing>, PersistenceError> {
    crate::db::with_custom_plans(conn, |conn| existing_by_number_each(conn, numbers))
}

fn existing_by_number_each(
    conn: &mut DbConn,
    numbers: &[String],
) -> Result<Vec<Existing>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in numbers.chunks(500) {
        out.extend(
            h::table
                .filter(h::household_number.eq_any(chunk))
                .select((
                    h::household_number,
                    h::id,
                    h::region_code,
                    h::content_hash,
                    h::version,
                    h::status,
                    h::created_at,
                    h::created_by,
                ))
                .load::<Existing>(conn)?,
        );
    }
    Ok(out)
}

/// For each ID-number index already registered: the household (id, region) that holds it.
/// Two single-table lookups on unique and primary keys, not a join: with a prepared
/// statement, PostgreSQL's generic plan for a join on `= ANY($1)` can scan both tables.
pub fn owners_of(
    conn: &mut DbConn,
    indexes: &[String],
) -> Result<Vec<(String, String, String)>, PersistenceError> {
    crate::db::with_custom_plans(conn, |conn| owners_of_each(conn, indexes))
}

fn owners_of_each(
    conn: &mut DbConn,
    indexes: &[String],
) -> Result<Vec<(String, String, String)>, PersistenceError> {
    let mut held: Vec<(String, String)> = Vec::new();
    for chunk in indexes.chunks(500) {
        held.extend(
            hm::table
                .filter(hm::id_number_index.eq_any(chunk))
                .select((hm::id_number_index, hm::household_id))
                .load::<(String, String)>(conn)?,
        );
    }
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = held.iter().map(|(_, id)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut regions = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        regions.extend(
            h::table
                .filter(h::id.eq_any(chunk))
                .select((h::id, h::region_code))
                .load::<(String, String)>(conn)?,
        );
    }
    Ok(held
        .into_iter()
        .filter_map(|(index, id)| regions.get(&id).cloned().map(|region| (index, id, region)))
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdQuery {
    pub within: Option<RegionCode>,
    pub status: Option<String>,
    pub main_cause: Option<String>,
    pub household_type: Option<String>,
    /// Only households with at least one guarantee unmet.
    pub guarantee_unmet: bool,
    pub income_min: Option<i64>,
    pub income_max: Option<i64>,
    /// Head's name starts with this.
    pub head_name: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// Ordered by id (UUIDv7, so by creation), keyset-paginated.
pub fn list(conn: &mut DbConn, q: &HouseholdQuery) -> Result<Vec<HouseholdRow>, PersistenceError> {
    let mut query = h::table
        .select(HouseholdRow::as_select())
        .order(h::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(h::region_code.ge(low))
            .filter(h::region_code.lt(high));
    }
    if let Some(v) = &q.status {
        query = query.filter(h::status.eq(v.clone()));
    }
    if let Some(v) = &q.main_cause {
        query = query.filter(h::main_cause.eq(v.clone()));
    }
    if let Some(v) = &q.household_type {
        query = query.filter(h::household_type.eq(v.clone()));
    }
    if q.guarantee_unmet {
        query = query.filter(h::guarantees_met.eq(false));
    }
    if let Some(v) = q.income_min {
        query = query.filter(h::income_per_person_fen.ge(v));
    }
    if let Some(v) = q.income_max {
        query = query.filter(h::income_per_person_fen.le(v));
    }
    if let Some(v) = &q.head_name {
        let escaped = v
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(h::head_name.like(format!("{escaped}%")).escape('\\'));
    }
    if let Some(after) = &q.after {
        query = query.filter(h::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = hsc)]
#[diesel(treat_none_as_default_value = false)]
pub struct StatusChangeRow {
    pub id: String,
    pub household_id: String,
    pub county_code: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub exit_year: Option<i32>,
    pub reason: Option<String>,
    pub actor_id: Option<String>,
    pub changed_at: NaiveDateTime,
}

pub fn record_status_change(
    conn: &mut DbConn,
    change: &StatusChangeRow,
) -> Result<(), PersistenceError> {
    diesel::insert_into(hsc::table)
        .values(change)
        .execute(conn)?;
    Ok(())
}

/// Records many status changes in multi-row statements (one round trip per chunk).
pub fn record_status_changes(
    conn: &mut DbConn,
    changes: &[StatusChangeRow],
) -> Result<(), PersistenceError> {
    if let DbConn::Postgresql(c) = conn {
        diesel::copy_from(hsc::table)
            .from_insertable(changes)
            .execute(c)?;
        return Ok(());
    }
    for chunk in fixed_chunks(changes) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(hsc::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn status_history(
    conn: &mut DbConn,
    household_id: &str,
) -> Result<Vec<StatusChangeRow>, PersistenceError> {
    Ok(hsc::table
        .filter(hsc::household_id.eq(household_id))
        .order(hsc::id)
        .select(StatusChangeRow::as_select())
        .load(conn)?)
}

/// Sets status and exit year if the version is still `expected_version`.
pub fn set_status(
    conn: &mut DbConn,
    id: &str,
    status: &str,
    exit_year: Option<i32>,
    expected_version: i32,
    actor: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(h::table.find(id).filter(h::version.eq(expected_version)))
        .set((
            h::status.eq(status),
            h::exit_year.eq(exit_year),
            h::version.eq(expected_version + 1),
            h::updated_by.eq(actor),
            h::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The registered member holding this ID-number index, if any: (member id, household id).
pub fn member_by_index(
    conn: &mut DbConn,
    index: &str,
) -> Result<Option<(String, String)>, PersistenceError> {
    Ok(hm::table
        .filter(hm::id_number_index.eq(index))
        .select((hm::id, hm::household_id))
        .first(conn)
        .optional()?)
}
