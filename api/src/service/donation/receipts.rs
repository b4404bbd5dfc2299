//! The receipt of a donation: the donor's and the receiver's document (it names the donor
//! by their legal name), and the platform admins'. There is none until the receiver
//! confirms the gift; a refunded or voided gift's receipt keeps its number and says so.

use domain::donation::{Donation, DonationStatus, DonorIdentity};
use domain::identity::Principal;
use domain::social_org::Organization;
use persistence::DbConn;
use persistence::crypto::DataKeys;

use super::load;
use crate::service::{ServiceError, ServiceResult};

/// What a receipt states: the donation, the donor's legal name, the receiving organisation.
#[derive(Debug, Clone)]
pub struct ReceiptParts {
    pub donation: Donation,
    pub donor: DonorIdentity,
    pub organization: Organization,
}

/// The receipt of donation `id`, for its parties and platform admins; officials who oversee
/// the gift read the donation itself (404 here). 409 while the gift has no receipt.
pub fn receipt(
    conn: &mut DbConn,
    keys: &DataKeys,
    who: &Principal,
    id: &str,
) -> ServiceResult<ReceiptParts> {
    let donation = load(conn, keys, who, id)?;
    if !donation.is_party(who.id(), who.organization_id.as_deref()) && !who.is_admin() {
        return Err(ServiceError::not_found());
    }
    if donation.receipt.is_none() {
        return Err(match donation.status {
            DonationStatus::Rejected => ServiceError::conflict(
                "受赠组织已拒收该捐赠，没有捐赠票据。",
                "The receiving organisation rejected this gift; there is no receipt.",
            ),
            _ => ServiceError::conflict(
                "受赠组织确认收到捐赠后才开具捐赠票据。",
                "No receipt yet: the receiving organisation has not confirmed this gift.",
            ),
        }
        .with_extension("donation_status", donation.status.as_str().into()));
    }
    let organization = persistence::social_org::find(conn, keys, &donation.spec.organization_id)?
        .ok_or_else(ServiceError::not_found)?;
    let donor = donor_identity(conn, keys, &donation)?;
    Ok(ReceiptParts {
        donation,
        donor,
        organization,
    })
}

/// The donor's legal name: the registered name and credit code of the organisation they
/// gave for, else their real name; `Unnamed` when they have none on record.
pub(super) fn donor_identity(
    conn: &mut DbConn,
    keys: &DataKeys,
    gift: &Donation,
) -> ServiceResult<DonorIdentity> {
    if let Some(org_id) = &gift.donor_organization_id
        && let Some(org) = persistence::social_org::find(conn, keys, org_id)?
    {
        return Ok(DonorIdentity::Organization {
            name: org.spec.name,
            credit_code: org.spec.credit_code,
        });
    }
    let user = persistence::identity::users::find(conn, keys, &gift.donor_id)?;
    Ok(match user.and_then(|u| u.real_name) {
        Some(name) => DonorIdentity::Person { name },
        None => DonorIdentity::Unnamed,
    })
}
