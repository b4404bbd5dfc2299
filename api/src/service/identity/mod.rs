//! Identity: the accounts of the people who use Fupin, the integration clients that call it
//! as themselves, their tokens, and the audit log that records what all of them did.

pub mod accounts;
pub mod audit_events;
pub mod clients;
pub mod passwords;
pub mod tokens;
pub mod user_status;
pub mod users;
