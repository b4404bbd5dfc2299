//! `/api/v1/accounts` (self sign-up of donors and volunteers) and `/api/v1/me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::Role;
use persistence::identity::users as store;

use crate::audit::Actor;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::reveal::RevealParams;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::personal::Disclosure;
use crate::routes::users::{RawAccount, UserView, insert_account, reveal_user};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sign_up).service(me);
}

/// `POST /accounts` body. Only these fields: a region, an organisation, a role other than
/// donor or volunteer, or any other field is refused with 422.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "wang.donor", "password": "Aixin-2026-ln", "role": "donor", "display_name": "王先生", "phone": "13912345678"}))]
pub struct SignUp {
    pub username: String,
    pub password: String,
    /// `donor` or `volunteer`.
    pub role: String,
    /// Shown publicly instead of the username, if given.
    pub display_name: Option<String>,
    pub real_name: Option<String>,
    pub phone: Option<String>,
    /// For real-name registration (实名认证); one account per ID number.
    pub id_number: Option<String>,
}

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
    let b = body.into_inner();
    let role = Role::parse(&b.role);
    if !matches!(role, Ok(Role::Donor | Role::Volunteer | Role::OrgMember)) {
        return Err(ApiError::validation(vec![FieldError::new(
            "role",
            "not_allowed",
            "self sign-up is for donors, volunteers and organisation members (who then register their organisation); other accounts are created by officials",
            "自助注册仅限捐赠人、志愿者和单位经办人（注册后登记本单位）；其他账号由主管部门创建",
        )]));
    }
    let input = RawAccount {
        username: b.username,
        password: b.password,
        role: b.role,
        display_name: b.display_name,
        real_name: b.real_name,
        phone: b.phone,
        id_number: b.id_number,
        organization_to_follow: role == Ok(Role::OrgMember),
        ..RawAccount::default()
    }
    .validate()?;
    let keys = state.data_keys.clone();
    let username = input.username.clone();
    let record = state
        .db(move |conn| {
            insert_account(
                conn,
                &keys,
                input,
                &Actor::Anonymous(Some(&username)),
                &meta,
                None,
            )
        })
        .await?;
    let view = UserView::build(&record, &state.data_keys, Disclosure::MASKED)?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", record.id)))
        .json(view))
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
    if caller.role().is_none() {
        // Integration clients have no account; their identity is their client record.
        return Err(ApiError::forbidden());
    }
    let principal = caller.principal.clone();
    let reveal = params.reveal.unwrap_or(false);
    let (record, disclosure) = state
        .db(move |conn| {
            let record = store::find(conn, principal.id())?.ok_or_else(ApiError::not_found)?;
            let disclosure = if reveal {
                reveal_user(conn, &principal, &meta, &record)?
            } else {
                Disclosure::MASKED
            };
            Ok((record, disclosure))
        })
        .await?;
    Ok(etag::respond(
        &req,
        &UserView::build(&record, &state.data_keys, disclosure)?,
    ))
}
