//! `/api/v1/organizations`: the organisations that take part, registered by one of their
//! members (who becomes its first member) or by an official, and verified by an official of
//! the place. `/api/v1/public/organizations` lists the verified ones.

use actix_web::http::header;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, PersonName, PhoneNumber, Principal, Role, today_in_china};
use domain::region::RegionCode;
use domain::social_org::{
    OrganizationAction, OrganizationDraft, OrganizationKind, OrganizationSpec, OrganizationStatus,
    SocialOrgSubtype,
};
use persistence::social_org::{self as store, OrganizationQuery, OrganizationRow};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::http::{etag, pagination};
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::personal::{Disclosure, Shown, Subject};
use crate::service::scope::{Reach, narrow, place_of, scope_of};
use crate::state::AppState;

/// Purpose-bound associated data of the encrypted contact phone.
const AAD_CONTACT_PHONE: &str = "organizations.contact_phone";

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(register_organization)
        .service(list_organizations)
        .service(list_public_organizations)
        .service(get_organization)
        .service(update_organization)
        .service(review_organization);
}

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

fn view(
    state: &AppState,
    row: &OrganizationRow,
    d: Disclosure,
) -> Result<OrganizationView, ApiError> {
    let bad = |e: domain::FieldError| ApiError::internal(format!("stored contact invalid: {e}"));
    let phone = state
        .data_keys
        .decrypt(&row.contact_phone_enc, AAD_CONTACT_PHONE)?;
    Ok(OrganizationView {
        id: row.id.clone(),
        kind: row.kind.clone(),
        subtype: row.subtype.clone(),
        name: row.name.clone(),
        credit_code: row.credit_code.clone(),
        region_code: row.region_code.clone(),
        contact_name: d.show(PersonName::parse(&row.contact_name).map_err(bad)?),
        contact_phone: d.show(PhoneNumber::parse(&phone).map_err(bad)?),
        deduction_qualified_years: row.qualified_years(),
        foundation_name: row.foundation_name.clone(),
        status: row.status.clone(),
        status_reason: row.status_reason.clone(),
        version: row.version,
        created_at: row.created_at.and_utc(),
    })
}

fn public_view(row: &OrganizationRow) -> PublicOrganizationView {
    PublicOrganizationView {
        id: row.id.clone(),
        kind: row.kind.clone(),
        subtype: row.subtype.clone(),
        name: row.name.clone(),
        credit_code: row.credit_code.clone(),
        region_code: row.region_code.clone(),
        deduction_qualified_years: row.qualified_years(),
        foundation_name: row.foundation_name.clone(),
    }
}

fn row_of(
    state: &AppState,
    spec: &OrganizationSpec,
    id: String,
    created_by: Option<String>,
) -> OrganizationRow {
    let now = chrono::Utc::now().naive_utc();
    OrganizationRow {
        id,
        kind: spec.kind.as_str().to_owned(),
        subtype: spec.subtype.map(|s| s.as_str().to_owned()),
        name: spec.name.clone(),
        credit_code: spec.credit_code.to_string(),
        region_code: spec.region.to_string(),
        contact_name: spec.contact_name.expose().to_owned(),
        contact_phone_enc: state
            .data_keys
            .encrypt(spec.contact_phone.expose(), AAD_CONTACT_PHONE),
        deduction_qualified_years: spec
            .deduction_qualified_years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
        foundation_name: spec.foundation_name.clone(),
        status: OrganizationStatus::Pending.as_str().to_owned(),
        status_reason: None,
        created_by,
        reviewed_by: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn this_year() -> i32 {
    use chrono::Datelike;
    today_in_china().year()
}

/// Register an organisation (status `pending` until an official verifies it). An
/// `org_member` without an organisation becomes its first member (refresh your token to act
/// for it); officials and admins may register organisations of their region.
#[utoipa::path(
    tag = "participants", operation_id = "register_organization", security(("bearer" = [])),
    request_body = OrganizationBody,
    responses(
        (status = 201, description = "Registered, pending verification", body = OrganizationView, headers(("Location" = String, description = "URL of the organisation"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/organizations")]
pub async fn register_organization(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<OrganizationDraft>,
) -> Result<HttpResponse, ApiError> {
    let member = caller.role() == Some(Role::OrgMember);
    if member && caller.organization_id.is_some() {
        return Err(ApiError::conflict(
            "您已属于一个组织。",
            "You already act for an organisation; one account acts for one.",
        ));
    }
    if !member && caller.may(Action::ReviewOrganizations).is_err() {
        return Err(ApiError::forbidden());
    }
    let spec = body.parse(this_year()).map_err(ApiError::validation)?;
    if !member && !caller.sees(&spec.region) {
        return Err(ApiError::validation(vec![domain::FieldError::new(
            "region_code",
            "outside_jurisdiction",
            "the region is outside your jurisdiction",
            "该地区不在您的管辖范围内",
        )]));
    }
    let principal = caller.principal.clone();
    let st = state.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                if persistence::region::find(conn, &spec.region)?.is_none() {
                    return Err(ApiError::validation(vec![domain::FieldError::new(
                        "region_code",
                        "unknown_region",
                        "no such region",
                        "该地区不存在",
                    )]));
                }
                if store::find_by_credit_code(conn, spec.credit_code.as_str())?.is_some() {
                    return Err(ApiError::conflict(
                        "该统一社会信用代码已登记。",
                        "An organisation with this credit code is already registered.",
                    )
                    .with_extension("field", "credit_code".into()));
                }
                let row = row_of(
                    &st,
                    &spec,
                    uuid::Uuid::now_v7().to_string(),
                    Some(principal.id().to_owned()),
                );
                store::insert(conn, &row)?;
                if member {
                    persistence::identity::users::set_organization(conn, principal.id(), &row.id)?;
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "organization.register",
                    Some(("organization", &row.id)),
                    Some(&spec.region),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/organizations/{}", row.id),
        ))
        .json(view(&state, &row, Disclosure::MASKED)?))
}

/// Loads an organisation the caller may see: their own, or one in their jurisdiction.
fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<OrganizationRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(ApiError::not_found)?;
    let own = principal.organization_id.as_deref() == Some(row.id.as_str());
    let official = principal.may(Action::ReadOrganizations).is_ok()
        && principal.sees(&place_of(&row.region_code)?);
    if own || official {
        Ok(row)
    } else {
        Err(ApiError::not_found())
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationParams {
    /// Unmasked contact (officials of the place, admins, the organisation's members; audited).
    pub reveal: Option<bool>,
}

/// One organisation (its members, officials of its place, admins).
#[utoipa::path(
    tag = "participants", operation_id = "get_organization", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id"), OrganizationParams),
    responses(
        (status = 200, description = "The organisation", body = OrganizationView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/organizations/{id}")]
pub async fn get_organization(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    params: web::Query<OrganizationParams>,
) -> Result<HttpResponse, ApiError> {
    let principal = caller.principal.clone();
    let reveal = params.reveal.unwrap_or(false);
    let (row, d) = state
        .db(move |conn| {
            let row = load(conn, &principal, &id)?;
            let d = if reveal {
                let place = place_of(&row.region_code)?;
                let own = principal.organization_id.as_deref() == Some(row.id.as_str());
                crate::personal::reveal(
                    conn,
                    &principal,
                    &meta,
                    &Subject {
                        object_type: "organization",
                        object_id: &row.id,
                        place: Some(&place),
                        own,
                    },
                )?
            } else {
                Disclosure::MASKED
            };
            Ok((row, d))
        })
        .await?;
    Ok(etag::respond(&req, &view(&state, &row, d)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    pub kind: Option<String>,
    /// `pending`, `verified`, `rejected`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
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

fn parse_list(
    p: &OrganizationListParams,
) -> Result<
    (
        pagination::PageRequest<String>,
        Option<RegionCode>,
        OrganizationQuery,
    ),
    ApiError,
> {
    let mut q = QueryReader::new();
    let region = q.region(p.region.as_deref());
    let kind = q.optional(p.kind.as_deref(), "kind", OrganizationKind::parse);
    let status = q.optional(p.status.as_deref(), "status", OrganizationStatus::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let query = OrganizationQuery {
        kind: kind.map(|k| k.as_str().to_owned()),
        status: status.map(|s| s.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
        ..OrganizationQuery::default()
    };
    Ok((page, region, query))
}

/// Organisations: an official's jurisdiction's; a member's own.
#[utoipa::path(
    tag = "participants", operation_id = "list_organizations", security(("bearer" = [])), params(OrganizationListParams),
    responses(
        (status = 200, description = "A page of organisations", body = OrganizationPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<OrganizationListParams>,
) -> Result<web::Json<OrganizationPage>, ApiError> {
    let (page, region, mut query) = parse_list(&params)?;
    if caller.may(Action::ReadOrganizations).is_ok() {
        let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
            return Ok(web::Json(OrganizationPage {
                items: vec![],
                next_cursor: None,
            }));
        };
        query.within = within;
    } else {
        let Some(own) = caller.organization_id.clone() else {
            return Err(ApiError::forbidden());
        };
        query.only_id = Some(own);
    }
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(OrganizationPage {
        items: rows
            .iter()
            .map(|r| view(&state, r, Disclosure::MASKED))
            .collect::<Result<_, _>>()?,
        next_cursor,
    }))
}

/// Verified organisations, for anyone.
#[utoipa::path(
    tag = "public", operation_id = "list_public_organizations", params(OrganizationListParams),
    responses(
        (status = 200, description = "A page of verified organisations", body = PublicOrganizationPage,
            headers(("Cache-Control" = String, description = "`public, max-age=60`"))),
        Always,
    )
)]
#[get("/public/organizations")]
pub async fn list_public_organizations(
    state: web::Data<AppState>,
    params: web::Query<OrganizationListParams>,
) -> Result<HttpResponse, ApiError> {
    let (page, region, mut query) = parse_list(&params)?;
    query.within = region;
    query.status = Some(OrganizationStatus::Verified.as_str().to_owned());
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, crate::http::etag::PUBLIC_CACHE))
        .json(PublicOrganizationPage {
            items: rows.iter().map(public_view).collect(),
            next_cursor,
        }))
}

/// Change your organisation's details (its members); name, contact, qualification years,
/// foundation. A rejected registration goes back to `pending` for another review.
#[utoipa::path(
    tag = "participants", operation_id = "update_organization", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id")),
    request_body(content = OrganizationBody, description = "Any of subtype, name, contact_name, contact_phone, deduction_qualified_years, foundation_name"),
    responses(
        (status = 200, description = "Changed", body = OrganizationView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<OrganizationDraft>,
) -> Result<web::Json<OrganizationView>, ApiError> {
    let patch = body.into_inner();
    let fixed: Vec<domain::FieldError> = [
        ("kind", patch.kind.is_some()),
        ("credit_code", patch.credit_code.is_some()),
        ("region_code", patch.region_code.is_some()),
    ]
    .into_iter()
    .filter(|(_, set)| *set)
    .map(|(k, _)| {
        domain::FieldError::new(
            k,
            "not_settable",
            format!("{k} cannot be changed"),
            format!("不能修改 {k}"),
        )
    })
    .collect();
    if !fixed.is_empty() {
        return Err(ApiError::validation(fixed));
    }
    let principal = caller.principal.clone();
    let st = state.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let current = store::find(conn, &id)?.ok_or_else(ApiError::not_found)?;
                // Only the organisation's own members change it; anyone else is told nothing.
                if principal.organization_id.as_deref() != Some(current.id.as_str()) {
                    return Err(ApiError::not_found());
                }
                let phone = st
                    .data_keys
                    .decrypt(&current.contact_phone_enc, AAD_CONTACT_PHONE)?;
                let merged = OrganizationDraft {
                    kind: Some(current.kind.clone()),
                    subtype: patch.subtype.clone().or_else(|| current.subtype.clone()),
                    name: patch.name.clone().or_else(|| Some(current.name.clone())),
                    credit_code: Some(current.credit_code.clone()),
                    region_code: Some(current.region_code.clone()),
                    contact_name: patch
                        .contact_name
                        .clone()
                        .or_else(|| Some(current.contact_name.clone())),
                    contact_phone: patch.contact_phone.clone().or(Some(phone)),
                    deduction_qualified_years: patch
                        .deduction_qualified_years
                        .clone()
                        .or_else(|| Some(current.qualified_years())),
                    foundation_name: patch
                        .foundation_name
                        .clone()
                        .or_else(|| current.foundation_name.clone()),
                };
                let spec = merged.parse(this_year()).map_err(ApiError::validation)?;
                let mut row = row_of(&st, &spec, current.id.clone(), current.created_by.clone());
                row.created_at = current.created_at;
                row.version = current.version + 1;
                let status = OrganizationStatus::parse(&current.status)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                row.status = status
                    .after_edit(row.deduction_qualified_years != current.deduction_qualified_years)
                    .as_str()
                    .to_owned();
                row.reviewed_by = current
                    .reviewed_by
                    .clone()
                    .filter(|_| row.status == current.status);
                if !store::update(conn, &row, current.version)? {
                    return Err(ApiError::conflict(
                        "组织信息已被修改，请重试。",
                        "The organisation changed meanwhile; retry.",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "organization.update",
                    Some(("organization", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(web::Json(view(&state, &row, Disclosure::MASKED)?))
}

/// A reason, required to reject.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    pub reason: Option<String>,
}

/// `verify` or `reject` (with a reason) a pending organisation of your jurisdiction.
#[utoipa::path(
    tag = "participants", operation_id = "review_organization", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id"), ("action" = String, Path, description = "`verify` or `reject`")),
    request_body(content = Option<ReviewBody>, description = "`reason` is required to reject"),
    responses(
        (status = 200, description = "Reviewed", body = OrganizationView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/organizations/{id}/{action}")]
pub async fn review_organization(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<ReviewBody>>,
) -> Result<web::Json<OrganizationView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = OrganizationAction::parse(&action).map_err(|_| ApiError::not_found())?;
    caller
        .may(Action::ReviewOrganizations)
        .map_err(|_| ApiError::forbidden())?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let reason = match action {
        OrganizationAction::Reject => Some(domain::platform::parse_reason(reason.as_deref())?),
        OrganizationAction::Verify => None,
    };
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let current = load(conn, &principal, &id)?;
                if !principal.sees(&place_of(&current.region_code)?) {
                    return Err(ApiError::not_found());
                }
                let status = OrganizationStatus::parse(&current.status)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let next = status.transition(action)?;
                let mut row = current.clone();
                row.status = next.as_str().to_owned();
                row.status_reason = reason.clone();
                row.reviewed_by = Some(principal.id().to_owned());
                row.version += 1;
                row.updated_at = chrono::Utc::now().naive_utc();
                if !store::update(conn, &row, current.version)? {
                    return Err(ApiError::conflict(
                        "组织信息已被修改，请重试。",
                        "The organisation changed meanwhile; retry.",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    &format!("organization.{}", action.as_str()),
                    Some(("organization", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(web::Json(view(&state, &row, Disclosure::MASKED)?))
}

/// The verified organisation an `org_member` acts for: 403 for other roles, 409
/// `organization_not_verified` while it has none or it is not verified. Everything an
/// organisation does in its own name (offers, campaigns, activities, projects) passes here.
pub fn acting_organization(
    conn: &mut DbConn,
    caller: &Principal,
) -> Result<OrganizationRow, ApiError> {
    if caller.role() != Some(Role::OrgMember) {
        return Err(ApiError::forbidden());
    }
    let org = caller
        .organization_id
        .as_deref()
        .map(|id| store::find(conn, id))
        .transpose()?
        .flatten();
    match org {
        Some(o) if OrganizationStatus::parse(&o.status) == Ok(OrganizationStatus::Verified) => {
            Ok(o)
        }
        _ => Err(ApiError::new(
            actix_web::http::StatusCode::CONFLICT,
            "organization_not_verified",
            "您的组织尚未通过认证。",
            "Your organisation is not verified yet.",
        )),
    }
}
