//! What the API shows of work units, their staff and participation, and the request
//! bodies.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use domain::individual::{AffiliationStatus, Participation, StaffClaim, WorkUnitTally};
use domain::social_org::{Organization, OrganizationKind};

use crate::http::pagination::Page;
use crate::service::individual::{UnitTallies, WorkUnit};

/// The body of `PUT /me/work-unit`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f"}))]
pub struct WorkUnitBody {
    /// A verified government department, designated unit or people's organisation.
    pub organization_id: String,
}

/// A person's work unit and whether the unit confirmed it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "0193a6f4-7a10-7c2e-9d41-2f8e3b6c1a05", "organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "organization_name": "阜新市民政局", "status": "confirmed", "status_reason": null, "claimed_at": "2026-11-20T02:15:00Z", "decided_at": "2026-11-21T01:30:00Z"}))]
pub struct WorkUnitView {
    pub user_id: String,
    pub organization_id: String,
    pub organization_name: String,
    /// `pending`, `confirmed`, `rejected`; only confirmed staff count for the unit.
    #[schema(schema_with = crate::openapi::labelled::<AffiliationStatus>)]
    pub status: String,
    pub status_reason: Option<String>,
    pub claimed_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What a person, or a unit's staff together, did in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct ParticipationView {
    /// Donations (爱心捐赠) and their amount.
    pub donations: i64,
    pub donated_fen: i64,
    /// Volunteer hours (志愿服务) the organisers certified; uncertified hours never count.
    pub volunteer_hours: f64,
    /// Pairings with households or villages (结对帮扶) in effect during the year.
    pub pairings: i64,
    /// Pledges whose delivery the household side confirmed.
    pub confirmed_pledges: i64,
    /// Campaigns joined (visits 访贫慰问, kinship pairing 结对认亲, fund-raising …).
    pub campaigns_joined: i64,
}

impl From<Participation> for ParticipationView {
    fn from(p: Participation) -> Self {
        ParticipationView {
            donations: p.donations,
            donated_fen: p.donated_fen,
            volunteer_hours: p.volunteer_tenths as f64 / 10.0,
            pairings: p.pairings,
            confirmed_pledges: p.confirmed_pledges,
            campaigns_joined: p.campaigns_joined,
        }
    }
}

/// One person's year.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyParticipation {
    pub year: i32,
    #[serde(flatten)]
    pub participation: ParticipationView,
}

/// A person who named the unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub user_id: String,
    /// Their public display name, when they gave one.
    pub display_name: Option<String>,
    #[schema(schema_with = crate::openapi::labelled::<AffiliationStatus>)]
    pub status: String,
    pub status_reason: Option<String>,
    pub claimed_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffPage {
    pub items: Vec<StaffView>,
    pub next_cursor: Option<String>,
}

/// A reason, required to reject.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "本单位无此职工"}))]
pub struct DecisionBody {
    pub reason: Option<String>,
}

/// A work unit's "lead by example" tally.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "name": "阜新市民政局", "kind": "government_department", "region_code": "210900", "staff": 120, "participating_staff": 87, "participation_per_mille": 725, "donations": 214, "donated_fen": 6420000, "volunteer_hours": 356.5, "pairings": 31, "confirmed_pledges": 12, "campaigns_joined": 64}))]
pub struct WorkUnitParticipation {
    pub organization_id: String,
    pub name: String,
    #[schema(schema_with = crate::openapi::labelled::<OrganizationKind>)]
    pub kind: String,
    pub region_code: String,
    /// Confirmed staff.
    pub staff: i64,
    /// Confirmed staff who took part in any form during the year, each counted once.
    pub participating_staff: i64,
    /// Participating staff per thousand staff.
    pub participation_per_mille: i64,
    /// What the participating staff did, summed.
    #[serde(flatten)]
    pub totals: ParticipationView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkUnitPage {
    pub year: i32,
    pub items: Vec<WorkUnitParticipation>,
    pub next_cursor: Option<String>,
}

impl From<WorkUnit> for WorkUnitView {
    fn from(w: WorkUnit) -> Self {
        let c = w.claim;
        WorkUnitView {
            user_id: c.user_id,
            organization_id: c.organization_id,
            organization_name: w.unit.spec.name,
            status: c.status.as_str().to_owned(),
            status_reason: c.status_reason,
            claimed_at: c.claimed_at.and_utc(),
            decided_at: c.decided_at.map(|t| t.and_utc()),
        }
    }
}

impl From<Page<StaffClaim>> for StaffPage {
    fn from(page: Page<StaffClaim>) -> Self {
        let page = page.map(|s| StaffView {
            user_id: s.claim.user_id,
            display_name: s.display_name,
            status: s.claim.status.as_str().to_owned(),
            status_reason: s.claim.status_reason,
            claimed_at: s.claim.claimed_at.and_utc(),
            decided_at: s.claim.decided_at.map(|t| t.and_utc()),
        });
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

fn unit_row(u: Organization, t: WorkUnitTally) -> WorkUnitParticipation {
    WorkUnitParticipation {
        organization_id: u.id,
        name: u.spec.name,
        kind: u.spec.kind.as_str().to_owned(),
        region_code: u.spec.region.to_string(),
        staff: t.staff,
        participating_staff: t.participating,
        participation_per_mille: t.per_mille(),
        totals: t.totals.into(),
    }
}

impl WorkUnitPage {
    pub fn of(year: i32, page: UnitTallies) -> Self {
        let page = page.map(|(u, t)| unit_row(u, t));
        Self {
            year,
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_shown_in_hours() {
        let v = ParticipationView::from(Participation {
            volunteer_tenths: 35,
            ..Participation::default()
        });
        assert!((v.volunteer_hours - 3.5).abs() < f64::EPSILON);
    }
}
