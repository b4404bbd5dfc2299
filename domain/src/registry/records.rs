//! The register's entries as kept: a parsed record ([`PoorVillage`], [`Household`]) with its
//! id and bookkeeping, the household's status history, and what a list shows of a household.

use chrono::{DateTime, Utc};

use super::classification::{HouseholdType, PovertyCause};
use super::household::Household;
use super::household_number::HouseholdNumber;
use super::status::HouseholdStatus;
use super::village::PoorVillage;
use crate::identity::PersonName;
use crate::money::Fen;
use crate::region::RegionCode;

/// A poor village on the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredVillage {
    pub id: String,
    pub village: PoorVillage,
    /// Counts every change, for optimistic concurrency.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RegisteredVillage {
    /// A village entering the register now.
    pub fn new(village: PoorVillage, now: DateTime<Utc>) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            village,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// The next version of this entry, holding `village`.
    #[must_use]
    pub fn revised(&self, village: PoorVillage, now: DateTime<Utc>) -> Self {
        Self {
            id: self.id.clone(),
            village,
            version: self.version + 1,
            created_at: self.created_at,
            updated_at: now,
        }
    }
}

/// A poor household on the register, with who entered and last changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredHousehold {
    pub id: String,
    pub household: Household,
    pub version: i32,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl RegisteredHousehold {
    /// A household entering the register now, by `actor` (an account or client id).
    pub fn new(household: Household, actor: Option<String>, now: DateTime<Utc>) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            household,
            version: 1,
            created_by: actor.clone(),
            updated_by: actor,
            created_at: now,
            updated_at: now,
        }
    }

    /// The next version of this entry, holding `household`, changed by `actor`.
    #[must_use]
    pub fn revised(&self, household: Household, actor: Option<String>, now: DateTime<Utc>) -> Self {
        Self {
            id: self.id.clone(),
            household,
            version: self.version + 1,
            created_by: self.created_by.clone(),
            updated_by: actor,
            created_at: self.created_at,
            updated_at: now,
        }
    }

    /// The history entry of a status change to the household's current status.
    pub fn status_change(
        &self,
        from: Option<HouseholdStatus>,
        reason: Option<String>,
        actor: Option<String>,
        at: DateTime<Utc>,
    ) -> StatusChange {
        StatusChange {
            household_id: self.id.clone(),
            county: self.household.county(),
            from_status: from,
            to_status: self.household.status,
            exit_year: self.household.exit_year,
            reason,
            actor_id: actor,
            changed_at: at,
        }
    }
}

/// One entry of a household's status history: who changed what, when, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub household_id: String,
    /// The household's county (every row that belongs to a place carries it).
    pub county: Option<RegionCode>,
    /// `None` for the entry made when the household was registered.
    pub from_status: Option<HouseholdStatus>,
    pub to_status: HouseholdStatus,
    pub exit_year: Option<i32>,
    pub reason: Option<String>,
    /// The account or client that made the change.
    pub actor_id: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// What a list shows of a household: no members, and of them only the head's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdSummary {
    pub id: String,
    pub household_number: HouseholdNumber,
    pub region_code: RegionCode,
    /// `None` when the household has no readable head's name.
    pub head_name: Option<PersonName>,
    pub member_count: i32,
    pub household_type: HouseholdType,
    pub main_cause: PovertyCause,
    pub income_per_person_fen: Fen,
    pub guarantees_met: bool,
    pub status: HouseholdStatus,
    pub exit_year: Option<i32>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::PoorVillageDraft;
    use crate::registry::test_support::today;

    fn village() -> PoorVillage {
        let text = |s: &str| Some(s.to_owned());
        PoorVillageDraft {
            region_code: text("210921100202"),
            registered_year: text("2014"),
            population: text("1200"),
            poor_household_count: text("86"),
            ..PoorVillageDraft::default()
        }
        .parse(today())
        .expect("valid")
    }

    #[test]
    fn a_revision_keeps_identity_and_counts_the_version() {
        let t0 = DateTime::from_timestamp(1_700_000_000, 0).expect("valid time");
        let t1 = DateTime::from_timestamp(1_700_000_100, 0).expect("valid time");
        let v = RegisteredVillage::new(village(), t0);
        assert_eq!((v.version, v.created_at, v.updated_at), (1, t0, t0));
        let mut changed = village();
        changed.population = 1300;
        let r = v.revised(changed, t1);
        assert_eq!((r.id.as_str(), r.version), (v.id.as_str(), 2));
        assert_eq!((r.created_at, r.updated_at), (t0, t1));
        assert_eq!(r.village.population, 1300);
    }
}
