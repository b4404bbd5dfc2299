//! What operators ask of the platform itself: whether its database answers.

use std::time::Duration;

use persistence::DbPool;

use super::{ServiceError, ServiceResult};

/// The database backend in use, if a connection is had within two seconds and answers.
pub fn readiness(pool: &DbPool) -> ServiceResult<&'static str> {
    let mut conn = pool
        .get_timeout(Duration::from_secs(2))
        .map_err(|e| ServiceError::unavailable(e.to_string()))?;
    persistence::db::ping(&mut conn).map_err(|e| ServiceError::unavailable(e.to_string()))
}
