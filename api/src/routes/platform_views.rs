//! What the platform routes show: needs (for the jurisdiction, and for the public without
//! any personal data), offers, pledges with their trail, pairings; and the loading and
//! place helpers they share.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use domain::identity::Principal;
use domain::platform::{
    Amount, Capacity, Evidence, NeedCategory, NeedStatus, OfferKind, TargetGroup, Urgency,
};
use domain::region::RegionCode;
use domain::registry::PovertyCause;
use persistence::DbConn;
use persistence::platform::needs::NeedRow;
use persistence::platform::offers::OfferRow;

use crate::error::ApiError;
use crate::openapi::{labelled, labelled_list, labelled_or_null};
pub use crate::routes::platform::views::{EvidenceView, MeasureView};
use crate::service::scope::place_of;

pub fn evidence_of(json: Option<&str>) -> Vec<EvidenceView> {
    json.and_then(|j| serde_json::from_str::<Vec<Evidence>>(j).ok())
        .unwrap_or_default()
        .iter()
        .map(EvidenceView::from)
        .collect()
}

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

fn parse_or_internal<T>(r: Result<T, domain::FieldError>) -> Result<T, ApiError> {
    r.map_err(|e| ApiError::internal(format!("stored value invalid: {e}")))
}

/// The typed facts of a stored need.
#[derive(Debug)]
pub struct NeedFacts {
    pub category: NeedCategory,
    pub target_group: Option<TargetGroup>,
    pub urgency: Urgency,
    pub status: NeedStatus,
    pub cause: Option<PovertyCause>,
    pub place: RegionCode,
}

impl NeedFacts {
    pub fn of(row: &NeedRow) -> Result<Self, ApiError> {
        Ok(NeedFacts {
            category: parse_or_internal(NeedCategory::parse(&row.category))?,
            target_group: parse_or_internal(
                row.target_group
                    .as_deref()
                    .map(TargetGroup::parse)
                    .transpose(),
            )?,
            urgency: parse_or_internal(Urgency::parse(&row.urgency))?,
            status: parse_or_internal(NeedStatus::parse(&row.status))?,
            cause: parse_or_internal(row.cause.as_deref().map(PovertyCause::parse).transpose())?,
            place: place_of(&row.region_code)?,
        })
    }
}

pub fn capacity(row: &NeedRow) -> Capacity {
    Capacity {
        asked: row.asked,
        pledged: row.pledged,
    }
}

/// What is left of a need, in its measure.
pub fn remaining(row: &NeedRow) -> Amount {
    Amount {
        value: capacity(row).remaining(),
        unit: row.unit.clone(),
    }
}

fn beneficiary(row: &NeedRow, f: &NeedFacts) -> BeneficiaryView {
    BeneficiaryView {
        kind: if row.household_id.is_some() {
            "household"
        } else {
            "village"
        },
        pseudonym: row.pseudonym.clone(),
        cause: f.cause.map(PovertyCause::as_str),
        region_code: row.region_code.clone(),
        place_name: row.place_name.clone(),
    }
}

fn remaining_split(row: &NeedRow) -> (Option<i64>, Option<i64>) {
    let left = capacity(row).remaining();
    match row.unit {
        None => (Some(left), None),
        Some(_) => (None, Some(left)),
    }
}

impl NeedView {
    pub fn build(row: &NeedRow) -> Result<Self, ApiError> {
        let f = NeedFacts::of(row)?;
        let (remaining_fen, remaining_quantity) = remaining_split(row);
        Ok(NeedView {
            id: row.id.clone(),
            household_id: row.household_id.clone(),
            village_id: row.village_id.clone(),
            beneficiary: beneficiary(row, &f),
            category: f.category.as_str(),
            target_group: f.target_group.map(TargetGroup::as_str),
            title: row.title.clone(),
            description: row.description.clone(),
            asked: MeasureView::of(row.asked, row.unit.as_deref()),
            pledged: MeasureView::of(row.pledged, row.unit.as_deref()),
            remaining_fen,
            remaining_quantity,
            urgency: f.urgency.as_str(),
            deadline: row.deadline,
            evidence: evidence_of(Some(&row.evidence)),
            status: f.status.as_str(),
            status_reason: row.status_reason.clone(),
            allowed_actions: f
                .status
                .allowed_actions()
                .iter()
                .map(|a| a.as_str())
                .collect(),
            published_at: row.published_at.map(|t| t.and_utc()),
            version: row.version,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
    }
}

impl PublicNeedView {
    pub fn build(row: &NeedRow) -> Result<Self, ApiError> {
        let f = NeedFacts::of(row)?;
        let (remaining_fen, remaining_quantity) = remaining_split(row);
        Ok(PublicNeedView {
            id: row.id.clone(),
            beneficiary: beneficiary(row, &f),
            category: f.category.as_str(),
            target_group: f.target_group.map(TargetGroup::as_str),
            title: row.title.clone(),
            description: row.description.clone(),
            asked: MeasureView::of(row.asked, row.unit.as_deref()),
            remaining_fen,
            remaining_quantity,
            urgency: f.urgency.as_str(),
            deadline: row.deadline,
            status: f.status.as_str(),
            published_at: row.published_at.map(|t| t.and_utc()),
        })
    }
}

/// Loads a need the caller may see in full: one in their jurisdiction (404 otherwise).
pub fn load_need(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<NeedRow, ApiError> {
    let row = persistence::platform::needs::find_row(conn, id)?.ok_or_else(ApiError::not_found)?;
    if !principal.sees(&place_of(&row.region_code)?) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

/// Loads a need anyone may see: a published one (404 otherwise).
pub fn load_public_need(conn: &mut DbConn, id: &str) -> Result<NeedRow, ApiError> {
    let row = persistence::platform::needs::find_row(conn, id)?.ok_or_else(ApiError::not_found)?;
    if !NeedStatus::parse(&row.status).is_ok_and(NeedStatus::is_public) {
        return Err(ApiError::not_found());
    }
    Ok(row)
}

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

fn words(s: &str) -> Vec<String> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

impl OfferView {
    pub fn build(row: &OfferRow) -> Result<Self, ApiError> {
        Ok(OfferView {
            id: row.id.clone(),
            owner_id: row.owner_id.clone(),
            organization_id: row.organization_id.clone(),
            category: parse_or_internal(NeedCategory::parse(&row.category))?.as_str(),
            kind: parse_or_internal(OfferKind::parse(&row.kind))?.as_str(),
            title: row.title.clone(),
            description: row.description.clone(),
            amount: MeasureView::of(row.amount, row.unit.as_deref()),
            region_codes: words(&row.region_codes),
            target_groups: words(&row.target_groups),
            valid_until: row.valid_until,
            status: row.status.clone(),
            version: row.version,
            created_at: row.created_at.and_utc(),
        })
    }
}

/// The facts of a stored offer that matching needs.
pub fn offer_facts(row: &OfferRow) -> Result<domain::platform::matching::OfferFacts, ApiError> {
    let regions = words(&row.region_codes)
        .iter()
        .map(|c| place_of(c))
        .collect::<Result<Vec<_>, _>>()?;
    let target_groups = words(&row.target_groups)
        .iter()
        .map(|g| parse_or_internal(TargetGroup::parse(g)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(domain::platform::matching::OfferFacts {
        category: parse_or_internal(NeedCategory::parse(&row.category))?,
        regions,
        target_groups,
        amount: Amount {
            value: row.amount,
            unit: row.unit.clone(),
        },
    })
}

/// The facts of a stored need that matching needs.
pub fn need_facts(row: &NeedRow) -> Result<domain::platform::matching::NeedFacts, ApiError> {
    let f = NeedFacts::of(row)?;
    Ok(domain::platform::matching::NeedFacts {
        category: f.category,
        place: f.place,
        target_group: f.target_group,
        remaining: remaining(row),
        urgency: f.urgency,
        deadline: row.deadline,
    })
}

/// Whom a need or pairing is for, resolved and checked against the caller's jurisdiction.
#[derive(Debug, Clone)]
pub struct Place {
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    pub region: RegionCode,
    pub pseudonym: String,
    pub cause: Option<String>,
    /// County, township and village names.
    pub place_name: String,
}

/// Resolves a household or village a caller names. A record outside the jurisdiction
/// answers exactly like one that does not exist (422 `unknown_*` on the field).
pub fn resolve_place(
    conn: &mut DbConn,
    principal: Option<&Principal>,
    beneficiary: &domain::platform::Beneficiary,
) -> Result<Place, ApiError> {
    use domain::platform::Beneficiary;
    let unknown = |field: &str, what: &str, zh: &str| {
        ApiError::validation(vec![domain::FieldError::new(
            field,
            if field == "household_id" {
                "unknown_household"
            } else {
                "unknown_village"
            },
            format!("no {what} with this id in your jurisdiction"),
            format!("您的管辖范围内没有该{zh}"),
        )])
    };
    let visible = |region: &RegionCode| principal.is_none_or(|p| p.sees(region));
    let mut place = match beneficiary {
        Beneficiary::Household(id) => {
            let h = persistence::registry::households::find(conn, id)?
                .ok_or_else(|| unknown("household_id", "household", "贫困户"))?;
            let region = place_of(&h.region_code)?;
            if !visible(&region) {
                return Err(unknown("household_id", "household", "贫困户"));
            }
            Place {
                household_id: Some(h.id.clone()),
                village_id: None,
                pseudonym: crate::personal::pseudonym(&h.id),
                cause: Some(h.main_cause),
                region,
                place_name: String::new(),
            }
        }
        Beneficiary::Village(id) => {
            let v = persistence::registry::villages::find(conn, id)?
                .ok_or_else(|| unknown("village_id", "poor village", "贫困村"))?;
            let region = place_of(&v.region_code)?;
            if !visible(&region) {
                return Err(unknown("village_id", "poor village", "贫困村"));
            }
            Place {
                household_id: None,
                village_id: Some(v.id),
                pseudonym: "村集体".to_owned(),
                cause: None,
                region,
                place_name: String::new(),
            }
        }
    };
    let mut chain: Vec<RegionCode> = place
        .region
        .ancestors()
        .into_iter()
        .filter(|r| r.level() >= domain::region::RegionLevel::County)
        .collect();
    chain.reverse();
    chain.push(place.region.clone());
    let regions = persistence::region::find_many(conn, &chain)?;
    place.place_name = chain
        .iter()
        .filter_map(|c| {
            regions
                .iter()
                .find(|r| &r.code == c)
                .map(|r| r.name.clone())
        })
        .collect::<Vec<_>>()
        .join(" ");
    Ok(place)
}
