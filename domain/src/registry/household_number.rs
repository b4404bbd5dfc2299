//! `HouseholdNumber` (户编号): the registry's own number for a poor household.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

const FIELD: &str = "household_number";
const MAX_LEN: usize = 32;

/// A household's number in the registry (户编号): 1 to 32 characters of `0-9 A-Z a-z -`,
/// trimmed. Unique in the registry; re-importing a household with the same number updates
/// it. Case is kept as given (numbers are compared exactly).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HouseholdNumber(String);

impl HouseholdNumber {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "required",
                "a household number is required",
                "请填写户编号",
            ));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(FieldError::new(
                FIELD,
                "characters",
                "a household number may contain only digits, Latin letters and hyphens",
                "户编号只能包含数字、英文字母和连字符",
            ));
        }
        if s.len() > MAX_LEN {
            return Err(FieldError::new(
                FIELD,
                "too_long",
                format!("a household number has at most {MAX_LEN} characters"),
                format!("户编号最多 {MAX_LEN} 个字符"),
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HouseholdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for HouseholdNumber {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<HouseholdNumber> for String {
    fn from(value: HouseholdNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_digits_letters_and_hyphens() {
        let n = HouseholdNumber::parse(" 2109211002020001 ").expect("valid");
        assert_eq!(n.as_str(), "2109211002020001");
        assert_eq!(n.to_string(), "2109211002020001");
        assert!(HouseholdNumber::parse("FX-2015-a01").is_ok());
        assert!(HouseholdNumber::parse(&"9".repeat(32)).is_ok());
        assert_eq!(
            HouseholdNumber::try_from("x".to_owned()).map(String::from),
            Ok("x".to_owned())
        );
    }

    #[test]
    fn rejects_other_characters_and_lengths() {
        let code = |s: &str| HouseholdNumber::parse(s).expect_err(s).code;
        assert_eq!(code(""), "required");
        assert_eq!(code("  "), "required");
        assert_eq!(code(&"9".repeat(33)), "too_long");
        assert_eq!(code("2109 0001"), "characters");
        assert_eq!(code("2109_0001"), "characters");
        assert_eq!(code("户001"), "characters");
        assert_eq!(code("２１０９"), "characters");
        let err = HouseholdNumber::parse("a/b").expect_err("slash");
        assert_eq!(err.field, "household_number");
    }
}
