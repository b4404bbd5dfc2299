//! Accounts, integration clients and refresh tokens.

pub mod clients;
pub mod refresh_tokens;
pub mod users;
