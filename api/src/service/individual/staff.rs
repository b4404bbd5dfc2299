//! The people who named a unit, and the unit's (or an official's) decision on a claim.

use domain::identity::Principal;
use domain::individual::{AffiliationAction, AffiliationStatus, StaffClaim, speaks_for};
use persistence::crypto::DataKeys;
use persistence::individual::{self as store, StaffQuery};
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use super::work_unit::{WorkUnit, unit};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// What a list of a unit's claims asks for.
#[derive(Debug, Clone)]
pub struct StaffFilter {
    pub status: Option<AffiliationStatus>,
    pub page: PageRequest<String>,
}

/// The claims on unit `id` (its members; officials and evaluators of its place; 404 else).
pub fn list_staff(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
    filter: StaffFilter,
) -> ServiceResult<Page<StaffClaim>> {
    let org = unit(conn, keys, id)?;
    if !speaks_for(who, &org, false) {
        return Err(ServiceError::not_found());
    }
    let query = StaffQuery {
        organization_id: org.id,
        status: filter.status,
        page: filter.page,
    };
    Ok(store::list_staff(conn, &query)?)
}

/// Confirm or reject (with a reason) a pending claim on unit `id`.
pub fn decide_staff(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    (id, user_id): (&str, &str),
    action: AffiliationAction,
    reason: Option<&str>,
) -> ServiceResult<WorkUnit> {
    write_transaction(conn, |conn| {
        let org = unit(conn, keys, id)?;
        if !speaks_for(who, &org, true) {
            return Err(ServiceError::not_found());
        }
        let reason = match action {
            AffiliationAction::Reject => Some(domain::platform::parse_reason(reason)?),
            AffiliationAction::Confirm => None,
        };
        let claim = store::find(conn, user_id)?
            .filter(|c| c.organization_id == org.id)
            .ok_or_else(ServiceError::not_found)?;
        let decided = claim.decide(action, reason, who.id(), chrono::Utc::now().naive_utc())?;
        if !store::decide(conn, &decided, claim.status)? {
            return Err(ServiceError::conflict(
                "该单位确认申请已被处理或已更改，请刷新后重试。",
                "The claim was decided or changed meanwhile; reload and retry.",
            ));
        }
        Audit::by(who, format!("work_unit.{}", action.as_str()))
            .on("user", &decided.user_id)
            .at(&org.spec.region)
            .details(serde_json::json!({"organization_id": org.id}))
            .record(conn, meta)?;
        Ok(WorkUnit {
            claim: decided,
            unit: org,
        })
    })
}
