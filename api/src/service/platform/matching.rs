//! Matching (供需对接): open offers ranked for a need, published needs ranked for an offer,
//! by the domain's score (`domain::platform::matching`). Candidates come from indexed
//! lookups bounded by a limit — the place and its ancestors in the offers' region index,
//! the needs' level indexes in urgency order — so the time does not grow with the size of
//! the tables.

use domain::FieldError;
use domain::identity::{Action, Principal, today_in_china as today};
use domain::platform::matching::{Score, score};
use domain::platform::{Need, NeedCategory, Offer, OfferStatus};
use domain::region::RegionCode;
use persistence::DbConn;
use persistence::platform::needs::{self as need_store, OpenNeedQuery};
use persistence::platform::offers as offer_store;

use super::{needs, offers};
use crate::service::{ServiceError, ServiceResult};

/// Candidates fetched per lookup before ranking.
const SAME_CATEGORY_CANDIDATES: i64 = 200;
const OTHER_CATEGORY_CANDIDATES: i64 = 50;
const NEEDS_PER_REGION: i64 = 100;

/// How many matches to return, best first (default 20, at most 100).
pub fn limit(asked: Option<u32>) -> ServiceResult<usize> {
    match asked.unwrap_or(20) {
        n @ 1..=100 => Ok(n as usize),
        _ => Err(ServiceError::invalid_parameters(vec![FieldError::new(
            "limit",
            "out_of_range",
            "limit must be between 1 and 100",
            "limit 必须在 1 到 100 之间",
        )])),
    }
}

/// The best `limit` of `ranked`, best first, ties by id.
fn best<T>(mut ranked: Vec<(Score, T)>, id: impl Fn(&T) -> &str, limit: usize) -> Vec<(Score, T)> {
    ranked.sort_by(|(a, x), (b, y)| b.total.cmp(&a.total).then_with(|| id(x).cmp(id(y))));
    ranked.truncate(limit);
    ranked
}

/// Open offers ranked for a need of the caller's jurisdiction.
pub fn for_need(
    conn: &mut DbConn,
    who: &Principal,
    id: &str,
    limit: usize,
) -> ServiceResult<Vec<(Score, Offer)>> {
    let need = needs::load(conn, who, id)?;
    let facts = need.facts();
    let day = today();
    let mut places = facts.place.ancestors();
    places.push(facts.place.clone());
    let mut ids = offer_store::candidates(
        conn,
        &places,
        need.category,
        true,
        day,
        SAME_CATEGORY_CANDIDATES,
    )?;
    ids.extend(offer_store::candidates(
        conn,
        &places,
        need.category,
        false,
        day,
        OTHER_CATEGORY_CANDIDATES,
    )?);
    let ranked = offer_store::find_many(conn, &ids)?
        .into_iter()
        .filter(|o| o.status == OfferStatus::Open)
        .filter_map(|o| score(&facts, &o.facts(), day).map(|s| (s, o)))
        .collect();
    Ok(best(ranked, |o: &Offer| &o.id, limit))
}

/// Published needs ranked for an offer (its owner, or anyone who may read the platform).
pub fn for_offer(
    conn: &mut DbConn,
    who: &Principal,
    id: &str,
    limit: usize,
) -> ServiceResult<Vec<(Score, Need)>> {
    let offer = offers::load(conn, who, id)?;
    if offer.owner_id != who.id() {
        who.may(Action::ReadPlatform)?;
    }
    let facts = offer.facts();
    let day = today();
    let regions = if facts.regions.is_empty() {
        vec![RegionCode::parse(offer_store::ANYWHERE)?]
    } else {
        facts.regions.clone()
    };
    let categories: Vec<NeedCategory> = if facts.category == NeedCategory::Other {
        NeedCategory::ALL.to_vec()
    } else {
        vec![facts.category, NeedCategory::Other]
    };
    let mut found = Vec::new();
    for region in &regions {
        for category in &categories {
            found.extend(need_store::list_open(
                conn,
                &OpenNeedQuery {
                    within: Some(region.clone()),
                    category: Some(*category),
                    target_group: None,
                    urgency: None,
                    min_remaining: None,
                    today: day,
                    after: None,
                    limit: NEEDS_PER_REGION,
                },
            )?);
        }
    }
    found.sort_by(|a: &Need, b: &Need| a.id.cmp(&b.id));
    found.dedup_by(|a, b| a.id == b.id);
    let ranked = found
        .into_iter()
        .filter_map(|n| score(&n.facts(), &facts, day).map(|s| (s, n)))
        .collect();
    Ok(best(ranked, |n: &Need| &n.id, limit))
}
