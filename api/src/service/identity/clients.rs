//! Integration clients: registered by platform admins (or the command line), listed,
//! read and disabled. A new client's secret is made here, shown once and stored hashed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use domain::FieldError;
use domain::identity::{Action, Client, ClientDraft, Principal};
use persistence::identity::clients as store;
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use crate::auth::password;
use crate::service::audit::Actor;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// A client just registered, with its secret (in this answer only).
#[derive(Debug)]
pub struct CreatedClient {
    pub client: Client,
    pub secret: String,
}

/// Registers a client. `by` is a platform admin, or the platform itself (the command line).
pub fn create(
    conn: &mut DbConn,
    by: &Actor<'_>,
    meta: &RequestMeta,
    draft: ClientDraft,
) -> ServiceResult<CreatedClient> {
    let created_by = match by {
        Actor::Principal(p) => {
            p.may(Action::ManageClients)?;
            Some(p.id().to_owned())
        }
        _ => None,
    };
    if let Some(region) = &draft.region
        && persistence::region::find(conn, region)?.is_none()
    {
        return Err(FieldError::new(
            "region_code",
            "unknown_region",
            format!("no region {region}"),
            format!("行政区划 {region} 不存在"),
        )
        .into());
    }
    let secret = new_secret()?;
    let secret_hash = password::hash(&secret)?;
    let id = uuid::Uuid::now_v7().to_string();
    let client = Client::register(draft, id, created_by, chrono::Utc::now().naive_utc());
    write_transaction(conn, |conn| {
        store::insert(conn, &client, &secret_hash)?;
        Audit::new(by.clone(), "client.create")
            .on("client", &client.id)
            .at_maybe(client.region.as_ref())
            .details(serde_json::json!({"scopes": client.scopes.to_string()}))
            .record(conn, meta)
    })?;
    Ok(CreatedClient { client, secret })
}

fn new_secret() -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| ServiceError::internal(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    page: PageRequest<String>,
) -> ServiceResult<Page<Client>> {
    who.may(Action::ManageClients)?;
    Ok(store::list(conn, &page)?)
}

pub fn get(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Client> {
    who.may(Action::ManageClients)?;
    store::find(conn, id)?.ok_or_else(ServiceError::not_found)
}

/// Disables a client: it gets no new tokens (those it holds expire within the access-token
/// lifetime; the caller also marks it in the standing cache).
pub fn disable(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
) -> ServiceResult<()> {
    who.may(Action::ManageClients)?;
    write_transaction(conn, |conn| {
        if !store::set_disabled(conn, id, true)? {
            return Err(ServiceError::not_found());
        }
        Audit::by(who, "client.disable")
            .on("client", id)
            .record(conn, meta)
    })
}
