//! `/api/v1/public/needs`: published needs for portals, without a token. A household shows
//! only as its village, a pseudonym and its cause category: never a name, ID, phone,
//! health detail or address. Cacheable for a minute, with ETags.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::today_in_china as today;
use domain::platform::{NeedCategory, TargetGroup, Urgency};
use domain::region::RegionCode;
use persistence::platform::needs::{self as store, OpenNeedQuery, PublicKey};

use crate::error::ApiError;
use crate::http::etag::PUBLIC_CACHE;
use crate::http::{etag, pagination};
use crate::openapi::responses::{Always, NotFound};
use crate::routes::platform_views::{PublicNeedView, load_public_need};
use crate::routes::public_cache::Rendered;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_public_needs).service(get_public_need);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicNeedParams {
    /// This region and everything under it (any level).
    pub region: Option<String>,
    /// `education`, `medical`, `housing`, `production`, `employment`, `training`,
    /// `daily_necessities`, `infrastructure`, `other`.
    pub category: Option<String>,
    /// `left_behind_women`, `children`, `elderly`, `disabled`.
    pub target_group: Option<String>,
    /// `high`, `medium`, `low`.
    pub urgency: Option<String>,
    /// Only needs with at least this much left, in their own measure (fen for money).
    #[param(minimum = 1)]
    pub min_remaining: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicNeedPage {
    /// Most urgent first, then the nearest deadline.
    pub items: Vec<PublicNeedView>,
    pub next_cursor: Option<String>,
}

fn with_cache(mut resp: HttpResponse) -> HttpResponse {
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_CACHE),
    );
    resp
}

/// Needs open for pledges, most urgent first, then by deadline; keyset-paginated.
#[utoipa::path(
    tag = "public", operation_id = "list_public_needs", params(PublicNeedParams),
    responses(
        (status = 200, description = "A page of published needs", body = PublicNeedPage,
            headers(("ETag" = String, description = "Entity tag of the page"), ("Cache-Control" = String, description = "`public, max-age=60`"))),
        (status = 304, description = "Not modified"),
        Always,
    )
)]
#[get("/public/needs")]
pub async fn list_public_needs(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<PublicNeedParams>,
) -> Result<HttpResponse, ApiError> {
    let p = params.into_inner();
    let mut errors = Vec::new();
    let page = pagination::PageRequest::<PublicKey>::parse(p.limit, p.cursor.as_deref())
        .map_err(|e| errors.push(e))
        .ok();
    let region = p
        .region
        .as_deref()
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| errors.push(e.for_field("region")))
        .ok()
        .flatten();
    let category = p
        .category
        .as_deref()
        .map(NeedCategory::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let group = p
        .target_group
        .as_deref()
        .map(TargetGroup::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let urgency = p
        .urgency
        .as_deref()
        .map(Urgency::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if p.min_remaining.is_some_and(|m| m < 1) {
        errors.push(domain::FieldError::new(
            "min_remaining",
            "out_of_range",
            "min_remaining must be at least 1",
            "min_remaining 至少为 1",
        ));
    }
    let (Some(page), true) = (page, errors.is_empty()) else {
        return Err(ApiError::invalid_parameters(errors));
    };
    let query = OpenNeedQuery {
        within: region,
        category: category.map(|c| c.as_str().to_owned()),
        target_group: group.map(|g| g.as_str().to_owned()),
        urgency_rank: urgency.map(store::urgency_rank),
        min_remaining: p.min_remaining,
        today: today(),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state
        .db(move |conn| Ok(store::list_open(conn, &query)?))
        .await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| {
        (r.urgency_rank, r.deadline, r.id.clone())
    });
    let body = PublicNeedPage {
        items: rows
            .iter()
            .map(PublicNeedView::build)
            .collect::<Result<_, _>>()?,
        next_cursor,
    };
    Ok(with_cache(etag::respond(&req, &body)))
}

/// One published need (also once fully pledged, fulfilled or closed).
#[utoipa::path(
    tag = "public", operation_id = "get_public_need", params(("id" = String, Path, description = "Need id")),
    responses(
        (status = 200, description = "The need", body = PublicNeedView,
            headers(("ETag" = String, description = "Entity tag"), ("Cache-Control" = String, description = "`public, max-age=60`"))),
        (status = 304, description = "Not modified"),
        (status = 404, response = NotFound),
        Always,
    )
)]
#[get("/public/needs/{id}")]
pub async fn get_public_need(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let rendered = match state.public_needs.get(&id) {
        Some(hit) => hit,
        None => {
            let key = id.clone();
            let row = state.db(move |conn| load_public_need(conn, &key)).await?;
            let body = serde_json::to_vec(&PublicNeedView::build(&row)?)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            let rendered = Arc::new(Rendered {
                etag: etag::of_bytes(&body),
                body,
            });
            state.public_needs.put(id, rendered.clone());
            rendered
        }
    };
    Ok(with_cache(etag::respond_bytes(
        &req,
        rendered.etag.clone(),
        rendered.body.clone(),
    )))
}
