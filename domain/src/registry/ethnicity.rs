//! `Ethnicity` (民族): one of the 56 officially recognised ethnic groups of China.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// The 56 ethnic groups by Chinese name, in the order of GB/T 3304 (codes `01` to `56`).
pub const ETHNIC_GROUPS: [&str; 56] = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
];

/// A member's ethnic group (民族), stored and written by its Chinese name (`满族`).
/// Defaults to 汉族, as the layout does when the column is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ethnicity(u8);

impl Ethnicity {
    /// 汉族
    pub const HAN: Ethnicity = Ethnicity(0);

    /// Accepts the Chinese name (`蒙古族`), the name without its final 族 (`蒙古`) or the
    /// two-digit GB/T 3304 code (`02`); trimmed. Fails with `unknown_value`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let by_name = ETHNIC_GROUPS
            .iter()
            .position(|g| *g == s || g.strip_suffix('族') == Some(s));
        let by_code = || {
            (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<usize>().ok())
                .flatten()
                .filter(|n| (1..=ETHNIC_GROUPS.len()).contains(n))
                .map(|n| n - 1)
        };
        by_name
            .or_else(by_code)
            .and_then(|i| u8::try_from(i).ok())
            .map(Ethnicity)
            .ok_or_else(|| {
                FieldError::new(
                    "ethnicity",
                    "unknown_value",
                    format!(
                        "{s:?} is not one of the 56 ethnic groups; expected one of: {}",
                        ETHNIC_GROUPS.join(", ")
                    ),
                    format!(
                        "{s:?} 不是 56 个民族之一；应为以下之一：{}",
                        ETHNIC_GROUPS.join("、")
                    ),
                )
            })
    }

    /// Every ethnic group, in GB/T 3304 order.
    pub fn all() -> impl Iterator<Item = Ethnicity> {
        (0..56u8).map(Ethnicity)
    }

    /// The Chinese name (`汉族`), which is also the layout's value.
    pub fn as_str(self) -> &'static str {
        ETHNIC_GROUPS[usize::from(self.0)]
    }

    /// The two-digit GB/T 3304 code (`01` for 汉族).
    pub fn gb_code(self) -> String {
        format!("{:02}", self.0 + 1)
    }
}

impl Default for Ethnicity {
    fn default() -> Self {
        Self::HAN
    }
}

impl fmt::Display for Ethnicity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Ethnicity {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Ethnicity> for String {
    fn from(value: Ethnicity) -> Self {
        value.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn holds_the_56_groups_once_each() {
        let unique: HashSet<&str> = ETHNIC_GROUPS.into_iter().collect();
        assert_eq!(unique.len(), 56);
        assert!(ETHNIC_GROUPS.iter().all(|g| g.ends_with('族')));
        assert_eq!(Ethnicity::all().count(), 56);
        assert_eq!(
            Ethnicity::all().last().map(Ethnicity::as_str),
            Some("基诺族")
        );
    }

    #[test]
    fn parses_names_short_names_and_codes() {
        let manchu = Ethnicity::parse("满族").expect("valid");
        assert_eq!(manchu.as_str(), "满族");
        assert_eq!(manchu.gb_code(), "11");
        assert_eq!(Ethnicity::parse(" 蒙古 "), Ethnicity::parse("蒙古族"));
        assert_eq!(Ethnicity::parse("10").map(Ethnicity::as_str), Ok("朝鲜族"));
        assert_eq!(
            Ethnicity::parse("锡伯族").map(|e| e.gb_code()),
            Ok("38".to_owned())
        );
        assert_eq!(Ethnicity::parse("01"), Ok(Ethnicity::HAN));
        assert_eq!(Ethnicity::default().as_str(), "汉族");
    }

    #[test]
    fn rejects_what_is_no_official_group() {
        for bad in ["", "汉人", "00", "57", "1", "Han", "族"] {
            let err = Ethnicity::parse(bad).expect_err(bad);
            assert_eq!(
                (err.field.as_str(), err.code),
                ("ethnicity", "unknown_value")
            );
        }
        let err = Ethnicity::parse("穿青人").expect_err("not recognised");
        assert!(err.message_zh.contains("锡伯族"));
    }

    #[test]
    fn string_form_round_trips() {
        for e in Ethnicity::all() {
            assert_eq!(Ethnicity::try_from(String::from(e)), Ok(e));
        }
    }
}
