//! `/api/v1/accounts` (self sign-up of donors, volunteers and organisation members) and
//! `/api/v1/me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::views::{SignUp, UserView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::reveal::RevealParams;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::identity::accounts as service;
use crate::state::AppState;

/// Sign up as a donor or volunteer.
#[utoipa::path(
    tag = "users", operation_id = "sign_up",
    request_body = SignUp,
    responses(
        (status = 201, description = "Account created", body = UserView, headers(("Location" = String, description = "URL of the account"))),
        (status = 409, response = Conflict),
        Always, WithBody,
    )
)]
#[post("/accounts")]
pub async fn sign_up(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<SignUp>,
) -> Result<HttpResponse, ApiError> {
    let draft = body.into_inner().draft(chrono::Utc::now().naive_utc())?;
    let keys = state.data_keys.clone();
    let user = state
        .call(move |conn| service::sign_up(conn, &keys, &meta, draft))
        .await?;
    Ok(UserView::created(user))
}

/// The caller's own account (`?reveal=true` shows their own personal data, audited).
#[utoipa::path(
    tag = "users", operation_id = "get_me", security(("bearer" = [])), params(RevealParams),
    responses(
        (status = 200, description = "The caller's account", body = UserView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/me")]
pub async fn me(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    params: web::Query<RevealParams>,
) -> Result<HttpResponse, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let reveal = params.reveal.unwrap_or(false);
    let (user, disclosure) = state
        .call(move |conn| service::me(conn, &keys, &principal, &meta, reveal))
        .await?;
    Ok(etag::respond(&req, &UserView::new(user, disclosure)))
}
