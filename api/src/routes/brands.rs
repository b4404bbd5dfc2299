//! `/api/v1/brands` and `/api/v1/public/brands`: the public-benefit brands and programmes of
//! task 7 (光彩事业, 希望工程, 雨露计划 …), present on every fresh install.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use persistence::brand::{self as store, BrandRow, CampaignRow};
use persistence::write_transaction;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Conflict, Forbidden, NotFound, SignedIn, WithBody};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_public_brands)
        .service(create_campaign)
        .service(join_campaign)
        .service(list_public_campaigns);
}

/// A brand or programme.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "brand-hope-project", "code": "hope_project", "name": "希望工程", "kind": "brand", "owner": "中国青少年发展基金会", "description": "资助贫困地区失学儿童、援建希望小学", "target_group": "children", "builtin": true}))]
pub struct BrandView {
    pub id: String,
    pub code: String,
    pub name: String,
    /// `brand` (公益品牌) or `programme` (扶贫项目).
    pub kind: String,
    pub owner: String,
    pub description: String,
    #[schema(schema_with = crate::openapi::labelled_or_null::<domain::platform::TargetGroup>)]
    pub target_group: Option<String>,
    /// Part of the reference catalogue.
    pub builtin: bool,
}

impl From<&BrandRow> for BrandView {
    fn from(b: &BrandRow) -> Self {
        BrandView {
            id: b.id.clone(),
            code: b.code.clone(),
            name: b.name.clone(),
            kind: b.kind.clone(),
            owner: b.owner.clone(),
            description: b.description.clone(),
            target_group: b.target_group.clone(),
            builtin: b.builtin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BrandList {
    pub items: Vec<BrandView>,
}

/// The brand and programme catalogue, for anyone.
#[utoipa::path(
    tag = "public", operation_id = "list_public_brands",
    responses(
        (status = 200, description = "Every brand and programme", body = BrandList,
            headers(("Cache-Control" = String, description = "`public, max-age=60`"))),
        Always,
    )
)]
#[get("/public/brands")]
pub async fn list_public_brands(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let rows = state.db(|conn| Ok(store::all(conn)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, crate::http::etag::PUBLIC_CACHE))
        .json(BrandList {
            items: rows.iter().map(BrandView::from).collect(),
        }))
}

/// The body of `POST /campaigns`.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"brand_id": "brand-hope-project", "kind": "fundraising", "title": "阜新希望小学冬衣募捐", "goal_fen": 10000000, "starts_on": "2026-12-01", "ends_on": "2027-01-31", "target_group": "children", "region_codes": ["210900"]}))]
pub struct CampaignBody {
    pub brand_id: String,
    /// `kinship`, `fundraising`, `visiting`, `other`.
    #[schema(schema_with = crate::openapi::labelled::<domain::brand::CampaignKind>)]
    pub kind: String,
    pub title: String,
    pub goal_fen: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub target_group: Option<String>,
    #[serde(default)]
    pub region_codes: Vec<String>,
}

/// A campaign with what it has raised so far (the sum of its donations).
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: String,
    pub brand_id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<domain::brand::CampaignKind>)]
    pub kind: String,
    pub title: String,
    pub goal_fen: i64,
    pub raised_fen: i64,
    /// People and organisations taking part.
    pub participants: i64,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub target_group: Option<String>,
    pub region_codes: Vec<String>,
}

fn campaign_view(
    conn: &mut persistence::DbConn,
    c: &CampaignRow,
) -> Result<CampaignView, ApiError> {
    Ok(CampaignView {
        id: c.id.clone(),
        brand_id: c.brand_id.clone(),
        organization_id: c.organization_id.clone(),
        kind: c.kind.clone(),
        title: c.title.clone(),
        goal_fen: c.goal_fen,
        raised_fen: store::raised(conn, &c.id)?,
        participants: store::participant_count(conn, &c.id)?,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        target_group: c.target_group.clone(),
        region_codes: c
            .region_codes
            .split(' ')
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

/// Run a campaign under a brand (members of a verified organisation).
#[utoipa::path(
    tag = "participants", operation_id = "create_campaign", security(("bearer" = [])),
    request_body = CampaignBody,
    responses(
        (status = 201, description = "Published", body = CampaignView),
        (status = 403, response = Forbidden),
        (status = 409, response = Conflict),
        Always, SignedIn, WithBody,
    )
)]
#[post("/campaigns")]
pub async fn create_campaign(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<CampaignBody>,
) -> Result<HttpResponse, ApiError> {
    use domain::FieldError;
    let b = body.into_inner();
    let mut errors = Vec::new();
    let kind = domain::brand::CampaignKind::parse(&b.kind)
        .map_err(|e| errors.push(e))
        .ok();
    let title = domain::platform::text::required_text(Some(&b.title), "title", 100)
        .map_err(|e| errors.push(e))
        .ok();
    if !(1..=domain::platform::MAX_AMOUNT).contains(&b.goal_fen) {
        errors.push(FieldError::new(
            "goal_fen",
            "out_of_range",
            "goal_fen is 1 to 10^12",
            "goal_fen 超出范围",
        ));
    }
    let period = domain::input::parse_period(&b.starts_on, &b.ends_on)
        .map_err(|e| errors.extend(e))
        .ok();
    let group = b
        .target_group
        .as_deref()
        .map(domain::platform::TargetGroup::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let mut regions = Vec::new();
    for (i, r) in b.region_codes.iter().enumerate() {
        match domain::region::RegionCode::parse(r) {
            Ok(code) => regions.push(code.to_string()),
            Err(e) => errors.push(e.for_field(format!("region_codes[{i}]"))),
        }
    }
    let (Some(kind), Some(title), Some((starts_on, ends_on)), true) =
        (kind, title, period, errors.is_empty())
    else {
        return Err(ApiError::validation(errors));
    };
    let keys = state.data_keys.clone();
    let principal = caller.principal.clone();
    let view = state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let org = crate::service::social_org::acting_organization(conn, &keys, &principal)?;
                store::find_brand(conn, &b.brand_id)?.ok_or_else(|| {
                    ApiError::validation(vec![FieldError::new(
                        "brand_id",
                        "unknown_brand",
                        "no such brand",
                        "没有该品牌",
                    )])
                })?;
                let row = CampaignRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    brand_id: b.brand_id.clone(),
                    organization_id: org.id,
                    kind: kind.as_str().to_owned(),
                    title,
                    goal_fen: b.goal_fen,
                    starts_on,
                    ends_on,
                    target_group: group.map(|g| g.as_str().to_owned()),
                    region_codes: regions.join(" "),
                    created_by: principal.id().to_owned(),
                    created_at: chrono::Utc::now().naive_utc(),
                };
                store::insert_campaign(conn, &row)?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "campaign.create",
                    Some(("campaign", &row.id)),
                    None,
                    true,
                    None,
                )?;
                campaign_view(conn, &row)
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignPage {
    pub items: Vec<CampaignView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignParams {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Campaigns, with what each has raised, for anyone.
#[utoipa::path(
    tag = "public", operation_id = "list_public_campaigns", params(CampaignParams),
    responses(
        (status = 200, description = "A page of campaigns", body = CampaignPage,
            headers(("Cache-Control" = String, description = "`public, max-age=60`"))),
        Always,
    )
)]
#[get("/public/campaigns")]
pub async fn list_public_campaigns(
    state: web::Data<AppState>,
    params: web::Query<CampaignParams>,
) -> Result<HttpResponse, ApiError> {
    let page = crate::http::pagination::PageRequest::<String>::parse(
        params.limit,
        params.cursor.as_deref(),
    )
    .map_err(|e| ApiError::invalid_parameters(vec![e]))?;
    let (after, fetch, limit) = (page.after.clone(), page.fetch(), page.limit);
    let body = state
        .db(move |conn| {
            let rows = store::list_campaigns(conn, after.as_deref(), fetch)?;
            let (rows, next_cursor) =
                crate::http::pagination::finish(rows, limit, |r| r.id.clone());
            let items = rows
                .iter()
                .map(|r| campaign_view(conn, r))
                .collect::<Result<_, _>>()?;
            Ok(CampaignPage { items, next_cursor })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, crate::http::etag::PUBLIC_CACHE))
        .json(body))
}

/// Take part in a campaign (organisation members, donors, volunteers); joining again
/// changes nothing.
#[utoipa::path(
    tag = "participants", operation_id = "join_campaign", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    responses(
        (status = 204, description = "Taking part"),
        (status = 403, response = Forbidden), (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[post("/campaigns/{id}/participants")]
pub async fn join_campaign(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(domain::identity::Action::Give)
        .map_err(|_| ApiError::forbidden())?;
    let principal = caller.principal.clone();
    state
        .db(move |conn| {
            write_transaction(conn, |conn| {
                let campaign = store::find_campaign(conn, &id)?.ok_or_else(ApiError::not_found)?;
                store::join_campaign(
                    conn,
                    &campaign.id,
                    principal.id(),
                    principal.organization_id.as_deref(),
                    chrono::Utc::now().naive_utc(),
                )?;
                audit::record(
                    conn,
                    &Actor::Principal(&principal),
                    &meta,
                    "campaign.join",
                    Some(("campaign", &campaign.id)),
                    None,
                    true,
                    None,
                )
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
