//! Small readers of request fields shared by every area: the characters text may hold,
//! calendar dates, periods, and lists of village codes. Each reports its errors against the
//! field it read.

use chrono::NaiveDate;

use crate::FieldError;
use crate::region::{RegionCode, RegionLevel};

/// The first character text may not hold: a control character other than tab, CR and LF
/// (NUL, escape, DEL, the C1 controls). None is ever meant in a name, a value or an id, and
/// PostgreSQL cannot store NUL in text at all, so every way text comes in refuses them.
pub fn refused_character(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
}

/// `Ok` unless `text` holds a [`refused_character`] (code `control_character`; the message
/// names the character, never the text).
pub fn check_text(text: &str, field: &str) -> Result<(), FieldError> {
    match refused_character(text) {
        None => Ok(()),
        Some(c) => {
            let code = format!("U+{:04X}", u32::from(c));
            Err(FieldError::new(
                field,
                "control_character",
                format!(
                    "{field} contains the control character {code}; only tab, CR and LF are allowed"
                ),
                format!("{field} 含有控制字符 {code}；只允许制表符、回车和换行"),
            ))
        }
    }
}

/// A `YYYY-MM-DD` date (code `invalid_date`).
pub fn parse_date(s: &str, field: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            field,
            "invalid_date",
            format!("{field} is a date in the form YYYY-MM-DD, not {s:?}"),
            format!("{field} 应为 YYYY-MM-DD 格式的日期，而不是 {s:?}"),
        )
    })
}

/// The first and last day of a reporting year, 2000 to 2100 (code `out_of_range`).
pub fn calendar_year(year: i32, field: &str) -> Result<(NaiveDate, NaiveDate), FieldError> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(first), Some(last)) if (2000..=2100).contains(&year) => Ok((first, last)),
        _ => Err(FieldError::new(
            field,
            "out_of_range",
            format!("{field} is a year from 2000 to 2100, not {year}"),
            format!("{field} 应为 2000 到 2100 之间的年份，而不是 {year}"),
        )),
    }
}

/// A period from `starts_on` to `ends_on` (both dates; the end not before the start).
pub fn parse_period(
    starts_on: &str,
    ends_on: &str,
) -> Result<(NaiveDate, NaiveDate), Vec<FieldError>> {
    let start = parse_date(starts_on, "starts_on");
    let end = parse_date(ends_on, "ends_on");
    match (start, end) {
        (Ok(s), Ok(e)) if e < s => Err(vec![FieldError::new(
            "ends_on",
            "before_start",
            "ends_on is before starts_on",
            "结束日期早于开始日期",
        )]),
        (Ok(s), Ok(e)) => Ok((s, e)),
        (s, e) => Err([s.err(), e.err()].into_iter().flatten().collect()),
    }
}

/// At least one village (12-digit, village level) code; errors name the item
/// (`village_codes[2]`).
pub fn parse_villages(codes: &[String], field: &str) -> Result<Vec<RegionCode>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut villages = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        match RegionCode::parse(c) {
            Ok(r) if r.level() == RegionLevel::Village => villages.push(r),
            Ok(_) => errors.push(FieldError::new(
                format!("{field}[{i}]"),
                "not_a_village",
                "a village's 12-digit code is expected",
                "应为 12 位村级代码",
            )),
            Err(e) => errors.push(e.for_field(format!("{field}[{i}]"))),
        }
    }
    if codes.is_empty() {
        errors.push(FieldError::new(
            field,
            "required",
            "name at least one village",
            "至少填写一个村",
        ));
    }
    if errors.is_empty() {
        Ok(villages)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_holds_no_control_character_but_tab_cr_and_lf() {
        for ok in ["", "张三", "a\tb\r\nc", "emoji 🙂", "\u{a0}nbsp"] {
            assert_eq!(refused_character(ok), None, "{ok:?}");
            assert!(check_text(ok, "f").is_ok());
        }
        for (bad, c) in [
            ("a\u{0}b", '\u{0}'),
            ("\u{1b}[31m", '\u{1b}'),
            ("x\u{7f}", '\u{7f}'),
            ("next\u{85}line", '\u{85}'),
            ("\u{b}", '\u{b}'),
        ] {
            assert_eq!(refused_character(bad), Some(c), "{bad:?}");
        }
        let e = check_text("a\u{0}b", "members[0].name").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("members[0].name", "control_character")
        );
        assert!(e.message_en.contains("U+0000"), "{}", e.message_en);
        assert!(!e.message_en.contains('\u{0}') && !e.message_zh.contains('\u{0}'));
    }

    #[test]
    fn reporting_years_run_from_new_year_to_new_year_eve() {
        let (first, last) = calendar_year(2026, "year").unwrap();
        assert_eq!(
            (first.to_string(), last.to_string()),
            ("2026-01-01".to_owned(), "2026-12-31".to_owned())
        );
        for bad in [1999, 2101, i32::MAX] {
            let e = calendar_year(bad, "year").unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("year", "out_of_range"));
        }
    }

    #[test]
    fn dates_periods_and_villages() {
        assert_eq!(
            parse_date("2026-11-28", "d").unwrap().to_string(),
            "2026-11-28"
        );
        assert_eq!(
            parse_date("28.11.2026", "d").unwrap_err().code,
            "invalid_date"
        );
        assert_eq!(
            parse_period("2026-12-01", "2026-11-01").unwrap_err()[0].code,
            "before_start"
        );
        let both = parse_period("x", "y").unwrap_err();
        assert_eq!(
            (both[0].field.as_str(), both[1].field.as_str()),
            ("starts_on", "ends_on")
        );
        let v = parse_villages(&["210921100202".into()], "village_codes").unwrap();
        assert_eq!(v[0].as_str(), "210921100202");
        let errs = parse_villages(&["210921".into(), "21x".into()], "village_codes").unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(got[0], ("village_codes[0]", "not_a_village"));
        assert_eq!(got[1].0, "village_codes[1]");
        assert_eq!(
            parse_villages(&[], "village_codes").unwrap_err()[0].code,
            "required"
        );
    }
}
