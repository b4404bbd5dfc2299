//! The registry of poor villages and households (建档立卡), and its bulk import jobs.

pub mod households;
pub mod imports;
pub mod villages;
