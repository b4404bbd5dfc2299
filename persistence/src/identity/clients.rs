//! Integration clients: government systems and portals that call the API as themselves.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::clients;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = clients)]
pub struct ClientRecord {
    pub id: String,
    pub name: String,
    pub secret_hash: String,
    /// Space-separated scopes.
    pub scopes: String,
    pub region_code: Option<String>,
    pub rate_limit_per_minute: Option<i32>,
    pub disabled: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, client: &ClientRecord) -> Result<(), PersistenceError> {
    diesel::insert_into(clients::table)
        .values(client)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<ClientRecord>, PersistenceError> {
    Ok(clients::table
        .find(id)
        .select(ClientRecord::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConn,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ClientRecord>, PersistenceError> {
    let mut query = clients::table
        .select(ClientRecord::as_select())
        .order(clients::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(clients::id.gt(after.to_owned()));
    }
    Ok(query.load(conn)?)
}

pub fn set_disabled(conn: &mut DbConn, id: &str, disabled: bool) -> Result<bool, PersistenceError> {
    let n = diesel::update(clients::table.find(id))
        .set(clients::disabled.eq(disabled))
        .execute(conn)?;
    Ok(n == 1)
}
