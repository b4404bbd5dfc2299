//! The receipt of a donation: the donor's and the receiver's document (it names the donor),
//! and the platform admins'.

use domain::donation::Donation;
use domain::identity::Principal;
use domain::social_org::Organization;
use persistence::DbConn;
use persistence::crypto::DataKeys;
use persistence::donation as store;

use super::load;
use crate::service::{ServiceError, ServiceResult};

/// What a receipt states: the donation, the donor's name, the receiving organisation.
#[derive(Debug, Clone)]
pub struct ReceiptParts {
    pub donation: Donation,
    pub donor_name: String,
    pub organization: Organization,
}

/// The receipt of donation `id`, for its parties and platform admins; officials who oversee
/// the gift read the donation itself (404 here).
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
    let organization = persistence::social_org::find(conn, keys, &donation.spec.organization_id)?
        .ok_or_else(ServiceError::not_found)?;
    let donor_name =
        store::donor_name(conn, &donation.donor_id)?.unwrap_or_else(|| donation.donor_id.clone());
    Ok(ReceiptParts {
        donation,
        donor_name,
        organization,
    })
}
