//! `PersonName`: a person's name (姓名) as written on their identity documents.

use std::fmt;

use serde::Deserialize;

use crate::FieldError;

const FIELD: &str = "name";
const MAX_CHARS: usize = 50;

/// The stored spelling of the separator in names of ethnic minorities (间隔号), as on the
/// identity card: `阿卜杜拉·艾买提`.
const MIDDLE_DOT: char = '\u{00B7}';
/// Look-alikes that input methods produce for the middle dot; stored as [`MIDDLE_DOT`].
const DOT_LOOKALIKES: [char; 4] = ['\u{00B7}', '\u{2022}', '\u{2027}', '\u{30FB}'];
/// Punctuation Latin names need besides letters and spaces (`Jean-Luc O'Brien Jr.`).
const LATIN_PUNCTUATION: [char; 4] = ['-', '\'', '\u{2019}', '.'];

/// Two-character surnames (复姓) common enough that masking `欧阳娜娜` as `欧*` would be
/// wrong. Masking shows the surname, so only these matter; rarer ones fall back to the
/// first character, which reveals less, not more.
const COMPOUND_SURNAMES: [&str; 15] = [
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐",
];

/// A person's name (姓名): trimmed, 1 to 50 characters, letters of any script with the
/// middle dot of minority names (`·`) and the spaces, hyphens, apostrophes and full stops of
/// Latin names; no digits, no control characters. Runs of whitespace become one space, and
/// `•`, `‧` and `・` become `·`.
///
/// Personal data: `Debug` prints the masked form, and there is deliberately no `Display`
/// or `Serialize`. Call [`PersonName::expose`] where the clear name is needed.
#[derive(Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct PersonName(String);

fn invalid(code: &'static str, en: impl Into<String>, zh: impl Into<String>) -> FieldError {
    FieldError::new(FIELD, code, en, zh)
}

fn is_allowed(c: char) -> bool {
    c.is_alphabetic() || c == ' ' || DOT_LOOKALIKES.contains(&c) || LATIN_PUNCTUATION.contains(&c)
}

impl PersonName {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(invalid("required", "a name is required", "请填写姓名"));
        }
        if s.chars().any(char::is_control) {
            return Err(invalid(
                "control_characters",
                "a name cannot contain control characters (tabs, line breaks)",
                "姓名不能包含控制字符（制表符、换行符等）",
            ));
        }
        if s.chars().any(char::is_numeric) {
            return Err(invalid(
                "digits",
                "a name cannot contain digits",
                "姓名不能包含数字",
            ));
        }
        if let Some(c) = s.chars().find(|c| !c.is_whitespace() && !is_allowed(*c)) {
            return Err(invalid(
                "characters",
                format!("a name cannot contain {c:?}"),
                format!("姓名不能包含字符 {c:?}"),
            ));
        }
        let name = normalise(s);
        let chars: Vec<char> = name.chars().collect();
        if chars.len() > MAX_CHARS {
            return Err(invalid(
                "too_long",
                format!("a name has at most {MAX_CHARS} characters"),
                format!("姓名最多 {MAX_CHARS} 个字符"),
            ));
        }
        let letter_at = |i: Option<usize>| {
            i.and_then(|i| chars.get(i))
                .is_some_and(|c| c.is_alphabetic())
        };
        let dot_misplaced = chars.iter().enumerate().any(|(i, &c)| {
            c == MIDDLE_DOT && !(letter_at(i.checked_sub(1)) && letter_at(Some(i + 1)))
        });
        let last = chars.last().copied();
        if dot_misplaced
            || !letter_at(Some(0))
            || !last.is_some_and(|c| c.is_alphabetic() || c == '.')
        {
            return Err(invalid(
                "characters",
                "a name starts and ends with a letter, and a middle dot (·) stands between letters",
                "姓名应以文字开头和结尾，间隔号（·）只能位于文字之间",
            ));
        }
        Ok(Self(name))
    }

    /// The clear name. Personal data: only for officials of the jurisdiction, audit-logged
    /// reads and documents that must carry it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The form everyone outside the jurisdiction sees: the surname and `*` (`张*`, `欧阳*`).
    /// The surname is taken to be the first character, or a common compound surname when
    /// more follows it. A one-character name masks to `*` alone.
    pub fn masked(&self) -> String {
        let chars = self.0.chars().count();
        if chars <= 1 {
            return "*".to_owned();
        }
        let surname = COMPOUND_SURNAMES
            .iter()
            .find(|s| chars > 2 && self.0.starts_with(**s))
            .map_or_else(|| self.0.chars().take(1).collect(), |s| (*s).to_owned());
        format!("{surname}*")
    }
}

/// Collapses whitespace, unifies middle dots, and drops spaces around them.
fn normalise(s: &str) -> String {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        let c = if DOT_LOOKALIKES.contains(&c) {
            MIDDLE_DOT
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        match (out.last().copied(), c) {
            (Some(' '), ' ') | (Some(MIDDLE_DOT), ' ') => {}
            (Some(' '), MIDDLE_DOT) => {
                out.pop();
                out.push(MIDDLE_DOT);
            }
            _ => out.push(c),
        }
    }
    out.into_iter().collect()
}

impl TryFrom<String> for PersonName {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PersonName").field(&self.masked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> PersonName {
        PersonName::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn code_of(s: &str) -> &'static str {
        PersonName::parse(s).expect_err("should be rejected").code
    }

    #[test]
    fn accepts_chinese_minority_and_latin_names() {
        assert_eq!(name("  张三 ").expose(), "张三");
        assert_eq!(
            name("王五六").expose(),
            "王五六",
            "numerals written as characters"
        );
        assert_eq!(name("阿卜杜热合曼·买买提").expose(), "阿卜杜热合曼·买买提");
        assert_eq!(
            name("Jean-Luc O'Brien Jr.").expose(),
            "Jean-Luc O'Brien Jr."
        );
        assert_eq!(name("José Müller").expose(), "José Müller");
        assert_eq!(name("李").expose(), "李");
    }

    #[test]
    fn normalises_dots_and_whitespace() {
        assert_eq!(name("阿卜杜热合曼•买买提").expose(), "阿卜杜热合曼·买买提");
        assert_eq!(
            name("阿卜杜热合曼 ・ 买买提").expose(),
            "阿卜杜热合曼·买买提"
        );
        assert_eq!(name("Mary\u{3000}  Ann").expose(), "Mary Ann");
    }

    #[test]
    fn rejects_what_is_no_name() {
        assert_eq!(code_of(""), "required");
        assert_eq!(code_of(" \u{3000}\n"), "required");
        assert_eq!(code_of("张三1"), "digits");
        assert_eq!(code_of("张３"), "digits");
        assert_eq!(code_of("张\t三"), "control_characters");
        assert_eq!(code_of("张\u{7}三"), "control_characters");
        assert_eq!(code_of("张@三"), "characters");
        assert_eq!(code_of("张三😀"), "characters");
        assert_eq!(code_of("·张三"), "characters");
        assert_eq!(code_of("张三·"), "characters");
        assert_eq!(code_of("张··三"), "characters");
        assert_eq!(code_of("-张三"), "characters");
    }

    #[test]
    fn limits_length_to_fifty_characters() {
        assert_eq!(name(&"张".repeat(50)).expose().chars().count(), 50);
        let err = PersonName::parse(&"张".repeat(51)).expect_err("too long");
        assert_eq!((err.field.as_str(), err.code), ("name", "too_long"));
    }

    #[test]
    fn masks_to_surname_and_asterisk() {
        assert_eq!(name("张三").masked(), "张*");
        assert_eq!(name("张三丰").masked(), "张*");
        assert_eq!(name("欧阳娜娜").masked(), "欧阳*");
        assert_eq!(name("司马光").masked(), "司马*");
        assert_eq!(name("令狐冲").masked(), "令狐*");
        assert_eq!(name("欧阳").masked(), "欧*", "surname 欧, given name 阳");
        assert_eq!(name("阿卜杜热合曼·买买提").masked(), "阿*");
        assert_eq!(name("John Smith").masked(), "J*");
        assert_eq!(name("李").masked(), "*");
    }

    #[test]
    fn debug_does_not_leak_the_name() {
        let debug = format!("{:?}", name("欧阳娜娜"));
        assert_eq!(debug, r#"PersonName("欧阳*")"#);
        assert!(!debug.contains("娜"));
    }

    #[test]
    fn deserializes_by_parsing() {
        assert_eq!(
            PersonName::try_from(" 张三 ".to_owned()).map(|n| n.masked()),
            Ok("张*".to_owned())
        );
        assert!(PersonName::try_from("R2D2".to_owned()).is_err());
    }
}
