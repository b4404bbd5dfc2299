//! The `fupin` command line: `serve`, `migrate`, `openapi`.

use std::net::TcpListener;

use clap::{Parser, Subcommand, ValueEnum};

use crate::settings::{Settings, SettingsArgs};
use crate::{startup, telemetry};

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
    let settings = Settings::resolve(&cli.settings)?;
    telemetry::init(&settings.log, settings.log_format);
    let prepared = {
        let settings = settings.clone();
        actix_web::rt::task::spawn_blocking(move || startup::prepare(&settings))
            .await
            .map_err(|e| e.to_string())??
    };
    match cli.command {
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
        Command::Openapi { .. } => Ok(()),
    }
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
