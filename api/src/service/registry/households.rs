//! Poor households (贫困户) on the register, with their members: registered, read (masked
//! unless revealed), changed and removed by officials of their jurisdiction. Every write
//! checks the register's rules that need the database: the village exists and is a
//! registered poor village unless the household is scattered (插花贫困户), and no member is
//! registered in another household.

use chrono::Utc;

use domain::FieldError;
use domain::identity::{PersonName, Principal, today_in_china as today};
use domain::region::RegionCode;
use domain::registry::{
    Household, HouseholdDraft, HouseholdStatus, HouseholdSummary, HouseholdType, PovertyCause,
    RegisteredHousehold,
};
use persistence::crypto::DataKeys;
use persistence::page::{Page, PageRequest};
use persistence::registry::columns::Seal;
use persistence::registry::households::{self as store, HouseholdFilter};
use persistence::registry::villages;
use persistence::{DbConn, write_transaction};

use super::{outside_jurisdiction, unknown_village};
use crate::personal::{self, Disclosure};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, ErrorCode, RequestMeta, ServiceError, ServiceResult};

/// The household `id` with its members if the caller's jurisdiction holds it (else 404).
pub fn load(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
) -> ServiceResult<RegisteredHousehold> {
    store::get(conn, keys, id, today())?
        .filter(|h| who.sees(&h.household.region_code))
        .ok_or_else(ServiceError::not_found)
}

/// 422 when the village is unknown or not a registered poor village (unless the household
/// is scattered); 409 `duplicate_person` when a member is registered in another household
/// than `own_id`, naming that household only to a caller who may see it.
fn check_registrable(
    conn: &mut DbConn,
    who: &Principal,
    h: &Household,
    seal: &Seal,
    own_id: Option<&str>,
) -> ServiceResult<()> {
    let region = h.region_code.to_string();
    if persistence::region::existing_codes(conn, std::slice::from_ref(&region))?.is_empty() {
        return Err(unknown_village());
    }
    if !h.scattered && !villages::is_registered(conn, &h.region_code)? {
        return Err(ServiceError::field(
            "scattered",
            "not_a_poor_village",
            "the village is not a registered poor village: register it, or mark the household scattered (插花贫困户)",
            "该村不是建档立卡贫困村：请先登记贫困村，或将该户标为插花贫困户",
        ));
    }
    let owners = store::owners_of(conn, seal.indexes())?;
    let Some(other) = owners
        .into_iter()
        .find(|o| Some(o.household_id.as_str()) != own_id)
    else {
        return Ok(());
    };
    let member = seal
        .indexes()
        .iter()
        .position(|i| *i == other.index)
        .unwrap_or(0);
    Err(duplicate_person(
        who,
        member,
        &other.household_id,
        &other.region_code,
    ))
}

fn duplicate_person(
    who: &Principal,
    member: usize,
    household_id: &str,
    place: &RegionCode,
) -> ServiceError {
    let field = format!("members[{member}].id_number");
    let e = ServiceError::new(
        ErrorCode::DuplicatePerson,
        format!("{field}：此人已登记在其他农户中。"),
        format!("{field}: this person is already registered in another household."),
    )
    .with_extension("field", field.clone().into())
    .with_errors(vec![FieldError::new(
        field,
        "duplicate_person",
        "already registered in another household",
        "已登记在其他农户中",
    )]);
    if who.sees(place) {
        e.with_extension("conflicting_household_id", household_id.into())
    } else {
        e
    }
}

/// Registers a household in the caller's jurisdiction.
pub fn create(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    household: Household,
) -> ServiceResult<RegisteredHousehold> {
    if !who.sees(&household.region_code) {
        return Err(outside_jurisdiction());
    }
    let now = Utc::now();
    let entry = RegisteredHousehold::new(household, Some(who.id().to_owned()), now);
    let seal = Seal::of(keys, &entry.household);
    let encoded = store::encode(keys, &entry, &seal);
    write_transaction(conn, |conn| {
        check_registrable(conn, who, &entry.household, &seal, None)?;
        let number = entry.household.household_number.as_str().to_owned();
        if !store::existing_by_number(conn, &[number])?.is_empty() {
            return Err(ServiceError::conflict(
                "户编号已存在。",
                "The household number is already registered.",
            )
            .with_extension("field", "household_number".into()));
        }
        store::insert(conn, &encoded)?;
        let change = entry.status_change(None, None, Some(who.id().to_owned()), now);
        store::record_status_change(conn, &change)?;
        Audit::by(who, "household.create")
            .on("household", &entry.id)
            .at(&entry.household.region_code)
            .record(conn, meta)?;
        Ok(entry)
    })
}

/// Which households a list asks for.
#[derive(Debug, Clone, Default)]
pub struct HouseholdQuery {
    pub region: Option<RegionCode>,
    pub status: Option<HouseholdStatus>,
    pub main_cause: Option<PovertyCause>,
    pub household_type: Option<HouseholdType>,
    pub guarantee_unmet: bool,
    pub income_min: Option<i64>,
    pub income_max: Option<i64>,
    /// The head's full name.
    pub head_name: Option<PersonName>,
}

/// A page of the households in the caller's jurisdiction, by id.
pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    q: HouseholdQuery,
    page: PageRequest<String>,
) -> ServiceResult<Page<HouseholdSummary>> {
    let Reach::Within(within) = narrow(scope_of(who)?, q.region) else {
        return Ok(Page::empty());
    };
    let filter = HouseholdFilter {
        within,
        status: q.status,
        main_cause: q.main_cause,
        household_type: q.household_type,
        guarantee_unmet: q.guarantee_unmet,
        income_min: q.income_min,
        income_max: q.income_max,
        head_name: q.head_name,
    };
    Ok(store::list(conn, keys, &filter, &page)?)
}

/// A household as read, and how much of its personal data may be shown.
#[derive(Debug, Clone)]
pub struct Disclosed {
    pub entry: RegisteredHousehold,
    pub disclosure: Disclosure,
}

/// One household; `reveal` asks for its personal data unmasked (checked and audited).
pub fn get(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    reveal: bool,
) -> ServiceResult<Disclosed> {
    let entry = load(conn, keys, who, id)?;
    let disclosure = if reveal {
        let subject = personal::Subject {
            object_type: "household",
            object_id: &entry.id,
            place: Some(&entry.household.region_code),
            own: false,
        };
        personal::reveal(conn, who, meta, &subject)?
    } else {
        Disclosure::MASKED
    };
    Ok(Disclosed { entry, disclosure })
}

/// Changes a household: the fields of `patch` replace the stored ones. `precondition` sees
/// the stored entry first (the HTTP layer's `If-Match`).
pub fn update(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    patch: HouseholdDraft,
    precondition: impl FnOnce(&RegisteredHousehold) -> ServiceResult<()>,
) -> ServiceResult<RegisteredHousehold> {
    let current = load(conn, keys, who, id)?;
    precondition(&current)?;
    let household = patch
        .over(current.household.to_draft())
        .parse(today())
        .map_err(ServiceError::validation)?;
    if !who.sees(&household.region_code) {
        return Err(outside_jurisdiction());
    }
    let entry = current.revised(household, Some(who.id().to_owned()), Utc::now());
    let seal = Seal::of(keys, &entry.household);
    let encoded = store::encode(keys, &entry, &seal);
    write_transaction(conn, |conn| {
        check_registrable(conn, who, &entry.household, &seal, Some(&entry.id))?;
        if !store::replace(conn, &encoded, current.version)? {
            return Err(ServiceError::precondition_failed());
        }
        Audit::by(who, "household.update")
            .on("household", &entry.id)
            .at(&entry.household.region_code)
            .record(conn, meta)?;
        Ok(entry)
    })
}

/// Removes a household from the register, with its members and history.
pub fn delete(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
) -> ServiceResult<()> {
    write_transaction(conn, |conn| {
        let place = store::find(conn, id)?
            .map(|found| found.place)
            .filter(|place| who.sees(place))
            .ok_or_else(ServiceError::not_found)?;
        store::delete(conn, id)?;
        Audit::by(who, "household.delete")
            .on("household", id)
            .at(&place)
            .record(conn, meta)
    })
}
