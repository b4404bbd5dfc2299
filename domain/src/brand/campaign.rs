//! Campaigns run under a brand by a verified organisation (结对认亲, 扶贫募捐, 访贫慰问 …):
//! what a request gives, what is valid, and the campaign as kept.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::CampaignKind;
use crate::FieldError;
use crate::input::parse_period;
use crate::platform::text::required_text;
use crate::platform::{MAX_AMOUNT, TargetGroup};
use crate::region::RegionCode;

/// A campaign as a request gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "struct CampaignBody")]
pub struct CampaignDraft {
    pub brand_id: String,
    pub kind: String,
    pub title: String,
    pub goal_fen: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub target_group: Option<String>,
    #[serde(default)]
    pub region_codes: Vec<String>,
}

/// A valid campaign, before it is known whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignSpec {
    pub brand_id: String,
    pub kind: CampaignKind,
    pub title: String,
    /// In fen, 1 to [`MAX_AMOUNT`].
    pub goal_fen: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub target_group: Option<TargetGroup>,
    pub regions: Vec<RegionCode>,
}

/// A campaign as kept: its spec, the organisation that runs it, who published it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub id: String,
    pub organization_id: String,
    pub spec: CampaignSpec,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl CampaignDraft {
    pub fn parse(&self) -> Result<CampaignSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = CampaignKind::parse(&self.kind)
            .map_err(|e| errors.push(e))
            .ok();
        let title = required_text(Some(&self.title), "title", 100)
            .map_err(|e| errors.push(e))
            .ok();
        if !(1..=MAX_AMOUNT).contains(&self.goal_fen) {
            errors.push(FieldError::new(
                "goal_fen",
                "out_of_range",
                "goal_fen is 1 to 10^12",
                "goal_fen 超出范围",
            ));
        }
        let period = parse_period(&self.starts_on, &self.ends_on)
            .map_err(|e| errors.extend(e))
            .ok();
        let target_group = self
            .target_group
            .as_deref()
            .map(TargetGroup::parse)
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let mut regions = Vec::new();
        for (i, r) in self.region_codes.iter().enumerate() {
            match RegionCode::parse(r) {
                Ok(code) => regions.push(code),
                Err(e) => errors.push(e.for_field(format!("region_codes[{i}]"))),
            }
        }
        match (kind, title, period) {
            (Some(kind), Some(title), Some((starts_on, ends_on))) if errors.is_empty() => {
                Ok(CampaignSpec {
                    brand_id: self.brand_id.clone(),
                    kind,
                    title,
                    goal_fen: self.goal_fen,
                    starts_on,
                    ends_on,
                    target_group,
                    regions,
                })
            }
            _ => Err(errors),
        }
    }
}

impl Campaign {
    /// A campaign published by `created_by` for the organisation `organization_id`.
    pub fn publish(
        spec: CampaignSpec,
        id: String,
        organization_id: String,
        created_by: String,
        now: NaiveDateTime,
    ) -> Self {
        Self {
            id,
            organization_id,
            spec,
            created_by,
            created_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CampaignDraft {
        CampaignDraft {
            brand_id: "brand-hope-project".into(),
            kind: "fundraising".into(),
            title: "阜新希望小学冬衣募捐".into(),
            goal_fen: 10_000_000,
            starts_on: "2026-12-01".into(),
            ends_on: "2027-01-31".into(),
            target_group: Some("children".into()),
            region_codes: vec!["210900".into()],
        }
    }

    #[test]
    fn a_campaign_draft_becomes_a_spec() {
        let spec = draft().parse().unwrap();
        assert_eq!(spec.kind, CampaignKind::Fundraising);
        assert_eq!(spec.target_group, Some(TargetGroup::Children));
        assert_eq!(spec.regions, vec![RegionCode::parse("210900").unwrap()]);
        assert!(spec.starts_on < spec.ends_on);
    }

    #[test]
    fn campaign_drafts_are_checked() {
        let bad = CampaignDraft {
            kind: "party".into(),
            goal_fen: 0,
            ends_on: "2026-11-01".into(),
            region_codes: vec!["210900".into(), "nowhere".into()],
            ..draft()
        };
        let fields: Vec<_> = bad
            .parse()
            .unwrap_err()
            .iter()
            .map(|e| e.field.clone())
            .collect();
        assert_eq!(
            fields,
            vec!["kind", "goal_fen", "ends_on", "region_codes[1]"]
        );
    }
}
