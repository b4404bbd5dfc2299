//! Registered poor households (贫困户) and their members. Members' names, ID and phone
//! numbers are stored encrypted ([`super::columns`]); a household is read back as the domain's
//! [`RegisteredHousehold`], re-checked against the domain's rules.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use domain::identity::PersonName;
use domain::money::Fen;
use domain::region::RegionCode;
use domain::registry::{
    GuaranteesDraft, HouseholdDraft, HouseholdStatus, HouseholdSummary, HouseholdType, MemberDraft,
    PovertyCause, RegisteredHousehold,
};

use super::columns::{self, Seal};
use crate::crypto::{DataKeys, Keyed};
use crate::page::{Page, PageRequest};
use crate::schema::{household_members as hm, household_status_changes as hsc, households as h};
use crate::{DbConn, PersistenceError};

pub use super::status_changes::{record_status_change, record_status_changes, status_history};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = h)]
#[diesel(treat_none_as_null = true, treat_none_as_default_value = false)]
struct HouseholdRow {
    id: String,
    household_number: String,
    region_code: String,
    county_code: String,
    scattered: bool,
    household_type: String,
    identification_standard: String,
    main_cause: String,
    /// `|`-separated.
    secondary_causes: String,
    income_per_person_fen: i64,
    housing_safe: bool,
    food_secure: bool,
    clothing_secure: bool,
    compulsory_education: bool,
    basic_medical: bool,
    housing_security: bool,
    safe_drinking_water: bool,
    guarantees_met: bool,
    status: String,
    exit_year: Option<i32>,
    head_name_enc: String,
    head_name_index: String,
    member_count: i32,
    content_hash: String,
    version: i32,
    created_by: Option<String>,
    updated_by: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hm)]
#[diesel(treat_none_as_default_value = false)]
struct MemberRow {
    id: String,
    household_id: String,
    county_code: String,
    position: i32,
    name_enc: String,
    sex: String,
    id_number_enc: String,
    id_number_index: String,
    relation: String,
    ethnicity: String,
    education: String,
    schooling: String,
    health: String,
    work_capacity: String,
    migrant_worker: bool,
    rural_medical: bool,
    rural_pension: bool,
    dibao: bool,
    critical_illness: bool,
    phone_enc: Option<String>,
}

impl TryFrom<Keyed<'_, HouseholdRow>> for HouseholdSummary {
    type Error = PersistenceError;

    fn try_from(Keyed { row: r, keys }: Keyed<'_, HouseholdRow>) -> Result<Self, Self::Error> {
        let head_name = columns::decrypt_head_name(keys, &r.head_name_enc)?;
        Ok(HouseholdSummary {
            household_number: domain::registry::HouseholdNumber::parse(&r.household_number)?,
            region_code: RegionCode::parse(&r.region_code)?,
            head_name: PersonName::parse(&head_name).ok(),
            member_count: r.member_count,
            household_type: HouseholdType::parse(&r.household_type)?,
            main_cause: PovertyCause::parse(&r.main_cause)?,
            income_per_person_fen: Fen::try_from(r.income_per_person_fen)?,
            guarantees_met: r.guarantees_met,
            status: HouseholdStatus::parse(&r.status)?,
            exit_year: r.exit_year,
            updated_at: r.updated_at.and_utc(),
            id: r.id,
        })
    }
}

/// A household's rows, encrypted and ready to be written.
#[derive(Debug, Clone)]
pub struct Encoded {
    row: HouseholdRow,
    members: Vec<MemberRow>,
}

/// The rows that store `entry`, whose content `seal` hashes.
pub fn encode(keys: &DataKeys, entry: &RegisteredHousehold, seal: &Seal) -> Encoded {
    let h = &entry.household;
    let county = h.county().map(String::from).unwrap_or_default();
    let g = &h.guarantees;
    let head = h
        .head()
        .map(|m| m.name.expose().to_owned())
        .unwrap_or_default();
    let row = HouseholdRow {
        id: entry.id.clone(),
        household_number: h.household_number.as_str().to_owned(),
        region_code: h.region_code.to_string(),
        county_code: county.clone(),
        scattered: h.scattered,
        household_type: h.household_type.as_str().to_owned(),
        identification_standard: h.identification_standard.as_str().to_owned(),
        main_cause: h.main_cause.as_str().to_owned(),
        secondary_causes: h
            .secondary_causes
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join("|"),
        income_per_person_fen: h.income_per_person_fen.get(),
        housing_safe: h.housing_safe,
        food_secure: g.food_secure,
        clothing_secure: g.clothing_secure,
        compulsory_education: g.compulsory_education,
        basic_medical: g.basic_medical,
        housing_security: g.housing_security,
        safe_drinking_water: g.safe_drinking_water,
        guarantees_met: g.all_met(),
        status: h.status.as_str().to_owned(),
        exit_year: h.exit_year,
        head_name_enc: columns::encrypt_head_name(keys, &head),
        head_name_index: columns::head_name_index(keys, &head),
        member_count: i32::try_from(h.members.len()).unwrap_or(i32::MAX),
        content_hash: seal.fingerprint().to_owned(),
        version: entry.version,
        created_by: entry.created_by.clone(),
        updated_by: entry.updated_by.clone(),
        created_at: entry.created_at.naive_utc(),
        updated_at: entry.updated_at.naive_utc(),
    };
    let members = h
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| MemberRow {
            id: uuid::Uuid::now_v7().to_string(),
            household_id: entry.id.clone(),
            county_code: county.clone(),
            position: i32::try_from(i).unwrap_or(i32::MAX),
            name_enc: columns::encrypt_member_name(keys, m.name.expose()),
            sex: m.sex.as_str().to_owned(),
            id_number_enc: columns::encrypt_id_number(keys, m.id_number.expose()),
            id_number_index: seal
                .indexes()
                .get(i)
                .cloned()
                .unwrap_or_else(|| columns::id_index(keys, m.id_number.expose())),
            relation: m.relation.as_str().to_owned(),
            ethnicity: m.ethnicity.as_str().to_owned(),
            education: m.education.as_str().to_owned(),
            schooling: m.schooling.as_str().to_owned(),
            health: m.health.as_str().to_owned(),
            work_capacity: m.work_capacity.as_str().to_owned(),
            migrant_worker: m.migrant_worker,
            rural_medical: m.rural_medical,
            rural_pension: m.rural_pension,
            dibao: m.dibao,
            critical_illness: m.critical_illness,
            phone_enc: m
                .phone
                .as_ref()
                .map(|p| columns::encrypt_phone(keys, p.expose())),
        })
        .collect();
    Encoded { row, members }
}

/// A member's rows as draft text, its ID and phone numbers decrypted.
fn member_draft(m: &MemberRow, keys: &DataKeys) -> Result<MemberDraft, PersistenceError> {
    let some = |s: &str| Some(s.to_owned());
    let flag = |b: bool| Some(b.to_string());
    Ok(MemberDraft {
        name: Some(columns::decrypt_member_name(keys, &m.name_enc)?),
        sex: some(&m.sex),
        id_number: Some(columns::decrypt_id_number(keys, &m.id_number_enc)?),
        relation: some(&m.relation),
        ethnicity: some(&m.ethnicity),
        education: some(&m.education),
        schooling: some(&m.schooling),
        health: some(&m.health),
        work_capacity: some(&m.work_capacity),
        migrant_worker: flag(m.migrant_worker),
        rural_medical: flag(m.rural_medical),
        rural_pension: flag(m.rural_pension),
        dibao: flag(m.dibao),
        critical_illness: flag(m.critical_illness),
        phone: m
            .phone_enc
            .as_deref()
            .map(|p| columns::decrypt_phone(keys, p))
            .transpose()?,
    })
}

/// Rebuilds the household its rows store, checked again by the domain's rules as of
/// `today` (a stored value that no longer passes is `Corrupt`).
fn open(
    row: HouseholdRow,
    members: &[MemberRow],
    keys: &DataKeys,
    today: NaiveDate,
) -> Result<RegisteredHousehold, PersistenceError> {
    let some = |s: &str| Some(s.to_owned());
    let flag = |b: bool| Some(b.to_string());
    let draft = HouseholdDraft {
        household_number: some(&row.household_number),
        region_code: some(&row.region_code),
        scattered: flag(row.scattered),
        household_type: some(&row.household_type),
        identification_standard: some(&row.identification_standard),
        main_cause: some(&row.main_cause),
        secondary_causes: row
            .secondary_causes
            .split('|')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        income_per_person_fen: Some(row.income_per_person_fen.to_string()),
        housing_safe: flag(row.housing_safe),
        guarantees: GuaranteesDraft {
            food_secure: flag(row.food_secure),
            clothing_secure: flag(row.clothing_secure),
            compulsory_education: flag(row.compulsory_education),
            basic_medical: flag(row.basic_medical),
            housing_security: flag(row.housing_security),
            safe_drinking_water: flag(row.safe_drinking_water),
        },
        status: some(&row.status),
        exit_year: row.exit_year.map(|y| y.to_string()),
        members: members
            .iter()
            .map(|m| member_draft(m, keys))
            .collect::<Result<_, _>>()?,
    };
    let household = draft.parse(today).map_err(|errors| {
        PersistenceError::Corrupt(format!(
            "stored household {} no longer valid: {}",
            row.id,
            errors
                .iter()
                .map(|e| format!("{} {}", e.field, e.code))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    Ok(RegisteredHousehold {
        id: row.id,
        household,
        version: row.version,
        created_by: row.created_by,
        updated_by: row.updated_by,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Splits `rows` into chunks whose sizes come from a fixed set (256, 64, 16, 4, 1), so a
/// bulk insert prepares at most five distinct statements per table: with arbitrary chunk
/// sizes, PostgreSQL's prepared-statement cache would keep one statement per size seen.
pub fn fixed_chunks<T>(rows: &[T]) -> impl Iterator<Item = &[T]> {
    let mut rest = rows;
    std::iter::from_fn(move || {
        let size = [256, 64, 16, 4, 1].into_iter().find(|s| *s <= rest.len())?;
        let (chunk, tail) = rest.split_at(size);
        rest = tail;
        Some(chunk)
    })
}

fn insert_members(conn: &mut DbConn, members: &[MemberRow]) -> Result<(), PersistenceError> {
    if let DbConn::Postgresql(c) = conn {
        // Binary COPY: PostgreSQL's own bulk path, several times faster than INSERT.
        diesel::copy_from(hm::table)
            .from_insertable(members)
            .execute(c)?;
        return Ok(());
    }
    for chunk in fixed_chunks(members) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(hm::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// Inserts a household with its members (the caller owns the transaction).
pub fn insert(conn: &mut DbConn, household: &Encoded) -> Result<(), PersistenceError> {
    diesel::insert_into(h::table)
        .values(&household.row)
        .execute(conn)?;
    insert_members(conn, &household.members)
}

/// Inserts many households with their members: multi-row statements, COPY on PostgreSQL.
pub fn insert_many(conn: &mut DbConn, batch: &[&Encoded]) -> Result<(), PersistenceError> {
    let households: Vec<HouseholdRow> = batch.iter().map(|e| e.row.clone()).collect();
    let members: Vec<MemberRow> = batch
        .iter()
        .flat_map(|e| e.members.iter().cloned())
        .collect();
    if let DbConn::Postgresql(c) = conn {
        diesel::copy_from(h::table)
            .from_insertable(&households)
            .execute(c)?;
        return insert_members(conn, &members);
    }
    for chunk in fixed_chunks(&households) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(h::table)
            .values(chunk)
            .execute(c))?;
    }
    insert_members(conn, &members)
}

/// Replaces a household and its members if its version is still `expected_version`;
/// `false` when someone changed it in between.
pub fn replace(
    conn: &mut DbConn,
    household: &Encoded,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(
        h::table
            .find(&household.row.id)
            .filter(h::version.eq(expected_version)),
    )
    .set(&household.row)
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    diesel::delete(hm::table.filter(hm::household_id.eq(&household.row.id))).execute(conn)?;
    insert_members(conn, &household.members)?;
    Ok(true)
}

/// Sets the status and exit year of `entry` (its next version) if the stored version is
/// still `expected_version`.
pub fn set_status(
    conn: &mut DbConn,
    entry: &RegisteredHousehold,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let n = diesel::update(
        h::table
            .find(&entry.id)
            .filter(h::version.eq(expected_version)),
    )
    .set((
        h::status.eq(entry.household.status.as_str()),
        h::exit_year.eq(entry.household.exit_year),
        h::version.eq(entry.version),
        h::updated_by.eq(entry.updated_by.as_deref()),
        h::updated_at.eq(entry.updated_at.naive_utc()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConn, id: &str) -> Result<bool, PersistenceError> {
    diesel::delete(hsc::table.filter(hsc::household_id.eq(id))).execute(conn)?;
    diesel::delete(hm::table.filter(hm::household_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(h::table.find(id)).execute(conn)? == 1)
}

/// The household `id` with its members, decrypted.
pub fn get(
    conn: &mut DbConn,
    keys: &DataKeys,
    id: &str,
    today: NaiveDate,
) -> Result<Option<RegisteredHousehold>, PersistenceError> {
    let Some(row) = h::table
        .find(id)
        .select(HouseholdRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let members = members_of(conn, std::slice::from_ref(&row.id))?;
    open(row, &members, keys, today).map(Some)
}

/// What other policy areas need of a household on the register: its id, place and main
/// cause of poverty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRef {
    pub id: String,
    pub place: RegionCode,
    pub main_cause: PovertyCause,
}

impl TryFrom<(String, String, String)> for HouseholdRef {
    type Error = PersistenceError;

    fn try_from(
        (id, region_code, main_cause): (String, String, String),
    ) -> Result<Self, Self::Error> {
        Ok(HouseholdRef {
            id,
            place: RegionCode::parse(&region_code)?,
            main_cause: PovertyCause::parse(&main_cause)?,
        })
    }
}

/// The id, place and main cause of a registered household, for the areas that refer to one.
pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<HouseholdRef>, PersistenceError> {
    h::table
        .find(id)
        .select((h::id, h::region_code, h::main_cause))
        .first::<(String, String, String)>(conn)
        .optional()?
        .map(HouseholdRef::try_from)
        .transpose()
}

/// Members of the given households, ordered by household and position.
fn members_of(
    conn: &mut DbConn,
    household_ids: &[String],
) -> Result<Vec<MemberRow>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in household_ids.chunks(500) {
        out.extend(
            hm::table
                .filter(hm::household_id.eq_any(chunk))
                .order((hm::household_id, hm::position))
                .select(MemberRow::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Which households a list or an export reads.
#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    /// This subtree (`None`: everywhere).
    pub within: Option<RegionCode>,
    pub status: Option<HouseholdStatus>,
    pub main_cause: Option<PovertyCause>,
    pub household_type: Option<HouseholdType>,
    /// Only households with at least one guarantee unmet.
    pub guarantee_unmet: bool,
    pub income_min: Option<i64>,
    pub income_max: Option<i64>,
    /// The head's full name (found by its keyed index: names are stored encrypted).
    pub head_name: Option<PersonName>,
}

/// Rows of `f` after the id `after`, in id order (UUIDv7, so by creation).
fn select(
    conn: &mut DbConn,
    keys: &DataKeys,
    f: &HouseholdFilter,
    after: Option<&String>,
    limit: i64,
) -> Result<Vec<HouseholdRow>, PersistenceError> {
    let mut query = h::table
        .select(HouseholdRow::as_select())
        .order(h::id)
        .limit(limit)
        .into_boxed();
    query = crate::keyset_in_subtree!(
        query,
        region = h::region_code,
        within = f.within.as_ref(),
        key = h::id,
        after = after
    );
    if let Some(v) = f.status {
        query = query.filter(h::status.eq(v.as_str()));
    }
    if let Some(v) = f.main_cause {
        query = query.filter(h::main_cause.eq(v.as_str()));
    }
    if let Some(v) = f.household_type {
        query = query.filter(h::household_type.eq(v.as_str()));
    }
    if f.guarantee_unmet {
        query = query.filter(h::guarantees_met.eq(false));
    }
    if let Some(v) = f.income_min {
        query = query.filter(h::income_per_person_fen.ge(v));
    }
    if let Some(v) = f.income_max {
        query = query.filter(h::income_per_person_fen.le(v));
    }
    if let Some(v) = &f.head_name {
        query = query.filter(h::head_name_index.eq(columns::head_name_index(keys, v.expose())));
    }
    Ok(query.load(conn)?)
}

/// A page of households as a list shows them, keyset-paginated by id.
pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    f: &HouseholdFilter,
    page: &PageRequest<String>,
) -> Result<Page<HouseholdSummary>, PersistenceError> {
    let rows = select(conn, keys, f, page.after.as_ref(), page.fetch())?
        .into_iter()
        .map(|row| HouseholdSummary::try_from(Keyed::new(row, keys)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_fetched(rows, page.limit, |s| s.id.clone()))
}

/// Up to `limit` whole households within `within` after the id `after`, in id order,
/// decrypted: the export's pages.
pub fn batch(
    conn: &mut DbConn,
    keys: &DataKeys,
    within: Option<&RegionCode>,
    after: Option<&String>,
    limit: i64,
    today: NaiveDate,
) -> Result<Vec<RegisteredHousehold>, PersistenceError> {
    let filter = HouseholdFilter {
        within: within.cloned(),
        ..HouseholdFilter::default()
    };
    let rows = select(conn, keys, &filter, after, limit)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let members = members_of(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            let own: Vec<MemberRow> = members
                .iter()
                .filter(|m| m.household_id == row.id)
                .cloned()
                .collect();
            open(row, &own, keys, today)
        })
        .collect()
}

/// What an import needs to know of a household that already exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub id: String,
    pub region_code: RegionCode,
    /// The fingerprint of its content ([`Seal::fingerprint`]).
    pub content_hash: String,
    pub version: i32,
    pub status: HouseholdStatus,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub created_by: Option<String>,
}

#[derive(Debug, Queryable)]
struct ExistingRow {
    household_number: String,
    id: String,
    region_code: String,
    content_hash: String,
    version: i32,
    status: String,
    created_at: NaiveDateTime,
    created_by: Option<String>,
}

impl TryFrom<ExistingRow> for (String, Existing) {
    type Error = PersistenceError;

    fn try_from(r: ExistingRow) -> Result<Self, Self::Error> {
        Ok((
            r.household_number,
            Existing {
                id: r.id,
                region_code: RegionCode::parse(&r.region_code)?,
                content_hash: r.content_hash,
                version: r.version,
                status: HouseholdStatus::parse(&r.status)?,
                created_at: r.created_at.and_utc(),
                created_by: r.created_by,
            },
        ))
    }
}

/// The households already registered under `numbers`, by household number.
pub fn existing_by_number(
    conn: &mut DbConn,
    numbers: &[String],
) -> Result<Vec<(String, Existing)>, PersistenceError> {
    crate::db::with_custom_plans(conn, |conn| existing_by_number_each(conn, numbers))
}

fn existing_by_number_each(
    conn: &mut DbConn,
    numbers: &[String],
) -> Result<Vec<(String, Existing)>, PersistenceError> {
    let mut out = Vec::new();
    for chunk in numbers.chunks(500) {
        let rows = h::table
            .filter(h::household_number.eq_any(chunk))
            .select((
                h::household_number,
                h::id,
                h::region_code,
                h::content_hash,
                h::version,
                h::status,
                h::created_at,
                h::created_by,
            ))
            .load::<ExistingRow>(conn)?;
        for row in rows {
            out.push(row.try_into()?);
        }
    }
    Ok(out)
}

/// The household holding one of the ID-number indexes asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub index: String,
    pub household_id: String,
    pub region_code: RegionCode,
}

/// For each ID-number index already registered: the household that holds it. Two
/// single-table lookups on unique and primary keys, not a join: with a prepared statement,
/// PostgreSQL's generic plan for a join on `= ANY($1)` can scan both tables.
pub fn owners_of(conn: &mut DbConn, indexes: &[String]) -> Result<Vec<Owner>, PersistenceError> {
    crate::db::with_custom_plans(conn, |conn| owners_of_each(conn, indexes))
}

fn owners_of_each(conn: &mut DbConn, indexes: &[String]) -> Result<Vec<Owner>, PersistenceError> {
    let mut held: Vec<(String, String)> = Vec::new();
    for chunk in indexes.chunks(500) {
        held.extend(
            hm::table
                .filter(hm::id_number_index.eq_any(chunk))
                .select((hm::id_number_index, hm::household_id))
                .load::<(String, String)>(conn)?,
        );
    }
    if held.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<String> = held.iter().map(|(_, id)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut regions = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        regions.extend(
            h::table
                .filter(h::id.eq_any(chunk))
                .select((h::id, h::region_code))
                .load::<(String, String)>(conn)?,
        );
    }
    let mut out = Vec::new();
    for (index, household_id) in held {
        if let Some(region) = regions.get(&household_id) {
            out.push(Owner {
                index,
                region_code: RegionCode::parse(region)?,
                household_id,
            });
        }
    }
    Ok(out)
}

/// The registered member holding this ID-number index, if any: (member id, household id).
pub fn member_by_index(
    conn: &mut DbConn,
    index: &str,
) -> Result<Option<(String, String)>, PersistenceError> {
    Ok(hm::table
        .filter(hm::id_number_index.eq(index))
        .select((hm::id, hm::household_id))
        .first(conn)
        .optional()?)
}
