//! A household's status over time: transitions under the exit rule (the poverty lines in
//! force per year), and the history of who changed what, when and why.

use chrono::Utc;

use domain::identity::Principal;
use domain::registry::{PovertyLines, RegisteredHousehold, StatusChange, Transition};
use persistence::crypto::DataKeys;
use persistence::registry::households as store;
use persistence::{DbConn, write_transaction};

use super::households::load;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Changes a household's status: 409 `invalid_transition` when its status does not allow
/// the action, 409 `exit_conditions_unmet` when an exit does not meet the standard.
pub fn transition(
    conn: &mut DbConn,
    keys: &DataKeys,
    lines: &PovertyLines,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    t: Transition,
) -> ServiceResult<RegisteredHousehold> {
    write_transaction(conn, |conn| {
        let current = load(conn, keys, who, id)?;
        let from = current.household.status;
        let mut household = current.household.clone();
        household.apply(t.action, t.year, lines)?;
        let now = Utc::now();
        let next = current.revised(household, Some(who.id().to_owned()), now);
        if !store::set_status(conn, &next, current.version)? {
            return Err(ServiceError::precondition_failed());
        }
        let updated = load(conn, keys, who, id)?;
        let change = updated.status_change(Some(from), t.reason, Some(who.id().to_owned()), now);
        store::record_status_change(conn, &change)?;
        let to = updated.household.status;
        Audit::by(who, "household.transition")
            .on("household", &updated.id)
            .at(&updated.household.region_code)
            .details(serde_json::json!({"from": from.as_str(), "to": to.as_str(), "action": t.action.as_str()}))
            .record(conn, meta)?;
        Ok(updated)
    })
}

/// The household's status changes, oldest first.
pub fn history(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
) -> ServiceResult<Vec<StatusChange>> {
    let entry = load(conn, keys, who, id)?;
    Ok(store::status_history(conn, &entry.id)?)
}
