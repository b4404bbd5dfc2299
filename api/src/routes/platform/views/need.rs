//! Needs as they are shown: in full to the jurisdiction, and to the public without any
//! personal data.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use domain::platform::{Need, NeedCategory, NeedStatus, TargetGroup, Urgency};
use domain::registry::PovertyCause;

use super::{EvidenceView, MeasureView};
use crate::openapi::{labelled, labelled_list, labelled_or_null};

/// Where a need is, and who it is for, as the public may see it: a village and a
/// pseudonym, never a name or number.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BeneficiaryView {
    /// `household` or `village`.
    #[schema(example = "household")]
    pub kind: &'static str,
    /// A stable pseudonym (`户-3F9A2C`), the same on every need of the household.
    #[schema(example = "户-3F9A2C")]
    pub pseudonym: String,
    /// The household's main cause of poverty (`null` for a village).
    #[schema(schema_with = labelled_or_null::<PovertyCause>)]
    pub cause: Option<&'static str>,
    /// The village's 12-digit code.
    #[schema(example = "210921100201")]
    pub region_code: String,
    #[schema(example = "阜新蒙古族自治县 大巴镇 大巴村")]
    pub place_name: String,
}

/// A need as the jurisdiction's officials, its cadres and platform clients see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NeedView {
    pub id: String,
    /// Set for a household's need (only for callers whose jurisdiction holds it).
    pub household_id: Option<String>,
    /// Set for a village's need.
    pub village_id: Option<String>,
    pub beneficiary: BeneficiaryView,
    #[schema(schema_with = labelled::<NeedCategory>)]
    pub category: &'static str,
    #[schema(schema_with = labelled_or_null::<TargetGroup>)]
    pub target_group: Option<&'static str>,
    pub title: String,
    pub description: String,
    /// What the need asks for.
    pub asked: MeasureView,
    /// What open pledges hold.
    pub pledged: MeasureView,
    /// What is left to pledge (`remaining_fen` for money).
    pub remaining_fen: Option<i64>,
    pub remaining_quantity: Option<i64>,
    #[schema(schema_with = labelled::<Urgency>)]
    pub urgency: &'static str,
    pub deadline: NaiveDate,
    pub evidence: Vec<EvidenceView>,
    #[schema(schema_with = labelled::<NeedStatus>)]
    pub status: &'static str,
    /// The reason of the last rejection or cancellation.
    pub status_reason: Option<String>,
    /// What may be asked of the need now (by whoever has the role for it).
    #[schema(schema_with = labelled_list::<domain::platform::NeedAction>)]
    pub allowed_actions: Vec<&'static str>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A published need, for anyone: no household id, no name, no number, no evidence files.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f",
    "beneficiary": {"kind": "household", "pseudonym": "户-3F9A2C", "cause": "illness", "region_code": "210921100201", "place_name": "阜新蒙古族自治县 大巴镇 大巴村"},
    "category": "education", "target_group": "children", "title": "两个孩子的冬季校服", "description": "小学三年级和五年级各一套",
    "asked": {"amount_fen": null, "quantity": 2, "unit": "套"}, "remaining_fen": null, "remaining_quantity": 1,
    "urgency": "high", "deadline": "2026-12-20", "status": "partially_pledged", "published_at": "2026-11-28T02:00:00Z"
}))]
pub struct PublicNeedView {
    pub id: String,
    pub beneficiary: BeneficiaryView,
    #[schema(schema_with = labelled::<NeedCategory>)]
    pub category: &'static str,
    #[schema(schema_with = labelled_or_null::<TargetGroup>)]
    pub target_group: Option<&'static str>,
    pub title: String,
    pub description: String,
    pub asked: MeasureView,
    pub remaining_fen: Option<i64>,
    pub remaining_quantity: Option<i64>,
    #[schema(schema_with = labelled::<Urgency>)]
    pub urgency: &'static str,
    pub deadline: NaiveDate,
    #[schema(schema_with = labelled::<NeedStatus>)]
    pub status: &'static str,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<&Need> for BeneficiaryView {
    fn from(need: &Need) -> Self {
        BeneficiaryView {
            kind: if need.household_id.is_some() {
                "household"
            } else {
                "village"
            },
            pseudonym: need.pseudonym.clone(),
            cause: need.cause.map(PovertyCause::as_str),
            region_code: need.place.to_string(),
            place_name: need.place_name.clone(),
        }
    }
}

/// What is left, as `(remaining_fen, remaining_quantity)`.
fn remaining_split(need: &Need) -> (Option<i64>, Option<i64>) {
    let left = need.capacity().remaining();
    match need.asked.unit {
        None => (Some(left), None),
        Some(_) => (None, Some(left)),
    }
}

impl From<&Need> for NeedView {
    fn from(need: &Need) -> Self {
        let (remaining_fen, remaining_quantity) = remaining_split(need);
        let unit = need.asked.unit.as_deref();
        NeedView {
            id: need.id.clone(),
            household_id: need.household_id.clone(),
            village_id: need.village_id.clone(),
            beneficiary: BeneficiaryView::from(need),
            category: need.category.as_str(),
            target_group: need.target_group.map(TargetGroup::as_str),
            title: need.title.clone(),
            description: need.description.clone(),
            asked: MeasureView::of(need.asked.value, unit),
            pledged: MeasureView::of(need.pledged, unit),
            remaining_fen,
            remaining_quantity,
            urgency: need.urgency.as_str(),
            deadline: need.deadline,
            evidence: need.evidence.iter().map(EvidenceView::from).collect(),
            status: need.status.as_str(),
            status_reason: need.status_reason.clone(),
            allowed_actions: need
                .status
                .allowed_actions()
                .iter()
                .map(|a| a.as_str())
                .collect(),
            published_at: need.published_at,
            version: need.version,
            created_at: need.created_at,
            updated_at: need.updated_at,
        }
    }
}

impl From<&Need> for PublicNeedView {
    fn from(need: &Need) -> Self {
        let (remaining_fen, remaining_quantity) = remaining_split(need);
        PublicNeedView {
            id: need.id.clone(),
            beneficiary: BeneficiaryView::from(need),
            category: need.category.as_str(),
            target_group: need.target_group.map(TargetGroup::as_str),
            title: need.title.clone(),
            description: need.description.clone(),
            asked: MeasureView::of(need.asked.value, need.asked.unit.as_deref()),
            remaining_fen,
            remaining_quantity,
            urgency: need.urgency.as_str(),
            deadline: need.deadline,
            status: need.status.as_str(),
            published_at: need.published_at,
        }
    }
}
