//! The old positional audit call, kept while route files move to the service layer; new
//! code uses [`crate::service::audit::Audit`].

use domain::region::RegionCode;
use persistence::DbConn;

use crate::error::ApiError;
use crate::service::audit::Audit;
pub use crate::service::audit::{Actor, RequestMeta};

#[expect(
    clippy::too_many_arguments,
    reason = "the legacy call shape, removed once every area uses the builder"
)]
pub fn record(
    conn: &mut DbConn,
    actor: &Actor<'_>,
    meta: &RequestMeta,
    action: &str,
    object: Option<(&str, &str)>,
    place: Option<&RegionCode>,
    success: bool,
    details: Option<serde_json::Value>,
) -> Result<(), ApiError> {
    let mut event = Audit::new(actor.clone(), action).at_maybe(place);
    if let Some((t, id)) = object {
        event = event.on(t, id);
    }
    if let Some(d) = details {
        event = event.details(d);
    }
    if !success {
        event = event.failed();
    }
    event.record(conn, meta)?;
    Ok(())
}
