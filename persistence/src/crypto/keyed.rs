//! [`Keyed`]: a stored row together with the data keys that open its personal columns, so
//! a row with encrypted columns decodes into its domain type with one `TryFrom`, inside
//! persistence, and no cipher or associated data is named above it.

use super::DataKeys;

/// A row and the keys to decode it with.
#[derive(Debug, Clone, Copy)]
pub struct Keyed<'k, R> {
    pub row: R,
    pub keys: &'k DataKeys,
}

impl<'k, R> Keyed<'k, R> {
    pub fn new(row: R, keys: &'k DataKeys) -> Self {
        Self { row, keys }
    }
}
