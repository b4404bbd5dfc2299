//! `PersistenceError`: diesel's error kinds mapped to what the layers above need to know,
//! in exactly one place.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum PersistenceError {
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key rule of the database refused the write.
    #[error("conflict: {message}")]
    Conflict {
        constraint: Option<String>,
        message: String,
    },
    /// The database cannot be reached (or the pool timed out waiting for a connection).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The configuration names something we cannot use (unknown URL scheme, bad path).
    #[error("{0}")]
    Config(String),
    /// A stored row no longer satisfies the domain's rules.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(DieselError),
}

impl From<DieselError> for PersistenceError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => PersistenceError::NotFound,
            DieselError::DatabaseError(
                kind
                @ (DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation),
                info,
            ) => PersistenceError::Conflict {
                constraint: info.constraint_name().map(str::to_owned),
                message: match kind {
                    DatabaseErrorKind::UniqueViolation => "already exists".to_owned(),
                    _ => "refers to something that does not exist".to_owned(),
                },
            },
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                PersistenceError::Unavailable(info.message().to_owned())
            }
            other => PersistenceError::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for PersistenceError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        PersistenceError::Unavailable(e.to_string())
    }
}

impl From<domain::FieldError> for PersistenceError {
    fn from(e: domain::FieldError) -> Self {
        PersistenceError::Corrupt(e.to_string())
    }
}
