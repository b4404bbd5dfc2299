//! Lists of region codes kept in one text column, space-separated (the villages an activity
//! or a project serves).

use domain::region::RegionCode;

use crate::PersistenceError;

/// The column text of `codes`.
pub(crate) fn join(codes: &[RegionCode]) -> String {
    codes
        .iter()
        .map(RegionCode::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The codes of a column; a code that does not parse is a corrupt row.
pub(crate) fn split(column: &str) -> Result<Vec<RegionCode>, PersistenceError> {
    column
        .split_whitespace()
        .map(|c| RegionCode::parse(c).map_err(PersistenceError::from))
        .collect()
}
