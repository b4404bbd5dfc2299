//! Black-box tests of the HTTP API, each on SQLite and on PostgreSQL.
#![expect(
    clippy::unwrap_used,
    reason = "a test should fail loudly when a response has an unexpected shape"
)]

mod brand;
mod conventions;
mod donation;
mod enterprise;
mod identity;
mod individual;
mod instances;
mod openapi;
mod platform;
mod region;
mod registry;
mod service;
mod social_org;
mod text;
mod volunteer;
