//! What the API shows of donations: the donation, its receipt, a donor's annual statement,
//! and the documented request body (the handler reads the domain draft).

use serde::Serialize;
use utoipa::ToSchema;

use domain::donation::{AnnualStatement, Donation, DonationKind};

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
    /// `YYYY-MM-DD`, default today.
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
    pub receipt_number: String,
    pub deductible: bool,
}

impl From<Donation> for DonationView {
    fn from(d: Donation) -> Self {
        let s = d.spec;
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
            receipt_number: d.receipt_number,
            deductible: d.deduction.deductible,
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

/// Who gave, on a receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceiptParty {
    pub id: String,
    pub name: String,
    /// The organisation's unified social credit code (for the receiver).
    pub credit_code: Option<String>,
}

/// A donation receipt (捐赠票据).
#[derive(Debug, Serialize, ToSchema)]
pub struct Receipt {
    pub receipt_number: String,
    /// Whether the gift may be deducted before tax: the receiver held the qualification in
    /// the year of the gift.
    pub deductible: bool,
    pub deductible_fen: i64,
    pub non_deductible_fen: i64,
    pub donor: ReceiptParty,
    pub organization: ReceiptParty,
    pub amount_fen: i64,
    #[schema(schema_with = crate::openapi::labelled::<DonationKind>)]
    pub kind: String,
    pub description: Option<String>,
    pub donated_on: chrono::NaiveDate,
    pub issued_at: chrono::DateTime<chrono::Utc>,
}

impl From<ReceiptParts> for Receipt {
    fn from(p: ReceiptParts) -> Self {
        let (d, org) = (p.donation, p.organization);
        let s = d.spec;
        Receipt {
            receipt_number: d.receipt_number,
            deductible: d.deduction.deductible,
            deductible_fen: d.deduction.deductible_amount.get(),
            non_deductible_fen: d.deduction.non_deductible_amount.get(),
            donor: ReceiptParty {
                id: d.donor_id,
                name: p.donor_name,
                credit_code: None,
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
            issued_at: d.issued_at.and_utc(),
        }
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
    /// The year's receipts, oldest first.
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
