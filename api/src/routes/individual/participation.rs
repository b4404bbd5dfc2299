//! `/api/v1/me/participation` and `/api/v1/individuals/work-units`: what a person did in a
//! year, and the "lead by example" tally of public bodies' staff by work unit.

use actix_web::{get, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use domain::identity::{Action, today_in_china};
use domain::input::calendar_year;
use domain::social_org::OrganizationKind;

use super::views::{MyParticipation, WorkUnitPage};
use crate::auth::caller::Caller;
use crate::error::ApiError;
use crate::http::query::QueryReader;
use crate::openapi::responses::{Always, Forbidden, SignedIn};
use crate::service::individual::{self as service, UnitFilter};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The calendar year; default this year.
    pub year: Option<i32>,
}

/// Your participation in a year, in every form the policy names.
#[utoipa::path(
    tag = "participants", operation_id = "my_participation", security(("bearer" = [])), params(YearParams),
    responses(
        (status = 200, description = "Your year", body = MyParticipation),
        Always, SignedIn,
    )
)]
#[get("/me/participation")]
pub async fn my_participation(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<YearParams>,
) -> Result<web::Json<MyParticipation>, ApiError> {
    let (principal, year) = (caller.principal, params.year);
    let (year, mine) = state
        .call(move |conn| service::my_participation(conn, &principal, year))
        .await?;
    Ok(web::Json(MyParticipation {
        year,
        participation: mine.into(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitParams {
    /// The calendar year; default this year.
    pub year: Option<i32>,
    /// Units registered in this region (within the caller's own).
    pub region: Option<String>,
    /// `government_department`, `designated_unit` or `people_organization`.
    pub kind: Option<String>,
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

impl UnitParams {
    fn filter(&self) -> Result<UnitFilter, ApiError> {
        let year = self.year.unwrap_or_else(|| today_in_china().year());
        let mut q = QueryReader::new();
        let days = q.optional(Some(year), "year", |y| calendar_year(y, "year"));
        let region = q.region(self.region.as_deref());
        let kind = q.optional(self.kind.as_deref(), "kind", OrganizationKind::parse);
        let page = q.page::<String>(self.limit, self.cursor.as_deref())?;
        let days = days.ok_or_else(|| ApiError::internal("year checked above"))?;
        Ok(UnitFilter {
            year,
            days,
            region,
            kind,
            page,
        })
    }
}

/// The participation of public bodies' staff by work unit in a year (带头示范): units of the
/// caller's jurisdiction with confirmed staff, in id order (officials, evaluators, integration
/// clients with `platform:read`).
#[utoipa::path(
    tag = "participants", operation_id = "work_unit_participation", security(("bearer" = [])), params(UnitParams),
    responses(
        (status = 200, description = "A page of work units", body = WorkUnitPage),
        (status = 403, response = Forbidden),
        Always, SignedIn,
    )
)]
#[get("/individuals/work-units")]
pub async fn work_unit_participation(
    state: web::Data<AppState>,
    caller: Caller,
    params: web::Query<UnitParams>,
) -> Result<web::Json<WorkUnitPage>, ApiError> {
    caller.may(Action::ReadParticipation)?;
    let filter = params.filter()?;
    let (year, keys, principal) = (filter.year, state.data_keys.clone(), caller.principal);
    let page = state
        .call(move |conn| service::work_unit_participation(conn, &keys, &principal, filter))
        .await?;
    Ok(web::Json(WorkUnitPage::of(year, page)))
}
