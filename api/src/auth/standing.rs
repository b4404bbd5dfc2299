//! Whether the subject of a valid access token is still in good standing: not disabled, and
//! (for an account) within its validity. Access tokens live 15 minutes and are checked by
//! signature alone; this gate makes disabling take effect at once in the process that
//! disabled the subject and within [`RECHECK`] everywhere else, at the cost of one lookup by
//! primary key per subject and [`RECHECK`].

use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, web};

use crate::auth::caller::Verified;
use crate::auth::jwt::SubjectKind;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a subject's standing is trusted before it is read again.
pub const RECHECK: Duration = Duration::from_secs(30);

/// Standing by subject (`user:<id>`, `client:<id>`).
#[derive(Clone)]
pub struct Standing(moka::sync::Cache<String, bool>);

impl Default for Standing {
    fn default() -> Self {
        Standing(
            moka::sync::Cache::builder()
                .max_capacity(200_000)
                .time_to_live(RECHECK)
                .build(),
        )
    }
}

impl std::fmt::Debug for Standing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Standing")
            .field("entries", &self.0.entry_count())
            .finish()
    }
}

fn key(kind: SubjectKind, id: &str) -> String {
    match kind {
        SubjectKind::User => format!("user:{id}"),
        SubjectKind::Client => format!("client:{id}"),
    }
}

impl Standing {
    /// Forgets what is known of a user (call after disabling or enabling them).
    pub fn forget_user(&self, id: &str) {
        self.0.invalidate(&key(SubjectKind::User, id));
    }

    /// Forgets what is known of an integration client.
    pub fn forget_client(&self, id: &str) {
        self.0.invalidate(&key(SubjectKind::Client, id));
    }
}

/// Reads whether the subject may still act.
async fn in_good_standing(state: &AppState, kind: SubjectKind, id: &str) -> Result<bool, ApiError> {
    let cache_key = key(kind, id);
    if let Some(ok) = state.standing.0.get(&cache_key) {
        return Ok(ok);
    }
    let id = id.to_owned();
    let ok = state
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            Ok(match kind {
                SubjectKind::User => persistence::identity::users::find(conn, &id)?
                    .is_some_and(|u| !u.disabled && u.valid_until.is_none_or(|t| t > now)),
                SubjectKind::Client => {
                    persistence::identity::clients::find(conn, &id)?.is_some_and(|c| !c.disabled)
                }
            })
        })
        .await?;
    state.standing.0.insert(cache_key, ok);
    Ok(ok)
}

/// Refuses (401 `unauthorized`, reason `disabled`) a request whose verified token names a
/// subject that was disabled or has expired since the token was issued. Runs after the rate
/// limiter, which verifies the token; requests without a verified token pass (the caller
/// extractor refuses bad tokens itself).
pub async fn standing(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let verified = req.extensions().get::<Verified>().cloned();
    // The rate limiter has usually verified the token already; if not, verify it here so
    // the gate does not depend on another layer (a bad token is left to the extractor).
    let verified = verified.or_else(|| {
        let state = state.as_ref()?;
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")?;
        let claims = state.tokens.verify(token.trim()).ok()?;
        req.extensions_mut().insert(Verified(claims.clone()));
        Some(Verified(claims))
    });
    if let (Some(Verified(claims)), Some(state)) = (verified, state) {
        match in_good_standing(&state, claims.kind, &claims.sub).await {
            Ok(true) => {}
            Ok(false) => return Ok(req.error_response(ApiError::unauthorized("disabled"))),
            Err(e) => return Ok(req.error_response(e)),
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
