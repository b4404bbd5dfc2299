//! Donations and their receipts. Receipt numbers come from one counter row per year,
//! advanced by an `UPDATE ... RETURNING` that locks the row, so concurrent confirmations
//! never share a number (and `receipt_number` is unique besides). A change is written only
//! over the version it was made from ([`update`]), so of two members acting on one gift at
//! once one wins. Rows decode into [`domain::donation::Donation`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::donation::{
    Deduction, Donation, DonationKind, DonationSpec, DonationStatus, NotDeductible, Receipt,
};
use domain::money::Fen;
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::{donations as d, organizations as o, receipt_counters as rc};
use crate::{DbConn, PersistenceError, on_backend};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = d)]
struct DonationRow {
    id: String,
    donor_id: String,
    donor_organization_id: Option<String>,
    organization_id: String,
    kind: String,
    amount_fen: i64,
    description: Option<String>,
    need_id: Option<String>,
    pledge_id: Option<String>,
    campaign_id: Option<String>,
    project_id: Option<String>,
    donated_on: NaiveDate,
    receipt_number: Option<String>,
    deductible: bool,
    deductible_fen: i64,
    non_deductible_fen: i64,
    issued_at: Option<NaiveDateTime>,
    status: String,
    status_reason: Option<String>,
    not_deductible_reason: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<NaiveDateTime>,
    version: i32,
    created_at: NaiveDateTime,
}

impl From<&Donation> for DonationRow {
    fn from(x: &Donation) -> Self {
        let s = &x.spec;
        // Until a receipt is issued nothing of the gift is deductible.
        let deduction = x.receipt.as_ref().map_or(
            Deduction {
                deductible: false,
                deductible_amount: Fen::ZERO,
                non_deductible_amount: s.amount,
                reason: None,
            },
            |r| r.deduction,
        );
        Self {
            id: x.id.clone(),
            donor_id: x.donor_id.clone(),
            donor_organization_id: x.donor_organization_id.clone(),
            organization_id: s.organization_id.clone(),
            kind: s.kind.as_str().to_owned(),
            amount_fen: s.amount.get(),
            description: s.description.clone(),
            need_id: s.need_id.clone(),
            pledge_id: s.pledge_id.clone(),
            campaign_id: s.campaign_id.clone(),
            project_id: s.project_id.clone(),
            donated_on: s.donated_on,
            receipt_number: x.receipt.as_ref().map(|r| r.number.clone()),
            deductible: deduction.deductible,
            deductible_fen: deduction.deductible_amount.get(),
            non_deductible_fen: deduction.non_deductible_amount.get(),
            issued_at: x.receipt.as_ref().map(|r| r.issued_at),
            status: x.status.as_str().to_owned(),
            status_reason: x.status_reason.clone(),
            not_deductible_reason: deduction.reason.map(|r| r.as_str().to_owned()),
            decided_by: x.decided_by.clone(),
            decided_at: x.decided_at,
            version: x.version,
            created_at: x.created_at,
        }
    }
}

impl TryFrom<DonationRow> for Donation {
    type Error = PersistenceError;

    fn try_from(r: DonationRow) -> Result<Self, PersistenceError> {
        let receipt = match (r.receipt_number, r.issued_at) {
            (Some(number), Some(issued_at)) => Some(Receipt {
                number,
                deduction: Deduction {
                    deductible: r.deductible,
                    deductible_amount: Fen::try_from(r.deductible_fen)?,
                    non_deductible_amount: Fen::try_from(r.non_deductible_fen)?,
                    reason: r
                        .not_deductible_reason
                        .as_deref()
                        .map(NotDeductible::parse)
                        .transpose()?,
                },
                issued_at,
            }),
            _ => None,
        };
        Ok(Donation {
            spec: DonationSpec {
                amount: Fen::try_from(r.amount_fen)?,
                kind: DonationKind::parse(&r.kind)?,
                description: r.description,
                organization_id: r.organization_id,
                need_id: r.need_id,
                pledge_id: r.pledge_id,
                campaign_id: r.campaign_id,
                project_id: r.project_id,
                donated_on: r.donated_on,
            },
            status: DonationStatus::parse(&r.status)?,
            status_reason: r.status_reason,
            receipt,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            version: r.version,
            created_at: r.created_at,
            id: r.id,
            donor_id: r.donor_id,
            donor_organization_id: r.donor_organization_id,
        })
    }
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

pub fn insert(conn: &mut DbConn, donation: &Donation) -> Result<(), PersistenceError> {
    diesel::insert_into(d::table)
        .values(DonationRow::from(donation))
        .execute(conn)?;
    Ok(())
}

/// Writes `donation` over the stored version `expected`; `false` when someone changed it
/// meanwhile (the caller answers 409).
pub fn update(
    conn: &mut DbConn,
    donation: &Donation,
    expected: i32,
) -> Result<bool, PersistenceError> {
    let row = DonationRow::from(donation);
    let n = diesel::update(
        d::table
            .filter(d::id.eq(&donation.id))
            .filter(d::version.eq(expected)),
    )
    .set((
        d::status.eq(row.status),
        d::status_reason.eq(row.status_reason),
        d::receipt_number.eq(row.receipt_number),
        d::deductible.eq(row.deductible),
        d::deductible_fen.eq(row.deductible_fen),
        d::non_deductible_fen.eq(row.non_deductible_fen),
        d::not_deductible_reason.eq(row.not_deductible_reason),
        d::issued_at.eq(row.issued_at),
        d::decided_by.eq(row.decided_by),
        d::decided_at.eq(row.decided_at),
        d::version.eq(row.version),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Donation>, PersistenceError> {
    d::table
        .find(id)
        .select(DonationRow::as_select())
        .first(conn)
        .optional()?
        .map(Donation::try_from)
        .transpose()
}

#[derive(Debug, Clone)]
pub struct DonationQuery {
    pub donor_id: Option<String>,
    pub organization_id: Option<String>,
    pub campaign_id: Option<String>,
    pub status: Option<DonationStatus>,
    /// Received by organisations registered in this subtree.
    pub within: Option<RegionCode>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub page: PageRequest<String>,
}

/// A page of donations, by id.
pub fn list(conn: &mut DbConn, q: &DonationQuery) -> Result<Page<Donation>, PersistenceError> {
    let mut query = d::table
        .select(DonationRow::as_select())
        .order(d::id)
        .limit(q.page.fetch())
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
    if let Some(v) = q.status {
        query = query.filter(d::status.eq(v.as_str()));
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
    if let Some(after) = &q.page.after {
        query = query.filter(d::id.gt(after.clone()));
    }
    let items = query
        .load(conn)?
        .into_iter()
        .map(Donation::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(items, q.page.limit, |x: &Donation| {
        x.id.clone()
    }))
}
