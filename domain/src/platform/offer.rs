//! An offer (供给): what a participant — an organisation's member, a donor, a volunteer —
//! can give, where and to whom they would rather give it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::amount::Amount;
use super::keep;
use super::need::{MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS};
use super::text::{optional_text, required_text};
use super::vocabulary::{NeedCategory, OfferKind, TargetGroup};
use crate::FieldError;
use crate::labels::labelled_enum;
use crate::region::RegionCode;

/// At most this many preferred regions per offer.
pub const MAX_OFFER_REGIONS: usize = 20;

labelled_enum! {
    /// 供给状态
    pub enum OfferStatus in "status" {
        /// 有效
        Open = "open", "有效", [];
        /// 已撤回
        Withdrawn = "withdrawn", "已撤回", [];
    }
}

/// An offer as a request body gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfferDraft {
    pub category: Option<String>,
    pub kind: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub amount_fen: Option<i64>,
    pub quantity: Option<i64>,
    pub unit: Option<String>,
    /// Preferred regions, any level; empty: anywhere in the province.
    pub region_codes: Option<Vec<String>>,
    pub target_groups: Option<Vec<String>>,
    /// `YYYY-MM-DD`; open-ended when absent.
    pub valid_until: Option<String>,
}

/// A valid offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferSpec {
    pub category: NeedCategory,
    pub kind: OfferKind,
    pub title: String,
    pub description: Option<String>,
    pub amount: Amount,
    /// Sorted, without duplicates or regions inside another listed one.
    pub regions: Vec<RegionCode>,
    pub target_groups: Vec<TargetGroup>,
    pub valid_until: Option<NaiveDate>,
}

/// A stored offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: String,
    pub owner_id: String,
    pub organization_id: Option<String>,
    pub category: NeedCategory,
    pub kind: OfferKind,
    pub title: String,
    pub description: Option<String>,
    pub amount: Amount,
    /// Preferred regions; empty: anywhere in the province.
    pub regions: Vec<RegionCode>,
    /// Preferred groups; empty: everyone.
    pub target_groups: Vec<TargetGroup>,
    pub valid_until: Option<NaiveDate>,
    pub status: OfferStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Offer {
    /// A new offer of `owner_id` (speaking for `organization_id`, if any), open at once.
    pub fn opened(
        id: String,
        spec: OfferSpec,
        owner_id: &str,
        organization_id: Option<String>,
        now: DateTime<Utc>,
    ) -> Offer {
        Offer {
            id,
            owner_id: owner_id.to_owned(),
            organization_id,
            category: spec.category,
            kind: spec.kind,
            title: spec.title,
            description: spec.description,
            amount: spec.amount,
            regions: spec.regions,
            target_groups: spec.target_groups,
            valid_until: spec.valid_until,
            status: OfferStatus::Open,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    /// Open offers are for everyone to see; a withdrawn one only for its owner.
    pub fn seen_by(&self, who_id: &str) -> bool {
        self.status == OfferStatus::Open || self.owner_id == who_id
    }

    /// What matching needs to know of the offer.
    pub fn facts(&self) -> super::matching::OfferFacts {
        super::matching::OfferFacts {
            category: self.category,
            regions: self.regions.clone(),
            target_groups: self.target_groups.clone(),
            amount: self.amount.clone(),
        }
    }
}

impl OfferDraft {
    pub fn parse(&self, today: NaiveDate) -> Result<OfferSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let category = keep(
            &mut errors,
            need(&self.category, "category").and_then(NeedCategory::parse),
        );
        let kind = keep(
            &mut errors,
            need(&self.kind, "kind").and_then(OfferKind::parse),
        );
        let title = keep(
            &mut errors,
            required_text(self.title.as_deref(), "title", MAX_TITLE_CHARS),
        );
        let description = keep(
            &mut errors,
            optional_text(
                self.description.as_deref(),
                "description",
                MAX_DESCRIPTION_CHARS,
            ),
        );
        let valid_until = keep(
            &mut errors,
            self.valid_until
                .as_deref()
                .map(|s| parse_valid_until(s, today))
                .transpose(),
        );
        let regions = keep(
            &mut errors,
            parse_regions(self.region_codes.as_deref().unwrap_or_default()),
        );
        let mut groups = Vec::new();
        for (i, g) in self.target_groups.iter().flatten().enumerate() {
            if let Some(g) = keep(
                &mut errors,
                TargetGroup::parse(g).map_err(|e| e.for_field(format!("target_groups[{i}]"))),
            ) {
                groups.push(g);
            }
        }
        groups.sort();
        groups.dedup();
        let amount = Amount::parse(self.amount_fen, self.quantity, self.unit.as_deref())
            .map_err(|e| errors.extend(e))
            .ok();
        match (
            category,
            kind,
            title,
            description,
            valid_until,
            regions,
            amount,
        ) {
            (
                Some(category),
                Some(kind),
                Some(title),
                Some(description),
                Some(valid_until),
                Some(regions),
                Some(amount),
            ) if errors.is_empty() => Ok(OfferSpec {
                category,
                kind,
                title,
                description,
                amount,
                regions,
                target_groups: groups,
                valid_until,
            }),
            _ => Err(errors),
        }
    }
}

fn need<'a>(v: &'a Option<String>, field: &str) -> Result<&'a str, FieldError> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            FieldError::new(
                field,
                "required",
                format!("{field} is required"),
                format!("缺少 {field}"),
            )
        })
}

fn parse_valid_until(s: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            "valid_until",
            "invalid_date",
            format!("{s:?} is not a date in the form YYYY-MM-DD"),
            format!("{s:?} 不是 YYYY-MM-DD 格式的日期"),
        )
    })?;
    if date < today {
        return Err(FieldError::new(
            "valid_until",
            "in_the_past",
            "valid_until has already passed",
            "有效期已过",
        ));
    }
    Ok(date)
}

/// Region codes, any level; a region inside another listed one is dropped (the larger one
/// already covers it).
fn parse_regions(codes: &[String]) -> Result<Vec<RegionCode>, FieldError> {
    if codes.len() > MAX_OFFER_REGIONS {
        return Err(FieldError::new(
            "region_codes",
            "too_many",
            format!("at most {MAX_OFFER_REGIONS} regions"),
            format!("最多 {MAX_OFFER_REGIONS} 个地区"),
        ));
    }
    let mut regions = Vec::new();
    for (i, c) in codes.iter().enumerate() {
        regions.push(RegionCode::parse(c).map_err(|e| e.for_field(format!("region_codes[{i}]")))?);
    }
    let kept: Vec<RegionCode> = regions
        .iter()
        .filter(|r| !regions.iter().any(|o| o != *r && o.contains(r)))
        .cloned()
        .collect();
    let mut kept = kept;
    kept.sort();
    kept.dedup();
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn an_offer_parses_and_folds_nested_regions() {
        let d = OfferDraft {
            category: Some("教育助学".into()),
            kind: Some("goods".into()),
            title: Some("冬季校服 200 套".into()),
            quantity: Some(200),
            unit: Some("套".into()),
            region_codes: Some(vec![
                "210921".into(),
                "210921100000".into(),
                "210900".into(),
                "211300".into(),
            ]),
            target_groups: Some(vec!["children".into(), "儿童和学生".into()]),
            valid_until: Some("2027-03-01".into()),
            ..OfferDraft::default()
        };
        let o = d.parse(today()).unwrap();
        assert_eq!(o.category, NeedCategory::Education);
        assert_eq!(o.kind, OfferKind::Goods);
        let regions: Vec<String> = o.regions.iter().map(ToString::to_string).collect();
        assert_eq!(regions, vec!["210900", "211300"]);
        assert_eq!(o.target_groups, vec![TargetGroup::Children]);
    }

    #[test]
    fn errors_name_the_item() {
        let d = OfferDraft {
            category: Some("education".into()),
            kind: Some("cash".into()),
            title: Some("x".into()),
            amount_fen: Some(100),
            region_codes: Some(vec!["210921".into(), "21x".into()]),
            target_groups: Some(vec!["pets".into()]),
            valid_until: Some("2020-01-01".into()),
            ..OfferDraft::default()
        };
        let errs = d.parse(today()).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            got,
            vec!["kind", "valid_until", "region_codes[1]", "target_groups[0]"]
        );
    }
}
