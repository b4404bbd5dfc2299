//! Whether the subject of a valid access token is still in good standing: not disabled, and
//! (for an account) within its validity. Access tokens live 15 minutes and are checked by
//! signature alone; the caller extractors ask here too, so disabling takes effect at once in
//! the process that disabled the subject and within the recheck interval everywhere else
//! (other instances on the same database: [`RECHECK`] unless `FUPIN_STANDING_RECHECK_SECS`
//! says otherwise), at the cost of one lookup by primary key per subject and interval.
//! Routes that need no caller (public pages, health, login) never ask.

use std::time::Duration;

use crate::auth::jwt::SubjectKind;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a subject's standing is trusted before it is read again, by default.
pub const RECHECK: Duration = Duration::from_secs(30);

/// Standing by subject (`user:<id>`, `client:<id>`).
#[derive(Clone)]
pub struct Standing(moka::sync::Cache<String, bool>);

impl Default for Standing {
    fn default() -> Self {
        Standing::new(RECHECK)
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
    /// A cache that trusts a standing for `recheck` before reading it again.
    pub fn new(recheck: Duration) -> Self {
        Standing(
            moka::sync::Cache::builder()
                .max_capacity(200_000)
                .time_to_live(recheck)
                .build(),
        )
    }

    /// Records a user's new standing (call after disabling or enabling them, once it is
    /// committed). It overwrites what a lookup racing the change may have stored.
    pub fn set_user(&self, id: &str, enabled: bool) {
        self.0.insert(key(SubjectKind::User, id), enabled);
    }

    /// Records that an integration client was disabled.
    pub fn disable_client(&self, id: &str) {
        self.0.insert(key(SubjectKind::Client, id), false);
    }
}

/// Whether the subject may still act: from the cache, else read from the database. A read
/// that raced a change does not overwrite the change's own entry (`or_insert`).
pub async fn in_good_standing(
    state: &AppState,
    kind: SubjectKind,
    id: &str,
) -> Result<bool, ApiError> {
    let cache_key = key(kind, id);
    if let Some(ok) = state.standing.0.get(&cache_key) {
        return Ok(ok);
    }
    let id = id.to_owned();
    let ok = state
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            Ok(match kind {
                SubjectKind::User => {
                    persistence::identity::users::in_good_standing(conn, &id, now)?
                }
                SubjectKind::Client => persistence::identity::clients::enabled(conn, &id)?,
            })
        })
        .await?;
    Ok(state.standing.0.entry(cache_key).or_insert(ok).into_value())
}
