//! Accounts, integration clients, refresh tokens and the audit log.

pub mod audit_events;
pub mod clients;
pub mod refresh_tokens;
pub mod users;
