//! Refresh tokens: stored as hashes, rotated on every use; reuse of a spent token revokes
//! its whole family (the chain descended from one login), because it means the token leaked.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::refresh_tokens as rt;
use crate::{DbConn, PersistenceError, write_transaction};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The presented token was live; it is now spent and `new_hash` replaces it.
    Rotated { user_id: String, family_id: String },
    /// The presented token had been used before: the family is now revoked.
    Reused { user_id: String, family_id: String },
    /// Unknown, expired or revoked.
    Invalid,
}

pub fn issue(
    conn: &mut DbConn,
    token_hash: &str,
    family_id: &str,
    user_id: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    diesel::insert_into(rt::table)
        .values((
            rt::token_hash.eq(token_hash),
            rt::family_id.eq(family_id),
            rt::user_id.eq(user_id),
            rt::issued_at.eq(now),
            rt::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

type Row = (
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

/// Spends `presented_hash` and issues `new_hash` in its family, atomically. Two concurrent
/// uses of one token cannot both succeed: the spend is a conditional update, and the loser
/// is treated as reuse.
pub fn rotate(
    conn: &mut DbConn,
    presented_hash: &str,
    new_hash: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> Result<Rotation, PersistenceError> {
    write_transaction(conn, |conn| {
        let row: Option<Row> = rt::table
            .find(presented_hash)
            .select((
                rt::user_id,
                rt::family_id,
                rt::expires_at,
                rt::used_at,
                rt::revoked_at,
            ))
            .first(conn)
            .optional()?;
        let Some((user_id, family_id, expires, used_at, revoked_at)) = row else {
            return Ok(Rotation::Invalid);
        };
        if revoked_at.is_some() || expires <= now {
            return Ok(Rotation::Invalid);
        }
        let spent = used_at.is_none()
            && diesel::update(rt::table.find(presented_hash).filter(rt::used_at.is_null()))
                .set(rt::used_at.eq(now))
                .execute(conn)?
                == 1;
        if !spent {
            revoke_family(conn, &family_id, now)?;
            return Ok(Rotation::Reused { user_id, family_id });
        }
        issue(conn, new_hash, &family_id, &user_id, now, expires_at)?;
        Ok(Rotation::Rotated { user_id, family_id })
    })
}

/// Revokes every token of a family; returns how many were still unrevoked.
pub fn revoke_family(
    conn: &mut DbConn,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    Ok(diesel::update(
        rt::table
            .filter(rt::family_id.eq(family_id))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(now))
    .execute(conn)?)
}

/// The family of a token, if the token is known.
pub fn family_of(
    conn: &mut DbConn,
    token_hash: &str,
) -> Result<Option<(String, String)>, PersistenceError> {
    Ok(rt::table
        .find(token_hash)
        .select((rt::family_id, rt::user_id))
        .first(conn)
        .optional()?)
}

/// Revokes every unrevoked refresh token of a user (when the account is disabled); returns
/// how many.
pub fn revoke_all_of(
    conn: &mut DbConn,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<usize, PersistenceError> {
    Ok(diesel::update(
        rt::table
            .filter(rt::user_id.eq(user_id))
            .filter(rt::revoked_at.is_null()),
    )
    .set(rt::revoked_at.eq(now))
    .execute(conn)?)
}
