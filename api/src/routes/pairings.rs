//! `/api/v1/pairings` (结对帮扶 / 结对认亲): a lasting relationship between a participant and
//! a household or village, active once both sides consented: the participant by proposing,
//! the household side (its village cadre or an official of the place) by accepting.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, Principal, today_in_china as today};
use domain::platform::{
    Beneficiary, PairingAction, PairingKind, PairingStatus, parse_note, parse_period,
};
use persistence::platform::pairings::{self as store, PairingQuery, PairingRow};
use persistence::platform::pledges::{self, PledgeQuery};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::routes::platform_views::{PairingView, resolve_place};
use crate::service::scope::{Reach, narrow, place_of, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(propose_pairing)
        .service(list_pairings)
        .service(get_pairing)
        .service(act_on_pairing);
}

/// The body of `POST /pairings`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"household_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "kind": "kinship", "starts_on": "2026-12-01", "note": "每季度走访一次"}))]
pub struct PairingBody {
    /// A registered household (or give `village_id`).
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    /// `assistance` (结对帮扶) or `kinship` (结对认亲).
    #[schema(schema_with = crate::openapi::labelled::<PairingKind>)]
    pub kind: String,
    /// `YYYY-MM-DD`; default today.
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub note: Option<String>,
}

fn beneficiary(b: &PairingBody) -> Result<Beneficiary, FieldError> {
    match (&b.household_id, &b.village_id) {
        (Some(h), None) => Ok(Beneficiary::Household(h.clone())),
        (None, Some(v)) => Ok(Beneficiary::Village(v.clone())),
        (Some(_), Some(_)) => Err(FieldError::new(
            "village_id",
            "exclusive",
            "a pairing is with a household or a village, not both",
            "结对对象只能是一个贫困户或一个贫困村",
        )),
        (None, None) => Err(FieldError::new(
            "household_id",
            "required",
            "give household_id or village_id",
            "请填写 household_id 或 village_id",
        )),
    }
}

/// Propose a pairing with a registered household or poor village (你自愿，对方同意后生效).
#[utoipa::path(
    tag = "platform", operation_id = "propose_pairing", security(("bearer" = [])),
    request_body = PairingBody,
    responses(
        (status = 201, description = "Proposed; active once the household side accepts", body = PairingView, headers(("Location" = String, description = "URL of the pairing"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pairings")]
pub async fn propose_pairing(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<PairingBody>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::Give)
        .map_err(|_| ApiError::forbidden())?;
    let body = body.into_inner();
    let mut errors = Vec::new();
    let who = beneficiary(&body).map_err(|e| errors.push(e)).ok();
    let kind = PairingKind::parse(&body.kind)
        .map_err(|e| errors.push(e))
        .ok();
    let period = parse_period(body.starts_on.as_deref(), body.ends_on.as_deref(), today())
        .map_err(|e| errors.extend(e))
        .ok();
    let note = parse_note(body.note.as_deref())
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(who), Some(kind), Some((starts_on, ends_on)), Some(note), true) =
        (who, kind, period, note, errors.is_empty())
    else {
        return Err(ApiError::validation(errors));
    };
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                // Participants have no jurisdiction: any registered household may be chosen.
                let place = resolve_place(conn, None, &who)?;
                let now = chrono::Utc::now().naive_utc();
                let row = PairingRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    participant_id: principal.id().to_owned(),
                    organization_id: principal.organization_id.clone(),
                    household_id: place.household_id,
                    village_id: place.village_id,
                    region_code: place.region.to_string(),
                    county_code: place
                        .region
                        .county()
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                    pseudonym: place.pseudonym,
                    place_name: place.place_name,
                    kind: kind.as_str().to_owned(),
                    status: PairingStatus::Proposed.as_str().to_owned(),
                    starts_on,
                    ends_on,
                    note,
                    participant_consented_at: now,
                    household_consented_at: None,
                    household_consent_by: None,
                    status_reason: None,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                store::insert(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "pairing.propose",
                    Some(("pairing", &row.id)),
                    Some(&place.region),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/pairings/{}", row.id)))
        .json(PairingView::build(&row, vec![], false)))
}

/// Whether the caller speaks for the pairing's household side.
fn household_side(principal: &Principal, row: &PairingRow) -> Result<bool, ApiError> {
    Ok(principal.may(Action::ActForHouseholds).is_ok()
        && principal.sees(&place_of(&row.region_code)?))
}

fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<PairingRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(ApiError::not_found)?;
    let official =
        principal.may(Action::ReadPlatform).is_ok() && principal.sees(&place_of(&row.region_code)?);
    if row.participant_id == principal.id() || official {
        Ok(row)
    } else {
        Err(ApiError::not_found())
    }
}

fn view(
    conn: &mut DbConn,
    principal: &Principal,
    row: &PairingRow,
) -> Result<PairingView, ApiError> {
    let pledges = pledges::list(
        conn,
        &PledgeQuery {
            pairing_id: Some(row.id.clone()),
            limit: 100,
            ..PledgeQuery::default()
        },
    )?;
    let official = principal.sees(&place_of(&row.region_code)?);
    Ok(PairingView::build(
        row,
        pledges.into_iter().map(|p| p.id).collect(),
        official,
    ))
}

/// One pairing (its participant, or officials of the place).
#[utoipa::path(
    tag = "platform", operation_id = "get_pairing", security(("bearer" = [])), params(("id" = String, Path, description = "Pairing id")),
    responses(
        (status = 200, description = "The pairing", body = PairingView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/pairings/{id}")]
pub async fn get_pairing(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<PairingView>, ApiError> {
    let principal = caller.principal.clone();
    let v = state
        .db(move |conn| {
            let row = load(conn, &principal, &id)?;
            view(conn, &principal, &row)
        })
        .await?;
    Ok(web::Json(v))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairingListParams {
    /// Officials: this region and everything under it.
    pub region: Option<String>,
    /// `proposed`, `active`, `declined`, `ended`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PairingPage {
    pub items: Vec<PairingView>,
    pub next_cursor: Option<String>,
}

/// Pairings: a participant's own; an official's jurisdiction's.
#[utoipa::path(
    tag = "platform", operation_id = "list_pairings", security(("bearer" = [])), params(PairingListParams),
    responses(
        (status = 200, description = "A page of pairings", body = PairingPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/pairings")]
pub async fn list_pairings(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<PairingListParams>,
) -> Result<web::Json<PairingPage>, ApiError> {
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let region = q.optional(
        p.region.as_deref(),
        "region",
        domain::region::RegionCode::parse,
    );
    let status = q.optional(p.status.as_deref(), "status", PairingStatus::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let mut query = PairingQuery {
        status: status.map(|s| s.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
        ..PairingQuery::default()
    };
    if caller.may(Action::Give).is_ok() {
        query.participant_id = Some(caller.id().to_owned());
    } else {
        caller
            .may(Action::ReadPlatform)
            .map_err(|_| ApiError::forbidden())?;
        let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
            return Ok(web::Json(PairingPage {
                items: vec![],
                next_cursor: None,
            }));
        };
        query.within = within;
    }
    let principal = caller.principal.clone();
    let page = state
        .db(move |conn| {
            let rows = store::list(conn, &query)?;
            let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
            let items = rows
                .iter()
                .map(|r| view(conn, &principal, r))
                .collect::<Result<_, _>>()?;
            Ok(PairingPage { items, next_cursor })
        })
        .await?;
    Ok(web::Json(page))
}

/// A reason for declining or ending.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingActionBody {
    pub reason: Option<String>,
}

/// `accept` or `decline` (the household side: its village cadre or an official of the
/// place), `end` (either side).
#[utoipa::path(
    tag = "platform", operation_id = "act_on_pairing", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pairing id"), ("action" = String, Path, description = "`accept`, `decline` or `end`")),
    request_body(content = Option<PairingActionBody>, description = "An optional reason"),
    responses(
        (status = 200, description = "The pairing after the action", body = PairingView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pairings/{id}/{action}")]
pub async fn act_on_pairing(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<PairingActionBody>>,
) -> Result<web::Json<PairingView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = PairingAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let reason = parse_note(body.and_then(|b| b.into_inner().reason).as_deref())
        .map_err(|e| ApiError::validation(vec![e.for_field("reason")]))?;
    let principal = caller.principal.clone();
    let v = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let current = load(conn, &principal, &id)?;
                let household = household_side(&principal, &current)?;
                let allowed = match action {
                    PairingAction::Accept | PairingAction::Decline => household,
                    PairingAction::End => household || current.participant_id == principal.id(),
                };
                if !allowed {
                    return Err(ApiError::forbidden());
                }
                let status = PairingStatus::parse(&current.status)
                    .map_err(|e| ApiError::internal(e.to_string()))?;
                let next = status.transition(action)?;
                let now = chrono::Utc::now().naive_utc();
                let mut row = current.clone();
                row.status = next.as_str().to_owned();
                row.status_reason = reason.clone();
                row.version += 1;
                row.updated_at = now;
                if action == PairingAction::Accept {
                    row.household_consented_at = Some(now);
                    row.household_consent_by = Some(principal.id().to_owned());
                }
                if action == PairingAction::End && row.ends_on.is_none_or(|e| e > today()) {
                    row.ends_on = Some(today().max(row.starts_on));
                }
                if !store::update(conn, &row, current.version)? {
                    return Err(ApiError::conflict(
                        "结对已被修改，请重试。",
                        "The pairing changed meanwhile; retry.",
                    ));
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    &format!("pairing.{}", action.as_str()),
                    Some(("pairing", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    None,
                )?;
                view(conn, &principal, &row)
            })
        })
        .await?;
    Ok(web::Json(v))
}
