//! Integration clients: government systems and portals that call the API as themselves.
//! Rows decode into [`domain::identity::Client`]; the secret's hash never leaves here but
//! for the one check at the token endpoint.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::identity::{Client, Scopes};
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::clients;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
struct ClientRow {
    id: String,
    name: String,
    secret_hash: String,
    /// Space-separated scopes.
    scopes: String,
    region_code: Option<String>,
    rate_limit_per_minute: Option<i32>,
    disabled: bool,
    created_by: Option<String>,
    created_at: NaiveDateTime,
}

impl TryFrom<ClientRow> for Client {
    type Error = PersistenceError;

    fn try_from(r: ClientRow) -> Result<Self, PersistenceError> {
        Ok(Client {
            id: r.id,
            name: r.name,
            scopes: Scopes::parse(&r.scopes)?,
            region: r
                .region_code
                .as_deref()
                .map(RegionCode::parse)
                .transpose()?,
            rate_limit_per_minute: r.rate_limit_per_minute,
            disabled: r.disabled,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

/// Stores a new client with the hash of its secret.
pub fn insert(
    conn: &mut DbConn,
    client: &Client,
    secret_hash: &str,
) -> Result<(), PersistenceError> {
    let row = ClientRow {
        id: client.id.clone(),
        name: client.name.clone(),
        secret_hash: secret_hash.to_owned(),
        scopes: client.scopes.to_string(),
        region_code: client.region.as_ref().map(ToString::to_string),
        rate_limit_per_minute: client.rate_limit_per_minute,
        disabled: client.disabled,
        created_by: client.created_by.clone(),
        created_at: client.created_at,
    };
    diesel::insert_into(clients::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

fn find_row(conn: &mut DbConn, id: &str) -> Result<Option<ClientRow>, PersistenceError> {
    Ok(clients::table
        .find(id)
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Client>, PersistenceError> {
    find_row(conn, id)?.map(Client::try_from).transpose()
}

/// A client and the hash of its secret, for the client-credentials grant.
pub fn find_with_secret(
    conn: &mut DbConn,
    id: &str,
) -> Result<Option<(Client, String)>, PersistenceError> {
    find_row(conn, id)?
        .map(|row| {
            let hash = row.secret_hash.clone();
            Client::try_from(row).map(|c| (c, hash))
        })
        .transpose()
}

/// Whether the client exists and is not disabled (the standing check of every request).
pub fn enabled(conn: &mut DbConn, id: &str) -> Result<bool, PersistenceError> {
    let disabled: Option<bool> = clients::table
        .find(id)
        .select(clients::disabled)
        .first(conn)
        .optional()?;
    Ok(disabled == Some(false))
}

pub fn list(
    conn: &mut DbConn,
    page: &PageRequest<String>,
) -> Result<Page<Client>, PersistenceError> {
    let mut query = clients::table
        .select(ClientRow::as_select())
        .order(clients::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(after) = &page.after {
        query = query.filter(clients::id.gt(after.clone()));
    }
    let rows = query
        .load(conn)?
        .into_iter()
        .map(Client::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(rows, page.limit, |c| c.id.clone()))
}

/// Disables or enables a client; `false` if there is no such client.
pub fn set_disabled(conn: &mut DbConn, id: &str, disabled: bool) -> Result<bool, PersistenceError> {
    let n = diesel::update(clients::table.find(id))
        .set(clients::disabled.eq(disabled))
        .execute(conn)?;
    Ok(n == 1)
}
