//! `/api/v1/needs`: needs of registered poor households and villages, drafted by village
//! cadres and officials of the place, seen in full only within the jurisdiction.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::Action;
use domain::platform::{Need, NeedCategory, NeedDraft, NeedStatus};

pub use super::views::EvidenceBody;
use super::views::NeedView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::pagination::{Page, PageRequest};
use crate::http::query::QueryReader;
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::service::platform::needs::{self, NeedFilter};
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
    caller.may(Action::ManageNeeds)?;
    let principal = caller.principal.clone();
    let draft = body.into_inner();
    let need = state
        .call(move |conn| needs::create(conn, &principal, &meta, draft))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/needs/{}", need.id)))
        .json(NeedView::from(&need)))
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

impl NeedListParams {
    fn read(self) -> Result<(NeedFilter, PageRequest<String>), ApiError> {
        let mut q = QueryReader::new();
        let filter = NeedFilter {
            region: q.region(self.region.as_deref()),
            status: q.optional(self.status.as_deref(), "status", NeedStatus::parse),
            category: q.optional(self.category.as_deref(), "category", NeedCategory::parse),
            household_id: self.household_id,
            village_id: self.village_id,
        };
        Ok((filter, q.page(self.limit, self.cursor.as_deref())?))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NeedPage {
    pub items: Vec<NeedView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Need>> for NeedPage {
    fn from(page: Page<Need>) -> Self {
        NeedPage {
            items: page.items.iter().map(NeedView::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
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
    caller.may(Action::ReadPlatform)?;
    let (filter, page) = params.into_inner().read()?;
    let principal = caller.principal.clone();
    let found = state
        .call(move |conn| needs::list(conn, &principal, filter, &page))
        .await?;
    Ok(web::Json(found.into()))
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
    caller.may(Action::ReadPlatform)?;
    let principal = caller.principal.clone();
    let need = state
        .call(move |conn| needs::load(conn, &principal, &id))
        .await?;
    Ok(etag::respond(&req, &NeedView::from(&need)))
}

/// A patch may not change whom the need is for.
fn fixed_fields(patch: &NeedDraft) -> Result<(), ApiError> {
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
    if fixed.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(fixed))
    }
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
    caller.may(Action::ManageNeeds)?;
    let patch = body.into_inner();
    fixed_fields(&patch)?;
    let principal = caller.principal.clone();
    let precondition = etag::if_match(&req, |n: &Need| NeedView::from(n));
    let need = state
        .call(move |conn| needs::update(conn, &principal, &meta, &id, patch, precondition))
        .await?;
    Ok(etag::tagged(&NeedView::from(&need)))
}
