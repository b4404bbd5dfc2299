//! The registered poor people enterprise projects employ: recording one, and the count of
//! different people in a year.

use chrono::Datelike;

use domain::enterprise::employment_year;
use domain::identity::{IdCardNumber, Principal, today_in_china};
use domain::region::RegionCode;
use persistence::crypto::DataKeys;
use persistence::enterprise as store;
use persistence::{DbConn, write_transaction};

use super::projects::{ProjectDetail, detail, run_by_caller};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// A member of the enterprise records a registered poor person (named by ID number) the
/// project employs in `year` (default this year); again is no change.
pub fn record_employment(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    id_number: &IdCardNumber,
    year: Option<i32>,
) -> ServiceResult<ProjectDetail> {
    let year = employment_year(year, today_in_china().year())?;
    write_transaction(conn, |conn| {
        let project = run_by_caller(conn, who, id)?;
        let now = chrono::Utc::now().naive_utc();
        if !store::employ(conn, keys, &project.id, id_number, year, now)? {
            return Err(ServiceError::field(
                "id_number",
                "not_registered",
                "this person is not in the registry of poor households",
                "此人不在建档立卡贫困人口中",
            ));
        }
        Audit::by(who, "enterprise_project.employ")
            .on("enterprise_project", &project.id)
            .details(serde_json::json!({"year": year}))
            .record(conn, meta)?;
        detail(conn, project)
    })
}

/// Different registered poor people employed by enterprise projects in `year`, counted
/// where their household lives within the caller's jurisdiction (narrowed by `region`).
pub fn employment_total(
    conn: &mut DbConn,
    who: &Principal,
    year: i32,
    region: Option<RegionCode>,
) -> ServiceResult<i64> {
    match narrow(scope_of(who)?, region) {
        Reach::Within(living_in) => Ok(store::people_employed(
            conn,
            None,
            living_in.as_ref(),
            year,
        )?),
        Reach::Nowhere => Ok(0),
    }
}
