//! Pledges (认领): a participant pledges all or part of a published need, delivers it with
//! evidence, and the place confirms it; the household side gives feedback. The sum of open
//! pledges on a need never exceeds what it asks for: the capacity is taken by one
//! conditional `UPDATE` of the need (`persistence::platform::needs::take_capacity`).

use chrono::Utc;
use serde_json::json;

use domain::FieldError;
use domain::identity::{Action, Principal, today_in_china as today};
use domain::platform::{
    Amount, EvidenceDraft, Feedback, Need, NeedStatus, Pledge, PledgeAction, PledgeDraft,
    PledgeFeedback, PledgeStatus, PledgeStep, check_offer, check_pairing, parse_note,
};
use domain::region::RegionCode;
use persistence::page::{Page, PageRequest};
use persistence::platform::needs as need_store;
use persistence::platform::pledges::{self as store, PledgeQuery};
use persistence::platform::{offers, pairings};
use persistence::{DbConn, write_transaction};

use super::needs::load_public;
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, ErrorCode, RequestMeta, ServiceError, ServiceResult};

/// A pledge with the need it is for and the feedback on it, as its views show it.
#[derive(Debug, Clone)]
pub struct PledgeDetail {
    pub pledge: Pledge,
    pub need: Option<Need>,
    pub feedback: Vec<PledgeFeedback>,
}

/// What an action on a pledge carries.
#[derive(Debug, Clone, Default)]
pub struct PledgeActionInput {
    pub evidence: Vec<EvidenceDraft>,
    pub note: Option<String>,
    pub reason: Option<String>,
}

/// Filters of a pledge list.
#[derive(Debug, Clone, Default)]
pub struct PledgeFilter {
    pub need_id: Option<String>,
    pub pairing_id: Option<String>,
    /// Officials: this region and everything under it.
    pub region: Option<RegionCode>,
    pub status: Option<PledgeStatus>,
}

fn not_open(need: &Need) -> ServiceError {
    let status = need.status.as_str();
    ServiceError::new(
        ErrorCode::InvalidTransition,
        format!("当前状态为 {status}，不接受认领。"),
        format!("The need is {status}; it takes no pledges."),
    )
    .with_extension("current_status", status.into())
    .with_extension("allowed_actions", serde_json::Value::Array(vec![]))
}

/// Checks the offer and pairing a pledge names.
fn check_links(
    conn: &mut DbConn,
    who: &Principal,
    draft: &PledgeDraft,
    need: &Need,
) -> ServiceResult<()> {
    if let Some(offer_id) = &draft.offer_id {
        check_offer(offers::find(conn, offer_id)?.as_ref(), who.id())?;
    }
    if let Some(pairing_id) = &draft.pairing_id {
        check_pairing(pairings::find(conn, pairing_id)?.as_ref(), who.id(), need)?;
    }
    Ok(())
}

/// Takes `amount` of the need's capacity, or says why it could not be taken.
fn take_capacity(conn: &mut DbConn, need: &Need, amount: i64) -> ServiceResult<()> {
    let day = today();
    if need_store::take_capacity(conn, &need.id, amount, day)? {
        let now = need_store::find(conn, &need.id)?.ok_or_else(ServiceError::not_found)?;
        let status = NeedStatus::by_capacity(now.capacity());
        need_store::set_pledging_status(conn, &need.id, status, Utc::now().naive_utc())?;
        return Ok(());
    }
    // The statement refused: read the need again to learn why.
    let now = need_store::find(conn, &need.id)?.ok_or_else(ServiceError::not_found)?;
    let full = now.status == NeedStatus::FullyPledged;
    if (!now.status.takes_pledges() && !full) || now.deadline < day {
        return Err(not_open(&now));
    }
    now.capacity().take(amount, now.asked.unit.as_deref())?;
    Err(ServiceError::internal(
        "capacity update refused without cause",
    ))
}

/// Pledges all or part of a published need (自主选择).
pub fn create(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    draft: PledgeDraft,
) -> ServiceResult<PledgeDetail> {
    write_transaction(conn, |conn| {
        let need = load_public(conn, &draft.need_id).map_err(|e| {
            e.or_if_not_found(|| {
                FieldError::new(
                    "need_id",
                    "unknown_need",
                    "no published need with this id",
                    "没有该已发布的需求",
                )
                .into()
            })
        })?;
        let amount = need.asked.part(draft.amount_fen, draft.quantity)?;
        let note = parse_note(draft.note.as_deref())?;
        check_links(conn, who, &draft, &need)?;
        take_capacity(conn, &need, amount)?;
        let now = Utc::now();
        let pledge = Pledge {
            id: uuid::Uuid::now_v7().to_string(),
            need_id: need.id.clone(),
            pledger_id: who.id().to_owned(),
            organization_id: who.organization_id.clone(),
            offer_id: draft.offer_id,
            pairing_id: draft.pairing_id,
            place: need.place.clone(),
            amount: Amount {
                value: amount,
                unit: need.asked.unit.clone(),
            },
            note,
            status: PledgeStatus::Pledged,
            evidence: Vec::new(),
            delivery_note: None,
            cancel_reason: None,
            confirmed_by: None,
            pledged_at: now,
            delivered_at: None,
            confirmed_at: None,
            cancelled_at: None,
            version: 1,
            updated_at: now,
        };
        store::insert(conn, &pledge)?;
        Audit::by(who, "pledge.create")
            .on("pledge", &pledge.id)
            .at(&pledge.place)
            .details(json!({"need_id": pledge.need_id, "amount": pledge.amount.value}))
            .record(conn, meta)?;
        let need = need_store::find(conn, &pledge.need_id)?;
        Ok(PledgeDetail {
            pledge,
            need,
            feedback: Vec::new(),
        })
    })
}

/// Loads a pledge the caller may see: their own, or one in their jurisdiction (404
/// otherwise).
pub fn load(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Pledge> {
    let pledge = store::find(conn, id)?.ok_or_else(ServiceError::not_found)?;
    let own = pledge.pledger_id == who.id();
    let official = who.may(Action::ReadPlatform).is_ok() && who.sees(&pledge.place);
    if own || official {
        Ok(pledge)
    } else {
        Err(ServiceError::not_found())
    }
}

fn detail(conn: &mut DbConn, pledge: Pledge) -> ServiceResult<PledgeDetail> {
    let need = need_store::find(conn, &pledge.need_id)?;
    let feedback = store::feedback_of(conn, std::slice::from_ref(&pledge.id))?;
    Ok(PledgeDetail {
        pledge,
        need,
        feedback,
    })
}

/// One pledge with its need and feedback.
pub fn get(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<PledgeDetail> {
    let pledge = load(conn, who, id)?;
    detail(conn, pledge)
}

fn details(conn: &mut DbConn, page: Page<Pledge>) -> ServiceResult<Page<PledgeDetail>> {
    let ids: Vec<String> = page.items.iter().map(|p| p.id.clone()).collect();
    let mut need_ids: Vec<String> = page.items.iter().map(|p| p.need_id.clone()).collect();
    need_ids.sort();
    need_ids.dedup();
    let needs = need_store::find_many(conn, &need_ids)?;
    let feedback = store::feedback_of(conn, &ids)?;
    Ok(page.map(|pledge| PledgeDetail {
        need: needs.iter().find(|n| n.id == pledge.need_id).cloned(),
        feedback: feedback
            .iter()
            .filter(|f| f.pledge_id == pledge.id)
            .cloned()
            .collect(),
        pledge,
    }))
}

fn query_of(filter: PledgeFilter) -> PledgeQuery {
    PledgeQuery {
        need_id: filter.need_id,
        pairing_id: filter.pairing_id,
        status: filter.status,
        ..PledgeQuery::default()
    }
}

/// Pledges: a participant's own; an official's jurisdiction's.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: PledgeFilter,
    page: &PageRequest<String>,
) -> ServiceResult<Page<PledgeDetail>> {
    let region = filter.region.clone();
    let mut query = query_of(filter);
    if who.may(Action::Give).is_ok() {
        query.pledger_id = Some(who.id().to_owned());
    } else {
        who.may(Action::ReadPlatform)?;
        let Reach::Within(within) = narrow(scope_of(who)?, region) else {
            return Ok(Page::empty());
        };
        query.within = within;
    }
    let pledges = store::list(conn, &query, page)?;
    details(conn, pledges)
}

/// The caller's own pledges.
pub fn list_mine(
    conn: &mut DbConn,
    who: &Principal,
    filter: PledgeFilter,
    page: &PageRequest<String>,
) -> ServiceResult<Page<PledgeDetail>> {
    let mut query = query_of(filter);
    query.pledger_id = Some(who.id().to_owned());
    let pledges = store::list(conn, &query, page)?;
    details(conn, pledges)
}

/// Whether the caller may ask for `action`: the pledger delivers and cancels; the village
/// cadre or an official of the place confirms.
fn may_act(who: &Principal, pledge: &Pledge, action: PledgeAction) -> bool {
    match action {
        PledgeAction::Deliver | PledgeAction::Cancel => pledge.pledger_id == who.id(),
        PledgeAction::Confirm => {
            who.may(Action::ActForHouseholds).is_ok() && who.sees(&pledge.place)
        }
    }
}

/// What the pledge's step does to its need: a cancellation gives the amount back, the last
/// confirmation fulfils it.
fn follow_on_need(conn: &mut DbConn, pledge: &Pledge, action: PledgeAction) -> ServiceResult<()> {
    let need = need_store::find(conn, &pledge.need_id)?.ok_or_else(ServiceError::not_found)?;
    let now = Utc::now().naive_utc();
    let next = match action {
        PledgeAction::Cancel => {
            need_store::give_back_capacity(conn, &need.id, pledge.amount.value)?;
            need.status_after_release(pledge.amount.value)
        }
        PledgeAction::Confirm => {
            let left = store::count_unconfirmed(conn, &need.id)?;
            need.status_after_confirmation(left)?
        }
        PledgeAction::Deliver => None,
    };
    if let Some(status) = next {
        need_store::set_pledging_status(conn, &need.id, status, now)?;
    }
    Ok(())
}

/// `deliver` (the pledger, with evidence), `confirm` (the village cadre or an official of
/// the place), `cancel` (the pledger, before delivery; the capacity goes back to the need).
pub fn act(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    action: PledgeAction,
    input: PledgeActionInput,
) -> ServiceResult<PledgeDetail> {
    write_transaction(conn, |conn| {
        let current = load(conn, who, id)?;
        if !may_act(who, &current, action) {
            return Err(ServiceError::forbidden());
        }
        // Lock the need first: a confirmation must see every other committed confirmation.
        need_store::lock(conn, &current.need_id)?;
        current.status.transition(action)?;
        let step = PledgeStep::parse(
            action,
            who.id(),
            &input.evidence,
            input.note.as_deref(),
            input.reason.as_deref(),
        )?;
        let next = current.after(step, Utc::now())?;
        if !store::update(conn, &next, current.version)? {
            return Err(ServiceError::changed_meanwhile("认领记录", "pledge"));
        }
        follow_on_need(conn, &next, action)?;
        Audit::by(who, format!("pledge.{}", action.as_str()))
            .on("pledge", &next.id)
            .at(&next.place)
            .record(conn, meta)?;
        detail(conn, next)
    })
}

/// Feedback on a delivered or confirmed pledge, from the household side (its village cadre
/// or an official of the place).
pub fn give_feedback(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    feedback: Feedback,
) -> ServiceResult<PledgeDetail> {
    write_transaction(conn, |conn| {
        let pledge = load(conn, who, id)?;
        if !who.sees(&pledge.place) {
            return Err(ServiceError::not_found());
        }
        pledge.takes_feedback()?;
        store::insert_feedback(
            conn,
            &PledgeFeedback {
                id: uuid::Uuid::now_v7().to_string(),
                pledge_id: pledge.id.clone(),
                author_id: who.id().to_owned(),
                feedback,
                created_at: Utc::now(),
            },
        )?;
        Audit::by(who, "pledge.feedback")
            .on("pledge", &pledge.id)
            .at(&pledge.place)
            .record(conn, meta)?;
        detail(conn, pledge)
    })
}
