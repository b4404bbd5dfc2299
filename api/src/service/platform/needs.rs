//! Needs (需求) of registered poor households and villages.

use domain::platform::Need;
use persistence::DbConn;
use persistence::platform::needs as store;

use crate::service::{ServiceError, ServiceResult};

/// Loads a need anyone may see: a published one (404 otherwise).
pub fn load_public(conn: &mut DbConn, id: &str) -> ServiceResult<Need> {
    store::find(conn, id)?
        .filter(|n| n.status.is_public())
        .ok_or_else(ServiceError::not_found)
}
