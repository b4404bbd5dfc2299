//! `IdCardNumber`: an 18-character resident identity card number (居民身份证号, GB 11643-1999).

use std::fmt;

use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use serde::Deserialize;

use super::Sex;
use crate::FieldError;

const FIELD: &str = "id_number";

/// Weights of the first 17 digits in the GB 11643-1999 (ISO 7064 MOD 11-2) check sum.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder of the weighted sum modulo 11.
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The first two digits of every province-level division (GB/T 2260), Hong Kong and Macao
/// included. The rest of the 6-digit prefix is not checked: people keep their number when
/// their county is merged or renamed, so old prefixes stay valid for life.
const PROVINCE_PREFIXES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82",
];

/// A resident identity card number (居民身份证号): 6 digits of region, 8 of birth date,
/// 3 of sequence (odd for men), 1 check character (`0`-`9` or `X`). Always 18 ASCII
/// characters with an upper-case `X`.
///
/// Personal data: `Debug` prints the masked form, and there is deliberately no `Display`
/// or `Serialize`. Call [`IdCardNumber::expose`] where the clear number is needed.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct IdCardNumber {
    number: String,
    birth_date: NaiveDate,
}

fn invalid(code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> FieldError {
    FieldError::new(FIELD, code, en, zh)
}

/// Today's date in China (UTC+8): the date every rule of the registry is judged on. A child
/// born just after midnight Beijing time already has a valid number even though it is still
/// yesterday in UTC.
pub fn today_in_china() -> NaiveDate {
    (Utc::now().naive_utc() + TimeDelta::hours(8)).date()
}

/// The check character for the first 17 digits (ASCII digits, already checked).
fn check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

impl IdCardNumber {
    /// Parses a number, judging its birth date against today's date in China.
    /// Surrounding whitespace is ignored and a lower-case `x` becomes `X`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::parse_on(s, today_in_china())
    }

    /// Parses a number whose birth date may not lie after `today`.
    pub fn parse_on(s: &str, today: NaiveDate) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.len() == 15 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                "legacy_15_digit",
                "15-digit identity card numbers are no longer accepted; \
                 please give the 18-digit number of the second-generation card",
                "不再接受 15 位身份证号码，请填写第二代身份证上的 18 位号码",
            ));
        }
        let chars = s.chars().count();
        if chars != 18 {
            return Err(invalid(
                "length",
                format!("an identity card number has 18 characters, not {chars}"),
                format!("身份证号码应为 18 位，实际为 {chars} 位"),
            ));
        }
        let mut number = s.to_owned();
        number.make_ascii_uppercase();
        let bytes = number.as_bytes();
        // 18 chars but not 18 bytes means a non-ASCII (e.g. full-width) character.
        if bytes.len() != 18
            || !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(invalid(
                "characters",
                "an identity card number has 17 digits followed by a digit or X",
                "身份证号码应为 17 位数字加 1 位数字或 X",
            ));
        }
        if !PROVINCE_PREFIXES.contains(&&number[..2]) {
            return Err(invalid(
                "region_prefix",
                "the first two digits are not a province code",
                "前两位不是有效的省级行政区划代码",
            ));
        }
        let birth_date = birth_date_of(&number[6..14], today)?;
        if check_char(&bytes[..17]) != bytes[17] {
            return Err(invalid(
                "check_digit",
                "the check digit does not match; please look for a mistyped digit",
                "校验码不符，请检查是否有输错的数字",
            ));
        }
        Ok(Self { number, birth_date })
    }

    /// The clear number. Personal data: only for officials of the jurisdiction, audit-logged
    /// reads, encryption and matching.
    pub fn expose(&self) -> &str {
        &self.number
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// Whole years of age on `date`; `None` before the birth date.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        date.years_since(self.birth_date)
    }

    /// From the 17th digit, the last of the sequence number: odd for male, even for female.
    pub fn sex(&self) -> Sex {
        if (self.number.as_bytes()[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The 6-digit region where the number was issued (GB/T 2260 code at the time of issue;
    /// it may no longer exist).
    pub fn region_prefix(&self) -> &str {
        &self.number[..6]
    }

    /// The form everyone outside the jurisdiction sees: `210102********1234`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.number[..6], &self.number[14..])
    }
}

fn birth_date_of(yyyymmdd: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let field = |range: std::ops::Range<usize>| yyyymmdd[range].parse::<u32>().ok();
    let date = match (field(0..4), field(4..6), field(6..8)) {
        (Some(y), Some(m), Some(d)) => i32::try_from(y)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
        _ => None,
    };
    let Some(date) = date else {
        return Err(invalid(
            "birth_date",
            "digits 7-14 are not a calendar date (YYYYMMDD)",
            "第 7-14 位不是有效的出生日期（YYYYMMDD）",
        ));
    };
    if date.year() < 1900 {
        return Err(invalid(
            "birth_date",
            "the birth date lies before 1900",
            "出生日期早于 1900 年",
        ));
    }
    if date > today {
        return Err(invalid(
            "birth_date",
            "the birth date lies in the future",
            "出生日期晚于今天",
        ));
    }
    Ok(date)
}

impl TryFrom<String> for IdCardNumber {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl fmt::Debug for IdCardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdCardNumber").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    fn today() -> NaiveDate {
        day(2026, 1, 2)
    }

    /// ISO 7064 MOD 11-2 written from its definition (weight 2^(n-1) mod 11 for the n-th
    /// character from the right), independent of the weight table under test.
    fn complete(first17: &str) -> String {
        assert_eq!(first17.len(), 17);
        let sum: u64 = first17
            .bytes()
            .enumerate()
            .map(|(i, b)| u64::from(b - b'0') * ((1u64 << (17 - i)) % 11))
            .sum();
        let check = (12 - sum % 11) % 11;
        let c = if check == 10 {
            'X'
        } else {
            char::from(b'0' + check as u8)
        };
        format!("{first17}{c}")
    }

    fn parse(s: &str) -> Result<IdCardNumber, FieldError> {
        IdCardNumber::parse_on(s, today())
    }

    fn code_of(s: &str) -> &'static str {
        parse(s).expect_err("should be rejected").code
    }

    #[test]
    fn accepts_the_example_of_the_standard() {
        let n = parse("11010519491231002X").expect("GB 11643 example");
        assert_eq!(n.expose(), "11010519491231002X");
        assert_eq!(n.birth_date(), day(1949, 12, 31));
        assert_eq!(n.sex(), Sex::Female);
        assert_eq!(n.region_prefix(), "110105");
    }

    #[test]
    fn accepts_computed_numbers_and_reads_their_parts() {
        let s = complete("21010219800229123");
        let n = parse(&s).expect("valid number");
        assert_eq!(n.expose(), s);
        assert_eq!(n.birth_date(), day(1980, 2, 29));
        assert_eq!(n.sex(), Sex::Male);
        assert_eq!(n.region_prefix(), "210102");
        assert_eq!(n.age_on(day(2026, 2, 28)), Some(45));
        assert_eq!(n.age_on(day(2026, 3, 1)), Some(46));
        assert_eq!(n.age_on(day(1979, 1, 1)), None);

        let female = parse(&complete("21092120150601010")).expect("valid number");
        assert_eq!(female.sex(), Sex::Female);
    }

    #[test]
    fn accepts_x_in_either_case_and_stores_it_upper_case() {
        // Find a sequence number whose check character is X.
        let with_x = (0..1000)
            .map(|seq| complete(&format!("21090219751010{seq:03}")))
            .find(|s| s.ends_with('X'))
            .expect("about one in eleven numbers ends in X");
        let lower = with_x.to_lowercase();
        let n = parse(&format!("  {lower} ")).expect("lower-case x is accepted");
        assert_eq!(n.expose(), with_x);
        assert_eq!(n, parse(&with_x).expect("upper-case X"));
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        let good = complete("21010219900307123");
        let last = good.as_bytes()[17];
        let wrong = if last == b'0' { '1' } else { '0' };
        assert_eq!(code_of(&format!("{}{wrong}", &good[..17])), "check_digit");
        // Swapping two digits is the typical typo the check digit catches.
        assert_eq!(code_of("11010519491231020X"), "check_digit");
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        assert_eq!(code_of(&complete("21010219810229123")), "birth_date");
        assert_eq!(code_of(&complete("21010219001301123")), "birth_date");
        assert_eq!(code_of(&complete("21010219900431123")), "birth_date");
        assert_eq!(code_of(&complete("21010219900000123")), "birth_date");
        // 1900 was not a leap year, 2000 was.
        assert_eq!(code_of(&complete("21010219000229123")), "birth_date");
        assert!(parse(&complete("21010220000229123")).is_ok());
    }

    #[test]
    fn rejects_birth_dates_in_the_future_or_before_1900() {
        assert!(parse(&complete("21010220260102123")).is_ok(), "born today");
        assert_eq!(code_of(&complete("21010220260103123")), "birth_date");
        assert_eq!(code_of(&complete("21010230000101123")), "birth_date");
        // Also an example of the standard, with a valid check digit, but born in 1880.
        assert_eq!(code_of("440524188001010014"), "birth_date");
    }

    #[test]
    fn parse_uses_the_current_date() {
        assert!(IdCardNumber::parse("11010519491231002X").is_ok());
        assert_eq!(
            IdCardNumber::parse(&complete("21010230000101123"))
                .expect_err("future")
                .code,
            "birth_date"
        );
    }

    #[test]
    fn rejects_legacy_15_digit_numbers_with_advice() {
        let err = parse("110105491231002").expect_err("legacy number");
        assert_eq!(err.code, "legacy_15_digit");
        assert_eq!(err.field, "id_number");
        assert!(err.message_en.contains("18-digit"));
        assert!(err.message_zh.contains("18 位"));
    }

    #[test]
    fn rejects_wrong_lengths_and_characters() {
        assert_eq!(code_of(""), "length");
        assert_eq!(code_of("1101051949123100"), "length");
        assert_eq!(code_of("11010519491231002X1"), "length");
        assert_eq!(code_of("11010519491231002A"), "characters");
        assert_eq!(code_of("1101051949123100X2"), "characters");
        assert_eq!(code_of("110105-9491231002X"), "characters");
        assert_eq!(code_of("１10105194912310021"), "characters");
    }

    #[test]
    fn rejects_prefixes_that_are_no_province() {
        assert_eq!(code_of(&complete("00010219900307123")), "region_prefix");
        assert_eq!(code_of(&complete("10010219900307123")), "region_prefix");
        assert_eq!(code_of(&complete("83010219900307123")), "region_prefix");
        assert_eq!(code_of(&complete("99010219900307123")), "region_prefix");
        assert!(parse(&complete("82010219900307123")).is_ok());
    }

    #[test]
    fn masks_all_but_region_and_last_four() {
        let n = parse("11010519491231002X").expect("valid");
        assert_eq!(n.masked(), "110105********002X");
        assert_eq!(n.masked().chars().count(), 18);
    }

    #[test]
    fn debug_and_errors_do_not_leak_the_number() {
        let n = parse("11010519491231002X").expect("valid");
        let debug = format!("{n:?}");
        assert_eq!(debug, r#"IdCardNumber("110105********002X")"#);
        assert!(!debug.contains("19491231"));
        let err = parse("11010519491231020X").expect_err("bad check digit");
        assert!(!format!("{err:?}").contains("19491231"));
    }

    #[test]
    fn deserializes_by_parsing() {
        let n = IdCardNumber::try_from("11010519491231002x".to_owned()).expect("valid");
        assert_eq!(n.expose(), "11010519491231002X");
        assert!(IdCardNumber::try_from("110105491231002".to_owned()).is_err());
    }
}
