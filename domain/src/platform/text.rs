//! Free text written for the public (a need's title and description, an offer's text):
//! lengths, and a guard that keeps ID and phone numbers out of it, since published needs
//! must never carry a family's personal data.

use crate::FieldError;

/// Checks a required text of at most `max` characters; returns it trimmed.
pub fn required_text(raw: Option<&str>, field: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Err(FieldError::new(
            field,
            "required",
            format!("{field} is required"),
            format!("缺少 {field}"),
        ));
    }
    optional_text(Some(text), field, max).map(Option::unwrap_or_default)
}

/// An optional text of at most `max` characters, without personal numbers; `None` when
/// empty.
pub fn optional_text(
    raw: Option<&str>,
    field: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{field} has at most {max} characters"),
            format!("{field} 最多 {max} 个字符"),
        ));
    }
    if contains_personal_number(text) {
        return Err(FieldError::new(
            field,
            "personal_data",
            format!("{field} seems to hold an ID or phone number; public text must not"),
            format!("{field} 中疑似包含身份证号或手机号，公开信息中不得出现个人信息"),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// Whether the text holds something shaped like a resident ID number (15 or 18 characters,
/// the last possibly `X`) or a mainland mobile number (11 digits starting with 1), as a run
/// of ASCII or full-width digits. Single spaces or dashes inside the run do not hide it
/// (`138 1234 5678`, `210921-19500101-001X`).
pub fn contains_personal_number(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut run = 0usize;
    let mut first = None;
    let mut i = 0;
    while i < chars.len() {
        let Some(d) = digit(chars[i]) else {
            run = 0;
            i += 1;
            continue;
        };
        if run == 0 {
            first = Some(d);
        }
        run += 1;
        let next = chars.get(i + 1).copied();
        let joined =
            next.is_some_and(is_separator) && chars.get(i + 2).copied().and_then(digit).is_some();
        if joined {
            i += 2;
            continue;
        }
        if next.and_then(digit).is_none() {
            let x_follows = matches!(next, Some('X' | 'x' | 'Ｘ'));
            let id_like = run == 15 || run == 18 || (run == 17 && x_follows);
            let phone_like = run == 11 && first == Some(1);
            if id_like || phone_like {
                return true;
            }
            run = 0;
        }
        i += 1;
    }
    false
}

/// What people put between groups of digits of one number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{3000}' | '－')
}

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_and_phone_numbers_are_caught() {
        assert!(contains_personal_number(
            "户主身份证210921195001010010请核实"
        ));
        assert!(contains_personal_number("证号 21092119500101001X"));
        assert!(contains_personal_number("联系 13812345678"));
        assert!(contains_personal_number("电话１３８１２３４５６７８"));
        assert!(contains_personal_number("old id 210921500101001"));
        assert!(!contains_personal_number(
            "需要 20 套校服，预算 5000 元，2026 年秋季"
        ));
        assert!(!contains_personal_number("订单号 23812345678"));
        assert!(!contains_personal_number("1234567890"));
    }

    #[test]
    fn spaces_and_dashes_inside_a_number_do_not_hide_it() {
        assert!(contains_personal_number("电话 138 1234 5678"));
        assert!(contains_personal_number("电话 138-1234-5678"));
        assert!(contains_personal_number("证号 210921 19500101 001X"));
        assert!(contains_personal_number("证号 210921-19500101-0010"));
        assert!(contains_personal_number("电话 １３８　１２３４　５６７８"));
        assert!(!contains_personal_number("截止 2026-12-20，需要 20 套"));
        assert!(!contains_personal_number("138 户 1234 元 5678 斤"));
        assert!(!contains_personal_number("编号 238 1234 5678"));
    }

    #[test]
    fn texts_are_trimmed_bounded_and_clean() {
        assert_eq!(
            required_text(Some("  校服 "), "title", 10),
            Ok("校服".into())
        );
        assert_eq!(
            required_text(Some("  "), "title", 10).unwrap_err().code,
            "required"
        );
        assert_eq!(
            required_text(Some("一二三四五六"), "title", 5)
                .unwrap_err()
                .code,
            "too_long"
        );
        let e = optional_text(Some("打 13812345678"), "description", 100).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("description", "personal_data"));
        assert_eq!(optional_text(Some(""), "note", 10), Ok(None));
    }
}
