//! Needs (需求) of registered poor households and villages: drafted by village cadres and
//! officials of the place, seen in full only within the jurisdiction, moved along their
//! lifecycle by the officials, expired by the platform when their deadline passes.

use chrono::Utc;
use serde_json::json;

use domain::identity::{Principal, today_in_china as today};
use domain::platform::{
    Need, NeedAction, NeedCategory, NeedDraft, NeedStatus, TargetGroup, Urgency,
};
use domain::region::RegionCode;
use persistence::page::{Page, PageRequest};
pub use persistence::platform::needs::PublicKey;
use persistence::platform::needs::{self as store, NeedQuery, OpenNeedQuery};
use persistence::platform::pledges;
use persistence::{DbConn, Sweep, try_sweep_lock, write_transaction};

use super::places;
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, ErrorCode, RequestMeta, ServiceError, ServiceResult};

/// Filters of the officials' need list.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    /// This region and everything under it.
    pub region: Option<RegionCode>,
    pub status: Option<NeedStatus>,
    pub category: Option<NeedCategory>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
}

/// Filters of the public listing.
#[derive(Debug, Clone, Default)]
pub struct OpenNeedFilter {
    /// This region and everything under it (any level).
    pub region: Option<RegionCode>,
    pub category: Option<NeedCategory>,
    pub target_group: Option<TargetGroup>,
    pub urgency: Option<Urgency>,
    /// Only needs with at least this much left, in their own measure.
    pub min_remaining: Option<i64>,
}

/// Needs open for pledges, for anyone: most urgent first, then by deadline.
pub fn list_open(
    conn: &mut DbConn,
    filter: OpenNeedFilter,
    page: &PageRequest<PublicKey>,
) -> ServiceResult<Page<Need>> {
    let query = OpenNeedQuery {
        within: filter.region,
        category: filter.category,
        target_group: filter.target_group,
        urgency: filter.urgency,
        min_remaining: filter.min_remaining,
        today: today(),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let found = store::list_open(conn, &query)?;
    Ok(Page::from_fetched(found, page.limit, store::public_key))
}

/// Loads a need the caller may see in full: one in their jurisdiction (404 otherwise).
pub fn load(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<Need> {
    store::find(conn, id)?
        .filter(|n| who.sees(&n.place))
        .ok_or_else(ServiceError::not_found)
}

/// Loads a need anyone may see: a published one (404 otherwise).
pub fn load_public(conn: &mut DbConn, id: &str) -> ServiceResult<Need> {
    store::find(conn, id)?
        .filter(|n| n.status.is_public())
        .ok_or_else(ServiceError::not_found)
}

/// Drafts a need for a household or village of the caller's jurisdiction.
pub fn create(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    draft: NeedDraft,
) -> ServiceResult<Need> {
    let spec = draft.parse(today()).map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        let recipient = places::resolve(conn, Some(who), &spec.beneficiary)?;
        let id = uuid::Uuid::now_v7().to_string();
        let need = Need::drafted(id, spec, recipient, who.id(), Utc::now());
        store::insert(conn, &need)?;
        Audit::by(who, "need.create")
            .on("need", &need.id)
            .at(&need.place)
            .record(conn, meta)?;
        Ok(need)
    })
}

/// Needs of the caller's jurisdiction in every status, oldest first.
pub fn list(
    conn: &mut DbConn,
    who: &Principal,
    filter: NeedFilter,
    page: &PageRequest<String>,
) -> ServiceResult<Page<Need>> {
    let Reach::Within(within) = narrow(scope_of(who)?, filter.region) else {
        return Ok(Page::empty());
    };
    let query = NeedQuery {
        within,
        status: filter.status,
        category: filter.category,
        household_id: filter.household_id,
        village_id: filter.village_id,
    };
    Ok(store::list(conn, &query, page)?)
}

fn not_editable(status: NeedStatus) -> ServiceError {
    ServiceError::new(
        ErrorCode::InvalidTransition,
        format!("当前状态为 {status}，只有草稿或被退回的需求可以修改。"),
        format!("Only a draft or rejected need can be edited; this one is {status}."),
    )
    .with_extension("current_status", status.as_str().into())
}

/// Edits a draft or rejected need: the fields of `patch` replace the stored ones.
/// `precondition` sees the stored need first (the HTTP layer's `If-Match`).
pub fn update(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    patch: NeedDraft,
    precondition: impl FnOnce(&Need) -> ServiceResult<()>,
) -> ServiceResult<Need> {
    write_transaction(conn, |conn| {
        let current = load(conn, who, id)?;
        precondition(&current)?;
        if !current.status.is_editable() {
            return Err(not_editable(current.status));
        }
        let spec = current
            .as_draft()
            .overlay(patch)
            .parse(today())
            .map_err(ServiceError::validation)?;
        let need = current.edited(spec, Utc::now());
        if !store::update(conn, &need, current.version)? {
            return Err(ServiceError::precondition_failed());
        }
        Audit::by(who, "need.update")
            .on("need", &need.id)
            .at(&need.place)
            .record(conn, meta)?;
        Ok(need)
    })
}

/// Cancels the need's undelivered pledges, giving their capacity back.
fn cancel_pledges(conn: &mut DbConn, need: &Need, reason: &str) -> ServiceResult<()> {
    let now = Utc::now();
    for p in pledges::undelivered_of(conn, &need.id)? {
        let released = p.released_by_cancelled_need(reason, now)?;
        if !pledges::update(conn, &released, p.version)? {
            return Err(ServiceError::conflict(
                "认领记录已被修改，请重试。",
                "A pledge changed meanwhile; retry.",
            ));
        }
        store::give_back_capacity(conn, &need.id, p.amount.value)?;
    }
    Ok(())
}

/// Moves a need along its lifecycle (`submit`, `verify`, `reject`, `publish`, `close`,
/// `cancel`). Cancelling also cancels the need's undelivered pledges and gives their
/// capacity back, in the same transaction.
pub fn act(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    action: NeedAction,
    reason: Option<String>,
    precondition: impl FnOnce(&Need) -> ServiceResult<()>,
) -> ServiceResult<Need> {
    write_transaction(conn, |conn| {
        let mut current = load(conn, who, id)?;
        precondition(&current)?;
        let mut next = current.acted(action, reason.as_deref(), who.id(), Utc::now())?;
        if action == NeedAction::Cancel {
            cancel_pledges(
                conn,
                &current,
                next.status_reason.as_deref().unwrap_or_default(),
            )?;
            current = store::find(conn, id)?.ok_or_else(ServiceError::not_found)?;
            next = current.acted(action, reason.as_deref(), who.id(), Utc::now())?;
        }
        if !store::update(conn, &next, current.version)? {
            return Err(ServiceError::conflict(
                "需求已被他人修改，请重新读取后再试。",
                "The need changed meanwhile; read it again and retry.",
            ));
        }
        let audit = Audit::by(who, format!("need.{}", action.as_str()))
            .on("need", &next.id)
            .at(&next.place);
        match &next.status_reason {
            Some(r) => audit.details(json!({"reason": r})),
            None => audit,
        }
        .record(conn, meta)?;
        Ok(next)
    })
}

/// Moves every need whose deadline passed to `expired`; returns how many. Listing and
/// pledging check the deadline themselves, so nothing waits on this sweep to be correct.
/// Every instance runs it; one at a time does the work, the others answer 0 at once (the
/// update is conditional as well, so a need expires once whoever sweeps).
pub fn expire_overdue(conn: &mut DbConn) -> ServiceResult<usize> {
    write_transaction(conn, |conn| {
        if !try_sweep_lock(conn, Sweep::NeedExpiry)? {
            return Ok(0);
        }
        Ok(store::expire_overdue(
            conn,
            today(),
            Utc::now().naive_utc(),
        )?)
    })
}
