//! Who people are and what they may do: the personal data the registry holds (居民身份证号,
//! phone numbers, names), the roles of the people who use Fupin, and the scopes of the
//! systems that integrate with it.
//!
//! Personal data types never print their clear value: `Debug` shows the masked form, there is
//! no `Display` and no `Serialize`. Code that must see the clear value calls `expose()`, so
//! every such place can be found with one search. They implement `Deserialize`, which parses.

mod access;
mod audit;
mod client;
mod id_card;
mod password;
mod person_name;
mod phone;
mod redact;
mod role;
mod scope;
mod sex;
mod user;

pub use access::{Action, Denied, Jurisdiction, Principal, Subject};
pub use audit::{ActorKind, AuditEvent, Outcome};
pub use client::{Client, ClientDraft};
pub use id_card::{IdCardNumber, today_in_china};
pub use password::{NewPassword, PasswordChange};
pub use person_name::PersonName;
pub use phone::{PhoneKind, PhoneNumber};
pub use redact::redact_personal_numbers;
pub use role::Role;
pub use scope::{Scope, Scopes};
pub use sex::Sex;
pub use user::{
    AccountDraft, AccountRequest, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, StatusChange, User,
    check_password_policy, parse_username,
};
