//! `POST /api/v1/users/{id}/disable` and `/enable`: an account taken out of service (an
//! official who left, a compromised login) and back. Disabling revokes the account's refresh
//! tokens and, through [`crate::auth::standing`], refuses its access tokens at once in this
//! process and within seconds in every other.

use actix_web::{post, web};

use domain::identity::{Action, StatusChange};

use super::views::UserView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn};
use crate::service::identity::user_status as service;
use crate::state::AppState;

/// `disable` or `enable` an account: admins any but their own; officials the officials and
/// cadres they may create (below them, in their region). Disabling again changes nothing.
#[utoipa::path(
    tag = "users", operation_id = "change_user_status", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id"), ("action" = String, Path, description = "`disable` or `enable`")),
    responses(
        (status = 200, description = "The account as it now is", body = UserView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn,
    )
)]
#[post("/users/{id}/{action}")]
pub async fn change_user_status(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
) -> Result<web::Json<UserView>, ApiError> {
    let (id, action) = path.into_inner();
    let change = StatusChange::parse(&action).ok_or_else(ApiError::not_found)?;
    caller.may(Action::ManageUsers)?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let user = state
        .call(move |conn| service::change(conn, &keys, &principal, &meta, &id, change))
        .await?;
    state.standing.set_user(&user.id, !user.disabled);
    Ok(web::Json(user.into()))
}
