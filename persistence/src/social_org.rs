//! Organisations that take part (社会组织, enterprises, designated units, departments,
//! people's organisations) and their verification. The contact phone is encrypted at rest;
//! rows decode into [`domain::social_org::Organization`].

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::identity::{PersonName, PhoneNumber};
use domain::region::RegionCode;
use domain::social_org::{
    CreditCode, Organization, OrganizationKind, OrganizationSpec, OrganizationStatus,
    SocialOrgSubtype,
};

use crate::crypto::{DataKeys, Keyed};
use crate::page::{Page, PageRequest};
use crate::schema::organizations as o;
use crate::{DbConn, PersistenceError};

/// Purpose-bound associated data of the encrypted contact phone.
const AAD_CONTACT_PHONE: &str = "organizations.contact_phone";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = o)]
pub(crate) struct OrganizationRow {
    pub(crate) id: String,
    kind: String,
    subtype: Option<String>,
    pub(crate) name: String,
    credit_code: String,
    pub(crate) region_code: String,
    contact_name: String,
    contact_phone_enc: String,
    /// Space-separated years.
    deduction_qualified_years: String,
    foundation_name: Option<String>,
    status: String,
    status_reason: Option<String>,
    created_by: Option<String>,
    reviewed_by: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl OrganizationRow {
    fn of(org: &Organization, keys: &DataKeys) -> Self {
        let s = &org.spec;
        Self {
            id: org.id.clone(),
            kind: s.kind.as_str().to_owned(),
            subtype: s.subtype.map(|t| t.as_str().to_owned()),
            name: s.name.clone(),
            credit_code: s.credit_code.to_string(),
            region_code: s.region.to_string(),
            contact_name: s.contact_name.expose().to_owned(),
            contact_phone_enc: keys.encrypt(s.contact_phone.expose(), AAD_CONTACT_PHONE),
            deduction_qualified_years: s
                .deduction_qualified_years
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            foundation_name: s.foundation_name.clone(),
            status: org.status.as_str().to_owned(),
            status_reason: org.status_reason.clone(),
            created_by: org.created_by.clone(),
            reviewed_by: org.reviewed_by.clone(),
            version: org.version,
            created_at: org.created_at,
            updated_at: org.updated_at,
        }
    }
}

impl TryFrom<Keyed<'_, OrganizationRow>> for Organization {
    type Error = PersistenceError;

    fn try_from(k: Keyed<'_, OrganizationRow>) -> Result<Self, PersistenceError> {
        let r = k.row;
        let phone = k.keys.decrypt(&r.contact_phone_enc, AAD_CONTACT_PHONE)?;
        let years = r
            .deduction_qualified_years
            .split(' ')
            .filter(|y| !y.is_empty())
            .map(|y| {
                y.parse()
                    .map_err(|_| PersistenceError::Corrupt(format!("qualification year {y:?}")))
            })
            .collect::<Result<Vec<i32>, _>>()?;
        Ok(Organization {
            spec: OrganizationSpec {
                kind: OrganizationKind::parse(&r.kind)?,
                subtype: r
                    .subtype
                    .as_deref()
                    .map(SocialOrgSubtype::parse)
                    .transpose()?,
                name: r.name,
                credit_code: CreditCode::parse(&r.credit_code)?,
                region: RegionCode::parse(&r.region_code)?,
                contact_name: PersonName::parse(&r.contact_name)?,
                contact_phone: PhoneNumber::parse(&phone)?,
                deduction_qualified_years: years,
                foundation_name: r.foundation_name,
            },
            id: r.id,
            status: OrganizationStatus::parse(&r.status)?,
            status_reason: r.status_reason,
            created_by: r.created_by,
            reviewed_by: r.reviewed_by,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

pub(crate) fn decode(
    rows: Vec<OrganizationRow>,
    keys: &DataKeys,
) -> Result<Vec<Organization>, PersistenceError> {
    rows.into_iter()
        .map(|row| Organization::try_from(Keyed::new(row, keys)))
        .collect()
}

pub fn insert(
    conn: &mut DbConn,
    keys: &DataKeys,
    org: &Organization,
) -> Result<(), PersistenceError> {
    diesel::insert_into(o::table)
        .values(OrganizationRow::of(org, keys))
        .execute(conn)?;
    Ok(())
}

pub fn find(
    conn: &mut DbConn,
    keys: &DataKeys,
    id: &str,
) -> Result<Option<Organization>, PersistenceError> {
    o::table
        .find(id)
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?
        .map(|row| Organization::try_from(Keyed::new(row, keys)))
        .transpose()
}

/// Whether an organisation with this id is registered.
pub fn exists(conn: &mut DbConn, id: &str) -> Result<bool, PersistenceError> {
    Ok(diesel::select(diesel::dsl::exists(o::table.find(id))).get_result(conn)?)
}

/// Whether an organisation with this credit code is registered.
pub fn credit_code_taken(conn: &mut DbConn, code: &CreditCode) -> Result<bool, PersistenceError> {
    Ok(diesel::select(diesel::dsl::exists(
        o::table.filter(o::credit_code.eq(code.as_str())),
    ))
    .get_result(conn)?)
}

/// Replaces the stored organisation if its version is still `expected_version`.
pub fn update(
    conn: &mut DbConn,
    keys: &DataKeys,
    org: &Organization,
    expected_version: i32,
) -> Result<bool, PersistenceError> {
    let row = OrganizationRow::of(org, keys);
    Ok(diesel::update(
        o::table
            .find(&row.id)
            .filter(o::version.eq(expected_version)),
    )
    .set((
        o::subtype.eq(&row.subtype),
        o::name.eq(&row.name),
        o::contact_name.eq(&row.contact_name),
        o::contact_phone_enc.eq(&row.contact_phone_enc),
        o::deduction_qualified_years.eq(&row.deduction_qualified_years),
        o::foundation_name.eq(&row.foundation_name),
        o::status.eq(&row.status),
        o::status_reason.eq(&row.status_reason),
        o::reviewed_by.eq(&row.reviewed_by),
        o::version.eq(row.version),
        o::updated_at.eq(row.updated_at),
    ))
    .execute(conn)?
        == 1)
}

#[derive(Debug, Clone)]
pub struct OrganizationQuery {
    pub within: Option<RegionCode>,
    pub only_id: Option<String>,
    pub kind: Option<OrganizationKind>,
    pub status: Option<OrganizationStatus>,
    pub page: PageRequest<String>,
}

pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    q: &OrganizationQuery,
) -> Result<Page<Organization>, PersistenceError> {
    let mut query = o::table
        .select(OrganizationRow::as_select())
        .order(o::id)
        .limit(q.page.fetch())
        .into_boxed();
    query = crate::keyset_in_subtree!(
        query,
        region = o::region_code,
        within = q.within.as_ref(),
        key = o::id,
        after = q.page.after.as_ref()
    );
    if let Some(v) = &q.only_id {
        query = query.filter(o::id.eq(v.clone()));
    }
    if let Some(v) = q.kind {
        query = query.filter(o::kind.eq(v.as_str()));
    }
    if let Some(v) = q.status {
        query = query.filter(o::status.eq(v.as_str()));
    }
    let rows = decode(query.load(conn)?, keys)?;
    Ok(Page::from_fetched(rows, q.page.limit, |o| o.id.clone()))
}
