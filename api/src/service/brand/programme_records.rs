//! Programme records of registered households, kept by the officials and cadres of the
//! household's place.

use domain::FieldError;
use domain::brand::{ProgrammeRecordDraft, RecordedProgramme};
use domain::identity::{Principal, today_in_china};
use persistence::brand as store;
use persistence::{DbConn, write_transaction};

use super::{new_id, now};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Records a programme benefit of a household of the caller's jurisdiction (a household
/// outside it is an invalid field, as if unknown).
pub fn record_programme(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    draft: &ProgrammeRecordDraft,
) -> ServiceResult<RecordedProgramme> {
    let record = draft
        .parse(today_in_china())
        .map_err(ServiceError::validation)?;
    write_transaction(conn, |conn| {
        let region = store::household_place(conn, &record.household_id)?
            .filter(|place| who.sees(place))
            .ok_or_else(|| {
                FieldError::new(
                    "household_id",
                    "unknown_household",
                    "no household with this id in your jurisdiction",
                    "您的管辖范围内没有该贫困户",
                )
            })?;
        let kept = RecordedProgramme {
            id: new_id(),
            record: record.clone(),
            region,
            created_by: who.id().to_owned(),
            created_at: now(),
        };
        store::insert_programme_record(conn, &kept)?;
        Audit::by(who, "programme_record.create")
            .on("household", &kept.record.household_id)
            .at(&kept.region)
            .details(serde_json::json!({"programme": kept.record.programme.as_str()}))
            .record(conn, meta)?;
        Ok(kept)
    })
}

/// A household's programme records, oldest first (404 outside the caller's jurisdiction).
pub fn household_programmes(
    conn: &mut DbConn,
    who: &Principal,
    household_id: &str,
) -> ServiceResult<Vec<RecordedProgramme>> {
    let place = store::household_place(conn, household_id)?.ok_or_else(ServiceError::not_found)?;
    if !who.sees(&place) {
        return Err(ServiceError::not_found());
    }
    Ok(store::programme_records_of(conn, household_id)?)
}
