//! Personal data on the way out: the one serializer path that masks ID numbers, phone
//! numbers and names, and the one way to get them unmasked, which checks the caller's right
//! and writes the audit event in the same step. A DTO holds [`Shown`] values; it cannot
//! hold a clear value at all (the domain types do not serialize).

use serde::{Serialize, Serializer};

use domain::identity::{Action, IdCardNumber, PersonName, PhoneNumber, Principal};
use domain::region::RegionCode;
use persistence::DbConn;

use crate::service::{Audit, RequestMeta, ServiceError};

/// A personal value and how it is masked.
pub trait Personal {
    fn expose(&self) -> &str;
    fn masked(&self) -> String;
}

impl Personal for IdCardNumber {
    fn expose(&self) -> &str {
        IdCardNumber::expose(self)
    }
    fn masked(&self) -> String {
        IdCardNumber::masked(self)
    }
}

impl Personal for PhoneNumber {
    fn expose(&self) -> &str {
        PhoneNumber::expose(self)
    }
    fn masked(&self) -> String {
        PhoneNumber::masked(self)
    }
}

impl Personal for PersonName {
    fn expose(&self) -> &str {
        PersonName::expose(self)
    }
    fn masked(&self) -> String {
        PersonName::masked(self)
    }
}

/// How much of a record's personal data a response may show. `Full` is only made by
/// [`reveal`], which audits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disclosure(Level);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Masked,
    Full,
}

impl Disclosure {
    pub const MASKED: Disclosure = Disclosure(Level::Masked);

    pub fn is_full(self) -> bool {
        self.0 == Level::Full
    }

    pub fn show<T: Personal>(self, value: T) -> Shown<T> {
        Shown(value, self)
    }
}

/// A personal value in a response, serialized masked unless the disclosure is full.
#[derive(Debug, Clone)]
pub struct Shown<T>(T, Disclosure);

impl<T: Personal> Serialize for Shown<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.1.0 {
            Level::Full => s.serialize_str(self.0.expose()),
            Level::Masked => s.serialize_str(&self.0.masked()),
        }
    }
}

/// Full disclosure for the command line, which acts as the platform's operator (who holds
/// the keys anyway); its exports are audited as the system's.
pub fn system_disclosure() -> Disclosure {
    Disclosure(Level::Full)
}

/// What an unmasked read is about.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    pub object_type: &'a str,
    pub object_id: &'a str,
    /// The place the record belongs to; `None` for records bound to no place (donors).
    pub place: Option<&'a RegionCode>,
    /// The record is the caller's own.
    pub own: bool,
}

/// Full disclosure, if the caller may see this record unmasked: platform admins, officials
/// whose jurisdiction holds the record's place, and people reading their own record. Writes
/// one `personal_data.reveal` audit event; refuses with 403 otherwise.
pub fn reveal(
    conn: &mut DbConn,
    principal: &Principal,
    meta: &RequestMeta,
    subject: &Subject<'_>,
) -> Result<Disclosure, ServiceError> {
    let allowed = subject.own
        || principal.is_admin()
        || (principal.may(Action::RevealPersonalData).is_ok()
            && subject.place.is_some_and(|p| principal.sees(p)));
    if !allowed {
        return Err(ServiceError::forbidden());
    }
    Audit::by(principal, "personal_data.reveal")
        .on(subject.object_type, subject.object_id)
        .at_maybe(subject.place)
        .record(conn, meta)?;
    Ok(Disclosure(Level::Full))
}

/// The public pseudonym of a household (`户-3F9A2C`): stable, so a portal can show that two
/// needs come from the same family, and derived from the record id alone, which carries no
/// personal data and cannot be turned back into it.
pub fn pseudonym(household_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("fupin-pseudonym:{household_id}").as_bytes());
    let hex: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    format!("户-{hex}")
}
