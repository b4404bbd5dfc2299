//! The pledge's links: a pledge may name one of the pledger's own open offers it comes from,
//! and one of the pledger's own active pairings with the need's household or village.
//! Someone else's offer or pairing answers like one that does not exist.

use crate::FieldError;

use super::need::Need;
use super::offer::{Offer, OfferStatus};
use super::pairing::{Pairing, PairingStatus};

/// The offer a pledge names: the pledger's, and still open.
pub fn check_offer(offer: Option<&Offer>, pledger_id: &str) -> Result<(), FieldError> {
    let offer = offer.filter(|o| o.owner_id == pledger_id).ok_or_else(|| {
        FieldError::new(
            "offer_id",
            "unknown_offer",
            "no offer of yours with this id",
            "没有该供给，或不属于您",
        )
    })?;
    if offer.status != OfferStatus::Open {
        return Err(FieldError::new(
            "offer_id",
            "offer_closed",
            "the offer is no longer open",
            "该供给已撤回",
        ));
    }
    Ok(())
}

/// The pairing a pledge names: the pledger's, active, and with the need's household or
/// village.
pub fn check_pairing(
    pairing: Option<&Pairing>,
    pledger_id: &str,
    need: &Need,
) -> Result<(), FieldError> {
    let pairing = pairing
        .filter(|p| p.participant_id == pledger_id)
        .ok_or_else(|| {
            FieldError::new(
                "pairing_id",
                "unknown_pairing",
                "no pairing of yours with this id",
                "没有该结对，或不属于您",
            )
        })?;
    if pairing.status != PairingStatus::Active {
        return Err(FieldError::new(
            "pairing_id",
            "pairing_not_active",
            "the pairing is not active",
            "该结对未生效",
        ));
    }
    if !pairing.is_with(need) {
        return Err(FieldError::new(
            "pairing_id",
            "other_beneficiary",
            "the pairing is with another household or village",
            "该结对的对象不是此需求的对象",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::fixtures::{need, offer, pairing};

    #[test]
    fn an_offer_must_be_the_pledgers_and_open() {
        let mut o = offer("u1");
        assert_eq!(check_offer(Some(&o), "u1"), Ok(()));
        assert_eq!(
            check_offer(Some(&o), "u2").unwrap_err().code,
            "unknown_offer"
        );
        assert_eq!(check_offer(None, "u1").unwrap_err().code, "unknown_offer");
        o.status = OfferStatus::Withdrawn;
        assert_eq!(
            check_offer(Some(&o), "u1").unwrap_err().code,
            "offer_closed"
        );
    }

    #[test]
    fn a_pairing_must_be_the_pledgers_active_and_with_the_needs_beneficiary() {
        let n = need("h1");
        let mut p = pairing("u1", Some("h1"), None);
        p.status = PairingStatus::Active;
        assert_eq!(check_pairing(Some(&p), "u1", &n), Ok(()));
        let e = check_pairing(Some(&p), "u2", &n).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code),
            ("pairing_id", "unknown_pairing")
        );
        let other = need("h2");
        assert_eq!(
            check_pairing(Some(&p), "u1", &other).unwrap_err().code,
            "other_beneficiary"
        );
        p.status = PairingStatus::Proposed;
        assert_eq!(
            check_pairing(Some(&p), "u1", &n).unwrap_err().code,
            "pairing_not_active"
        );
        // A pairing with the village covers the needs of its households.
        let mut village = pairing("u1", None, Some("v1"));
        village.status = PairingStatus::Active;
        assert_eq!(check_pairing(Some(&village), "u1", &n), Ok(()));
    }
}
