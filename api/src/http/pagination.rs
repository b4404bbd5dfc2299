//! Keyset pagination: `?limit=` (default 50, at most 500) and an opaque `?cursor=`; the
//! page types live with the queries that fill them.

pub use persistence::page::{DEFAULT_LIMIT, MAX_LIMIT, Page, PageRequest, encode, finish};
