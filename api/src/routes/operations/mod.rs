//! Endpoints for the people who run the platform: liveness, readiness, metrics.

pub mod health;

pub use health::configure;
