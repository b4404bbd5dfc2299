//! People signing themselves up (donors, volunteers, organisation members), and anyone's
//! own account.

use domain::identity::{AccountDraft, Principal, User};
use persistence::crypto::DataKeys;
use persistence::identity::users::{self as store, Duplicate};
use persistence::{DbConn, write_transaction};

use super::users;
use crate::personal::Disclosure;
use crate::service::audit::Actor;
use crate::service::{Audit, ErrorCode, RequestMeta, ServiceError, ServiceResult};

/// Creates the account of someone signing up; audited under the username they chose.
///
/// The outcome is not told to the caller: a sign-up whose username or ID number another
/// account already holds writes no account, only an audit event `user.sign_up_refused` on
/// the holder's account (the field that was taken, never its value), so that the account's
/// owner and the officials can learn of it out of band while an anonymous caller cannot
/// probe who is registered. Both paths hash the password, so they take the same time.
pub fn sign_up(
    conn: &mut DbConn,
    keys: &DataKeys,
    meta: &RequestMeta,
    draft: AccountDraft,
) -> ServiceResult<()> {
    let username = draft.username.clone();
    let actor = Actor::Anonymous(Some(&username));
    match users::create_unless_taken(conn, keys, &actor, meta, draft) {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(taken)) => {
            let field = match taken.field {
                Duplicate::Username => "username",
                Duplicate::IdNumber => "id_number",
            };
            tracing::info!(holder = %taken.holder, field, "sign-up refused: already taken");
            write_transaction(conn, |conn| {
                Audit::new(actor.clone(), "user.sign_up_refused")
                    .on("user", &taken.holder)
                    .failed()
                    .details(serde_json::json!({"taken": field}))
                    .record(conn, meta)
            })
        }
        // A concurrent sign-up took the same value between the check and the insert.
        Err(e) if e.code() == ErrorCode::Conflict => {
            tracing::info!("sign-up refused: taken by a concurrent sign-up");
            Ok(())
        }
        Err(e) => Err(e),
    }
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
