//! An account taken out of service (an official who left, a compromised login) and back.
//! Disabling revokes the account's refresh tokens; the caller also marks the new standing,
//! so access tokens already issued are refused at once.

use domain::identity::{Action, Principal, StatusChange, User};
use persistence::crypto::DataKeys;
use persistence::identity::{refresh_tokens, users as store};
use persistence::{DbConn, write_transaction};

use super::users::load;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Disables or enables the account `id`: admins any but their own; officials the officials
/// and cadres they may create (below them, in their region). Repeating a change changes
/// nothing but the audit log.
pub fn change(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    change: StatusChange,
) -> ServiceResult<User> {
    who.may(Action::ManageUsers)?;
    if who.id() == id {
        return Err(ServiceError::conflict(
            "不能停用或启用自己的账号。",
            "You cannot disable or enable your own account.",
        ));
    }
    write_transaction(conn, |conn| {
        let target = load(conn, keys, who, id)?;
        if !target.manageable_by(who) {
            return Err(ServiceError::forbidden());
        }
        let now = chrono::Utc::now().naive_utc();
        store::set_disabled(conn, &target.id, change.disables(), now)?;
        let revoked = if change.disables() {
            refresh_tokens::revoke_all_of(conn, &target.id, now)?
        } else {
            0
        };
        Audit::by(who, format!("user.{}", change.as_str()))
            .on("user", &target.id)
            .at_maybe(target.region.as_ref())
            .details(serde_json::json!({"refresh_tokens_revoked": revoked}))
            .record(conn, meta)?;
        store::find(conn, keys, &target.id)?.ok_or_else(ServiceError::not_found)
    })
}
