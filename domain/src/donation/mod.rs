//! 爱心捐赠 and its receipts (task 3; safeguard 3, 税前扣除): a gift of money or goods (at
//! market value) to a need, a pledge, a campaign, an organisation or a project, received by
//! an organisation. A receipt says whether the gift is deductible: only when the receiving
//! organisation holds the public-benefit donation pre-tax deduction qualification in the
//! year of the gift.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::FieldError;
use crate::labels::labelled_enum;
use crate::money::Fen;
use crate::platform::MAX_AMOUNT;

mod record;

pub use record::{AnnualStatement, Donation, Donor};

labelled_enum! {
    /// 捐赠形式
    pub enum DonationKind in "kind" {
        /// 资金
        Money = "money", "资金", ["现金"];
        /// 物资, at market value
        Goods = "goods", "物资", ["实物"];
    }
}

/// A donation as a request gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DonationDraft {
    pub amount_fen: Option<i64>,
    pub kind: Option<String>,
    pub description: Option<String>,
    /// The organisation that receives it.
    pub organization_id: Option<String>,
    pub need_id: Option<String>,
    pub pledge_id: Option<String>,
    pub campaign_id: Option<String>,
    pub project_id: Option<String>,
    /// `YYYY-MM-DD`, not in the future.
    pub donated_on: Option<String>,
}

/// A valid donation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DonationSpec {
    pub amount: Fen,
    pub kind: DonationKind,
    pub description: Option<String>,
    pub organization_id: String,
    pub need_id: Option<String>,
    pub pledge_id: Option<String>,
    pub campaign_id: Option<String>,
    pub project_id: Option<String>,
    pub donated_on: NaiveDate,
}

impl DonationDraft {
    pub fn parse(&self, today: NaiveDate) -> Result<DonationSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        let amount = match self.amount_fen {
            None => {
                errors.push(FieldError::new(
                    "amount_fen",
                    "required",
                    "amount_fen is required",
                    "缺少 amount_fen",
                ));
                None
            }
            Some(a) if a <= 0 || a > MAX_AMOUNT => {
                errors.push(FieldError::new(
                    "amount_fen",
                    "out_of_range",
                    format!("amount_fen is 1 to {MAX_AMOUNT}"),
                    format!("amount_fen 应在 1 到 {MAX_AMOUNT} 之间"),
                ));
                None
            }
            Some(a) => Fen::try_from(a).ok(),
        };
        let kind = match self.kind.as_deref() {
            None => Some(DonationKind::Money),
            Some(k) => DonationKind::parse(k).map_err(|e| errors.push(e)).ok(),
        };
        let description =
            crate::platform::text::optional_text(self.description.as_deref(), "description", 1000)
                .map_err(|e| errors.push(e))
                .ok()
                .flatten();
        if kind == Some(DonationKind::Goods) && description.is_none() {
            errors.push(FieldError::new(
                "description",
                "required",
                "a gift of goods says what the goods are",
                "物资捐赠须说明物资内容",
            ));
        }
        let organization_id = self
            .organization_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if organization_id.is_none() {
            errors.push(FieldError::new(
                "organization_id",
                "required",
                "the receiving organisation is required",
                "缺少受赠组织 organization_id",
            ));
        }
        let targets = [
            &self.need_id,
            &self.pledge_id,
            &self.campaign_id,
            &self.project_id,
        ];
        if targets.iter().filter(|t| t.is_some()).count() > 1 {
            errors.push(FieldError::new(
                "need_id",
                "exclusive",
                "a donation goes to at most one of need, pledge, campaign, project",
                "捐赠对象只能是需求、认领、活动、项目之一",
            ));
        }
        let donated_on = match self.donated_on.as_deref() {
            None => Some(today),
            Some(s) => match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
                Ok(d) if d > today => {
                    errors.push(FieldError::new(
                        "donated_on",
                        "in_the_future",
                        "donated_on cannot be in the future",
                        "捐赠日期不能晚于今天",
                    ));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        "donated_on",
                        "invalid_date",
                        format!("{s:?} is not a date in the form YYYY-MM-DD"),
                        format!("{s:?} 不是 YYYY-MM-DD 格式的日期"),
                    ));
                    None
                }
            },
        };
        match (amount, kind, organization_id, donated_on) {
            (Some(amount), Some(kind), Some(org), Some(donated_on)) if errors.is_empty() => {
                Ok(DonationSpec {
                    amount,
                    kind,
                    description,
                    organization_id: org.to_owned(),
                    need_id: self.need_id.clone(),
                    pledge_id: self.pledge_id.clone(),
                    campaign_id: self.campaign_id.clone(),
                    project_id: self.project_id.clone(),
                    donated_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// What a receipt states about deduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deduction {
    pub deductible: bool,
    pub deductible_amount: Fen,
    pub non_deductible_amount: Fen,
}

impl Deduction {
    /// A gift is deductible, in full, when the receiving organisation holds the
    /// qualification in the year the gift was made; otherwise not at all. (The donor's own
    /// deduction limit — a share of their income or profit — is theirs to apply.)
    pub fn of(amount: Fen, qualified_years: &[i32], donated_on: NaiveDate) -> Deduction {
        if qualified_years.contains(&donated_on.year()) {
            Deduction {
                deductible: true,
                deductible_amount: amount,
                non_deductible_amount: Fen::ZERO,
            }
        } else {
            Deduction {
                deductible: false,
                deductible_amount: Fen::ZERO,
                non_deductible_amount: amount,
            }
        }
    }
}

/// A receipt number: `FP`, the year, and the year's sequence number (10 digits), so numbers
/// sort by issue and never repeat within or across years.
pub fn receipt_number(year: i32, sequence: i64) -> String {
    format!("FP{year}{sequence:010}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn deductible_only_in_a_qualified_year() {
        let amount = Fen::try_from(50_000).unwrap();
        let yes = Deduction::of(amount, &[2025, 2026], day("2026-03-01"));
        assert!(yes.deductible);
        assert_eq!(
            (yes.deductible_amount, yes.non_deductible_amount),
            (amount, Fen::ZERO)
        );
        let no = Deduction::of(amount, &[2024], day("2026-03-01"));
        assert!(!no.deductible);
        assert_eq!(
            (no.deductible_amount, no.non_deductible_amount),
            (Fen::ZERO, amount)
        );
    }

    #[test]
    fn drafts_are_checked() {
        let today = day("2026-11-28");
        let d = DonationDraft {
            amount_fen: Some(10_000),
            organization_id: Some("o1".into()),
            ..DonationDraft::default()
        };
        let spec = d.parse(today).unwrap();
        assert_eq!((spec.kind, spec.donated_on), (DonationKind::Money, today));
        let bad = DonationDraft {
            amount_fen: Some(0),
            kind: Some("goods".into()),
            need_id: Some("n".into()),
            campaign_id: Some("c".into()),
            donated_on: Some("2027-01-01".into()),
            ..DonationDraft::default()
        };
        let codes: Vec<_> = bad
            .parse(today)
            .unwrap_err()
            .iter()
            .map(|e| (e.field.clone(), e.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("amount_fen".to_owned(), "out_of_range"),
                ("description".to_owned(), "required"),
                ("organization_id".to_owned(), "required"),
                ("need_id".to_owned(), "exclusive"),
                ("donated_on".to_owned(), "in_the_future"),
            ]
        );
        assert_eq!(receipt_number(2026, 42), "FP20260000000042");
    }
}
