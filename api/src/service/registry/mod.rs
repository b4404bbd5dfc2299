//! 建档立卡: the register of poor villages and households: registering and changing them,
//! their status transitions under the exit rule, bulk import and export.

pub mod exports;
pub mod households;
pub mod imports;
pub mod status;
pub mod villages;

use domain::FieldError;

use super::ServiceError;

/// 422: the village lies outside the caller's jurisdiction.
pub(crate) fn outside_jurisdiction() -> ServiceError {
    ServiceError::validation(vec![FieldError::new(
        "region_code",
        "outside_jurisdiction",
        "the village is outside your jurisdiction",
        "该村不在您的管辖范围内",
    )])
}

/// 422: the region is no village of the reference hierarchy.
pub(crate) fn unknown_village() -> ServiceError {
    ServiceError::validation(vec![FieldError::new(
        "region_code",
        "unknown_region",
        "no such village",
        "该村不存在",
    )])
}
