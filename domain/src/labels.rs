//! The shape every enumeration of the domain shares: an English value (the API and CSV spelling),
//! a Chinese label (the one on the national registry's forms), a few extra Chinese spellings
//! seen in real spreadsheets, and one parser that accepts any of them.

use crate::FieldError;

/// An enumeration of the registry layout. Implemented by [`labelled_enum!`].
pub trait Labelled: Copy + 'static {
    /// The field the value usually comes from, for error messages (`household_type`).
    const FIELD: &'static str;
    fn all() -> &'static [Self];
    fn value(self) -> &'static str;
    fn label(self) -> &'static str;
    /// Other Chinese spellings accepted on input (`中专` and `中职` for `中专/中职`).
    fn aliases(self) -> &'static [&'static str];
}

/// Parses the English value (ASCII case ignored) or a Chinese label; surrounding
/// whitespace is ignored. Fails with `unknown_value`, listing what is allowed.
pub fn parse_labelled<T: Labelled>(s: &str) -> Result<T, FieldError> {
    let s = s.trim();
    T::all()
        .iter()
        .copied()
        .find(|v| v.value().eq_ignore_ascii_case(s) || v.label() == s || v.aliases().contains(&s))
        .ok_or_else(|| unknown_value::<T>(s))
}

fn unknown_value<T: Labelled>(s: &str) -> FieldError {
    let en: Vec<String> = T::all()
        .iter()
        .map(|v| format!("{} ({})", v.value(), v.label()))
        .collect();
    let zh: Vec<String> = T::all()
        .iter()
        .map(|v| format!("{}（{}）", v.value(), v.label()))
        .collect();
    FieldError::new(
        T::FIELD,
        "unknown_value",
        format!("unknown value {s:?}; expected one of: {}", en.join(", ")),
        format!("无效的取值 {s:?}；应为以下之一：{}", zh.join("、")),
    )
}

/// Declares a registry enumeration: the enum with serde as the English value, `ALL`,
/// `as_str`, `label_zh`, `parse` and `Display`.
///
/// ```text
/// labelled_enum! {
///     /// doc
///     pub enum HouseholdType in "household_type" {
///         /// 一般贫困户
///         General = "general", "一般贫困户", ["一般户"];
///     }
/// }
/// ```
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident in $field:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $value:literal, $label:literal, [$($alias:literal),*];
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $value)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order of the layout document.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The English value, as the API and the CSV layout spell it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $value,)+
                }
            }

            /// The Chinese label of the registry's forms.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $($name::$variant => $label,)+
                }
            }

            /// Accepts the English value (ASCII case ignored) or a Chinese label, trimmed.
            pub fn parse(s: &str) -> Result<Self, $crate::FieldError> {
                $crate::labels::parse_labelled(s)
            }
        }

        impl $crate::labels::Labelled for $name {
            const FIELD: &'static str = $field;

            fn all() -> &'static [Self] {
                Self::ALL
            }

            fn value(self) -> &'static str {
                self.as_str()
            }

            fn label(self) -> &'static str {
                self.label_zh()
            }

            fn aliases(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$($alias),*],)+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use labelled_enum;
