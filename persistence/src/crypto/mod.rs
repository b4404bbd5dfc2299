//! Encryption at rest and blind indexes for personal data: ID card numbers (居民身份证号) and
//! phone numbers.
//!
//! - A value is sealed with AES-256-GCM under the active key of a [`DataKeys`] ring into a
//!   self-describing text token, `v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>`, with a
//!   fresh random 96-bit nonce. Every key in the ring still opens the tokens it made, so a
//!   key rotates by listing a new key first; old tokens are re-encrypted at leisure
//!   ([`DataKeys::key_id_of`] finds them).
//! - The associated data is the token's header plus the value's purpose (its column, such as
//!   `household_member.id_number`): a token copied into another column, or relabelled with
//!   another key id, does not open.
//! - A blind index (HMAC-SHA256 under a separate index key) lets the database find equal
//!   values, such as a duplicate ID number, with an equality lookup and no decryption. The
//!   index key is configured on its own and does not rotate with the data keys, because
//!   changing it orphans every stored index. ID numbers have little entropy (region, birth
//!   date, sequence), so anyone who holds the index key can brute-force them from an index:
//!   keep that key as secret as the data keys.
//!
//! Why AES-256-GCM rather than ChaCha20-Poly1305: both are sound with random 96-bit nonces
//! (stay well below 2^32 encryptions per key, which rotation does), but AES-GCM runs on the
//! AES instructions of the x86-64 and ARMv8 servers this is deployed on, falls back to a
//! constant-time software implementation elsewhere, and is the cipher that auditors and key
//! management services expect.
//!
//! Where the keys come from: [`DataKeys::from_env_or_dev_file`], [`DataKeys::parse`], or
//! [`DataKeys::from_parts`].

use aes_gcm::aead::{Aead, Nonce, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use crate::PersistenceError;

mod config;
mod dev_file;
mod keyed;

pub use config::{DATA_KEY_ENV, INDEX_KEY_ENV};
pub use dev_file::DEV_KEY_FILE;
pub use keyed::Keyed;

/// Blind-index purpose of ID numbers: shared by every table that holds them, so one person
/// is found wherever they are registered.
pub const INDEX_ID_NUMBER: &str = "id_number";

/// Length in bytes of every key: the AES-256 data keys and the blind-index key.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const TOKEN_VERSION: &str = "v1";
const MAX_KEY_ID_LEN: usize = 32;

/// The key ring for personal data: data keys by key id (the first one active, all usable
/// for decryption) and the blind-index key.
#[derive(Clone)]
pub struct DataKeys {
    /// In configured order: `keys[0]` encrypts.
    keys: Vec<DataKey>,
    index: Hmac<Sha256>,
}

#[derive(Clone)]
struct DataKey {
    id: String,
    cipher: Aes256Gcm,
}

impl DataKeys {
    /// Builds a ring from raw keys, the first being active. For tests and for callers that
    /// hold keys from elsewhere (a key management service); configuration goes through
    /// [`DataKeys::from_env_or_dev_file`] or [`DataKeys::parse`].
    pub fn from_parts<'a>(
        keys: impl IntoIterator<Item = (&'a str, [u8; KEY_LEN])>,
        index_key: [u8; KEY_LEN],
    ) -> Result<Self, PersistenceError> {
        let keys = keys
            .into_iter()
            .map(|(id, key)| (id.to_owned(), Zeroizing::new(key)))
            .collect();
        Self::build(keys, &Zeroizing::new(index_key))
    }

    fn build(
        keys: Vec<(String, Zeroizing<[u8; KEY_LEN]>)>,
        index_key: &[u8; KEY_LEN],
    ) -> Result<Self, PersistenceError> {
        if keys.is_empty() {
            return Err(PersistenceError::Config(
                "no data key configured: at least one key is needed to encrypt".to_owned(),
            ));
        }
        let mut ring: Vec<DataKey> = Vec::with_capacity(keys.len());
        for (id, key) in &keys {
            if !is_valid_key_id(id) {
                return Err(PersistenceError::Config(format!(
                    "data key id {id:?} is not usable: use 1 to {MAX_KEY_ID_LEN} letters, digits, '-' or '_'"
                )));
            }
            if ring.iter().any(|k| k.id == *id) {
                return Err(PersistenceError::Config(format!(
                    "data key id {id:?} is listed twice"
                )));
            }
            // One key for two algorithms would tie the blind index to a data key's rotation
            // and break the separation of the two.
            if key.as_slice() == index_key.as_slice() {
                return Err(PersistenceError::Config(format!(
                    "data key {id:?} is the same as the blind-index key: use separate random keys"
                )));
            }
            let cipher = Aes256Gcm::new_from_slice(key.as_slice()).map_err(|_| {
                PersistenceError::Config(format!("data key {id:?} is not {KEY_LEN} bytes"))
            })?;
            ring.push(DataKey {
                id: id.clone(),
                cipher,
            });
        }
        let index = <Hmac<Sha256> as KeyInit>::new_from_slice(index_key).map_err(|_| {
            PersistenceError::Config(format!("the blind-index key is not {KEY_LEN} bytes"))
        })?;
        Ok(DataKeys { keys: ring, index })
    }

    /// The id of the key that [`DataKeys::encrypt`] uses.
    pub fn active_key_id(&self) -> &str {
        &self.active().id
    }

    /// The ids of all keys in the ring, the active one first.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.id.as_str())
    }

    /// The key id a token was made with, or `None` if `token` is not a token. A rotation job
    /// re-encrypts the values whose key id is not [`DataKeys::active_key_id`].
    pub fn key_id_of(token: &str) -> Option<&str> {
        split_token(token).map(|(kid, _)| kid)
    }

    fn active(&self) -> &DataKey {
        // `build` refuses an empty ring.
        &self.keys[0]
    }

    /// Encrypts `plaintext` under the active key into `v1:<key id>:<base64url>`. `aad` names
    /// what the value is (`household_member.id_number`); [`DataKeys::decrypt`] needs the
    /// same `aad` back.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails, rather than risk a repeated
    /// nonce.
    pub fn encrypt(&self, plaintext: &str, aad: &str) -> String {
        let key = self.active();
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).expect("the operating system's random number generator failed");
        let associated = associated_data(&key.id, aad);
        let sealed = key
            .cipher
            .encrypt(
                &Nonce::<Aes256Gcm>::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &associated,
                },
            )
            .expect("AES-GCM refuses only values longer than 64 GiB");
        let mut body = Vec::with_capacity(NONCE_LEN + sealed.len());
        body.extend_from_slice(&nonce);
        body.extend_from_slice(&sealed);
        format!(
            "{TOKEN_VERSION}:{}:{}",
            key.id,
            URL_SAFE_NO_PAD.encode(&body)
        )
    }

    /// Opens a token made by [`DataKeys::encrypt`] with the same `aad`, using the key its
    /// header names. A token that is malformed, names an unknown key, was altered, or
    /// belongs to another purpose is [`PersistenceError::Corrupt`]; the message names the
    /// purpose and key id, never the value.
    pub fn decrypt(&self, token: &str, aad: &str) -> Result<String, PersistenceError> {
        let (kid, body) = split_token(token).ok_or_else(|| {
            PersistenceError::Corrupt(format!(
                "{aad}: not an encrypted value (expected {TOKEN_VERSION}:<key id>:<data>)"
            ))
        })?;
        let key = self.keys.iter().find(|k| k.id == kid).ok_or_else(|| {
            let known: Vec<&str> = self.key_ids().collect();
            PersistenceError::Corrupt(format!(
                "{aad}: encrypted with key {kid:?}, which is not configured (configured: {})",
                known.join(", ")
            ))
        })?;
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .ok()
            .filter(|b| b.len() >= NONCE_LEN + TAG_LEN)
            .ok_or_else(|| {
                PersistenceError::Corrupt(format!(
                    "{aad}: the encrypted data is truncated or not base64url"
                ))
            })?;
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::<Aes256Gcm>::try_from(nonce).map_err(|_| {
            PersistenceError::Corrupt(format!("{aad}: the encrypted data has no nonce"))
        })?;
        let associated = associated_data(kid, aad);
        let plain = key
            .cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: &associated,
                },
            )
            .map_err(|_| {
                PersistenceError::Corrupt(format!(
                    "{aad}: cannot be decrypted with key {kid:?}: the data was altered or belongs to another field"
                ))
            })?;
        String::from_utf8(plain).map_err(|e| {
            e.into_bytes().zeroize();
            PersistenceError::Corrupt(format!("{aad}: the decrypted value is not UTF-8"))
        })
    }

    /// A deterministic keyed hash of `value` for `purpose` (`household_member.id_number`):
    /// 64 lowercase hex digits. Equal values give equal indexes, so duplicates are found by
    /// equality; the same value under another purpose gives another index. Normalise the
    /// value first (the domain types do: `IdCardNumber` upper-cases the check digit), or
    /// spellings of one value will not match.
    pub fn blind_index(&self, purpose: &str, value: &str) -> String {
        let mut mac = self.index.clone();
        // Length-prefixing the purpose keeps ("ab", "c") and ("a", "bc") apart.
        mac.update(&(purpose.len() as u64).to_be_bytes());
        mac.update(purpose.as_bytes());
        mac.update(value.as_bytes());
        to_hex(&mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for DataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKeys")
            .field("active", &self.active_key_id())
            .field("key_ids", &self.key_ids().collect::<Vec<_>>())
            .field("index_key", &"<redacted>")
            .finish()
    }
}

fn is_valid_key_id(id: &str) -> bool {
    (1..=MAX_KEY_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `(key id, body)` of a `v1:<key id>:<body>` token.
fn split_token(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix(TOKEN_VERSION)?.strip_prefix(':')?;
    let (kid, body) = rest.split_once(':')?;
    is_valid_key_id(kid).then_some((kid, body))
}

/// The token's header plus the purpose; unambiguous because key ids contain no `:`.
fn associated_data(kid: &str, aad: &str) -> Vec<u8> {
    format!("{TOKEN_VERSION}:{kid}:{aad}").into_bytes()
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests;
