//! A registered organisation: what it is (its [`OrganizationSpec`]), where its verification
//! stands, and the rules of changing it — its own members edit it, officials of its place
//! review it, and it acts in its own name only once verified.

use chrono::NaiveDateTime;

use super::organization::{
    OrganizationAction, OrganizationDraft, OrganizationSpec, OrganizationStatus,
};
use crate::{DomainError, FieldError};

/// An organisation that takes part, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub id: String,
    pub spec: OrganizationSpec,
    pub status: OrganizationStatus,
    pub status_reason: Option<String>,
    pub created_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields of a registration that never change after it (a new registration is needed).
const FIXED: [&str; 3] = ["kind", "credit_code", "region_code"];

impl Organization {
    /// A new registration, `pending` until an official verifies it.
    pub fn register(
        spec: OrganizationSpec,
        id: String,
        created_by: Option<String>,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            spec,
            status: OrganizationStatus::Pending,
            status_reason: None,
            created_by,
            reviewed_by: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// An organisation acts in its own name (offers, campaigns, activities, projects,
    /// receiving donations) only once verified.
    pub fn acts(&self) -> bool {
        self.status == OrganizationStatus::Verified
    }

    /// The organisation after its members' `patch`: kind, credit code and region are fixed;
    /// what is not in the patch stays. A verified organisation stays verified unless its
    /// deduction qualification changed; a rejected one goes back to `pending` for another
    /// review (and its reviewer is forgotten when the status changes).
    pub fn edit(
        &self,
        patch: &OrganizationDraft,
        this_year: i32,
        now: NaiveDateTime,
    ) -> Result<Self, Vec<FieldError>> {
        Self::refuse_fixed(patch)?;
        let s = &self.spec;
        let merged = OrganizationDraft {
            kind: Some(s.kind.as_str().to_owned()),
            subtype: patch
                .subtype
                .clone()
                .or_else(|| s.subtype.map(|t| t.as_str().to_owned())),
            name: patch.name.clone().or_else(|| Some(s.name.clone())),
            credit_code: Some(s.credit_code.to_string()),
            region_code: Some(s.region.to_string()),
            contact_name: patch
                .contact_name
                .clone()
                .or_else(|| Some(s.contact_name.expose().to_owned())),
            contact_phone: patch
                .contact_phone
                .clone()
                .or_else(|| Some(s.contact_phone.expose().to_owned())),
            deduction_qualified_years: patch
                .deduction_qualified_years
                .clone()
                .or_else(|| Some(s.deduction_qualified_years.clone())),
            foundation_name: patch
                .foundation_name
                .clone()
                .or_else(|| s.foundation_name.clone()),
        };
        let spec = merged.parse(this_year)?;
        let status = self
            .status
            .after_edit(spec.deduction_qualified_years != self.spec.deduction_qualified_years);
        Ok(Self {
            reviewed_by: self.reviewed_by.clone().filter(|_| status == self.status),
            spec,
            status,
            status_reason: None,
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        })
    }

    /// A patch may not name the fields fixed at registration (kind, credit code, region).
    pub fn refuse_fixed(patch: &OrganizationDraft) -> Result<(), Vec<FieldError>> {
        let fixed: Vec<FieldError> = [
            patch.kind.is_some(),
            patch.credit_code.is_some(),
            patch.region_code.is_some(),
        ]
        .into_iter()
        .zip(FIXED)
        .filter(|(set, _)| *set)
        .map(|(_, k)| {
            FieldError::new(
                k,
                "not_settable",
                format!("{k} cannot be changed"),
                format!("不能修改 {k}"),
            )
        })
        .collect();
        if fixed.is_empty() { Ok(()) } else { Err(fixed) }
    }

    /// The organisation after an official's review (`reason` is required to reject).
    pub fn review(
        &self,
        action: OrganizationAction,
        reason: Option<String>,
        reviewer: &str,
        now: NaiveDateTime,
    ) -> Result<Self, DomainError> {
        Ok(Self {
            status: self.status.transition(action)?,
            status_reason: reason,
            reviewed_by: Some(reviewer.to_owned()),
            version: self.version + 1,
            updated_at: now,
            ..self.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_780_000_000, 0)
            .unwrap()
            .naive_utc()
    }

    fn foundation() -> Organization {
        let spec = OrganizationDraft {
            kind: Some("social_organization".into()),
            subtype: Some("foundation".into()),
            name: Some("辽宁省扶贫基金会".into()),
            credit_code: Some("91350100M000100Y43".into()),
            region_code: Some("210000".into()),
            contact_name: Some("王五".into()),
            contact_phone: Some("13912345678".into()),
            deduction_qualified_years: Some(vec![2025]),
            ..OrganizationDraft::default()
        }
        .parse(2026)
        .unwrap();
        Organization::register(spec, "o1".into(), Some("u1".into()), now())
    }

    #[test]
    fn it_acts_only_once_verified() {
        let o = foundation();
        assert_eq!(o.status, OrganizationStatus::Pending);
        assert!(!o.acts());
        let v = o
            .review(OrganizationAction::Verify, None, "official", now())
            .unwrap();
        assert!(v.acts());
        assert_eq!(v.reviewed_by.as_deref(), Some("official"));
        assert_eq!(v.version, 2);
        let r = o
            .review(
                OrganizationAction::Reject,
                Some("材料不全".into()),
                "official",
                now(),
            )
            .unwrap();
        assert!(!r.acts());
        assert_eq!(r.status_reason.as_deref(), Some("材料不全"));
        let again = v
            .review(OrganizationAction::Verify, None, "x", now())
            .unwrap_err();
        assert!(matches!(again, DomainError::InvalidTransition { .. }));
    }

    #[test]
    fn an_edit_keeps_what_it_does_not_name_and_refuses_fixed_fields() {
        let v = foundation()
            .review(OrganizationAction::Verify, None, "official", now())
            .unwrap();
        let renamed = v
            .edit(
                &OrganizationDraft {
                    name: Some("辽宁扶贫基金会".into()),
                    ..OrganizationDraft::default()
                },
                2026,
                now(),
            )
            .unwrap();
        assert_eq!(renamed.spec.name, "辽宁扶贫基金会");
        assert_eq!(renamed.spec.contact_phone, v.spec.contact_phone);
        assert_eq!(renamed.status, OrganizationStatus::Verified);
        assert_eq!(renamed.reviewed_by.as_deref(), Some("official"));
        assert_eq!(renamed.version, 3);

        let requalified = v
            .edit(
                &OrganizationDraft {
                    deduction_qualified_years: Some(vec![2025, 2026]),
                    ..OrganizationDraft::default()
                },
                2026,
                now(),
            )
            .unwrap();
        assert_eq!(requalified.status, OrganizationStatus::Pending);
        assert_eq!(requalified.reviewed_by, None);

        let errs = v
            .edit(
                &OrganizationDraft {
                    kind: Some("enterprise".into()),
                    region_code: Some("210900".into()),
                    ..OrganizationDraft::default()
                },
                2026,
                now(),
            )
            .unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "region_code"]);
        assert!(errs.iter().all(|e| e.code == "not_settable"));
    }
}
