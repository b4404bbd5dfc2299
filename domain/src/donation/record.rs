//! A donation as kept, with its receipt: who gave, what, to whom, the receipt number and
//! what the receipt states about deduction; who may see it; and a donor's annual statement.

use chrono::NaiveDateTime;

use super::{Deduction, DonationSpec, receipt_number};
use crate::money::Fen;

/// A donation and its receipt (捐赠票据).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    pub id: String,
    pub donor_id: String,
    /// The organisation the donor acted for, if any.
    pub donor_organization_id: Option<String>,
    pub spec: DonationSpec,
    pub receipt_number: String,
    pub deduction: Deduction,
    pub issued_at: NaiveDateTime,
}

/// Who gives: the caller's id and the organisation they act for.
#[derive(Debug, Clone, Copy)]
pub struct Donor<'a> {
    pub id: &'a str,
    pub organization_id: Option<&'a str>,
}

impl Donation {
    /// The donation of `spec` by `donor`, with the receipt number of the year's `sequence`
    /// and the deduction the receiver's qualification years allow.
    pub fn issue(
        spec: DonationSpec,
        id: String,
        donor: Donor<'_>,
        qualified_years: &[i32],
        sequence: i64,
        now: NaiveDateTime,
    ) -> Self {
        use chrono::Datelike;
        let deduction = Deduction::of(spec.amount, qualified_years, spec.donated_on);
        Self {
            id,
            donor_id: donor.id.to_owned(),
            donor_organization_id: donor.organization_id.map(str::to_owned),
            receipt_number: receipt_number(spec.donated_on.year(), sequence),
            spec,
            deduction,
            issued_at: now,
        }
    }

    /// The donor, or a member of the receiving organisation: the parties the receipt is
    /// for (it names the donor).
    pub fn is_party(&self, user_id: &str, organization_id: Option<&str>) -> bool {
        self.donor_id == user_id || organization_id == Some(self.spec.organization_id.as_str())
    }
}

/// A donor's donations of one calendar year, oldest first, with the totals a tax return
/// asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualStatement {
    pub year: i32,
    pub donations: Vec<Donation>,
}

impl AnnualStatement {
    /// The statement of `donations` (in any order), sorted by day and then by id.
    pub fn of(year: i32, mut donations: Vec<Donation>) -> Self {
        donations.sort_by(|a, b| {
            a.spec
                .donated_on
                .cmp(&b.spec.donated_on)
                .then_with(|| a.id.cmp(&b.id))
        });
        Self { year, donations }
    }

    pub fn count(&self) -> i64 {
        i64::try_from(self.donations.len()).unwrap_or(i64::MAX)
    }

    pub fn total_fen(&self) -> i64 {
        self.sum(|d| d.spec.amount)
    }

    pub fn deductible_fen(&self) -> i64 {
        self.sum(|d| d.deduction.deductible_amount)
    }

    pub fn non_deductible_fen(&self) -> i64 {
        self.sum(|d| d.deduction.non_deductible_amount)
    }

    fn sum(&self, amount: impl Fn(&Donation) -> Fen) -> i64 {
        self.donations.iter().map(|d| amount(d).get()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::donation::DonationKind;
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn gift(id: &str, on: &str, fen: i64, years: &[i32]) -> Donation {
        let spec = DonationSpec {
            amount: Fen::try_from(fen).unwrap(),
            kind: DonationKind::Money,
            description: None,
            organization_id: "org".into(),
            need_id: None,
            pledge_id: None,
            campaign_id: None,
            project_id: None,
            donated_on: day(on),
        };
        let donor = Donor {
            id: "u1",
            organization_id: None,
        };
        Donation::issue(spec, id.into(), donor, years, 7, NaiveDateTime::default())
    }

    #[test]
    fn a_donation_carries_its_receipt_and_its_parties() {
        let d = gift("d1", "2026-03-01", 50_000, &[2026]);
        assert_eq!(d.receipt_number, "FP20260000000007");
        assert!(d.deduction.deductible);
        assert!(d.is_party("u1", None));
        assert!(d.is_party("u2", Some("org")));
        assert!(!d.is_party("u2", Some("other")));
    }

    #[test]
    fn a_statement_is_in_date_order_with_its_totals() {
        let s = AnnualStatement::of(
            2026,
            vec![
                gift("d2", "2026-05-01", 300, &[2026]),
                gift("d1", "2026-05-01", 200, &[2025]),
                gift("d0", "2026-06-01", 100, &[2026]),
            ],
        );
        let ids: Vec<_> = s.donations.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["d1", "d2", "d0"]);
        assert_eq!(s.count(), 3);
        assert_eq!(
            (s.total_fen(), s.deductible_fen(), s.non_deductible_fen()),
            (600, 400, 200)
        );
    }
}
