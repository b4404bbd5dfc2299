//! Settings: command-line flags, then `FUPIN_*` environment variables, then an optional
//! `fupin.toml`, then defaults that work on a machine with nothing configured.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Deserialize;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/fupin.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Flags shared by every subcommand; each also reads its `FUPIN_*` variable.
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// Settings file (TOML); `fupin.toml` in the working folder is read when present.
    #[arg(long, env = "FUPIN_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: sqlite://data/fupin.db]
    #[arg(long, env = "FUPIN_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "FUPIN_BIND", global = true)]
    pub bind: Option<String>,
    /// Log filter in tracing's syntax, e.g. `info,api=debug` [default: info]
    #[arg(long, env = "FUPIN_LOG", global = true)]
    pub log: Option<String>,
    /// Log format [default: pretty]
    #[arg(long, env = "FUPIN_LOG_FORMAT", global = true, value_enum)]
    pub log_format: Option<LogFormat>,
    /// Database connections in the pool [default: 16 on PostgreSQL, 8 on SQLite]
    #[arg(long, env = "FUPIN_POOL_SIZE", global = true)]
    pub pool_size: Option<u32>,
    /// Folder for development keys and the initial admin password [default: data]
    #[arg(long, env = "FUPIN_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Requests per minute per caller (integration clients can have theirs raised) [default: 600]
    #[arg(long, env = "FUPIN_RATE_LIMIT", global = true)]
    pub rate_limit: Option<u32>,
}

/// The same settings as a TOML file may hold them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    bind: Option<String>,
    log: Option<String>,
    log_format: Option<LogFormat>,
    pool_size: Option<u32>,
    data_dir: Option<PathBuf>,
    rate_limit: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: String,
    pub log: String,
    pub log_format: LogFormat,
    pub pool_size: u32,
    pub data_dir: PathBuf,
    /// Password for the `admin` account created on first start (`FUPIN_ADMIN_PASSWORD`);
    /// random when unset.
    pub admin_password: Option<String>,
    pub rate_limit_per_minute: u32,
}

impl Settings {
    pub fn resolve(args: &SettingsArgs) -> Result<Settings, String> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None if Path::new("fupin.toml").exists() => read_file(Path::new("fupin.toml"))?,
            None => FileSettings::default(),
        };
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let default_pool = if database_url.starts_with("sqlite") {
            8
        } else {
            16
        };
        Ok(Settings {
            bind: args
                .bind
                .clone()
                .or(file.bind)
                .unwrap_or_else(|| DEFAULT_BIND.to_owned()),
            log: args
                .log
                .clone()
                .or(file.log)
                .unwrap_or_else(|| "info".to_owned()),
            log_format: args
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Pretty),
            pool_size: args
                .pool_size
                .or(file.pool_size)
                .unwrap_or(default_pool)
                .max(1),
            data_dir: args
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("data")),
            admin_password: std::env::var("FUPIN_ADMIN_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty()),
            rate_limit_per_minute: args.rate_limit.or(file.rate_limit).unwrap_or(600),
            database_url,
        })
    }
}

fn read_file(path: &Path) -> Result<FileSettings, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text)
        .map_err(|e| format!("{} is not a valid settings file: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_nothing_configured() {
        let s = Settings::resolve(&SettingsArgs::default()).unwrap();
        assert_eq!(s.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(s.bind, DEFAULT_BIND);
        assert_eq!(s.pool_size, 8);
    }

    #[test]
    fn flags_win_over_the_file_and_unknown_keys_are_refused() {
        let dir = std::env::temp_dir().join(format!("fupin-settings-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("fupin.toml");
        std::fs::write(
            &file,
            "bind = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://x@y/z\"\n",
        )
        .unwrap();
        let args = SettingsArgs {
            config: Some(file.clone()),
            bind: Some("127.0.0.1:1".into()),
            ..Default::default()
        };
        let s = Settings::resolve(&args).unwrap();
        assert_eq!(s.bind, "127.0.0.1:1");
        assert_eq!(s.database_url, "postgres://x@y/z");
        assert_eq!(s.pool_size, 16);
        std::fs::write(&file, "bnid = 1\n").unwrap();
        let err = Settings::resolve(&SettingsArgs {
            config: Some(file),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.contains("bnid"), "{err}");
    }
}
