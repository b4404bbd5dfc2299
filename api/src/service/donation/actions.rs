//! What the receiving organisation does with a gift: confirm it arrived (the receipt is
//! numbered and issued then), reject it, refund it or void its receipt, each with a reason
//! but `confirm`. One member at a time: the change is written over the version it was made
//! from, so of two members confirming at once one wins and the other gets 409.

use chrono::{Datelike, Utc};
use serde_json::json;

use domain::donation::{Donation, DonationAction, Receipt};
use domain::identity::Principal;
use persistence::crypto::DataKeys;
use persistence::donation as store;
use persistence::{DbConn, write_transaction};

use super::load;
use super::receipts::donor_identity;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Does `action` to gift `id` for its receiving organisation (the caller must be one of
/// its members: others who may see the gift get 403, everyone else 404); `precondition`
/// checks `If-Match` against the stored version inside the transaction.
#[expect(
    clippy::too_many_arguments,
    reason = "one use case: who, which gift, what, why, and the If-Match check"
)]
pub fn act(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    action: DonationAction,
    reason: Option<String>,
    precondition: impl FnOnce(&Donation) -> ServiceResult<()>,
) -> ServiceResult<Donation> {
    write_transaction(conn, |conn| {
        let current = load(conn, keys, who, id)?;
        if !current.is_receiver(who.organization_id.as_deref()) {
            return Err(ServiceError::forbidden());
        }
        precondition(&current)?;
        let now = Utc::now().naive_utc();
        let next = current.acted(action, reason.as_deref(), who.id(), now, |gift| {
            issue_receipt(conn, keys, gift, now)
        })?;
        if !store::update(conn, &next, current.version)? {
            return Err(ServiceError::changed_meanwhile("捐赠", "gift"));
        }
        Audit::by(who, format!("donation.{}", action.as_str()))
            .on("donation", &next.id)
            .details(json!({
                "organization_id": next.spec.organization_id,
                "amount_fen": next.spec.amount.get(),
                "status": next.status.as_str(),
                "reason": next.status_reason,
                "receipt_number": next.receipt.as_ref().map(|r| r.number.as_str()),
            }))
            .record(conn, meta)?;
        Ok(next)
    })
}

/// The receipt of `gift`, numbered in the year of the gift: deductible when the receiver
/// held the qualification that year and the donor has a legal name on record.
fn issue_receipt(
    conn: &mut DbConn,
    keys: &DataKeys,
    gift: &Donation,
    now: chrono::NaiveDateTime,
) -> ServiceResult<Receipt> {
    let receiver = persistence::social_org::find(conn, keys, &gift.spec.organization_id)?
        .ok_or_else(ServiceError::not_found)?;
    let donor = donor_identity(conn, keys, gift)?;
    let sequence = store::next_receipt_sequence(conn, gift.spec.donated_on.year())?;
    Ok(Receipt::issue(
        &gift.spec,
        &receiver.spec.deduction_qualified_years,
        donor.is_named(),
        sequence,
        now,
    ))
}
