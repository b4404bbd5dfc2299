//! `RegionCode`: a validated GB/T 2260 (6-digit) or statistical division (12-digit) code.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// The five levels of the hierarchy, top down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省
    Province,
    /// 市 (prefecture-level city)
    City,
    /// 县、区、县级市
    County,
    /// 乡、镇、街道
    Township,
    /// 村、社区
    Village,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 5] = [
        RegionLevel::Province,
        RegionLevel::City,
        RegionLevel::County,
        RegionLevel::Township,
        RegionLevel::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
            RegionLevel::Village => "village",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            RegionLevel::Province => "省",
            RegionLevel::City => "市",
            RegionLevel::County => "县",
            RegionLevel::Township => "乡镇",
            RegionLevel::Village => "村",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "level",
                    "unknown_level",
                    format!(
                        "unknown level {s:?}; expected province, city, county, township or village"
                    ),
                    format!(
                        "未知的行政级别 {s:?}；应为 province、city、county、township 或 village"
                    ),
                )
            })
    }

    /// Number of leading digits that identify a region of this level.
    fn significant_digits(self) -> usize {
        match self {
            RegionLevel::Province => 2,
            RegionLevel::City => 4,
            RegionLevel::County => 6,
            RegionLevel::Township => 9,
            RegionLevel::Village => 12,
        }
    }
}

impl fmt::Display for RegionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A region code in its canonical spelling: 6 digits for a province (`210000`), city
/// (`210900`) or county (`210921`); 12 digits for a township (`210921100000`) or village
/// (`210921100201`). A code's prefix is its ancestry. A value that exists is well formed;
/// whether the region exists is a question for the database.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode {
    code: String,
    level: RegionLevel,
}

fn format_error(s: &str, why_en: &str, why_zh: &str) -> FieldError {
    FieldError::new(
        "region_code",
        "invalid_region_code",
        format!("{s:?} is not a region code: {why_en}"),
        format!("{s:?} 不是有效的行政区划代码：{why_zh}"),
    )
}

impl RegionCode {
    /// Parses a 6-digit or 12-digit code. The 12-digit spelling of a province, city or
    /// county (`210921000000`) is accepted and stored in its 6-digit form.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_error(s, "only digits are allowed", "只能包含数字"));
        }
        let canonical = match s.len() {
            6 => s,
            12 if &s[6..] == "000000" => &s[..6],
            12 => s,
            _ => {
                return Err(format_error(
                    s,
                    "expected 6 digits (province, city, county) or 12 digits (township, village)",
                    "应为 6 位（省、市、县）或 12 位（乡镇、村）数字",
                ));
            }
        };
        if &canonical[..2] == "00" || canonical.starts_with('0') {
            return Err(format_error(
                s,
                "no province has this prefix",
                "省级代码不存在",
            ));
        }
        let level = if canonical.len() == 6 {
            if &canonical[2..] == "0000" {
                RegionLevel::Province
            } else if &canonical[4..] == "00" {
                RegionLevel::City
            } else {
                RegionLevel::County
            }
        } else if &canonical[6..9] == "000" {
            return Err(format_error(
                s,
                "a township or village code needs a township part (digits 7-9)",
                "乡镇或村代码的第 7-9 位不能全为 0",
            ));
        } else if &canonical[9..] == "000" {
            RegionLevel::Township
        } else {
            RegionLevel::Village
        };
        if level == RegionLevel::County && &canonical[2..4] == "00" {
            return Err(format_error(
                s,
                "a county code needs a city part (digits 3-4)",
                "县级代码的第 3-4 位不能全为 0",
            ));
        }
        Ok(Self {
            code: canonical.to_owned(),
            level,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }

    pub fn level(&self) -> RegionLevel {
        self.level
    }

    /// The leading digits shared by this region and everything under it.
    pub fn prefix(&self) -> &str {
        &self.code[..self.level.significant_digits()]
    }

    /// Half-open range `[low, high)` of codes in this region's subtree, itself included,
    /// in byte order. Lets the database answer "everything under X" from a plain B-tree
    /// index on a code column (compared byte-wise, `COLLATE "C"` on PostgreSQL).
    pub fn subtree_range(&self) -> (String, String) {
        let low = self.prefix().to_owned();
        let mut high = low.clone().into_bytes();
        if let Some(last) = high.last_mut() {
            // '9' + 1 is ':', which still sorts after every digit.
            *last += 1;
        }
        (low, String::from_utf8_lossy(&high).into_owned())
    }

    /// Whether `other` is this region or lies under it.
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.code.starts_with(self.prefix()) && other.level >= self.level
    }

    /// The region directly above, derived from the code's structure.
    pub fn parent(&self) -> Option<RegionCode> {
        let c = &self.code;
        let (code, level) = match self.level {
            RegionLevel::Province => return None,
            RegionLevel::City => (format!("{}0000", &c[..2]), RegionLevel::Province),
            RegionLevel::County => (format!("{}00", &c[..4]), RegionLevel::City),
            RegionLevel::Township => (c[..6].to_owned(), RegionLevel::County),
            RegionLevel::Village => (format!("{}000", &c[..9]), RegionLevel::Township),
        };
        Some(RegionCode { code, level })
    }

    /// All regions above this one, nearest first.
    pub fn ancestors(&self) -> Vec<RegionCode> {
        std::iter::successors(self.parent(), RegionCode::parent).collect()
    }

    /// The county this region lies in (itself for a county); `None` above county level.
    /// Every place-bound row carries it, so data can be sharded by county later.
    pub fn county(&self) -> Option<RegionCode> {
        (self.level >= RegionLevel::County).then(|| RegionCode {
            code: self.code[..6].to_owned(),
            level: RegionLevel::County,
        })
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn levels_follow_the_code_structure() {
        assert_eq!(code("210000").level(), RegionLevel::Province);
        assert_eq!(code("210900").level(), RegionLevel::City);
        assert_eq!(code("210921").level(), RegionLevel::County);
        assert_eq!(code("210921100000").level(), RegionLevel::Township);
        assert_eq!(code("210921100201").level(), RegionLevel::Village);
    }

    #[test]
    fn twelve_digit_spelling_of_a_county_is_canonicalised() {
        assert_eq!(code("210921000000").as_str(), "210921");
        assert_eq!(code("210900000000").level(), RegionLevel::City);
    }

    #[test]
    fn malformed_codes_are_rejected_with_a_reason() {
        for bad in [
            "",
            "21",
            "2109",
            "21092",
            "21092a",
            "000000",
            "210021",
            "210921000201",
            "２１００００",
        ] {
            let err = RegionCode::parse(bad).unwrap_err();
            assert_eq!(err.code, "invalid_region_code", "{bad}");
            assert_eq!(err.field, "region_code");
        }
    }

    #[test]
    fn ancestry_is_derived_from_the_prefix() {
        let village = code("210921100201");
        let names: Vec<String> = village
            .ancestors()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(names, ["210921100000", "210921", "210900", "210000"]);
        assert_eq!(code("210000").parent(), None);
        assert_eq!(village.county(), Some(code("210921")));
        assert_eq!(code("210900").county(), None);
    }

    #[test]
    fn subtree_contains_descendants_only() {
        let fuxin = code("210900");
        assert!(fuxin.contains(&code("210921100201")));
        assert!(fuxin.contains(&fuxin));
        assert!(!fuxin.contains(&code("210100")));
        assert!(!code("210921").contains(&fuxin));
        assert!(!code("210921100000").contains(&code("210921101201")));
    }

    #[test]
    fn subtree_range_brackets_exactly_the_descendants() {
        let (low, high) = code("210900").subtree_range();
        assert_eq!((low.as_str(), high.as_str()), ("2109", "210:"));
        for inside in ["210900", "210921", "210921100201"] {
            assert!(low.as_str() <= inside && inside < high.as_str(), "{inside}");
        }
        for outside in ["210800", "211000", "210100"] {
            assert!(
                !(low.as_str() <= outside && outside < high.as_str()),
                "{outside}"
            );
        }
        let (low, high) = code("210921109000").subtree_range();
        assert_eq!((low.as_str(), high.as_str()), ("210921109", "21092110:"));
        assert!("210921109201" < high.as_str());
        assert!("210921110000" >= high.as_str());
    }

    #[test]
    fn serde_round_trips_through_the_string_form() {
        let json = serde_json_like(&code("210921"));
        assert_eq!(json, "210921");
        assert!(RegionCode::try_from("abc".to_owned()).is_err());
    }

    fn serde_json_like(c: &RegionCode) -> String {
        String::from(c.clone())
    }
}
