//! Keyset pages, the one way every list is read: `limit` (default 50, at most 500) and an
//! opaque cursor that encodes the sort key of the last item returned. Never OFFSET.
//!
//! A list query fetches [`PageRequest::fetch`] rows (one more than the page) and
//! [`Page::from_fetched`] cuts them to the page and makes the next cursor. The filters that
//! nearly every list shares — "within this region's subtree" and "after this key" — are
//! applied by [`keyset_in_subtree!`](crate::keyset_in_subtree).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::FieldError;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// A validated page request: how many items, and the key to continue after.
#[derive(Debug, Clone)]
pub struct PageRequest<K> {
    pub limit: u32,
    pub after: Option<K>,
}

impl<K: DeserializeOwned> PageRequest<K> {
    pub fn parse(limit: Option<u32>, cursor: Option<&str>) -> Result<Self, FieldError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(FieldError::new(
                "limit",
                "out_of_range",
                format!("limit must be between 1 and {MAX_LIMIT}"),
                format!("limit 必须在 1 到 {MAX_LIMIT} 之间"),
            ));
        }
        let after = cursor.map(decode).transpose()?;
        Ok(Self { limit, after })
    }
}

impl<K> PageRequest<K> {
    /// Rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, FieldError> {
    let invalid = || {
        FieldError::new(
            "cursor",
            "invalid_cursor",
            "cursor is not one this API returned; start again without it",
            "cursor 无效，请去掉 cursor 重新开始",
        )
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let key: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    // A made-up cursor must not carry what no key holds (PostgreSQL refuses NUL in text).
    if holds_control_character(&key) {
        return Err(invalid());
    }
    serde_json::from_value(key).map_err(|_| invalid())
}

fn holds_control_character(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    let refused = |s: &str| domain::input::refused_character(s).is_some();
    match value {
        Value::String(s) => refused(s),
        Value::Array(items) => items.iter().any(holds_control_character),
        Value::Object(members) => members
            .iter()
            .any(|(k, v)| refused(k) || holds_control_character(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// The opaque cursor of a sort key.
pub fn encode<K: Serialize>(key: &K) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

/// Cuts `rows` (fetched with [`PageRequest::fetch`]) to the page and makes the cursor for
/// the next one from the last item kept.
pub fn finish<T, K: Serialize>(
    mut rows: Vec<T>,
    req_limit: u32,
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Option<String>) {
    let limit = req_limit as usize;
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|last| encode(&key(last)));
        (rows, next)
    } else {
        (rows, None)
    }
}

/// One page of a list: the items and the cursor of the next page (`None` on the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page of `rows` fetched with [`PageRequest::fetch`], continued after `key`.
    pub fn from_fetched<K: Serialize>(rows: Vec<T>, limit: u32, key: impl Fn(&T) -> K) -> Self {
        let (items, next_cursor) = finish(rows, limit, key);
        Self { items, next_cursor }
    }

    /// The page nobody may see anything of (a filter outside the caller's reach).
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            next_cursor: None,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }

    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            next_cursor: self.next_cursor,
        })
    }
}

/// The filters every keyset list shares, on a boxed query ordered by `$key`:
/// rows within the region subtree `$within` (`Option<&RegionCode>`, `None`: everywhere,
/// compared on the row's region column as a code range, so an index serves it) and after
/// the key `$after` (`Option<&K>`).
///
/// ```ignore
/// let query = keyset_in_subtree!(query, region = p::region_code, within = q.within.as_ref(),
///                                key = p::id, after = q.after.as_ref());
/// ```
#[macro_export]
macro_rules! keyset_in_subtree {
    ($query:expr, region = $region:expr, within = $within:expr, key = $key:expr, after = $after:expr $(,)?) => {{
        let mut query = $query;
        if let Some(region) = $within {
            let (low, high) = ::domain::region::RegionCode::subtree_range(region);
            query = query.filter($region.ge(low)).filter($region.lt(high));
        }
        if let Some(after) = $after {
            query = query.filter($key.gt(after.clone()));
        }
        query
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let c = encode(&"210921100000".to_owned());
        let req = PageRequest::<String>::parse(Some(7), Some(&c)).unwrap();
        assert_eq!(req.after.as_deref(), Some("210921100000"));
        assert_eq!(req.fetch(), 8);
        assert_eq!(
            PageRequest::<String>::parse(None, Some("!!"))
                .unwrap_err()
                .code,
            "invalid_cursor"
        );
        assert_eq!(
            PageRequest::<String>::parse(Some(0), None)
                .unwrap_err()
                .code,
            "out_of_range"
        );
        assert_eq!(
            PageRequest::<String>::parse(Some(501), None)
                .unwrap_err()
                .field,
            "limit"
        );
        assert_eq!(
            PageRequest::<String>::parse(None, None).unwrap().limit,
            DEFAULT_LIMIT
        );
    }

    #[test]
    fn a_page_only_has_a_cursor_when_more_rows_exist() {
        let page = Page::from_fetched(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor, Some(encode(&2)));
        let page = Page::from_fetched(vec![1, 2], 2, |n| *n).map(|n| n * 10);
        assert_eq!(page.items, vec![10, 20]);
        assert_eq!(page.next_cursor, None);
    }
}
