//! Offers (供给) and their matching index `offer_regions`: one row per preferred region of
//! an open offer, so "open offers for a place" is an indexed lookup of the place and its
//! ancestors, never a scan of all offers.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::platform::{Amount, NeedCategory, Offer, OfferKind, OfferStatus, TargetGroup};
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::{offer_regions as r, offers as o};
use crate::{DbConn, PersistenceError};

/// The region an offer with no preference is indexed under (the whole province).
pub const ANYWHERE: &str = "210000";
/// `open_until` of an offer without an end date.
pub fn open_ended() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = o)]
struct OfferRow {
    id: String,
    owner_id: String,
    organization_id: Option<String>,
    category: String,
    kind: String,
    title: String,
    description: Option<String>,
    unit: Option<String>,
    amount: i64,
    /// Space-separated region codes; empty: anywhere.
    region_codes: String,
    /// Space-separated target groups; empty: everyone.
    target_groups: String,
    valid_until: Option<NaiveDate>,
    status: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(' ').filter(|w| !w.is_empty())
}

impl TryFrom<OfferRow> for Offer {
    type Error = PersistenceError;

    fn try_from(r: OfferRow) -> Result<Self, Self::Error> {
        Ok(Offer {
            category: NeedCategory::parse(&r.category)?,
            kind: OfferKind::parse(&r.kind)?,
            regions: words(&r.region_codes)
                .map(RegionCode::parse)
                .collect::<Result<_, _>>()?,
            target_groups: words(&r.target_groups)
                .map(TargetGroup::parse)
                .collect::<Result<_, _>>()?,
            status: OfferStatus::parse(&r.status)?,
            id: r.id,
            owner_id: r.owner_id,
            organization_id: r.organization_id,
            title: r.title,
            description: r.description,
            amount: Amount {
                value: r.amount,
                unit: r.unit,
            },
            valid_until: r.valid_until,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        })
    }
}

impl From<&Offer> for OfferRow {
    fn from(offer: &Offer) -> Self {
        OfferRow {
            id: offer.id.clone(),
            owner_id: offer.owner_id.clone(),
            organization_id: offer.organization_id.clone(),
            category: offer.category.as_str().to_owned(),
            kind: offer.kind.as_str().to_owned(),
            title: offer.title.clone(),
            description: offer.description.clone(),
            unit: offer.amount.unit.clone(),
            amount: offer.amount.value,
            region_codes: crate::region_list::join(&offer.regions),
            target_groups: offer
                .target_groups
                .iter()
                .map(|g| g.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            valid_until: offer.valid_until,
            status: offer.status.as_str().to_owned(),
            version: offer.version,
            created_at: offer.created_at.naive_utc(),
            updated_at: offer.updated_at.naive_utc(),
        }
    }
}

fn decode(rows: Vec<OfferRow>) -> Result<Vec<Offer>, PersistenceError> {
    rows.into_iter().map(Offer::try_from).collect()
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = r)]
struct OfferRegionRow<'a> {
    offer_id: &'a str,
    region_code: &'a str,
    category: &'a str,
    open_until: NaiveDate,
}

/// Stores the offer and indexes it for matching.
pub fn insert(conn: &mut DbConn, offer: &Offer) -> Result<(), PersistenceError> {
    let row = OfferRow::from(offer);
    diesel::insert_into(o::table).values(&row).execute(conn)?;
    let regions: Vec<&str> = if row.region_codes.is_empty() {
        vec![ANYWHERE]
    } else {
        row.region_codes.split(' ').collect()
    };
    let open_until = row.valid_until.unwrap_or_else(open_ended);
    let index: Vec<OfferRegionRow<'_>> = regions
        .iter()
        .map(|code| OfferRegionRow {
            offer_id: &row.id,
            region_code: code,
            category: &row.category,
            open_until,
        })
        .collect();
    for one in &index {
        diesel::insert_into(r::table).values(one).execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<Offer>, PersistenceError> {
    o::table
        .find(id)
        .select(OfferRow::as_select())
        .first(conn)
        .optional()?
        .map(Offer::try_from)
        .transpose()
}

pub fn find_many(conn: &mut DbConn, ids: &[String]) -> Result<Vec<Offer>, PersistenceError> {
    decode(
        o::table
            .filter(o::id.eq_any(ids))
            .select(OfferRow::as_select())
            .load(conn)?,
    )
}

/// Withdraws an open offer and takes it out of the matching index; `false` if it was not
/// open at `expected_version`.
pub fn withdraw(
    conn: &mut DbConn,
    id: &str,
    expected_version: i32,
    now: NaiveDateTime,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(
        o::table
            .find(id)
            .filter(o::version.eq(expected_version))
            .filter(o::status.eq(OfferStatus::Open.as_str())),
    )
    .set((
        o::status.eq(OfferStatus::Withdrawn.as_str()),
        o::version.eq(o::version + 1),
        o::updated_at.eq(now),
    ))
    .execute(conn)?;
    diesel::delete(r::table.filter(r::offer_id.eq(id))).execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Default)]
pub struct OfferQuery {
    pub owner_id: Option<String>,
    pub status: Option<OfferStatus>,
    pub category: Option<NeedCategory>,
}

/// Offers by id (creation order), a page at a time.
pub fn list(
    conn: &mut DbConn,
    q: &OfferQuery,
    page: &PageRequest<String>,
) -> Result<Page<Offer>, PersistenceError> {
    let mut query = o::table
        .select(OfferRow::as_select())
        .order(o::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(owner) = &q.owner_id {
        query = query.filter(o::owner_id.eq(owner.clone()));
    }
    if let Some(s) = q.status {
        query = query.filter(o::status.eq(s.as_str()));
    }
    if let Some(c) = q.category {
        query = query.filter(o::category.eq(c.as_str()));
    }
    if let Some(after) = &page.after {
        query = query.filter(o::id.gt(after.clone()));
    }
    Ok(Page::from_fetched(
        decode(query.load(conn)?)?,
        page.limit,
        |offer| offer.id.clone(),
    ))
}

/// Ids of open offers indexed under any of `places` (a place and its ancestors), newest
/// first, at most `limit`; only `category` when given, else only other categories.
pub fn candidates(
    conn: &mut DbConn,
    places: &[RegionCode],
    category: NeedCategory,
    same_category: bool,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<String>, PersistenceError> {
    let mut query = r::table
        .select(r::offer_id)
        .filter(r::region_code.eq_any(places.iter().map(RegionCode::as_str)))
        .filter(r::open_until.ge(today))
        .order(r::offer_id.desc())
        .limit(limit)
        .distinct()
        .into_boxed();
    query = if same_category {
        query.filter(r::category.eq(category.as_str()))
    } else {
        query.filter(r::category.ne(category.as_str()))
    };
    Ok(query.load(conn)?)
}
