//! `/api/v1/regions`: Liaoning's administrative hierarchy (reference data, public).

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::region::{Region, RegionCode, RegionLevel};
use persistence::region::{self as store, RegionQuery};

use crate::error::ApiError;
use crate::http::{etag, pagination};
use crate::openapi::responses::{Always, NotFound, Unavailable};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_regions).service(get_region);
}

/// Level of a region in the hierarchy.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 省 (province)
    Province,
    /// 市 (prefecture-level city)
    City,
    /// 县、区、县级市 (county, district or county-level city)
    County,
    /// 乡、镇、街道 (township, town or sub-district)
    Township,
    /// 村、社区 (village or community)
    Village,
}

impl From<RegionLevel> for Level {
    fn from(l: RegionLevel) -> Self {
        match l {
            RegionLevel::Province => Level::Province,
            RegionLevel::City => Level::City,
            RegionLevel::County => Level::County,
            RegionLevel::Township => Level::Township,
            RegionLevel::Village => Level::Village,
        }
    }
}

/// A region, as listed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"code": "210921", "name": "阜新蒙古族自治县", "level": "county", "parent_code": "210900"}))]
pub struct RegionView {
    /// 6 digits for province, city and county; 12 for township and village.
    pub code: String,
    /// Official name.
    pub name: String,
    pub level: Level,
    /// The region directly above; null for the province.
    pub parent_code: Option<String>,
}

impl From<&Region> for RegionView {
    fn from(r: &Region) -> Self {
        Self {
            code: r.code.to_string(),
            name: r.name.clone(),
            level: r.level().into(),
            parent_code: r.parent_code().map(String::from),
        }
    }
}

/// A region with its ancestry, top down (province first).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "code": "210921", "name": "阜新蒙古族自治县", "level": "county", "parent_code": "210900",
    "ancestors": [
        {"code": "210000", "name": "辽宁省", "level": "province", "parent_code": null},
        {"code": "210900", "name": "阜新市", "level": "city", "parent_code": "210000"}
    ]
}))]
pub struct RegionDetail {
    #[serde(flatten)]
    pub region: RegionView,
    pub ancestors: Vec<RegionView>,
}

/// One page of regions.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "items": [{"code": "210100", "name": "沈阳市", "level": "city", "parent_code": "210000"}],
    "next_cursor": "IjIxMDEwMCI"
}))]
pub struct RegionPage {
    pub items: Vec<RegionView>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

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

fn level_of(l: Level) -> RegionLevel {
    match l {
        Level::Province => RegionLevel::Province,
        Level::City => RegionLevel::City,
        Level::County => RegionLevel::County,
        Level::Township => RegionLevel::Township,
        Level::Village => RegionLevel::Village,
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
    let params = params.into_inner();
    let mut errors = Vec::new();
    let parent = match params.parent.as_deref().map(RegionCode::parse).transpose() {
        Ok(p) => p,
        Err(e) => {
            errors.push(e.for_field("parent"));
            None
        }
    };
    let page = pagination::PageRequest::<String>::parse(params.limit, params.cursor.as_deref())
        .map_err(|e| errors.push(e))
        .ok();
    let Some(page) = page.filter(|_| errors.is_empty()) else {
        return Err(ApiError::invalid_parameters(errors));
    };
    let query = RegionQuery {
        parent: parent.clone(),
        level: params.level.map(level_of),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state
        .db(move |conn| {
            if let Some(parent) = &parent {
                store::find(conn, parent)?.ok_or_else(|| unknown_region(parent))?;
            }
            Ok(store::list(conn, &query)?)
        })
        .await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.code.to_string());
    Ok(web::Json(RegionPage {
        items: rows.iter().map(RegionView::from).collect(),
        next_cursor,
    }))
}

fn unknown_region(code: &RegionCode) -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::NOT_FOUND,
        "not_found",
        format!("没有行政区划 {code}。"),
        format!("No region {code}."),
    )
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
    let (region, ancestors) = state
        .db(move |conn| {
            let region = store::find(conn, &code)?.ok_or_else(|| unknown_region(&code))?;
            let ancestors = store::find_many(conn, &code.ancestors())?;
            Ok((region, ancestors))
        })
        .await?;
    let detail = RegionDetail {
        region: RegionView::from(&region),
        ancestors: ancestors.iter().map(RegionView::from).collect(),
    };
    Ok(etag::respond(&req, &detail))
}
