//! Organisations that take part (tasks 1, 2 and 4; safeguards 1 and 3): enterprises, social
//! organisations, designated units, government departments and people's organisations,
//! registered by one of their members and verified by an official.
//!
//! ```text
//! pending ─verify─▶ verified
//!    └─reject─▶ rejected ─(edit, resubmit)─▶ pending
//! ```

use serde::Deserialize;

use super::credit_code::CreditCode;
use crate::identity::{PersonName, PhoneNumber};
use crate::labels::labelled_enum;
use crate::region::RegionCode;
use crate::{DomainError, FieldError};

pub const MAX_NAME_CHARS: usize = 100;

labelled_enum! {
    /// 参与主体类别
    pub enum OrganizationKind in "kind" {
        /// 企业 (民营企业 and others)
        Enterprise = "enterprise", "企业", ["民营企业"];
        /// 社会组织
        SocialOrganization = "social_organization", "社会组织", [];
        /// 定点扶贫单位
        DesignatedUnit = "designated_unit", "定点扶贫单位", [];
        /// 政府部门
        GovernmentDepartment = "government_department", "政府部门", [];
        /// 人民团体 (工会, 共青团, 妇联, 残联, 工商联)
        PeopleOrganization = "people_organization", "人民团体", [];
    }
}

labelled_enum! {
    /// 社会组织类型 (only for `social_organization`)
    pub enum SocialOrgSubtype in "subtype" {
        /// 社会团体
        Association = "association", "社会团体", [];
        /// 基金会
        Foundation = "foundation", "基金会", [];
        /// 社会服务机构 (民办非企业单位)
        ServiceInstitution = "service_institution", "社会服务机构", ["民办非企业单位"];
    }
}

labelled_enum! {
    /// 审核状态
    pub enum OrganizationStatus in "status" {
        /// 待审核
        Pending = "pending", "待审核", [];
        /// 已认证
        Verified = "verified", "已认证", ["已审核"];
        /// 未通过
        Rejected = "rejected", "未通过", [];
    }
}

labelled_enum! {
    /// What an official may do with a registration.
    pub enum OrganizationAction in "action" {
        /// 认证
        Verify = "verify", "认证", [];
        /// 驳回 (with a reason)
        Reject = "reject", "驳回", [];
    }
}

impl OrganizationStatus {
    /// The status after its members edit the record: a verified organisation stays
    /// verified unless its deduction qualification changed, which needs a new review; a
    /// pending or rejected one goes (back) to review.
    pub fn after_edit(self, qualification_changed: bool) -> Self {
        if self == Self::Verified && !qualification_changed {
            Self::Verified
        } else {
            Self::Pending
        }
    }

    pub fn transition(self, action: OrganizationAction) -> Result<Self, DomainError> {
        match (self, action) {
            (Self::Pending, OrganizationAction::Verify) => Ok(Self::Verified),
            (Self::Pending, OrganizationAction::Reject) => Ok(Self::Rejected),
            _ => Err(DomainError::InvalidTransition {
                state: self.as_str().to_owned(),
                action: action.as_str().to_owned(),
                allowed: if self == Self::Pending {
                    vec!["verify".into(), "reject".into()]
                } else {
                    vec![]
                },
            }),
        }
    }
}

/// An organisation as a request gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationDraft {
    pub kind: Option<String>,
    pub subtype: Option<String>,
    pub name: Option<String>,
    pub credit_code: Option<String>,
    pub region_code: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// Years in which a social organisation holds the pre-tax deduction qualification
    /// (公益性捐赠税前扣除资格).
    pub deduction_qualified_years: Option<Vec<i32>>,
    /// An enterprise's poverty-alleviation foundation (扶贫基金会), by name.
    pub foundation_name: Option<String>,
}

/// A valid organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationSpec {
    pub kind: OrganizationKind,
    pub subtype: Option<SocialOrgSubtype>,
    pub name: String,
    pub credit_code: CreditCode,
    pub region: RegionCode,
    pub contact_name: PersonName,
    pub contact_phone: PhoneNumber,
    /// Sorted, without duplicates.
    pub deduction_qualified_years: Vec<i32>,
    pub foundation_name: Option<String>,
}

fn required<'a>(v: &'a Option<String>, field: &str) -> Result<&'a str, FieldError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            FieldError::new(
                field,
                "required",
                format!("{field} is required"),
                format!("缺少 {field}"),
            )
        })
}

impl OrganizationDraft {
    /// Checks every rule; all errors at once. `this_year` bounds the qualification years.
    pub fn parse(&self, this_year: i32) -> Result<OrganizationSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = required(&self.kind, "kind")
            .and_then(OrganizationKind::parse)
            .map_err(|e| errors.push(e))
            .ok();
        let subtype = self
            .subtype
            .as_deref()
            .map(SocialOrgSubtype::parse)
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        match (kind, subtype) {
            (Some(OrganizationKind::SocialOrganization), None) => errors.push(FieldError::new(
                "subtype",
                "required",
                "a social organisation names its subtype: association, foundation or service_institution",
                "社会组织须填写类型：社会团体、基金会或社会服务机构",
            )),
            (Some(k), Some(_)) if k != OrganizationKind::SocialOrganization => errors.push(FieldError::new(
                "subtype",
                "not_allowed",
                "only social organisations have a subtype",
                "只有社会组织填写类型",
            )),
            _ => {}
        }
        let name = required(&self.name, "name")
            .and_then(|n| {
                if n.chars().count() > MAX_NAME_CHARS {
                    Err(FieldError::new(
                        "name",
                        "too_long",
                        format!("at most {MAX_NAME_CHARS} characters"),
                        format!("最多 {MAX_NAME_CHARS} 个字符"),
                    ))
                } else {
                    Ok(n.to_owned())
                }
            })
            .map_err(|e| errors.push(e))
            .ok();
        let credit_code = required(&self.credit_code, "credit_code")
            .and_then(CreditCode::parse)
            .map_err(|e| errors.push(e))
            .ok();
        let region = required(&self.region_code, "region_code")
            .and_then(|r| RegionCode::parse(r).map_err(|e| e.for_field("region_code")))
            .map_err(|e| errors.push(e))
            .ok();
        let contact_name = required(&self.contact_name, "contact_name")
            .and_then(|n| PersonName::parse(n).map_err(|e| e.for_field("contact_name")))
            .map_err(|e| errors.push(e))
            .ok();
        let contact_phone = required(&self.contact_phone, "contact_phone")
            .and_then(|p| PhoneNumber::parse(p).map_err(|e| e.for_field("contact_phone")))
            .map_err(|e| errors.push(e))
            .ok();
        let mut years = self.deduction_qualified_years.clone().unwrap_or_default();
        years.sort_unstable();
        years.dedup();
        if !years.is_empty() && kind != Some(OrganizationKind::SocialOrganization) {
            errors.push(FieldError::new(
                "deduction_qualified_years",
                "not_allowed",
                "only social organisations hold the donation deduction qualification",
                "只有社会组织可具有公益性捐赠税前扣除资格",
            ));
        }
        if let Some(y) = years.iter().find(|y| !(2008..=this_year + 3).contains(*y)) {
            errors.push(FieldError::new(
                "deduction_qualified_years",
                "out_of_range",
                format!("{y} is not a plausible qualification year"),
                format!("{y} 不是有效的资格年度"),
            ));
        }
        let foundation_name = self
            .foundation_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if foundation_name.is_some() && kind != Some(OrganizationKind::Enterprise) {
            errors.push(FieldError::new(
                "foundation_name",
                "not_allowed",
                "only enterprises record a poverty-alleviation foundation they set up",
                "只有企业可登记其设立的扶贫基金会",
            ));
        }
        match (kind, name, credit_code, region, contact_name, contact_phone) {
            (
                Some(kind),
                Some(name),
                Some(credit_code),
                Some(region),
                Some(contact_name),
                Some(contact_phone),
            ) if errors.is_empty() => Ok(OrganizationSpec {
                kind,
                subtype,
                name,
                credit_code,
                region,
                contact_name,
                contact_phone,
                deduction_qualified_years: years,
                foundation_name,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foundation() -> OrganizationDraft {
        OrganizationDraft {
            kind: Some("social_organization".into()),
            subtype: Some("基金会".into()),
            name: Some("辽宁省扶贫基金会".into()),
            credit_code: Some("91350100M000100Y43".into()),
            region_code: Some("210000".into()),
            contact_name: Some("王五".into()),
            contact_phone: Some("13912345678".into()),
            deduction_qualified_years: Some(vec![2026, 2025, 2026]),
            ..OrganizationDraft::default()
        }
    }

    #[test]
    fn a_foundation_with_its_qualification() {
        let o = foundation().parse(2026).unwrap();
        assert_eq!(o.kind, OrganizationKind::SocialOrganization);
        assert_eq!(o.subtype, Some(SocialOrgSubtype::Foundation));
        assert_eq!(o.deduction_qualified_years, vec![2025, 2026]);
    }

    #[test]
    fn rules_are_checked_together() {
        let mut d = foundation();
        d.kind = Some("enterprise".into());
        d.credit_code = Some("91350100M000100Y44".into());
        d.foundation_name = Some("爱心基金".into());
        let errs = d.parse(2026).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("subtype", "not_allowed"),
                ("credit_code", "check_digit"),
                ("deduction_qualified_years", "not_allowed"),
            ]
        );
        let mut s = foundation();
        s.subtype = None;
        assert_eq!(s.parse(2026).unwrap_err()[0].field, "subtype");
    }

    #[test]
    fn verification_is_one_step() {
        use OrganizationAction as A;
        use OrganizationStatus as S;
        assert_eq!(S::Pending.transition(A::Verify), Ok(S::Verified));
        assert_eq!(S::Pending.transition(A::Reject), Ok(S::Rejected));
        assert!(S::Verified.transition(A::Reject).is_err());
        assert_eq!(S::Verified.after_edit(false), S::Verified);
        assert_eq!(S::Verified.after_edit(true), S::Pending);
        assert_eq!(S::Rejected.after_edit(false), S::Pending);
    }
}
