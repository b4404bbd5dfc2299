//! Fupin's storage: one diesel code path over SQLite (default, development, small
//! deployments) and PostgreSQL (production). The backend is chosen by the URL scheme.
//!
//! Functions take `&mut DbConn`; the caller owns the transaction.

pub mod brand;
pub mod crypto;
pub mod db;
pub mod donation;
pub mod enterprise;
pub mod error;
pub mod idempotency;
pub mod identity;
pub mod individual;
pub mod migrations;
pub mod page;
pub mod platform;
pub mod region;
mod region_list;
pub mod registry;
pub mod schema;
pub mod social_org;
pub mod volunteer;

pub use db::{
    Backend, DbConn, DbPool, Sweep, connect, read_snapshot, sweep_lock, try_sweep_lock,
    write_transaction,
};
pub use error::PersistenceError;
