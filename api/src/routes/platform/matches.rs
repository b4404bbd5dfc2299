//! Matching (供需对接): `GET /needs/{id}/matches` ranks open offers for a need, and
//! `GET /offers/{id}/matches` ranks published needs for an offer, by the domain's score.

use actix_web::{get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::Action;
use domain::platform::matching::{Reason, Score};

use super::views::{OfferView, PublicNeedView};
use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn};
use crate::service::platform::matching;
use crate::state::AppState;

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

impl From<&Reason> for ReasonView {
    fn from(r: &Reason) -> Self {
        ReasonView {
            factor: serde_json::to_value(r.factor)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            points: r.points,
            max: r.max,
            code: r.code.to_owned(),
        }
    }
}

fn reasons(s: &Score) -> Vec<ReasonView> {
    s.reasons.iter().map(ReasonView::from).collect()
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
    caller.may(Action::ReadPlatform)?;
    let limit = matching::limit(params.limit)?;
    let principal = caller.principal.clone();
    let ranked = state
        .call(move |conn| matching::for_need(conn, &principal, &id, limit))
        .await?;
    let items = ranked
        .iter()
        .map(|(s, o)| OfferMatch {
            score: s.total,
            reasons: reasons(s),
            offer: OfferView::from(o),
        })
        .collect();
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
    let limit = matching::limit(params.limit)?;
    let principal = caller.principal.clone();
    let ranked = state
        .call(move |conn| matching::for_offer(conn, &principal, &id, limit))
        .await?;
    let items = ranked
        .iter()
        .map(|(s, n)| NeedMatch {
            score: s.total,
            reasons: reasons(s),
            need: PublicNeedView::from(n),
        })
        .collect();
    Ok(web::Json(NeedMatches { items }))
}
