//! The development secret file, `data_dir/jwt-secret`: used when no `FUPIN_JWT_*` key
//! variable is set, so that a checkout runs with no setup. It is made once with 48 random
//! bytes in base64 (mode 0600 on unix) and holds a `FUPIN_JWT_SECRET` value, so the secret can
//! be moved into the environment unchanged. Deleting it logs everybody out.

use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::config::{PRIVATE_KEY_FILE_ENV, SECRET_ENV, hs256_ring, parse_secrets_of};
use super::keys::TokenKeys;

/// The development secret file's name inside the data folder.
pub const DEV_SECRET_FILE: &str = "jwt-secret";
const DEV_SECRET_BYTES: usize = 48;
/// How long to wait for a file that another process has created but not yet filled.
const FILL_WAIT: Duration = Duration::from_millis(100);
const FILL_TRIES: u32 = 20;

pub(super) fn load_or_create(data_dir: &Path) -> Result<TokenKeys, String> {
    let path = data_dir.join(DEV_SECRET_FILE);
    let keys = match read_dev_file(&path)? {
        Some(keys) => keys,
        None => create_dev_file(data_dir, &path)?,
    };
    tracing::warn!(
        path = %path.display(),
        "{SECRET_ENV} is not set: access tokens are signed with a development secret; set \
         {SECRET_ENV} or {PRIVATE_KEY_FILE_ENV} in production"
    );
    Ok(keys)
}

/// `None` when the file does not exist yet.
fn read_dev_file(path: &Path) -> Result<Option<TokenKeys>, String> {
    let mut tries = 0;
    let text = loop {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => Zeroizing::new(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(format!(
                    "cannot read development secret file {}: {e}",
                    path.display()
                ));
            }
        };
        // Another process may have just created it (create-new) and not yet written it.
        if !text.trim().is_empty() || tries == FILL_TRIES {
            break text;
        }
        tries += 1;
        std::thread::sleep(FILL_WAIT);
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let shared = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        if shared {
            tracing::warn!(
                path = %path.display(),
                "the development secret file is readable by other users; chmod 600 it"
            );
        }
    }
    parse_dev_file(path, &text).map(Some)
}

fn parse_dev_file(path: &Path, text: &str) -> Result<TokenKeys, String> {
    let setting = format!("development secret file {}", path.display());
    parse_secrets_of(&setting, text)
        .and_then(|secrets| hs256_ring(&setting, secrets))
        .map_err(|e| format!("{e} (delete the file to make a new secret)"))
}

fn create_dev_file(data_dir: &Path, path: &Path) -> Result<TokenKeys, String> {
    let io_error = |e: std::io::Error| {
        format!(
            "cannot create development secret file {}: {e}",
            path.display()
        )
    };
    std::fs::create_dir_all(data_dir).map_err(io_error)?;
    let mut secret = Zeroizing::new([0u8; DEV_SECRET_BYTES]);
    getrandom::fill(secret.as_mut_slice())
        .map_err(|e| format!("cannot make a random secret: {e}"))?;
    let text = Zeroizing::new(format!("{}\n", STANDARD.encode(secret.as_slice())));

    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        // Another process made it first: use its secret, not ours.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return read_dev_file(path)?.ok_or_else(|| io_error(e));
        }
        Err(e) => return Err(io_error(e)),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io_error)?;
    tracing::info!(path = %path.display(), "created a development secret for access tokens");
    parse_dev_file(path, &text)
}
