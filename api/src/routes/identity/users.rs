//! `/api/v1/users`: accounts of officials, cadres, evaluators, organisation members, donors
//! and volunteers. Admins manage everyone; officials create and see the officials and cadres
//! below them, in their own region.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::identity::{Action, Role};

use super::views::{CreateUser, UserPage, UserView};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::query::QueryReader;
use crate::http::reveal::RevealParams;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::audit::Actor;
use crate::service::identity::users::{self as service, UserFilter};
use crate::state::AppState;

/// Create an account.
///
/// Platform admins may create anyone. An official may create officials and village cadres
/// of a lower level inside their own region (a county official: township officials and
/// village cadres of that county); anything else is 403.
#[utoipa::path(
    tag = "users", operation_id = "create_user", security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserView, headers(("Location" = String, description = "URL of the new account"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ManageUsers)?;
    let draft = body.into_inner().draft(chrono::Utc::now().naive_utc())?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let user = state
        .call(move |conn| service::create(conn, &keys, &Actor::Principal(&principal), &meta, draft))
        .await?;
    Ok(UserView::created(user))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Only accounts of this role.
    pub role: Option<String>,
    /// Only accounts bound to this region or below it.
    pub region: Option<String>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl UserListParams {
    fn filter(&self) -> Result<UserFilter, ApiError> {
        let mut q = QueryReader::new();
        let role = q.optional(self.role.as_deref(), "role", Role::parse);
        let region = q.region(self.region.as_deref());
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(UserFilter { role, region, page })
    }
}

/// List the accounts in the caller's jurisdiction (admins: all).
#[utoipa::path(
    tag = "users", operation_id = "list_users", security(("bearer" = [])), params(UserListParams),
    responses(
        (status = 200, description = "A page of accounts", body = UserPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<UserListParams>,
) -> Result<web::Json<UserPage>, ApiError> {
    caller.may(Action::ManageUsers)?;
    let (filter, principal) = (params.filter()?, caller.principal);
    let keys = state.data_keys.clone();
    let page = state
        .call(move |conn| service::list(conn, &keys, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
}

/// One account.
#[utoipa::path(
    tag = "users", operation_id = "get_user", security(("bearer" = [])),
    params(("id" = String, Path, description = "Account id"), RevealParams),
    responses(
        (status = 200, description = "The account", body = UserView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    params: web::Query<RevealParams>,
) -> Result<HttpResponse, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let reveal = params.reveal.unwrap_or(false);
    let (user, disclosure) = state
        .call(move |conn| service::get(conn, &keys, &principal, &meta, &id, reveal))
        .await?;
    Ok(etag::respond(&req, &UserView::new(user, disclosure)))
}
