//! People signing themselves up (donors, volunteers, organisation members), and anyone's
//! own account.

use domain::identity::{AccountDraft, Principal, User};
use persistence::DbConn;
use persistence::crypto::DataKeys;
use persistence::identity::users as store;

use super::users;
use crate::personal::Disclosure;
use crate::service::audit::Actor;
use crate::service::{RequestMeta, ServiceError, ServiceResult};

/// Creates the account of someone signing up; audited under the username they chose.
pub fn sign_up(
    conn: &mut DbConn,
    keys: &DataKeys,
    meta: &RequestMeta,
    draft: AccountDraft,
) -> ServiceResult<User> {
    let username = draft.username.clone();
    users::create(conn, keys, &Actor::Anonymous(Some(&username)), meta, draft)
}

/// The caller's own account (`reveal`: unmasked, audited). Integration clients have no
/// account; their identity is their client record (403).
pub fn me(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    reveal: bool,
) -> ServiceResult<(User, Disclosure)> {
    if who.role().is_none() {
        return Err(ServiceError::forbidden());
    }
    let user = store::find(conn, keys, who.id())?.ok_or_else(ServiceError::not_found)?;
    let disclosure = users::disclose(conn, who, meta, &user, reveal)?;
    Ok((user, disclosure))
}
