//! Password hashing with Argon2id (OWASP's recommended parameters, the crate's defaults).
//! Hashing is deliberately slow: call these only on the blocking pool, never on the async
//! executor. The password policy itself is the domain's
//! ([`domain::identity::check_password_policy`]).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::service::ServiceError;

/// A hash of a password that matches nothing, verified against when the account does not
/// exist, so that a login takes as long for an unknown user as for a wrong password.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1Qx1Yy3pIPw4lK1yXlC2cE2Xc2wB8m7mM1n4x8m5e7o";

pub fn hash(password: &str) -> Result<String, ServiceError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches `stored` (a PHC string); `None` burns the same time on a decoy.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let target = stored.unwrap_or(DECOY);
    let Ok(parsed) = PasswordHash::new(target) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && stored.is_some()
}

/// Whether two secrets are equal, in a time that does not depend on where they differ:
/// their digests are compared in full.
pub fn same_secret(given: &str, expected: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (a, b) = (Sha256::digest(given), Sha256::digest(expected));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_decoys_never_match() {
        let h = hash("correct horse 1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse 1", Some(&h)));
        assert!(!verify("correct horse 2", Some(&h)));
        assert!(!verify("anything", None));
        assert!(PasswordHash::new(DECOY).is_ok());
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(same_secret("scrape-0123456789", "scrape-0123456789"));
        assert!(!same_secret("scrape-0123456788", "scrape-0123456789"));
        assert!(!same_secret("", "scrape-0123456789"));
    }
}
