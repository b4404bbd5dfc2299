//! 统一社会信用代码 (GB 32100-2015): the 18-character code every Chinese organisation is
//! registered under. Characters come from 0-9 and 21 capital letters (no I, O, S, V, Z);
//! the last is a check character over the first 17 (weights 3^i mod 31).

use std::fmt;

use crate::FieldError;

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A valid unified social credit code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

fn value(c: u8) -> Option<u32> {
    CHARSET
        .iter()
        .position(|x| *x == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check character for the first 17 characters (already known to be in the charset).
fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| value(*c).unwrap_or(0) * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    CHARSET[check as usize]
}

impl CreditCode {
    /// Parses a code (surrounding spaces ignored, lower case accepted). Errors name the
    /// field `credit_code` with `format` or `check_digit`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let code = s.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        if bytes.len() != 18 || !bytes.iter().all(|b| value(*b).is_some()) {
            return Err(FieldError::new(
                "credit_code",
                "format",
                format!(
                    "{s:?} is not a unified social credit code: 18 characters of 0-9 and A-Y without I, O, S, V, Z"
                ),
                format!(
                    "{s:?} 不是有效的统一社会信用代码：应为 18 位，由数字和除 I、O、S、V、Z 以外的大写字母组成"
                ),
            ));
        }
        let expected = check_char(&bytes[..17]);
        if bytes[17] != expected {
            return Err(FieldError::new(
                "credit_code",
                "check_digit",
                format!(
                    "the check character of {code} should be {}",
                    expected as char
                ),
                format!("统一社会信用代码 {code} 的校验码应为 {}", expected as char),
            ));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The registering authority (登记管理部门) code: `1` organisation departments, `5`
    /// civil affairs (social organisations), `9` market regulation (enterprises), ...
    pub fn authority(&self) -> char {
        char::from(self.0.as_bytes()[0])
    }

    /// The six-digit administrative division code of the registering place.
    pub fn region(&self) -> &str {
        &self.0[2..8]
    }

    /// Completes a 17-character body with its check character (for tests and data
    /// generators).
    pub fn with_check(first17: &str) -> Result<Self, FieldError> {
        let b = first17.as_bytes();
        if b.len() != 17 || !b.iter().all(|c| value(*c).is_some()) {
            return Err(FieldError::new(
                "credit_code",
                "format",
                "17 valid characters expected",
                "应为 17 位有效字符",
            ));
        }
        Self::parse(&format!("{first17}{}", check_char(b) as char))
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_validate() {
        // Codes printed on real business licences.
        for code in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91440300708461136T",
        ] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
        let c = CreditCode::parse(" 91350100m000100y43 ").unwrap();
        assert_eq!(c.as_str(), "91350100M000100Y43");
        assert_eq!((c.authority(), c.region()), ('9', "350100"));
    }

    #[test]
    fn bad_codes_say_why() {
        let e = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("credit_code", "check_digit"));
        assert!(e.message_en.contains("should be 3"));
        assert_eq!(
            CreditCode::parse("9135010OM000100Y43").unwrap_err().code,
            "format"
        );
        assert_eq!(CreditCode::parse("123").unwrap_err().code, "format");
    }

    #[test]
    fn generated_codes_round_trip() {
        let c = CreditCode::with_check("52210000MJ0000001").unwrap();
        assert_eq!(CreditCode::parse(c.as_str()), Ok(c.clone()));
        assert_eq!(c.authority(), '5');
    }
}
