//! Jurisdiction, in one place: what part of the province a caller may see, narrowed by a
//! request's region filter, and the place of a stored row. Every scoped read goes through
//! these, so "officials see their jurisdiction" has one meaning across the API.

use domain::identity::{Jurisdiction, Principal};
use domain::region::RegionCode;

use super::ServiceError;

/// The caller's jurisdiction as a region filter: `None` is everywhere; no jurisdiction → 403.
pub fn scope_of(principal: &Principal) -> Result<Option<RegionCode>, ServiceError> {
    match principal.jurisdiction() {
        Jurisdiction::Everywhere => Ok(None),
        Jurisdiction::Within(r) => Ok(Some(r)),
        Jurisdiction::Nowhere => Err(ServiceError::forbidden()),
    }
}

/// Where a query may look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// This subtree (`None`: everywhere).
    Within(Option<RegionCode>),
    /// The filter lies outside the jurisdiction: the answer is empty.
    Nowhere,
}

/// Narrows the caller's scope by a `?region=` filter.
pub fn narrow(scope: Option<RegionCode>, filter: Option<RegionCode>) -> Reach {
    match (scope, filter) {
        (None, f) => Reach::Within(f),
        (Some(s), None) => Reach::Within(Some(s)),
        (Some(s), Some(f)) if s.contains(&f) => Reach::Within(Some(f)),
        (Some(s), Some(f)) if f.contains(&s) => Reach::Within(Some(s)),
        _ => Reach::Nowhere,
    }
}

/// The place of a stored row (its village).
pub fn place_of(region_code: &str) -> Result<RegionCode, ServiceError> {
    RegionCode::parse(region_code)
        .map_err(|e| ServiceError::internal(format!("stored region code invalid: {}", e.code)))
}
