//! Free text that may quote what someone typed (an import's row errors, a log line) with
//! the ID and phone numbers in it masked the way [`IdCardNumber::masked`] and
//! [`PhoneNumber::masked`] mask them, whether or not the number is valid: a number with a
//! wrong check digit is still someone's number.

use std::borrow::Cow;

use super::{IdCardNumber, PhoneNumber};

/// `text` with every run that looks like an ID number (17 or 18 digits, or 17 digits and
/// `X`; 15-digit old-style numbers too) or a phone number (a mobile's 11 digits starting
/// with 1, a landline's 10 to 12 digits starting with 0) masked. Digits may be grouped by
/// single spaces or dashes (`138 1234 5678`, `024-2345-6789`). Region codes (6 or 12 digits
/// starting with 2) and other numbers are left alone.
pub fn redact_personal_numbers(text: &str) -> Cow<'_, str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::new();
    let mut copied = 0;
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let at_word_start = i == 0 || !chars[i - 1].1.is_ascii_alphanumeric();
        if !(c.is_ascii_digit() && at_word_start) {
            i += 1;
            continue;
        }
        // The run: digits, single separators between digits, and a final X.
        let mut digits = String::new();
        let mut j = i;
        while j < chars.len() {
            let ch = chars[j].1;
            if ch.is_ascii_digit() {
                digits.push(ch);
                j += 1;
            } else if matches!(ch, ' ' | '-')
                && chars.get(j + 1).is_some_and(|(_, n)| n.is_ascii_digit())
                && chars
                    .get(j.wrapping_sub(1))
                    .is_some_and(|(_, p)| p.is_ascii_digit())
            {
                j += 1;
            } else if matches!(ch, 'X' | 'x') && digits.len() == 17 {
                digits.push('X');
                j += 1;
                break;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |(p, _)| *p);
        let at_word_end = chars.get(j).is_none_or(|(_, n)| !n.is_ascii_alphanumeric());
        if let Some(masked) = mask(&digits).filter(|_| at_word_end) {
            out.push_str(&text[copied..start]);
            out.push_str(&masked);
            copied = end;
            changed = true;
        }
        i = j.max(i + 1);
    }
    if !changed {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The mask of one run of digits, if it looks like an ID or phone number.
fn mask(digits: &str) -> Option<String> {
    let n = digits.len();
    if (n == 17 || n == 18) || (n == 15 && !digits.starts_with('0')) {
        if let Ok(id) = IdCardNumber::parse(digits) {
            return Some(id.masked());
        }
        // Shaped like IdCardNumber::masked: the region, asterisks, the last four.
        return Some(format!(
            "{}{}{}",
            &digits[..6],
            "*".repeat(n - 10),
            &digits[n - 4..]
        ));
    }
    if let Ok(phone) = PhoneNumber::parse(digits) {
        return Some(phone.masked());
    }
    if n == 11 && digits.starts_with('1') {
        return Some(format!("{}****{}", &digits[..3], &digits[7..]));
    }
    if (10..=12).contains(&n) && digits.starts_with('0') {
        return Some(format!(
            "{}{}{}",
            &digits[..3],
            "*".repeat(n - 5),
            &digits[n - 2..]
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_are_masked_valid_or_not() {
        assert_eq!(
            redact_personal_numbers("\"210921196503120010\" is not valid"),
            "\"210921********0010\" is not valid"
        );
        // A wrong check digit, and the X form.
        assert_eq!(
            redact_personal_numbers("bad 210921196503120011."),
            "bad 210921********0011."
        );
        assert_eq!(
            redact_personal_numbers("身份证 21092119650312001X 错误"),
            "身份证 210921********001X 错误"
        );
        // 17 digits (one missing) and a 15-digit old-style number.
        assert_eq!(
            redact_personal_numbers("21092119650312001"),
            "210921*******2001"
        );
        assert_eq!(
            redact_personal_numbers("210921650312001"),
            "210921*****2001"
        );
    }

    #[test]
    fn phone_numbers_are_masked_even_when_grouped() {
        assert_eq!(
            redact_personal_numbers("\"13812345678\" is not an ethnic group"),
            "\"138****5678\" is not an ethnic group"
        );
        assert_eq!(
            redact_personal_numbers("call 138 1234 5678 now"),
            "call 138****5678 now"
        );
        assert_eq!(redact_personal_numbers("138-1234-5678"), "138****5678");
        let landline = redact_personal_numbers("024-23456789");
        assert!(!landline.contains("23456789"), "{landline}");
        assert!(landline.starts_with("024"), "{landline}");
    }

    #[test]
    fn other_numbers_are_left_alone() {
        for text in [
            "no village 210921100202",
            "row 12, column member_phone",
            "income 250000 fen",
            "household 2109211002020001",
            "the exit year 2019 lies before 2020",
            "code abc13812345678",
        ] {
            assert_eq!(redact_personal_numbers(text), text);
            assert!(matches!(redact_personal_numbers(text), Cow::Borrowed(_)));
        }
    }
}
