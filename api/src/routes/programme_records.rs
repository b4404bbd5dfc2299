//! `/api/v1/programme-records` and `GET /api/v1/households/{id}/programme-records`: the
//! 雨露计划, 扶贫小额贷款 and 易地扶贫搬迁 records of registered households, kept by the
//! officials and cadres of the household's place; and `POST /api/v1/brands` for new brands
//! for the special groups.

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::brand::{Programme, ProgrammeRecordDraft};
use domain::identity::{Action, Role, today_in_china};
use persistence::brand::{self as store, BrandRow, ProgrammeRecordRow};
use persistence::write_transaction;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::routes::brands::BrandView;
use crate::service::scope::place_of;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_brand)
        .service(record_programme)
        .service(household_programmes);
}

/// The body of `POST /brands`: a new brand for one of the special groups.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "left_behind_mothers", "name": "留守妈妈关爱行动", "owner": "辽宁省妇联", "description": "为留守妇女提供技能培训和心理关爱", "target_group": "left_behind_women"}))]
pub struct BrandBody {
    /// Lower-case letters, digits and `_`, 3 to 40 characters.
    pub code: String,
    pub name: String,
    pub owner: String,
    pub description: String,
    /// The special group it serves: `left_behind_women`, `children`, `elderly`, `disabled`.
    #[schema(schema_with = crate::openapi::labelled::<domain::platform::TargetGroup>)]
    pub target_group: String,
}

/// Create a brand for one of the special groups (platform admins and province officials).
#[utoipa::path(
    tag = "participants", operation_id = "create_brand", security(("bearer" = [])),
    request_body = BrandBody,
    responses(
        (status = 201, description = "Created", body = BrandView),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/brands")]
pub async fn create_brand(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<BrandBody>,
) -> Result<HttpResponse, ApiError> {
    if !matches!(
        caller.role(),
        Some(Role::PlatformAdmin | Role::ProvinceOfficial)
    ) {
        return Err(ApiError::forbidden());
    }
    let b = body.into_inner();
    let mut errors = Vec::new();
    let code_ok = (3..=40).contains(&b.code.len())
        && b.code
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_');
    if !code_ok {
        errors.push(FieldError::new(
            "code",
            "format",
            "3 to 40 lower-case letters, digits or _",
            "应为 3 到 40 位小写字母、数字或下划线",
        ));
    }
    let text = |v: &str, f: &str, max: usize, errors: &mut Vec<FieldError>| {
        domain::platform::text::required_text(Some(v), f, max)
            .map_err(|e| errors.push(e))
            .ok()
    };
    let name = text(&b.name, "name", 50, &mut errors);
    let owner = text(&b.owner, "owner", 100, &mut errors);
    let description = text(&b.description, "description", 1000, &mut errors);
    let group = domain::platform::TargetGroup::parse(&b.target_group)
        .map_err(|e| errors.push(e))
        .ok();
    let (Some(name), Some(owner), Some(description), Some(group), true) =
        (name, owner, description, group, errors.is_empty())
    else {
        return Err(ApiError::validation(errors));
    };
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                if store::find_brand_by_code(conn, &b.code)?.is_some() {
                    return Err(ApiError::conflict(
                        "该品牌代码已存在。",
                        "A brand with this code exists.",
                    )
                    .with_extension("field", "code".into()));
                }
                let row = BrandRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    code: b.code.clone(),
                    name,
                    kind: "brand".to_owned(),
                    owner,
                    description,
                    target_group: Some(group.as_str().to_owned()),
                    builtin: false,
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert_brand(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "brand.create",
                    Some(("brand", &row.id)),
                    None,
                    true,
                    None,
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(BrandView::from(&row)))
}

/// The body of `POST /programme-records`; which members apply depends on the programme.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"household_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "programme": "microcredit", "happened_on": "2026-05-01", "amount_fen": 5000000, "term_months": 36, "subsidy_fen": 150000}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::brand::ProgrammeRecordDraft"
)]
pub struct ProgrammeRecordBody {
    household_id: String,
    #[schema(schema_with = crate::openapi::labelled::<Programme>)]
    programme: String,
    /// `YYYY-MM-DD`: training finished, loan issued, household relocated.
    happened_on: String,
    /// rain_dew: the course.
    course: Option<String>,
    /// rain_dew: training subsidy; microcredit: interest subsidy.
    subsidy_fen: Option<i64>,
    /// microcredit: the loan.
    amount_fen: Option<i64>,
    /// microcredit: 1 to 60 months.
    term_months: Option<i32>,
    /// relocation: the village moved from.
    from_region_code: Option<String>,
    /// relocation: the place moved to.
    to_region_code: Option<String>,
}

/// A programme record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeRecordView {
    pub id: String,
    pub household_id: String,
    #[schema(schema_with = crate::openapi::labelled::<Programme>)]
    pub programme: String,
    pub happened_on: chrono::NaiveDate,
    pub course: Option<String>,
    pub subsidy_fen: Option<i64>,
    pub amount_fen: Option<i64>,
    pub term_months: Option<i32>,
    pub from_region_code: Option<String>,
    pub to_region_code: Option<String>,
}

impl From<&ProgrammeRecordRow> for ProgrammeRecordView {
    fn from(r: &ProgrammeRecordRow) -> Self {
        ProgrammeRecordView {
            id: r.id.clone(),
            household_id: r.household_id.clone(),
            programme: r.programme.clone(),
            happened_on: r.happened_on,
            course: r.course.clone(),
            subsidy_fen: r.subsidy_fen,
            amount_fen: r.amount_fen,
            term_months: r.term_months,
            from_region_code: r.from_region_code.clone(),
            to_region_code: r.to_region_code.clone(),
        }
    }
}

/// Record a programme benefit of a household of your jurisdiction.
#[utoipa::path(
    tag = "registry", operation_id = "record_programme", security(("bearer" = [])),
    request_body = ProgrammeRecordBody,
    responses(
        (status = 201, description = "Recorded", body = ProgrammeRecordView),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[post("/programme-records")]
pub async fn record_programme(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<ProgrammeRecordDraft>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::WriteRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let record = body.parse(today_in_china()).map_err(ApiError::validation)?;
    let principal = caller.principal.clone();
    let row = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let household =
                    persistence::registry::households::find(conn, &record.household_id)?
                        .filter(|h| place_of(&h.region_code).is_ok_and(|p| principal.sees(&p)))
                        .ok_or_else(|| {
                            ApiError::validation(vec![FieldError::new(
                                "household_id",
                                "unknown_household",
                                "no household with this id in your jurisdiction",
                                "您的管辖范围内没有该贫困户",
                            )])
                        })?;
                let row = ProgrammeRecordRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    household_id: household.id.clone(),
                    region_code: household.region_code.clone(),
                    programme: record.programme.as_str().to_owned(),
                    happened_on: record.happened_on,
                    course: record.course.clone(),
                    subsidy_fen: record.subsidy_fen,
                    amount_fen: record.amount_fen,
                    term_months: record.term_months,
                    from_region_code: record.from_region.as_ref().map(ToString::to_string),
                    to_region_code: record.to_region.as_ref().map(ToString::to_string),
                    created_by: principal.id().to_owned(),
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert_programme_record(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "programme_record.create",
                    Some(("household", &household.id)),
                    Some(&place_of(&household.region_code)?),
                    true,
                    Some(serde_json::json!({"programme": row.programme})),
                )?;
                Ok(row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(ProgrammeRecordView::from(&row)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeRecordList {
    pub items: Vec<ProgrammeRecordView>,
}

/// A household's programme records, oldest first.
#[utoipa::path(
    tag = "registry", operation_id = "household_programmes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Household id")),
    responses(
        (status = 200, description = "The records", body = ProgrammeRecordList),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/households/{id}/programme-records")]
pub async fn household_programmes(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<web::Json<ProgrammeRecordList>, ApiError> {
    caller
        .may(Action::ReadRegistry)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    let rows = state
        .db(move |conn| {
            let household = persistence::registry::households::find(conn, &id)?
                .ok_or_else(ApiError::not_found)?;
            if !principal.sees(&place_of(&household.region_code)?) {
                return Err(ApiError::not_found());
            }
            Ok(store::programme_records_of(conn, &household.id)?)
        })
        .await?;
    Ok(web::Json(ProgrammeRecordList {
        items: rows.iter().map(ProgrammeRecordView::from).collect(),
    }))
}
