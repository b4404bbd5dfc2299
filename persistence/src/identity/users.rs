//! User accounts. Personal data columns hold ciphertext made by `crate::crypto`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::users;
use crate::{DbConn, PersistenceError};

/// A stored account, as the row holds it (personal data still encrypted).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub region_code: Option<String>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name_enc: Option<String>,
    pub phone_enc: Option<String>,
    pub id_number_enc: Option<String>,
    pub valid_until: Option<NaiveDateTime>,
    pub disabled: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new account. `username` must already be normalised (lower case).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: String,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub region_code: Option<String>,
    pub county_code: Option<String>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name_enc: Option<String>,
    pub phone_enc: Option<String>,
    pub id_number_enc: Option<String>,
    pub id_number_index: Option<String>,
    pub valid_until: Option<NaiveDateTime>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Which constraint a refused insert broke, in the API's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicate {
    Username,
    IdNumber,
}

pub fn insert(conn: &mut DbConn, user: &NewUser) -> Result<(), PersistenceError> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    Ok(())
}

/// Which unique value of `user` is already taken, if any (checked before inserting, inside
/// the same write transaction, so the answer can name the field).
pub fn duplicate_of(
    conn: &mut DbConn,
    user: &NewUser,
) -> Result<Option<Duplicate>, PersistenceError> {
    let taken: i64 = users::table
        .filter(users::username.eq(&user.username))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Ok(Some(Duplicate::Username));
    }
    if let Some(index) = &user.id_number_index {
        let taken: i64 = users::table
            .filter(users::id_number_index.eq(index))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Ok(Some(Duplicate::IdNumber));
        }
    }
    Ok(None)
}

/// Makes the user a member of the organisation (an `org_member` registering it).
pub fn set_organization(
    conn: &mut DbConn,
    id: &str,
    organization_id: &str,
) -> Result<(), PersistenceError> {
    diesel::update(users::table.find(id))
        .set(users::organization_id.eq(organization_id))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<UserRecord>, PersistenceError> {
    Ok(users::table
        .find(id)
        .select(UserRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_username(
    conn: &mut DbConn,
    username: &str,
) -> Result<Option<UserRecord>, PersistenceError> {
    Ok(users::table
        .filter(users::username.eq(username))
        .select(UserRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn count(conn: &mut DbConn) -> Result<i64, PersistenceError> {
    Ok(users::table.count().get_result(conn)?)
}

#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Only users bound to a place in this subtree (`None`: all users).
    pub within: Option<RegionCode>,
    pub role: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, q: &UserQuery) -> Result<Vec<UserRecord>, PersistenceError> {
    let mut query = users::table
        .select(UserRecord::as_select())
        .order(users::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(users::region_code.ge(low))
            .filter(users::region_code.lt(high));
    }
    if let Some(role) = &q.role {
        query = query.filter(users::role.eq(role.clone()));
    }
    if let Some(after) = &q.after {
        query = query.filter(users::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

/// Disables or enables an account; `false` if there is no such account.
pub fn set_disabled(
    conn: &mut DbConn,
    id: &str,
    disabled: bool,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(users::table.find(id))
        .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
        .execute(conn)?
        == 1)
}
