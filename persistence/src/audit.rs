//! The audit log: who did what to which object, when, from where. Append-only (the database
//! refuses updates and deletes). Written in the same transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::audit_events as ae;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ae)]
pub struct AuditEvent {
    /// UUIDv7: time-ordered, so the log pages by id.
    pub id: String,
    pub occurred_at: NaiveDateTime,
    /// `user`, `client`, `anonymous` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub actor_role: Option<String>,
    /// Dotted verb: `user.create`, `auth.login`, `auth.login_failed`, `personal_data.reveal`...
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    /// The place the object belongs to, for jurisdiction-scoped reading of the log.
    pub region_code: Option<String>,
    pub county_code: Option<String>,
    /// `success` or `failure`.
    pub outcome: String,
    pub ip: Option<String>,
    pub request_id: Option<String>,
    /// JSON object with anything else worth keeping (never personal data).
    pub details: Option<String>,
}

pub fn record(conn: &mut DbConn, event: &AuditEvent) -> Result<(), PersistenceError> {
    diesel::insert_into(ae::table).values(event).execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only events about places in this subtree (`None`: every event).
    pub within: Option<RegionCode>,
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, q: &AuditQuery) -> Result<Vec<AuditEvent>, PersistenceError> {
    let mut query = ae::table
        .select(AuditEvent::as_select())
        .order(ae::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query
            .filter(ae::region_code.ge(low))
            .filter(ae::region_code.lt(high));
    }
    if let Some(v) = &q.actor_id {
        query = query.filter(ae::actor_id.eq(v.clone()));
    }
    if let Some(v) = &q.action {
        query = query.filter(ae::action.eq(v.clone()));
    }
    if let Some(v) = &q.object_type {
        query = query.filter(ae::object_type.eq(v.clone()));
    }
    if let Some(v) = &q.object_id {
        query = query.filter(ae::object_id.eq(v.clone()));
    }
    if let Some(from) = q.from {
        query = query.filter(ae::occurred_at.ge(from));
    }
    if let Some(to) = q.to {
        query = query.filter(ae::occurred_at.lt(to));
    }
    if let Some(after) = &q.after {
        query = query.filter(ae::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}

pub fn count_for_object(
    conn: &mut DbConn,
    action: &str,
    object_id: &str,
) -> Result<i64, PersistenceError> {
    Ok(ae::table
        .filter(ae::action.eq(action))
        .filter(ae::object_id.eq(object_id))
        .count()
        .get_result(conn)?)
}
