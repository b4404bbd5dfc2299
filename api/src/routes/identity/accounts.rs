//! `/api/v1/accounts` (self sign-up of donors, volunteers and organisation members) and
//! `/api/v1/me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::views::{SignUp, SignUpReceived, UserView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::reveal::RevealParams;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::identity::accounts as service;
use crate::state::AppState;

/// Sign up as a donor, volunteer or organisation member. The answer is the same whether
/// the account was made or its username or ID number was already taken (then nothing is
/// made and the holder's account gets an audit event): log in to use the new account.
#[utoipa::path(
    tag = "users", operation_id = "sign_up",
    request_body = SignUp,
    responses(
        (status = 202, description = "Sign-up received; log in with the chosen username and password", body = SignUpReceived,
            example = json!({"status": "received"})),
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
    state
        .call(move |conn| service::sign_up(conn, &keys, &meta, draft))
        .await?;
    Ok(HttpResponse::Accepted().json(SignUpReceived::default()))
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
