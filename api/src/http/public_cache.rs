//! The rendered public view of single needs, kept for a few seconds. Public answers are
//! already declared cacheable for 60 s (`Cache-Control: public, max-age=60`), so serving the
//! same bytes for [`PUBLIC_NEED_TTL`] changes nothing a client can rely on; writes in this
//! process drop the entry at once, and other processes' copies expire within the TTL.

use std::sync::Arc;
use std::time::Duration;

/// How long a rendered public need is served from memory.
pub const PUBLIC_NEED_TTL: Duration = Duration::from_secs(5);
/// At most this many needs are kept.
pub const PUBLIC_NEED_CAPACITY: u64 = 100_000;

/// A rendered answer: the JSON bytes and their entity tag.
#[derive(Debug)]
pub struct Rendered {
    pub body: Vec<u8>,
    pub etag: String,
}

impl Rendered {
    /// `view` serialized once, tagged with the hash of exactly those bytes.
    pub fn of<T: serde::Serialize>(view: &T) -> Result<Self, crate::error::ApiError> {
        let body = serde_json::to_vec(view)
            .map_err(|e| crate::error::ApiError::internal(e.to_string()))?;
        Ok(Rendered {
            etag: super::etag::of_bytes(&body),
            body,
        })
    }
}

/// Rendered public needs by id (moka: a concurrent cache with time-to-live and a size
/// bound, so a hot need costs no database round trip and memory stays bounded).
#[derive(Clone)]
pub struct PublicNeedCache(moka::sync::Cache<String, Arc<Rendered>>);

impl std::fmt::Debug for PublicNeedCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicNeedCache")
            .field("entries", &self.0.entry_count())
            .finish()
    }
}

impl Default for PublicNeedCache {
    fn default() -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(PUBLIC_NEED_CAPACITY)
                .time_to_live(PUBLIC_NEED_TTL)
                .build(),
        )
    }
}

impl PublicNeedCache {
    pub fn get(&self, id: &str) -> Option<Arc<Rendered>> {
        self.0.get(id)
    }

    pub fn put(&self, id: String, rendered: Arc<Rendered>) {
        self.0.insert(id, rendered);
    }

    /// Drops a need whose public view may have changed.
    pub fn forget(&self, id: &str) {
        self.0.invalidate(id);
    }
}
