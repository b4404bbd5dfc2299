//! The `fupin` command line: `serve`, `migrate`, `openapi`, accounts and clients, import,
//! export and synthetic data.

mod registry;

use std::net::TcpListener;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use domain::identity::NewPassword;
use domain::registry::{ImportKind, ImportStatus};
use zeroize::Zeroizing;

use crate::auth::caller::RequestMeta;
use crate::error::ApiError;
use crate::service::audit::Actor;
use crate::service::identity::clients as client_service;
use crate::service::identity::passwords as password_service;
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
    /// Import households from a CSV file (UTF-8 or GB18030), with a progress bar. Exits
    /// non-zero when any row was rejected.
    Households { file: std::path::PathBuf },
    /// Import poor villages (docs/villages-csv.md); register them before their households.
    /// Exits non-zero when any row was rejected.
    Villages { file: std::path::PathBuf },
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
    /// Set an account's password, read from `FUPIN_NEW_PASSWORD` or else the first line of
    /// standard input (never an argument: arguments show in the process list and shell
    /// history). Revokes the account's refresh tokens.
    SetPassword {
        username: String,
        /// Make the account change it at its next login (a temporary password)
        #[arg(long)]
        change_required: bool,
    },
}

/// Where `fupin user set-password` reads the new password when standard input is not used.
pub const NEW_PASSWORD_ENV: &str = "FUPIN_NEW_PASSWORD";

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
    /// layout (docs/registry-csv.md); the same COUNT and seed give the same files.
    Households {
        count: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder: writes villages.csv (the poor villages the households live in)
        /// and households.csv, to import in that order. A path ending in .csv writes the
        /// households alone to that file. Default: the households to standard output.
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
            .parse(chrono::Utc::now().naive_utc())
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
        Command::User {
            action:
                UserCommand::SetPassword {
                    username,
                    change_required,
                },
        } => {
            let from_env = std::env::var(NEW_PASSWORD_ENV).ok().map(Zeroizing::new);
            let new = read_new_password(from_env, &mut std::io::stdin().lock())?;
            let user = set_password(&prepared, username, new, change_required).await?;
            println!("password of {} set", user.username);
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
        Command::Import { what } => {
            let (kind, file) = match what {
                ImportCommand::Households { file } => (ImportKind::Households, file),
                ImportCommand::Villages { file } => (ImportKind::Villages, file),
            };
            let job = registry::import(&prepared, kind, &file).await?;
            println!("{}", job.message.clone().unwrap_or_default());
            import_outcome(&job)
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

/// The new password of `user set-password`: `from_env` (`FUPIN_NEW_PASSWORD`) when set and
/// not empty, else the first line of `input` (standard input); held to the password policy
/// before anything is touched.
pub fn read_new_password(
    from_env: Option<Zeroizing<String>>,
    input: &mut impl std::io::BufRead,
) -> Result<NewPassword, String> {
    let raw = match from_env.filter(|v| !v.is_empty()) {
        Some(v) => v,
        None => {
            let mut line = Zeroizing::new(String::new());
            input
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the new password from standard input: {e}"))?;
            Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned())
        }
    };
    if raw.is_empty() {
        return Err(format!(
            "no new password: set {NEW_PASSWORD_ENV} or write it on standard input"
        ));
    }
    NewPassword::parse(&raw, "password")
        .map_err(|e| format!("the new password is refused: {}", e.message_en))
}

/// `user set-password`: sets the password of `username` as the platform (audited, refresh
/// tokens revoked).
pub async fn set_password(
    prepared: &crate::state::AppState,
    username: String,
    new: NewPassword,
    change_required: bool,
) -> Result<domain::identity::User, String> {
    let keys = prepared.data_keys.clone();
    prepared
        .call(move |conn| {
            password_service::set_by_platform(
                conn,
                &keys,
                &RequestMeta::default(),
                &username,
                new,
                change_required,
            )
        })
        .await
        .map_err(|e| describe(&e))
}

/// The exit of `fupin import`: success only when every row was imported.
fn import_outcome(job: &domain::registry::ImportJob) -> Result<(), String> {
    match job.status {
        ImportStatus::Succeeded => Ok(()),
        ImportStatus::CompletedWithErrors => Err(format!(
            "import {}: {} rows rejected (job {})",
            job.status, job.rows_failed, job.id
        )),
        _ => Err(format!(
            "import {}: {} (job {})",
            job.status,
            job.message.as_deref().unwrap_or(""),
            job.id
        )),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_password_comes_from_the_variable_else_the_first_line() {
        let mut stdin = "From-stdin-2026\nsecond line\n".as_bytes();
        let p = read_new_password(Some(Zeroizing::new("From-env-2026".into())), &mut stdin);
        assert_eq!(p.unwrap().expose(), "From-env-2026");
        let p = read_new_password(Some(Zeroizing::new(String::new())), &mut stdin);
        assert_eq!(p.unwrap().expose(), "From-stdin-2026");
        let mut crlf = "Windows-line-2026\r\n".as_bytes();
        assert_eq!(
            read_new_password(None, &mut crlf).unwrap().expose(),
            "Windows-line-2026"
        );
    }

    #[test]
    fn a_missing_or_weak_new_password_is_refused() {
        let err = read_new_password(None, &mut "".as_bytes()).unwrap_err();
        assert!(err.contains(NEW_PASSWORD_ENV), "{err}");
        let err = read_new_password(None, &mut "abc\n".as_bytes()).unwrap_err();
        assert!(err.contains("10 to 128 characters"), "{err}");
    }

    #[test]
    fn the_password_is_never_an_argument() {
        use clap::Parser;
        let cli = Cli::try_parse_from(["fupin", "user", "set-password", "alice"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::User {
                action: UserCommand::SetPassword { ref username, change_required: false }
            } if username == "alice"
        ));
        assert!(
            Cli::try_parse_from(["fupin", "user", "set-password", "alice", "--password", "x"])
                .is_err()
        );
    }
}
