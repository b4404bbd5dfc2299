//! Embedded migrations, one folder per backend with matching version names.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{DbConn, PersistenceError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns the versions applied.
pub fn run_pending(conn: &mut DbConn) -> Result<Vec<String>, PersistenceError> {
    let applied = match conn {
        DbConn::Postgresql(c) => c
            .run_pending_migrations(POSTGRES)
            .map(|v| v.iter().map(ToString::to_string).collect()),
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map(|v| v.iter().map(ToString::to_string).collect()),
    };
    applied.map_err(|e| PersistenceError::Config(format!("migration failed: {e}")))
}
