//! Matching (供需对接): `GET /needs/{id}/matches` ranks open offers for a need, and
//! `GET /offers/{id}/matches` ranks published needs for an offer, by the domain's score
//! (`domain::platform::matching`). Candidates come from indexed lookups bounded by a limit
//! — the place and its ancestors in the offers' region index, the needs' level indexes in
//! urgency order — so the time does not grow with the size of the tables.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, today_in_china as today};
use domain::platform::NeedCategory;
use domain::platform::matching::{Reason, score};
use domain::region::RegionCode;
use persistence::platform::needs::{self as needs_store, OpenNeedQuery};
use persistence::platform::offers as offers_store;

use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn};
use crate::routes::platform_views::{
    OfferView, PublicNeedView, load_need, need_facts, offer_facts,
};
use crate::state::AppState;

/// Candidates fetched per lookup before ranking.
const SAME_CATEGORY_CANDIDATES: i64 = 200;
const OTHER_CATEGORY_CANDIDATES: i64 = 50;
const NEEDS_PER_REGION: i64 = 100;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(need_matches).service(offer_matches);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// How many to return, best first (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

fn limit_of(p: &MatchParams) -> Result<usize, ApiError> {
    match p.limit.unwrap_or(20) {
        n @ 1..=100 => Ok(n as usize),
        _ => Err(ApiError::invalid_parameters(vec![domain::FieldError::new(
            "limit",
            "out_of_range",
            "limit must be between 1 and 100",
            "limit 必须在 1 到 100 之间",
        )])),
    }
}

/// Why an item ranks where it does.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonView {
    /// `category`, `place`, `target_group`, `amount`, `urgency`, `deadline`.
    pub factor: String,
    pub points: u32,
    pub max: u32,
    /// `same_category`, `same_county`, `group_served`, `covers_all`, `high`, `within_a_week`, ...
    pub code: String,
}

fn reasons(r: &[Reason]) -> Vec<ReasonView> {
    r.iter()
        .map(|r| ReasonView {
            factor: serde_json::to_value(r.factor)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            points: r.points,
            max: r.max,
            code: r.code.to_owned(),
        })
        .collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferMatch {
    /// Out of 100.
    pub score: u32,
    pub reasons: Vec<ReasonView>,
    pub offer: OfferView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferMatches {
    pub items: Vec<OfferMatch>,
}

/// Open offers ranked for a need of your jurisdiction.
#[utoipa::path(
    tag = "platform", operation_id = "need_matches", security(("bearer" = [])),
    params(("id" = String, Path, description = "Need id"), MatchParams),
    responses(
        (status = 200, description = "Offers, best first (ties by id)", body = OfferMatches),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/needs/{id}/matches")]
pub async fn need_matches(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: web::Query<MatchParams>,
) -> Result<web::Json<OfferMatches>, ApiError> {
    caller
        .may(Action::ReadPlatform)
        .map_err(|_| ApiError::forbidden())?;
    let limit = limit_of(&params)?;
    let principal = caller.principal.clone();
    let items = state
        .db(move |conn| {
            let need = load_need(conn, &principal, &id)?;
            let facts = need_facts(&need)?;
            let day = today();
            let mut places: Vec<String> = facts
                .place
                .ancestors()
                .iter()
                .map(ToString::to_string)
                .collect();
            places.push(facts.place.to_string());
            let mut ids = offers_store::candidates(
                conn,
                &places,
                &need.category,
                true,
                day,
                SAME_CATEGORY_CANDIDATES,
            )?;
            ids.extend(offers_store::candidates(
                conn,
                &places,
                &need.category,
                false,
                day,
                OTHER_CATEGORY_CANDIDATES,
            )?);
            let offers = offers_store::find_many(conn, &ids)?;
            let mut ranked = Vec::new();
            for o in offers.iter().filter(|o| o.status == "open") {
                if let Some(s) = score(&facts, &offer_facts(o)?, day) {
                    ranked.push((s, o));
                }
            }
            ranked.sort_by(|(a, x), (b, y)| b.total.cmp(&a.total).then_with(|| x.id.cmp(&y.id)));
            ranked
                .into_iter()
                .take(limit)
                .map(|(s, o)| {
                    Ok(OfferMatch {
                        score: s.total,
                        reasons: reasons(&s.reasons),
                        offer: OfferView::build(o)?,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(web::Json(OfferMatches { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeedMatch {
    /// Out of 100.
    pub score: u32,
    pub reasons: Vec<ReasonView>,
    pub need: PublicNeedView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeedMatches {
    pub items: Vec<NeedMatch>,
}

/// Published needs ranked for an offer (its owner, or anyone who may read the platform).
#[utoipa::path(
    tag = "platform", operation_id = "offer_matches", security(("bearer" = [])),
    params(("id" = String, Path, description = "Offer id"), MatchParams),
    responses(
        (status = 200, description = "Needs, best first (ties by id)", body = NeedMatches),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/offers/{id}/matches")]
pub async fn offer_matches(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: web::Query<MatchParams>,
) -> Result<web::Json<NeedMatches>, ApiError> {
    let limit = limit_of(&params)?;
    let principal = caller.principal.clone();
    let items = state
        .db(move |conn| {
            let offer = crate::routes::offers::load(conn, &principal, &id)?;
            if offer.owner_id != principal.id() && principal.may(Action::ReadPlatform).is_err() {
                return Err(ApiError::forbidden());
            }
            let facts = offer_facts(&offer)?;
            let day = today();
            let regions = if facts.regions.is_empty() {
                vec![RegionCode::parse(offers_store::ANYWHERE)?]
            } else {
                facts.regions.clone()
            };
            let categories: Vec<NeedCategory> = if facts.category == NeedCategory::Other {
                NeedCategory::ALL.to_vec()
            } else {
                vec![facts.category, NeedCategory::Other]
            };
            let mut rows = Vec::new();
            for region in &regions {
                for category in &categories {
                    rows.extend(needs_store::list_open(
                        conn,
                        &OpenNeedQuery {
                            within: Some(region.clone()),
                            category: Some(category.as_str().to_owned()),
                            target_group: None,
                            urgency_rank: None,
                            min_remaining: None,
                            today: day,
                            after: None,
                            limit: NEEDS_PER_REGION,
                        },
                    )?);
                }
            }
            rows.sort_by(|a, b| a.id.cmp(&b.id));
            rows.dedup_by(|a, b| a.id == b.id);
            let mut ranked = Vec::new();
            for n in &rows {
                if let Some(s) = score(&need_facts(n)?, &facts, day) {
                    ranked.push((s, n));
                }
            }
            ranked.sort_by(|(a, x), (b, y)| b.total.cmp(&a.total).then_with(|| x.id.cmp(&y.id)));
            ranked
                .into_iter()
                .take(limit)
                .map(|(s, n)| {
                    Ok(NeedMatch {
                        score: s.total,
                        reasons: reasons(&s.reasons),
                        need: PublicNeedView::build(n)?,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    Ok(web::Json(NeedMatches { items }))
}
