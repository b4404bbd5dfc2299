//! The cross-cutting HTTP conventions, implemented once: request ids and access logs,
//! problem+json for every failure, extractor error mapping, the characters request text may
//! hold, keyset pagination, ETags, Idempotency-Key, request metrics, and the security
//! headers of every answer.

pub mod client_ip;
pub mod etag;
pub mod extract;
pub mod head;
pub mod idempotency;
pub mod known_paths;
pub mod metrics;
pub mod pagination;
pub mod problem;
pub mod public_cache;
pub mod query;
pub mod rate_limit;
pub mod request_id;
pub mod reveal;
pub mod security_headers;
pub mod text;

#[cfg(test)]
mod tests;
