//! Volunteers, their activities, sign-ups and hours (task 6).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use domain::region::RegionCode;

use crate::schema::{
    activity_signups as s, volunteer_activities as a, volunteer_hours as h, volunteers as v,
};
use crate::{DbConn, PersistenceError, on_backend};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = v)]
pub struct VolunteerRow {
    pub user_id: String,
    pub kind: String,
    /// Comma-separated.
    pub skills: String,
    pub region_code: Option<String>,
    pub availability: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = a)]
pub struct ActivityRow {
    pub id: String,
    pub organization_id: String,
    pub activity_type: String,
    pub title: String,
    pub description: Option<String>,
    /// Space-separated village codes.
    pub village_codes: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = h)]
pub struct HoursRow {
    pub id: String,
    pub activity_id: String,
    pub volunteer_id: String,
    pub served_on: NaiveDate,
    pub tenths: i32,
    pub note: Option<String>,
    pub certified_by: Option<String>,
    pub certified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Creates or replaces a volunteer's profile.
pub fn upsert(conn: &mut DbConn, row: &VolunteerRow) -> Result<(), PersistenceError> {
    diesel::delete(v::table.find(&row.user_id)).execute(conn)?;
    diesel::insert_into(v::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, user_id: &str) -> Result<Option<VolunteerRow>, PersistenceError> {
    Ok(v::table
        .find(user_id)
        .select(VolunteerRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Default)]
pub struct VolunteerQuery {
    /// Volunteers whose region lies in this subtree (`None`: all, those without a region
    /// included).
    pub within: Option<RegionCode>,
    pub kind: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

/// A page of volunteer profiles in user-id order.
pub fn list(conn: &mut DbConn, q: &VolunteerQuery) -> Result<Vec<VolunteerRow>, PersistenceError> {
    let mut query = v::table
        .select(VolunteerRow::as_select())
        .order(v::user_id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(v::region_code.ge(low))
            .filter(v::region_code.lt(high));
    }
    if let Some(kind) = &q.kind {
        query = query.filter(v::kind.eq(kind.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(v::user_id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

pub fn insert_activity(conn: &mut DbConn, row: &ActivityRow) -> Result<(), PersistenceError> {
    diesel::insert_into(a::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_activity(conn: &mut DbConn, id: &str) -> Result<Option<ActivityRow>, PersistenceError> {
    Ok(a::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_activities(
    conn: &mut DbConn,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ActivityRow>, PersistenceError> {
    let mut q = a::table
        .select(ActivityRow::as_select())
        .order(a::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(a::id.gt(after.to_owned()));
    }
    Ok(q.load(conn)?)
}

/// Signs a volunteer up (again is a no-op).
pub fn sign_up(
    conn: &mut DbConn,
    activity_id: &str,
    volunteer_id: &str,
    at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    on_backend!(conn, |c| {
        diesel::insert_into(s::table)
            .values((
                s::activity_id.eq(activity_id),
                s::volunteer_id.eq(volunteer_id),
                s::signed_up_at.eq(at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(())
}

pub fn is_signed_up(
    conn: &mut DbConn,
    activity_id: &str,
    volunteer_id: &str,
) -> Result<bool, PersistenceError> {
    Ok(s::table
        .find((activity_id, volunteer_id))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

pub fn insert_hours(conn: &mut DbConn, row: &HoursRow) -> Result<(), PersistenceError> {
    diesel::insert_into(h::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_hours(conn: &mut DbConn, id: &str) -> Result<Option<HoursRow>, PersistenceError> {
    Ok(h::table
        .find(id)
        .select(HoursRow::as_select())
        .first(conn)
        .optional()?)
}

/// Certifies an entry not yet certified; `false` if it already was.
pub fn certify(
    conn: &mut DbConn,
    id: &str,
    by: &str,
    at: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(
        diesel::update(h::table.find(id).filter(h::certified_at.is_null()))
            .set((h::certified_by.eq(by), h::certified_at.eq(at)))
            .execute(conn)?
            == 1,
    )
}

/// Every entry of a volunteer, oldest first.
pub fn hours_of(conn: &mut DbConn, volunteer_id: &str) -> Result<Vec<HoursRow>, PersistenceError> {
    Ok(h::table
        .filter(h::volunteer_id.eq(volunteer_id))
        .order(h::id)
        .select(HoursRow::as_select())
        .load(conn)?)
}

/// Marks a signed-up volunteer as having attended; `false` if they never signed up.
pub fn mark_attended(
    conn: &mut DbConn,
    activity_id: &str,
    volunteer_id: &str,
    at: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(s::table.find((activity_id, volunteer_id)))
        .set(s::attended_at.eq(at))
        .execute(conn)?
        == 1)
}

/// How many activities the volunteer attended.
pub fn attended_count(conn: &mut DbConn, volunteer_id: &str) -> Result<i64, PersistenceError> {
    Ok(s::table
        .filter(s::volunteer_id.eq(volunteer_id))
        .filter(s::attended_at.is_not_null())
        .count()
        .get_result(conn)?)
}
