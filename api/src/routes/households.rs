//! `/api/v1/households`: registered poor households (贫困户) with their members inline.
//! Officials, village cadres and `registry:*` clients work within their jurisdiction;
//! anything outside it is 404.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::{Action, Principal, today_in_china as today};
use domain::region::RegionCode;
use domain::registry::{Household, HouseholdDraft, HouseholdStatus, HouseholdType, PovertyCause};
use persistence::registry::households::{
    self as store, HouseholdQuery, HouseholdRow, StatusChangeRow,
};
use persistence::{DbConn, write_transaction};

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::http::reveal::RevealParams;
use crate::http::{etag, pagination};
use crate::openapi::responses::{
    Always, Conflict, Forbidden, NotFound, PreconditionFailed, SignedIn, WithBody,
};
use crate::personal::{self, Disclosure};
use crate::registry::codec::{self, Provenance};
use crate::registry::rules::{self, Refusal};
use crate::routes::household_views::{HouseholdPage, HouseholdSummary, HouseholdView};
use crate::service::scope::{Reach, narrow, place_of, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_household)
        .service(list_households)
        .service(get_household)
        .service(update_household)
        .service(delete_household);
}

/// Body members a caller may never set: identity and bookkeeping, and the status (which
/// changes only through `/transitions`, where the exit rule applies).
const NOT_SETTABLE: [&str; 8] = [
    "id",
    "status",
    "exit_year",
    "version",
    "county_code",
    "created_at",
    "updated_at",
    "created_by",
];

/// Reads a JSON body into a draft, refusing fields the caller may not set (422).
fn draft_from(
    body: serde_json::Value,
    also_forbidden: &[&str],
) -> Result<HouseholdDraft, ApiError> {
    let serde_json::Value::Object(map) = &body else {
        return Err(ApiError::validation(vec![FieldError::new(
            "body",
            "not_an_object",
            "the body must be a JSON object",
            "请求体必须是 JSON 对象",
        )]));
    };
    let refused: Vec<FieldError> = map
        .keys()
        .filter(|k| NOT_SETTABLE.contains(&k.as_str()) || also_forbidden.contains(&k.as_str()))
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
    serde_json::from_value(body).map_err(|e| {
        ApiError::validation(vec![FieldError::new(
            "body",
            "invalid_type",
            e.to_string(),
            format!("请求体格式错误：{e}"),
        )])
    })
}

fn outside_jurisdiction() -> ApiError {
    ApiError::validation(vec![FieldError::new(
        "region_code",
        "outside_jurisdiction",
        "the village is outside your jurisdiction",
        "该村不在您的管辖范围内",
    )])
}

/// The 422/409 a refusal of the registry's rules becomes. A duplicate person names the other
/// household only to a caller who may see it.
fn refusal(principal: &Principal, r: Refusal) -> ApiError {
    match r {
        Refusal::UnknownRegion => ApiError::validation(vec![FieldError::new(
            "region_code",
            "unknown_region",
            "no such village",
            "该村不存在",
        )]),
        Refusal::NotPoorVillage => ApiError::validation(vec![FieldError::new(
            "scattered",
            "not_a_poor_village",
            "the village is not a registered poor village: register it, or mark the household scattered (插花贫困户)",
            "该村不是建档立卡贫困村：请先登记贫困村，或将该户标为插花贫困户",
        )]),
        Refusal::DuplicatePerson {
            member,
            household_id,
            region_code,
        } => {
            let field = format!("members[{member}].id_number");
            let mut e = ApiError::conflict(
                format!("{field}：此人已登记在其他农户中。"),
                format!("{field}: this person is already registered in another household."),
            )
            .with_extension("field", field.clone().into());
            e.code = "duplicate_person";
            e.errors = vec![FieldError::new(
                field,
                "duplicate_person",
                "already registered in another household",
                "已登记在其他农户中",
            )];
            if RegionCode::parse(&region_code).is_ok_and(|r| principal.sees(&r)) {
                e = e.with_extension("conflicting_household_id", household_id.into());
            }
            e
        }
    }
}

/// Loads a household the caller may see (else 404) and rebuilds it.
pub fn load(
    conn: &mut DbConn,
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<(HouseholdRow, Household), ApiError> {
    let row = store::find(conn, id)?.ok_or_else(ApiError::not_found)?;
    if !principal.sees(&place_of(&row.region_code)?) {
        return Err(ApiError::not_found());
    }
    let members = store::members_of(conn, std::slice::from_ref(&row.id))?;
    let household = codec::from_rows(&row, &members, &state.data_keys, today())?;
    Ok((row, household))
}

/// Register a household (with its members).
///
/// The village must be a registered poor village, or the household marked `scattered`.
/// Every member's ID number must be valid and registered nowhere else (409
/// `duplicate_person`). `status` and `exit_year` are set through `/transitions`.
#[utoipa::path(
    tag = "registry", operation_id = "create_household", security(("bearer" = [])),
    request_body(content = serde_json::Value, description = "A household as in the import layout: the household fields, `guarantees` {food_secure, clothing_secure, compulsory_education, basic_medical, housing_security, safe_drinking_water}, and `members` [{name, sex, id_number, relation, ethnicity, education, schooling, health, work_capacity, migrant_worker, rural_medical, rural_pension, dibao, critical_illness, phone}]. Enumerations take the English value or the Chinese label.",
        example = json!({"household_number": "2109211002020001", "region_code": "210921100202", "household_type": "general", "identification_standard": "national", "main_cause": "illness", "secondary_causes": ["lack_of_skills"], "income_per_person_fen": 250000, "housing_safe": true,
            "guarantees": {"food_secure": true, "clothing_secure": true, "compulsory_education": true, "basic_medical": false, "housing_security": true, "safe_drinking_water": true},
            "members": [{"name": "张三", "sex": "male", "id_number": "210921196503120010", "relation": "head", "ethnicity": "蒙古族", "education": "primary", "health": "chronic_illness", "work_capacity": "ordinary", "rural_medical": true, "phone": "13812345678"}]})),
    responses(
        (status = 201, description = "Registered", body = HouseholdView, headers(("Location" = String, description = "URL of the household"))),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/households")]
pub async fn create_household(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let household = draft_from(body.into_inner(), &[])?
        .parse(today())
        .map_err(ApiError::validation)?;
    if !caller.sees(&household.region_code) {
        return Err(outside_jurisdiction());
    }
    let principal = caller.principal.clone();
    let st = state.clone();
    let (row, household) = state
        .db(move |conn| {
            let now = chrono::Utc::now().naive_utc();
            let provenance = Provenance {
                id: uuid::Uuid::now_v7().to_string(),
                version: 1,
                created_at: now,
                created_by: Some(principal.id().to_owned()),
                updated_by: Some(principal.id().to_owned()),
                updated_at: now,
            };
            let fingerprint = codec::fingerprint(&household, &st.data_keys);
            let (row, members) = codec::to_rows(
                &household,
                &st.data_keys,
                &provenance,
                fingerprint,
                &codec::indexes(&household, &st.data_keys),
            );
            write_transaction(conn, |conn| {
                if let Some(r) = rules::check(conn, &st.data_keys, &household, None)? {
                    return Err(refusal(&principal, r));
                }
                if !store::existing_by_number(conn, std::slice::from_ref(&row.household_number))?
                    .is_empty()
                {
                    return Err(ApiError::conflict(
                        "户编号已存在。",
                        "The household number is already registered.",
                    )
                    .with_extension("field", "household_number".into()));
                }
                store::insert(conn, &row, &members)?;
                store::record_status_change(
                    conn,
                    &status_change(&row, None, None, &principal, now),
                )?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "household.create",
                    Some(("household", &row.id)),
                    Some(&household.region_code),
                    true,
                    None,
                )?;
                Ok((row, household))
            })
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/households/{}", row.id)))
        .json(HouseholdView::build(&row, &household, Disclosure::MASKED)))
}

pub fn status_change(
    row: &HouseholdRow,
    from: Option<&str>,
    reason: Option<String>,
    principal: &Principal,
    now: chrono::NaiveDateTime,
) -> StatusChangeRow {
    StatusChangeRow {
        id: uuid::Uuid::now_v7().to_string(),
        household_id: row.id.clone(),
        county_code: row.county_code.clone(),
        from_status: from.map(str::to_owned),
        to_status: row.status.clone(),
        exit_year: row.exit_year,
        reason,
        actor_id: Some(principal.id().to_owned()),
        changed_at: now,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdListParams {
    /// This region and everything under it.
    pub region: Option<String>,
    /// `poor`, `exited`, `at_risk`, `returned`.
    pub status: Option<String>,
    /// A poverty cause (`illness`, `disability`, ...).
    pub main_cause: Option<String>,
    /// `general`, `dibao`, `wubao`, `dibao_poor`.
    pub household_type: Option<String>,
    /// `true`: only households with at least one guarantee unmet.
    pub guarantee_unmet: Option<bool>,
    /// Income per person at least (fen).
    pub income_min: Option<i64>,
    /// Income per person at most (fen).
    pub income_max: Option<i64>,
    /// Head of household's name starts with this (officials' search).
    pub head_name: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// List households in the caller's jurisdiction, with filters.
#[utoipa::path(
    tag = "registry", operation_id = "list_households", security(("bearer" = [])), params(HouseholdListParams),
    responses(
        (status = 200, description = "A page of households", body = HouseholdPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/households")]
pub async fn list_households(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<HouseholdListParams>,
) -> Result<web::Json<HouseholdPage>, ApiError> {
    caller
        .may(Action::ReadRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let p = params.into_inner();
    let mut q = QueryReader::new();
    let region = q.region(p.region.as_deref());
    let status = q.optional(p.status.as_deref(), "status", HouseholdStatus::parse);
    let cause = q.optional(p.main_cause.as_deref(), "main_cause", PovertyCause::parse);
    let kind = q.optional(
        p.household_type.as_deref(),
        "household_type",
        HouseholdType::parse,
    );
    let page = q.page::<String>(p.limit, p.cursor.as_deref())?;
    let Reach::Within(within) = narrow(scope_of(&caller)?, region) else {
        return Ok(web::Json(HouseholdPage {
            items: vec![],
            next_cursor: None,
        }));
    };
    let query = HouseholdQuery {
        within,
        status: status.map(|s| s.as_str().to_owned()),
        main_cause: cause.map(|c| c.as_str().to_owned()),
        household_type: kind.map(|k| k.as_str().to_owned()),
        guarantee_unmet: p.guarantee_unmet.unwrap_or(false),
        income_min: p.income_min,
        income_max: p.income_max,
        head_name: p
            .head_name
            .filter(|n| !n.trim().is_empty())
            .map(|n| n.trim().to_owned()),
        after: page.after.clone(),
        limit: page.fetch(),
    };
    let rows = state.db(move |conn| Ok(store::list(conn, &query)?)).await?;
    let (rows, next_cursor) = pagination::finish(rows, page.limit, |r| r.id.clone());
    Ok(web::Json(HouseholdPage {
        items: rows.iter().map(HouseholdSummary::from).collect(),
        next_cursor,
    }))
}

/// One household with its members (`?reveal=true`: unmasked, audited).
#[utoipa::path(
    tag = "registry", operation_id = "get_household", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id"), RevealParams),
    responses(
        (status = 200, description = "The household", body = HouseholdView, headers(("ETag" = String, description = "Entity tag"))),
        (status = 304, description = "Not modified"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/households/{id}")]
pub async fn get_household(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
    params: web::Query<RevealParams>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::ReadRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    let reveal = params.reveal.unwrap_or(false);
    let st = state.clone();
    let view = state
        .db(move |conn| {
            let (row, household) = load(conn, &st, &principal, &id)?;
            let disclosure = if reveal {
                personal::reveal(
                    conn,
                    &principal,
                    &meta,
                    &personal::Subject {
                        object_type: "household",
                        object_id: &row.id,
                        place: Some(&household.region_code),
                        own: false,
                    },
                )?
            } else {
                Disclosure::MASKED
            };
            Ok(HouseholdView::build(&row, &household, disclosure))
        })
        .await?;
    Ok(etag::respond(&req, &view))
}

/// Change a household: the fields given replace the stored ones (`members`, if given,
/// replaces the whole list). Requires `If-Match` with the current `ETag` (412 otherwise
/// if it changed).
#[utoipa::path(
    tag = "registry", operation_id = "update_household", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id"), ("If-Match" = Option<String>, Header, description = "The ETag of the version being changed")),
    request_body(content = serde_json::Value, description = "Any household fields except household_number, status and exit_year", example = json!({"income_per_person_fen": 310000, "guarantees": {"basic_medical": true}})),
    responses(
        (status = 200, description = "Changed", body = HouseholdView),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound), (status = 409, response = Conflict), (status = 412, response = PreconditionFailed),
        Always, SignedIn, WithBody,
    )
)]
#[patch("/households/{id}")]
pub async fn update_household(
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
    let patch = draft_from(body.into_inner(), &["household_number"])?;
    let principal = caller.principal.clone();
    let st = state.clone();
    let if_match = req
        .headers()
        .get(actix_web::http::header::IF_MATCH)
        .cloned();
    let (row, household) = state
        .db(move |conn| {
            let (row, current) = load(conn, &st, &principal, &id)?;
            etag::check_if_match_value(
                if_match.as_ref(),
                &etag::of(&HouseholdView::build(&row, &current, Disclosure::MASKED)),
            )?;
            let merged = merge(current.to_draft(), patch);
            let household = merged.parse(today()).map_err(ApiError::validation)?;
            if !principal.sees(&household.region_code) {
                return Err(outside_jurisdiction());
            }
            let now = chrono::Utc::now().naive_utc();
            let provenance = Provenance {
                id: row.id.clone(),
                version: row.version + 1,
                created_at: row.created_at,
                created_by: row.created_by.clone(),
                updated_by: Some(principal.id().to_owned()),
                updated_at: now,
            };
            let fingerprint = codec::fingerprint(&household, &st.data_keys);
            let (new_row, members) = codec::to_rows(
                &household,
                &st.data_keys,
                &provenance,
                fingerprint,
                &codec::indexes(&household, &st.data_keys),
            );
            write_transaction(conn, |conn| {
                if let Some(r) = rules::check(conn, &st.data_keys, &household, Some(&row.id))? {
                    return Err(refusal(&principal, r));
                }
                if !store::replace(conn, &new_row, &members, row.version)? {
                    return Err(ApiError::precondition_failed());
                }
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "household.update",
                    Some(("household", &row.id)),
                    Some(&household.region_code),
                    true,
                    None,
                )?;
                Ok((new_row, household))
            })
        })
        .await?;
    let view = HouseholdView::build(&row, &household, Disclosure::MASKED);
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, etag::of(&view)))
        .json(view))
}

/// The stored household with the given fields replaced.
fn merge(mut base: HouseholdDraft, patch: HouseholdDraft) -> HouseholdDraft {
    macro_rules! take {
        ($($f:ident),*) => { $( if patch.$f.is_some() { base.$f = patch.$f; } )* };
    }
    take!(
        region_code,
        scattered,
        household_type,
        identification_standard,
        main_cause,
        income_per_person_fen,
        housing_safe
    );
    if !patch.secondary_causes.is_empty() {
        base.secondary_causes = patch.secondary_causes;
    }
    let g = patch.guarantees;
    macro_rules! guarantee {
        ($($f:ident),*) => { $( if g.$f.is_some() { base.guarantees.$f = g.$f; } )* };
    }
    guarantee!(
        food_secure,
        clothing_secure,
        compulsory_education,
        basic_medical,
        housing_security,
        safe_drinking_water
    );
    if !patch.members.is_empty() {
        base.members = patch.members;
    }
    base
}

/// Remove a household from the registry (with its members and history).
#[utoipa::path(
    tag = "registry", operation_id = "delete_household", security(("bearer" = [])), params(("id" = String, Path, description = "Household id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[delete("/households/{id}")]
pub async fn delete_household(
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
                let row = store::find(conn, &id)?.ok_or_else(ApiError::not_found)?;
                let place = place_of(&row.region_code)?;
                if !principal.sees(&place) {
                    return Err(ApiError::not_found());
                }
                store::delete(conn, &id)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "household.delete",
                    Some(("household", &id)),
                    Some(&place),
                    true,
                    None,
                )
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
