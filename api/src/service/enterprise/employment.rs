//! The people enterprise projects employ: an enterprise's claims (named by ID number), an
//! official's decision on those the registry cannot settle without telling the enterprise
//! who is registered, and the count of different people employed in a year.

use chrono::Datelike;

use domain::enterprise::{ClaimAction, ClaimStatus, EmploymentClaim, Project, employment_year};
use domain::identity::{Action, IdCardNumber, Principal, today_in_china};
use domain::region::RegionCode;
use persistence::crypto::DataKeys;
use persistence::enterprise as store;
use persistence::enterprise::claims::{self, ClaimQuery};
use persistence::page::{Page, PageRequest};
use persistence::{DbConn, write_transaction};

use super::projects::run_by_caller;
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// A member of the enterprise claims the project employs the person holding `id_number` in
/// `year` (default this year). Someone registered in one of the project's own villages is
/// recorded at once; any other claim waits for an official of the project's villages, so
/// the answer is the same for a person registered elsewhere and for one not registered at
/// all. A repeated claim answers the first one. Every claim is audited on the project, with
/// the number masked.
pub fn record_employment(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    id_number: &IdCardNumber,
    year: Option<i32>,
) -> ServiceResult<EmploymentClaim> {
    let year = employment_year(year, today_in_china().year())?;
    write_transaction(conn, |conn| {
        let project = run_by_caller(conn, who, id)?;
        let claim = match claims::find_for(conn, keys, &project.id, year, id_number)? {
            Some(claim) => claim,
            None => new_claim(conn, keys, who, &project, id_number, year)?,
        };
        Audit::by(who, "enterprise_project.employment_claim")
            .on("enterprise_project", &project.id)
            .details(serde_json::json!({
                "claim_id": claim.id,
                "year": year,
                "id_number": id_number.masked(),
                "status": claim.status.as_str(),
            }))
            .record(conn, meta)?;
        Ok(claim)
    })
}

fn new_claim(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    project: &Project,
    id_number: &IdCardNumber,
    year: i32,
) -> ServiceResult<EmploymentClaim> {
    let now = chrono::Utc::now().naive_utc();
    let own_villager = store::registered_person(conn, keys, id_number)?
        .filter(|(_, village)| project.spec.villages.contains(village));
    let status = match &own_villager {
        Some((member_id, _)) => {
            store::employ(conn, &project.id, member_id, year, now)?;
            ClaimStatus::Recorded
        }
        None => ClaimStatus::Pending,
    };
    let claim = EmploymentClaim {
        id: uuid::Uuid::now_v7().to_string(),
        project_id: project.id.clone(),
        year,
        id_number: id_number.clone(),
        status,
        created_by: who.id().to_owned(),
        created_at: now,
        decided_by: None,
        decided_at: None,
    };
    claims::insert(conn, keys, &claim)?;
    Ok(claim)
}

/// The project of a claim, if the official's jurisdiction holds one of its villages (else
/// 404: the claim is outside their reach).
fn project_in_reach(
    conn: &mut DbConn,
    who: &Principal,
    project_id: &str,
) -> ServiceResult<Project> {
    let scope = scope_of(who).map_err(|_| ServiceError::not_found())?;
    let project = store::find(conn, project_id)?.ok_or_else(ServiceError::not_found)?;
    let reached = match &scope {
        None => true,
        Some(region) => project.spec.villages.iter().any(|v| region.contains(v)),
    };
    if !reached {
        return Err(ServiceError::not_found());
    }
    Ok(project)
}

/// An official of one of the project's villages confirms a pending claim (the person must
/// be a registered poor person; they are then counted) or rejects it. Two officials at
/// once: one wins, the other gets 409.
pub fn decide_claim(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    action: ClaimAction,
) -> ServiceResult<EmploymentClaim> {
    who.may(Action::WriteRegistry)?;
    write_transaction(conn, |conn| {
        let claim = claims::find(conn, keys, id)?.ok_or_else(ServiceError::not_found)?;
        let project = project_in_reach(conn, who, &claim.project_id)?;
        let next = claim.status.transition(action)?;
        let now = chrono::Utc::now().naive_utc();
        if action == ClaimAction::Confirm {
            let Some((member_id, _)) = store::registered_person(conn, keys, &claim.id_number)?
            else {
                return Err(ServiceError::field(
                    "id_number",
                    "not_registered",
                    "this person is not in the registry of poor households: reject the claim",
                    "此人不在建档立卡贫困人口中，请驳回该申报",
                ));
            };
            store::employ(conn, &project.id, &member_id, claim.year, now)?;
        }
        if !claims::decide(conn, &claim.id, claim.status, next, who.id(), now)? {
            return Err(ServiceError::changed_meanwhile("用工申报", "claim"));
        }
        Audit::by(who, format!("employment_claim.{}", action.as_str()))
            .on("employment_claim", &claim.id)
            .details(serde_json::json!({
                "project_id": project.id,
                "year": claim.year,
                "id_number": claim.id_number.masked(),
            }))
            .record(conn, meta)?;
        claims::find(conn, keys, &claim.id)?
            .ok_or_else(|| ServiceError::internal("decided claim vanished"))
    })
}

/// What a list of claims asks for.
#[derive(Debug, Clone)]
pub struct ClaimFilter {
    pub project_id: Option<String>,
    pub status: Option<ClaimStatus>,
    pub page: PageRequest<String>,
}

/// Claims: for those who oversee, the claims of projects serving a village of their
/// jurisdiction; for an enterprise's members their own projects' claims.
pub fn list_claims(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    filter: ClaimFilter,
) -> ServiceResult<Page<EmploymentClaim>> {
    let mut query = ClaimQuery {
        serving: None,
        organization_id: None,
        project_id: filter.project_id,
        status: filter.status,
        page: filter.page,
    };
    if who.may(Action::ReadParticipation).is_ok() {
        let Reach::Within(serving) = narrow(scope_of(who)?, None) else {
            return Ok(Page::empty());
        };
        query.serving = serving;
    } else {
        let own = who
            .organization_id
            .clone()
            .ok_or_else(ServiceError::forbidden)?;
        query.organization_id = Some(own);
    }
    Ok(claims::list(conn, keys, &query)?)
}

/// Different registered poor people employed by enterprise projects in `year` (recorded or
/// confirmed claims), counted where their household lives within the caller's jurisdiction
/// (narrowed by `region`).
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
