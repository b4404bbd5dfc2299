//! Identity: accounts (created, listed, read, disabled), their personal data, tokens and
//! the audit log.

mod audit_events;
mod login_limits;
mod passwords;
mod personal_data;
mod tokens;
mod users;
