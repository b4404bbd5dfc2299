//! Embedded migrations, one folder per backend with matching version names. A few steps
//! need the data key between two migrations (sealing personal columns that were stored in
//! clear); the runner applies migrations one at a time and does those steps in between.

use diesel::RunQueryDsl;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::crypto::DataKeys;
use crate::registry::sealed_names;
use crate::{DbConn, PersistenceError};

pub(crate) const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub(crate) const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

fn failed(e: impl std::fmt::Display) -> PersistenceError {
    PersistenceError::Config(format!("migration failed: {e}"))
}

/// The version of the next pending migration, if any.
fn next_pending(conn: &mut DbConn) -> Result<Option<String>, PersistenceError> {
    let next = match conn {
        DbConn::Postgresql(c) => c
            .pending_migrations(POSTGRES)
            .map(|v| v.first().map(|m| m.name().version().to_string())),
        DbConn::Sqlite(c) => c
            .pending_migrations(SQLITE)
            .map(|v| v.first().map(|m| m.name().version().to_string())),
    };
    next.map_err(failed)
}

/// Applies the next pending migration; returns its name.
fn run_next(conn: &mut DbConn) -> Result<String, PersistenceError> {
    let applied = match conn {
        DbConn::Postgresql(c) => c.run_next_migration(POSTGRES).map(|v| v.to_string()),
        DbConn::Sqlite(c) => c.run_next_migration(SQLITE).map(|v| v.to_string()),
    };
    applied.map_err(failed)
}

/// Applies every pending migration, sealing clear personal columns with `keys` where a
/// migration is about to drop them; returns the versions applied.
pub fn run_pending(conn: &mut DbConn, keys: &DataKeys) -> Result<Vec<String>, PersistenceError> {
    let mut applied = Vec::new();
    let mut sealed = 0;
    while let Some(version) = next_pending(conn)? {
        if version == sealed_names::DROPS_CLEAR_NAMES {
            sealed += sealed_names::seal_clear_names(conn, keys)?;
        }
        applied.push(run_next(conn)?);
    }
    if sealed > 0 {
        // Updated and dropped values stay in the files until they are rewritten.
        let rewrite = match conn {
            DbConn::Postgresql(_) => "VACUUM FULL households, household_members",
            DbConn::Sqlite(_) => "VACUUM",
        };
        diesel::sql_query(rewrite).execute(conn)?;
        tracing::info!(rows = sealed, "sealed the personal data stored in clear");
    }
    Ok(applied)
}
