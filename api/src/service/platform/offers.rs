//! Offers (供给): what participants can give, where and to whom they prefer. An
//! organisation publishes offers only once an official has verified it.

use chrono::Utc;

use domain::identity::{Principal, Role, today_in_china as today};
use domain::platform::{NeedCategory, Offer, OfferDraft, OfferStatus};
use persistence::crypto::DataKeys;
use persistence::page::{Page, PageRequest};
use persistence::platform::offers::{self as store, OfferQuery};
use persistence::{DbConn, write_transaction};

use crate::service::social_org::acting_organization;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Filters of an offer list.
#[derive(Debug, Clone, Default)]
pub struct OfferFilter {
    pub status: Option<OfferStatus>,
    pub category: Option<NeedCategory>,
    /// Only the caller's own offers (in any status); else only open ones.
    pub mine: bool,
}

/// Loads an offer the caller may see: an open one, or their own (404 otherwise).
pub fn load(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Offer> {
    store::find(conn, id)?
        .filter(|o| o.seen_by(who.id()))
        .ok_or_else(ServiceError::not_found)
}

/// Publishes what the caller can give.
pub fn create(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    draft: OfferDraft,
) -> ServiceResult<Offer> {
    let spec = draft.parse(today()).map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        if who.role() == Some(Role::OrgMember) {
            acting_organization(conn, keys, who)?;
        }
        let id = uuid::Uuid::now_v7().to_string();
        let offer = Offer::opened(id, spec, who.id(), who.organization_id.clone(), Utc::now());
        store::insert(conn, &offer)?;
        Audit::by(who, "offer.create")
            .on("offer", &offer.id)
            .record(conn, meta)?;
        Ok(offer)
    })
}

/// Offers, oldest first: open ones for everyone, the caller's own in any status.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: OfferFilter,
    page: &PageRequest<String>,
) -> ServiceResult<Page<Offer>> {
    let query = OfferQuery {
        owner_id: filter.mine.then(|| who.id().to_owned()),
        // Others' withdrawn offers are never shown.
        status: if filter.mine {
            filter.status
        } else {
            Some(OfferStatus::Open)
        },
        category: filter.category,
    };
    Ok(store::list(conn, &query, page)?)
}

/// Withdraws the caller's offer; pledges already made from it stay.
pub fn withdraw(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
) -> ServiceResult<Offer> {
    write_transaction(conn, |conn| {
        let current = load(conn, who, id)?;
        if current.owner_id != who.id() {
            return Err(ServiceError::forbidden());
        }
        if !store::withdraw(conn, &current.id, current.version, Utc::now().naive_utc())? {
            return Err(ServiceError::conflict(
                "该供给已撤回或已被修改。",
                "The offer is already withdrawn or changed meanwhile.",
            ));
        }
        Audit::by(who, "offer.withdraw")
            .on("offer", &current.id)
            .record(conn, meta)?;
        store::find(conn, &current.id)?.ok_or_else(ServiceError::not_found)
    })
}
