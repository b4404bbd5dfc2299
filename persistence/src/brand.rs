//! 扶贫公益品牌 (task 7): the brand and programme catalogue (reference data), the campaigns
//! run under a brand with their participants, and the programme records of households.
//! Rows decode into the records of [`domain::brand`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::brand::{
    Brand, BrandKind, Campaign, CampaignKind, CampaignSpec, Programme, ProgrammeRecord,
    RecordedProgramme,
};
use domain::donation::DonationStatus;
use domain::platform::TargetGroup;
use domain::region::RegionCode;

use crate::page::{Page, PageRequest};
use crate::schema::{
    brands as b, campaign_participants as cp, campaigns as c, donations as d, households as h,
    programme_records as pr,
};
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = b)]
struct BrandRow {
    id: String,
    code: String,
    name: String,
    /// `brand` or `programme`.
    kind: String,
    owner: String,
    description: String,
    target_group: Option<String>,
    builtin: bool,
    created_at: NaiveDateTime,
}

impl From<&Brand> for BrandRow {
    fn from(x: &Brand) -> Self {
        Self {
            id: x.id.clone(),
            code: x.code.clone(),
            name: x.name.clone(),
            kind: x.kind.as_str().to_owned(),
            owner: x.owner.clone(),
            description: x.description.clone(),
            target_group: x.target_group.map(|g| g.as_str().to_owned()),
            builtin: x.builtin,
            created_at: x.created_at,
        }
    }
}

impl TryFrom<BrandRow> for Brand {
    type Error = PersistenceError;

    fn try_from(r: BrandRow) -> Result<Self, PersistenceError> {
        Ok(Brand {
            kind: BrandKind::parse(&r.kind)?,
            target_group: r
                .target_group
                .as_deref()
                .map(TargetGroup::parse)
                .transpose()?,
            id: r.id,
            code: r.code,
            name: r.name,
            owner: r.owner,
            description: r.description,
            builtin: r.builtin,
            created_at: r.created_at,
        })
    }
}

fn decode<R, T: TryFrom<R, Error = PersistenceError>>(
    rows: Vec<R>,
) -> Result<Vec<T>, PersistenceError> {
    rows.into_iter().map(T::try_from).collect()
}

/// Every brand and programme, by code.
pub fn all(conn: &mut DbConn) -> Result<Vec<Brand>, PersistenceError> {
    decode(
        b::table
            .select(BrandRow::as_select())
            .order(b::code)
            .load(conn)?,
    )
}

pub fn find_brand(conn: &mut DbConn, id: &str) -> Result<Option<Brand>, PersistenceError> {
    b::table
        .find(id)
        .select(BrandRow::as_select())
        .first(conn)
        .optional()?
        .map(Brand::try_from)
        .transpose()
}

/// Whether a brand with this code is in the catalogue.
pub fn brand_code_taken(conn: &mut DbConn, code: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::select(diesel::dsl::exists(b::table.filter(b::code.eq(code)))).get_result(conn)?)
}

pub fn insert_brand(conn: &mut DbConn, brand: &Brand) -> Result<(), PersistenceError> {
    diesel::insert_into(b::table)
        .values(BrandRow::from(brand))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = c)]
struct CampaignRow {
    id: String,
    brand_id: String,
    organization_id: String,
    kind: String,
    title: String,
    goal_fen: i64,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    target_group: Option<String>,
    /// Space-separated.
    region_codes: String,
    created_by: String,
    created_at: NaiveDateTime,
}

impl From<&Campaign> for CampaignRow {
    fn from(x: &Campaign) -> Self {
        let s = &x.spec;
        Self {
            id: x.id.clone(),
            brand_id: s.brand_id.clone(),
            organization_id: x.organization_id.clone(),
            kind: s.kind.as_str().to_owned(),
            title: s.title.clone(),
            goal_fen: s.goal_fen,
            starts_on: s.starts_on,
            ends_on: s.ends_on,
            target_group: s.target_group.map(|g| g.as_str().to_owned()),
            region_codes: s
                .regions
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            created_by: x.created_by.clone(),
            created_at: x.created_at,
        }
    }
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = PersistenceError;

    fn try_from(r: CampaignRow) -> Result<Self, PersistenceError> {
        let regions = r
            .region_codes
            .split(' ')
            .filter(|code| !code.is_empty())
            .map(RegionCode::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Campaign {
            spec: CampaignSpec {
                brand_id: r.brand_id,
                kind: CampaignKind::parse(&r.kind)?,
                title: r.title,
                goal_fen: r.goal_fen,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                target_group: r
                    .target_group
                    .as_deref()
                    .map(TargetGroup::parse)
                    .transpose()?,
                regions,
            },
            id: r.id,
            organization_id: r.organization_id,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

pub fn insert_campaign(conn: &mut DbConn, campaign: &Campaign) -> Result<(), PersistenceError> {
    diesel::insert_into(c::table)
        .values(CampaignRow::from(campaign))
        .execute(conn)?;
    Ok(())
}

pub fn find_campaign(conn: &mut DbConn, id: &str) -> Result<Option<Campaign>, PersistenceError> {
    c::table
        .find(id)
        .select(CampaignRow::as_select())
        .first(conn)
        .optional()?
        .map(Campaign::try_from)
        .transpose()
}

/// A page of campaigns, by id.
pub fn list_campaigns(
    conn: &mut DbConn,
    page: &PageRequest<String>,
) -> Result<Page<Campaign>, PersistenceError> {
    let mut q = c::table
        .select(CampaignRow::as_select())
        .order(c::id)
        .limit(page.fetch())
        .into_boxed();
    if let Some(after) = &page.after {
        q = q.filter(c::id.gt(after.clone()));
    }
    let rows = decode(q.load(conn)?)?;
    Ok(Page::from_fetched(rows, page.limit, |x: &Campaign| {
        x.id.clone()
    }))
}

/// The sum of the campaign's confirmed donations, in fen (a gift counts once its receiver
/// confirmed it, and no longer when refunded or voided).
pub fn raised(conn: &mut DbConn, campaign_id: &str) -> Result<i64, PersistenceError> {
    let amounts: Vec<i64> = d::table
        .filter(d::campaign_id.eq(campaign_id))
        .filter(d::status.eq(DonationStatus::Confirmed.as_str()))
        .select(d::amount_fen)
        .load(conn)?;
    Ok(amounts.iter().sum())
}

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

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = pr)]
struct ProgrammeRecordRow {
    id: String,
    household_id: String,
    region_code: String,
    programme: String,
    happened_on: NaiveDate,
    course: Option<String>,
    subsidy_fen: Option<i64>,
    amount_fen: Option<i64>,
    term_months: Option<i32>,
    from_region_code: Option<String>,
    to_region_code: Option<String>,
    created_by: String,
    created_at: NaiveDateTime,
}

impl From<&RecordedProgramme> for ProgrammeRecordRow {
    fn from(x: &RecordedProgramme) -> Self {
        let r = &x.record;
        Self {
            id: x.id.clone(),
            household_id: r.household_id.clone(),
            region_code: x.region.to_string(),
            programme: r.programme.as_str().to_owned(),
            happened_on: r.happened_on,
            course: r.course.clone(),
            subsidy_fen: r.subsidy_fen,
            amount_fen: r.amount_fen,
            term_months: r.term_months,
            from_region_code: r.from_region.as_ref().map(ToString::to_string),
            to_region_code: r.to_region.as_ref().map(ToString::to_string),
            created_by: x.created_by.clone(),
            created_at: x.created_at,
        }
    }
}

impl TryFrom<ProgrammeRecordRow> for RecordedProgramme {
    type Error = PersistenceError;

    fn try_from(r: ProgrammeRecordRow) -> Result<Self, PersistenceError> {
        let region = |v: Option<String>| v.as_deref().map(RegionCode::parse).transpose();
        Ok(RecordedProgramme {
            record: ProgrammeRecord {
                household_id: r.household_id,
                programme: Programme::parse(&r.programme)?,
                happened_on: r.happened_on,
                course: r.course,
                subsidy_fen: r.subsidy_fen,
                amount_fen: r.amount_fen,
                term_months: r.term_months,
                from_region: region(r.from_region_code)?,
                to_region: region(r.to_region_code)?,
            },
            id: r.id,
            region: RegionCode::parse(&r.region_code)?,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

pub fn insert_programme_record(
    conn: &mut DbConn,
    record: &RecordedProgramme,
) -> Result<(), PersistenceError> {
    diesel::insert_into(pr::table)
        .values(ProgrammeRecordRow::from(record))
        .execute(conn)?;
    Ok(())
}

/// A household's programme records, oldest first.
pub fn programme_records_of(
    conn: &mut DbConn,
    household_id: &str,
) -> Result<Vec<RecordedProgramme>, PersistenceError> {
    decode(
        pr::table
            .filter(pr::household_id.eq(household_id))
            .order(pr::id)
            .select(ProgrammeRecordRow::as_select())
            .load(conn)?,
    )
}

/// The village of a registered household (`None`: no such household), which its programme
/// records share.
pub fn household_place(
    conn: &mut DbConn,
    household_id: &str,
) -> Result<Option<RegionCode>, PersistenceError> {
    h::table
        .find(household_id)
        .select(h::region_code)
        .first::<String>(conn)
        .optional()?
        .map(|code| RegionCode::parse(&code).map_err(PersistenceError::from))
        .transpose()
}
