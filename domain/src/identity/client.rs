//! 集成客户端: the government systems and portals that call the API as themselves (the
//! client-credentials grant), and the rules a new one is registered under.

use chrono::NaiveDateTime;

use crate::region::RegionCode;
use crate::{DomainError, FieldError};

use super::{Principal, Scopes, Subject};

/// A registered integration client. Its secret is kept only hashed, outside this record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Also the `client_id` of the client-credentials grant.
    pub id: String,
    pub name: String,
    pub scopes: Scopes,
    /// The client sees nothing outside this region.
    pub region: Option<RegionCode>,
    /// A raised per-minute request limit, if any.
    pub rate_limit_per_minute: Option<i32>,
    pub disabled: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A client to register, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDraft {
    pub name: String,
    pub scopes: Scopes,
    pub region: Option<RegionCode>,
    pub rate_limit_per_minute: Option<i32>,
}

impl ClientDraft {
    /// A name of 1 to 200 characters, known scopes, a region code, a rate limit between 1
    /// and 1,000,000; every broken rule is reported at once.
    pub fn parse(
        name: &str,
        scopes: &str,
        region_code: Option<&str>,
        rate_limit_per_minute: Option<i32>,
    ) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        let name = name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "length",
                "a name has 1 to 200 characters",
                "名称应为 1 到 200 个字符",
            ));
        }
        let scopes = Scopes::parse(scopes)
            .map_err(|e| errors.push(e.for_field("scopes")))
            .ok();
        let region = region_code
            .map(RegionCode::parse)
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if rate_limit_per_minute.is_some_and(|r| !(1..=1_000_000).contains(&r)) {
            errors.push(FieldError::new(
                "rate_limit_per_minute",
                "out_of_range",
                "between 1 and 1000000",
                "应在 1 到 1000000 之间",
            ));
        }
        match scopes {
            Some(scopes) if errors.is_empty() => Ok(Self {
                name,
                scopes,
                region,
                rate_limit_per_minute,
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }
}

impl Client {
    /// A new, enabled client.
    pub fn register(
        draft: ClientDraft,
        id: String,
        created_by: Option<String>,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            name: draft.name,
            scopes: draft.scopes,
            region: draft.region,
            rate_limit_per_minute: draft.rate_limit_per_minute,
            disabled: false,
            created_by,
            created_at: now,
        }
    }

    /// Whether the client may still get tokens.
    pub fn acts(&self) -> bool {
        !self.disabled
    }

    /// The scopes a token of this client may carry: those `requested` (space- or
    /// comma-separated), which must all have been granted to it, or all it was granted when
    /// nothing is requested.
    pub fn grant_scopes(&self, requested: Option<&str>) -> Result<Scopes, FieldError> {
        let Some(requested) = requested.filter(|s| !s.trim().is_empty()) else {
            return Ok(self.scopes.clone());
        };
        let asked = Scopes::parse(requested)?;
        if !asked.is_subset(&self.scopes) {
            return Err(FieldError::new(
                "scope",
                "not_granted",
                "a requested scope was not granted to this client",
                "请求的权限范围超出了该客户端的授权",
            ));
        }
        Ok(asked)
    }

    /// The client as a caller holding a token with `scopes`.
    pub fn principal(&self, scopes: Scopes) -> Principal {
        Principal {
            subject: Subject::Client {
                id: self.id.clone(),
                scopes,
            },
            region: self.region.clone(),
            organization_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(e: DomainError) -> Vec<String> {
        match e {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_valid_draft_registers_an_enabled_client() {
        let draft = ClientDraft::parse(
            " 数据交换 ",
            "registry:read,stats:read",
            Some("210900"),
            Some(6000),
        )
        .unwrap();
        assert_eq!(draft.name, "数据交换");
        assert_eq!(draft.scopes.to_string(), "registry:read stats:read");
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let client = Client::register(draft, "c1".into(), Some("admin".into()), now);
        assert!(client.acts());
        assert_eq!(client.region.unwrap().to_string(), "210900");
    }

    #[test]
    fn a_token_carries_at_most_the_granted_scopes() {
        let draft = ClientDraft::parse("x", "registry:read stats:read", None, None).unwrap();
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let client = Client::register(draft, "c1".into(), None, now);
        assert_eq!(
            client.grant_scopes(None).unwrap().to_string(),
            "registry:read stats:read"
        );
        assert_eq!(
            client.grant_scopes(Some("  ")).unwrap().to_string(),
            "registry:read stats:read"
        );
        assert_eq!(
            client.grant_scopes(Some("stats:read")).unwrap().to_string(),
            "stats:read"
        );
        let e = client.grant_scopes(Some("export:read")).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("scope", "not_granted"));
        assert!(client.grant_scopes(Some("nonsense")).is_err());
        let p = client.principal(Scopes::parse("stats:read").unwrap());
        assert_eq!(p.id(), "c1");
        assert_eq!(p.role(), None);
    }

    #[test]
    fn every_broken_rule_is_reported() {
        let e = ClientDraft::parse("", "nonsense", Some("21x"), Some(0)).unwrap_err();
        assert_eq!(
            codes(e),
            ["name", "scopes", "region_code", "rate_limit_per_minute"]
        );
    }
}
