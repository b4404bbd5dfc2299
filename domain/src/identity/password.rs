//! 密码: the rules a password is changed and reset under. The policy itself (length and
//! variety) is [`check_password_policy`]; here are the changes that apply it: a person
//! changing their own (who must know the current one and pick another), and a reset by an
//! administrator or a superior official, after which the account must change it again at
//! its next login.

use crate::{DomainError, FieldError};

use super::{Principal, User, check_password_policy};

/// A password that passes the policy, in clear until hashed, and only until then. It never
/// prints.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// The password if it passes the policy; the error names `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Self, FieldError> {
        check_password_policy(raw).map_err(|e| e.for_field(field))?;
        Ok(Self(raw.to_owned()))
    }

    /// The password in clear, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// A person changing their own password: the current one (checked against the stored hash
/// by the caller of [`PasswordChange::parse`]) and a new one that passes the policy and is
/// not the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    pub current: String,
    pub new: NewPassword,
}

impl PasswordChange {
    /// Fields `current` and `new`, as a request names them.
    pub fn parse(current: &str, new: &str) -> Result<Self, DomainError> {
        let mut errors = Vec::new();
        if current.is_empty() {
            errors.push(FieldError::new(
                "current",
                "required",
                "the current password is required",
                "需要填写当前密码",
            ));
        }
        match NewPassword::parse(new, "new") {
            Ok(_) if new == current => errors.push(FieldError::new(
                "new",
                "unchanged",
                "the new password must differ from the current one",
                "新密码不能与当前密码相同",
            )),
            Ok(new) if errors.is_empty() => {
                return Ok(Self {
                    current: current.to_owned(),
                    new,
                });
            }
            Ok(_) => {}
            Err(e) => errors.push(e),
        }
        Err(DomainError::Invalid(errors))
    }
}

impl User {
    /// Whether `principal` may reset this account's password (forcing a change at its next
    /// login): whoever may disable it (platform admins any account, officials the accounts
    /// below them in their region), never their own (they change it knowing the current
    /// one).
    pub fn password_resettable_by(&self, principal: &Principal) -> bool {
        principal.id() != self.id && self.manageable_by(principal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{AccountRequest, Role, Subject};
    use crate::region::RegionCode;

    fn fields(e: DomainError) -> Vec<(String, &'static str)> {
        match e {
            DomainError::Invalid(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("unexpected {other:?}"),
        }
    }

    fn principal(id: &str, role: Role, region: Option<&str>) -> Principal {
        Principal {
            subject: Subject::User {
                id: id.into(),
                role,
            },
            region: region.map(|r| RegionCode::parse(r).unwrap()),
            organization_id: None,
        }
    }

    fn account(id: &str, role: Role, region: Option<&str>) -> User {
        let draft = AccountRequest {
            username: "someone".into(),
            password: "Fupin-2026-ln".into(),
            role: role.as_str().into(),
            region_code: region.map(str::to_owned),
            ..AccountRequest::default()
        }
        .parse(chrono::DateTime::UNIX_EPOCH.naive_utc())
        .unwrap();
        User::create(
            draft,
            id.into(),
            None,
            chrono::DateTime::UNIX_EPOCH.naive_utc(),
        )
    }

    #[test]
    fn a_new_password_passes_the_policy_and_never_prints() {
        let p = NewPassword::parse("Fupin-2026-ln", "new").unwrap();
        assert_eq!(p.expose(), "Fupin-2026-ln");
        assert_eq!(format!("{p:?}"), "NewPassword(***)");
        let e = NewPassword::parse("abc", "admin_password").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("admin_password", "length"));
        let e = NewPassword::parse("abcdefghijkl", "new").unwrap_err();
        assert_eq!(e.code, "too_simple");
    }

    #[test]
    fn a_change_needs_the_current_password_and_another_good_one() {
        let ok = PasswordChange::parse("Old-pass-2026", "New-pass-2026").unwrap();
        assert_eq!(ok.current, "Old-pass-2026");
        assert_eq!(ok.new.expose(), "New-pass-2026");
        assert_eq!(
            fields(PasswordChange::parse("Old-pass-2026", "Old-pass-2026").unwrap_err()),
            vec![("new".to_owned(), "unchanged")]
        );
        assert_eq!(
            fields(PasswordChange::parse("", "short").unwrap_err()),
            vec![
                ("current".to_owned(), "required"),
                ("new".to_owned(), "length")
            ]
        );
    }

    #[test]
    fn resets_follow_who_manages_the_account_but_never_ones_own() {
        let cadre = account("c1", Role::VillageCadre, Some("210921100201"));
        let county = principal("o1", Role::CountyOfficial, Some("210921"));
        let other_county = principal("o2", Role::CountyOfficial, Some("210922"));
        let admin = principal("a1", Role::PlatformAdmin, None);
        assert!(cadre.password_resettable_by(&county));
        assert!(cadre.password_resettable_by(&admin));
        assert!(!cadre.password_resettable_by(&other_county));
        let peer = account("o3", Role::CountyOfficial, Some("210921"));
        assert!(!peer.password_resettable_by(&county), "not a peer's");
        let own = account("a1", Role::PlatformAdmin, None);
        assert!(!own.password_resettable_by(&admin), "not one's own");
    }
}
