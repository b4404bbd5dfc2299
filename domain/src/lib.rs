//! Fupin's domain: the policy of Liaoning's 2015 opinions on mobilising society for poverty
//! alleviation, as value types, rules and state machines.
//!
//! One module per policy area (see `POLICY.md`); the same names recur in the `persistence`
//! and `api` crates. This crate knows nothing of HTTP or SQL.

pub mod brand;
pub mod donation;
pub mod enterprise;
pub mod error;
pub mod identity;
pub mod individual;
pub mod input;
pub mod labels;
pub mod money;
pub mod platform;
pub mod region;
pub mod registry;
pub mod social_org;
pub mod volunteer;

pub use error::{DomainError, FieldError};
