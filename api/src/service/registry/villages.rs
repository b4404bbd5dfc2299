//! Poor villages (贫困村) on the register, by officials of their jurisdiction.

use chrono::Utc;

use domain::identity::{Principal, today_in_china as today};
use domain::region::RegionCode;
use domain::registry::{PoorVillage, PoorVillageDraft, RegisteredVillage, VillageStatus};
use persistence::page::{Page, PageRequest};
use persistence::registry::villages::{self as store, VillageQuery};
use persistence::{DbConn, write_transaction};

use super::{outside_jurisdiction, unknown_village};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// The village `id` if the caller's jurisdiction holds it (404 otherwise).
pub fn load(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<RegisteredVillage> {
    store::get(conn, id)?
        .filter(|v| who.sees(&v.village.region_code))
        .ok_or_else(ServiceError::not_found)
}

/// Registers a poor village in the caller's jurisdiction, once.
pub fn create(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    village: PoorVillage,
) -> ServiceResult<RegisteredVillage> {
    if !who.sees(&village.region_code) {
        return Err(outside_jurisdiction());
    }
    let entry = RegisteredVillage::new(village, Utc::now());
    write_transaction(conn, |conn| {
        let place = &entry.village.region_code;
        if persistence::region::find(conn, place)?.is_none() {
            return Err(unknown_village());
        }
        if store::is_registered(conn, place)? {
            return Err(ServiceError::conflict(
                "该村已登记为贫困村。",
                "This village is already registered.",
            )
            .with_extension("field", "region_code".into()));
        }
        store::insert(conn, &entry)?;
        Audit::by(who, "village.create")
            .on("village", &entry.id)
            .at(place)
            .record(conn, meta)?;
        Ok(entry)
    })
}

/// Which villages a list asks for.
#[derive(Debug, Clone, Default)]
pub struct VillageFilter {
    pub region: Option<RegionCode>,
    pub status: Option<VillageStatus>,
}

/// A page of the villages in the caller's jurisdiction, by region code.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: VillageFilter,
    page: PageRequest<String>,
) -> ServiceResult<Page<RegisteredVillage>> {
    let Reach::Within(within) = narrow(scope_of(who)?, filter.region) else {
        return Ok(Page::empty());
    };
    let query = VillageQuery {
        within,
        status: filter.status,
        page,
    };
    Ok(store::list(conn, &query)?)
}

/// Changes a village's figures or status. `precondition` sees the stored entry first
/// (the HTTP layer's `If-Match`).
pub fn update(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    patch: PoorVillageDraft,
    precondition: impl FnOnce(&RegisteredVillage) -> ServiceResult<()>,
) -> ServiceResult<RegisteredVillage> {
    write_transaction(conn, |conn| {
        let current = load(conn, who, id)?;
        precondition(&current)?;
        let village = patch
            .over(current.village.to_draft())
            .parse(today())
            .map_err(ServiceError::validation)?;
        let entry = current.revised(village, Utc::now());
        if !store::update(conn, &entry, current.version)? {
            return Err(ServiceError::precondition_failed());
        }
        Audit::by(who, "village.update")
            .on("village", &entry.id)
            .at(&entry.village.region_code)
            .record(conn, meta)?;
        Ok(entry)
    })
}

/// Removes a village from the register.
pub fn delete(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
) -> ServiceResult<()> {
    write_transaction(conn, |conn| {
        let entry = load(conn, who, id)?;
        store::delete(conn, &entry.id)?;
        Audit::by(who, "village.delete")
            .on("village", &entry.id)
            .at(&entry.village.region_code)
            .record(conn, meta)
    })
}
