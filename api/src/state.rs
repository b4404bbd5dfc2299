//! What every handler can reach: the pool and the metrics.

use persistence::{DbConn, DbPool};

use crate::error::ApiError;
use crate::http::metrics::Metrics;

#[derive(Debug, Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub metrics: Metrics,
}

impl AppState {
    /// Runs `f` with a pooled connection on the blocking thread pool, so no connection is
    /// ever held across an `.await` and the async workers never wait on the database.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool
                .get()
                .map_err(|e| ApiError::unavailable(e.to_string()))?;
            f(&mut conn)
        })
        .await?
    }
}
