//! `POST /api/v1/users/{id}/disable` and `/enable`: an account taken out of service (an
//! official who left, a compromised login) and back. Disabling revokes the account's refresh
//! tokens and, through [`crate::auth::standing`], refuses its access tokens at once in this
//! process and within seconds in every other.

use actix_web::{post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, Role};
use domain::region::RegionCode;
use persistence::identity::{refresh_tokens, users as store};
use persistence::write_transaction;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn};
use crate::personal::Disclosure;
use crate::routes::users::{UserView, visible};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(change_user_status);
}

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
    let disable = match action.as_str() {
        "disable" => true,
        "enable" => false,
        _ => return Err(ApiError::not_found()),
    };
    caller
        .may(Action::ManageUsers)
        .map_err(|_| ApiError::forbidden())?;
    if caller.id() == id {
        return Err(ApiError::conflict(
            "不能停用或启用自己的账号。",
            "You cannot disable or enable your own account.",
        ));
    }
    let principal = caller.principal.clone();
    let record = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let target = store::find(conn, &id)?
                    .filter(|u| visible(&principal, u))
                    .ok_or_else(ApiError::not_found)?;
                let role = Role::parse(&target.role).map_err(|e| ApiError::internal(e.code))?;
                let region = target
                    .region_code
                    .as_deref()
                    .map(RegionCode::parse)
                    .transpose()
                    .map_err(|e| ApiError::internal(e.code))?;
                let manages = principal.is_admin()
                    || principal.role().is_some_and(|own| {
                        own.may_create(role, principal.region.as_ref(), region.as_ref())
                    });
                if !manages {
                    return Err(ApiError::forbidden());
                }
                let now = chrono::Utc::now().naive_utc();
                store::set_disabled(conn, &target.id, disable, now)?;
                let revoked = if disable {
                    refresh_tokens::revoke_all_of(conn, &target.id, now)?
                } else {
                    0
                };
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    if disable {
                        "user.disable"
                    } else {
                        "user.enable"
                    },
                    Some(("user", &target.id)),
                    region.as_ref(),
                    true,
                    Some(serde_json::json!({"refresh_tokens_revoked": revoked})),
                )?;
                store::find(conn, &target.id)?.ok_or_else(ApiError::not_found)
            })
        })
        .await?;
    state.standing.set_user(&record.id, !record.disabled);
    Ok(web::Json(UserView::build(
        &record,
        &state.data_keys,
        Disclosure::MASKED,
    )?))
}
