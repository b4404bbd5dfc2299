//! The audit log: who did what to which object, when, from where. Append-only (the database
//! refuses updates and deletes). Written in the same transaction as the change it records;
//! rows decode into [`domain::identity::AuditEvent`].

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::identity::{ActorKind, AuditEvent, Outcome, Role};
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::audit_events as ae;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ae)]
struct AuditRow {
    id: String,
    occurred_at: NaiveDateTime,
    actor_kind: String,
    actor_id: Option<String>,
    actor_role: Option<String>,
    action: String,
    object_type: Option<String>,
    object_id: Option<String>,
    region_code: Option<String>,
    /// The county of the place, for sharding by county.
    county_code: Option<String>,
    outcome: String,
    ip: Option<String>,
    request_id: Option<String>,
    details: Option<String>,
}

impl AuditRow {
    fn of(e: &AuditEvent) -> Self {
        AuditRow {
            id: e.id.clone(),
            occurred_at: e.occurred_at,
            actor_kind: e.actor_kind.as_str().to_owned(),
            actor_id: e.actor_id.clone(),
            actor_role: e.actor_role.map(|r| r.as_str().to_owned()),
            action: e.action.clone(),
            object_type: e.object_type.clone(),
            object_id: e.object_id.clone(),
            region_code: e.place.as_ref().map(ToString::to_string),
            county_code: e
                .place
                .as_ref()
                .and_then(RegionCode::county)
                .map(String::from),
            outcome: e.outcome.as_str().to_owned(),
            ip: e.ip.clone(),
            request_id: e.request_id.clone(),
            details: e.details.clone(),
        }
    }
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = PersistenceError;

    fn try_from(r: AuditRow) -> Result<Self, PersistenceError> {
        Ok(AuditEvent {
            id: r.id,
            occurred_at: r.occurred_at,
            actor_kind: ActorKind::parse(&r.actor_kind)?,
            actor_id: r.actor_id,
            actor_role: r.actor_role.as_deref().map(Role::parse).transpose()?,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            place: r
                .region_code
                .as_deref()
                .map(RegionCode::parse)
                .transpose()?,
            outcome: Outcome::parse(&r.outcome)?,
            ip: r.ip,
            request_id: r.request_id,
            details: r.details,
        })
    }
}

pub fn record(conn: &mut DbConn, event: &AuditEvent) -> Result<(), PersistenceError> {
    diesel::insert_into(ae::table)
        .values(AuditRow::of(event))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct AuditQuery {
    /// Only events about places in this subtree (`None`: every event).
    pub within: Option<RegionCode>,
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub page: PageRequest<String>,
}

/// A page of the log, oldest first.
pub fn list(conn: &mut DbConn, q: &AuditQuery) -> Result<Page<AuditEvent>, PersistenceError> {
    let mut query = crate::keyset_in_subtree!(
        ae::table
            .select(AuditRow::as_select())
            .order(ae::id)
            .limit(q.page.fetch())
            .into_boxed(),
        region = ae::region_code,
        within = q.within.as_ref(),
        key = ae::id,
        after = q.page.after.as_ref(),
    );
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
    let rows = query
        .load(conn)?
        .into_iter()
        .map(AuditEvent::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(rows, q.page.limit, |e| e.id.clone()))
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
