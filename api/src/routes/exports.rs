//! `/api/v1/exports/households`: the registry in bulk, streamed as CSV (the import layout,
//! so it round-trips) or NDJSON, within the caller's jurisdiction and masked like any read.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::FieldError;
use domain::identity::Action;
use domain::region::RegionCode;

use crate::audit::{self, Actor};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, SignedIn};
use crate::personal::{self, Disclosure};
use crate::registry::export::{self, ExportSpec, Format};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(export_households);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// `csv` (the import layout) or `ndjson` (one household per line).
    pub format: Option<String>,
    /// This region and everything under it (within the caller's jurisdiction).
    pub region: Option<String>,
    /// Unmasked names, ID and phone numbers (so the CSV re-imports). Allowed to platform
    /// admins, and to officials for their jurisdiction; audited.
    pub reveal: Option<bool>,
}

/// Export households.
#[utoipa::path(
    tag = "registry", operation_id = "export_households", security(("bearer" = [])), params(ExportParams),
    responses(
        (status = 200, description = "The export, streamed", content(
            (String = "text/csv", example = "household_number,region_code,scattered,...\n"),
            (String = "application/x-ndjson"),
        )),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/exports/households")]
pub async fn export_households(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    params: web::Query<ExportParams>,
) -> Result<HttpResponse, ApiError> {
    caller
        .may(Action::Export)
        .map_err(|_| ApiError::forbidden())?;
    let p = params.into_inner();
    let format = match p.format.as_deref().unwrap_or("csv") {
        "csv" => Format::Csv,
        "ndjson" => Format::Ndjson,
        other => {
            return Err(ApiError::invalid_parameters(vec![FieldError::new(
                "format",
                "unknown_format",
                format!("unknown format {other:?}: csv or ndjson"),
                format!("未知格式 {other:?}：应为 csv 或 ndjson"),
            )]));
        }
    };
    let region = p
        .region
        .as_deref()
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| ApiError::invalid_parameters(vec![e.for_field("region")]))?;
    let narrowed = narrow(scope_of(&caller)?, region);
    let principal = caller.principal.clone();
    let reveal = p.reveal.unwrap_or(false);
    let empty = narrowed == Reach::Nowhere;
    let (within, disclosure) = match narrowed {
        Reach::Within(within) => {
            let place = within.clone();
            let d = state
                .db(move |conn| {
                    let object = place
                        .as_ref()
                        .map_or_else(|| "all".to_owned(), ToString::to_string);
                    let d = if reveal {
                        personal::reveal(
                            conn,
                            &principal,
                            &meta,
                            &personal::Subject {
                                object_type: "household_export",
                                object_id: &object,
                                place: place.as_ref(),
                                own: false,
                            },
                        )?
                    } else {
                        Disclosure::MASKED
                    };
                    audit::record(
                        conn,
                        &Actor::Principal(&principal),
                        &meta,
                        "registry.export",
                        Some(("household_export", &object)),
                        place.as_ref(),
                        true,
                        Some(serde_json::json!({"revealed": d.is_full()})),
                    )?;
                    Ok(d)
                })
                .await?;
            (within, d)
        }
        Reach::Nowhere => (None, Disclosure::MASKED),
    };
    let rx = export::stream(
        state.pool.clone(),
        state.data_keys.clone(),
        ExportSpec {
            within,
            format,
            disclosure,
            empty,
        },
    );
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let (content_type, ext) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::Ndjson => ("application/x-ndjson", "ndjson"),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"households.{ext}\""),
        ))
        .streaming(body))
}
