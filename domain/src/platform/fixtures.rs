//! Records for the unit tests of the platform's rules.

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    Amount, Need, NeedCategory, NeedStatus, Offer, OfferKind, OfferStatus, Pairing, PairingKind,
    PairingStatus, Pledge, PledgeStatus, Urgency,
};
use crate::region::RegionCode;

pub fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default()
}

fn village() -> RegionCode {
    RegionCode::parse("210921100201").unwrap_or_else(|_| unreachable!())
}

/// A published need of household `household_id` in village `v9` for 10 sets.
pub fn need(household_id: &str) -> Need {
    Need {
        id: "n1".into(),
        household_id: Some(household_id.into()),
        village_id: None,
        place: village(),
        place_name: "阜新蒙古族自治县 大巴镇 大巴村".into(),
        pseudonym: "户-3F9A2C".into(),
        cause: None,
        category: NeedCategory::Education,
        target_group: None,
        title: "校服".into(),
        description: "两套".into(),
        asked: Amount {
            value: 10,
            unit: Some("套".into()),
        },
        pledged: 0,
        urgency: Urgency::High,
        deadline: NaiveDate::from_ymd_opt(2026, 12, 20).unwrap_or_default(),
        evidence: vec![],
        status: NeedStatus::Published,
        status_reason: None,
        created_by: None,
        reviewed_by: None,
        published_at: Some(at()),
        version: 1,
        created_at: at(),
        updated_at: at(),
    }
}

pub fn offer(owner_id: &str) -> Offer {
    Offer {
        id: "o1".into(),
        owner_id: owner_id.into(),
        organization_id: None,
        category: NeedCategory::Education,
        kind: OfferKind::Goods,
        title: "校服".into(),
        description: None,
        amount: Amount {
            value: 100,
            unit: Some("套".into()),
        },
        regions: vec![],
        target_groups: vec![],
        valid_until: None,
        status: OfferStatus::Open,
        version: 1,
        created_at: at(),
        updated_at: at(),
    }
}

/// A proposed pairing of `participant_id` with a household or village (`v9` lies at the
/// place of [`need`]).
pub fn pairing(participant_id: &str, household: Option<&str>, village_id: Option<&str>) -> Pairing {
    Pairing {
        id: "p1".into(),
        participant_id: participant_id.into(),
        organization_id: None,
        household_id: household.map(Into::into),
        village_id: village_id.map(Into::into),
        place: village(),
        pseudonym: "户-3F9A2C".into(),
        place_name: String::new(),
        kind: PairingKind::Kinship,
        status: PairingStatus::Proposed,
        starts_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
        ends_on: None,
        note: None,
        participant_consented_at: at(),
        household_consented_at: None,
        household_consent_by: None,
        status_reason: None,
        version: 1,
        created_at: at(),
        updated_at: at(),
    }
}

/// A pledge of `amount` sets on [`need`].
pub fn pledge(amount: i64) -> Pledge {
    Pledge {
        id: "pl1".into(),
        need_id: "n1".into(),
        pledger_id: "u1".into(),
        organization_id: None,
        offer_id: None,
        pairing_id: None,
        place: village(),
        amount: Amount {
            value: amount,
            unit: Some("套".into()),
        },
        note: None,
        status: PledgeStatus::Pledged,
        evidence: vec![],
        delivery_note: None,
        cancel_reason: None,
        confirmed_by: None,
        pledged_at: at(),
        delivered_at: None,
        confirmed_at: None,
        cancelled_at: None,
        version: 1,
        updated_at: at(),
    }
}
