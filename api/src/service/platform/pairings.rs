//! Pairings (结对帮扶 / 结对认亲): a lasting relationship between a participant and a
//! household or village, active once both sides consented: the participant by proposing,
//! the household side (its village cadre or an official of the place) by accepting.

use chrono::Utc;

use domain::identity::{Action, Principal, today_in_china as today};
use domain::platform::{Pairing, PairingAction, PairingSpec, PairingStatus};
use domain::region::RegionCode;
use persistence::page::{Page, PageRequest};
use persistence::platform::pairings::{self as store, PairingQuery};
use persistence::platform::pledges::{self, PledgeQuery};
use persistence::{DbConn, write_transaction};

use super::places;
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// How many of a pairing's pledges its view lists.
const PLEDGES_SHOWN: u32 = 100;

/// A pairing with the pledges made within it, and whether the caller may see which
/// household it is with (officials of the place only).
#[derive(Debug, Clone)]
pub struct PairingDetail {
    pub pairing: Pairing,
    pub pledge_ids: Vec<String>,
    pub show_household: bool,
}

/// Proposes a pairing with a registered household or poor village (你自愿，对方同意后生效).
pub fn propose(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    spec: PairingSpec,
) -> ServiceResult<Pairing> {
    write_transaction(conn, |conn| {
        // Participants have no jurisdiction: any registered household may be chosen.
        let place = places::resolve(conn, None, &spec.beneficiary)?;
        let now = Utc::now();
        let pairing = Pairing {
            id: uuid::Uuid::now_v7().to_string(),
            participant_id: who.id().to_owned(),
            organization_id: who.organization_id.clone(),
            household_id: place.household_id,
            village_id: place.village_id,
            place: place.place,
            pseudonym: place.pseudonym,
            place_name: place.place_name,
            kind: spec.kind,
            status: PairingStatus::Proposed,
            starts_on: spec.starts_on,
            ends_on: spec.ends_on,
            note: spec.note,
            participant_consented_at: now,
            household_consented_at: None,
            household_consent_by: None,
            status_reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        store::insert(conn, &pairing)?;
        Audit::by(who, "pairing.propose")
            .on("pairing", &pairing.id)
            .at(&pairing.place)
            .record(conn, meta)?;
        Ok(pairing)
    })
}

/// Loads a pairing the caller may see: their own, or one in their jurisdiction (404
/// otherwise).
pub fn load(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Pairing> {
    let pairing = store::find(conn, id)?.ok_or_else(ServiceError::not_found)?;
    let official = who.may(Action::ReadPlatform).is_ok() && who.sees(&pairing.place);
    if pairing.participant_id == who.id() || official {
        Ok(pairing)
    } else {
        Err(ServiceError::not_found())
    }
}

fn detail(conn: &mut DbConn, who: &Principal, pairing: Pairing) -> ServiceResult<PairingDetail> {
    let query = PledgeQuery {
        pairing_id: Some(pairing.id.clone()),
        ..PledgeQuery::default()
    };
    let first = PageRequest {
        limit: PLEDGES_SHOWN,
        after: None,
    };
    let pledges = pledges::list(conn, &query, &first)?;
    Ok(PairingDetail {
        show_household: who.sees(&pairing.place),
        pledge_ids: pledges.items.into_iter().map(|p| p.id).collect(),
        pairing,
    })
}

/// One pairing (its participant, or officials of the place).
pub fn get(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<PairingDetail> {
    let pairing = load(conn, who, id)?;
    detail(conn, who, pairing)
}

/// Pairings: a participant's own; an official's jurisdiction's.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    region: Option<RegionCode>,
    status: Option<PairingStatus>,
    page: &PageRequest<String>,
) -> ServiceResult<Page<PairingDetail>> {
    let mut query = PairingQuery {
        status,
        ..PairingQuery::default()
    };
    if who.may(Action::Give).is_ok() {
        query.participant_id = Some(who.id().to_owned());
    } else {
        who.may(Action::ReadPlatform)?;
        let Reach::Within(within) = narrow(scope_of(who)?, region) else {
            return Ok(Page::empty());
        };
        query.within = within;
    }
    store::list(conn, &query, page)?.try_map(|p| detail(conn, who, p))
}

/// `accept` or `decline` (the household side: its village cadre or an official of the
/// place), `end` (either side).
pub fn act(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    action: PairingAction,
    reason: Option<String>,
) -> ServiceResult<PairingDetail> {
    write_transaction(conn, |conn| {
        let current = load(conn, who, id)?;
        let household = who.may(Action::ActForHouseholds).is_ok() && who.sees(&current.place);
        let allowed = match action {
            PairingAction::Accept | PairingAction::Decline => household,
            PairingAction::End => household || current.participant_id == who.id(),
        };
        if !allowed {
            return Err(ServiceError::forbidden());
        }
        let next = current.after(action, who.id(), reason, Utc::now(), today())?;
        if !store::update(conn, &next, current.version)? {
            return Err(ServiceError::changed_meanwhile("结对", "pairing"));
        }
        Audit::by(who, format!("pairing.{}", action.as_str()))
            .on("pairing", &next.id)
            .at(&next.place)
            .record(conn, meta)?;
        detail(conn, who, next)
    })
}
