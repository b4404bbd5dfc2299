//! `POST /api/v1/me/password` (a person changes their own password) and
//! `POST /api/v1/users/{id}/password` (an administrator or superior official resets one; the
//! account must change it at its next login).

use actix_web::{HttpRequest, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use domain::identity::{Action, NewPassword, PasswordChange};

use super::tokens::TokenResponse;
use super::views::UserView;
use crate::auth::caller::{Caller, PasswordOwner, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::identity::passwords as service;
use crate::state::AppState;

/// `POST /me/password` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"current": "Fupin-2026-ln", "new": "Liaoning-2027-fp"}))]
pub struct ChangePassword {
    /// The password in use (after a reset: the one the administrator gave).
    pub current: String,
    /// 10 to 128 characters, at least two kinds of letters, digits, other characters; not
    /// the current one.
    pub new: String,
}

/// `POST /users/{id}/password` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"new": "Temp-2026-reset"}))]
pub struct ResetPassword {
    /// A temporary password to hand to the person; the policy applies.
    pub new: String,
}

/// Change your own password.
///
/// The current password must match and the new one pass the password policy (422 naming
/// `current` or `new` otherwise). Every refresh token of the account is revoked; the answer
/// is a new login (access and refresh token) for the caller, so every other session ends at
/// its next refresh. This is also the one operation a token issued after a reset
/// (`password_change_required: true`) may call. Audited.
#[utoipa::path(
    tag = "users", operation_id = "change_my_password", security(("bearer" = [])),
    request_body = ChangePassword,
    responses(
        (status = 200, description = "Changed; a new login for the caller", body = TokenResponse),
        Always, SignedIn, WithBody,
    )
)]
#[post("/me/password")]
pub async fn change_my_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    PasswordOwner(caller): PasswordOwner,
    meta: RequestMeta,
    body: web::Json<ChangePassword>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.into_inner();
    let change = PasswordChange::parse(&body.current, &body.new)?;
    // Guessing the current password with a stolen access token is a login attempt.
    let from = crate::http::client_ip::of(&req);
    state
        .login_limiter
        .check(&format!("user:{}", caller.id()), from)?;
    let (tokens, keys, principal) = (
        state.tokens.clone(),
        state.data_keys.clone(),
        caller.principal,
    );
    let issued = state
        .call(move |conn| service::change_own(conn, &tokens, &keys, &principal, &meta, change))
        .await?;
    Ok(web::Json(issued.into()))
}

/// Reset an account's password.
///
/// Platform admins may reset any account but their own; officials the officials and cadres
/// they may create (below them, in their region). The account's refresh tokens are revoked
/// and its next login gets only an access token that may change the password
/// (`password_change_required: true` in the token answer; any other operation answers 403
/// `password_change_required`). Audited.
#[utoipa::path(
    tag = "users", operation_id = "reset_user_password", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id")),
    request_body = ResetPassword,
    responses(
        (status = 200, description = "The account, with `password_change_required: true`", body = UserView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn, WithBody,
    )
)]
#[post("/users/{id}/password")]
pub async fn reset_user_password(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<ResetPassword>,
) -> Result<web::Json<UserView>, ApiError> {
    let new = NewPassword::parse(&body.new, "new").map_err(|e| ApiError::validation(vec![e]))?;
    caller.may(Action::ManageUsers)?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let user = state
        .call(move |conn| service::reset(conn, &keys, &principal, &meta, &id, new))
        .await?;
    Ok(web::Json(user.into()))
}
