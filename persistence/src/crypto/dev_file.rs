//! The development key file, `data_dir/dev-data-key`: used when neither `FUPIN_DATA_KEY` nor
//! `FUPIN_DATA_INDEX_KEY` is set, so that a checkout runs with no setup. It is made once
//! with fresh random keys (mode 0600 on unix) and holds the same two settings, one per line,
//! so its keys can be moved into the environment unchanged.

use std::io::Write as _;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::config::{DATA_KEY_ENV, INDEX_KEY_ENV};
use super::{DataKeys, KEY_LEN};
use crate::PersistenceError;

/// The development key file's name inside the data folder.
pub const DEV_KEY_FILE: &str = "dev-data-key";
const DEV_KEY_ID: &str = "dev";

pub(super) fn load_or_create(data_dir: &Path) -> Result<DataKeys, PersistenceError> {
    let path = data_dir.join(DEV_KEY_FILE);
    let keys = match read_dev_file(&path)? {
        Some(keys) => keys,
        None => create_dev_file(data_dir, &path)?,
    };
    tracing::warn!(
        path = %path.display(),
        "{DATA_KEY_ENV} is not set: personal data is encrypted with a development key; \
         set {DATA_KEY_ENV} and {INDEX_KEY_ENV} in production"
    );
    Ok(keys)
}

/// `None` when the file does not exist yet.
fn read_dev_file(path: &Path) -> Result<Option<DataKeys>, PersistenceError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(PersistenceError::Config(format!(
                "cannot read development key file {}: {e}",
                path.display()
            )));
        }
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let shared = std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0);
        if shared {
            tracing::warn!(
                path = %path.display(),
                "the development key file is readable by other users; chmod 600 it"
            );
        }
    }
    parse_dev_file(&text)
        .map(Some)
        .map_err(|e| in_dev_file(path, e))
}

fn parse_dev_file(text: &str) -> Result<DataKeys, PersistenceError> {
    let mut data_keys = None;
    let mut index_key = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((DATA_KEY_ENV, value)) => data_keys = Some(value),
            Some((INDEX_KEY_ENV, value)) => index_key = Some(value),
            _ => {
                return Err(PersistenceError::Config(format!(
                    "lines must be {DATA_KEY_ENV}=… or {INDEX_KEY_ENV}=…"
                )));
            }
        }
    }
    match (data_keys, index_key) {
        (Some(data_keys), Some(index_key)) => DataKeys::parse(data_keys, index_key),
        _ => Err(PersistenceError::Config(format!(
            "both {DATA_KEY_ENV} and {INDEX_KEY_ENV} are needed"
        ))),
    }
}

fn create_dev_file(data_dir: &Path, path: &Path) -> Result<DataKeys, PersistenceError> {
    let io_error = |e: std::io::Error| {
        PersistenceError::Config(format!(
            "cannot create development key file {}: {e}",
            path.display()
        ))
    };
    std::fs::create_dir_all(data_dir).map_err(io_error)?;
    let mut data_key = Zeroizing::new([0u8; KEY_LEN]);
    let mut index_key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(data_key.as_mut_slice())
        .and_then(|()| getrandom::fill(index_key.as_mut_slice()))
        .map_err(|e| PersistenceError::Config(format!("cannot make a random key: {e}")))?;
    let text = Zeroizing::new(format!(
        "# Fupin development keys for personal data. NOT for production: set {DATA_KEY_ENV}\n\
         # and {INDEX_KEY_ENV} instead (these lines are in their format). Deleting this\n\
         # file makes the data encrypted with it unreadable.\n\
         {DATA_KEY_ENV}={DEV_KEY_ID}:{}\n\
         {INDEX_KEY_ENV}={}\n",
        STANDARD.encode(data_key.as_slice()),
        STANDARD.encode(index_key.as_slice()),
    ));

    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = match options.open(path) {
        Ok(file) => file,
        // Another process made it first: use its keys, not ours.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return read_dev_file(path)?.ok_or_else(|| io_error(e));
        }
        Err(e) => return Err(io_error(e)),
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(io_error)?;
    tracing::info!(path = %path.display(), "created a development key file for personal data");
    parse_dev_file(&text).map_err(|e| in_dev_file(path, e))
}

fn in_dev_file(path: &Path, e: PersistenceError) -> PersistenceError {
    match e {
        PersistenceError::Config(m) => PersistenceError::Config(format!(
            "development key file {}: {m} (delete it to make a new one; data encrypted with it \
             becomes unreadable)",
            path.display()
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    const K1: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; // [1; 32]
    const IX: &str = "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk="; // [9; 32]

    fn config_error(result: Result<DataKeys, PersistenceError>) -> String {
        match result {
            Err(PersistenceError::Config(message)) => message,
            other => panic!("expected Config, got {other:?}"),
        }
    }

    /// A fresh folder under the system temp dir, removed when the test ends.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            TempDir(std::env::temp_dir().join(format!("fupin-crypto-{}", uuid::Uuid::now_v7())))
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn both_settings_or_neither() {
        let dir = TempDir::new();
        let data = format!("k1:{K1}");
        let no_index = config_error(DataKeys::from_settings(Some(&data), None, &dir.0));
        assert!(
            no_index.starts_with("FUPIN_DATA_INDEX_KEY must be set with FUPIN_DATA_KEY"),
            "{no_index}"
        );
        let no_data = config_error(DataKeys::from_settings(None, Some(IX), &dir.0));
        assert!(no_data.contains("FUPIN_DATA_KEY is not"), "{no_data}");
        let empty = config_error(DataKeys::from_settings(Some(""), Some(IX), &dir.0));
        assert!(empty.starts_with("FUPIN_DATA_KEY is empty"), "{empty}");
        // None of these fell back to a development key file.
        assert!(!dir.0.exists());
        let keys = DataKeys::from_settings(Some(&data), Some(IX), &dir.0).expect("both set");
        assert_eq!(keys.active_key_id(), "k1");
        assert!(!dir.0.exists());
    }

    #[test]
    fn dev_key_file_is_created_once_private_and_reused() {
        let dir = TempDir::new();
        let path = dir.0.join(DEV_KEY_FILE);
        let first = DataKeys::from_settings(None, None, &dir.0).expect("created");
        assert_eq!(first.active_key_id(), "dev");
        let text = std::fs::read_to_string(&path).expect("file exists");
        assert!(text.contains("\nFUPIN_DATA_KEY=dev:"), "{text}");
        assert!(text.contains("\nFUPIN_DATA_INDEX_KEY="), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let token = first.encrypt("21010219900307123X", "household_member.id_number");
        let second = DataKeys::from_settings(None, None, &dir.0).expect("reused");
        assert_eq!(std::fs::read_to_string(&path).expect("still there"), text);
        assert_eq!(
            second
                .decrypt(&token, "household_member.id_number")
                .expect("same key"),
            "21010219900307123X"
        );
        assert_eq!(first.blind_index("p", "v"), second.blind_index("p", "v"));
        assert_eq!(
            std::fs::read_dir(&dir.0).expect("dir").count(),
            1,
            "only the key file"
        );
    }

    #[test]
    fn dev_key_files_are_random_per_folder() {
        let (a, b) = (TempDir::new(), TempDir::new());
        let a = DataKeys::from_settings(None, None, &a.0).expect("a");
        let b = DataKeys::from_settings(None, None, &b.0).expect("b");
        assert_ne!(a.blind_index("p", "v"), b.blind_index("p", "v"));
        assert!(b.decrypt(&a.encrypt("x", "p"), "p").is_err());
    }

    #[test]
    fn a_damaged_dev_key_file_is_reported_with_its_path() {
        let dir = TempDir::new();
        std::fs::create_dir_all(&dir.0).expect("dir");
        let path = dir.0.join(DEV_KEY_FILE);
        std::fs::write(&path, "FUPIN_DATA_KEY=dev:AQEB\n").expect("write");
        let message = config_error(DataKeys::from_settings(None, None, &dir.0));
        assert!(
            message.starts_with(&format!("development key file {}: ", path.display())),
            "{message}"
        );
        assert!(message.contains("both FUPIN_DATA_KEY and FUPIN_DATA_INDEX_KEY are needed"));
        std::fs::write(
            &path,
            format!("FUPIN_DATA_KEY=dev:AQEB\nFUPIN_DATA_INDEX_KEY={IX}\n"),
        )
        .expect("write");
        let message = config_error(DataKeys::from_settings(None, None, &dir.0));
        assert!(message.contains("entry 1: the key is 3 bytes"), "{message}");
    }
}
