//! `/api/v1/needs`: needs of registered poor households and villages, drafted by village
//! cadres and officials of the place, seen in full only within the jurisdiction.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, today_in_china as today};
use domain::platform::{EvidenceDraft, NeedCategory, NeedDraft, NeedSpec, NeedStatus};
use domain::region::RegionCode;
use persistence::platform::needs::{self as store, NeedContent, NeedQuery, NeedRow};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::http::{etag, pagination};
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::routes::platform_views::{NeedView, Place, load_need, resolve_place};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_need)
        .service(list_needs)
        .service(get_need)
        .service(update_need);
}

/// The body of `POST /needs` (and, without `household_id`/`village_id`, of `PATCH`).
#[derive(Debug, ToSchema)]
#[schema(example = json!({"household_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "category": "education", "target_group": "children", "title": "两个孩子的冬季校服", "description": "小学三年级和五年级各一套", "quantity": 2, "unit": "套", "urgency": "high", "deadline": "2026-12-20"}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::platform::NeedDraft"
)]
pub struct NeedBody {
    /// A registered household (exactly one of `household_id` and `village_id`).
    household_id: Option<String>,
    /// A registered poor village's record id.
    village_id: Option<String>,
    #[schema(schema_with = crate::openapi::labelled::<NeedCategory>)]
    category: String,
    #[schema(schema_with = crate::openapi::labelled_or_null::<domain::platform::TargetGroup>)]
    target_group: Option<String>,
    /// At most 100 characters; no ID or phone numbers (it will be public).
    title: String,
    /// At most 4,000 characters; no ID or phone numbers.
    description: String,
    /// Money asked, in fen; or give `quantity` and `unit`.
    amount_fen: Option<i64>,
    quantity: Option<i64>,
    /// `套`, `台`, `人`, `斤` ...
    unit: Option<String>,
    /// Default `medium`.
    #[schema(schema_with = crate::openapi::labelled::<domain::platform::Urgency>)]
    urgency: Option<String>,
    /// `YYYY-MM-DD`, today or later, at most two years ahead.
    deadline: String,
    evidence: Option<Vec<EvidenceBody>>,
}

pub use crate::routes::platform::views::EvidenceBody;

/// The three region levels above a village, for the level indexes.
fn level_codes(village: &RegionCode) -> (String, String, String) {
    let township = village.parent().map(|t| t.to_string()).unwrap_or_default();
    let county = village.county();
    let city = county.as_ref().and_then(RegionCode::parent);
    (
        township,
        county.map(|c| c.to_string()).unwrap_or_default(),
        city.map(|c| c.to_string()).unwrap_or_default(),
    )
}

fn evidence_json(spec: &NeedSpec) -> String {
    serde_json::to_string(&spec.evidence).unwrap_or_else(|_| "[]".to_owned())
}

fn new_row(spec: &NeedSpec, place: Place, created_by: &str) -> NeedRow {
    let now = chrono::Utc::now().naive_utc();
    let (township_code, county_code, city_code) = level_codes(&place.region);
    NeedRow {
        id: uuid::Uuid::now_v7().to_string(),
        household_id: place.household_id,
        village_id: place.village_id,
        region_code: place.region.to_string(),
        township_code,
        county_code,
        city_code,
        place_name: place.place_name,
        pseudonym: place.pseudonym,
        cause: place.cause,
        category: spec.category.as_str().to_owned(),
        target_group: spec.target_group.map(|g| g.as_str().to_owned()),
        title: spec.title.clone(),
        description: spec.description.clone(),
        unit: spec.amount.unit.clone(),
        asked: spec.amount.value,
        pledged: 0,
        urgency: spec.urgency.as_str().to_owned(),
        urgency_rank: store::urgency_rank(spec.urgency),
        deadline: spec.deadline,
        evidence: evidence_json(spec),
        status: NeedStatus::Draft.as_str().to_owned(),
        listed: false,
        status_reason: None,
        created_by: Some(created_by.to_owned()),
        reviewed_by: None,
        published_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// Draft a need for a household or a village of your jurisdiction.
#[utoipa::path(
    tag = "platform", operation_id = "create_need", security(("bearer" = [])),
    request_body = NeedBody,
    responses(
        (status = 201, description = "Drafted (status `draft`)", body = NeedView, headers(("Location" = String, description = "URL of the need"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/needs")]
pub async fn create_need(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<NeedDraft>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ManageNeeds)
        .map_err(|_| ApiError::forbidden())?;
    let spec = body.parse(today()).map_err(ApiError::validation)?;
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let place = resolve_place(conn, Some(&principal), &spec.beneficiary)?;
                let region = place.region.clone();
                let row = new_row(&spec, place, principal.id());
                store::insert(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "need.create",
                    Some(("need", &row.id)),
                    Some(&region),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/needs/{}", row.id)))
        .json(NeedView::build(&row)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NeedListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    /// `draft`, `submitted`, `verified`, `rejected`, `published`, `partially_pledged`,
    /// `fully_pledged`, `fulfilled`, `closed`, `cancelled`, `expired`.
    pub status: Option<String>,
    pub category: Option<String>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeedPage {
    pub items: Vec<NeedView>,
    pub next_cursor: Option<String>,
}

/// Needs of the caller's jurisdiction in every status, oldest first.
#[utoipa::path(
    tag = "platform", operation_id = "list_needs", security(("bearer" = [])), params(NeedListParams),
    responses(
        (status = 200, description = "A page of needs", body = NeedPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/needs")]
pub async fn list_needs(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<NeedListParams>,
) -> Result<web::Json<NeedPage>, ApiError> {
    caller
        .may(Action::ReadPlatform)
        .map_err(|_| ApiError::forbidden())?;
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let region = q.region(p.region.as_deref());
    let status = q.optional(p.status.as_deref(), "status", NeedStatus::parse);
    let category = q.optional(p.category.as_deref(), "category", NeedCategory::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
        return Ok(web::Json(NeedPage {
            items: vec![],
            next_cursor: None,
        }));
    };
    let query = NeedQuery {
        within,
        status: status.map(|s| s.as_str().to_owned()),
        category: category.map(|c| c.as_str().to_owned()),
        household_id: p.household_id,
        village_id: p.village_id,
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(NeedPage {
        items: rows.iter().map(NeedView::build).collect::<Result<_, _>>()?,
        next_cursor,
    }))
}

/// One need of the caller's jurisdiction, in any status.
#[utoipa::path(
    tag = "platform", operation_id = "get_need", security(("bearer" = [])), params(("id" = String, Path, description = "Need id")),
    responses(
        (status = 200, description = "The need", body = NeedView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/needs/{id}")]
pub async fn get_need(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ReadPlatform)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| load_need(conn, &principal, &id))
        .await?;
    Ok(etag::respond(&req, &NeedView::build(&row)?))
}

/// The stored need as a draft, to put a patch over.
fn draft_of(row: &NeedRow) -> NeedDraft {
    let evidence: Vec<domain::platform::Evidence> =
        serde_json::from_str(&row.evidence).unwrap_or_default();
    NeedDraft {
        household_id: row.household_id.clone(),
        village_id: row.village_id.clone(),
        category: Some(row.category.clone()),
        target_group: row.target_group.clone(),
        title: Some(row.title.clone()),
        description: Some(row.description.clone()),
        amount_fen: row.unit.is_none().then_some(row.asked),
        quantity: row.unit.is_some().then_some(row.asked),
        unit: row.unit.clone(),
        urgency: Some(row.urgency.clone()),
        deadline: Some(row.deadline.to_string()),
        evidence: Some(
            evidence
                .into_iter()
                .map(|e| EvidenceDraft {
                    url: Some(e.url),
                    sha256: Some(e.sha256),
                })
                .collect(),
        ),
    }
}

fn edit(conn: &mut DbConn, current: &NeedRow, patch: NeedDraft) -> Result<NeedRow, ApiError> {
    let status =
        NeedStatus::parse(&current.status).map_err(|e| ApiError::internal(e.to_string()))?;
    if !status.is_editable() {
        return Err(ApiError::new(
            actix_web::http::StatusCode::CONFLICT,
            "invalid_transition",
            format!("当前状态为 {status}，只有草稿或被退回的需求可以修改。"),
            format!("Only a draft or rejected need can be edited; this one is {status}."),
        )
        .with_extension("current_status", status.as_str().into()));
    }
    let spec = draft_of(current)
        .overlay(patch)
        .parse(today())
        .map_err(ApiError::validation)?;
    let now = chrono::Utc::now().naive_utc();
    let content = NeedContent {
        category: spec.category.as_str().to_owned(),
        target_group: spec.target_group.map(|g| g.as_str().to_owned()),
        title: spec.title.clone(),
        description: spec.description.clone(),
        unit: spec.amount.unit.clone(),
        asked: spec.amount.value,
        urgency: spec.urgency.as_str().to_owned(),
        urgency_rank: store::urgency_rank(spec.urgency),
        deadline: spec.deadline,
        evidence: evidence_json(&spec),
        version: current.version + 1,
        updated_at: now,
    };
    if !store::update_content(conn, &current.id, current.version, &content)? {
        return Err(ApiError::precondition_failed());
    }
    store::find_row(conn, &current.id)?.ok_or_else(ApiError::not_found)
}

/// Edit a draft or rejected need (`If-Match` guards against lost updates).
#[utoipa::path(
    tag = "platform", operation_id = "update_need", security(("bearer" = [])),
    params(("id" = String, Path, description = "Need id"), ("If-Match" = Option<String>, Header, description = "The ETag being changed")),
    request_body(content = NeedBody, description = "Any member of the create body except household_id and village_id"),
    responses(
        (status = 200, description = "Changed", body = NeedView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict), (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/needs/{id}")]
pub async fn update_need(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<NeedDraft>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ManageNeeds)
        .map_err(|_| ApiError::forbidden())?;
    let patch = body.into_inner();
    let fixed: Vec<FieldError> = [
        ("household_id", &patch.household_id),
        ("village_id", &patch.village_id),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some())
    .map(|(k, _)| {
        FieldError::new(
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
    let if_match = req.headers().get(header::IF_MATCH).cloned();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let current = load_need(conn, &principal, &id)?;
                etag::check_if_match_value(
                    if_match.as_ref(),
                    &etag::of(&NeedView::build(&current)?),
                )?;
                let row = edit(conn, &current, patch)?;
                let place = crate::service::scope::place_of(&row.region_code)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "need.update",
                    Some(("need", &row.id)),
                    Some(&place),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    let view = NeedView::build(&row)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag::of(&view)))
        .json(view))
}
