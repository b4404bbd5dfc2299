//! `/api/v1/exports/households`: the registry in bulk, streamed as CSV (the import layout,
//! so it round-trips) or NDJSON, within the caller's jurisdiction and masked like any read.

use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, web};
use futures_util::Stream;
use serde::Deserialize;
use tokio::sync::mpsc;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use domain::identity::Action;
use domain::region::RegionCode;

use super::views::HouseholdView;
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::openapi::responses::{Always, Forbidden, SignedIn};
use crate::service::registry::exports::{self as service, ExportRequest, Format};
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

impl ExportParams {
    fn parse(self) -> Result<ExportRequest, ApiError> {
        let format = Format::parse(self.format.as_deref())
            .map_err(|e| ApiError::invalid_parameters(vec![e]))?;
        let region = self
            .region
            .as_deref()
            .map(RegionCode::parse)
            .transpose()
            .map_err(|e| ApiError::invalid_parameters(vec![e.for_field("region")]))?;
        Ok(ExportRequest {
            format,
            region,
            reveal: self.reveal.unwrap_or(false),
        })
    }
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
    caller.may(Action::Export)?;
    let request = params.into_inner().parse()?;
    let who = caller.principal;
    let spec = state
        .call(move |conn| service::prepare(conn, &who, &meta, request))
        .await?;
    let format = spec.format;
    let (pool, keys) = (state.pool.clone(), state.data_keys.clone());
    let rx = service::stream(pool, keys, spec, HouseholdView::write_line);
    Ok(HttpResponse::Ok()
        .content_type(content_type(format))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"households.{}\"", format.extension()),
        ))
        .streaming(chunks(rx)))
}

fn content_type(format: Format) -> &'static str {
    match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Ndjson => "application/x-ndjson",
    }
}

/// The export's chunks as a response body.
fn chunks(
    rx: mpsc::Receiver<Result<Vec<u8>, std::io::Error>>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item.map(Bytes::from), rx))
    })
}
