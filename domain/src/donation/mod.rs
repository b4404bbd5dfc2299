//! 爱心捐赠 and its receipts (task 3; safeguard 3, 税前扣除): a gift of money or goods (at
//! market value) to a need, a pledge, a campaign, an organisation or a project, received by
//! an organisation. A receipt says whether the gift is deductible: only when the receiving
//! organisation holds the public-benefit donation pre-tax deduction qualification in the
//! year of the gift and the donor has a legal name on record. A gift counts only once the
//! receiving organisation confirmed it ([`DonationStatus`]).

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::FieldError;
use crate::labels::labelled_enum;
use crate::money::Fen;

mod record;
mod status;

pub use record::{AnnualStatement, Donation, Donor, DonorIdentity, Receipt};
pub use status::{DonationAction, DonationStatus};

/// The largest single gift recorded: 100 million yuan (1 亿元), in fen. Larger sums are
/// not typed into a web form; they come in several gifts or through the organisation.
pub const MAX_DONATION_FEN: i64 = 10_000_000_000;

/// How far back a gift may be dated when `FUPIN_DONATION_MAX_AGE_DAYS` is not set.
pub const DEFAULT_MAX_AGE_DAYS: u32 = 366;

/// The days a gift may be dated on: from `max_age_days` before `today` to `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GiftWindow {
    pub today: NaiveDate,
    pub max_age_days: u32,
}

impl GiftWindow {
    /// The earliest day a gift may be dated on.
    pub fn earliest(&self) -> NaiveDate {
        self.today - chrono::Days::new(u64::from(self.max_age_days))
    }
}

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
    /// Checks every rule of the draft alone; the receiver's registration day is checked
    /// with [`DonationSpec::check_registered`].
    pub fn parse(&self, window: GiftWindow) -> Result<DonationSpec, Vec<FieldError>> {
        let today = window.today;
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
            Some(a) if a <= 0 || a > MAX_DONATION_FEN => {
                errors.push(FieldError::new(
                    "amount_fen",
                    "out_of_range",
                    format!("amount_fen is 1 to {MAX_DONATION_FEN} (100 million yuan)"),
                    format!("amount_fen 应在 1 到 {MAX_DONATION_FEN}（1 亿元）之间"),
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
                Ok(d) if d < window.earliest() => {
                    errors.push(FieldError::new(
                        "donated_on",
                        "too_old",
                        format!(
                            "donated_on is at most {} days back (not before {})",
                            window.max_age_days,
                            window.earliest()
                        ),
                        format!(
                            "捐赠日期最早为 {} 天前（{}）",
                            window.max_age_days,
                            window.earliest()
                        ),
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

labelled_enum! {
    /// Why a receipt is not valid for deduction before tax.
    pub enum NotDeductible in "not_deductible_reason" {
        /// The receiving organisation did not hold the qualification in the gift's year.
        ReceiverNotQualified = "receiver_not_qualified", "受赠组织当年不具备公益性捐赠税前扣除资格", [];
        /// The donor has no legal name on record (a person's real name).
        DonorWithoutLegalName = "donor_without_legal_name", "捐赠人未登记真实姓名", [];
    }
}

impl NotDeductible {
    /// What the donor is told.
    pub fn message_en(self) -> &'static str {
        match self {
            NotDeductible::ReceiverNotQualified => {
                "the receiving organisation did not hold the pre-tax deduction qualification in the year of the gift"
            }
            NotDeductible::DonorWithoutLegalName => {
                "the donor's account has no real name, and a receipt valid for deduction names the donor's legal name; add the real name to the account before giving"
            }
        }
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            NotDeductible::ReceiverNotQualified => "受赠组织在捐赠当年不具备公益性捐赠税前扣除资格",
            NotDeductible::DonorWithoutLegalName => {
                "捐赠人账号未登记真实姓名，可税前扣除的票据须载明捐赠人法定名称；请先在账号中补充真实姓名"
            }
        }
    }
}

/// What a receipt states about deduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deduction {
    pub deductible: bool,
    pub deductible_amount: Fen,
    pub non_deductible_amount: Fen,
    /// Why not, when not deductible.
    pub reason: Option<NotDeductible>,
}

impl Deduction {
    /// A gift is deductible, in full, when the receiving organisation holds the
    /// qualification in the year the gift was made and the receipt can name the donor's
    /// legal name; otherwise not at all. (The donor's own deduction limit — a share of
    /// their income or profit — is theirs to apply.)
    pub fn of(
        amount: Fen,
        qualified_years: &[i32],
        donated_on: NaiveDate,
        donor_named: bool,
    ) -> Deduction {
        let reason = if !qualified_years.contains(&donated_on.year()) {
            Some(NotDeductible::ReceiverNotQualified)
        } else if !donor_named {
            Some(NotDeductible::DonorWithoutLegalName)
        } else {
            None
        };
        match reason {
            None => Deduction {
                deductible: true,
                deductible_amount: amount,
                non_deductible_amount: Fen::ZERO,
                reason: None,
            },
            Some(_) => Deduction {
                deductible: false,
                deductible_amount: Fen::ZERO,
                non_deductible_amount: amount,
                reason,
            },
        }
    }
}

impl DonationSpec {
    /// A gift cannot be dated before its receiver was registered.
    pub fn check_registered(&self, registered_on: NaiveDate) -> Result<(), FieldError> {
        if self.donated_on < registered_on {
            return Err(FieldError::new(
                "donated_on",
                "before_registration",
                format!("donated_on is before the organisation was registered ({registered_on})"),
                format!("捐赠日期早于受赠组织的登记日期（{registered_on}）"),
            ));
        }
        Ok(())
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
        let yes = Deduction::of(amount, &[2025, 2026], day("2026-03-01"), true);
        assert!(yes.deductible);
        assert_eq!(yes.reason, None);
        assert_eq!(
            (yes.deductible_amount, yes.non_deductible_amount),
            (amount, Fen::ZERO)
        );
        let no = Deduction::of(amount, &[2024], day("2026-03-01"), true);
        assert!(!no.deductible);
        assert_eq!(
            (no.deductible_amount, no.non_deductible_amount),
            (Fen::ZERO, amount)
        );
        assert_eq!(no.reason, Some(NotDeductible::ReceiverNotQualified));
    }

    #[test]
    fn a_donor_without_a_legal_name_gets_no_deduction_and_is_told_why() {
        let amount = Fen::try_from(50_000).unwrap();
        let d = Deduction::of(amount, &[2026], day("2026-03-01"), false);
        assert!(!d.deductible);
        assert_eq!(d.non_deductible_amount, amount);
        assert_eq!(d.reason, Some(NotDeductible::DonorWithoutLegalName));
        assert!(d.reason.unwrap().message_en().contains("real name"));
    }

    fn window(today: &str) -> GiftWindow {
        GiftWindow {
            today: day(today),
            max_age_days: DEFAULT_MAX_AGE_DAYS,
        }
    }

    fn codes(d: &DonationDraft, w: GiftWindow) -> Vec<(String, &'static str)> {
        d.parse(w)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| (e.field.clone(), e.code))
            .collect()
    }

    #[test]
    fn a_gift_is_dated_within_the_window_and_of_a_sane_amount() {
        let w = window("2026-11-28");
        let on = |date: &str, fen: i64| DonationDraft {
            amount_fen: Some(fen),
            organization_id: Some("o1".into()),
            donated_on: Some(date.into()),
            ..DonationDraft::default()
        };
        assert_eq!(w.earliest(), day("2025-11-27"));
        assert!(on("2025-11-27", 100).parse(w).is_ok());
        assert_eq!(
            codes(&on("2025-11-26", 100), w),
            [("donated_on".to_owned(), "too_old")]
        );
        assert_eq!(
            codes(&on("1900-01-01", 100), w),
            [("donated_on".to_owned(), "too_old")]
        );
        let short = GiftWindow {
            max_age_days: 30,
            ..w
        };
        assert_eq!(
            codes(&on("2026-10-28", 100), short),
            [("donated_on".to_owned(), "too_old")]
        );
        assert!(on("2026-10-29", 100).parse(short).is_ok());
        assert!(on("2026-11-28", MAX_DONATION_FEN).parse(w).is_ok());
        // The 10-billion-yuan gift of the report.
        assert_eq!(
            codes(&on("2026-11-28", 1_000_000_000_000), w),
            [("amount_fen".to_owned(), "out_of_range")]
        );
        let spec = on("2026-03-01", 100).parse(w).unwrap();
        assert!(spec.check_registered(day("2026-03-01")).is_ok());
        assert_eq!(
            spec.check_registered(day("2026-03-02")).unwrap_err().code,
            "before_registration"
        );
    }

    #[test]
    fn drafts_are_checked() {
        let today = day("2026-11-28");
        let w = window("2026-11-28");
        let d = DonationDraft {
            amount_fen: Some(10_000),
            organization_id: Some("o1".into()),
            ..DonationDraft::default()
        };
        let spec = d.parse(w).unwrap();
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
            .parse(w)
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
