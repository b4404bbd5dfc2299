//! User accounts. Rows decode into [`domain::identity::User`]; the personal columns (real
//! name, phone and ID number) are encrypted here under their column's purpose, and the ID
//! number is also kept as a keyed index so one person has one account. The password's hash
//! never leaves here but for the one check at the token endpoint.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::identity::{IdCardNumber, PersonName, PhoneNumber, Role, User};
use domain::region::RegionCode;

use crate::crypto::{DataKeys, INDEX_ID_NUMBER, Keyed};
use crate::page::{Page, PageRequest};
use crate::schema::users;
use crate::{DbConn, PersistenceError};

/// Encryption purposes (associated data) of the personal columns of `users`.
const AAD_PHONE: &str = "users.phone";
const AAD_ID_NUMBER: &str = "users.id_number";
const AAD_REAL_NAME: &str = "users.real_name";

/// A stored account, as the row holds it (personal data still encrypted).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: String,
    username: String,
    password_hash: String,
    role: String,
    region_code: Option<String>,
    organization_id: Option<String>,
    display_name: Option<String>,
    work_unit: Option<String>,
    real_name_enc: Option<String>,
    phone_enc: Option<String>,
    id_number_enc: Option<String>,
    valid_until: Option<NaiveDateTime>,
    disabled: bool,
    password_change_required: bool,
    created_by: Option<String>,
    created_at: NaiveDateTime,
}

fn open<T>(
    keys: &DataKeys,
    token: Option<&str>,
    aad: &str,
    parse: fn(&str) -> Result<T, domain::FieldError>,
) -> Result<Option<T>, PersistenceError> {
    token
        .map(|t| {
            let clear = keys.decrypt(t, aad)?;
            parse(&clear).map_err(|e| {
                PersistenceError::Corrupt(format!("stored {aad} no longer valid: {}", e.code))
            })
        })
        .transpose()
}

impl TryFrom<Keyed<'_, UserRow>> for User {
    type Error = PersistenceError;

    fn try_from(k: Keyed<'_, UserRow>) -> Result<Self, PersistenceError> {
        let (r, keys) = (k.row, k.keys);
        Ok(User {
            real_name: open(
                keys,
                r.real_name_enc.as_deref(),
                AAD_REAL_NAME,
                PersonName::parse,
            )?,
            phone: open(keys, r.phone_enc.as_deref(), AAD_PHONE, PhoneNumber::parse)?,
            id_number: open(
                keys,
                r.id_number_enc.as_deref(),
                AAD_ID_NUMBER,
                IdCardNumber::parse,
            )?,
            id: r.id,
            username: r.username,
            role: Role::parse(&r.role)?,
            region: r
                .region_code
                .as_deref()
                .map(RegionCode::parse)
                .transpose()?,
            organization_id: r.organization_id,
            display_name: r.display_name,
            work_unit: r.work_unit,
            valid_until: r.valid_until,
            disabled: r.disabled,
            password_change_required: r.password_change_required,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

/// A new account, encrypted and ready to store (made outside the write transaction: the
/// hashing and sealing take their time there).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct Encoded {
    id: String,
    username: String,
    password_hash: String,
    role: String,
    region_code: Option<String>,
    county_code: Option<String>,
    organization_id: Option<String>,
    display_name: Option<String>,
    work_unit: Option<String>,
    real_name_enc: Option<String>,
    phone_enc: Option<String>,
    id_number_enc: Option<String>,
    id_number_index: Option<String>,
    valid_until: Option<NaiveDateTime>,
    disabled: bool,
    password_change_required: bool,
    created_by: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The row of a new account, its personal columns sealed and its ID number indexed.
pub fn encode(keys: &DataKeys, user: &User, password_hash: &str) -> Encoded {
    Encoded {
        id: user.id.clone(),
        username: user.username.clone(),
        password_hash: password_hash.to_owned(),
        role: user.role.as_str().to_owned(),
        region_code: user.region.as_ref().map(ToString::to_string),
        county_code: user
            .region
            .as_ref()
            .and_then(RegionCode::county)
            .map(String::from),
        organization_id: user.organization_id.clone(),
        display_name: user.display_name.clone(),
        work_unit: user.work_unit.clone(),
        real_name_enc: user
            .real_name
            .as_ref()
            .map(|v| keys.encrypt(v.expose(), AAD_REAL_NAME)),
        phone_enc: user
            .phone
            .as_ref()
            .map(|v| keys.encrypt(v.expose(), AAD_PHONE)),
        id_number_enc: user
            .id_number
            .as_ref()
            .map(|v| keys.encrypt(v.expose(), AAD_ID_NUMBER)),
        id_number_index: user
            .id_number
            .as_ref()
            .map(|v| keys.blind_index(INDEX_ID_NUMBER, v.expose())),
        valid_until: user.valid_until,
        disabled: user.disabled,
        password_change_required: user.password_change_required,
        created_by: user.created_by.clone(),
        created_at: user.created_at,
        updated_at: user.created_at,
    }
}

/// Which unique value of a new account is already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicate {
    Username,
    IdNumber,
}

pub fn insert(conn: &mut DbConn, user: &Encoded) -> Result<(), PersistenceError> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)?;
    Ok(())
}

/// Which unique value of `user` is already taken, if any, and the id of the account that
/// holds it (checked before inserting, inside the same write transaction, so the answer can
/// name the field, and a refused sign-up can be recorded on the holder's account).
pub fn duplicate_of(
    conn: &mut DbConn,
    user: &Encoded,
) -> Result<Option<(Duplicate, String)>, PersistenceError> {
    let holder: Option<String> = users::table
        .filter(users::username.eq(&user.username))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(id) = holder {
        return Ok(Some((Duplicate::Username, id)));
    }
    if let Some(index) = &user.id_number_index {
        let holder: Option<String> = users::table
            .filter(users::id_number_index.eq(index))
            .select(users::id)
            .first(conn)
            .optional()?;
        if let Some(id) = holder {
            return Ok(Some((Duplicate::IdNumber, id)));
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

pub fn find(
    conn: &mut DbConn,
    keys: &DataKeys,
    id: &str,
) -> Result<Option<User>, PersistenceError> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(|row| User::try_from(Keyed::new(row, keys)))
        .transpose()
}

/// An account by its (normalised) username and the hash of its password, for the password
/// grant.
pub fn find_with_password(
    conn: &mut DbConn,
    keys: &DataKeys,
    username: &str,
) -> Result<Option<(User, String)>, PersistenceError> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(|row| {
            let hash = row.password_hash.clone();
            User::try_from(Keyed::new(row, keys)).map(|u| (u, hash))
        })
        .transpose()
}

/// Whether the account exists and may act at `now` (the standing check of every request:
/// one lookup by primary key, nothing decrypted).
pub fn in_good_standing(
    conn: &mut DbConn,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let standing: Option<(bool, Option<NaiveDateTime>)> = users::table
        .find(id)
        .select((users::disabled, users::valid_until))
        .first(conn)
        .optional()?;
    Ok(standing.is_some_and(|(disabled, until)| !disabled && until.is_none_or(|t| t > now)))
}

pub fn count(conn: &mut DbConn) -> Result<i64, PersistenceError> {
    Ok(users::table.count().get_result(conn)?)
}

#[derive(Debug, Clone)]
pub struct UserQuery {
    /// Only users bound to a place in this subtree (`None`: all users).
    pub within: Option<RegionCode>,
    pub role: Option<Role>,
    pub page: PageRequest<String>,
}

pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    q: &UserQuery,
) -> Result<Page<User>, PersistenceError> {
    let mut query = crate::keyset_in_subtree!(
        users::table
            .select(UserRow::as_select())
            .order(users::id)
            .limit(q.page.fetch())
            .into_boxed(),
        region = users::region_code,
        within = q.within.as_ref(),
        key = users::id,
        after = q.page.after.as_ref(),
    );
    if let Some(role) = q.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    let rows = query
        .load(conn)?
        .into_iter()
        .map(|row| User::try_from(Keyed::new(row, keys)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(rows, q.page.limit, |u| u.id.clone()))
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

/// Replaces the account's password hash; `change_required` marks a reset (the account must
/// change it at its next login) or clears the mark (the account chose it). `false` if there
/// is no such account.
pub fn set_password(
    conn: &mut DbConn,
    id: &str,
    password_hash: &str,
    change_required: bool,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    Ok(diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::password_change_required.eq(change_required),
            users::updated_at.eq(now),
        ))
        .execute(conn)?
        == 1)
}

/// An account by id and the hash of its password, for a change that must check the
/// current one.
pub fn find_by_id_with_password(
    conn: &mut DbConn,
    keys: &DataKeys,
    id: &str,
) -> Result<Option<(User, String)>, PersistenceError> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(|row| {
            let hash = row.password_hash.clone();
            User::try_from(Keyed::new(row, keys)).map(|u| (u, hash))
        })
        .transpose()
}

/// An account by its (normalised) username.
pub fn find_by_username(
    conn: &mut DbConn,
    keys: &DataKeys,
    username: &str,
) -> Result<Option<User>, PersistenceError> {
    Ok(find_with_password(conn, keys, username)?.map(|(u, _)| u))
}
