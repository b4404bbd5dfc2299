//! Black-box tests of the HTTP API, each on SQLite and on PostgreSQL.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly when a response has an unexpected shape"
)]

mod audit;
mod auth;
mod conventions;
mod imports;
mod individuals;
mod openapi;
mod participants;
mod personal_data;
mod platform;
mod regions;
mod registry;
mod service;
mod users;
