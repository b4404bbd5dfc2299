//! The public-benefit brands and programmes (task 7), loaded as reference data.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::brands as b;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = b)]
pub struct BrandRow {
    pub id: String,
    pub code: String,
    pub name: String,
    /// `brand` or `programme`.
    pub kind: String,
    pub owner: String,
    pub description: String,
    pub target_group: Option<String>,
    pub builtin: bool,
    pub created_at: NaiveDateTime,
}

/// Every brand and programme, by code.
pub fn all(conn: &mut DbConn) -> Result<Vec<BrandRow>, PersistenceError> {
    Ok(b::table
        .select(BrandRow::as_select())
        .order(b::code)
        .load(conn)?)
}
