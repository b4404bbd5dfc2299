//! `/api/v1/pledges`: a participant pledges all or part of a published need, delivers it
//! with evidence, and the place confirms it; the household side gives feedback. The sum of
//! open pledges on a need never exceeds what it asks for: the capacity is taken by one
//! conditional `UPDATE` of the need (see `persistence::platform::needs::take_capacity`).

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::{Action, Principal, today_in_china as today};
use domain::platform::{
    EvidenceDraft, Feedback, NeedAction, NeedStatus, PairingStatus, PledgeAction, PledgeStatus,
    parse_evidence, parse_note, parse_reason,
};
use domain::{DomainError, FieldError};
use persistence::platform::needs::{self as needs_store, NeedRow};
use persistence::platform::pledges::{self as store, FeedbackRow, PledgeQuery, PledgeRow};
use persistence::platform::{offers, pairings};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::pagination;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::routes::platform_views::{PledgeView, capacity, load_public_need};
use crate::service::scope::{Reach, narrow, place_of, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_pledge)
        .service(list_pledges)
        .service(my_pledges)
        .service(get_pledge)
        .service(give_feedback)
        .service(act_on_pledge);
}

/// The body of `POST /pledges`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"need_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "quantity": 1, "note": "周五前送到村委会"}))]
pub struct PledgeBody {
    pub need_id: String,
    /// For a need that asks for money.
    pub amount_fen: Option<i64>,
    /// For a need that asks for a quantity (in the need's unit).
    pub quantity: Option<i64>,
    /// One of your open offers this pledge comes from.
    pub offer_id: Option<String>,
    /// One of your active pairings with the need's household or village.
    pub pairing_id: Option<String>,
    pub note: Option<String>,
}

fn not_open(need: &NeedRow) -> ApiError {
    let status = need.status.clone();
    ApiError::new(
        actix_web::http::StatusCode::CONFLICT,
        "invalid_transition",
        format!("当前状态为 {status}，不接受认领。"),
        format!("The need is {status}; it takes no pledges."),
    )
    .with_extension("current_status", status.into())
    .with_extension("allowed_actions", serde_json::Value::Array(vec![]))
}

fn field(name: &str, code: &'static str, en: &str, zh: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(name, code, en, zh)])
}

/// Checks the offer and pairing a pledge names.
fn check_links(
    conn: &mut DbConn,
    principal: &Principal,
    body: &PledgeBody,
    need: &NeedRow,
) -> Result<(), ApiError> {
    if let Some(offer_id) = &body.offer_id {
        let offer = offers::find(conn, offer_id)?
            .filter(|o| o.owner_id == principal.id())
            .ok_or_else(|| {
                field(
                    "offer_id",
                    "unknown_offer",
                    "no offer of yours with this id",
                    "没有该供给，或不属于您",
                )
            })?;
        if offer.status != "open" {
            return Err(field(
                "offer_id",
                "offer_closed",
                "the offer is no longer open",
                "该供给已撤回",
            ));
        }
    }
    if let Some(pairing_id) = &body.pairing_id {
        let pairing = pairings::find(conn, pairing_id)?
            .filter(|p| p.participant_id == principal.id())
            .ok_or_else(|| {
                field(
                    "pairing_id",
                    "unknown_pairing",
                    "no pairing of yours with this id",
                    "没有该结对，或不属于您",
                )
            })?;
        if pairing.status != PairingStatus::Active.as_str() {
            return Err(field(
                "pairing_id",
                "pairing_not_active",
                "the pairing is not active",
                "该结对未生效",
            ));
        }
        let same = (pairing.household_id.is_some() && pairing.household_id == need.household_id)
            || (pairing.village_id.is_some() && pairing.village_id == need.village_id)
            || (pairing.village_id.is_some() && pairing.region_code == need.region_code);
        if !same {
            return Err(field(
                "pairing_id",
                "other_beneficiary",
                "the pairing is with another household or village",
                "该结对的对象不是此需求的对象",
            ));
        }
    }
    Ok(())
}

/// Takes the capacity and records the pledge; in the caller's transaction.
fn pledge(
    conn: &mut DbConn,
    principal: &Principal,
    body: &PledgeBody,
) -> Result<PledgeRow, ApiError> {
    let need = load_public_need(conn, &body.need_id).map_err(|_| {
        field(
            "need_id",
            "unknown_need",
            "no published need with this id",
            "没有该已发布的需求",
        )
    })?;
    let measure = domain::platform::Amount {
        value: need.asked,
        unit: need.unit.clone(),
    };
    let amount = measure.part(body.amount_fen, body.quantity)?;
    let note = parse_note(body.note.as_deref())?;
    check_links(conn, principal, body, &need)?;
    let day = today();
    if !needs_store::take_capacity(conn, &need.id, amount, day)? {
        let now = needs_store::find(conn, &need.id)?.ok_or_else(ApiError::not_found)?;
        let status =
            NeedStatus::parse(&now.status).map_err(|e| ApiError::internal(e.to_string()))?;
        let full = status == NeedStatus::FullyPledged;
        if (!status.takes_pledges() && !full) || now.deadline < day {
            return Err(not_open(&now));
        }
        capacity(&now).take(amount, now.unit.as_deref())?;
        return Err(ApiError::internal("capacity update refused without cause"));
    }
    let now_row = needs_store::find(conn, &need.id)?.ok_or_else(ApiError::not_found)?;
    let now = chrono::Utc::now().naive_utc();
    needs_store::set_pledging_status(
        conn,
        &need.id,
        NeedStatus::by_capacity(capacity(&now_row)),
        now,
    )?;
    let row = PledgeRow {
        id: uuid::Uuid::now_v7().to_string(),
        need_id: need.id.clone(),
        pledger_id: principal.id().to_owned(),
        organization_id: principal.organization_id.clone(),
        offer_id: body.offer_id.clone(),
        pairing_id: body.pairing_id.clone(),
        region_code: need.region_code.clone(),
        county_code: need.county_code.clone(),
        amount,
        unit: need.unit.clone(),
        note,
        status: PledgeStatus::Pledged.as_str().to_owned(),
        evidence: None,
        delivery_note: None,
        cancel_reason: None,
        confirmed_by: None,
        pledged_at: now,
        delivered_at: None,
        confirmed_at: None,
        cancelled_at: None,
        version: 1,
        updated_at: now,
    };
    store::insert(conn, &row)?;
    Ok(row)
}

/// Pledge all or part of a published need (自主选择). Safe to retry with `Idempotency-Key`.
#[utoipa::path(
    tag = "platform", operation_id = "create_pledge", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first answer instead of pledging twice")),
    request_body = PledgeBody,
    responses(
        (status = 201, description = "Pledged", body = PledgeView, headers(("Location" = String, description = "URL of the pledge"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pledges")]
pub async fn create_pledge(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<PledgeBody>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::Give)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    let body = body.into_inner();
    let (row, need) = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let row = pledge(conn, &principal, &body)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "pledge.create",
                    Some(("pledge", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    Some(serde_json::json!({"need_id": row.need_id, "amount": row.amount})),
                )?;
                let need = needs_store::find(conn, &row.need_id)?;
                Ok((row, need))
            })
        })
        .await?;
    state.public_needs.forget(&row.need_id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/pledges/{}", row.id)))
        .json(PledgeView::build(&row, need.as_ref(), &[])))
}

/// Loads a pledge the caller may see: their own, or one in their jurisdiction.
fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<PledgeRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(ApiError::not_found)?;
    let own = row.pledger_id == principal.id();
    let official =
        principal.may(Action::ReadPlatform).is_ok() && principal.sees(&place_of(&row.region_code)?);
    if own || official {
        Ok(row)
    } else {
        Err(ApiError::not_found())
    }
}

fn full_view(conn: &mut DbConn, row: &PledgeRow) -> Result<PledgeView, ApiError> {
    let need = needs_store::find(conn, &row.need_id)?;
    let feedback = store::feedback_of(conn, std::slice::from_ref(&row.id))?;
    Ok(PledgeView::build(row, need.as_ref(), &feedback))
}

/// One pledge with its trail and feedback (its pledger, or officials of the place).
#[utoipa::path(
    tag = "platform", operation_id = "get_pledge", security(("bearer" = [])), params(("id" = String, Path, description = "Pledge id")),
    responses(
        (status = 200, description = "The pledge", body = PledgeView),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/pledges/{id}")]
pub async fn get_pledge(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<PledgeView>, ApiError> {
    let principal = caller.principal.clone();
    let view = state
        .db(move |conn| {
            let row = load(conn, &principal, &id)?;
            full_view(conn, &row)
        })
        .await?;
    Ok(web::Json(view))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PledgeListParams {
    pub need_id: Option<String>,
    pub pairing_id: Option<String>,
    /// Officials: this region and everything under it.
    pub region: Option<String>,
    /// `pledged`, `delivered`, `confirmed`, `cancelled`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PledgePage {
    pub items: Vec<PledgeView>,
    pub next_cursor: Option<String>,
}

fn page_of(conn: &mut DbConn, rows: Vec<PledgeRow>, limit: u32) -> Result<PledgePage, ApiError> {
    let (rows, next_cursor) = pagination::finish(rows, limit, |r| r.id.clone());
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut need_ids: Vec<String> = rows.iter().map(|r| r.need_id.clone()).collect();
    need_ids.sort();
    need_ids.dedup();
    let needs = needs_store::find_many(conn, &need_ids)?;
    let feedback = store::feedback_of(conn, &ids)?;
    Ok(PledgePage {
        items: rows
            .iter()
            .map(|r| PledgeView::build(r, needs.iter().find(|n| n.id == r.need_id), &feedback))
            .collect(),
        next_cursor,
    })
}

fn parse_list(
    p: PledgeListParams,
) -> Result<
    (
        pagination::PageRequest<String>,
        PledgeQuery,
        Option<domain::region::RegionCode>,
    ),
    ApiError,
> {
    let mut q = QueryReader::new();
    let region = q.optional(
        p.region.as_deref(),
        "region",
        domain::region::RegionCode::parse,
    );
    let status = q.optional(p.status.as_deref(), "status", PledgeStatus::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let query = PledgeQuery {
        need_id: p.need_id,
        pairing_id: p.pairing_id,
        status: status.map(|s| s.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
        ..PledgeQuery::default()
    };
    Ok((page, query, region))
}

/// Pledges: a participant's own; an official's jurisdiction's.
#[utoipa::path(
    tag = "platform", operation_id = "list_pledges", security(("bearer" = [])), params(PledgeListParams),
    responses(
        (status = 200, description = "A page of pledges", body = PledgePage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/pledges")]
pub async fn list_pledges(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<PledgeListParams>,
) -> Result<web::Json<PledgePage>, ApiError> {
    let (page, mut query, region) = parse_list(params.into_inner())?;
    if caller.may(Action::Give).is_ok() {
        query.pledger_id = Some(caller.id().to_owned());
    } else {
        caller
            .may(Action::ReadPlatform)
            .map_err(|_| ApiError::forbidden())?;
        let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
            return Ok(web::Json(PledgePage {
                items: vec![],
                next_cursor: None,
            }));
        };
        query.within = within;
    }
    let page = state
        .db(move |conn| {
            let rows = store::list(conn, &query)?;
            page_of(conn, rows, page.limit)
        })
        .await?;
    Ok(web::Json(page))
}

/// Your own pledges and their trail: pledged → delivered → confirmed, and the feedback.
#[utoipa::path(
    tag = "platform", operation_id = "my_pledges", security(("bearer" = [])), params(PledgeListParams),
    responses(
        (status = 200, description = "A page of your pledges", body = PledgePage),
        Always, SignedIn,
    )
)]
#[get("/me/pledges")]
pub async fn my_pledges(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<PledgeListParams>,
) -> Result<web::Json<PledgePage>, ApiError> {
    let (page, mut query, _) = parse_list(params.into_inner())?;
    query.pledger_id = Some(caller.id().to_owned());
    let page = state
        .db(move |conn| {
            let rows = store::list(conn, &query)?;
            page_of(conn, rows, page.limit)
        })
        .await?;
    Ok(web::Json(page))
}

/// The body of a pledge action.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"evidence": [{"url": "https://files.example.cn/receipt.jpg", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}], "note": "已送到村委会"}))]
pub struct PledgeActionBody {
    /// `deliver`: at least one attachment (photo, receipt).
    #[schema(value_type = Option<Vec<crate::routes::needs::EvidenceBody>>)]
    pub evidence: Option<Vec<EvidenceDraft>>,
    pub note: Option<String>,
    /// `cancel`: why.
    pub reason: Option<String>,
}

fn transition(
    conn: &mut DbConn,
    principal: &Principal,
    id: &str,
    action: PledgeAction,
    body: PledgeActionBody,
) -> Result<PledgeRow, ApiError> {
    let current = load(conn, principal, id)?;
    let place = place_of(&current.region_code)?;
    let own = current.pledger_id == principal.id();
    let allowed = match action {
        PledgeAction::Deliver | PledgeAction::Cancel => own,
        PledgeAction::Confirm => {
            principal.may(Action::ActForHouseholds).is_ok() && principal.sees(&place)
        }
    };
    if !allowed {
        return Err(ApiError::forbidden());
    }
    // Lock the need first: a confirmation must see every other committed confirmation.
    needs_store::lock(conn, &current.need_id)?;
    let status =
        PledgeStatus::parse(&current.status).map_err(|e| ApiError::internal(e.to_string()))?;
    let next = status.transition(action)?;
    let now = chrono::Utc::now().naive_utc();
    let mut row = current.clone();
    row.status = next.as_str().to_owned();
    row.version += 1;
    row.updated_at = now;
    match action {
        PledgeAction::Deliver => {
            let evidence = parse_evidence(body.evidence.as_deref().unwrap_or_default(), "evidence")
                .map_err(ApiError::validation)?;
            if evidence.is_empty() {
                return Err(field(
                    "evidence",
                    "required",
                    "a delivery needs at least one attachment",
                    "交付时至少需要一个证明附件",
                ));
            }
            row.evidence = Some(
                serde_json::to_string(&evidence).map_err(|e| ApiError::internal(e.to_string()))?,
            );
            row.delivery_note = parse_note(body.note.as_deref())?;
            row.delivered_at = Some(now);
        }
        PledgeAction::Confirm => {
            row.confirmed_by = Some(principal.id().to_owned());
            row.confirmed_at = Some(now);
        }
        PledgeAction::Cancel => {
            row.cancel_reason = Some(parse_reason(body.reason.as_deref())?);
            row.cancelled_at = Some(now);
        }
    }
    if !store::update(conn, &row, current.version)? {
        return Err(ApiError::conflict(
            "认领记录已被修改，请重试。",
            "The pledge changed meanwhile; retry.",
        ));
    }
    let need = needs_store::find(conn, &row.need_id)?.ok_or_else(ApiError::not_found)?;
    let need_status =
        NeedStatus::parse(&need.status).map_err(|e| ApiError::internal(e.to_string()))?;
    match action {
        PledgeAction::Cancel => {
            needs_store::give_back_capacity(conn, &need.id, row.amount)?;
            if matches!(
                need_status,
                NeedStatus::Published | NeedStatus::PartiallyPledged | NeedStatus::FullyPledged
            ) {
                let after = capacity(&need).give_back(row.amount);
                needs_store::set_pledging_status(
                    conn,
                    &need.id,
                    NeedStatus::by_capacity(after),
                    now,
                )?;
            }
        }
        PledgeAction::Confirm => {
            if need_status == NeedStatus::FullyPledged
                && store::count_unconfirmed(conn, &need.id)? == 0
            {
                let fulfilled = need_status.transition(NeedAction::Fulfil)?;
                needs_store::set_pledging_status(conn, &need.id, fulfilled, now)?;
            }
        }
        PledgeAction::Deliver => {}
    }
    Ok(row)
}

/// `deliver` (the pledger, with evidence), `confirm` (the village cadre or an official of
/// the place), `cancel` (the pledger, before delivery; the capacity goes back to the need).
#[utoipa::path(
    tag = "platform", operation_id = "act_on_pledge", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pledge id"), ("action" = String, Path, description = "`deliver`, `confirm` or `cancel`")),
    request_body(content = Option<PledgeActionBody>, description = "`evidence` for deliver; `reason` for cancel"),
    responses(
        (status = 200, description = "The pledge after the action", body = PledgeView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pledges/{id}/{action}")]
pub async fn act_on_pledge(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    path: web::Path<(String, String)>,
    body: Option<web::Json<PledgeActionBody>>,
) -> Result<web::Json<PledgeView>, ApiError> {
    let (id, action) = path.into_inner();
    let action = PledgeAction::parse(&action).map_err(|_| ApiError::not_found())?;
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let principal = caller.principal.clone();
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let row = transition(conn, &principal, &id, action, body)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    &format!("pledge.{}", action.as_str()),
                    Some(("pledge", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    None,
                )?;
                full_view(conn, &row)
            })
        })
        .await?;
    state.public_needs.forget(&view.need_id);
    Ok(web::Json(view))
}

/// Feedback and thanks from the household side.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"message": "孩子们穿上了新校服，谢谢您！", "rating": 5, "household_acknowledged": true}))]
pub struct FeedbackBody {
    /// At most 1,000 characters.
    pub message: Option<String>,
    /// 1 to 5.
    pub rating: Option<i32>,
    /// The household itself acknowledged receipt.
    pub household_acknowledged: Option<bool>,
}

/// Give feedback on a delivered or confirmed pledge (the village cadre or an official of
/// the place, for the household); the donor sees it on the pledge.
#[utoipa::path(
    tag = "platform", operation_id = "give_pledge_feedback", security(("bearer" = [])),
    params(("id" = String, Path, description = "Pledge id")),
    request_body = FeedbackBody,
    responses(
        (status = 201, description = "Recorded; the pledge with its feedback", body = PledgeView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/pledges/{id}/feedback")]
pub async fn give_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<FeedbackBody>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ActForHouseholds)
        .map_err(|_| ApiError::forbidden())?;
    let b = body.into_inner();
    let feedback = Feedback::parse(b.message.as_deref(), b.rating, b.household_acknowledged)
        .map_err(ApiError::validation)?;
    let principal = caller.principal.clone();
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let row = load(conn, &principal, &id)?;
                if !principal.sees(&place_of(&row.region_code)?) {
                    return Err(ApiError::not_found());
                }
                if !matches!(row.status.as_str(), "delivered" | "confirmed") {
                    return Err(DomainError::InvalidTransition {
                        state: row.status.clone(),
                        action: "feedback".into(),
                        allowed: vec![],
                    }
                    .into());
                }
                let f = FeedbackRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    pledge_id: row.id.clone(),
                    author_id: principal.id().to_owned(),
                    message: feedback.message.clone(),
                    rating: feedback.rating,
                    household_acknowledged: feedback.household_acknowledged,
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert_feedback(conn, &f)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "pledge.feedback",
                    Some(("pledge", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    None,
                )?;
                full_view(conn, &row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}
