//! Keyset pagination: `?limit=` (default 50, at most 500) and an opaque `?cursor=` that
//! encodes the sort key of the last item returned. Never OFFSET.

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
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

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
    fn finish_only_gives_a_cursor_when_more_rows_exist() {
        let (page, next) = finish(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(page, vec![1, 2]);
        assert_eq!(next, Some(encode(&2)));
        let (page, next) = finish(vec![1, 2], 2, |n| *n);
        assert_eq!(page, vec![1, 2]);
        assert_eq!(next, None);
    }
}
