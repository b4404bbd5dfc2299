//! What every handler can reach: the pool and the metrics.

use std::sync::Arc;

use persistence::crypto::DataKeys;
use persistence::{DbConn, DbPool};

use crate::auth::jwt::TokenIssuer;
use crate::error::ApiError;
use crate::http::metrics::Metrics;
use crate::http::rate_limit::{LoginLimiter, RequestLimiter};
use crate::service::ServiceError;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub metrics: Metrics,
    pub tokens: Arc<TokenIssuer>,
    pub data_keys: Arc<DataKeys>,
    pub login_limiter: Arc<LoginLimiter>,
    pub request_limiter: Arc<RequestLimiter>,
    /// Whose forwarding headers name the client (see [`crate::http::client_ip`]).
    pub trusted_proxies: Arc<crate::http::client_ip::TrustedProxies>,
    /// The poverty line in force per year, for the exit rule (`FUPIN_POVERTY_LINES`).
    pub poverty_lines: domain::registry::PovertyLines,
    /// Where import files wait while they are imported.
    pub data_dir: std::path::PathBuf,
    /// Rendered public needs, for a few seconds.
    pub public_needs: crate::http::public_cache::PublicNeedCache,
    /// Whether token subjects are still enabled, for a few seconds.
    pub standing: crate::auth::standing::Standing,
    /// How many days back a donation may be dated (`FUPIN_DONATION_MAX_AGE_DAYS`).
    pub donation_max_age_days: u32,
    /// The bearer token `/metrics` asks for; `None`: metrics are not served.
    pub metrics_token: Option<Arc<str>>,
    /// This process's name among the instances sharing the database
    /// ([`crate::instance::new_id`]): the owner of the import jobs it runs.
    pub instance: Arc<str>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("pool", &self.pool)
            .field("tokens", &self.tokens)
            .field("instance", &self.instance)
            .finish_non_exhaustive()
    }
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

    /// Runs a use case (a service function) with a pooled connection on the blocking pool;
    /// its [`ServiceError`] becomes the HTTP problem.
    pub async fn call<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ServiceError> + Send + 'static,
        T: Send + 'static,
    {
        self.db(move |conn| f(conn).map_err(ApiError::from)).await
    }
}
