//! A donation as kept, with its receipt: who gave, what, to whom, the receipt number and
//! what the receipt states about deduction; who may see it; and a donor's annual statement.

use chrono::NaiveDateTime;

use super::{Deduction, DonationAction, DonationSpec, DonationStatus, receipt_number};
use crate::DomainError;
use crate::identity::PersonName;
use crate::money::Fen;
use crate::platform::parse_reason;
use crate::social_org::CreditCode;

/// A donation (爱心捐赠) through its life: recorded by the donor, `pending` until a member
/// of the receiving organisation confirms (the receipt is issued then) or rejects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Donation {
    pub id: String,
    pub donor_id: String,
    /// The organisation the donor acted for, if any.
    pub donor_organization_id: Option<String>,
    pub spec: DonationSpec,
    pub status: DonationStatus,
    /// Why it was rejected, refunded or voided.
    pub status_reason: Option<String>,
    /// Issued on confirmation; kept (with its number) when refunded or voided.
    pub receipt: Option<Receipt>,
    /// The member of the receiving organisation who last acted on it, and when.
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

/// A donation receipt (捐赠票据): its number and what it states about deduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub number: String,
    pub deduction: Deduction,
    pub issued_at: NaiveDateTime,
}

impl Receipt {
    /// The receipt of `spec` with the year's `sequence` number; deductible when the receiver
    /// is qualified in the gift's year and the donor has a legal name (`donor_named`).
    pub fn issue(
        spec: &DonationSpec,
        qualified_years: &[i32],
        donor_named: bool,
        sequence: i64,
        now: NaiveDateTime,
    ) -> Self {
        use chrono::Datelike;
        Self {
            number: receipt_number(spec.donated_on.year(), sequence),
            deduction: Deduction::of(spec.amount, qualified_years, spec.donated_on, donor_named),
            issued_at: now,
        }
    }
}

/// Whom a receipt names: the donor's legal name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DonorIdentity {
    /// A person, by their real name.
    Person { name: PersonName },
    /// An organisation, by its registered name and unified social credit code.
    Organization {
        name: String,
        credit_code: CreditCode,
    },
    /// A person without a real name on record: the receipt is not valid for deduction.
    Unnamed,
}

impl DonorIdentity {
    pub fn is_named(&self) -> bool {
        !matches!(self, DonorIdentity::Unnamed)
    }
}

/// Who gives: the caller's id and the organisation they act for.
#[derive(Debug, Clone, Copy)]
pub struct Donor<'a> {
    pub id: &'a str,
    pub organization_id: Option<&'a str>,
}

impl Donation {
    /// The gift of `spec` by `donor`, waiting for the receiver to confirm it.
    pub fn record(spec: DonationSpec, id: String, donor: Donor<'_>, now: NaiveDateTime) -> Self {
        Self {
            id,
            donor_id: donor.id.to_owned(),
            donor_organization_id: donor.organization_id.map(str::to_owned),
            spec,
            status: DonationStatus::Pending,
            status_reason: None,
            receipt: None,
            decided_by: None,
            decided_at: None,
            version: 1,
            created_at: now,
        }
    }

    /// The gift after a member `by` of the receiver did `action` (with `reason`, required
    /// for all but `confirm`); `issue` makes the receipt on `confirm`, and is called only
    /// when the transition is allowed.
    pub fn acted<E: From<DomainError>>(
        &self,
        action: DonationAction,
        reason: Option<&str>,
        by: &str,
        now: NaiveDateTime,
        issue: impl FnOnce(&Donation) -> Result<Receipt, E>,
    ) -> Result<Donation, E> {
        let status = self.status.transition(action)?;
        let status_reason = if action.needs_reason() {
            Some(parse_reason(reason).map_err(|e| DomainError::Invalid(vec![e]))?)
        } else {
            None
        };
        let receipt = match action {
            DonationAction::Confirm => Some(issue(self)?),
            _ => self.receipt.clone(),
        };
        Ok(Donation {
            status,
            status_reason,
            receipt,
            decided_by: Some(by.to_owned()),
            decided_at: Some(now),
            version: self.version + 1,
            ..self.clone()
        })
    }

    /// The donor, or a member of the receiving organisation: the parties the receipt is
    /// for (it names the donor).
    pub fn is_party(&self, user_id: &str, organization_id: Option<&str>) -> bool {
        self.donor_id == user_id || self.is_receiver(organization_id)
    }

    /// A member of the receiving organisation.
    pub fn is_receiver(&self, organization_id: Option<&str>) -> bool {
        organization_id == Some(self.spec.organization_id.as_str())
    }
}

/// A donor's confirmed donations of one calendar year, oldest first, with the totals a tax
/// return asks for (pending, rejected, refunded and voided gifts are not in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualStatement {
    pub year: i32,
    pub donations: Vec<Donation>,
}

impl AnnualStatement {
    /// The statement of the confirmed ones of `donations` (in any order), sorted by day and
    /// then by id.
    pub fn of(year: i32, mut donations: Vec<Donation>) -> Self {
        donations.retain(|d| d.status.counts());
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
        self.sum(|d| {
            d.receipt
                .as_ref()
                .map_or(Fen::ZERO, |r| r.deduction.deductible_amount)
        })
    }

    pub fn non_deductible_fen(&self) -> i64 {
        self.sum(|d| {
            d.receipt
                .as_ref()
                .map_or(d.spec.amount, |r| r.deduction.non_deductible_amount)
        })
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

    fn pending(id: &str, on: &str, fen: i64) -> Donation {
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
        Donation::record(spec, id.into(), donor, NaiveDateTime::default())
    }

    fn confirm(d: &Donation, years: &[i32]) -> Donation {
        d.acted::<DomainError>(
            DonationAction::Confirm,
            None,
            "m1",
            NaiveDateTime::default(),
            |d| {
                Ok(Receipt::issue(
                    &d.spec,
                    years,
                    true,
                    7,
                    NaiveDateTime::default(),
                ))
            },
        )
        .unwrap()
    }

    #[test]
    fn a_gift_has_no_receipt_until_the_receiver_confirms_it() {
        let d = pending("d1", "2026-03-01", 50_000);
        assert_eq!(
            (d.status, d.receipt.is_none()),
            (DonationStatus::Pending, true)
        );
        assert!(d.is_party("u1", None));
        assert!(d.is_party("u2", Some("org")));
        assert!(!d.is_party("u2", Some("other")));
        assert!(d.is_receiver(Some("org")) && !d.is_receiver(None));
        let c = confirm(&d, &[2026]);
        assert_eq!(c.status, DonationStatus::Confirmed);
        assert_eq!(c.version, 2);
        assert_eq!(c.decided_by.as_deref(), Some("m1"));
        let r = c.receipt.as_ref().unwrap();
        assert_eq!(r.number, "FP20260000000007");
        assert!(r.deduction.deductible);
    }

    #[test]
    fn rejecting_refunding_and_voiding_say_why_and_a_void_keeps_the_number() {
        let d = pending("d1", "2026-03-01", 50_000);
        let never = |_: &Donation| -> Result<Receipt, DomainError> { panic!("no receipt") };
        let now = NaiveDateTime::default();
        assert!(matches!(
            d.acted(DonationAction::Reject, None, "m1", now, never),
            Err(DomainError::Invalid(_))
        ));
        let rejected = d
            .acted(DonationAction::Reject, Some("未收到汇款"), "m1", now, never)
            .unwrap();
        assert_eq!(rejected.status, DonationStatus::Rejected);
        assert_eq!(rejected.status_reason.as_deref(), Some("未收到汇款"));
        assert!(rejected.receipt.is_none());
        let c = confirm(&d, &[2026]);
        let voided = c
            .acted(DonationAction::Void, Some("金额录入错误"), "m2", now, never)
            .unwrap();
        assert_eq!(voided.status, DonationStatus::Voided);
        assert_eq!(voided.receipt.unwrap().number, "FP20260000000007");
        assert!(matches!(
            d.acted(DonationAction::Refund, Some("x"), "m1", now, never),
            Err(DomainError::InvalidTransition { .. })
        ));
    }

    #[test]
    fn a_statement_counts_confirmed_gifts_in_date_order_with_its_totals() {
        let now = NaiveDateTime::default();
        let voided = confirm(&pending("d3", "2026-05-01", 9_000), &[2026])
            .acted::<DomainError>(
                DonationAction::Void,
                Some("错"),
                "m",
                now,
                |_| unreachable!(),
            )
            .unwrap();
        let s = AnnualStatement::of(
            2026,
            vec![
                confirm(&pending("d2", "2026-05-01", 300), &[2026]),
                confirm(&pending("d1", "2026-05-01", 200), &[2025]),
                confirm(&pending("d0", "2026-06-01", 100), &[2026]),
                pending("d4", "2026-05-01", 5_000),
                voided,
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
