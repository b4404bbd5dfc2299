//! The registry of poor villages and households (建档立卡) beyond single requests: exports,
//! and the codec between the domain and the database.

pub mod codec;
pub mod export;
