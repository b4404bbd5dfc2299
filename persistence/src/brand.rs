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

use chrono::NaiveDate;

use crate::schema::{campaigns as c, donations as d};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
pub struct CampaignRow {
    pub id: String,
    pub brand_id: String,
    pub organization_id: String,
    pub kind: String,
    pub title: String,
    pub goal_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub target_group: Option<String>,
    /// Space-separated.
    pub region_codes: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn find_brand(conn: &mut DbConn, id: &str) -> Result<Option<BrandRow>, PersistenceError> {
    Ok(b::table
        .find(id)
        .select(BrandRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_campaign(conn: &mut DbConn, row: &CampaignRow) -> Result<(), PersistenceError> {
    diesel::insert_into(c::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_campaign(conn: &mut DbConn, id: &str) -> Result<Option<CampaignRow>, PersistenceError> {
    Ok(c::table
        .find(id)
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_campaigns(
    conn: &mut DbConn,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<CampaignRow>, PersistenceError> {
    let mut q = c::table
        .select(CampaignRow::as_select())
        .order(c::id)
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(c::id.gt(after.to_owned()));
    }
    Ok(q.load(conn)?)
}

/// The sum of the campaign's donations, in fen.
pub fn raised(conn: &mut DbConn, campaign_id: &str) -> Result<i64, PersistenceError> {
    let amounts: Vec<i64> = d::table
        .filter(d::campaign_id.eq(campaign_id))
        .select(d::amount_fen)
        .load(conn)?;
    Ok(amounts.iter().sum())
}
