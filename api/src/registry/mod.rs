//! The registry of poor villages and households (建档立卡) beyond single requests: the
//! import engine, exports, and the codec between the domain and the database.

pub mod cli;
pub mod codec;
pub mod export;
pub mod import;
pub mod source;
