//! What the API shows of donations: the donation, its receipt, a donor's annual statement,
//! and the documented request body (the handler reads the domain draft).

use serde::Serialize;
use utoipa::ToSchema;

use domain::donation::{
    AnnualStatement, Donation, DonationKind, DonationStatus, DonorIdentity, NotDeductible,
};

use crate::error::ApiError;
use crate::http::pagination::Page;
use crate::service::donation::ReceiptParts;

/// The body of `POST /donations`.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"amount_fen": 50000, "kind": "money", "organization_id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e4f", "donated_on": "2026-11-28"}))]
#[expect(
    dead_code,
    reason = "documents the body; the handler reads domain::donation::DonationDraft"
)]
pub struct DonationBody {
    amount_fen: i64,
    /// Default `money`; goods at market value, with a description.
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    kind: Option<String>,
    description: Option<String>,
    /// The verified organisation that receives the gift.
    organization_id: String,
    /// A published need the gift is for (at most one of need, pledge, campaign, project).
    need_id: Option<String>,
    /// One of your pledges the gift fulfils.
    pledge_id: Option<String>,
    campaign_id: Option<String>,
    project_id: Option<String>,
    /// `YYYY-MM-DD`, default today; not in the future, not before the organisation was
    /// registered, at most `FUPIN_DONATION_MAX_AGE_DAYS` (default 366) days back.
    donated_on: Option<String>,
}

/// A donation as its donor and its receiver see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DonationView {
    pub id: String,
    pub donor_id: String,
    pub organization_id: String,
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    pub kind: String,
    pub amount_fen: i64,
    pub description: Option<String>,
    pub need_id: Option<String>,
    pub pledge_id: Option<String>,
    pub campaign_id: Option<String>,
    pub project_id: Option<String>,
    pub donated_on: chrono::NaiveDate,
    /// `pending` until the receiving organisation confirms it; only `confirmed` gifts count.
    #[schema(schema_with = crate::openapi::labelled::<DonationStatus>)]
    pub status: String,
    /// Why it was rejected, refunded or voided.
    pub status_reason: Option<String>,
    /// Issued on confirmation; kept when refunded or voided.
    pub receipt_number: Option<String>,
    /// Whether the receipt is valid for deduction before tax (`null` while there is none).
    pub deductible: Option<bool>,
    /// Why the receipt is not deductible: `receiver_not_qualified`, `donor_without_legal_name`.
    pub not_deductible_reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Donation> for DonationView {
    fn from(d: Donation) -> Self {
        let s = d.spec;
        let receipt = d.receipt;
        DonationView {
            id: d.id,
            donor_id: d.donor_id,
            organization_id: s.organization_id,
            kind: s.kind.as_str().to_owned(),
            amount_fen: s.amount.get(),
            description: s.description,
            need_id: s.need_id,
            pledge_id: s.pledge_id,
            campaign_id: s.campaign_id,
            project_id: s.project_id,
            donated_on: s.donated_on,
            status: d.status.as_str().to_owned(),
            status_reason: d.status_reason,
            receipt_number: receipt.as_ref().map(|r| r.number.clone()),
            deductible: receipt.as_ref().map(|r| r.deduction.deductible),
            not_deductible_reason: receipt
                .as_ref()
                .and_then(|r| r.deduction.reason)
                .map(|r| r.as_str().to_owned()),
            created_at: d.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DonationPage {
    pub items: Vec<DonationView>,
    pub next_cursor: Option<String>,
}

impl From<Page<Donation>> for DonationPage {
    fn from(page: Page<Donation>) -> Self {
        let page = page.map(DonationView::from);
        Self {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

/// The receiving organisation, on a receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptParty {
    pub id: String,
    pub name: String,
    /// The organisation's unified social credit code.
    pub credit_code: Option<String>,
}

/// The donor, on a receipt, by their legal name.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptDonor {
    pub id: String,
    /// `person` (real name), `organization` (registered name and credit code), or
    /// `unnamed` (no real name on record: the receipt is not valid for deduction).
    pub kind: String,
    /// The legal name: a person's real name, an organisation's registered name.
    pub name: Option<String>,
    /// The unified social credit code of a donor organisation.
    pub credit_code: Option<String>,
}

/// Why a receipt is not valid for deduction, in both languages.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotDeductibleView {
    /// `receiver_not_qualified`, `donor_without_legal_name`.
    pub code: String,
    pub message: String,
    pub message_zh: String,
}

impl From<NotDeductible> for NotDeductibleView {
    fn from(r: NotDeductible) -> Self {
        NotDeductibleView {
            code: r.as_str().to_owned(),
            message: r.message_en().to_owned(),
            message_zh: r.message_zh().to_owned(),
        }
    }
}

/// A donation receipt (捐赠票据), issued when the receiving organisation confirmed the gift.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"receipt_number": "FP20260000000042", "status": "confirmed", "valid": true, "status_reason": null, "deductible": false, "deductible_fen": 0, "non_deductible_fen": 50000, "not_deductible": {"code": "donor_without_legal_name", "message": "the donor's account has no real name, and a receipt valid for deduction names the donor's legal name; add the real name to the account before giving", "message_zh": "捐赠人账号未登记真实姓名，可税前扣除的票据须载明捐赠人法定名称；请先在账号中补充真实姓名"}, "donor": {"id": "0193a6f4-0000-7000-8000-000000000001", "kind": "unnamed", "name": null, "credit_code": null}, "organization": {"id": "0193a6f4-2c1e-7d35-9f0e-5b8a1c2d3e40", "name": "阜新爱心基金会", "credit_code": "52210900MJ0000000X"}, "amount_fen": 50000, "kind": "money", "description": null, "donated_on": "2026-11-28", "issued_at": "2026-11-28T09:00:00Z"}))]
pub struct Receipt {
    pub receipt_number: String,
    /// `confirmed`, or `refunded` / `voided`: the receipt keeps its number and is no longer
    /// valid.
    #[schema(schema_with = crate::openapi::labelled::<DonationStatus>)]
    pub status: String,
    /// The receipt stands (the gift is confirmed, not refunded or voided).
    pub valid: bool,
    /// Why it was refunded or voided.
    pub status_reason: Option<String>,
    /// Whether the gift may be deducted before tax: the receipt is valid, the receiver held
    /// the qualification in the year of the gift, and the donor has a legal name on record.
    pub deductible: bool,
    pub deductible_fen: i64,
    pub non_deductible_fen: i64,
    /// Why not deductible, when the receipt says so.
    pub not_deductible: Option<NotDeductibleView>,
    pub donor: ReceiptDonor,
    pub organization: ReceiptParty,
    pub amount_fen: i64,
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    pub kind: String,
    pub description: Option<String>,
    pub donated_on: chrono::NaiveDate,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

impl From<DonorIdentity> for ReceiptDonor {
    fn from(d: DonorIdentity) -> Self {
        let (kind, name, credit_code) = match d {
            DonorIdentity::Person { name } => ("person", Some(name.expose().to_owned()), None),
            DonorIdentity::Organization { name, credit_code } => {
                ("organization", Some(name), Some(credit_code.to_string()))
            }
            DonorIdentity::Unnamed => ("unnamed", None, None),
        };
        ReceiptDonor {
            id: String::new(),
            kind: kind.to_owned(),
            name,
            credit_code,
        }
    }
}

impl TryFrom<ReceiptParts> for Receipt {
    type Error = ApiError;

    fn try_from(p: ReceiptParts) -> Result<Self, ApiError> {
        let (d, org) = (p.donation, p.organization);
        let r = d
            .receipt
            .ok_or_else(|| ApiError::internal("a receipt without its receipt"))?;
        let valid = d.status == DonationStatus::Confirmed;
        let deductible = valid && r.deduction.deductible;
        let s = d.spec;
        Ok(Receipt {
            receipt_number: r.number,
            status: d.status.as_str().to_owned(),
            valid,
            status_reason: d.status_reason,
            deductible,
            deductible_fen: if deductible {
                r.deduction.deductible_amount.get()
            } else {
                0
            },
            non_deductible_fen: if deductible {
                r.deduction.non_deductible_amount.get()
            } else {
                s.amount.get()
            },
            not_deductible: r.deduction.reason.map(NotDeductibleView::from),
            donor: ReceiptDonor {
                id: d.donor_id,
                ..ReceiptDonor::from(p.donor)
            },
            organization: ReceiptParty {
                id: org.id,
                name: org.spec.name,
                credit_code: Some(org.spec.credit_code.to_string()),
            },
            amount_fen: s.amount.get(),
            kind: s.kind.as_str().to_owned(),
            description: s.description,
            donated_on: s.donated_on,
            issued_at: r.issued_at.and_utc(),
        })
    }
}

/// A donor's annual statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Statement {
    pub year: i32,
    pub count: i64,
    pub total_fen: i64,
    pub deductible_fen: i64,
    pub non_deductible_fen: i64,
    /// The year's confirmed gifts, oldest first.
    pub donations: Vec<DonationView>,
}

impl From<AnnualStatement> for Statement {
    fn from(s: AnnualStatement) -> Self {
        Statement {
            year: s.year,
            count: s.count(),
            total_fen: s.total_fen(),
            deductible_fen: s.deductible_fen(),
            non_deductible_fen: s.non_deductible_fen(),
            donations: s.donations.into_iter().map(DonationView::from).collect(),
        }
    }
}
