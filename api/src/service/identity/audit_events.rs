//! Reading the audit log: platform admins see every event; province officials and
//! region-bound clients with `audit:read` see the events about places in their subtree.

use domain::identity::{Action, AuditEvent, Principal};
use persistence::DbConn;
use persistence::identity::audit_events::{self as store, AuditQuery};
use persistence::page::{Page, PageRequest};

use crate::service::ServiceResult;
use crate::service::scope::scope_of;

/// What a read of the log asks for.
#[derive(Debug, Clone)]
pub struct AuditFilter {
    /// Only events by this actor (account or client id).
    pub actor_id: Option<String>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub from: Option<chrono::NaiveDateTime>,
    pub to: Option<chrono::NaiveDateTime>,
    pub page: PageRequest<String>,
}

/// A page of the events in the caller's jurisdiction, oldest first.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: AuditFilter,
) -> ServiceResult<Page<AuditEvent>> {
    who.may(Action::ReadAuditEvents)?;
    let query = AuditQuery {
        within: scope_of(who)?,
        actor_id: filter.actor_id,
        action: filter.action,
        object_type: filter.object_type,
        object_id: filter.object_id,
        from: filter.from,
        to: filter.to,
        page: filter.page,
    };
    Ok(store::list(conn, &query)?)
}
