//! Regions (行政区划): reading the reference hierarchy, and the one answer every area gives
//! when a request names a region that does not exist. The hierarchy is reference data,
//! loaded once and never changed, so its reads need no snapshot.

use domain::region::{Region, RegionCode};
use persistence::DbConn;
use persistence::page::{Page, PageRequest};
use persistence::region as store;
pub use persistence::region::RegionQuery;

use super::{ErrorCode, ServiceError, ServiceResult};

/// A region with its ancestry, top down (province first).
#[derive(Debug, Clone)]
pub struct RegionWithAncestry {
    pub region: Region,
    pub ancestors: Vec<Region>,
}

/// 404 naming the region code nobody knows.
pub fn unknown(code: &RegionCode) -> ServiceError {
    ServiceError::new(
        ErrorCode::NotFound,
        format!("没有行政区划 {code}。"),
        format!("No region {code}."),
    )
}

/// The region `code` names, or [`unknown`].
pub fn load(conn: &mut DbConn, code: &RegionCode) -> ServiceResult<Region> {
    store::find(conn, code)?.ok_or_else(|| unknown(code))
}

/// One page of regions (see [`RegionQuery`]); an unknown `parent` is 404.
pub fn list(
    conn: &mut DbConn,
    query: &RegionQuery,
    page: &PageRequest<String>,
) -> ServiceResult<Page<Region>> {
    if let Some(parent) = &query.parent {
        load(conn, parent)?;
    }
    Ok(store::list(conn, query, page)?)
}

/// One region and the regions above it.
pub fn get(conn: &mut DbConn, code: &RegionCode) -> ServiceResult<RegionWithAncestry> {
    let region = load(conn, code)?;
    let ancestors = store::find_many(conn, &code.ancestors())?;
    Ok(RegionWithAncestry { region, ancestors })
}
