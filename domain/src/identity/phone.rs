//! `PhoneNumber`: a mainland China mobile (手机) or fixed-line (固定电话) number.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

const FIELD: &str = "phone";

/// Whether a number rings a mobile phone or a landline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// 手机
    Mobile,
    /// 固定电话
    Landline,
}

impl PhoneKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneKind::Mobile => "mobile",
            PhoneKind::Landline => "landline",
        }
    }
}

/// A mainland phone number in its national form, digits only: a mobile number
/// (`13812345678`) or a landline with its area code (`02412345678`, `041187654321`).
///
/// Personal data: `Debug` prints the masked form, and there is deliberately no `Display`
/// or `Serialize`. Call [`PhoneNumber::expose`] where the clear number is needed.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct PhoneNumber {
    number: String,
    /// Digits of the area code, 0 for a mobile number.
    area_len: usize,
}

fn invalid(code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> FieldError {
    FieldError::new(FIELD, code, en, zh)
}

impl PhoneNumber {
    /// Parses a mobile number, optionally with `+86`, `0086` or `86` in front, or a landline
    /// number with its area code (`024-12345678`, `(0411) 8765 4321`, `+86 24 1234 5678`).
    /// Spaces, hyphens and brackets are ignored.
    ///
    /// Area codes are self-delimiting: `010` and `020`-`029` have three digits, every other
    /// one (`0xxx` with a second digit 3-9) has four. So a landline written without a
    /// separator is still read correctly.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let compact: String = s
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '(' | ')')))
            .collect();
        if compact.is_empty() {
            return Err(invalid(
                "required",
                "a phone number is required",
                "请填写电话号码",
            ));
        }
        let (digits, international) = if let Some(rest) = compact.strip_prefix("+86") {
            (rest, true)
        } else if compact.starts_with('+') {
            return Err(not_mainland());
        } else if let Some(rest) = compact.strip_prefix("0086") {
            (rest, true)
        } else if let Some(rest) = compact
            .strip_prefix("86")
            .filter(|r| r.len() == 11 && r.starts_with('1'))
        {
            (rest, true)
        } else {
            (compact.as_str(), false)
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "characters",
                "a phone number may contain only digits, spaces, hyphens, brackets and a leading +86",
                "电话号码只能包含数字、空格、连字符、括号和开头的 +86",
            ));
        }
        // In international form a landline drops the trunk 0 of its area code.
        let number = match digits.as_bytes()[0] {
            b'2'..=b'9' if international => format!("0{digits}"),
            _ => digits.to_owned(),
        };
        match number.as_bytes()[0] {
            b'1' => Self::mobile(number),
            b'0' => Self::landline(number),
            _ => Err(invalid(
                "area_code",
                "a landline number needs its area code, e.g. 024-12345678",
                "固定电话号码需要带区号，例如 024-12345678",
            )),
        }
    }

    fn mobile(number: String) -> Result<Self, FieldError> {
        if number.len() != 11 {
            return Err(invalid(
                "length",
                format!("a mobile number has 11 digits, not {}", number.len()),
                format!("手机号码应为 11 位，实际为 {} 位", number.len()),
            ));
        }
        if !matches!(number.as_bytes()[1], b'3'..=b'9') {
            return Err(invalid(
                "mobile_prefix",
                "a mobile number starts with 13 to 19",
                "手机号码应以 13 至 19 开头",
            ));
        }
        Ok(Self {
            number,
            area_len: 0,
        })
    }

    fn landline(number: String) -> Result<Self, FieldError> {
        let area_len = match number.as_bytes().get(1..3) {
            Some([b'1', b'0'] | [b'2', _]) => 3,
            Some([b'3'..=b'9', _]) => 4,
            Some([b'0', _]) => return Err(not_mainland()),
            _ => {
                return Err(invalid(
                    "area_code",
                    "the area code is not a mainland area code (010, 02x or 0xxx)",
                    "区号无效（应为 010、02x 或 0xxx）",
                ));
            }
        };
        let local = &number[area_len.min(number.len())..];
        if !(7..=8).contains(&local.len()) {
            return Err(invalid(
                "length",
                "a landline number has 7 or 8 digits after the area code",
                "固定电话号码在区号后应为 7 或 8 位",
            ));
        }
        // Only 0 is ruled out: it means the area code was typed twice or mistyped. Local
        // numbers starting with 1 are rare but appear in examples and test data.
        if local.starts_with('0') {
            return Err(invalid(
                "local_number",
                "a landline number cannot start with 0 after the area code",
                "固定电话号码在区号后不能以 0 开头",
            ));
        }
        Ok(Self { number, area_len })
    }

    /// The clear number, digits only. Personal data: only for officials of the
    /// jurisdiction, audit-logged reads, encryption and sending messages.
    pub fn expose(&self) -> &str {
        &self.number
    }

    pub fn kind(&self) -> PhoneKind {
        if self.area_len == 0 {
            PhoneKind::Mobile
        } else {
            PhoneKind::Landline
        }
    }

    pub fn is_mobile(&self) -> bool {
        self.kind() == PhoneKind::Mobile
    }

    /// The area code (区号) of a landline, with its leading 0.
    pub fn area_code(&self) -> Option<&str> {
        (self.area_len > 0).then(|| &self.number[..self.area_len])
    }

    /// The form everyone outside the jurisdiction sees: `138****5678` for a mobile,
    /// the area code, asterisks and the last two digits for a landline (`024******78`).
    pub fn masked(&self) -> String {
        let n = &self.number;
        match self.kind() {
            PhoneKind::Mobile => format!("{}****{}", &n[..3], &n[7..]),
            PhoneKind::Landline => {
                let hidden = n.len() - self.area_len - 2;
                format!(
                    "{}{}{}",
                    &n[..self.area_len],
                    "*".repeat(hidden),
                    &n[n.len() - 2..]
                )
            }
        }
    }
}

fn not_mainland() -> FieldError {
    invalid(
        "not_mainland",
        "only mainland China numbers (+86) are accepted",
        "只接受中国大陆电话号码（+86）",
    )
}

impl TryFrom<String> for PhoneNumber {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn code_of(s: &str) -> &'static str {
        PhoneNumber::parse(s).expect_err("should be rejected").code
    }

    #[test]
    fn mobile_numbers_are_normalised_to_eleven_digits() {
        for s in [
            "13812345678",
            " 138 1234 5678 ",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+8613812345678",
            "86-13812345678",
            "0086 138 1234 5678",
        ] {
            let p = phone(s);
            assert_eq!(p.expose(), "13812345678", "{s}");
            assert_eq!(p.kind(), PhoneKind::Mobile);
            assert!(p.is_mobile());
            assert_eq!(p.area_code(), None);
        }
        assert_eq!(phone("19912345678").expose(), "19912345678");
    }

    #[test]
    fn bad_mobile_numbers_are_rejected() {
        assert_eq!(code_of("12812345678"), "mobile_prefix");
        assert_eq!(code_of("11812345678"), "mobile_prefix");
        assert_eq!(code_of("1381234567"), "length");
        assert_eq!(code_of("138123456789"), "length");
        assert_eq!(code_of("+86 1381234567"), "length");
        assert_eq!(code_of("138abcd5678"), "characters");
        assert_eq!(code_of("138.1234.5678"), "characters");
        assert_eq!(code_of("+86"), "characters");
        assert_eq!(code_of("   "), "required");
        assert_eq!(code_of("+1 555 123 4567"), "not_mainland");
        assert_eq!(code_of("00852 9123 4567"), "not_mainland");
    }

    #[test]
    fn landlines_keep_their_area_code_without_separator() {
        let shenyang = phone("024-12345678");
        assert_eq!(shenyang.expose(), "02412345678");
        assert_eq!(shenyang.kind(), PhoneKind::Landline);
        assert_eq!(shenyang.area_code(), Some("024"));
        assert_eq!(phone("(024) 1234 5678"), shenyang);
        assert_eq!(phone("02412345678"), shenyang);
        assert_eq!(phone("+86 24 1234 5678"), shenyang);
        assert_eq!(phone("+86 (0)24 1234 5678"), shenyang);

        let dalian = phone("0411-8765432");
        assert_eq!(dalian.expose(), "04118765432");
        assert_eq!(dalian.area_code(), Some("0411"));
        assert_eq!(phone("010-87654321").area_code(), Some("010"));
        assert_eq!(phone("0418-3456789").area_code(), Some("0418"));
    }

    #[test]
    fn bad_landlines_are_rejected() {
        assert_eq!(code_of("87654321"), "area_code");
        assert_eq!(code_of("011-12345678"), "area_code");
        assert_eq!(code_of("0"), "area_code");
        assert_eq!(code_of("024-123456"), "length");
        assert_eq!(code_of("024-123456789"), "length");
        assert_eq!(code_of("0411-123456"), "length");
        assert_eq!(code_of("024-02345678"), "local_number");
        assert_eq!(code_of("024-024-12345"), "local_number");
        assert_eq!(code_of("86 24 12345678"), "area_code");
    }

    #[test]
    fn masking_shows_prefix_and_last_digits_only() {
        assert_eq!(phone("13812345678").masked(), "138****5678");
        assert_eq!(phone("024-12345678").masked(), "024******78");
        assert_eq!(phone("0411-8765432").masked(), "0411*****32");
    }

    #[test]
    fn debug_does_not_leak_the_number() {
        let debug = format!("{:?}", phone("13812345678"));
        assert_eq!(debug, r#"PhoneNumber("138****5678")"#);
        assert!(!debug.contains("1234"));
    }

    #[test]
    fn deserializes_by_parsing() {
        let p = PhoneNumber::try_from("+86 138-1234-5678".to_owned()).expect("valid");
        assert_eq!(p.expose(), "13812345678");
        assert_eq!(PhoneKind::Landline.as_str(), "landline");
    }
}
