//! 用户账号: the accounts of the people who use Fupin (officials, village cadres,
//! evaluators, organisation members, donors, volunteers), the rules a new one is created
//! under, who may see and manage which, and when an account may act.

use chrono::NaiveDateTime;

use crate::region::RegionCode;
use crate::{DomainError, FieldError};

use super::{IdCardNumber, Jurisdiction, PersonName, PhoneNumber, Principal, Role, Subject};

pub const PASSWORD_MIN_LENGTH: usize = 10;
pub const PASSWORD_MAX_LENGTH: usize = 128;

/// An account, its personal data in clear (it never prints: the personal types mask
/// themselves). The password is kept only hashed, outside this record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    /// Lower case, 3 to 64 of `a-z 0-9 . _ -`.
    pub username: String,
    pub role: Role,
    /// Officials and village cadres are bound to a region of their level; evaluators may be.
    pub region: Option<RegionCode>,
    /// The organisation an `org_member` acts for.
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    /// The work unit of an official or staff member (counts "lead by example" participation).
    pub work_unit: Option<String>,
    pub real_name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdCardNumber>,
    /// Accounts of evaluators are time-boxed.
    pub valid_until: Option<NaiveDateTime>,
    pub disabled: bool,
    /// Set by a password reset: the account must change its password at its next login.
    pub password_change_required: bool,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
}

impl User {
    /// A new, enabled account.
    pub fn create(
        draft: AccountDraft,
        id: String,
        created_by: Option<String>,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            username: draft.username,
            role: draft.role,
            region: draft.region,
            organization_id: draft.organization_id,
            display_name: draft.display_name,
            work_unit: draft.work_unit,
            real_name: draft.real_name,
            phone: draft.phone,
            id_number: draft.id_number,
            valid_until: draft.valid_until,
            disabled: false,
            password_change_required: false,
            created_by,
            created_at: now,
        }
    }

    /// Whether the account may act at `now`: not disabled, and within its validity.
    pub fn in_good_standing(&self, now: NaiveDateTime) -> bool {
        !self.disabled && self.valid_until.is_none_or(|until| until > now)
    }

    /// The account as a caller holding one of its access tokens.
    pub fn principal(&self) -> Principal {
        Principal {
            subject: Subject::User {
                id: self.id.clone(),
                role: self.role,
            },
            region: self.region.clone(),
            organization_id: self.organization_id.clone(),
        }
    }

    /// Whether `principal` may see this account at all (else: 404): their own; platform
    /// admins all; officials those bound to a place in their jurisdiction.
    pub fn visible_to(&self, principal: &Principal) -> bool {
        if principal.id() == self.id {
            return true;
        }
        match principal.jurisdiction() {
            Jurisdiction::Everywhere => principal.is_admin(),
            Jurisdiction::Within(_) => self.region.as_ref().is_some_and(|r| principal.sees(r)),
            Jurisdiction::Nowhere => false,
        }
    }

    /// Whether `principal` may disable or enable this account: platform admins any;
    /// officials the accounts they may create (below them, in their region).
    pub fn manageable_by(&self, principal: &Principal) -> bool {
        principal.is_admin()
            || principal.role().is_some_and(|own| {
                own.may_create(self.role, principal.region.as_ref(), self.region.as_ref())
            })
    }
}

/// Taking an account out of service (an official who left, a compromised login) and back.
/// Either may be repeated: disabling a disabled account changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusChange {
    Disable,
    Enable,
}

impl StatusChange {
    /// `disable` or `enable`; anything else is no such action.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "disable" => Some(Self::Disable),
            "enable" => Some(Self::Enable),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Enable => "enable",
        }
    }

    /// Whether the account is disabled once the change is made.
    pub fn disables(self) -> bool {
        self == Self::Disable
    }
}

/// An account to create, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDraft {
    pub username: String,
    /// In clear until hashed, and only until then.
    pub password: String,
    pub role: Role,
    pub region: Option<RegionCode>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
    pub id_number: Option<IdCardNumber>,
    pub valid_until: Option<NaiveDateTime>,
}

/// An account as asked for, every field still as given: by an official or admin, by the
/// command line, or by someone signing up.
#[derive(Debug, Clone, Default)]
pub struct AccountRequest {
    pub username: String,
    pub password: String,
    pub role: String,
    pub region_code: Option<String>,
    pub organization_id: Option<String>,
    pub display_name: Option<String>,
    pub work_unit: Option<String>,
    pub real_name: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub valid_until: Option<NaiveDateTime>,
    /// An organisation member signing up before their organisation exists: they register
    /// it next and become its first member.
    pub organization_to_follow: bool,
}

/// Usernames: 3 to 64 of `a-z 0-9 . _ -`, compared in lower case.
pub fn parse_username(raw: &str) -> Result<String, FieldError> {
    let name = raw.trim().to_lowercase();
    let ok = (3..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(name)
    } else {
        Err(FieldError::new(
            "username",
            "format",
            "a username has 3 to 64 characters: letters, digits, '.', '_' or '-'",
            "用户名为 3 到 64 个字符，只能包含字母、数字、'.'、'_' 或 '-'",
        ))
    }
}

/// The password policy: 10 to 128 characters, not all one kind of character.
pub fn check_password_policy(password: &str) -> Result<(), FieldError> {
    let len = password.chars().count();
    if !(PASSWORD_MIN_LENGTH..=PASSWORD_MAX_LENGTH).contains(&len) {
        return Err(FieldError::new(
            "password",
            "length",
            format!("a password needs {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters"),
            format!("密码长度应为 {PASSWORD_MIN_LENGTH} 到 {PASSWORD_MAX_LENGTH} 个字符"),
        ));
    }
    let kinds = [
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(char::is_alphabetic),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if kinds.iter().filter(|k| **k).count() < 2 {
        return Err(FieldError::new(
            "password",
            "too_simple",
            "a password needs at least two of: letters, digits, other characters",
            "密码需至少包含字母、数字、其他字符中的两类",
        ));
    }
    Ok(())
}

fn optional_text(
    field: &str,
    value: Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = value
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())?;
    if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.push(FieldError::new(
            field,
            "format",
            format!("at most {max} characters, no control characters"),
            format!("最多 {max} 个字符，且不能包含控制字符"),
        ));
        return None;
    }
    Some(v)
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

impl AccountRequest {
    /// Self sign-up: donors, volunteers and organisation members (who then register their
    /// organisation) only, and with no region, organisation or time limit; a role other
    /// than these is refused before anything else is looked at.
    pub fn sign_up(self, now: NaiveDateTime) -> Result<AccountDraft, DomainError> {
        let role = Role::parse(&self.role);
        if !matches!(role, Ok(Role::Donor | Role::Volunteer | Role::OrgMember)) {
            return Err(FieldError::new(
                "role",
                "not_allowed",
                "self sign-up is for donors, volunteers and organisation members (who then register their organisation); other accounts are created by officials",
                "自助注册仅限捐赠人、志愿者和单位经办人（注册后登记本单位）；其他账号由主管部门创建",
            )
            .into());
        }
        AccountRequest {
            region_code: None,
            organization_id: None,
            work_unit: None,
            valid_until: None,
            organization_to_follow: role == Ok(Role::OrgMember),
            ..self
        }
        .parse(now)
    }

    /// Every field checked, and the rules of the role: officials and cadres are bound to a
    /// region of their level, others to none (evaluators may be); organisation members act
    /// for an organisation, nobody else does; only evaluators are time-boxed, and never to a
    /// moment already past at `now`. Every broken rule is reported at once.
    pub fn parse(self, now: NaiveDateTime) -> Result<AccountDraft, DomainError> {
        let mut errors = Vec::new();
        let username = keep(&mut errors, parse_username(&self.username));
        let password_ok = keep(&mut errors, check_password_policy(&self.password)).is_some();
        let role = keep(&mut errors, Role::parse(&self.role));
        let region = self.region_code.as_deref().and_then(|c| {
            keep(
                &mut errors,
                RegionCode::parse(c).map_err(|e| e.for_field("region_code")),
            )
        });
        let real_name = self.real_name.as_deref().and_then(|v| {
            keep(
                &mut errors,
                PersonName::parse(v).map_err(|e| e.for_field("real_name")),
            )
        });
        let phone = self
            .phone
            .as_deref()
            .and_then(|v| keep(&mut errors, PhoneNumber::parse(v)));
        let id_number = self
            .id_number
            .as_deref()
            .and_then(|v| keep(&mut errors, IdCardNumber::parse(v)));
        let organization_id = self.organization_id.as_deref().and_then(|v| {
            keep(
                &mut errors,
                uuid::Uuid::parse_str(v)
                    .map(|u| u.to_string())
                    .map_err(|_| {
                        FieldError::new(
                            "organization_id",
                            "format",
                            "an organisation id is a UUID",
                            "组织 ID 应为 UUID",
                        )
                    }),
            )
        });
        if let Some(role) = role {
            self.check_role_rules(role, region.as_ref(), now, &mut errors);
        }
        let display_name = optional_text("display_name", self.display_name, 100, &mut errors);
        let work_unit = optional_text("work_unit", self.work_unit, 200, &mut errors);
        match (username, role, errors.is_empty() && password_ok) {
            (Some(username), Some(role), true) => Ok(AccountDraft {
                username,
                password: self.password,
                role,
                region,
                organization_id,
                display_name,
                work_unit,
                real_name,
                phone,
                id_number,
                valid_until: self.valid_until,
            }),
            _ => Err(DomainError::Invalid(errors)),
        }
    }

    fn check_role_rules(
        &self,
        role: Role,
        region: Option<&RegionCode>,
        now: NaiveDateTime,
        errors: &mut Vec<FieldError>,
    ) {
        if role.requires_region() && self.region_code.is_none() {
            errors.push(FieldError::new(
                "region_code",
                "required",
                format!("a {role} is bound to a region"),
                format!("{} 必须绑定行政区划", role.label_zh()),
            ));
        }
        if let Some(region) = region
            && let Err(e) = role.check_region_level(region)
        {
            errors.push(e);
        }
        if !role.requires_region() && role != Role::Evaluator && self.region_code.is_some() {
            errors.push(FieldError::new(
                "region_code",
                "not_allowed",
                format!("a {role} is bound to no region"),
                format!("{} 不绑定行政区划", role.label_zh()),
            ));
        }
        if role.requires_organization()
            && self.organization_id.is_none()
            && !self.organization_to_follow
        {
            errors.push(FieldError::new(
                "organization_id",
                "required",
                "an org_member acts for an organisation",
                "单位经办人必须属于一个组织",
            ));
        }
        if !role.requires_organization() && self.organization_id.is_some() {
            errors.push(FieldError::new(
                "organization_id",
                "not_allowed",
                format!("a {role} belongs to no organisation"),
                format!("{} 不属于组织", role.label_zh()),
            ));
        }
        if self.valid_until.is_some() && role != Role::Evaluator {
            errors.push(FieldError::new(
                "valid_until",
                "not_allowed",
                "only evaluator accounts are time-boxed",
                "只有第三方评估人员账号有有效期",
            ));
        } else if let Some(until) = self.valid_until
            && until <= now
        {
            // An account that would be out of service the moment it exists is a mistake.
            errors.push(FieldError::new(
                "valid_until",
                "in_the_past",
                "valid_until has already passed",
                "有效期截止时间已过",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn epoch() -> NaiveDateTime {
        chrono::DateTime::UNIX_EPOCH.naive_utc()
    }

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn request(role: &str, region: Option<&str>) -> AccountRequest {
        AccountRequest {
            username: " Fuxin.Li ".into(),
            password: "Fupin-2026-ln".into(),
            role: role.into(),
            region_code: region.map(str::to_owned),
            ..AccountRequest::default()
        }
    }

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
            region: region.map(code),
            organization_id: None,
        }
    }

    fn user(role: Role, region: Option<&str>) -> User {
        let draft = request(role.as_str(), region).parse(epoch()).unwrap();
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        User::create(draft, "u1".into(), None, now)
    }

    #[test]
    fn a_valid_request_becomes_an_enabled_account() {
        let draft = request("county_official", Some("210921"))
            .parse(epoch())
            .unwrap();
        assert_eq!(draft.username, "fuxin.li");
        assert_eq!(draft.role, Role::CountyOfficial);
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let u = User::create(draft, "u1".into(), Some("admin".into()), now);
        assert!(!u.disabled);
        assert!(u.in_good_standing(now));
        assert_eq!(u.region.unwrap().to_string(), "210921");
    }

    #[test]
    fn every_broken_rule_is_reported() {
        let e = AccountRequest {
            username: "x".into(),
            password: "short1".into(),
            role: "county_official".into(),
            region_code: Some("210900".into()),
            organization_id: Some("not-a-uuid".into()),
            display_name: Some("a\u{7}b".into()),
            valid_until: Some(chrono::DateTime::UNIX_EPOCH.naive_utc()),
            ..AccountRequest::default()
        }
        .parse(epoch())
        .unwrap_err();
        assert_eq!(
            fields(e),
            [
                ("username".into(), "format"),
                ("password".into(), "length"),
                ("organization_id".into(), "format"),
                ("region_code".into(), "region_level_mismatch"),
                ("organization_id".into(), "not_allowed"),
                ("valid_until".into(), "not_allowed"),
                ("display_name".into(), "format"),
            ]
        );
    }

    #[test]
    fn roles_decide_region_and_organisation() {
        let e = request("county_official", None).parse(epoch()).unwrap_err();
        assert_eq!(fields(e), [("region_code".into(), "required")]);
        let e = request("donor", Some("210921")).parse(epoch()).unwrap_err();
        assert_eq!(fields(e), [("region_code".into(), "not_allowed")]);
        assert!(request("evaluator", Some("210921")).parse(epoch()).is_ok());
        let e = request("org_member", None).parse(epoch()).unwrap_err();
        assert_eq!(fields(e), [("organization_id".into(), "required")]);
        let e = request("wizard", None).parse(epoch()).unwrap_err();
        assert_eq!(fields(e), [("role".into(), "unknown_role")]);
    }

    #[test]
    fn an_evaluator_is_never_time_boxed_to_the_past() {
        let now = epoch() + chrono::Duration::days(30);
        let evaluator = |until: NaiveDateTime| AccountRequest {
            valid_until: Some(until),
            ..request("evaluator", None)
        };
        let e = evaluator(now - chrono::Duration::seconds(1))
            .parse(now)
            .unwrap_err();
        assert_eq!(fields(e), [("valid_until".into(), "in_the_past")]);
        // Ending now is ending already.
        let e = evaluator(now).parse(now).unwrap_err();
        assert_eq!(fields(e), [("valid_until".into(), "in_the_past")]);
        let later = now + chrono::Duration::days(90);
        assert_eq!(
            evaluator(later).parse(now).unwrap().valid_until,
            Some(later)
        );
        // Another role is refused for having a limit at all, not for its date.
        let e = AccountRequest {
            valid_until: Some(epoch()),
            ..request("donor", None)
        }
        .parse(now)
        .unwrap_err();
        assert_eq!(fields(e), [("valid_until".into(), "not_allowed")]);
    }

    #[test]
    fn sign_up_is_for_donors_volunteers_and_organisation_members() {
        let e = request("county_official", Some("210921"))
            .sign_up(epoch())
            .unwrap_err();
        assert_eq!(fields(e), [("role".into(), "not_allowed")]);
        assert_eq!(
            request("donor", None).sign_up(epoch()).unwrap().role,
            Role::Donor
        );
        // An organisation member registers their organisation next.
        let draft = request("org_member", None).sign_up(epoch()).unwrap();
        assert_eq!(draft.organization_id, None);
    }

    #[test]
    fn passwords_need_length_and_variety() {
        assert_eq!(check_password_policy("short1").unwrap_err().code, "length");
        assert_eq!(
            check_password_policy("aaaaaaaaaaaa").unwrap_err().code,
            "too_simple"
        );
        assert!(check_password_policy("fupin-2026-ln").is_ok());
    }

    #[test]
    fn standing_ends_when_disabled_or_expired() {
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let mut u = user(Role::Evaluator, None);
        u.valid_until = Some(now);
        assert!(!u.in_good_standing(now));
        u.valid_until = Some(now + chrono::Duration::days(1));
        assert!(u.in_good_standing(now));
        u.disabled = true;
        assert!(!u.in_good_standing(now));
    }

    #[test]
    fn who_sees_and_manages_an_account() {
        let cadre = user(Role::VillageCadre, Some("210921100201"));
        let county = principal("c", Role::CountyOfficial, Some("210921"));
        let other_county = principal("z", Role::CountyOfficial, Some("210922"));
        let admin = principal("a", Role::PlatformAdmin, None);
        let donor = principal("d", Role::Donor, None);
        assert!(cadre.visible_to(&county) && cadre.manageable_by(&county));
        assert!(!cadre.visible_to(&other_county) && !cadre.manageable_by(&other_county));
        assert!(cadre.visible_to(&admin) && cadre.manageable_by(&admin));
        assert!(!cadre.visible_to(&donor));
        let own = principal("u1", Role::VillageCadre, Some("210921100201"));
        assert!(cadre.visible_to(&own) && !cadre.manageable_by(&own));
        assert_eq!(cadre.principal(), own);
        // An official sees but does not manage their peers.
        let peer = user(Role::CountyOfficial, Some("210921"));
        assert!(peer.visible_to(&county) && !peer.manageable_by(&county));
    }

    #[test]
    fn status_changes_by_word() {
        assert_eq!(StatusChange::parse("disable"), Some(StatusChange::Disable));
        assert_eq!(StatusChange::parse("enable"), Some(StatusChange::Enable));
        assert_eq!(StatusChange::parse("delete"), None);
        assert!(StatusChange::Disable.disables() && !StatusChange::Enable.disables());
    }
}
