//! `/api/v1/donations` (爱心捐赠): a gift of money or goods to a verified organisation,
//! `pending` until a member of the receiving organisation confirms it; lists (a receiver's
//! `?received=true&status=pending` is what waits for it) and the annual statement.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use domain::donation::{DonationDraft, DonationStatus};
use domain::identity::Action;
use domain::input::calendar_year;

use super::views::{DonationBody, DonationPage, DonationView, Statement};
use crate::auth::caller::{Caller, RequestMeta};
use crate::error::ApiError;
use crate::http::etag;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, NotFound, SignedIn, WithBody};
use crate::service::donation::{self as service, DonationFilter};
use crate::state::AppState;

/// Give money or goods to a verified organisation. The gift is `pending`: it counts nowhere
/// and has no receipt until a member of the receiving organisation confirms it.
/// `donated_on` may not be in the future, before the organisation was registered, or more
/// than `FUPIN_DONATION_MAX_AGE_DAYS` (default 366) days back; at most 100 million yuan.
#[utoipa::path(
    tag = "participants", operation_id = "donate", security(("bearer" = [])),
    request_body = DonationBody,
    responses(
        (status = 201, description = "Recorded, pending the receiver's confirmation", body = DonationView, headers(("Location" = String, description = "URL of the donation"))),
        (status = 403, response = Forbidden),
        Always, SignedIn, WithBody,
    )
)]
#[post("/donations")]
pub async fn donate(
    state: web::Data<AppState>,
    caller: Caller,
    meta: RequestMeta,
    body: web::Json<DonationDraft>,
) -> Result<HttpResponse, ApiError> {
    caller.may(Action::Give)?;
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let max_age_days = state.donation_max_age_days;
    let donation = state
        .call(move |conn| service::donate(conn, &keys, &principal, &meta, &body, max_age_days))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/donations/{}", donation.id),
        ))
        .json(DonationView::from(donation)))
}

/// One donation.
#[utoipa::path(
    tag = "participants", operation_id = "get_donation", security(("bearer" = [])), params(("id" = String, Path, description = "Donation id")),
    responses(
        (status = 200, description = "The donation", body = DonationView, headers(("ETag" = String, description = "Entity tag, for `If-Match` on its actions"))),
        (status = 304, description = "Not modified"),
        (status = 404, response = NotFound),
        Always, SignedIn,
    )
)]
#[get("/donations/{id}")]
pub async fn get_donation(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (keys, principal) = (state.data_keys.clone(), caller.principal);
    let donation = state
        .call(move |conn| service::get(conn, &keys, &principal, &id))
        .await?;
    Ok(etag::respond(&req, &DonationView::from(donation)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DonationListParams {
    /// Organisation members: the gifts their organisation received.
    pub received: Option<bool>,
    /// Officials: only gifts to this organisation.
    pub organization_id: Option<String>,
    /// Officials: only gifts to organisations registered in this region (within their own).
    pub region: Option<String>,
    /// Only gifts to this campaign.
    pub campaign_id: Option<String>,
    /// Only gifts in this status: `pending`, `confirmed`, `rejected`, `refunded`, `voided`.
    pub status: Option<String>,
    /// Only gifts made in this calendar year.
    pub year: Option<i32>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl DonationListParams {
    fn filter(&self) -> Result<DonationFilter, ApiError> {
        let mut q = QueryReader::new();
        let region = q.region(self.region.as_deref());
        let year = q.optional(self.year, "year", |y| calendar_year(y, "year"));
        let status = q.optional(self.status.as_deref(), "status", DonationStatus::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        Ok(DonationFilter {
            received: self.received.unwrap_or(false),
            organization_id: self.organization_id.clone(),
            region,
            campaign_id: self.campaign_id.clone(),
            status,
            year,
            page,
        })
    }
}

/// Your donations, or (`received=true`) those your organisation received — with
/// `status=pending`, the gifts waiting for your organisation to confirm; for officials,
/// evaluators and integration clients with `platform:read`, the donations received by the
/// organisations of their jurisdiction.
#[utoipa::path(
    tag = "participants", operation_id = "list_donations", security(("bearer" = [])), params(DonationListParams),
    responses(
        (status = 200, description = "A page of donations", body = DonationPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/donations")]
pub async fn list_donations(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<DonationListParams>,
) -> Result<web::Json<DonationPage>, ApiError> {
    let filter = params.filter()?;
    let principal = caller.principal;
    let page = state
        .call(move |conn| service::list(conn, &principal, filter))
        .await?;
    Ok(web::Json(page.into()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementParams {
    /// The calendar year; default this year.
    pub year: Option<i32>,
}

/// Your confirmed donations of one year, with the deductible and non-deductible totals
/// (pending, rejected, refunded and voided gifts are not in it).
#[utoipa::path(
    tag = "participants", operation_id = "annual_statement", security(("bearer" = [])), params(StatementParams),
    responses(
        (status = 200, description = "The statement", body = Statement),
        Always, SignedIn,
    )
)]
#[get("/me/donations/statement")]
pub async fn annual_statement(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<StatementParams>,
) -> Result<web::Json<Statement>, ApiError> {
    let (principal, year) = (caller.principal, params.year);
    let statement = state
        .call(move |conn| service::annual_statement(conn, &principal, year))
        .await?;
    Ok(web::Json(statement.into()))
}
