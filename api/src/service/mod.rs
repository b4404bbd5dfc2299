//! The use cases, one module per policy area with the same name as in `domain` and
//! `persistence`. A service function is one use case: it takes the caller's principal and
//! a parsed domain draft, loads what it needs through the area's scoped loader (404 outside
//! the caller's reach, answered in one place per resource), applies the domain's rules,
//! writes through persistence in one transaction, records the audit event, and returns a
//! domain value or a [`ServiceError`]. Nothing here knows HTTP: the routes, the CLI and
//! the background jobs call the same functions.

pub mod audit;
pub mod brand;
pub mod donation;
pub mod enterprise;
pub mod error;
pub mod identity;
pub mod individual;
pub mod operations;
pub mod platform;
pub mod region;
pub mod registry;
pub mod scope;
pub mod social_org;
pub mod volunteer;

pub use audit::{Audit, RequestMeta};
pub use error::{ErrorCode, ServiceError};

/// What a use case returns.
pub type ServiceResult<T> = Result<T, ServiceError>;
