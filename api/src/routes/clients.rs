//! `/api/v1/clients`: integration clients (government systems, portals). Platform admins only.

use actix_web::{HttpResponse, delete, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, Scopes};
use domain::region::RegionCode;
use persistence::DbConn;
use persistence::identity::clients::{self as store, ClientRecord};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::auth::password;
use crate::error::ApiError;
use crate::http::pagination;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_client)
        .service(list_clients)
        .service(get_client)
        .service(disable_client);
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "name": "阜新市扶贫数据交换", "scopes": "registry:read stats:read", "region_code": "210900", "rate_limit_per_minute": 6000, "disabled": false, "created_at": "2026-11-28T08:00:00Z"}))]
pub struct ClientView {
    /// Also the `client_id` of the client-credentials grant.
    pub id: String,
    pub name: String,
    /// Space-separated scopes.
    pub scopes: String,
    /// The client sees nothing outside this region.
    pub region_code: Option<String>,
    /// Raised per-minute request limit, if any.
    pub rate_limit_per_minute: Option<i32>,
    pub disabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&ClientRecord> for ClientView {
    fn from(c: &ClientRecord) -> Self {
        ClientView {
            id: c.id.clone(),
            name: c.name.clone(),
            scopes: c.scopes.clone(),
            region_code: c.region_code.clone(),
            rate_limit_per_minute: c.rate_limit_per_minute,
            disabled: c.disabled,
            created_at: c.created_at.and_utc(),
        }
    }
}

/// A new client with its secret: shown this once, stored only hashed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedClient {
    #[serde(flatten)]
    pub client: ClientView,
    pub client_secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "阜新市扶贫数据交换", "scopes": "registry:read stats:read", "region_code": "210900"}))]
pub struct CreateClient {
    pub name: String,
    /// Space- or comma-separated: `registry:read`, `registry:write`, `stats:read`,
    /// `platform:read`, `platform:write`, `export:read`, `audit:read`.
    pub scopes: String,
    /// Bind the client to a region: it sees nothing outside it.
    pub region_code: Option<String>,
    /// Raise the per-minute request limit for this client.
    pub rate_limit_per_minute: Option<i32>,
}

/// Validated `CreateClient`, shared with the command line.
#[derive(Debug)]
pub struct ClientInput {
    pub name: String,
    pub scopes: Scopes,
    pub region: Option<RegionCode>,
    pub rate_limit_per_minute: Option<i32>,
}

impl CreateClient {
    pub fn validate(self) -> Result<ClientInput, ApiError> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "length",
                "a name has 1 to 200 characters",
                "名称应为 1 到 200 个字符",
            ));
        }
        let scopes = Scopes::parse(&self.scopes)
            .map_err(|e| errors.push(e.for_field("scopes")))
            .ok();
        let region = self
            .region_code
            .as_deref()
            .map(RegionCode::parse)
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if self
            .rate_limit_per_minute
            .is_some_and(|r| !(1..=1_000_000).contains(&r))
        {
            errors.push(FieldError::new(
                "rate_limit_per_minute",
                "out_of_range",
                "between 1 and 1000000",
                "应在 1 到 1000000 之间",
            ));
        }
        match scopes {
            Some(scopes) if errors.is_empty() => Ok(ClientInput {
                name,
                scopes,
                region,
                rate_limit_per_minute: self.rate_limit_per_minute,
            }),
            _ => Err(ApiError::validation(errors)),
        }
    }
}

/// Creates a client and returns it with its one-time secret (hashing is slow: blocking pool).
pub fn insert_client(
    conn: &mut DbConn,
    input: ClientInput,
    actor: &Actor<'_>,
    meta: &RequestMeta,
    created_by: Option<String>,
) -> Result<CreatedClient, ApiError> {
    if let Some(region) = &input.region {
        persistence::region::find(conn, region)?.ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "region_code",
                "unknown_region",
                format!("no region {region}"),
                format!("行政区划 {region} 不存在"),
            )])
        })?;
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let record = ClientRecord {
        id: uuid::Uuid::now_v7().to_string(),
        name: input.name,
        secret_hash: password::hash(&secret)?,
        scopes: input.scopes.to_string(),
        region_code: input.region.as_ref().map(ToString::to_string),
        rate_limit_per_minute: input.rate_limit_per_minute,
        disabled: false,
        created_by,
        created_at: chrono::Utc::now().naive_utc(),
    };
    persistence::write_transaction(conn, |conn| {
        store::insert(conn, &record)?;
        audit::record(
            conn,
            actor,
            meta,
            "client.create",
            Some(("client", &record.id)),
            input.region.as_ref(),
            true,
            Some(serde_json::json!({"scopes": record.scopes})),
        )
    })?;
    Ok(CreatedClient {
        client: ClientView::from(&record),
        client_secret: secret,
    })
}

fn admin_only(caller: &Caller) -> Result<(), ApiError> {
    caller
        .may(Action::ManageClients)
        .map_err(|_| ApiError::forbidden())
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
    admin_only(&caller)?;
    let input = body.into_inner().validate()?;
    let principal = caller.principal.clone();
    let created = state
        .db(move |conn| {
            insert_client(
                conn,
                input,
                &Actor::Principal(&principal),
                &meta,
                Some(principal.id().to_owned()),
            )
        })
        .await?;
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientView>,
    pub next_cursor: Option<String>,
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
    admin_only(&caller)?;
    let page = pagination::PageRequest::<String>::parse(params.limit, params.cursor.as_deref())
        .map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    let (after, fetch) = (page.after.clone(), page.fetch());
    let rows = state
        .db(move |conn| Ok(store::list(conn, after.as_deref(), fetch)?))
        .await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |c| c.id.clone());
    Ok(web::Json(ClientPage {
        items: rows.iter().map(ClientView::from).collect(),
        next_cursor,
    }))
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
    admin_only(&caller)?;
    let record = state
        .db(move |conn| store::find(conn, &id)?.ok_or_else(ApiError::not_found))
        .await?;
    Ok(web::Json(ClientView::from(&record)))
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
    admin_only(&caller)?;
    let principal = caller.principal.clone();
    let client_id = id.clone();
    state
        .db(move |conn| {
            persistence::write_transaction(conn, |conn| {
                if !store::set_disabled(conn, &id, true)? {
                    return Err(ApiError::not_found());
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "client.disable",
                    Some(("client", &id)),
                    None,
                    true,
                    None,
                )
            })
        })
        .await?;
    state.standing.disable_client(&client_id);
    Ok(HttpResponse::NoContent().finish())
}
