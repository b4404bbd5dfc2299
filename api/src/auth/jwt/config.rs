//! Where the access-token keys come from: the `FUPIN_JWT_*` variables, or, when none is set,
//! the development secret file (`jwt-secret` in the data folder).
//!
//! - `FUPIN_JWT_SECRET`: HS256 secrets. One secret (key id `default`), or comma-separated
//!   `kid:secret` entries, the signing one first and the others verifying only (rotation:
//!   `k2:<new>,k1:<old>`). A secret is used as written (its UTF-8 bytes), at least 32 bytes:
//!   `openssl rand -base64 48`. A secret that contains `:` needs its key id written out
//!   (`default:<secret>`); secrets cannot contain `,`.
//! - `FUPIN_JWT_PRIVATE_KEY_FILE`: a PEM private key, Ed25519 (EdDSA) or RSA (RS256), that
//!   signs instead of the secrets, under the key id `FUPIN_JWT_KEY_ID` (default `k1`). Any
//!   `FUPIN_JWT_SECRET` keys still verify, so a deployment moves from HS256 to a key pair
//!   without logging anybody out.
//! - `FUPIN_JWT_PUBLIC_KEY_FILES`: `kid:path.pem[,kid:path.pem…]`, PEM public keys that
//!   verify only (the old key pair during a rotation). Paths cannot contain `,`.
//! - `FUPIN_ACCESS_TOKEN_TTL_SECS`: access-token lifetime, 60 to 86400 seconds (default 900).
//!
//! A variable that is set but empty is an error, not a fallback to the development secret:
//! an unfilled deployment template must not quietly sign with a secret nobody configured.

use std::path::Path;
use std::time::Duration;

use zeroize::Zeroizing;

use super::keys::{self, TokenKeys};
use super::{DEFAULT_ACCESS_TTL, dev_file};

/// HS256 secrets: `secret` or `kid:secret[,kid:secret…]`, the signing one first.
pub const SECRET_ENV: &str = "FUPIN_JWT_SECRET";
/// Path of a PEM private key (Ed25519 or RSA) that signs.
pub const PRIVATE_KEY_FILE_ENV: &str = "FUPIN_JWT_PRIVATE_KEY_FILE";
/// Key id of the `FUPIN_JWT_PRIVATE_KEY_FILE` key.
pub const KEY_ID_ENV: &str = "FUPIN_JWT_KEY_ID";
/// Verification-only public keys: `kid:path.pem[,kid:path.pem…]`.
pub const PUBLIC_KEY_FILES_ENV: &str = "FUPIN_JWT_PUBLIC_KEY_FILES";
/// Access-token lifetime in seconds.
pub const ACCESS_TTL_ENV: &str = "FUPIN_ACCESS_TOKEN_TTL_SECS";

/// Key id of a `FUPIN_JWT_SECRET` given without one.
pub const DEFAULT_SECRET_KID: &str = "default";
/// Key id of the `FUPIN_JWT_PRIVATE_KEY_FILE` key when `FUPIN_JWT_KEY_ID` is not set.
pub const DEFAULT_KEY_ID: &str = "k1";

const MIN_TTL_SECS: u64 = 60;
const MAX_TTL_SECS: u64 = 86_400;

/// The key settings as read from the environment, for tests that must not set variables.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct KeySettings<'a> {
    pub(super) secret: Option<&'a str>,
    pub(super) private_key_file: Option<&'a str>,
    pub(super) key_id: Option<&'a str>,
    pub(super) public_key_files: Option<&'a str>,
}

impl TokenKeys {
    /// The keys from the `FUPIN_JWT_*` variables; when none is set, from
    /// `data_dir/jwt-secret`, created with a fresh random secret (mode 0600) on first use,
    /// with a warning that a development secret is in use. Errors name the variable, entry
    /// and file, never key material.
    pub fn from_env_or_dev_file(data_dir: &Path) -> Result<TokenKeys, String> {
        let secret = env_var(SECRET_ENV)?;
        let private_key_file = env_var(PRIVATE_KEY_FILE_ENV)?;
        let key_id = env_var(KEY_ID_ENV)?;
        let public_key_files = env_var(PUBLIC_KEY_FILES_ENV)?;
        let settings = KeySettings {
            secret: secret.as_deref().map(String::as_str),
            private_key_file: private_key_file.as_deref().map(String::as_str),
            key_id: key_id.as_deref().map(String::as_str),
            public_key_files: public_key_files.as_deref().map(String::as_str),
        };
        TokenKeys::from_settings(settings, data_dir)
    }

    /// The keys from resolved settings (variables, then `fupin.toml`), as the `FUPIN_JWT_*`
    /// variables would give them.
    pub fn from_config(
        cfg: &crate::settings::JwtSettings,
        data_dir: &Path,
    ) -> Result<TokenKeys, String> {
        TokenKeys::from_settings(
            KeySettings {
                secret: cfg.secret.as_deref(),
                private_key_file: cfg.private_key_file.as_deref(),
                key_id: cfg.key_id.as_deref(),
                public_key_files: cfg.public_key_files.as_deref(),
            },
            data_dir,
        )
    }

    pub(super) fn from_settings(s: KeySettings<'_>, data_dir: &Path) -> Result<TokenKeys, String> {
        if s.key_id.is_some() && s.private_key_file.is_none() {
            return Err(format!(
                "{KEY_ID_ENV} is set but {PRIVATE_KEY_FILE_ENV} is not: the key id names the \
                 private key file's key"
            ));
        }
        let secrets = s.secret.map(parse_secrets).transpose()?;
        let mut ring = match (s.private_key_file, secrets) {
            (Some(path), secrets) => {
                let kid = match s.key_id {
                    Some(kid) => {
                        keys::check_kid(kid.trim()).map_err(|e| format!("{KEY_ID_ENV}: {e}"))?;
                        kid.trim()
                    }
                    None => DEFAULT_KEY_ID,
                };
                let pem = read_key_file(PRIVATE_KEY_FILE_ENV, path.trim())?;
                warn_if_shared(Path::new(path.trim()));
                let pair = keys::private_pem_pair(&pem)
                    .map_err(|e| format!("{PRIVATE_KEY_FILE_ENV}: {}: {e}", path.trim()))?;
                let mut ring = TokenKeys::new(kid, pair)?;
                for (n, (kid, secret)) in secrets.into_iter().flatten().enumerate() {
                    let key = keys::hs256_pair(secret.as_bytes())
                        .map_err(|e| format!("{SECRET_ENV}: entry {}: {e}", n + 1))?
                        .verifying();
                    ring.add_verifier(&kid, key).map_err(|e| {
                        format!(
                            "{SECRET_ENV}: entry {}: {e} (also in {PRIVATE_KEY_FILE_ENV})",
                            n + 1
                        )
                    })?;
                }
                ring
            }
            (None, Some(secrets)) => hs256_ring(SECRET_ENV, secrets)?,
            (None, None) if s.public_key_files.is_some() => {
                return Err(format!(
                    "{PUBLIC_KEY_FILES_ENV} only verifies: set {SECRET_ENV} or \
                     {PRIVATE_KEY_FILE_ENV} for the key that signs"
                ));
            }
            (None, None) => return dev_file::load_or_create(data_dir),
        };
        if let Some(files) = s.public_key_files {
            add_public_key_files(&mut ring, files)?;
        }
        Ok(ring)
    }
}

/// The `FUPIN_JWT_SECRET` entries as `(kid, secret)`, in order. Only the entry's number and
/// the secret's length appear in errors.
fn parse_secrets(value: &str) -> Result<Vec<(String, Zeroizing<String>)>, String> {
    parse_secrets_of(SECRET_ENV, value)
}

pub(super) fn parse_secrets_of(
    setting: &str,
    value: &str,
) -> Result<Vec<(String, Zeroizing<String>)>, String> {
    if value.trim().is_empty() {
        return Err(format!(
            "{setting} is empty: give one secret of at least {} bytes, or kid:secret entries \
             separated by commas, the signing one first",
            keys::MIN_SECRET_LEN
        ));
    }
    let entries: Vec<&str> = value.split(',').map(str::trim).collect();
    if let [only] = entries.as_slice()
        && !only.contains(':')
    {
        return Ok(vec![(
            DEFAULT_SECRET_KID.to_owned(),
            Zeroizing::new((*only).to_owned()),
        )]);
    }
    let mut parsed = Vec::with_capacity(entries.len());
    for (n, entry) in entries.iter().enumerate() {
        let n = n + 1;
        if entry.is_empty() {
            return Err(format!("{setting}: entry {n} is empty"));
        }
        let (kid, secret) = entry
            .split_once(':')
            .ok_or_else(|| format!("{setting}: entry {n} has no key id: write it as kid:secret"))?;
        let kid = kid.trim();
        keys::check_kid(kid).map_err(|e| {
            format!(
                "{setting}: entry {n}: {e} (a single secret that contains ':' is written \
                 {DEFAULT_SECRET_KID}:<secret>)"
            )
        })?;
        parsed.push((kid.to_owned(), Zeroizing::new(secret.trim().to_owned())));
    }
    Ok(parsed)
}

/// An HS256 ring from parsed secrets, the first one signing.
pub(super) fn hs256_ring(
    setting: &str,
    secrets: Vec<(String, Zeroizing<String>)>,
) -> Result<TokenKeys, String> {
    let mut ring: Option<TokenKeys> = None;
    for (n, (kid, secret)) in secrets.iter().enumerate() {
        let entry = |e: String| format!("{setting}: entry {}: {e}", n + 1);
        let pair = keys::hs256_pair(secret.as_bytes()).map_err(entry)?;
        match ring.as_mut() {
            None => ring = Some(TokenKeys::new(kid, pair).map_err(entry)?),
            Some(ring) => ring.add_verifier(kid, pair.verifying()).map_err(entry)?,
        }
    }
    ring.ok_or_else(|| format!("{setting} holds no secret"))
}

fn add_public_key_files(ring: &mut TokenKeys, value: &str) -> Result<(), String> {
    let setting = PUBLIC_KEY_FILES_ENV;
    if value.trim().is_empty() {
        return Err(format!(
            "{setting} is empty: list kid:path.pem entries separated by commas, or unset it"
        ));
    }
    for (n, entry) in value.split(',').map(str::trim).enumerate() {
        let n = n + 1;
        if entry.is_empty() {
            return Err(format!("{setting}: entry {n} is empty"));
        }
        let (kid, path) = entry.split_once(':').ok_or_else(|| {
            format!("{setting}: entry {n} has no key id: write it as kid:path.pem")
        })?;
        let (kid, path) = (kid.trim(), path.trim());
        keys::check_kid(kid).map_err(|e| format!("{setting}: entry {n}: {e}"))?;
        let pem = read_key_file(setting, path)?;
        let key = keys::public_pem_key(&pem).map_err(|e| format!("{setting}: {path}: {e}"))?;
        ring.add_verifier(kid, key)
            .map_err(|e| format!("{setting}: entry {n}: {e}"))?;
    }
    Ok(())
}

fn read_key_file(setting: &str, path: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    if path.is_empty() {
        return Err(format!("{setting} names no file"));
    }
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|e| format!("{setting}: cannot read {path}: {e}"))
}

fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let shared = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        if shared {
            tracing::warn!(
                path = %path.display(),
                "the access-token private key file is readable by other users; chmod 600 it"
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The access-token lifetime: `FUPIN_ACCESS_TOKEN_TTL_SECS`, or 15 minutes.
pub(super) fn access_ttl_from_env() -> Result<Duration, String> {
    let value = env_var(ACCESS_TTL_ENV)?;
    parse_access_ttl(value.as_deref().map(String::as_str))
}

pub(super) fn parse_access_ttl(value: Option<&str>) -> Result<Duration, String> {
    let Some(value) = value else {
        return Ok(DEFAULT_ACCESS_TTL);
    };
    match value.trim().parse::<u64>() {
        Ok(secs) if (MIN_TTL_SECS..=MAX_TTL_SECS).contains(&secs) => Ok(Duration::from_secs(secs)),
        _ => Err(format!(
            "{ACCESS_TTL_ENV} is {value:?}: it must be a whole number of seconds from \
             {MIN_TTL_SECS} to {MAX_TTL_SECS}"
        )),
    }
}

fn env_var(name: &str) -> Result<Option<Zeroizing<String>>, String> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(Zeroizing::new(value))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(format!("{name} is not valid UTF-8")),
    }
}
