//! `/api/v1/public/needs`: published needs for portals, without a token. A household shows
//! only as its village, a pseudonym and its cause category: never a name, ID, phone,
//! health detail or address. Cacheable for a minute, with ETags.

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::platform::{Need, NeedCategory, TargetGroup, Urgency};

use super::views::PublicNeedView;
use crate::error::ApiError;
use crate::http::etag::{self, PUBLIC_CACHE};
use crate::http::pagination::{Page, PageRequest};
use crate::http::public_cache::Rendered;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, NotFound};
use crate::service::platform::needs::{self, OpenNeedFilter, PublicKey};
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

fn at_least_one(m: i64) -> Result<i64, FieldError> {
    if m < 1 {
        return Err(FieldError::new(
            "min_remaining",
            "out_of_range",
            "min_remaining must be at least 1",
            "min_remaining 至少为 1",
        ));
    }
    Ok(m)
}

impl PublicNeedParams {
    fn read(self) -> Result<(OpenNeedFilter, PageRequest<PublicKey>), ApiError> {
        let mut q = QueryReader::new();
        let filter = OpenNeedFilter {
            region: q.region(self.region.as_deref()),
            category: q.optional(self.category.as_deref(), "category", NeedCategory::parse),
            target_group: q.optional(
                self.target_group.as_deref(),
                "target_group",
                TargetGroup::parse,
            ),
            urgency: q.optional(self.urgency.as_deref(), "urgency", Urgency::parse),
            min_remaining: q.optional(self.min_remaining, "min_remaining", at_least_one),
        };
        Ok((filter, q.page(self.limit, self.cursor.as_deref())?))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicNeedPage {
    /// Most urgent first, then the nearest deadline.
    pub items: Vec<PublicNeedView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Need>> for PublicNeedPage {
    fn from(page: Page<Need>) -> Self {
        PublicNeedPage {
            items: page.items.iter().map(PublicNeedView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
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
    let (filter, page) = params.into_inner().read()?;
    let found = state
        .call(move |conn| needs::list_open(conn, filter, &page))
        .await?;
    Ok(with_cache(etag::respond(
        &req,
        &PublicNeedPage::from(found),
    )))
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
            let need = state
                .call(move |conn| needs::load_public(conn, &key))
                .await?;
            let rendered = Arc::new(Rendered::of(&PublicNeedView::from(&need))?);
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
