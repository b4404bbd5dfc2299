//! Reading the text fields of a draft: "empty means not given", booleans in the spellings
//! spreadsheets use, integers and years, and a collector that gathers every error of a
//! draft so a clerk sees all mistakes of a row at once.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, de};

use crate::FieldError;

/// The earliest year of the registry: 建档立卡 began in 2013–2014.
pub const FIRST_REGISTRY_YEAR: i32 = 2013;

/// The text of a field as given: trimmed, and `None` when empty.
pub(crate) fn given(raw: Option<&String>) -> Option<&str> {
    raw.map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// Parses a yes/no value: `true`/`false`, `1`/`0`, `是`/`否`, `y`/`n`, `yes`/`no` (trimmed,
/// ASCII case ignored). Fails with code `invalid_boolean`; the field name is left empty for
/// the caller to fill in with [`FieldError::for_field`].
pub fn parse_bool(s: &str) -> Result<bool, FieldError> {
    let s = s.trim();
    const TRUE: [&str; 5] = ["true", "1", "是", "y", "yes"];
    const FALSE: [&str; 5] = ["false", "0", "否", "n", "no"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(s)) {
        Ok(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(s)) {
        Ok(false)
    } else {
        Err(FieldError::new(
            "",
            "invalid_boolean",
            format!("{s:?} is not a yes/no value; use true/false, 1/0, 是/否, y/n or yes/no"),
            format!("{s:?} 不是有效的是/否值；请填写 true/false、1/0、是/否、y/n 或 yes/no"),
        ))
    }
}

/// Parses a whole number (`i64`), with code `not_an_integer` on failure.
pub(crate) fn parse_int(s: &str) -> Result<i64, FieldError> {
    s.trim().parse::<i64>().map_err(|_| {
        FieldError::new(
            "",
            "not_an_integer",
            format!("{s:?} is not a whole number"),
            format!("{s:?} 不是整数"),
        )
    })
}

/// A whole number that may not be negative (code `negative`).
pub(crate) fn parse_non_negative(s: &str) -> Result<i64, FieldError> {
    let n = parse_int(s)?;
    if n < 0 {
        return Err(FieldError::new(
            "",
            "negative",
            format!("{n} is negative; the value cannot be below 0"),
            format!("{n} 为负数；该值不能小于 0"),
        ));
    }
    Ok(n)
}

/// A year of the registry: from [`FIRST_REGISTRY_YEAR`] to the year of `today`
/// (code `out_of_range`).
pub(crate) fn parse_year(s: &str, today: NaiveDate) -> Result<i32, FieldError> {
    let n = parse_int(s)?;
    let last = today.year();
    match i32::try_from(n) {
        Ok(y) if (FIRST_REGISTRY_YEAR..=last).contains(&y) => Ok(y),
        _ => Err(FieldError::new(
            "",
            "out_of_range",
            format!("the year must lie between {FIRST_REGISTRY_YEAR} and {last}, not {n}"),
            format!("年份应在 {FIRST_REGISTRY_YEAR} 至 {last} 之间，实际为 {n}"),
        )),
    }
}

pub(crate) fn required(field: &str) -> FieldError {
    FieldError::new(
        field,
        "required",
        format!("{field} is required"),
        format!("请填写 {field}"),
    )
}

/// Collects the errors of one draft; each parse step reports under its own field name.
#[derive(Debug, Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    /// Keeps the value, or records the error under `field`.
    pub(crate) fn check<T>(&mut self, field: &str, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.push(e.for_field(field))).ok()
    }

    /// A field that must be given.
    pub(crate) fn required<T>(
        &mut self,
        field: &str,
        raw: Option<&String>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        match given(raw) {
            Some(s) => self.check(field, parse(s)),
            None => {
                self.push(required(field));
                None
            }
        }
    }

    /// A field that falls back to `default` when not given.
    pub(crate) fn or_default<T>(
        &mut self,
        field: &str,
        raw: Option<&String>,
        default: T,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        match given(raw) {
            Some(s) => self.check(field, parse(s)),
            None => Some(default),
        }
    }

    /// A field that may be left out.
    pub(crate) fn optional<T>(
        &mut self,
        field: &str,
        raw: Option<&String>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<Option<T>> {
        match given(raw) {
            Some(s) => self.check(field, parse(s)).map(Some),
            None => Some(None),
        }
    }

    pub(crate) fn extend(&mut self, other: Errors) {
        self.0.extend(other.0);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

/// Deserializes a JSON scalar as the text a CSV cell would hold: strings as they are,
/// `true`/`false` as `"true"`/`"false"`, numbers in their decimal form, `null` as not given.
/// So a JSON body may send `"housing_safe": true` or `"housing_safe": "是"` alike.
pub(crate) fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct Scalar;

    impl<'de> de::Visitor<'de> for Scalar {
        type Value = Option<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string, number, boolean or null")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_owned()))
        }

        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(v))
        }

        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // Kept as written so `2500.5` is reported as "not a whole number".
            Ok(Some(v.to_string()))
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Scalar)
        }
    }

    d.deserialize_any(Scalar)
}

/// A list of texts: a JSON array of scalars, or one `|`-separated string as in the CSV
/// layout (`"lack_of_skills|lack_of_capital"`); `null` is the empty list.
pub(crate) fn lenient_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum List {
        Many(Vec<Item>),
        One(#[serde(deserialize_with = "lenient")] Option<String>),
    }
    #[derive(Deserialize)]
    struct Item(#[serde(deserialize_with = "lenient")] Option<String>);

    Ok(match List::deserialize(d)? {
        List::Many(items) => items.into_iter().filter_map(|i| i.0).collect(),
        List::One(one) => one.map(|s| split_list(&s)).unwrap_or_default(),
    })
}

/// Splits a `|`-separated cell, dropping empty parts.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_take_every_documented_spelling() {
        for t in ["true", "TRUE", " 1 ", "是", "y", "Y", "yes", "Yes"] {
            assert_eq!(parse_bool(t), Ok(true), "{t}");
        }
        for f in ["false", "False", "0", "否", "n", "N", "no", "NO"] {
            assert_eq!(parse_bool(f), Ok(false), "{f}");
        }
        let err = parse_bool("maybe").expect_err("not a boolean");
        assert_eq!(err.code, "invalid_boolean");
        assert!(err.message_zh.contains("是/否"));
    }

    #[test]
    fn years_lie_between_2013_and_this_year() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 2).expect("date");
        assert_eq!(parse_year(" 2013 ", today), Ok(2013));
        assert_eq!(parse_year("2026", today), Ok(2026));
        assert_eq!(
            parse_year("2012", today).map_err(|e| e.code),
            Err("out_of_range")
        );
        assert_eq!(
            parse_year("2027", today).map_err(|e| e.code),
            Err("out_of_range")
        );
        assert_eq!(
            parse_year("二〇二〇", today).map_err(|e| e.code),
            Err("not_an_integer")
        );
        assert_eq!(
            parse_non_negative("-1").map_err(|e| e.code),
            Err("negative")
        );
        assert_eq!(parse_non_negative("0"), Ok(0));
    }

    #[test]
    fn json_scalars_become_the_text_a_csv_cell_would_hold() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, SeqDeserializer};
        assert_eq!(
            lenient(true.into_deserializer()),
            Ok::<_, Error>(Some("true".into()))
        );
        assert_eq!(
            lenient(250_000i64.into_deserializer()),
            Ok::<_, Error>(Some("250000".into()))
        );
        assert_eq!(
            lenient(7u64.into_deserializer()),
            Ok::<_, Error>(Some("7".into()))
        );
        assert_eq!(
            lenient(2500.5f64.into_deserializer()),
            Ok::<_, Error>(Some("2500.5".into()))
        );
        assert_eq!(
            lenient("是".into_deserializer()),
            Ok::<_, Error>(Some("是".into()))
        );
        assert_eq!(lenient(().into_deserializer()), Ok::<_, Error>(None));
        let list = SeqDeserializer::<_, Error>::new(vec!["illness", " ", "other"].into_iter());
        assert_eq!(
            lenient_list(list),
            Ok(vec!["illness".into(), " ".into(), "other".into()])
        );
        assert_eq!(
            lenient_list("lack_of_skills|lack_of_capital".into_deserializer()),
            Ok::<_, Error>(vec!["lack_of_skills".into(), "lack_of_capital".into()])
        );
        assert_eq!(lenient_list(().into_deserializer()), Ok::<_, Error>(vec![]));
    }

    #[test]
    fn empty_text_is_not_given() {
        assert_eq!(given(Some(&"  ".to_owned())), None);
        assert_eq!(given(Some(&" x ".to_owned())), Some("x"));
        assert_eq!(given(None), None);
        assert_eq!(split_list(" a| |b|"), ["a", "b"]);
    }
}
