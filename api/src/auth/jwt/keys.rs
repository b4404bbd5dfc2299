//! [`TokenKeys`]: the key ring that signs and verifies access tokens. One key signs; every key
//! in the ring verifies the tokens it made, so a key rotates by making a new key the signer
//! and keeping the old one for verification until the last token it signed has expired (the
//! access token lifetime, 15 minutes by default).
//!
//! Each key is pinned to one algorithm, chosen when the key is loaded and never taken from a
//! token: HS256 for a shared secret, EdDSA for an Ed25519 key, RS256 for an RSA key.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

/// Shortest HS256 secret accepted, in bytes: the output size of SHA-256 (RFC 7518 §3.2).
pub const MIN_SECRET_LEN: usize = 32;
/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
const MAX_KID_LEN: usize = 32;

/// The access-token key ring: the signing key and the verification keys, each by key id
/// (`kid`) with its own algorithm. Cheap to clone (the keys are copied, not shared, but they
/// are small); build it once at start-up.
#[derive(Clone)]
pub struct TokenKeys {
    signer: Signer,
    /// Every key that verifies, the signer's own public half (or secret) first.
    verifiers: Vec<Verifier>,
}

#[derive(Clone)]
pub(super) struct Signer {
    pub(super) kid: String,
    pub(super) alg: Algorithm,
    pub(super) key: EncodingKey,
}

#[derive(Clone)]
pub(super) struct Verifier {
    pub(super) kid: String,
    pub(super) alg: Algorithm,
    pub(super) key: DecodingKey,
}

/// A key that can sign, with the key that verifies what it signs.
pub(super) struct SigningPair {
    alg: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// A key that only verifies.
pub(super) struct VerifyingKey {
    alg: Algorithm,
    decoding: DecodingKey,
}

impl TokenKeys {
    /// A ring of HS256 secrets, the first one signing and all of them verifying. For tests and
    /// for callers that hold secrets from elsewhere; configuration goes through
    /// [`TokenKeys::from_env_or_dev_file`]. Errors name the key id, never the secret.
    pub fn hs256(keys: &[(&str, &[u8])]) -> Result<TokenKeys, String> {
        let Some(((active_kid, active), rest)) = keys.split_first() else {
            return Err("no signing key: give at least one HS256 secret".to_owned());
        };
        let signer = hs256_pair(active).map_err(|e| format!("key {active_kid:?}: {e}"))?;
        let mut ring = TokenKeys::new(active_kid, signer)?;
        for (kid, secret) in rest {
            let verifier = hs256_pair(secret)
                .map_err(|e| format!("key {kid:?}: {e}"))?
                .verifying();
            ring.add_verifier(kid, verifier)?;
        }
        Ok(ring)
    }

    /// A ring whose signer is the private key in `pem`: Ed25519 (signs EdDSA) or RSA of at
    /// least 2048 bits (signs RS256), in PKCS#8 (`BEGIN PRIVATE KEY`) or, for RSA, PKCS#1
    /// (`BEGIN RSA PRIVATE KEY`) form. The algorithm is read from the key.
    pub fn from_private_pem(kid: &str, pem: &[u8]) -> Result<TokenKeys, String> {
        let signer = private_pem_pair(pem).map_err(|e| format!("key {kid:?}: {e}"))?;
        TokenKeys::new(kid, signer)
    }

    /// Adds a verification-only public key (an old signing key during a rotation, or the
    /// public half of a key that another service signs with): Ed25519 or RSA in
    /// `BEGIN PUBLIC KEY` (SPKI) form, or RSA in `BEGIN RSA PUBLIC KEY` (PKCS#1) form.
    pub fn with_public_pem(mut self, kid: &str, pem: &[u8]) -> Result<TokenKeys, String> {
        let key = public_pem_key(pem).map_err(|e| format!("key {kid:?}: {e}"))?;
        self.add_verifier(kid, key)?;
        Ok(self)
    }

    pub(super) fn new(kid: &str, pair: SigningPair) -> Result<TokenKeys, String> {
        check_kid(kid)?;
        Ok(TokenKeys {
            verifiers: vec![Verifier {
                kid: kid.to_owned(),
                alg: pair.alg,
                key: pair.decoding,
            }],
            signer: Signer {
                kid: kid.to_owned(),
                alg: pair.alg,
                key: pair.encoding,
            },
        })
    }

    pub(super) fn add_verifier(&mut self, kid: &str, key: VerifyingKey) -> Result<(), String> {
        check_kid(kid)?;
        if self.verifier(kid).is_some() {
            return Err(format!("key id {kid:?} is listed twice"));
        }
        self.verifiers.push(Verifier {
            kid: kid.to_owned(),
            alg: key.alg,
            key: key.decoding,
        });
        Ok(())
    }

    /// The key id that new tokens carry in their header.
    pub fn active_kid(&self) -> &str {
        &self.signer.kid
    }

    /// The algorithm new tokens are signed with.
    pub fn active_algorithm(&self) -> Algorithm {
        self.signer.alg
    }

    /// The ids of all keys that verify, the signing key first.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.verifiers.iter().map(|k| k.kid.as_str())
    }

    /// The algorithm pinned to `kid`, or `None` when no key has that id.
    pub fn algorithm_of(&self, kid: &str) -> Option<Algorithm> {
        self.verifier(kid).map(|k| k.alg)
    }

    pub(super) fn signer(&self) -> &Signer {
        &self.signer
    }

    pub(super) fn verifier(&self, kid: &str) -> Option<&Verifier> {
        self.verifiers.iter().find(|k| k.kid == kid)
    }
}

impl fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<String> = self
            .verifiers
            .iter()
            .map(|k| format!("{} ({:?})", k.kid, k.alg))
            .collect();
        f.debug_struct("TokenKeys")
            .field("active", &self.signer.kid)
            .field("keys", &keys)
            .finish()
    }
}

impl SigningPair {
    pub(super) fn verifying(self) -> VerifyingKey {
        VerifyingKey {
            alg: self.alg,
            decoding: self.decoding,
        }
    }
}

pub(super) fn check_kid(kid: &str) -> Result<(), String> {
    let usable = (1..=MAX_KID_LEN).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if usable {
        Ok(())
    } else {
        // Not quoted: a mistyped entry may have put part of a secret where the id goes.
        Err(format!(
            "a key id is not usable: use 1 to {MAX_KID_LEN} letters, digits, '-' or '_'"
        ))
    }
}

/// An HS256 secret. Its length is checked, its bytes are not shown.
pub(super) fn hs256_pair(secret: &[u8]) -> Result<SigningPair, String> {
    if secret.len() < MIN_SECRET_LEN {
        return Err(format!(
            "the secret is {} bytes; it must be at least {MIN_SECRET_LEN} random bytes \
             (make one with `openssl rand -base64 48`)",
            secret.len()
        ));
    }
    Ok(SigningPair {
        alg: Algorithm::HS256,
        encoding: EncodingKey::from_secret(secret),
        decoding: DecodingKey::from_secret(secret),
    })
}

/// A PEM private key, its algorithm detected from the key itself, checked by signing and
/// verifying a probe so that a broken key fails at start-up rather than at the first login.
pub(super) fn private_pem_pair(pem: &[u8]) -> Result<SigningPair, String> {
    if contains(pem, b"PUBLIC KEY-----") || contains(pem, b"CERTIFICATE-----") {
        return Err("this is a public key or certificate; the private key is needed".to_owned());
    }
    let pair = if let Ok(encoding) = EncodingKey::from_ed_pem(pem) {
        let jwk = Jwk::from_encoding_key(&encoding, Algorithm::EdDSA).map_err(|_| {
            "the Ed25519 key cannot be read: use PKCS#8 v1, as `openssl genpkey -algorithm \
             ed25519` writes it"
                .to_owned()
        })?;
        let decoding = DecodingKey::from_jwk(&jwk)
            .map_err(|_| "the Ed25519 key has no usable public half".to_owned())?;
        SigningPair {
            alg: Algorithm::EdDSA,
            encoding,
            decoding,
        }
    } else if let Ok(encoding) = EncodingKey::from_rsa_pem(pem) {
        let jwk = Jwk::from_encoding_key(&encoding, Algorithm::RS256)
            .map_err(|_| "the RSA private key cannot be read".to_owned())?;
        check_rsa_size(&jwk)?;
        let decoding = DecodingKey::from_jwk(&jwk)
            .map_err(|_| "the RSA key has no usable public half".to_owned())?;
        SigningPair {
            alg: Algorithm::RS256,
            encoding,
            decoding,
        }
    } else if EncodingKey::from_ec_pem(pem).is_ok() {
        return Err(unsupported_ec());
    } else {
        return Err(
            "not a PEM private key: expected Ed25519 or RSA as `BEGIN PRIVATE KEY` \
                    (PKCS#8) or RSA as `BEGIN RSA PRIVATE KEY` (PKCS#1)"
                .to_owned(),
        );
    };
    probe(&pair)?;
    Ok(pair)
}

/// A PEM public key, verification only.
pub(super) fn public_pem_key(pem: &[u8]) -> Result<VerifyingKey, String> {
    if contains(pem, b"PRIVATE KEY-----") {
        return Err(
            "this is a private key; give only its public half (`openssl pkey -in key.pem \
             -pubout`)"
                .to_owned(),
        );
    }
    if contains(pem, b"CERTIFICATE-----") {
        return Err(
            "this is a certificate; give its public key (`openssl x509 -in cert.pem -pubkey \
             -noout`)"
                .to_owned(),
        );
    }
    // `Jwk::from_decoding_key` parses the key, which the decoding key alone does not: a key
    // of the wrong length would otherwise fail (or, for Ed25519, panic) at the first token.
    if let Ok(decoding) = DecodingKey::from_ed_pem(pem) {
        Jwk::from_decoding_key(&decoding, Some(Algorithm::EdDSA))
            .map_err(|_| "the Ed25519 public key is not 32 bytes".to_owned())?;
        Ok(VerifyingKey {
            alg: Algorithm::EdDSA,
            decoding,
        })
    } else if let Ok(decoding) = DecodingKey::from_rsa_pem(pem) {
        let jwk = Jwk::from_decoding_key(&decoding, Some(Algorithm::RS256))
            .map_err(|_| "the RSA public key cannot be read".to_owned())?;
        check_rsa_size(&jwk)?;
        Ok(VerifyingKey {
            alg: Algorithm::RS256,
            decoding,
        })
    } else if DecodingKey::from_ec_pem(pem).is_ok() {
        Err(unsupported_ec())
    } else {
        Err(
            "not a PEM public key: expected Ed25519 or RSA as `BEGIN PUBLIC KEY`, or RSA as \
             `BEGIN RSA PUBLIC KEY`"
                .to_owned(),
        )
    }
}

fn unsupported_ec() -> String {
    "this is an elliptic-curve (ECDSA) key: only Ed25519 and RSA keys are supported".to_owned()
}

fn check_rsa_size(jwk: &Jwk) -> Result<(), String> {
    let AlgorithmParameters::RSA(rsa) = &jwk.algorithm else {
        return Err("not an RSA key".to_owned());
    };
    let modulus = URL_SAFE_NO_PAD
        .decode(&rsa.n)
        .map_err(|_| "the RSA key cannot be read".to_owned())?;
    let bits = modulus.len() * 8;
    if bits < MIN_RSA_BITS {
        return Err(format!(
            "the RSA key is {bits} bits; at least {MIN_RSA_BITS} are needed"
        ));
    }
    Ok(())
}

fn probe(pair: &SigningPair) -> Result<(), String> {
    const PROBE: &[u8] = b"fupin key check";
    let signature = jsonwebtoken::crypto::sign(PROBE, &pair.encoding, pair.alg)
        .map_err(|_| format!("the key cannot sign {:?}", pair.alg))?;
    match jsonwebtoken::crypto::verify(&signature, PROBE, &pair.decoding, pair.alg) {
        Ok(true) => Ok(()),
        _ => Err(format!(
            "the key's {:?} signature does not verify with its own public half",
            pair.alg
        )),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
