//! Passwords people can keep: a person changes their own (knowing the current one; every
//! other login of the account ends), an administrator or a superior official resets one
//! (the account must change it at its next login), and the command line sets one. Every
//! change revokes the account's refresh tokens and is audited; no password is ever logged.

use domain::FieldError;
use domain::identity::{Action, NewPassword, PasswordChange, Principal, User};
use persistence::crypto::DataKeys;
use persistence::identity::{refresh_tokens, users as store};
use persistence::{DbConn, write_transaction};

use super::tokens::{Issued, start_session};
use super::users::load;
use crate::auth::jwt::TokenIssuer;
use crate::auth::password;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Changes the caller's own password: the current one must match, the new one pass the
/// policy and differ. Every refresh token of the account is revoked and the answer is a new
/// login (access and refresh token), so the session that changed it goes on and every other
/// ends at its next refresh. Clears a reset's mark. Slow on purpose (hashing): call it on
/// the blocking pool.
pub fn change_own(
    conn: &mut DbConn,
    tokens: &TokenIssuer,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    change: PasswordChange,
) -> ServiceResult<Issued> {
    let (user, hash) = store::find_by_id_with_password(conn, keys, who.id())?
        .ok_or_else(ServiceError::not_found)?;
    if !password::verify(&change.current, Some(&hash)) {
        Audit::by(who, "user.password_change")
            .on("user", &user.id)
            .at_maybe(user.region.as_ref())
            .failed()
            .record(conn, meta)?;
        return Err(FieldError::new(
            "current",
            "incorrect",
            "the current password is not correct",
            "当前密码不正确",
        )
        .into());
    }
    let new_hash = password::hash(change.new.expose())?;
    let now = chrono::Utc::now().naive_utc();
    write_transaction(conn, |conn| {
        store::set_password(conn, &user.id, &new_hash, false, now)?;
        let revoked = refresh_tokens::revoke_all_of(conn, &user.id, now)?;
        let user = User {
            password_change_required: false,
            ..user.clone()
        };
        let issued = start_session(conn, tokens, &user, now)?;
        Audit::by(who, "user.password_change")
            .on("user", &user.id)
            .at_maybe(user.region.as_ref())
            .details(serde_json::json!({"refresh_tokens_revoked": revoked}))
            .record(conn, meta)?;
        Ok(issued)
    })
}

/// Resets the password of account `id` (404 outside the caller's reach, 403 when the caller
/// may not manage it or it is their own): its refresh tokens are revoked and its next login
/// may only change the password.
pub fn reset(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    new: NewPassword,
) -> ServiceResult<User> {
    who.may(Action::ManageUsers)?;
    let target = load(conn, keys, who, id)?;
    if !target.password_resettable_by(who) {
        return Err(ServiceError::forbidden());
    }
    let hash = password::hash(new.expose())?;
    write_transaction(conn, |conn| {
        let now = chrono::Utc::now().naive_utc();
        store::set_password(conn, &target.id, &hash, true, now)?;
        let revoked = refresh_tokens::revoke_all_of(conn, &target.id, now)?;
        Audit::by(who, "user.password_reset")
            .on("user", &target.id)
            .at_maybe(target.region.as_ref())
            .details(serde_json::json!({"refresh_tokens_revoked": revoked}))
            .record(conn, meta)?;
        store::find(conn, keys, &target.id)?.ok_or_else(ServiceError::not_found)
    })
}

/// Sets the password of the account named `username` as the platform (the command line):
/// its refresh tokens are revoked; with `change_required` its next login may only change
/// the password.
pub fn set_by_platform(
    conn: &mut DbConn,
    keys: &DataKeys,
    meta: &RequestMeta,
    username: &str,
    new: NewPassword,
    change_required: bool,
) -> ServiceResult<User> {
    let name = username.trim().to_lowercase();
    let target = store::find_by_username(conn, keys, &name)?.ok_or_else(|| {
        ServiceError::new(
            crate::service::ErrorCode::NotFound,
            format!("没有用户名为 {name} 的账号。"),
            format!("There is no account named {name}."),
        )
    })?;
    let hash = password::hash(new.expose())?;
    write_transaction(conn, |conn| {
        let now = chrono::Utc::now().naive_utc();
        store::set_password(conn, &target.id, &hash, change_required, now)?;
        let revoked = refresh_tokens::revoke_all_of(conn, &target.id, now)?;
        Audit::system("user.password_set")
            .on("user", &target.id)
            .at_maybe(target.region.as_ref())
            .details(serde_json::json!({
                "refresh_tokens_revoked": revoked,
                "password_change_required": change_required,
            }))
            .record(conn, meta)?;
        store::find(conn, keys, &target.id)?.ok_or_else(ServiceError::not_found)
    })
}
