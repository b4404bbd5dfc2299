//! What the API shows of identity: integration clients.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::DomainError;
use domain::identity::{Client, ClientDraft};

use crate::http::pagination::Page;
use crate::service::identity::clients::CreatedClient as Created;

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

impl From<Client> for ClientView {
    fn from(c: Client) -> Self {
        ClientView {
            id: c.id,
            name: c.name,
            scopes: c.scopes.to_string(),
            region_code: c.region.map(|r| r.to_string()),
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

impl From<Created> for CreatedClient {
    fn from(c: Created) -> Self {
        Self {
            client: c.client.into(),
            client_secret: c.secret,
        }
    }
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

impl TryFrom<CreateClient> for ClientDraft {
    type Error = DomainError;

    fn try_from(b: CreateClient) -> Result<Self, DomainError> {
        ClientDraft::parse(
            &b.name,
            &b.scopes,
            b.region_code.as_deref(),
            b.rate_limit_per_minute,
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Client>> for ClientPage {
    fn from(page: Page<Client>) -> Self {
        let page = page.map(ClientView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}
