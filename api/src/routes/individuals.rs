//! Individuals (task 3, 个人扶贫): the work unit a donor or volunteer names, its confirmation
//! by the unit or an official of its place, a person's own participation in a year, and the
//! "lead by example" tally of public bodies' staff by work unit.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, Principal, Role, today_in_china};
use domain::individual::{
    AffiliationAction, AffiliationStatus, Participation, WorkUnitTally, check_work_unit,
    tally_by_unit,
};
use domain::input::calendar_year;
use domain::social_org::Organization;
use domain::social_org::OrganizationKind;
use persistence::crypto::DataKeys;
use persistence::individual::{self as store, AffiliationRow, Decision, StaffQuery, UnitQuery};
use persistence::{DbConn, read_snapshot, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(claim_work_unit)
        .service(get_work_unit)
        .service(withdraw_work_unit)
        .service(my_participation)
        .service(list_staff)
        .service(decide_staff)
        .service(work_unit_participation);
}

/// The body of `PUT /me/work-unit`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f"}))]
pub struct WorkUnitBody {
    /// A verified government department, designated unit or people's organisation.
    pub organization_id: String,
}

/// A person's work unit and whether the unit confirmed it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "0193a6f4-7a10-7c2e-9d41-2f8e3b6c1a05", "organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "organization_name": "阜新市民政局", "status": "confirmed", "status_reason": null, "claimed_at": "2026-11-20T02:15:00Z", "decided_at": "2026-11-21T01:30:00Z"}))]
pub struct WorkUnitView {
    pub user_id: String,
    pub organization_id: String,
    pub organization_name: String,
    /// `pending`, `confirmed`, `rejected`; only confirmed staff count for the unit.
    #[schema(schema_with = crate::openapi::labelled::<AffiliationStatus>)]
    pub status: String,
    pub status_reason: Option<String>,
    pub claimed_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn work_unit_view(row: &AffiliationRow, unit: &Organization) -> WorkUnitView {
    WorkUnitView {
        user_id: row.user_id.clone(),
        organization_id: row.organization_id.clone(),
        organization_name: unit.spec.name.clone(),
        status: row.status.clone(),
        status_reason: row.status_reason.clone(),
        claimed_at: row.claimed_at.and_utc(),
        decided_at: row.decided_at.map(|t| t.and_utc()),
    }
}

/// Donors and volunteers take part as individuals; organisation members act for their
/// organisation, officials oversee.
fn individual(caller: &Principal) -> Result<(), ApiError> {
    match caller.role() {
        Some(Role::Donor | Role::Volunteer) => Ok(()),
        _ => Err(ApiError::forbidden()),
    }
}

fn unit(conn: &mut DbConn, keys: &DataKeys, id: &str) -> Result<Organization, ApiError> {
    persistence::social_org::find(conn, keys, id)?.ok_or_else(ApiError::not_found)
}

/// Name your work unit (donors and volunteers). The claim is pending until a member of the
/// unit or an official of its place confirms it; naming another unit starts again, naming
/// the same one again changes nothing.
#[utoipa::path(
    tag = "participants", operation_id = "claim_work_unit", security(("bearer" = [])),
    request_body = WorkUnitBody,
    responses(
        (status = 200, description = "Claimed, pending confirmation", body = WorkUnitView),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[put("/me/work-unit")]
pub async fn claim_work_unit(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<WorkUnitBody>,
) -> Result<web::Json<WorkUnitView>, ApiError> {
    let keys = state.data_keys.clone();
    individual(&caller)?;
    let principal = caller.principal.clone();
    let organization_id = body.into_inner().organization_id;
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let org = persistence::social_org::find(conn, &keys, &organization_id)?
                    .ok_or_else(|| {
                        ApiError::validation(vec![FieldError::new(
                            "organization_id",
                            "unknown_organization",
                            "no such organisation",
                            "没有该组织",
                        )])
                    })?;
                check_work_unit(org.spec.kind, org.status, "organization_id")
                    .map_err(|e| ApiError::validation(vec![e]))?;
                // Naming the same unit again (a retried PUT) changes nothing: a confirmed
                // person stays confirmed.
                if let Some(same) =
                    store::find(conn, principal.id())?.filter(|c| c.organization_id == org.id)
                {
                    return Ok(work_unit_view(&same, &org));
                }
                let row = AffiliationRow {
                    user_id: principal.id().to_owned(),
                    organization_id: org.id.clone(),
                    status: AffiliationStatus::Pending.as_str().to_owned(),
                    status_reason: None,
                    claimed_at: chrono::Utc::now().naive_utc(),
                    decided_by: None,
                    decided_at: None,
                };
                store::claim(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "work_unit.claim",
                    Some(("organization", &org.id)),
                    Some(&org.spec.region.clone()),
                    true,
                    None,
                )?;
                Ok(work_unit_view(&row, &org))
            })
        })
        .await?;
    Ok(web::Json(view))
}

/// Your work unit and its confirmation.
#[utoipa::path(
    tag = "participants", operation_id = "get_work_unit", security(("bearer" = [])),
    responses(
        (status = 200, description = "Your work unit", body = WorkUnitView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/me/work-unit")]
pub async fn get_work_unit(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<WorkUnitView>, ApiError> {
    let keys = state.data_keys.clone();
    let me = caller.id().to_owned();
    let view = state
        .db(move |conn| {
            let row = store::find(conn, &me)?.ok_or_else(ApiError::not_found)?;
            let org = unit(conn, &keys, &row.organization_id)?;
            Ok(work_unit_view(&row, &org))
        })
        .await?;
    Ok(web::Json(view))
}

/// Stop naming a work unit; your participation no longer counts for it.
#[utoipa::path(
    tag = "participants", operation_id = "withdraw_work_unit", security(("bearer" = [])),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/me/work-unit")]
pub async fn withdraw_work_unit(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let principal = caller.principal.clone();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                if !store::withdraw(conn, principal.id())? {
                    return Err(ApiError::not_found());
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "work_unit.withdraw",
                    Some(("user", principal.id())),
                    None,
                    true,
                    None,
                )
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The calendar year; default this year.
    pub year: Option<i32>,
}

fn year_of(year: Option<i32>) -> Result<(i32, chrono::NaiveDate, chrono::NaiveDate), ApiError> {
    let year = year.unwrap_or_else(|| today_in_china().year());
    let (from, until) =
        calendar_year(year, "year").map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    Ok((year, from, until))
}

/// What a person, or a unit's staff together, did in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationView {
    /// Donations (爱心捐赠) and their amount.
    pub donations: i64,
    pub donated_fen: i64,
    /// Volunteer hours (志愿服务) the organisers certified; uncertified hours never count.
    pub volunteer_hours: f64,
    /// Pairings with households or villages (结对帮扶) in effect during the year.
    pub pairings: i64,
    /// Pledges whose delivery the household side confirmed.
    pub confirmed_pledges: i64,
    /// Campaigns joined (visits 访贫慰问, kinship pairing 结对认亲, fund-raising …).
    pub campaigns_joined: i64,
}

impl From<Participation> for ParticipationView {
    fn from(p: Participation) -> Self {
        ParticipationView {
            donations: p.donations,
            donated_fen: p.donated_fen,
            volunteer_hours: p.volunteer_tenths as f64 / 10.0,
            pairings: p.pairings,
            confirmed_pledges: p.confirmed_pledges,
            campaigns_joined: p.campaigns_joined,
        }
    }
}

/// One person's year.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyParticipation {
    pub year: i32,
    #[serde(flatten)]
    pub participation: ParticipationView,
}

/// Your participation in a year, in every form the policy names.
#[utoipa::path(
    tag = "participants", operation_id = "my_participation", security(("bearer" = [])), params(YearParams),
    responses(
        (status = 200, description = "Your year", body = MyParticipation),
        Always, SignedIn,
    )
)]
#[get("/me/participation")]
pub async fn my_participation(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<YearParams>,
) -> Result<web::Json<MyParticipation>, ApiError> {
    let (year, from, until) = year_of(params.year)?;
    let me = caller.id().to_owned();
    let mine = state
        .db(move |conn| Ok(store::participation_of_person(conn, &me, from, until)?))
        .await?;
    Ok(web::Json(MyParticipation {
        year,
        participation: mine.into(),
    }))
}

/// Whether the caller speaks for the unit: one of its members, or (to decide) an official
/// whose jurisdiction holds it; readers of participation of its place may look.
fn speaks_for(principal: &Principal, org: &Organization, deciding: bool) -> Result<bool, ApiError> {
    if principal.organization_id.as_deref() == Some(org.id.as_str()) {
        return Ok(true);
    }
    let action = if deciding {
        Action::ReviewOrganizations
    } else {
        Action::ReadParticipation
    };
    Ok(principal.may(action).is_ok() && principal.sees(&org.spec.region.clone()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffParams {
    /// `pending`, `confirmed` or `rejected`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A person who named the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub user_id: String,
    /// Their public display name, when they gave one.
    pub display_name: Option<String>,
    #[schema(schema_with = crate::openapi::labelled::<AffiliationStatus>)]
    pub status: String,
    pub status_reason: Option<String>,
    pub claimed_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffPage {
    pub items: Vec<StaffView>,
    pub next_cursor: Option<String>,
}

/// The people who named this organisation as their work unit (its members; officials and
/// evaluators of its place).
#[utoipa::path(
    tag = "participants", operation_id = "list_staff", security(("bearer" = [])),
    params(("id" = String, Path, description = "Organisation id"), StaffParams),
    responses(
        (status = 200, description = "A page of claims", body = StaffPage),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/organizations/{id}/staff")]
pub async fn list_staff(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
    params: web::Query<StaffParams>,
) -> Result<web::Json<StaffPage>, ApiError> {
    let keys = state.data_keys.clone();
    let mut q = QueryReader::new();
    let status = q.optional(params.status.as_deref(), "status", AffiliationStatus::parse);
    let page = q.page::<String>(params.limit, params.cursor.as_deref())?;
    let principal = caller.principal.clone();
    let query = StaffQuery {
        organization_id: id.into_inner(),
        status: status.map(|s| s.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state
        .db(move |conn| {
            let org = unit(conn, &keys, &query.organization_id)?;
            if !speaks_for(&principal, &org, false)? {
                return Err(ApiError::not_found());
            }
            Ok(store::list_staff(conn, &query)?)
        })
        .await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |(r, _)| r.user_id.clone());
    Ok(web::Json(StaffPage {
        items: rows
            .into_iter()
            .map(|(r, display_name)| StaffView {
                user_id: r.user_id,
                display_name,
                status: r.status,
                status_reason: r.status_reason,
                claimed_at: r.claimed_at.and_utc(),
                decided_at: r.decided_at.map(|t| t.and_utc()),
            })
            .collect(),
        next_cursor,
    }))
}

/// A reason, required to reject.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "本单位无此职工"}))]
pub struct DecisionBody {
    pub reason: Option<String>,
}

/// `confirm` or `reject` (with a reason) a pending claim on your unit (its members; officials
/// whose jurisdiction holds it).
#[utoipa::path(
    tag = "participants", operation_id = "decide_staff", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Organisation id"),
        ("user_id" = String, Path, description = "The claimant"),
        ("action" = String, Path, description = "`confirm` or `reject`"),
    ),
    request_body(content = Option<DecisionBody>, description = "`reason` is required to reject"),
    responses(
        (status = 200, description = "Decided", body = WorkUnitView),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/organizations/{id}/staff/{user_id}/{action}")]
pub async fn decide_staff(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String, String)>,
    body: Option<web::Json<DecisionBody>>,
) -> Result<web::Json<WorkUnitView>, ApiError> {
    let keys = state.data_keys.clone();
    let (id, user_id, action) = path.into_inner();
    let action = AffiliationAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let reason = body.and_then(|b| b.into_inner().reason);
    let principal = caller.principal.clone();
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let org = unit(conn, &keys, &id)?;
                if !speaks_for(&principal, &org, true)? {
                    return Err(ApiError::not_found());
                }
                let reason = match action {
                    AffiliationAction::Reject => {
                        Some(domain::platform::parse_reason(reason.as_deref())?)
                    }
                    AffiliationAction::Confirm => None,
                };
                let claim = store::find(conn, &user_id)?
                    .filter(|c| c.organization_id == org.id)
                    .ok_or_else(ApiError::not_found)?;
                let current = AffiliationStatus::parse(&claim.status)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let next = current.transition(action)?;
                let now = chrono::Utc::now().naive_utc();
                let decision = Decision {
                    user_id: &claim.user_id,
                    organization_id: &org.id,
                    from: current.as_str(),
                    to: next.as_str(),
                    reason: reason.as_deref(),
                    by: principal.id(),
                    at: now,
                };
                if !store::decide(conn, &decision)? {
                    return Err(ApiError::conflict(
                        "该单位确认申请已被处理或已更改，请刷新后重试。",
                        "The claim was decided or changed meanwhile; reload and retry.",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    &format!("work_unit.{}", action.as_str()),
                    Some(("user", &claim.user_id)),
                    Some(&org.spec.region.clone()),
                    true,
                    Some(serde_json::json!({"organization_id": org.id})),
                )?;
                let row = AffiliationRow {
                    status: next.as_str().to_owned(),
                    status_reason: reason.clone(),
                    decided_by: Some(principal.id().to_owned()),
                    decided_at: Some(now),
                    ..claim
                };
                Ok(work_unit_view(&row, &org))
            })
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitParams {
    /// The calendar year; default this year.
    pub year: Option<i32>,
    /// Units registered in this region (within the caller's own).
    pub region: Option<String>,
    /// `government_department`, `designated_unit` or `people_organization`.
    pub kind: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// A work unit's "lead by example" tally.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "name": "阜新市民政局", "kind": "government_department", "region_code": "210900", "staff": 120, "participating_staff": 87, "participation_per_mille": 725, "donations": 214, "donated_fen": 6420000, "volunteer_hours": 356.5, "pairings": 31, "confirmed_pledges": 12, "campaigns_joined": 64}))]
pub struct WorkUnitParticipation {
    pub organization_id: String,
    pub name: String,
    #[schema(schema_with = crate::openapi::labelled::<OrganizationKind>)]
    pub kind: String,
    pub region_code: String,
    /// Confirmed staff.
    pub staff: i64,
    /// Confirmed staff who took part in any form during the year, each counted once.
    pub participating_staff: i64,
    /// Participating staff per thousand staff.
    pub participation_per_mille: i64,
    /// What the participating staff did, summed.
    #[serde(flatten)]
    pub totals: ParticipationView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkUnitPage {
    pub year: i32,
    pub items: Vec<WorkUnitParticipation>,
    pub next_cursor: Option<String>,
}

/// The participation of public bodies' staff by work unit in a year (带头示范): units of the
/// caller's jurisdiction with confirmed staff, in id order (officials, evaluators, integration
/// clients with `platform:read`).
#[utoipa::path(
    tag = "participants", operation_id = "work_unit_participation", security(("bearer" = [])), params(UnitParams),
    responses(
        (status = 200, description = "A page of work units", body = WorkUnitPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/individuals/work-units")]
pub async fn work_unit_participation(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<UnitParams>,
) -> Result<web::Json<WorkUnitPage>, ApiError> {
    caller
        .may(Action::ReadParticipation)
        .map_err(|_| ApiError::forbidden())?;
    let year = params.year.unwrap_or_else(|| today_in_china().year());
    let mut q = QueryReader::new();
    let range = q.optional(Some(year), "year", |y| calendar_year(y, "year"));
    let region = q.region(params.region.as_deref());
    let kind = q.optional(params.kind.as_deref(), "kind", OrganizationKind::parse);
    let page = q.page::<String>(params.limit, params.cursor.as_deref())?;
    let (from, until) = range.ok_or_else(|| ApiError::internal("year checked above"))?;
    let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
        return Ok(web::Json(WorkUnitPage {
            year,
            items: vec![],
            next_cursor: None,
        }));
    };
    let query = UnitQuery {
        within,
        kind: kind.map(|k| k.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let keys = state.data_keys.clone();
    let (units, tallies) = state
        .db(move |conn| read_snapshot(conn, |conn| tally_page(conn, &keys, &query, from, until)))
        .await?;
    let (units, next_cursor) = pagination::finish(units, page.limit, |u| u.id.clone());
    let items = units
        .into_iter()
        .map(|u| {
            let t = tallies.get(&u.id).copied().unwrap_or_default();
            unit_row(u, t)
        })
        .collect();
    Ok(web::Json(WorkUnitPage {
        year,
        items,
        next_cursor,
    }))
}

/// A page of units and their tallies, read on one snapshot so a claim decided meanwhile
/// cannot make the staff and their participation disagree.
fn tally_page(
    conn: &mut DbConn,
    keys: &DataKeys,
    query: &UnitQuery,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> Result<(Vec<Organization>, BTreeMap<String, WorkUnitTally>), ApiError> {
    let units = store::units_with_staff(conn, keys, query)?;
    let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
    let staff = store::confirmed_staff(conn, &ids)?;
    let participation = store::participation_of_staff(conn, &ids, from, until)?;
    let tallies = tally_by_unit(
        staff.iter().map(|(u, p)| (u.as_str(), p.as_str())),
        &participation,
    );
    Ok((units, tallies))
}

fn unit_row(u: Organization, t: WorkUnitTally) -> WorkUnitParticipation {
    WorkUnitParticipation {
        organization_id: u.id,
        name: u.spec.name,
        kind: u.spec.kind.as_str().to_owned(),
        region_code: u.spec.region.to_string(),
        staff: t.staff,
        participating_staff: t.participating,
        participation_per_mille: t.per_mille(),
        totals: t.totals.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_shown_in_hours() {
        let v = ParticipationView::from(Participation {
            volunteer_tenths: 35,
            ..Participation::default()
        });
        assert!((v.volunteer_hours - 3.5).abs() < f64::EPSILON);
    }
}
