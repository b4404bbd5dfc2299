//! The `fupin` command line: `serve`, `migrate`, `openapi`.

mod registry;

use std::net::TcpListener;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use domain::registry::ImportStatus;

use crate::auth::caller::RequestMeta;
use crate::error::ApiError;
use crate::service::audit::Actor;
use crate::service::identity::clients as client_service;
use crate::service::identity::users as user_service;
use crate::settings::{Settings, SettingsArgs};
use crate::{startup, telemetry};
use registry::ExportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "fupin",
    version,
    about = "Liaoning social poverty-alleviation platform API"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, load reference data, and serve the API.
    Serve,
    /// Apply pending database migrations and load reference data, then exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi {
        #[arg(long, value_enum, default_value = "yaml")]
        format: SpecFormat,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Manage integration clients.
    Client {
        #[command(subcommand)]
        action: ClientCommand,
    },
    /// Import a file into the registry (the layout of docs/registry-csv.md).
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Export the registry (unmasked: the command line acts as the platform).
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Generate synthetic data for tests and benchmarks (touches no database).
    Gen {
        #[command(subcommand)]
        what: GenCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import households from a CSV file (UTF-8 or GB18030), with a progress bar.
    Households { file: std::path::PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export households to standard output or a file.
    Households {
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Only this region and everything under it
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (any role; the command line acts as the platform).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// platform_admin, province_official, city_official, county_official,
        /// township_official, village_cadre, evaluator, org_member, donor, volunteer
        #[arg(long)]
        role: String,
        /// Region code (required for officials and village cadres)
        #[arg(long)]
        region: Option<String>,
        /// Organisation id (required for org_member)
        #[arg(long)]
        organization: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Register an integration client; prints its id and its secret (shown this once).
    Create {
        #[arg(long)]
        name: String,
        /// Space- or comma-separated, e.g. "registry:read,stats:read"
        #[arg(long)]
        scopes: String,
        /// Bind the client to a region
        #[arg(long)]
        region: Option<String>,
        /// Raised per-minute request limit
        #[arg(long)]
        rate_limit: Option<i32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GenCommand {
    /// Write COUNT synthetic households over Liaoning's villages in the registry import
    /// layout (docs/registry-csv.md); the same COUNT and seed give the same file.
    Households {
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (default: standard output)
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the codes of the poor villages that `gen households COUNT --seed S` uses, one
    /// per line (register them before importing the file).
    Villages {
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SpecFormat {
    Yaml,
    Json,
}

/// The OpenAPI document as text, as `fupin openapi` prints it.
pub fn spec_text(format: SpecFormat) -> Result<String, String> {
    let doc = startup::documented_routes();
    match format {
        SpecFormat::Yaml => doc.to_yaml().map_err(|e| e.to_string()),
        SpecFormat::Json => doc
            .to_pretty_json()
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
    }
}

pub async fn run(cli: Cli) -> Result<(), String> {
    if let Command::Openapi { format } = cli.command {
        print!("{}", spec_text(format)?);
        return Ok(());
    }
    if let Command::Gen {
        what: GenCommand::Households { count, seed, out },
    } = &cli.command
    {
        crate::r#gen::run_households(*count, *seed, out.as_deref())?;
        return Ok(());
    }
    if let Command::Gen {
        what: GenCommand::Villages { count, seed },
    } = &cli.command
    {
        for code in crate::r#gen::poor_villages(*count, *seed).map_err(|e| e.to_string())? {
            println!("{code}");
        }
        return Ok(());
    }
    let settings = Settings::resolve(&cli.settings)?;
    telemetry::init(&settings.log, settings.log_format);
    let prepared = {
        let settings = settings.clone();
        actix_web::rt::task::spawn_blocking(move || startup::prepare(&settings))
            .await
            .map_err(|e| e.to_string())??
    };
    match cli.command {
        Command::User {
            action:
                UserCommand::Create {
                    username,
                    password,
                    role,
                    region,
                    organization,
                },
        } => {
            let draft = domain::identity::AccountRequest {
                username,
                password,
                role,
                region_code: region,
                organization_id: organization,
                ..Default::default()
            }
            .parse()
            .map_err(|e| describe(&ApiError::from(e)))?;
            let keys = prepared.data_keys.clone();
            let user = prepared
                .call(move |conn| {
                    user_service::create(
                        conn,
                        &keys,
                        &Actor::System,
                        &RequestMeta::default(),
                        draft,
                    )
                })
                .await
                .map_err(|e| describe(&e))?;
            println!("{}", user.id);
            Ok(())
        }
        Command::Client {
            action:
                ClientCommand::Create {
                    name,
                    scopes,
                    region,
                    rate_limit,
                },
        } => {
            let draft =
                domain::identity::ClientDraft::parse(&name, &scopes, region.as_deref(), rate_limit)
                    .map_err(|e| describe(&ApiError::from(e)))?;
            let created = prepared
                .call(move |conn| {
                    client_service::create(conn, &Actor::System, &RequestMeta::default(), draft)
                })
                .await
                .map_err(|e| describe(&e))?;
            println!(
                "client_id={}\nclient_secret={}",
                created.client.id, created.secret
            );
            Ok(())
        }
        Command::Migrate => {
            tracing::info!("database is up to date");
            Ok(())
        }
        Command::Serve => {
            let listener = TcpListener::bind(&settings.bind)
                .map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?;
            tracing::info!(address = %settings.bind, database = %redact(&settings.database_url), "serving; API docs at /docs");
            startup::serve(prepared, listener)
                .map_err(|e| e.to_string())?
                .await
                .map_err(|e| e.to_string())
        }
        Command::Import {
            what: ImportCommand::Households { file },
        } => {
            let job = registry::import_households(&prepared, &file).await?;
            println!("{}", job.message.unwrap_or_default());
            if job.status == ImportStatus::Succeeded {
                Ok(())
            } else {
                Err(format!("import {}", job.status))
            }
        }
        Command::Export {
            what:
                ExportCommand::Households {
                    format,
                    region,
                    out,
                },
        } => {
            registry::export_households(&prepared, format, region.as_deref(), out.as_deref()).await
        }
        Command::Openapi { .. } | Command::Gen { .. } => Ok(()),
    }
}

/// An API error as one line for the terminal, with its field errors.
fn describe(e: &ApiError) -> String {
    let mut out = e.detail_en.clone();
    for f in &e.errors {
        out.push_str(&format!("\n  {}: {}", f.field, f.message_en));
    }
    out
}

/// The database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}
