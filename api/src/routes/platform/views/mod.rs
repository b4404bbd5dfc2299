//! What the platform routes show, built from the domain's records: needs (for the
//! jurisdiction, and for the public without any personal data), offers, pledges with their
//! trail, pairings.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use domain::platform::{Amount, Evidence, NeedStatus, PairingKind, PairingStatus, PledgeStatus};

use crate::openapi::labelled;
use crate::service::platform::pairings::PairingDetail;
use crate::service::platform::pledges::PledgeDetail;

mod need;
mod offer;

pub use need::{BeneficiaryView, NeedView, PublicNeedView};
pub use offer::OfferView;

/// An amount in its measure: `amount_fen` for money, else `quantity` and `unit`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasureView {
    pub amount_fen: Option<i64>,
    pub quantity: Option<i64>,
    pub unit: Option<String>,
}

impl MeasureView {
    pub fn of(value: i64, unit: Option<&str>) -> Self {
        match unit {
            None => MeasureView {
                amount_fen: Some(value),
                quantity: None,
                unit: None,
            },
            Some(u) => MeasureView {
                amount_fen: None,
                quantity: Some(value),
                unit: Some(u.to_owned()),
            },
        }
    }
}

impl From<&Amount> for MeasureView {
    fn from(a: &Amount) -> Self {
        MeasureView::of(a.value, a.unit.as_deref())
    }
}

/// An attachment: a URL and the SHA-256 of the file.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceView {
    pub url: String,
    pub sha256: String,
}

impl From<&Evidence> for EvidenceView {
    fn from(e: &Evidence) -> Self {
        EvidenceView {
            url: e.url.clone(),
            sha256: e.sha256.clone(),
        }
    }
}

/// An attachment in a request.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "documents the body")]
pub struct EvidenceBody {
    /// Absolute `http(s)` URL.
    url: String,
    /// SHA-256 of the file, 64 hex characters.
    sha256: String,
}

/// Feedback from the household side.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: String,
    pub message: String,
    pub rating: Option<i32>,
    pub household_acknowledged: bool,
    pub created_at: DateTime<Utc>,
}

/// The need a pledge is for, as its donor sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PledgedNeedView {
    pub id: String,
    pub title: String,
    pub pseudonym: String,
    pub place_name: String,
    #[schema(schema_with = labelled::<NeedStatus>)]
    pub status: String,
}

/// A pledge and its trail: pledged → delivered → confirmed, or cancelled; then feedback.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PledgeView {
    pub id: String,
    pub need_id: String,
    pub need: Option<PledgedNeedView>,
    pub pledger_id: String,
    pub organization_id: Option<String>,
    pub offer_id: Option<String>,
    pub pairing_id: Option<String>,
    pub amount: MeasureView,
    pub note: Option<String>,
    #[schema(schema_with = labelled::<PledgeStatus>)]
    pub status: String,
    pub evidence: Vec<EvidenceView>,
    pub delivery_note: Option<String>,
    pub cancel_reason: Option<String>,
    pub pledged_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub feedback: Vec<FeedbackView>,
    pub version: i32,
}

impl From<PledgeDetail> for PledgeView {
    fn from(d: PledgeDetail) -> Self {
        let p = d.pledge;
        PledgeView {
            need: d.need.map(|n| PledgedNeedView {
                id: n.id,
                title: n.title,
                pseudonym: n.pseudonym,
                place_name: n.place_name,
                status: n.status.as_str().to_owned(),
            }),
            amount: MeasureView::from(&p.amount),
            status: p.status.as_str().to_owned(),
            evidence: p.evidence.iter().map(EvidenceView::from).collect(),
            feedback: d
                .feedback
                .into_iter()
                .map(|f| FeedbackView {
                    id: f.id,
                    message: f.feedback.message,
                    rating: f.feedback.rating,
                    household_acknowledged: f.feedback.household_acknowledged,
                    created_at: f.created_at,
                })
                .collect(),
            id: p.id,
            need_id: p.need_id,
            pledger_id: p.pledger_id,
            organization_id: p.organization_id,
            offer_id: p.offer_id,
            pairing_id: p.pairing_id,
            note: p.note,
            delivery_note: p.delivery_note,
            cancel_reason: p.cancel_reason,
            pledged_at: p.pledged_at,
            delivered_at: p.delivered_at,
            confirmed_at: p.confirmed_at,
            cancelled_at: p.cancelled_at,
            version: p.version,
        }
    }
}

/// A pairing and the consent of both sides.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairingView {
    pub id: String,
    pub participant_id: String,
    pub organization_id: Option<String>,
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    pub pseudonym: String,
    pub region_code: String,
    pub place_name: String,
    #[schema(schema_with = labelled::<PairingKind>)]
    pub kind: String,
    #[schema(schema_with = labelled::<PairingStatus>)]
    pub status: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// When the participant consented (by proposing).
    pub participant_consented_at: DateTime<Utc>,
    /// When the household side consented (through its cadre or an official).
    pub household_consented_at: Option<DateTime<Utc>>,
    pub status_reason: Option<String>,
    /// Pledges made within the pairing (the first 100).
    pub pledge_ids: Vec<String>,
    pub version: i32,
}

impl From<PairingDetail> for PairingView {
    fn from(d: PairingDetail) -> Self {
        let p = d.pairing;
        PairingView {
            household_id: p.household_id.filter(|_| d.show_household),
            region_code: p.place.to_string(),
            kind: p.kind.as_str().to_owned(),
            status: p.status.as_str().to_owned(),
            id: p.id,
            participant_id: p.participant_id,
            organization_id: p.organization_id,
            village_id: p.village_id,
            pseudonym: p.pseudonym,
            place_name: p.place_name,
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            note: p.note,
            participant_consented_at: p.participant_consented_at,
            household_consented_at: p.household_consented_at,
            status_reason: p.status_reason,
            pledge_ids: d.pledge_ids,
            version: p.version,
        }
    }
}
