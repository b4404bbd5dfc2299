//! The representations of regions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::region::{Region, RegionLevel};

use crate::http::pagination::Page;
use crate::service::region::RegionWithAncestry;

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

impl From<Level> for RegionLevel {
    fn from(l: Level) -> Self {
        match l {
            Level::Province => RegionLevel::Province,
            Level::City => RegionLevel::City,
            Level::County => RegionLevel::County,
            Level::Township => RegionLevel::Township,
            Level::Village => RegionLevel::Village,
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

impl From<&RegionWithAncestry> for RegionDetail {
    fn from(r: &RegionWithAncestry) -> Self {
        Self {
            region: RegionView::from(&r.region),
            ancestors: r.ancestors.iter().map(RegionView::from).collect(),
        }
    }
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

impl From<Page<Region>> for RegionPage {
    fn from(page: Page<Region>) -> Self {
        let page = page.map(|r| RegionView::from(&r));
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}
