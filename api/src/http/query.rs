//! Reading a list's query parameters: each optional value parsed by its own type, every
//! error kept against its field, and one 400 naming them all, the page's first.

use serde::de::DeserializeOwned;

use domain::FieldError;
use domain::region::RegionCode;

use crate::error::ApiError;
use crate::http::pagination::PageRequest;

/// Collects the errors of a request's query parameters.
#[derive(Debug, Default)]
pub struct QueryReader {
    errors: Vec<FieldError>,
}

impl QueryReader {
    pub fn new() -> Self {
        Self::default()
    }

    /// `raw` parsed when present; an error is kept, reported against `field`.
    pub fn optional<I, T>(
        &mut self,
        raw: Option<I>,
        field: &str,
        parse: impl FnOnce(I) -> Result<T, FieldError>,
    ) -> Option<T> {
        match raw.map(parse).transpose() {
            Ok(value) => value,
            Err(e) => {
                self.errors.push(e.for_field(field));
                None
            }
        }
    }

    /// A `?region=` filter.
    pub fn region(&mut self, raw: Option<&str>) -> Option<RegionCode> {
        self.optional(raw, "region", RegionCode::parse)
    }

    /// The page (`?limit=`, `?cursor=`) if every parameter was valid; else 400 naming each
    /// invalid one.
    pub fn page<K: DeserializeOwned>(
        mut self,
        limit: Option<u32>,
        cursor: Option<&str>,
    ) -> Result<PageRequest<K>, ApiError> {
        // The page's own error first, as every list answered before this reader existed.
        let page = PageRequest::parse(limit, cursor).map_err(|e| self.errors.insert(0, e));
        match page {
            Ok(page) if self.errors.is_empty() => Ok(page),
            _ => Err(ApiError::invalid_parameters(self.errors)),
        }
    }

    /// `Ok` if every parameter was valid (for answers that are not pages).
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid_parameters(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_parameter_is_named_in_one_answer() {
        let mut q = QueryReader::new();
        assert_eq!(
            q.region(Some("210900")).map(|r| r.to_string()),
            Some("210900".into())
        );
        assert_eq!(q.region(None), None);
        assert!(q.region(Some("21x")).is_none());
        assert!(
            q.optional(Some("abc"), "year", |s| s
                .parse::<i32>()
                .map_err(|_| FieldError::new("?", "not_a_number", "x", "x")))
                .is_none()
        );
        let err = q.page::<String>(Some(0), None).unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["limit", "region", "year"]);
        assert_eq!(err.code, "invalid_parameter");
        let ok = QueryReader::new().page::<String>(Some(10), None).unwrap();
        assert_eq!(ok.limit, 10);
        assert!(QueryReader::new().finish().is_ok());
    }
}
