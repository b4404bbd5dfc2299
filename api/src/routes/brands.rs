//! `/api/v1/brands` and `/api/v1/public/brands`: the public-benefit brands and programmes of
//! task 7 (光彩事业, 希望工程, 雨露计划 …), present on every fresh install.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use persistence::brand::{self as store, BrandRow};

use crate::error::ApiError;
use crate::openapi::responses::{BadRequest, Internal, TooManyRequests};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_public_brands);
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
        (status = 400, response = BadRequest), (status = 429, response = TooManyRequests), (status = 500, response = Internal),
    )
)]
#[get("/public/brands")]
pub async fn list_public_brands(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let rows = state.db(|conn| Ok(store::all(conn)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CACHE_CONTROL,
            crate::routes::public_needs::PUBLIC_CACHE,
        ))
        .json(BrandList {
            items: rows.iter().map(BrandView::from).collect(),
        }))
}
