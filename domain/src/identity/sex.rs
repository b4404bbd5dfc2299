//! `Sex` (性别), as recorded on the resident identity card.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Sex as the resident identity card records it (its 17th digit: odd for male).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
}

impl Sex {
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                FieldError::new(
                    "sex",
                    "unknown_sex",
                    format!("unknown sex {s:?}; expected male or female"),
                    format!("未知的性别 {s:?}；应为 male 或 female"),
                )
            })
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_string_form() {
        for sex in Sex::ALL {
            assert_eq!(Sex::parse(sex.as_str()), Ok(sex));
        }
        assert_eq!(Sex::Female.to_string(), "female");
        assert_eq!(Sex::Male.label_zh(), "男");
    }

    #[test]
    fn unknown_values_are_rejected() {
        let err = Sex::parse("M").expect_err("not a sex");
        assert_eq!((err.field.as_str(), err.code), ("sex", "unknown_sex"));
    }
}
