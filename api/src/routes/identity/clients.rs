//! `/api/v1/clients`: integration clients (government systems, portals). Platform admins only.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, ClientDraft};

use super::views::{ClientPage, ClientView, CreateClient, CreatedClient};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::audit::Actor;
use crate::service::identity::clients as service;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_client)
        .service(list_clients)
        .service(get_client)
        .service(disable_client);
}

/// Register an integration client. The secret is in this answer only.
#[utoipa::path(
    tag = "clients", operation_id = "create_client", security(("bearer" = [])), request_body = CreateClient,
    responses(
        (status = 201, description = "Created; `client_secret` is shown this once", body = CreatedClient),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[post("/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<CreateClient>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ManageClients)?;
    let draft = ClientDraft::try_from(body.into_inner())?;
    let principal = caller.principal;
    let created = state
        .call(move |conn| service::create(conn, &Actor::Principal(&principal), &meta, draft))
        .await?;
    let created = CreatedClient::from(created);
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/clients/{}", created.client.id)))
        .json(created))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientListParams {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// List integration clients.
#[utoipa::path(
    tag = "clients", operation_id = "list_clients", security(("bearer" = [])), params(ClientListParams),
    responses(
        (status = 200, description = "A page of clients", body = ClientPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<ClientListParams>,
) -> Result<web::Json<ClientPage>, ApiError> {
    caller.may(Action::ManageClients)?;
    let page = QueryReader::new().page(params.limit, params.cursor.as_deref())?;
    let principal = caller.principal;
    let page = state
        .call(move |conn| service::list(conn, &principal, page))
        .await?;
    Ok(web::Json(page.into()))
}

/// One integration client.
#[utoipa::path(
    tag = "clients", operation_id = "get_client", security(("bearer" = [])), params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client", body = ClientView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/clients/{id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ClientView>, ApiError> {
    caller.may(Action::ManageClients)?;
    let principal = caller.principal;
    let client = state
        .call(move |conn| service::get(conn, &principal, &id))
        .await?;
    Ok(web::Json(client.into()))
}

/// Disable an integration client: it can get no new tokens (those it holds expire within
/// the access-token lifetime).
#[utoipa::path(
    tag = "clients", operation_id = "disable_client", security(("bearer" = [])), params(("id" = String, Path, description = "Client id")),
    responses(
        (status = 204, description = "Disabled"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/clients/{id}")]
pub async fn disable_client(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::ManageClients)?;
    let (principal, client_id) = (caller.principal, id.clone());
    state
        .call(move |conn| service::disable(conn, &principal, &meta, &id))
        .await?;
    state.standing.disable_client(&client_id);
    Ok(HttpResponse::NoContent().finish())
}
