//! What the API shows of an organisation: the full view (contact masked unless revealed)
//! and the public view (no contact person at all).

use serde::Serialize;
use utoipa::ToSchema;

use domain::identity::{PersonName, PhoneNumber};
use domain::social_org::{Organization, OrganizationKind, OrganizationStatus, SocialOrgSubtype};

use crate::http::pagination::Page;
use crate::personal::{Disclosure, Shown};

/// The body of `POST /organizations` (and, partly, of `PATCH`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"kind": "social_organization", "subtype": "foundation", "name": "阜新市扶贫基金会", "credit_code": "91350100M000100Y43", "region_code": "210900", "contact_name": "王五", "contact_phone": "13912345678", "deduction_qualified_years": [2025, 2026]}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::social_org::OrganizationDraft"
)]
pub struct OrganizationBody {
    #[schema(schema_with = crate::openapi::labelled::<OrganizationKind>)]
    kind: String,
    /// Social organisations only.
    #[schema(schema_with = crate::openapi::labelled_or_null::<SocialOrgSubtype>)]
    subtype: Option<String>,
    name: String,
    /// 统一社会信用代码, 18 characters with the GB 32100 check character.
    credit_code: String,
    /// Where it is registered (any level).
    region_code: String,
    contact_name: String,
    contact_phone: String,
    /// Social organisations: the years they hold the pre-tax deduction qualification.
    deduction_qualified_years: Option<Vec<i32>>,
    /// Enterprises: the poverty-alleviation foundation they set up.
    foundation_name: Option<String>,
}

/// An organisation; the contact's name and phone are masked unless revealed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: String,
    #[schema(schema_with = crate::openapi::labelled::<OrganizationKind>)]
    pub kind: String,
    #[schema(schema_with = crate::openapi::labelled_or_null::<SocialOrgSubtype>)]
    pub subtype: Option<String>,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    #[schema(value_type = String, example = "王*")]
    pub contact_name: Shown<PersonName>,
    #[schema(value_type = String, example = "139****5678")]
    pub contact_phone: Shown<PhoneNumber>,
    pub deduction_qualified_years: Vec<i32>,
    pub foundation_name: Option<String>,
    #[schema(schema_with = crate::openapi::labelled::<OrganizationStatus>)]
    pub status: String,
    pub status_reason: Option<String>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl OrganizationView {
    pub fn build(o: Organization, d: Disclosure) -> Self {
        let s = o.spec;
        Self {
            id: o.id,
            kind: s.kind.as_str().to_owned(),
            subtype: s.subtype.map(|t| t.as_str().to_owned()),
            name: s.name,
            credit_code: s.credit_code.to_string(),
            region_code: s.region.to_string(),
            contact_name: d.show(s.contact_name),
            contact_phone: d.show(s.contact_phone),
            deduction_qualified_years: s.deduction_qualified_years,
            foundation_name: s.foundation_name,
            status: o.status.as_str().to_owned(),
            status_reason: o.status_reason,
            version: o.version,
            created_at: o.created_at.and_utc(),
        }
    }

    pub fn masked(o: Organization) -> Self {
        Self::build(o, Disclosure::MASKED)
    }
}

/// A verified organisation as anyone may see it: no contact person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOrganizationView {
    pub id: String,
    #[schema(schema_with = crate::openapi::labelled::<OrganizationKind>)]
    pub kind: String,
    #[schema(schema_with = crate::openapi::labelled_or_null::<SocialOrgSubtype>)]
    pub subtype: Option<String>,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    /// Years it holds the donation pre-tax deduction qualification.
    pub deduction_qualified_years: Vec<i32>,
    pub foundation_name: Option<String>,
}

impl From<Organization> for PublicOrganizationView {
    fn from(o: Organization) -> Self {
        let s = o.spec;
        Self {
            id: o.id,
            kind: s.kind.as_str().to_owned(),
            subtype: s.subtype.map(|t| t.as_str().to_owned()),
            name: s.name,
            credit_code: s.credit_code.to_string(),
            region_code: s.region.to_string(),
            deduction_qualified_years: s.deduction_qualified_years,
            foundation_name: s.foundation_name,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationPage {
    pub items: Vec<OrganizationView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicOrganizationPage {
    pub items: Vec<PublicOrganizationView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Organization>> for OrganizationPage {
    fn from(page: Page<Organization>) -> Self {
        let page = page.map(OrganizationView::masked);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

impl From<Page<Organization>> for PublicOrganizationPage {
    fn from(page: Page<Organization>) -> Self {
        let page = page.map(PublicOrganizationView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}
