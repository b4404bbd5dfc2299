//! Background jobs of a serving process. Each calls the same service function the CLI
//! would, on a timer.

use actix_web::web;

use crate::service::platform::needs;
use crate::service::registry::imports;
use crate::state::AppState;

/// How often the platform looks for needs whose deadline passed.
pub const EXPIRY_SWEEP: std::time::Duration = std::time::Duration::from_secs(600);

/// Moves needs past their deadline to `expired`, now and every [`EXPIRY_SWEEP`]. Listing
/// and pledging check the deadline themselves, so nothing waits on this sweep to be correct.
pub async fn expire_overdue_needs(state: web::Data<AppState>) {
    let mut tick = actix_web::rt::time::interval(EXPIRY_SWEEP);
    loop {
        tick.tick().await;
        match state.call(needs::expire_overdue).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "needs past their deadline expired"),
            Err(e) => tracing::warn!(error = %e, "need expiry sweep failed"),
        }
    }
}

/// How often a serving instance looks for imports whose instance stopped: twice per
/// [`domain::registry::IMPORT_STALE_AFTER`], so a job of an instance that was restarted
/// quickly (its old jobs still looked alive at the new start) is failed within about
/// 90 s.
pub const STALE_IMPORT_SWEEP: std::time::Duration = std::time::Duration::from_secs(30);

/// Fails the imports of stopped instances every [`STALE_IMPORT_SWEEP`] (the start-up did it
/// once already).
pub async fn fail_stale_imports(state: web::Data<AppState>) {
    let mut tick = actix_web::rt::time::interval(STALE_IMPORT_SWEEP);
    tick.tick().await;
    loop {
        tick.tick().await;
        match state.call(imports::fail_stale).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(jobs = n, "failed the imports of stopped instances"),
            Err(e) => tracing::warn!(error = %e, "stale import sweep failed"),
        }
    }
}
