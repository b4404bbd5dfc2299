//! `Scope` and `Scopes`: what an integration client (a system using client credentials, not
//! a person) may do.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::FieldError;

const FIELD: &str = "scope";

/// One permission an integration client can be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Read the register of poor households and villages (建档立卡).
    #[serde(rename = "registry:read")]
    RegistryRead,
    /// Create and change register records.
    #[serde(rename = "registry:write")]
    RegistryWrite,
    /// Read statistics (aggregates only).
    #[serde(rename = "stats:read")]
    StatsRead,
    /// Read needs, offers, pledges and pairings of the aid platform.
    #[serde(rename = "platform:read")]
    PlatformRead,
    /// Create and change needs, offers and pledges.
    #[serde(rename = "platform:write")]
    PlatformWrite,
    /// Bulk exports (CSV, NDJSON).
    #[serde(rename = "export:read")]
    ExportRead,
    /// Read the audit log.
    #[serde(rename = "audit:read")]
    AuditRead,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::RegistryRead,
        Scope::RegistryWrite,
        Scope::StatsRead,
        Scope::PlatformRead,
        Scope::PlatformWrite,
        Scope::ExportRead,
        Scope::AuditRead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::RegistryRead => "registry:read",
            Scope::RegistryWrite => "registry:write",
            Scope::StatsRead => "stats:read",
            Scope::PlatformRead => "platform:read",
            Scope::PlatformWrite => "platform:write",
            Scope::ExportRead => "export:read",
            Scope::AuditRead => "audit:read",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| unknown(&[s]))
    }
}

fn unknown(names: &[&str]) -> FieldError {
    let names = names.join(", ");
    let expected = Scope::ALL.map(Scope::as_str).join(", ");
    FieldError::new(
        FIELD,
        "unknown_scope",
        format!("unknown scope {names:?}; expected some of {expected}"),
        format!("未知的权限范围 {names:?}；应为以下几项：{expected}"),
    )
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A non-empty set of scopes, written as OAuth writes it: names separated by spaces
/// (`"registry:read stats:read"`). Parsing also accepts commas; duplicates collapse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Scopes(BTreeSet<Scope>);

impl Scopes {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let names: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "required",
                "at least one scope is required",
                "至少需要一个权限范围",
            ));
        }
        let unknown_names: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| Scope::parse(n).is_err())
            .collect();
        if !unknown_names.is_empty() {
            return Err(unknown(&unknown_names));
        }
        Ok(Self(
            names
                .into_iter()
                .filter_map(|n| Scope::parse(n).ok())
                .collect(),
        ))
    }

    /// Every scope there is.
    pub fn all() -> Self {
        Self(Scope::ALL.into_iter().collect())
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    /// Whether every scope here is also in `granted` (a token may ask for less than its
    /// client was granted, never more).
    pub fn is_subset(&self, granted: &Scopes) -> bool {
        self.0.is_subset(&granted.0)
    }

    /// The scopes in a fixed order (the order of [`Scope::ALL`]).
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        self.0.iter().copied()
    }
}

impl From<Scope> for Scopes {
    fn from(scope: Scope) -> Self {
        Self(BTreeSet::from([scope]))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::as_str).collect();
        f.write_str(&names.join(" "))
    }
}

impl TryFrom<String> for Scopes {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Scopes> for String {
    fn from(value: Scopes) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &str) -> Scopes {
        Scopes::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    #[test]
    fn each_scope_round_trips() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Ok(scope));
            assert_eq!(scope.to_string(), scope.as_str());
        }
        let err = Scope::parse("registry:delete").expect_err("unknown");
        assert_eq!((err.field.as_str(), err.code), ("scope", "unknown_scope"));
    }

    #[test]
    fn sets_parse_from_spaces_or_commas_in_canonical_order() {
        let s = scopes(" stats:read registry:read,audit:read ,, registry:read\t");
        assert_eq!(s.to_string(), "registry:read stats:read audit:read");
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            [Scope::RegistryRead, Scope::StatsRead, Scope::AuditRead]
        );
        assert!(s.contains(Scope::StatsRead));
        assert!(!s.contains(Scope::RegistryWrite));
        assert_eq!(
            String::from(s.clone()),
            "registry:read stats:read audit:read"
        );
        assert_eq!(Scopes::try_from(String::from(s.clone())), Ok(s));
    }

    #[test]
    fn unknown_or_missing_scopes_are_rejected() {
        let err = Scopes::parse("registry:read admin foo:bar").expect_err("unknown");
        assert_eq!(err.code, "unknown_scope");
        assert!(err.message_en.contains("admin, foo:bar"));
        assert_eq!(Scopes::parse(" , ").expect_err("empty").code, "required");
        assert_eq!(Scopes::parse("").expect_err("empty").code, "required");
        assert_eq!(
            Scopes::parse("Registry:Read")
                .expect_err("case matters")
                .code,
            "unknown_scope"
        );
    }

    #[test]
    fn a_request_may_ask_for_less_than_was_granted() {
        let granted = scopes("registry:read stats:read");
        assert!(scopes("stats:read").is_subset(&granted));
        assert!(granted.is_subset(&granted));
        assert!(!scopes("stats:read export:read").is_subset(&granted));
        assert!(granted.is_subset(&Scopes::all()));
        assert_eq!(Scopes::from(Scope::AuditRead).to_string(), "audit:read");
        assert_eq!(Scopes::all().iter().count(), 7);
    }
}
