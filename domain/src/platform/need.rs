//! A need (需求): what a registered poor household or village asks society for, as a village
//! cadre drafts it. Parsing checks every field and reports every error at once.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::amount::{Amount, Capacity};
use super::evidence::{Evidence, EvidenceDraft, parse_evidence};
use super::keep;
use super::need_status::{NeedAction, NeedStatus};
use super::text::required_text;
use super::vocabulary::{NeedCategory, TargetGroup, Urgency};
use crate::region::RegionCode;
use crate::registry::PovertyCause;
use crate::{DomainError, FieldError};

pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// A deadline lies at most this many days ahead.
pub const MAX_DEADLINE_DAYS: i64 = 730;

/// Whom a need helps: a registered household or a registered poor village (by record id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beneficiary {
    Household(String),
    Village(String),
}

/// A need as a request body gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedDraft {
    pub household_id: Option<String>,
    pub village_id: Option<String>,
    pub category: Option<String>,
    pub target_group: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub amount_fen: Option<i64>,
    pub quantity: Option<i64>,
    pub unit: Option<String>,
    pub urgency: Option<String>,
    /// `YYYY-MM-DD`, today or later.
    pub deadline: Option<String>,
    pub evidence: Option<Vec<EvidenceDraft>>,
}

/// A valid need, ready to store as a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedSpec {
    pub beneficiary: Beneficiary,
    pub category: NeedCategory,
    pub target_group: Option<TargetGroup>,
    pub title: String,
    pub description: String,
    pub amount: Amount,
    pub urgency: Urgency,
    pub deadline: NaiveDate,
    pub evidence: Vec<Evidence>,
}

impl NeedDraft {
    /// Checks every rule against `today` (China time); all errors at once.
    pub fn parse(&self, today: NaiveDate) -> Result<NeedSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let beneficiary = keep(&mut errors, self.beneficiary());
        let category = keep(
            &mut errors,
            required(&self.category, "category").and_then(NeedCategory::parse),
        );
        let target_group = keep(
            &mut errors,
            self.target_group
                .as_deref()
                .map(TargetGroup::parse)
                .transpose(),
        );
        let title = keep(
            &mut errors,
            required_text(self.title.as_deref(), "title", MAX_TITLE_CHARS),
        );
        let description = keep(
            &mut errors,
            required_text(
                self.description.as_deref(),
                "description",
                MAX_DESCRIPTION_CHARS,
            ),
        );
        let urgency = keep(
            &mut errors,
            self.urgency
                .as_deref()
                .map_or(Ok(Urgency::Medium), Urgency::parse),
        );
        let deadline = keep(
            &mut errors,
            required(&self.deadline, "deadline").and_then(|d| parse_deadline(d, today)),
        );
        let amount = Amount::parse(self.amount_fen, self.quantity, self.unit.as_deref())
            .map_err(|e| errors.extend(e))
            .ok();
        let evidence = parse_evidence(self.evidence.as_deref().unwrap_or_default(), "evidence")
            .map_err(|e| errors.extend(e))
            .ok();
        match (
            beneficiary,
            category,
            target_group,
            title,
            description,
            urgency,
            deadline,
            amount,
            evidence,
        ) {
            (
                Some(beneficiary),
                Some(category),
                Some(target_group),
                Some(title),
                Some(description),
                Some(urgency),
                Some(deadline),
                Some(amount),
                Some(evidence),
            ) if errors.is_empty() => Ok(NeedSpec {
                beneficiary,
                category,
                target_group,
                title,
                description,
                amount,
                urgency,
                deadline,
                evidence,
            }),
            _ => Err(errors),
        }
    }

    fn beneficiary(&self) -> Result<Beneficiary, FieldError> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        match (given(&self.household_id), given(&self.village_id)) {
            (Some(h), None) => Ok(Beneficiary::Household(h)),
            (None, Some(v)) => Ok(Beneficiary::Village(v)),
            (Some(_), Some(_)) => Err(FieldError::new(
                "village_id",
                "exclusive",
                "a need is for a household or for a village, not both",
                "需求只能针对一个贫困户或一个贫困村，不能同时填写",
            )),
            (None, None) => Err(FieldError::new(
                "household_id",
                "required",
                "give household_id or village_id",
                "请填写 household_id 或 village_id",
            )),
        }
    }

    /// This draft with the members `patch` gives put over it (for editing a draft). A new
    /// `amount_fen` replaces a quantity and the other way round.
    #[must_use]
    pub fn overlay(mut self, patch: NeedDraft) -> NeedDraft {
        if patch.amount_fen.is_some() {
            self.quantity = None;
            self.unit = None;
        }
        if patch.quantity.is_some() {
            self.amount_fen = None;
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if patch.$f.is_some() { self.$f = patch.$f; } )* };
        }
        take!(
            category,
            target_group,
            title,
            description,
            amount_fen,
            quantity,
            unit,
            urgency,
            deadline,
            evidence
        );
        self
    }
}

/// A stored need: what it asks for, for whom, where, and how far pledges have covered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub id: String,
    /// Set for a household's need.
    pub household_id: Option<String>,
    /// Set for a village's need.
    pub village_id: Option<String>,
    /// The village of the household, or the village itself.
    pub place: RegionCode,
    /// County, township and village names.
    pub place_name: String,
    /// The household's stable pseudonym (`户-3F9A2C`), or `村集体` for a village.
    pub pseudonym: String,
    /// The household's main cause of poverty.
    pub cause: Option<PovertyCause>,
    pub category: NeedCategory,
    pub target_group: Option<TargetGroup>,
    pub title: String,
    pub description: String,
    /// What the need asks for, in its measure.
    pub asked: Amount,
    /// What open pledges hold, in the same measure.
    pub pledged: i64,
    pub urgency: Urgency,
    pub deadline: NaiveDate,
    pub evidence: Vec<Evidence>,
    pub status: NeedStatus,
    /// The reason of the last rejection or cancellation.
    pub status_reason: Option<String>,
    pub created_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Need {
    pub fn capacity(&self) -> Capacity {
        Capacity {
            asked: self.asked.value,
            pledged: self.pledged,
        }
    }

    /// What is left to pledge, in the need's measure.
    pub fn remaining(&self) -> Amount {
        Amount {
            value: self.capacity().remaining(),
            unit: self.asked.unit.clone(),
        }
    }

    /// The status a pledge's cancellation leaves (the need as it was before the amount went
    /// back): a need being pledged on follows its capacity; any other keeps its status.
    pub fn status_after_release(&self, amount: i64) -> Option<NeedStatus> {
        matches!(
            self.status,
            NeedStatus::Published | NeedStatus::PartiallyPledged | NeedStatus::FullyPledged
        )
        .then(|| NeedStatus::by_capacity(self.capacity().give_back(amount)))
    }

    /// Fulfilled on the last confirmation: a fully pledged need whose pledges are all
    /// confirmed (`unconfirmed` open pledges left) becomes `fulfilled`; else nothing changes.
    pub fn status_after_confirmation(
        &self,
        unconfirmed: i64,
    ) -> Result<Option<NeedStatus>, DomainError> {
        if self.status == NeedStatus::FullyPledged && unconfirmed == 0 {
            return self.status.transition(NeedAction::Fulfil).map(Some);
        }
        Ok(None)
    }

    /// The need as a draft, to put an edit over.
    pub fn as_draft(&self) -> NeedDraft {
        NeedDraft {
            household_id: self.household_id.clone(),
            village_id: self.village_id.clone(),
            category: Some(self.category.as_str().to_owned()),
            target_group: self.target_group.map(|g| g.as_str().to_owned()),
            title: Some(self.title.clone()),
            description: Some(self.description.clone()),
            amount_fen: self.asked.unit.is_none().then_some(self.asked.value),
            quantity: self.asked.unit.is_some().then_some(self.asked.value),
            unit: self.asked.unit.clone(),
            urgency: Some(self.urgency.as_str().to_owned()),
            deadline: Some(self.deadline.to_string()),
            evidence: Some(
                self.evidence
                    .iter()
                    .map(|e| EvidenceDraft {
                        url: Some(e.url.clone()),
                        sha256: Some(e.sha256.clone()),
                    })
                    .collect(),
            ),
        }
    }
}

fn required<'a>(v: &'a Option<String>, field: &str) -> Result<&'a str, FieldError> {
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

/// A deadline: `YYYY-MM-DD`, not before today and at most two years ahead.
pub fn parse_deadline(s: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let date = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        FieldError::new(
            "deadline",
            "invalid_date",
            format!("{s:?} is not a date in the form YYYY-MM-DD"),
            format!("{s:?} 不是 YYYY-MM-DD 格式的日期"),
        )
    })?;
    if date < today {
        return Err(FieldError::new(
            "deadline",
            "in_the_past",
            "the deadline has already passed",
            "截止日期已过",
        ));
    }
    if (date - today).num_days() > MAX_DEADLINE_DAYS {
        return Err(FieldError::new(
            "deadline",
            "too_far",
            format!("the deadline is at most {MAX_DEADLINE_DAYS} days ahead"),
            format!("截止日期不能晚于 {MAX_DEADLINE_DAYS} 天之后"),
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn uniforms() -> NeedDraft {
        NeedDraft {
            household_id: Some("h1".into()),
            category: Some("education".into()),
            target_group: Some("children".into()),
            title: Some("两个孩子的冬季校服".into()),
            description: Some("小学三年级和五年级各一套".into()),
            quantity: Some(2),
            unit: Some("套".into()),
            urgency: Some("high".into()),
            deadline: Some("2026-12-20".into()),
            ..NeedDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_parses() {
        let n = uniforms().parse(today()).unwrap();
        assert_eq!(n.beneficiary, Beneficiary::Household("h1".into()));
        assert_eq!(n.category, NeedCategory::Education);
        assert_eq!(n.target_group, Some(TargetGroup::Children));
        assert_eq!(n.amount.value, 2);
        assert_eq!(n.amount.unit.as_deref(), Some("套"));
        assert_eq!(n.urgency, Urgency::High);
        assert_eq!(n.deadline, NaiveDate::from_ymd_opt(2026, 12, 20).unwrap());
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let d = NeedDraft {
            household_id: Some("h1".into()),
            village_id: Some("v1".into()),
            category: Some("fun".into()),
            title: Some("联系 13812345678".into()),
            deadline: Some("2026-11-01".into()),
            ..NeedDraft::default()
        };
        let errs = d.parse(today()).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("village_id", "exclusive"),
                ("category", "unknown_value"),
                ("title", "personal_data"),
                ("description", "required"),
                ("deadline", "in_the_past"),
                ("amount_fen", "required"),
            ]
        );
    }

    #[test]
    fn urgency_defaults_to_medium_and_deadlines_are_bounded() {
        let mut d = uniforms();
        d.urgency = None;
        assert_eq!(d.parse(today()).unwrap().urgency, Urgency::Medium);
        assert_eq!(parse_deadline("2026-11-28", today()), Ok(today()));
        assert_eq!(
            parse_deadline("2029-01-01", today()).unwrap_err().code,
            "too_far"
        );
        assert_eq!(
            parse_deadline("28/11/2026", today()).unwrap_err().code,
            "invalid_date"
        );
    }

    #[test]
    fn overlay_swaps_the_measure() {
        let patched = uniforms().overlay(NeedDraft {
            amount_fen: Some(30_000),
            title: Some("校服费用".into()),
            ..NeedDraft::default()
        });
        let n = patched.parse(today()).unwrap();
        assert_eq!((n.amount.value, n.amount.unit), (30_000, None));
        assert_eq!(n.title, "校服费用");
    }
}
