//! Password hashing with Argon2id (OWASP's recommended parameters, the crate's defaults).
//! Hashing is deliberately slow: call these only on the blocking pool, never on the async
//! executor.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use domain::FieldError;

use crate::service::ServiceError;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

/// A hash of a password that matches nothing, verified against when the account does not
/// exist, so that a login takes as long for an unknown user as for a wrong password.
const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1Qx1Yy3pIPw4lK1yXlC2cE2Xc2wB8m7mM1n4x8m5e7o";

/// Checks the password policy: 10 to 128 characters, not all one kind of character.
pub fn check_policy(password: &str) -> Result<(), FieldError> {
    let len = password.chars().count();
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&len) {
        return Err(FieldError::new(
            "password",
            "length",
            format!("a password needs {MIN_LENGTH} to {MAX_LENGTH} characters"),
            format!("密码长度应为 {MIN_LENGTH} 到 {MAX_LENGTH} 个字符"),
        ));
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(char::is_alphabetic),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(FieldError::new(
            "password",
            "too_simple",
            "a password needs at least two of: letters, digits, other characters",
            "密码需至少包含字母、数字、其他字符中的两类",
        ));
    }
    Ok(())
}

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
    fn policy_wants_length_and_variety() {
        assert_eq!(check_policy("short1").unwrap_err().code, "length");
        assert_eq!(check_policy("aaaaaaaaaaaa").unwrap_err().code, "too_simple");
        assert!(check_policy("fupin-2026-ln").is_ok());
    }
}
