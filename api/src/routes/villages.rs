//! `/api/v1/villages`: registered poor villages (贫困村), by officials of their jurisdiction.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, Principal, today_in_china as today};
use domain::registry::{PoorVillage, PoorVillageDraft, VillageStatus};
use persistence::registry::villages::{self as store, VillageQuery, VillageRow};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::http::{etag, pagination};
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::service::scope::{Reach, narrow, place_of, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_village)
        .service(list_villages)
        .service(get_village)
        .service(update_village)
        .service(delete_village);
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "region_code": "210921100202", "county_code": "210921", "registered_year": 2014, "status": "poor", "exit_year": null, "population": 1320, "poor_household_count": 86, "collective_income_fen": 1500000, "currency": "CNY", "notes": null, "version": 1}))]
pub struct VillageView {
    pub id: String,
    /// The village's 12-digit code.
    pub region_code: String,
    pub county_code: String,
    pub registered_year: i32,
    #[schema(schema_with = crate::openapi::labelled::<domain::registry::VillageStatus>)]
    pub status: String,
    pub exit_year: Option<i32>,
    pub population: i32,
    pub poor_household_count: i32,
    /// 村集体经济收入, per year.
    pub collective_income_fen: i64,
    pub currency: &'static str,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&VillageRow> for VillageView {
    fn from(r: &VillageRow) -> Self {
        VillageView {
            id: r.id.clone(),
            region_code: r.region_code.clone(),
            county_code: r.county_code.clone(),
            registered_year: r.registered_year,
            status: r.status.clone(),
            exit_year: r.exit_year,
            population: r.population,
            poor_household_count: r.poor_household_count,
            collective_income_fen: r.collective_income_fen,
            currency: "CNY",
            notes: r.notes.clone(),
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

fn row_of(
    v: &PoorVillage,
    id: String,
    version: i32,
    created_at: chrono::NaiveDateTime,
) -> VillageRow {
    VillageRow {
        id,
        region_code: v.region_code.to_string(),
        county_code: v.region_code.county().map(String::from).unwrap_or_default(),
        registered_year: v.registered_year,
        status: v.status.as_str().to_owned(),
        exit_year: v.exit_year,
        population: v.population,
        poor_household_count: v.poor_household_count,
        collective_income_fen: v.collective_income_fen.get(),
        notes: v.notes.clone(),
        version,
        created_at,
        updated_at: chrono::Utc::now().naive_utc(),
    }
}

fn draft_of(r: &VillageRow) -> PoorVillageDraft {
    PoorVillageDraft {
        region_code: Some(r.region_code.clone()),
        registered_year: Some(r.registered_year.to_string()),
        status: Some(r.status.clone()),
        exit_year: r.exit_year.map(|y| y.to_string()),
        population: Some(r.population.to_string()),
        poor_household_count: Some(r.poor_household_count.to_string()),
        collective_income_fen: Some(r.collective_income_fen.to_string()),
        notes: r.notes.clone(),
    }
}

const FIELDS: [&str; 8] = [
    "region_code",
    "registered_year",
    "status",
    "exit_year",
    "population",
    "poor_household_count",
    "collective_income_fen",
    "notes",
];

/// A JSON body as a draft; unknown members (`id`, `version`, ...) are refused with 422, and so
/// are those in `forbidden`.
fn draft_from(body: &serde_json::Value, forbidden: &[&str]) -> Result<PoorVillageDraft, ApiError> {
    let serde_json::Value::Object(map) = body else {
        return Err(ApiError::validation(vec![FieldError::new(
            "body",
            "not_an_object",
            "the body must be a JSON object",
            "请求体必须是 JSON 对象",
        )]));
    };
    let refused: Vec<FieldError> = map
        .keys()
        .filter(|k| !FIELDS.contains(&k.as_str()) || forbidden.contains(&k.as_str()))
        .map(|k| {
            FieldError::new(
                k.clone(),
                "not_settable",
                format!("{k} cannot be set here"),
                format!("不能在此设置 {k}"),
            )
        })
        .collect();
    if !refused.is_empty() {
        return Err(ApiError::validation(refused));
    }
    serde_json::from_value(body.clone()).map_err(|e| {
        ApiError::validation(vec![FieldError::new(
            "body",
            "invalid_type",
            e.to_string(),
            format!("请求体格式错误：{e}"),
        )])
    })
}

fn load(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<VillageRow, ApiError> {
    let row = store::find(conn, id)?.ok_or_else(ApiError::not_found)?;
    if !principal.sees(&place_of(&row.region_code)?) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// Register a poor village.
#[utoipa::path(
    tag = "registry", operation_id = "create_village", security(("bearer" = [])),
    request_body(content = serde_json::Value, description = "region_code (12-digit village), registered_year, status (poor|exited), exit_year, population, poor_household_count, collective_income_fen, notes",
        example = json!({"region_code": "210921100202", "registered_year": 2014, "population": 1320, "poor_household_count": 86, "collective_income_fen": 1500000})),
    responses(
        (status = 201, description = "Registered", body = VillageView, headers(("Location" = String, description = "URL of the village"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/villages")]
pub async fn create_village(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let village = draft_from(&body, &[])?
        .parse(today())
        .map_err(ApiError::validation)?;
    if !caller.sees(&village.region_code) {
        return Err(ApiError::validation(vec![FieldError::new(
            "region_code",
            "outside_jurisdiction",
            "the village is outside your jurisdiction",
            "该村不在您的管辖范围内",
        )]));
    }
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let row = row_of(&village, uuid::Uuid::now_v7().to_string(), 1, now);
            write_transaction(conn, |conn| {
                if persistence::region::find(conn, &village.region_code)?.is_none() {
                    return Err(ApiError::validation(vec![FieldError::new(
                        "region_code",
                        "unknown_region",
                        "no such village",
                        "该村不存在",
                    )]));
                }
                if store::find_by_region(conn, &row.region_code)?.is_some() {
                    return Err(ApiError::conflict(
                        "该村已登记为贫困村。",
                        "This village is already registered.",
                    )
                    .with_extension("field", "region_code".into()));
                }
                store::insert(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "village.create",
                    Some(("village", &row.id)),
                    Some(&village.region_code),
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/villages/{}", row.id)))
        .json(VillageView::from(&row)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VillageListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    /// `poor` or `exited`.
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VillagePage {
    pub items: Vec<VillageView>,
    pub next_cursor: Option<String>,
}

/// List registered poor villages in the caller's jurisdiction, by region code.
#[utoipa::path(
    tag = "registry", operation_id = "list_villages", security(("bearer" = [])), params(VillageListParams),
    responses(
        (status = 200, description = "A page of villages", body = VillagePage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/villages")]
pub async fn list_villages(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<VillageListParams>,
) -> Result<web::Json<VillagePage>, ApiError> {
    caller
        .may(Action::ReadRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let region = q.region(p.region.as_deref());
    let status = q.optional(p.status.as_deref(), "status", VillageStatus::parse);
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
        return Ok(web::Json(VillagePage {
            items: vec![],
            next_cursor: None,
        }));
    };
    let query = VillageQuery {
        within,
        status: status.map(|s| s.as_str().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.region_code.clone());
    Ok(web::Json(VillagePage {
        items: rows.iter().map(VillageView::from).collect(),
        next_cursor,
    }))
}

/// One registered poor village.
#[utoipa::path(
    tag = "registry", operation_id = "get_village", security(("bearer" = [])), params(("id" = String, Path, description = "Village record id")),
    responses(
        (status = 200, description = "The village", body = VillageView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/villages/{id}")]
pub async fn get_village(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ReadRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    let row = state.db(move |conn| load(conn, &principal, &id)).await?;
    Ok(etag::respond(&req, &VillageView::from(&row)))
}

/// Change a village's figures or status (`If-Match` guards against lost updates).
#[utoipa::path(
    tag = "registry", operation_id = "update_village", security(("bearer" = [])),
    params(("id" = String, Path, description = "Village record id"), ("If-Match" = Option<String>, Header, description = "The ETag being changed")),
    request_body(content = serde_json::Value, description = "Any of registered_year, status, exit_year, population, poor_household_count, collective_income_fen, notes", example = json!({"status": "exited", "exit_year": 2019})),
    responses(
        (status = 200, description = "Changed", body = VillageView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/villages/{id}")]
pub async fn update_village(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let patch = draft_from(&body, &["region_code"])?;
    let principal = caller.principal.clone();
    let if_match = req
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .cloned();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let current = load(conn, &principal, &id)?;
                etag::check_if_match_value(if_match.as_ref(), &etag::of(&VillageView::from(&current)))?;
                let mut draft = draft_of(&current);
                macro_rules! take {
                    ($($f:ident),*) => { $( if patch.$f.is_some() { draft.$f = patch.$f.clone(); } )* };
                }
                take!(registered_year, status, exit_year, population, poor_household_count, collective_income_fen, notes);
                if patch.status.as_deref() == Some("poor") && patch.exit_year.is_none() {
                    draft.exit_year = None;
                }
                let village = draft.parse(today()).map_err(ApiError::validation)?;
                let row = row_of(&village, current.id.clone(), current.version + 1, current.created_at);
                if !store::update(conn, &row, current.version)? {
                    return Err(ApiError::precondition_failed());
                }
                audit::record(conn, &Actor::Principal(&principal), &meta, "village.update", Some(("village", &row.id)), Some(&village.region_code), true, None)?;
                Ok(row)
            })
        })
        .await?;
    let view = VillageView::from(&row);
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag::of(&view)))
        .json(view))
}

/// Remove a village from the poor-village register.
#[utoipa::path(
    tag = "registry", operation_id = "delete_village", security(("bearer" = [])), params(("id" = String, Path, description = "Village record id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/villages/{id}")]
pub async fn delete_village(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let row = load(conn, &principal, &id)?;
                store::delete(conn, &row.id)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "village.delete",
                    Some(("village", &row.id)),
                    Some(&place_of(&row.region_code)?),
                    true,
                    None,
                )
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
