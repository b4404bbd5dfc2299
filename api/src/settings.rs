//! Settings: command-line flags, then `FUPIN_*` environment variables, then an optional
//! `fupin.toml`, then defaults that work on a machine with nothing configured. The file
//! accepts every setting under the variable's name in lower case without the prefix
//! (`jwt_secret`, `data_key`, ...); secrets have no flag (flags show in the process list).
//! Settings that can be checked without the database are checked here, before anything is
//! migrated or created.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Deserialize;

use crate::http::client_ip::TrustedProxies;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/fupin.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_LOGIN_LIMIT_PER_ADDRESS: u32 = 30;
pub const DEFAULT_LOGIN_LIMIT_PER_ACCOUNT: u32 = 10;

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
    /// Login attempts per minute per client address, 0 for none [default: 30]
    #[arg(long, env = "FUPIN_LOGIN_LIMIT_PER_ADDRESS", global = true)]
    pub login_limit_per_address: Option<u32>,
    /// Login attempts per 15 minutes per account, 0 for none [default: 10]
    #[arg(long, env = "FUPIN_LOGIN_LIMIT_PER_ACCOUNT", global = true)]
    pub login_limit_per_account: Option<u32>,
    /// Reverse proxies whose Forwarded / X-Forwarded-For are believed, e.g. `10.0.0.0/8,192.168.1.7` [default: none]
    #[arg(long, env = "FUPIN_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
    /// How many days back a donation may be dated [default: 366]
    #[arg(long, env = "FUPIN_DONATION_MAX_AGE_DAYS", global = true)]
    pub donation_max_age_days: Option<u32>,
    /// Seconds an instance trusts that a token's account is still enabled before reading it again (1-300) [default: 30]
    #[arg(long, env = "FUPIN_STANDING_RECHECK_SECS", global = true)]
    pub standing_recheck_secs: Option<u64>,
}

/// The same settings as a TOML file may hold them.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    database_url: Option<String>,
    bind: Option<String>,
    log: Option<String>,
    log_format: Option<LogFormat>,
    pool_size: Option<u32>,
    data_dir: Option<PathBuf>,
    rate_limit: Option<u32>,
    login_limit_per_address: Option<u32>,
    login_limit_per_account: Option<u32>,
    trusted_proxies: Option<String>,
    admin_password: Option<String>,
    jwt_secret: Option<String>,
    jwt_private_key_file: Option<String>,
    jwt_key_id: Option<String>,
    jwt_public_key_files: Option<String>,
    access_token_ttl_secs: Option<u64>,
    data_key: Option<String>,
    data_index_key: Option<String>,
    poverty_lines: Option<String>,
    donation_max_age_days: Option<u32>,
    metrics_token: Option<String>,
    standing_recheck_secs: Option<u64>,
}

/// The access-token settings, as the `FUPIN_JWT_*` variables and `FUPIN_ACCESS_TOKEN_TTL_SECS`
/// (or their `fupin.toml` keys) give them; checked by
/// [`crate::auth::jwt::TokenIssuer::from_config`].
#[derive(Clone, Default)]
pub struct JwtSettings {
    pub secret: Option<String>,
    pub private_key_file: Option<String>,
    pub key_id: Option<String>,
    pub public_key_files: Option<String>,
    pub access_token_ttl_secs: Option<String>,
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSettings")
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("private_key_file", &self.private_key_file)
            .field("key_id", &self.key_id)
            .field("public_key_files", &self.public_key_files)
            .field("access_token_ttl_secs", &self.access_token_ttl_secs)
            .finish()
    }
}

#[derive(Clone)]
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
    /// Login attempts per minute per client address (0: no limit).
    pub login_limit_per_address: u32,
    /// Login attempts per 15 minutes per account (0: no limit).
    pub login_limit_per_account: u32,
    /// Whose forwarding headers name the client (the limits and the audit log's address).
    pub trusted_proxies: TrustedProxies,
    pub jwt: JwtSettings,
    /// `FUPIN_DATA_KEY` and `FUPIN_DATA_INDEX_KEY`: both, or neither for the development key.
    pub data_key: Option<String>,
    pub data_index_key: Option<String>,
    /// `FUPIN_POVERTY_LINES`, e.g. `2015:285500,2020:400000`.
    pub poverty_lines: Option<String>,
    /// How many days back a donation may be dated (`FUPIN_DONATION_MAX_AGE_DAYS`).
    pub donation_max_age_days: u32,
    /// The bearer token `/metrics` asks for (`FUPIN_METRICS_TOKEN`); unset, `/metrics` is
    /// not served (404).
    pub metrics_token: Option<String>,
    /// How long an instance trusts a subject's standing before reading it again
    /// (`FUPIN_STANDING_RECHECK_SECS`): the bound for an account disabled on one instance
    /// to be refused by the others.
    pub standing_recheck: std::time::Duration,
}

impl Default for Settings {
    /// What a machine with nothing configured gets (no variable, no file read).
    fn default() -> Self {
        Settings {
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            bind: DEFAULT_BIND.to_owned(),
            log: "info".to_owned(),
            log_format: LogFormat::Pretty,
            pool_size: 8,
            data_dir: PathBuf::from("data"),
            admin_password: None,
            rate_limit_per_minute: 600,
            login_limit_per_address: DEFAULT_LOGIN_LIMIT_PER_ADDRESS,
            login_limit_per_account: DEFAULT_LOGIN_LIMIT_PER_ACCOUNT,
            trusted_proxies: TrustedProxies::default(),
            jwt: JwtSettings::default(),
            data_key: None,
            data_index_key: None,
            poverty_lines: None,
            donation_max_age_days: domain::donation::DEFAULT_MAX_AGE_DAYS,
            metrics_token: None,
            standing_recheck: crate::auth::standing::RECHECK,
        }
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("Settings")
            .field("database_url", &self.database_url)
            .field("bind", &self.bind)
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("pool_size", &self.pool_size)
            .field("data_dir", &self.data_dir)
            .field("admin_password", &hidden(&self.admin_password))
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("login_limit_per_address", &self.login_limit_per_address)
            .field("login_limit_per_account", &self.login_limit_per_account)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("jwt", &self.jwt)
            .field("data_key", &hidden(&self.data_key))
            .field("data_index_key", &hidden(&self.data_index_key))
            .field("poverty_lines", &self.poverty_lines)
            .field("donation_max_age_days", &self.donation_max_age_days)
            .field("metrics_token", &hidden(&self.metrics_token))
            .field("standing_recheck", &self.standing_recheck)
            .finish_non_exhaustive()
    }
}

/// A `FUPIN_*` variable: `None` when unset; set but empty stays `Some("")` (the setting's
/// own check refuses it rather than quietly falling back to a default).
fn env(name: &str) -> Result<Option<String>, String> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
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
            admin_password: admin_password(
                env("FUPIN_ADMIN_PASSWORD")?
                    .filter(|p| !p.is_empty())
                    .or(file.admin_password),
            )?,
            rate_limit_per_minute: args.rate_limit.or(file.rate_limit).unwrap_or(600),
            login_limit_per_address: args
                .login_limit_per_address
                .or(file.login_limit_per_address)
                .unwrap_or(DEFAULT_LOGIN_LIMIT_PER_ADDRESS),
            login_limit_per_account: args
                .login_limit_per_account
                .or(file.login_limit_per_account)
                .unwrap_or(DEFAULT_LOGIN_LIMIT_PER_ACCOUNT),
            trusted_proxies: TrustedProxies::parse(
                args.trusted_proxies
                    .as_deref()
                    .or(file.trusted_proxies.as_deref())
                    .unwrap_or(""),
            )?,
            jwt: JwtSettings {
                secret: env(crate::auth::jwt::SECRET_ENV)?.or(file.jwt_secret),
                private_key_file: env(crate::auth::jwt::PRIVATE_KEY_FILE_ENV)?
                    .or(file.jwt_private_key_file),
                key_id: env(crate::auth::jwt::KEY_ID_ENV)?.or(file.jwt_key_id),
                public_key_files: env(crate::auth::jwt::PUBLIC_KEY_FILES_ENV)?
                    .or(file.jwt_public_key_files),
                access_token_ttl_secs: env(crate::auth::jwt::ACCESS_TTL_ENV)?
                    .or(file.access_token_ttl_secs.map(|s| s.to_string())),
            },
            data_key: env("FUPIN_DATA_KEY")?.or(file.data_key),
            data_index_key: env("FUPIN_DATA_INDEX_KEY")?.or(file.data_index_key),
            poverty_lines: env("FUPIN_POVERTY_LINES")?
                .filter(|v| !v.trim().is_empty())
                .or(file.poverty_lines),
            donation_max_age_days: args
                .donation_max_age_days
                .or(file.donation_max_age_days)
                .unwrap_or(domain::donation::DEFAULT_MAX_AGE_DAYS),
            metrics_token: metrics_token(env(METRICS_TOKEN_ENV)?.or(file.metrics_token))?,
            standing_recheck: standing_recheck(
                args.standing_recheck_secs.or(file.standing_recheck_secs),
            )?,
            database_url,
        })
    }
}

/// The initial admin password, held to the password policy of every account (checked at
/// every start, before anything is created).
fn admin_password(value: Option<String>) -> Result<Option<String>, String> {
    match value {
        Some(p) => domain::identity::NewPassword::parse(&p, "admin_password")
            .map(|_| Some(p))
            .map_err(|e| {
                format!(
                    "FUPIN_ADMIN_PASSWORD (admin_password) is refused: {}",
                    e.message_en
                )
            }),
        None => Ok(None),
    }
}

/// The variable naming the bearer token of `/metrics`.
pub const METRICS_TOKEN_ENV: &str = "FUPIN_METRICS_TOKEN";

/// The metrics token: at least 16 characters of visible ASCII (it travels in a header), so
/// a typo or an empty variable cannot leave the metrics open to a guessable token.
fn metrics_token(value: Option<String>) -> Result<Option<String>, String> {
    match value {
        Some(t) if t.len() < 16 || !t.bytes().all(|b| b.is_ascii_graphic()) => Err(format!(
            "{METRICS_TOKEN_ENV} (metrics_token) must be at least 16 visible ASCII characters"
        )),
        other => Ok(other),
    }
}

/// `FUPIN_STANDING_RECHECK_SECS`: 1 to 300 seconds, [`crate::auth::standing::RECHECK`]
/// when unset.
fn standing_recheck(secs: Option<u64>) -> Result<std::time::Duration, String> {
    match secs {
        None => Ok(crate::auth::standing::RECHECK),
        Some(s @ 1..=300) => Ok(std::time::Duration::from_secs(s)),
        Some(s) => Err(format!(
            "FUPIN_STANDING_RECHECK_SECS (standing_recheck_secs) must be 1 to 300 seconds, not {s}"
        )),
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
        assert_eq!(s.donation_max_age_days, 366);
    }

    #[test]
    fn flags_win_over_the_file_and_unknown_keys_are_refused() {
        let dir = std::env::temp_dir().join(format!("fupin-settings-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("fupin.toml");
        std::fs::write(
            &file,
            "bind = \"0.0.0.0:9000\"\ndatabase_url = \"postgres://x@y/z\"\ndonation_max_age_days = 30\n",
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
        assert_eq!(s.donation_max_age_days, 30);
        std::fs::write(&file, "bnid = 1\n").unwrap();
        let err = Settings::resolve(&SettingsArgs {
            config: Some(file),
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.contains("bnid"), "{err}");
    }

    fn file_with(text: &str) -> SettingsArgs {
        let dir = std::env::temp_dir().join(format!("fupin-settings-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("fupin.toml");
        std::fs::write(&file, text).unwrap();
        SettingsArgs {
            config: Some(file),
            ..Default::default()
        }
    }

    #[test]
    fn the_file_accepts_every_documented_setting() {
        let s = Settings::resolve(&file_with(
            r#"
database_url = "postgres://fupin@db/fupin"
bind = "0.0.0.0:9000"
log = "debug"
log_format = "json"
pool_size = 4
data_dir = "/var/lib/fupin"
admin_password = "Admin-2026-strong"
jwt_secret = "k2:second-secret-0123456789abcdef-012,k1:first-secret-0123456789abcdef-0123"
jwt_private_key_file = "/etc/fupin/jwt.pem"
jwt_key_id = "ed1"
jwt_public_key_files = "old:/etc/fupin/old.pem"
access_token_ttl_secs = 600
data_key = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
data_index_key = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA="
rate_limit = 1200
login_limit_per_address = 300
login_limit_per_account = 5
trusted_proxies = "10.0.0.0/8,192.168.1.7"
poverty_lines = "2015:285500,2020:400000"
donation_max_age_days = 90
metrics_token = "scrape-0123456789abcdef"
standing_recheck_secs = 5
"#,
        ))
        .unwrap();
        assert_eq!(s.database_url, "postgres://fupin@db/fupin");
        assert_eq!(s.bind, "0.0.0.0:9000");
        assert_eq!(s.log, "debug");
        assert_eq!(s.log_format, LogFormat::Json);
        assert_eq!(s.pool_size, 4);
        assert_eq!(s.donation_max_age_days, 90);
        assert_eq!(s.standing_recheck, std::time::Duration::from_secs(5));
        assert_eq!(s.data_dir, PathBuf::from("/var/lib/fupin"));
        assert_eq!(s.admin_password.as_deref(), Some("Admin-2026-strong"));
        assert_eq!(
            s.jwt.secret.as_deref(),
            Some("k2:second-secret-0123456789abcdef-012,k1:first-secret-0123456789abcdef-0123")
        );
        assert_eq!(
            s.jwt.private_key_file.as_deref(),
            Some("/etc/fupin/jwt.pem")
        );
        assert_eq!(s.jwt.key_id.as_deref(), Some("ed1"));
        assert_eq!(
            s.jwt.public_key_files.as_deref(),
            Some("old:/etc/fupin/old.pem")
        );
        assert_eq!(s.jwt.access_token_ttl_secs.as_deref(), Some("600"));
        assert_eq!(
            s.data_key.as_deref(),
            Some("k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        );
        assert_eq!(
            s.data_index_key.as_deref(),
            Some("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=")
        );
        assert_eq!(s.rate_limit_per_minute, 1200);
        assert_eq!(s.login_limit_per_address, 300);
        assert_eq!(s.login_limit_per_account, 5);
        assert_eq!(
            s.trusted_proxies,
            TrustedProxies::parse("10.0.0.0/8, 192.168.1.7").unwrap()
        );
        assert_eq!(s.poverty_lines.as_deref(), Some("2015:285500,2020:400000"));
        assert_eq!(s.metrics_token.as_deref(), Some("scrape-0123456789abcdef"));
        let shown = format!("{s:?}");
        assert!(!shown.contains("Admin-2026"), "{shown}");
        assert!(!shown.contains("secret-0123"), "{shown}");
        assert!(!shown.contains("AAAAAAAA"), "{shown}");
        assert!(!shown.contains("scrape-0123"), "{shown}");
    }

    #[test]
    fn metrics_are_off_by_default_and_a_short_token_is_refused() {
        let s = Settings::resolve(&SettingsArgs::default()).unwrap();
        assert_eq!(s.metrics_token, None);
        let err = Settings::resolve(&file_with("metrics_token = \"short\"\n")).unwrap_err();
        assert!(err.contains("FUPIN_METRICS_TOKEN"), "{err}");
        let err = Settings::resolve(&file_with("metrics_token = \"with space 0123456789\"\n"))
            .unwrap_err();
        assert!(err.contains("visible ASCII"), "{err}");
    }

    #[test]
    fn login_limits_default_as_before_and_bad_proxies_are_refused() {
        let s = Settings::resolve(&SettingsArgs::default()).unwrap();
        assert_eq!(
            (s.login_limit_per_address, s.login_limit_per_account),
            (30, 10)
        );
        assert!(s.trusted_proxies.is_empty());
        let flags = SettingsArgs {
            login_limit_per_address: Some(0),
            trusted_proxies: Some("10.0.0.0/8".into()),
            ..file_with("login_limit_per_address = 5\ntrusted_proxies = \"192.0.2.1\"\n")
        };
        let s = Settings::resolve(&flags).unwrap();
        assert_eq!(s.login_limit_per_address, 0, "the flag wins");
        assert_eq!(
            s.trusted_proxies,
            TrustedProxies::parse("10.0.0.0/8").unwrap()
        );
        let err =
            Settings::resolve(&file_with("trusted_proxies = \"10.0.0.0/8,nginx\"\n")).unwrap_err();
        assert!(err.contains("FUPIN_TRUSTED_PROXIES"), "{err}");
    }

    #[test]
    fn the_standing_recheck_is_bounded() {
        let s = Settings::resolve(&SettingsArgs::default()).unwrap();
        assert_eq!(s.standing_recheck, std::time::Duration::from_secs(30));
        let flags = SettingsArgs {
            standing_recheck_secs: Some(1),
            ..Default::default()
        };
        assert_eq!(
            Settings::resolve(&flags).unwrap().standing_recheck,
            std::time::Duration::from_secs(1)
        );
        for bad in ["0", "301"] {
            let err = Settings::resolve(&file_with(&format!("standing_recheck_secs = {bad}\n")))
                .unwrap_err();
            assert!(err.contains("FUPIN_STANDING_RECHECK_SECS"), "{err}");
        }
    }

    #[test]
    fn a_weak_admin_password_is_refused() {
        let err = Settings::resolve(&file_with("admin_password = \"abc\"\n")).unwrap_err();
        assert!(err.contains("admin_password"), "{err}");
        assert!(err.contains("10 to 128 characters"), "{err}");
        let err =
            Settings::resolve(&file_with("admin_password = \"abcdefghijklmn\"\n")).unwrap_err();
        assert!(err.contains("two of"), "{err}");
    }
}
