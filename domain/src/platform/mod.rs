//! 扶贫信息服务平台 (task 9 of the policy): publish the needs of registered poor households
//! and villages, match them with what society offers, and let donors choose and pair freely
//! (自主选择、自愿结对).
//!
//! - [`NeedDraft`] → [`NeedSpec`]: a need as a village cadre drafts it; [`NeedStatus`] its
//!   lifecycle (draft → submitted → verified → published → pledged → fulfilled → closed).
//! - [`OfferDraft`] → [`OfferSpec`]: what a participant can give.
//! - [`Amount`] and [`Capacity`]: money or a quantity of a unit; the sum of open pledges
//!   never exceeds what a need asks for.
//! - [`PledgeStatus`]: pledged → delivered → confirmed, or cancelled; [`Feedback`]. A
//!   pledge's links ([`check_offer`], [`check_pairing`]), "fulfilled on the last
//!   confirmation" ([`Need::status_after_confirmation`]) and the cancel cascade
//!   ([`Pledge::released_by_cancelled_need`]).
//! - Records as stored: [`Need`], [`Offer`], [`Pledge`] with [`PledgeFeedback`], [`Pairing`].
//! - [`PairingStatus`]: a pairing is active only once both sides consented.
//! - [`matching::score`]: how well an offer fits a need, out of 100, with reasons.
//! - [`text`]: public text never carries an ID or phone number.

mod amount;
mod evidence;
#[cfg(test)]
mod fixtures;
pub mod matching;
mod need;
mod need_record;
mod need_status;
mod offer;
mod pairing;
mod pledge;
mod pledge_links;
pub mod text;
mod vocabulary;

pub use amount::{Amount, Capacity, MAX_AMOUNT};
pub use evidence::{Evidence, EvidenceDraft, MAX_EVIDENCE, parse_evidence};
pub use need::{Beneficiary, Need, NeedDraft, NeedSpec, parse_deadline};
pub use need_record::Recipient;
pub use need_status::{NeedAction, NeedStatus, ReasonChange};
pub use offer::{Offer, OfferDraft, OfferSpec, OfferStatus};
pub use pairing::{Pairing, PairingAction, PairingSpec, PairingStatus, parse_period};
pub use pledge::{
    Feedback, Pledge, PledgeAction, PledgeDraft, PledgeFeedback, PledgeStatus, PledgeStep,
    parse_note, parse_reason,
};
pub use pledge_links::{check_offer, check_pairing};
pub use vocabulary::{NeedCategory, OfferKind, PairingKind, TargetGroup, Urgency};

/// The value, or `None` with its error kept, so a parser reports every error at once.
fn keep<T>(errors: &mut Vec<crate::FieldError>, r: Result<T, crate::FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}
