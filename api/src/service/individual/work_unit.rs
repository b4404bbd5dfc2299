//! A person names their work unit, reads it, withdraws it.

use domain::identity::{Action, Principal};
use domain::individual::{WorkUnitClaim, check_work_unit};
use domain::social_org::Organization;
use persistence::crypto::DataKeys;
use persistence::individual as store;
use persistence::{DbConn, write_transaction};

use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// A claim and the unit it names.
#[derive(Debug, Clone)]
pub struct WorkUnit {
    pub claim: WorkUnitClaim,
    pub unit: Organization,
}

/// The organisation `id` (404 if unknown).
pub(super) fn unit(conn: &mut DbConn, keys: &DataKeys, id: &str) -> ServiceResult<Organization> {
    persistence::social_org::find(conn, keys, id)?.ok_or_else(ServiceError::not_found)
}

/// Name the caller's work unit (donors and volunteers): pending until the unit confirms;
/// naming another unit starts again, naming the same one again changes nothing.
pub fn claim_work_unit(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    organization_id: &str,
) -> ServiceResult<WorkUnit> {
    who.may(Action::TakePartAsIndividual)?;
    write_transaction(conn, |conn| {
        let unit =
            persistence::social_org::find(conn, keys, organization_id)?.ok_or_else(|| {
                ServiceError::field(
                    "organization_id",
                    "unknown_organization",
                    "no such organisation",
                    "没有该组织",
                )
            })?;
        check_work_unit(unit.spec.kind, unit.status, "organization_id")?;
        // Naming the same unit again (a retried PUT) changes nothing: a confirmed person
        // stays confirmed.
        if let Some(same) = store::find(conn, who.id())?.filter(|c| c.organization_id == unit.id) {
            return Ok(WorkUnit { claim: same, unit });
        }
        let claim = WorkUnitClaim::new(who.id(), &unit.id, chrono::Utc::now().naive_utc());
        store::claim(conn, &claim)?;
        Audit::by(who, "work_unit.claim")
            .on("organization", &unit.id)
            .at(&unit.spec.region)
            .record(conn, meta)?;
        Ok(WorkUnit { claim, unit })
    })
}

/// The caller's work unit and its confirmation.
pub fn get_work_unit(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
) -> ServiceResult<WorkUnit> {
    let claim = store::find(conn, who.id())?.ok_or_else(ServiceError::not_found)?;
    let unit = unit(conn, keys, &claim.organization_id)?;
    Ok(WorkUnit { claim, unit })
}

/// The caller stops naming a work unit.
pub fn withdraw_work_unit(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
) -> ServiceResult<()> {
    write_transaction(conn, |conn| {
        if !store::withdraw(conn, who.id())? {
            return Err(ServiceError::not_found());
        }
        Audit::by(who, "work_unit.withdraw")
            .on("user", who.id())
            .record(conn, meta)
    })
}
