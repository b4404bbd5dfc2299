//! Where the personal-data keys come from: `FUPIN_DATA_KEY` and `FUPIN_DATA_INDEX_KEY`, or,
//! when neither is set, the development key file (`dev-data-key` in the data folder).
//!
//! - `FUPIN_DATA_KEY`: comma-separated `kid:base64key` entries, the active key first, e.g.
//!   `k2:<32 bytes>,k1:<32 bytes>`. Key ids are 1 to 32 letters, digits, `-` or `_`.
//! - `FUPIN_DATA_INDEX_KEY`: one base64 key for the blind index. It is required with
//!   `FUPIN_DATA_KEY` rather than derived from it: derived from the first-listed key it
//!   would change at the first rotation and orphan every stored index; a key of its own
//!   stays put while the data keys rotate.
//!
//! Keys are 32 random bytes in base64 (standard or URL-safe, padding optional):
//! `openssl rand -base64 32`. A variable that is set but empty is an error, not a fallback
//! to the development key: an unfilled deployment template must not quietly encrypt with
//! a key nobody backs up.

use std::path::Path;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use super::{DataKeys, KEY_LEN, dev_file};
use crate::PersistenceError;

/// Data keys: `kid:base64key[,kid:base64key…]`, the active one first.
pub const DATA_KEY_ENV: &str = "FUPIN_DATA_KEY";
/// The blind-index key: one base64 key.
pub const INDEX_KEY_ENV: &str = "FUPIN_DATA_INDEX_KEY";

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

impl DataKeys {
    /// The keys from `FUPIN_DATA_KEY` and `FUPIN_DATA_INDEX_KEY`; when neither is set, from
    /// `data_dir/dev-data-key`, created with fresh random keys (mode 0600) on first use,
    /// with a warning that a development key is in use.
    pub fn from_env_or_dev_file(data_dir: &Path) -> Result<Self, PersistenceError> {
        let data_keys = env_var(DATA_KEY_ENV)?;
        let index_key = env_var(INDEX_KEY_ENV)?;
        Self::from_settings(
            data_keys.as_ref().map(|s| s.as_str()),
            index_key.as_ref().map(|s| s.as_str()),
            data_dir,
        )
    }

    /// The keys from resolved settings (variables, then a settings file), as the variables
    /// would give them: both, or neither for the development key file.
    pub fn from_settings(
        data_keys: Option<&str>,
        index_key: Option<&str>,
        data_dir: &Path,
    ) -> Result<Self, PersistenceError> {
        match (data_keys, index_key) {
            (Some(data_keys), Some(index_key)) => Self::parse(data_keys, index_key),
            (Some(_), None) => Err(PersistenceError::Config(format!(
                "{INDEX_KEY_ENV} must be set with {DATA_KEY_ENV}: the blind-index key is \
                 separate so that it survives data key rotation (make one with \
                 `openssl rand -base64 32`)"
            ))),
            (None, Some(_)) => Err(PersistenceError::Config(format!(
                "{INDEX_KEY_ENV} is set but {DATA_KEY_ENV} is not: set both, or neither to \
                 use a development key"
            ))),
            (None, None) => dev_file::load_or_create(data_dir),
        }
    }

    /// Parses the two settings: `data_keys` as in `FUPIN_DATA_KEY`, `index_key` as in
    /// `FUPIN_DATA_INDEX_KEY`. Errors name the setting and entry, never key material.
    pub fn parse(data_keys: &str, index_key: &str) -> Result<Self, PersistenceError> {
        if data_keys.trim().is_empty() {
            return Err(PersistenceError::Config(format!(
                "{DATA_KEY_ENV} is empty: list keys as kid:base64key, the active one first, \
                 separated by commas"
            )));
        }
        let mut keys = Vec::new();
        for (n, entry) in data_keys.split(',').map(str::trim).enumerate() {
            let n = n + 1;
            if entry.is_empty() {
                return Err(PersistenceError::Config(format!(
                    "{DATA_KEY_ENV}: entry {n} is empty"
                )));
            }
            let (kid, key) = entry.split_once(':').ok_or_else(|| {
                PersistenceError::Config(format!(
                    "{DATA_KEY_ENV}: entry {n} has no key id: write it as kid:base64key"
                ))
            })?;
            let what = format!("{DATA_KEY_ENV}: entry {n}");
            keys.push((kid.trim().to_owned(), decode_key(&what, key)?));
        }
        if index_key.trim().is_empty() {
            return Err(PersistenceError::Config(format!(
                "{INDEX_KEY_ENV} is empty: it must hold one base64 key"
            )));
        }
        let index_key = decode_key(INDEX_KEY_ENV, index_key)?;
        Self::build(keys, &index_key)
    }
}

fn env_var(name: &str) -> Result<Option<Zeroizing<String>>, PersistenceError> {
    match std::env::var(name) {
        Ok(value) => Ok(Some(Zeroizing::new(value))),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(PersistenceError::Config(format!(
            "{name} is not valid UTF-8"
        ))),
    }
}

/// One base64 key of exactly [`KEY_LEN`] bytes. The base64 error itself is not shown: it
/// quotes the offending character, which is a piece of the key.
fn decode_key(what: &str, text: &str) -> Result<Zeroizing<[u8; KEY_LEN]>, PersistenceError> {
    let text = text.trim();
    let bytes = Zeroizing::new(
        STANDARD
            .decode(text)
            .or_else(|_| URL_SAFE.decode(text))
            .map_err(|_| PersistenceError::Config(format!("{what}: the key is not base64")))?,
    );
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    if bytes.len() != KEY_LEN {
        return Err(PersistenceError::Config(format!(
            "{what}: the key is {} bytes; it must be {KEY_LEN} random bytes \
             (make one with `openssl rand -base64 32`)",
            bytes.len()
        )));
    }
    key.copy_from_slice(&bytes);
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="; // [1; 32]
    const K2: &str = "AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI="; // [2; 32]
    const IX: &str = "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk="; // [9; 32]

    fn config_error(result: Result<DataKeys, PersistenceError>) -> String {
        match result {
            Err(PersistenceError::Config(message)) => message,
            other => panic!("expected Config, got {other:?}"),
        }
    }

    #[test]
    fn parses_a_ring_with_the_first_key_active() {
        let keys = DataKeys::parse(&format!(" k2:{K2} , k1:{K1} "), IX).expect("valid");
        assert_eq!(keys.active_key_id(), "k2");
        assert_eq!(keys.key_ids().collect::<Vec<_>>(), ["k2", "k1"]);
        let same = DataKeys::from_parts([("k2", [2; KEY_LEN]), ("k1", [1; KEY_LEN])], [9; 32])
            .expect("valid");
        let token = same.encrypt("13812345678", "p");
        assert_eq!(keys.decrypt(&token, "p").expect("same keys"), "13812345678");
        assert_eq!(keys.blind_index("p", "v"), same.blind_index("p", "v"));
        // URL-safe and unpadded spellings of the same bytes are accepted.
        let url_safe = DataKeys::parse("k1:__________________________________________8", IX)
            .expect("url-safe, unpadded");
        assert_eq!(url_safe.active_key_id(), "k1");
    }

    #[test]
    fn parse_errors_name_the_setting_and_entry_but_not_the_key() {
        let empty = config_error(DataKeys::parse("  ", IX));
        assert!(empty.starts_with("FUPIN_DATA_KEY is empty"), "{empty}");
        let blank = config_error(DataKeys::parse(&format!("k1:{K1},"), IX));
        assert_eq!(blank, "FUPIN_DATA_KEY: entry 2 is empty");
        let no_kid = config_error(DataKeys::parse(K1, IX));
        assert_eq!(
            no_kid,
            "FUPIN_DATA_KEY: entry 1 has no key id: write it as kid:base64key"
        );
        let bad = config_error(DataKeys::parse("k1:AQEB!QEB", IX));
        assert_eq!(bad, "FUPIN_DATA_KEY: entry 1: the key is not base64");
        let short = config_error(DataKeys::parse("k1:AQEBAQEBAQEBAQEBAQEBAQ==", IX));
        assert!(
            short.starts_with("FUPIN_DATA_KEY: entry 1: the key is 16 bytes; it must be 32"),
            "{short}"
        );
        assert!(!short.contains("AQEB"));
        let no_index = config_error(DataKeys::parse(&format!("k1:{K1}"), ""));
        assert_eq!(
            no_index,
            "FUPIN_DATA_INDEX_KEY is empty: it must hold one base64 key"
        );
        let bad_index = config_error(DataKeys::parse(&format!("k1:{K1}"), "%%%"));
        assert_eq!(bad_index, "FUPIN_DATA_INDEX_KEY: the key is not base64");
        let twice = config_error(DataKeys::parse(&format!("k1:{K1},k1:{K2}"), IX));
        assert!(twice.contains("\"k1\" is listed twice"), "{twice}");
        let shared = config_error(DataKeys::parse(&format!("k1:{K1}"), K1));
        assert!(shared.contains("same as the blind-index key"), "{shared}");
    }
}
