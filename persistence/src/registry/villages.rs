//! Registered poor villages (贫困村).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::money::Fen;
use domain::region::RegionCode;
use domain::registry::{PoorVillage, RegisteredVillage, VillageStatus};

use crate::page::{Page, PageRequest};
use crate::schema::poor_villages as pv;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = pv)]
#[diesel(treat_none_as_null = true)]
struct VillageRow {
    id: String,
    region_code: String,
    county_code: String,
    registered_year: i32,
    status: String,
    exit_year: Option<i32>,
    population: i32,
    poor_household_count: i32,
    collective_income_fen: i64,
    notes: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<VillageRow> for RegisteredVillage {
    type Error = PersistenceError;

    fn try_from(r: VillageRow) -> Result<Self, Self::Error> {
        Ok(RegisteredVillage {
            id: r.id,
            village: PoorVillage {
                region_code: RegionCode::parse(&r.region_code)?,
                registered_year: r.registered_year,
                status: VillageStatus::parse(&r.status)?,
                exit_year: r.exit_year,
                population: r.population,
                poor_household_count: r.poor_household_count,
                collective_income_fen: Fen::try_from(r.collective_income_fen)?,
                notes: r.notes,
            },
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        })
    }
}

impl From<&RegisteredVillage> for VillageRow {
    fn from(v: &RegisteredVillage) -> Self {
        let p = &v.village;
        VillageRow {
            id: v.id.clone(),
            region_code: p.region_code.to_string(),
            county_code: p.region_code.county().map(String::from).unwrap_or_default(),
            registered_year: p.registered_year,
            status: p.status.as_str().to_owned(),
            exit_year: p.exit_year,
            population: p.population,
            poor_household_count: p.poor_household_count,
            collective_income_fen: p.collective_income_fen.get(),
            notes: p.notes.clone(),
            version: v.version,
            created_at: v.created_at.naive_utc(),
            updated_at: v.updated_at.naive_utc(),
        }
    }
}

pub fn insert(conn: &mut DbConn, village: &RegisteredVillage) -> Result<(), PersistenceError> {
    diesel::insert_into(pv::table)
        .values(VillageRow::from(village))
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConn, id: &str) -> Result<Option<RegisteredVillage>, PersistenceError> {
    pv::table
        .find(id)
        .select(VillageRow::as_select())
        .first(conn)
        .optional()?
        .map(RegisteredVillage::try_from)
        .transpose()
}

/// What other policy areas need of a village on the register: its id and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageRef {
    pub id: String,
    pub place: RegionCode,
}

impl TryFrom<(String, String)> for VillageRef {
    type Error = PersistenceError;

    fn try_from((id, region_code): (String, String)) -> Result<Self, Self::Error> {
        Ok(VillageRef {
            id,
            place: RegionCode::parse(&region_code)?,
        })
    }
}

/// The id and place of a registered village, for the areas that refer to one.
pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<VillageRef>, PersistenceError> {
    pv::table
        .find(id)
        .select((pv::id, pv::region_code))
        .first::<(String, String)>(conn)
        .optional()?
        .map(VillageRef::try_from)
        .transpose()
}

/// Whether the village `region` is on the register.
pub fn is_registered(conn: &mut DbConn, region: &RegionCode) -> Result<bool, PersistenceError> {
    Ok(pv::table
        .filter(pv::region_code.eq(region.as_str()))
        .select(pv::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}

/// Replaces the entry if its stored version is still `expected_version`; `false` when it
/// changed in between.
pub fn update(
    conn: &mut DbConn,
    village: &RegisteredVillage,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let row = VillageRow::from(village);
    let n = diesel::update(
        pv::table
            .find(&row.id)
            .filter(pv::version.eq(expected_version)),
    )
    .set(&row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::delete(pv::table.find(id)).execute(conn)? == 1)
}

/// Which of `codes` are registered poor villages.
pub fn registered_among(
    conn: &mut DbConn,
    codes: &[String],
) -> Result<Vec<String>, PersistenceError> {
    crate::db::with_custom_plans(conn, |conn| registered_among_each(conn, codes))
}

fn registered_among_each(
    conn: &mut DbConn,
    codes: &[String],
) -> Result<Vec<String>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        out.extend(
            pv::table
                .filter(pv::region_code.eq_any(chunk))
                .select(pv::region_code)
                .load::<String>(conn)?,
        );
    }
    Ok(out)
}

/// The entries of the villages among `codes` that are on the register.
pub fn by_codes(
    conn: &mut DbConn,
    codes: &[String],
) -> Result<Vec<RegisteredVillage>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in codes.chunks(500) {
        for row in pv::table
            .filter(pv::region_code.eq_any(chunk))
            .select(VillageRow::as_select())
            .load(conn)?
        {
            out.push(RegisteredVillage::try_from(row)?);
        }
    }
    Ok(out)
}

/// A page of the register, by region code (the keyset).
#[derive(Debug, Clone)]
pub struct VillageQuery {
    /// This subtree (`None`: everywhere).
    pub within: Option<RegionCode>,
    pub status: Option<VillageStatus>,
    /// Continue after this region code.
    pub page: PageRequest<String>,
}

pub fn list(
    conn: &mut DbConn,
    q: &VillageQuery,
) -> Result<Page<RegisteredVillage>, PersistenceError> {
    let mut query = pv::table
        .select(VillageRow::as_select())
        .order(pv::region_code)
        .limit(q.page.fetch())
        .into_boxed();
    query = crate::keyset_in_subtree!(
        query,
        region = pv::region_code,
        within = q.within.as_ref(),
        key = pv::region_code,
        after = q.page.after.as_ref()
    );
    if let Some(status) = q.status {
        query = query.filter(pv::status.eq(status.as_str()));
    }
    let rows = query
        .load(conn)?
        .into_iter()
        .map(RegisteredVillage::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(rows, q.page.limit, |v| {
        v.village.region_code.to_string()
    }))
}
