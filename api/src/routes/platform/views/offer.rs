//! Offers as they are shown.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use domain::platform::{NeedCategory, Offer, OfferKind, TargetGroup};

use super::MeasureView;
use crate::openapi::{labelled, labelled_list};

/// An offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferView {
    pub id: String,
    pub owner_id: String,
    pub organization_id: Option<String>,
    #[schema(schema_with = labelled::<NeedCategory>)]
    pub category: &'static str,
    #[schema(schema_with = labelled::<OfferKind>)]
    pub kind: &'static str,
    pub title: String,
    pub description: Option<String>,
    pub amount: MeasureView,
    /// Preferred regions; empty: anywhere in the province.
    pub region_codes: Vec<String>,
    #[schema(schema_with = labelled_list::<TargetGroup>)]
    pub target_groups: Vec<String>,
    pub valid_until: Option<NaiveDate>,
    /// `open` or `withdrawn`.
    #[schema(schema_with = labelled::<domain::platform::OfferStatus>)]
    pub status: String,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

impl From<&Offer> for OfferView {
    fn from(offer: &Offer) -> Self {
        OfferView {
            id: offer.id.clone(),
            owner_id: offer.owner_id.clone(),
            organization_id: offer.organization_id.clone(),
            category: offer.category.as_str(),
            kind: offer.kind.as_str(),
            title: offer.title.clone(),
            description: offer.description.clone(),
            amount: MeasureView::of(offer.amount.value, offer.amount.unit.as_deref()),
            region_codes: offer.regions.iter().map(ToString::to_string).collect(),
            target_groups: offer
                .target_groups
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
            valid_until: offer.valid_until,
            status: offer.status.as_str().to_owned(),
            version: offer.version,
            created_at: offer.created_at,
        }
    }
}
