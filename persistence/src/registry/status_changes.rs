//! A household's status history: who changed its status, from what to what, when and why.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use domain::region::RegionCode;
use domain::registry::{HouseholdStatus, StatusChange};

use super::households::fixed_chunks;
use crate::schema::household_status_changes as hsc;
use crate::{DbConn, PersistenceError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = hsc)]
#[diesel(treat_none_as_default_value = false)]
struct StatusChangeRow {
    id: String,
    household_id: String,
    county_code: String,
    from_status: Option<String>,
    to_status: String,
    exit_year: Option<i32>,
    reason: Option<String>,
    actor_id: Option<String>,
    changed_at: NaiveDateTime,
}

impl From<&StatusChange> for StatusChangeRow {
    fn from(c: &StatusChange) -> Self {
        StatusChangeRow {
            id: uuid::Uuid::now_v7().to_string(),
            household_id: c.household_id.clone(),
            county_code: c
                .county
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            from_status: c.from_status.map(|s| s.as_str().to_owned()),
            to_status: c.to_status.as_str().to_owned(),
            exit_year: c.exit_year,
            reason: c.reason.clone(),
            actor_id: c.actor_id.clone(),
            changed_at: c.changed_at.naive_utc(),
        }
    }
}

impl TryFrom<StatusChangeRow> for StatusChange {
    type Error = PersistenceError;

    fn try_from(r: StatusChangeRow) -> Result<Self, Self::Error> {
        Ok(StatusChange {
            household_id: r.household_id,
            county: Some(r.county_code.as_str())
                .filter(|c| !c.is_empty())
                .map(RegionCode::parse)
                .transpose()?,
            from_status: r
                .from_status
                .as_deref()
                .map(HouseholdStatus::parse)
                .transpose()?,
            to_status: HouseholdStatus::parse(&r.to_status)?,
            exit_year: r.exit_year,
            reason: r.reason,
            actor_id: r.actor_id,
            changed_at: r.changed_at.and_utc(),
        })
    }
}

pub fn record_status_change(
    conn: &mut DbConn,
    change: &StatusChange,
) -> Result<(), PersistenceError> {
    diesel::insert_into(hsc::table)
        .values(StatusChangeRow::from(change))
        .execute(conn)?;
    Ok(())
}

/// Records many status changes in multi-row statements (COPY on PostgreSQL).
pub fn record_status_changes(
    conn: &mut DbConn,
    changes: &[StatusChange],
) -> Result<(), PersistenceError> {
    let rows: Vec<StatusChangeRow> = changes.iter().map(StatusChangeRow::from).collect();
    if let DbConn::Postgresql(c) = conn {
        diesel::copy_from(hsc::table)
            .from_insertable(&rows)
            .execute(c)?;
        return Ok(());
    }
    for chunk in fixed_chunks(&rows) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(hsc::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// The household's status changes, oldest first.
pub fn status_history(
    conn: &mut DbConn,
    household_id: &str,
) -> Result<Vec<StatusChange>, PersistenceError> {
    hsc::table
        .filter(hsc::household_id.eq(household_id))
        .order(hsc::id)
        .select(StatusChangeRow::as_select())
        .load(conn)?
        .into_iter()
        .map(StatusChange::try_from)
        .collect()
}
