//! Donations and their receipts. Receipt numbers come from one counter row per year,
//! advanced by an `UPDATE ... RETURNING` that locks the row, so concurrent donations never
//! share a number (and `receipt_number` is unique besides).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::region::RegionCode;

use crate::schema::{donations as d, organizations as o, receipt_counters as rc};
use crate::{DbConn, PersistenceError, on_backend};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = d)]
pub struct DonationRow {
    pub id: String,
    pub donor_id: String,
    pub donor_organization_id: Option<String>,
    pub organization_id: String,
    pub kind: String,
    pub amount_fen: i64,
    pub description: Option<String>,
    pub need_id: Option<String>,
    pub pledge_id: Option<String>,
    pub campaign_id: Option<String>,
    pub project_id: Option<String>,
    pub donated_on: NaiveDate,
    pub receipt_number: String,
    pub deductible: bool,
    pub deductible_fen: i64,
    pub non_deductible_fen: i64,
    pub issued_at: NaiveDateTime,
}

/// The next receipt sequence number of `year`; call inside the write transaction that
/// stores the donation.
pub fn next_receipt_sequence(conn: &mut DbConn, year: i32) -> Result<i64, PersistenceError> {
    on_backend!(conn, |c| {
        diesel::insert_into(rc::table)
            .values((rc::year.eq(year), rc::last.eq(0_i64)))
            .on_conflict_do_nothing()
            .execute(c)
    })?;
    Ok(diesel::update(rc::table.find(year))
        .set(rc::last.eq(rc::last + 1))
        .returning(rc::last)
        .get_result(conn)?)
}

pub fn insert(conn: &mut DbConn, row: &DonationRow) -> Result<(), PersistenceError> {
    diesel::insert_into(d::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<DonationRow>, PersistenceError> {
    Ok(d::table
        .find(id)
        .select(DonationRow::as_select())
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Default)]
pub struct DonationQuery {
    pub donor_id: Option<String>,
    pub organization_id: Option<String>,
    pub campaign_id: Option<String>,
    /// Received by organisations registered in this subtree.
    pub within: Option<RegionCode>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, q: &DonationQuery) -> Result<Vec<DonationRow>, PersistenceError> {
    let mut query = d::table
        .select(DonationRow::as_select())
        .order(d::id)
        .limit(q.limit)
        .into_boxed();
    if let Some(v) = &q.donor_id {
        query = query.filter(d::donor_id.eq(v.clone()));
    }
    if let Some(v) = &q.organization_id {
        query = query.filter(d::organization_id.eq(v.clone()));
    }
    if let Some(v) = &q.campaign_id {
        query = query.filter(d::campaign_id.eq(v.clone()));
    }
    if let Some(region) = &q.within {
        let (low, high) = region.subtree_range();
        query = query.filter(
            d::organization_id.eq_any(
                o::table
                    .filter(o::region_code.ge(low))
                    .filter(o::region_code.lt(high))
                    .select(o::id),
            ),
        );
    }
    if let Some(v) = q.from {
        query = query.filter(d::donated_on.ge(v));
    }
    if let Some(v) = q.until {
        query = query.filter(d::donated_on.le(v));
    }
    if let Some(after) = &q.after {
        query = query.filter(d::id.gt(after.clone()));
    }
    Ok(query.load(conn)?)
}
