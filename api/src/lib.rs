//! Fupin's HTTP API: actix-web routes, DTOs, errors and the OpenAPI document, plus the
//! `fupin` command line. Handlers are thin: extract, authorise, call the domain and the
//! persistence layer on the blocking pool, map the result.

pub mod auth;
pub mod bootstrap;
pub mod cli;
pub mod error;
pub mod r#gen;
pub mod http;
pub mod i18n;
pub mod instance;
pub mod jobs;
pub mod openapi;
pub mod personal;
pub mod routes;
pub mod service;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;
