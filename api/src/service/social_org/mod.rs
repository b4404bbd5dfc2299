//! 社会组织扶贫 (task 2) and the registry of every organisation that takes part: registering
//! one (by its first member or by an official of its place), its members' edits, the
//! officials' review, and "an organisation acts in its own name only once verified", which
//! every other area passes through ([`acting_organization`]).

use domain::identity::{Action, Principal, Role, today_in_china};
use domain::region::RegionCode;
use domain::social_org::{
    Organization, OrganizationAction, OrganizationDraft, OrganizationKind, OrganizationStatus,
};
use persistence::crypto::DataKeys;
use persistence::page::{Page, PageRequest};
use persistence::social_org::{self as store, OrganizationQuery};
use persistence::{DbConn, write_transaction};

use super::scope::{Reach, narrow, scope_of};
use super::{Audit, ErrorCode, RequestMeta, ServiceError, ServiceResult};
use crate::personal::{self, Disclosure, Subject};

fn this_year() -> i32 {
    use chrono::Datelike;
    today_in_china().year()
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// Register an organisation, `pending` until verified. An `org_member` without an
/// organisation registers their own and becomes its first member; officials and admins
/// register organisations of their region.
pub fn register(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    draft: &OrganizationDraft,
) -> ServiceResult<Organization> {
    let member = who.role() == Some(Role::OrgMember);
    if member && who.organization_id.is_some() {
        return Err(ServiceError::conflict(
            "您已属于一个组织。",
            "You already act for an organisation; one account acts for one.",
        ));
    }
    if !member {
        who.may(Action::ReviewOrganizations)?;
    }
    let spec = draft.parse(this_year()).map_err(ServiceError::validation)?;
    if !member && !who.sees(&spec.region) {
        return Err(ServiceError::field(
            "region_code",
            "outside_jurisdiction",
            "the region is outside your jurisdiction",
            "该地区不在您的管辖范围内",
        ));
    }
    write_transaction(conn, |conn| {
        if persistence::region::find(conn, &spec.region)?.is_none() {
            return Err(ServiceError::field(
                "region_code",
                "unknown_region",
                "no such region",
                "该地区不存在",
            ));
        }
        if store::credit_code_taken(conn, &spec.credit_code)? {
            return Err(ServiceError::conflict(
                "该统一社会信用代码已登记。",
                "An organisation with this credit code is already registered.",
            )
            .with_extension("field", "credit_code".into()));
        }
        let org = Organization::register(
            spec.clone(),
            uuid::Uuid::now_v7().to_string(),
            Some(who.id().to_owned()),
            now(),
        );
        store::insert(conn, keys, &org)?;
        if member {
            persistence::identity::users::set_organization(conn, who.id(), &org.id)?;
        }
        Audit::by(who, "organization.register")
            .on("organization", &org.id)
            .at(&org.spec.region)
            .record(conn, meta)?;
        Ok(org)
    })
}

/// The organisation `id` as the caller may see it: their own, or one in their jurisdiction
/// (404 otherwise).
pub fn load(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
) -> ServiceResult<Organization> {
    let org = store::find(conn, keys, id)?.ok_or_else(ServiceError::not_found)?;
    let own = who.organization_id.as_deref() == Some(org.id.as_str());
    let official = who.may(Action::ReadOrganizations).is_ok() && who.sees(&org.spec.region);
    if own || official {
        Ok(org)
    } else {
        Err(ServiceError::not_found())
    }
}

/// One organisation, its contact unmasked when asked for and allowed (audited).
pub fn get(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    reveal: bool,
) -> ServiceResult<(Organization, Disclosure)> {
    let org = load(conn, keys, who, id)?;
    if !reveal {
        return Ok((org, Disclosure::MASKED));
    }
    let own = who.organization_id.as_deref() == Some(org.id.as_str());
    let d = personal::reveal(
        conn,
        who,
        meta,
        &Subject {
            object_type: "organization",
            object_id: &org.id,
            place: Some(&org.spec.region),
            own,
        },
    )?;
    Ok((org, d))
}

/// What a list of organisations asks for.
#[derive(Debug, Clone)]
pub struct OrganizationFilter {
    /// This region and everything under it.
    pub region: Option<RegionCode>,
    pub kind: Option<OrganizationKind>,
    pub status: Option<OrganizationStatus>,
    pub page: PageRequest<String>,
}

impl OrganizationFilter {
    fn query(self, within: Option<RegionCode>) -> OrganizationQuery {
        OrganizationQuery {
            within,
            only_id: None,
            kind: self.kind,
            status: self.status,
            page: self.page,
        }
    }
}

/// Organisations: an official's jurisdiction's; a member's own.
pub fn list(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    filter: OrganizationFilter,
) -> ServiceResult<Page<Organization>> {
    let query = if who.may(Action::ReadOrganizations).is_ok() {
        let Reach::Within(within) = narrow(scope_of(who)?, filter.region.clone()) else {
            return Ok(Page::empty());
        };
        filter.query(within)
    } else {
        let own = who
            .organization_id
            .clone()
            .ok_or_else(ServiceError::forbidden)?;
        OrganizationQuery {
            only_id: Some(own),
            ..filter.query(None)
        }
    };
    Ok(store::list(conn, keys, &query)?)
}

/// Verified organisations, for anyone.
pub fn list_public(
    conn: &mut DbConn,
    keys: &DataKeys,
    filter: OrganizationFilter,
) -> ServiceResult<Page<Organization>> {
    let region = filter.region.clone();
    let query = OrganizationQuery {
        status: Some(OrganizationStatus::Verified),
        ..filter.query(region)
    };
    Ok(store::list(conn, keys, &query)?)
}

/// Its own members change an organisation (anyone else is told nothing: 404).
pub fn update(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    patch: &OrganizationDraft,
) -> ServiceResult<Organization> {
    Organization::refuse_fixed(patch).map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        let current = store::find(conn, keys, id)?.ok_or_else(ServiceError::not_found)?;
        if who.organization_id.as_deref() != Some(current.id.as_str()) {
            return Err(ServiceError::not_found());
        }
        let next = current
            .edit(patch, this_year(), now())
            .map_err(ServiceError::validation)?;
        if !store::update(conn, keys, &next, current.version)? {
            return Err(ServiceError::changed_meanwhile("组织信息", "organisation"));
        }
        Audit::by(who, "organization.update")
            .on("organization", &next.id)
            .at(&next.spec.region)
            .record(conn, meta)?;
        Ok(next)
    })
}

/// An official verifies or rejects (with a reason) a pending organisation of their place.
pub fn review(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    action: OrganizationAction,
    reason: Option<&str>,
) -> ServiceResult<Organization> {
    who.may(Action::ReviewOrganizations)?;
    let reason = match action {
        OrganizationAction::Reject => Some(domain::platform::parse_reason(reason)?),
        OrganizationAction::Verify => None,
    };
    write_transaction(conn, |conn| {
        let current = load(conn, keys, who, id)?;
        if !who.sees(&current.spec.region) {
            return Err(ServiceError::not_found());
        }
        let next = current.review(action, reason.clone(), who.id(), now())?;
        if !store::update(conn, keys, &next, current.version)? {
            return Err(ServiceError::changed_meanwhile("组织信息", "organisation"));
        }
        Audit::by(who, format!("organization.{}", action.as_str()))
            .on("organization", &next.id)
            .at(&next.spec.region)
            .record(conn, meta)?;
        Ok(next)
    })
}

/// The verified organisation an `org_member` acts for: 403 for other roles, 409
/// `organization_not_verified` while it has none or it is not verified. Everything an
/// organisation does in its own name (offers, campaigns, activities, projects) passes here.
pub fn acting_organization(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
) -> ServiceResult<Organization> {
    if who.role() != Some(Role::OrgMember) {
        return Err(ServiceError::forbidden());
    }
    let org = match who.organization_id.as_deref() {
        Some(id) => store::find(conn, keys, id)?,
        None => None,
    };
    org.filter(Organization::acts).ok_or_else(|| {
        ServiceError::new(
            ErrorCode::OrganizationNotVerified,
            "您的组织尚未通过认证。",
            "Your organisation is not verified yet.",
        )
    })
}
