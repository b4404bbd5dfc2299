//! Stored first responses for `Idempotency-Key` on POST, replayed for 24 hours. A claim is
//! a lease: while its request runs, others with the key wait (409); a claim left without an
//! answer for [`LEASE_SECONDS`] (its request or its process is gone: the database failed
//! before the claim could be released, the process was killed) is taken over by the next
//! request with the key, so a retry never stays stuck.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::idempotency_keys as ik;
use crate::{DbConn, PersistenceError, write_transaction};

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;
/// How long a claim without an answer holds the key against other requests.
pub const LEASE_SECONDS: i64 = 60;

/// A response recorded for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status_code: u16,
    /// JSON object of header name -> value, for the headers worth replaying.
    pub headers_json: String,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: process the request, then `complete` or `release` it.
    Fresh,
    /// A request with this key is still being processed.
    InProgress,
    /// The key was used with another request (method, path or body differ).
    Mismatch,
    /// The key was used with this very request: answer with the stored response.
    Replay(StoredResponse),
}

#[derive(Debug, Clone)]
pub struct KeyRef<'a> {
    /// Who used the key (keys of different callers never collide).
    pub scope: &'a str,
    pub key: &'a str,
}

type Existing = (
    String,
    Option<i32>,
    Option<String>,
    Option<Vec<u8>>,
    NaiveDateTime,
);

/// Claims a key for a request identified by `method`, `path` and `request_hash`.
pub fn claim(
    conn: &mut DbConn,
    key: &KeyRef<'_>,
    method: &str,
    path: &str,
    request_hash: &str,
    now: NaiveDateTime,
) -> Result<Claim, PersistenceError> {
    let cutoff = now - Duration::hours(RETENTION_HOURS);
    let fingerprint = format!("{method} {path} {request_hash}");
    let result = write_transaction(conn, |conn| -> Result<Claim, PersistenceError> {
        diesel::delete(ik::table.filter(ik::created_at.lt(cutoff))).execute(conn)?;
        let existing: Option<Existing> = ik::table
            .find((key.scope, key.key))
            .select((
                ik::request_hash,
                ik::status_code,
                ik::response_headers,
                ik::response_body,
                ik::created_at,
            ))
            .first(conn)
            .optional()?;
        if let Some((hash, status, headers, body, claimed_at)) = existing {
            if status.is_none() && claimed_at < now - Duration::seconds(LEASE_SECONDS) {
                return take_over(conn, key, method, path, &fingerprint, now);
            }
            if hash != fingerprint {
                return Ok(Claim::Mismatch);
            }
            return Ok(match status {
                None => Claim::InProgress,
                Some(code) => Claim::Replay(StoredResponse {
                    status_code: u16::try_from(code).unwrap_or(500),
                    headers_json: headers.unwrap_or_else(|| "{}".to_owned()),
                    body: body.unwrap_or_default(),
                }),
            });
        }
        diesel::insert_into(ik::table)
            .values((
                ik::scope.eq(key.scope),
                ik::idempotency_key.eq(key.key),
                ik::method.eq(method),
                ik::path.eq(path),
                ik::request_hash.eq(&fingerprint),
                ik::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(Claim::Fresh)
    });
    match result {
        // Two first requests at once on PostgreSQL: the loser sees the winner's key.
        Err(PersistenceError::Conflict { .. }) => Ok(Claim::InProgress),
        other => other,
    }
}

/// Claims a key whose earlier claim outlived its lease without an answer: its request never
/// completed, so there is nothing to replay and this request runs. One statement, so of
/// two retries at once only one takes the key over.
fn take_over(
    conn: &mut DbConn,
    key: &KeyRef<'_>,
    method: &str,
    path: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> Result<Claim, PersistenceError> {
    let taken = diesel::update(
        ik::table
            .find((key.scope, key.key))
            .filter(ik::status_code.is_null())
            .filter(ik::created_at.lt(now - Duration::seconds(LEASE_SECONDS))),
    )
    .set((
        ik::method.eq(method),
        ik::path.eq(path),
        ik::request_hash.eq(fingerprint),
        ik::created_at.eq(now),
    ))
    .execute(conn)?;
    Ok(if taken == 1 {
        Claim::Fresh
    } else {
        Claim::InProgress
    })
}

/// Records the response to a claimed key.
pub fn complete(
    conn: &mut DbConn,
    key: &KeyRef<'_>,
    response: &StoredResponse,
) -> Result<(), PersistenceError> {
    diesel::update(ik::table.find((key.scope, key.key)))
        .set((
            ik::status_code.eq(i32::from(response.status_code)),
            ik::response_headers.eq(&response.headers_json),
            ik::response_body.eq(&response.body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets a claimed key (the request failed in a way worth retrying).
pub fn release(conn: &mut DbConn, key: &KeyRef<'_>) -> Result<(), PersistenceError> {
    diesel::delete(
        ik::table
            .find((key.scope, key.key))
            .filter(ik::status_code.is_null()),
    )
    .execute(conn)?;
    Ok(())
}
