//! Authentication: access tokens (JWT), refresh tokens, passwords, and the caller
//! extractors every protected handler uses.

pub mod caller;
pub mod jwt;
pub mod password;
pub mod standing;
