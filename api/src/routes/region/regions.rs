//! `GET /regions` and `GET /regions/{code}`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::FieldError;
use domain::region::RegionCode;

use super::views::{Level, RegionDetail, RegionPage};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::pagination::PageRequest;
use crate::openapi::responses::{Always, NotFound, Unavailable};
use crate::service::region::{self as service, RegionQuery};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionListParams {
    /// List the regions under this one: its direct children, or with `level`, every region
    /// of that level in its subtree.
    #[param(example = "210000")]
    pub parent: Option<String>,
    /// Only regions of this level.
    #[param(inline)]
    pub level: Option<Level>,
    /// Page size, 1 to 500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl RegionListParams {
    /// The query and the page asked for; every invalid parameter is reported at once.
    fn parse(self) -> Result<(RegionQuery, PageRequest<String>), ApiError> {
        let mut errors = Vec::new();
        let parent = match self.parent.as_deref().map(RegionCode::parse).transpose() {
            Ok(p) => p,
            Err(e) => {
                errors.push(e.for_field("parent"));
                None
            }
        };
        let page = PageRequest::parse(self.limit, self.cursor.as_deref())
            .map_err(|e| errors.push(e))
            .ok();
        match page.filter(|_| errors.is_empty()) {
            Some(page) => {
                let level = self.level.map(Into::into);
                Ok((RegionQuery { parent, level }, page))
            }
            None => Err(ApiError::invalid_parameters(errors)),
        }
    }
}

/// List regions, ordered by code, keyset-paginated.
///
/// `?parent=210000&level=city` lists the 14 cities; `?parent=210921` lists the townships of
/// 阜新蒙古族自治县; `?parent=210900&level=village` lists every village of 阜新市.
#[utoipa::path(
    tag = "regions",
    operation_id = "list_regions",
    params(RegionListParams),
    responses(
        (status = 200, description = "A page of regions", body = RegionPage),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
        Always,
    )
)]
#[get("/regions")]
pub async fn list_regions(
    state: web::Data<AppState>,
    params: web::Query<RegionListParams>,
) -> Result<web::Json<RegionPage>, ApiError> {
    let (query, page) = params.into_inner().parse()?;
    let regions = state
        .call(move |conn| service::list(conn, &query, &page))
        .await?;
    Ok(web::Json(regions.into()))
}

/// One region with its ancestry.
#[utoipa::path(
    tag = "regions",
    operation_id = "get_region",
    params(("code" = String, Path, description = "Region code: 6 digits (province, city, county) or 12 (township, village)", example = "210921")),
    responses(
        (status = 200, description = "The region and its ancestors", body = RegionDetail,
            headers(("ETag" = String, description = "Entity tag of this representation"))),
        (status = 304, description = "Not modified (If-None-Match matched)"),
        (status = 404, response = NotFound),
        (status = 503, response = Unavailable),
        Always,
    )
)]
#[get("/regions/{code}")]
pub async fn get_region(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = RegionCode::parse(&code)
        .map_err(|e: FieldError| ApiError::invalid_parameters(vec![e.for_field("code")]))?;
    let found = state.call(move |conn| service::get(conn, &code)).await?;
    Ok(etag::respond(&req, &RegionDetail::from(&found)))
}
