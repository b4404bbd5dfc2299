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

use crate::schema::programme_records as pr;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pr)]
pub struct ProgrammeRecordRow {
    pub id: String,
    pub household_id: String,
    pub region_code: String,
    pub programme: String,
    pub happened_on: NaiveDate,
    pub course: Option<String>,
    pub subsidy_fen: Option<i64>,
    pub amount_fen: Option<i64>,
    pub term_months: Option<i32>,
    pub from_region_code: Option<String>,
    pub to_region_code: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_brand(conn: &mut DbConn, row: &BrandRow) -> Result<(), PersistenceError> {
    diesel::insert_into(b::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find_brand_by_code(
    conn: &mut DbConn,
    code: &str,
) -> Result<Option<BrandRow>, PersistenceError> {
    Ok(b::table
        .filter(b::code.eq(code))
        .select(BrandRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_programme_record(
    conn: &mut DbConn,
    row: &ProgrammeRecordRow,
) -> Result<(), PersistenceError> {
    diesel::insert_into(pr::table).values(row).execute(conn)?;
    Ok(())
}

/// A household's programme records, oldest first.
pub fn programme_records_of(
    conn: &mut DbConn,
    household_id: &str,
) -> Result<Vec<ProgrammeRecordRow>, PersistenceError> {
    Ok(pr::table
        .filter(pr::household_id.eq(household_id))
        .order(pr::id)
        .select(ProgrammeRecordRow::as_select())
        .load(conn)?)
}

use crate::schema::campaign_participants as cp;

/// Adds a participant to a campaign (again is a no-op).
pub fn join_campaign(
    conn: &mut DbConn,
    campaign_id: &str,
    user_id: &str,
    organization_id: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), PersistenceError> {
    crate::on_backend!(conn, |c| {
        diesel::insert_into(cp::table)
            .values((
                cp::campaign_id.eq(campaign_id),
                cp::user_id.eq(user_id),
                cp::organization_id.eq(organization_id),
                cp::joined_at.eq(at),
            ))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(())
}

pub fn participant_count(conn: &mut DbConn, campaign_id: &str) -> Result<i64, PersistenceError> {
    Ok(cp::table
        .filter(cp::campaign_id.eq(campaign_id))
        .count()
        .get_result(conn)?)
}
