//! The registry of poor villages and households (建档立卡), and its bulk import jobs.

pub mod columns;
pub mod households;
pub mod imports;
pub mod sealed_names;
mod status_changes;
pub mod villages;
