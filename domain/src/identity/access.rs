//! The one place that answers "may this caller do this": function-level (may a caller of
//! this kind ever do the action: 403 if not) and object-level (does the object lie in the
//! caller's jurisdiction: 404 if not, so its existence is never revealed).

use crate::region::RegionCode;

use super::{Role, Scope, Scopes};

/// Who is calling: a signed-in user, or an integration client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    User { id: String, role: Role },
    Client { id: String, scopes: Scopes },
}

/// An authenticated caller, as its access token describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub subject: Subject,
    /// The region the caller is bound to (officials, village cadres, region-bound clients
    /// and evaluators); `None` for callers bound to no place.
    pub region: Option<RegionCode>,
    pub organization_id: Option<String>,
}

/// Where a caller may see and change place-bound things.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jurisdiction {
    /// Everywhere (platform admins; unbound clients and evaluators).
    Everywhere,
    /// This region and everything under it.
    Within(RegionCode),
    /// Nowhere: the caller has no jurisdiction over places (donors, volunteers, org members).
    Nowhere,
}

impl Jurisdiction {
    pub fn contains(&self, place: &RegionCode) -> bool {
        match self {
            Jurisdiction::Everywhere => true,
            Jurisdiction::Within(region) => region.contains(place),
            Jurisdiction::Nowhere => false,
        }
    }
}

/// What a caller may ask to do. Each later policy area adds its own actions here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Create, list and read user accounts (of their jurisdiction).
    ManageUsers,
    /// Create and manage integration clients.
    ManageClients,
    /// Read the audit log.
    ReadAuditEvents,
    /// Read unmasked ID and phone numbers of people in the jurisdiction (audited).
    RevealPersonalData,
    /// Read the registry of poor villages and households.
    ReadRegistry,
    /// Change the registry.
    WriteRegistry,
    /// Read statistics.
    ReadStats,
    /// Bulk export.
    Export,
    /// Draft, edit, submit and cancel the needs of the jurisdiction's households and
    /// villages (village cadres, township and county officials).
    ManageNeeds,
    /// Verify, reject, publish and close needs (township and county officials).
    ReviewNeeds,
    /// Read every need, pledge and pairing of the jurisdiction, unpublished ones included.
    ReadPlatform,
    /// Give: make offers, pledges and pairings (organisation members, donors, volunteers).
    Give,
    /// Speak for the household side: confirm deliveries, give feedback, accept or decline
    /// pairings (village cadres and officials of the place).
    ActForHouseholds,
    /// Read every organisation registered in the jurisdiction (officials, evaluators).
    ReadOrganizations,
    /// Verify or reject organisations registered in the jurisdiction (officials).
    ReviewOrganizations,
    /// Read what society gave and did in the jurisdiction: donations received by its
    /// organisations, its volunteers' service records, the participation of staff by work
    /// unit (officials, evaluators for third-party monitoring).
    ReadParticipation,
    /// Add brands to the catalogue for the special groups (platform admins, province
    /// officials).
    ManageBrands,
    /// Serve as a volunteer: keep a profile, sign up for activities, log hours (volunteers).
    Volunteer,
    /// Take part as an individual and name a work unit (donors and volunteers; organisation
    /// members act for their organisation, officials oversee).
    TakePartAsIndividual,
    /// Confirm or reject the gifts one's organisation received, refund them or void their
    /// receipts (organisation members, for their own organisation only).
    ReceiveGifts,
}

/// The caller may never do this (403).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub action: Action,
}

impl Principal {
    pub fn role(&self) -> Option<Role> {
        match &self.subject {
            Subject::User { role, .. } => Some(*role),
            Subject::Client { .. } => None,
        }
    }

    pub fn id(&self) -> &str {
        match &self.subject {
            Subject::User { id, .. } | Subject::Client { id, .. } => id,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::PlatformAdmin)
    }

    pub fn jurisdiction(&self) -> Jurisdiction {
        match (&self.subject, &self.region) {
            (
                Subject::User {
                    role: Role::PlatformAdmin,
                    ..
                },
                _,
            ) => Jurisdiction::Everywhere,
            (Subject::User { role, .. }, Some(region))
                if role.requires_region() || *role == Role::Evaluator =>
            {
                Jurisdiction::Within(region.clone())
            }
            (
                Subject::User {
                    role: Role::Evaluator,
                    ..
                },
                None,
            ) => Jurisdiction::Everywhere,
            (Subject::User { .. }, _) => Jurisdiction::Nowhere,
            (Subject::Client { .. }, Some(region)) => Jurisdiction::Within(region.clone()),
            (Subject::Client { .. }, None) => Jurisdiction::Everywhere,
        }
    }

    /// Object-level check: the place lies in the caller's jurisdiction.
    pub fn sees(&self, place: &RegionCode) -> bool {
        self.jurisdiction().contains(place)
    }

    /// Function-level check.
    pub fn may(&self, action: Action) -> Result<(), Denied> {
        let allowed = match &self.subject {
            Subject::User { role, .. } => role_may(*role, action),
            Subject::Client { scopes, .. } => scope_for(action).is_some_and(|s| scopes.contains(s)),
        };
        if allowed {
            Ok(())
        } else {
            Err(Denied { action })
        }
    }
}

fn role_may(role: Role, action: Action) -> bool {
    use Action as A;
    use Role as R;
    match action {
        A::ManageUsers => role == R::PlatformAdmin || role.is_official(),
        A::ManageClients => role == R::PlatformAdmin,
        A::ReadAuditEvents => matches!(role, R::PlatformAdmin | R::ProvinceOfficial),
        A::RevealPersonalData => role == R::PlatformAdmin || role.is_official(),
        A::ReadRegistry => {
            role == R::PlatformAdmin || role.requires_region() || role == R::Evaluator
        }
        A::WriteRegistry => role == R::PlatformAdmin || role.requires_region(),
        A::ReadStats => role == R::PlatformAdmin || role.requires_region() || role == R::Evaluator,
        A::Export => role == R::PlatformAdmin || role.is_official(),
        A::ManageNeeds | A::ActForHouseholds => matches!(
            role,
            R::PlatformAdmin | R::CountyOfficial | R::TownshipOfficial | R::VillageCadre
        ),
        A::ReviewNeeds => matches!(
            role,
            R::PlatformAdmin | R::CountyOfficial | R::TownshipOfficial
        ),
        A::ReadPlatform => {
            role == R::PlatformAdmin || role.requires_region() || role == R::Evaluator
        }
        A::Give => matches!(role, R::OrgMember | R::Donor | R::Volunteer),
        A::ReadOrganizations => {
            role == R::PlatformAdmin || role.is_official() || role == R::Evaluator
        }
        A::ReviewOrganizations => role == R::PlatformAdmin || role.is_official(),
        A::ReadParticipation => {
            role == R::PlatformAdmin || role.is_official() || role == R::Evaluator
        }
        A::ManageBrands => matches!(role, R::PlatformAdmin | R::ProvinceOfficial),
        A::Volunteer => role == R::Volunteer,
        A::TakePartAsIndividual => matches!(role, R::Donor | R::Volunteer),
        A::ReceiveGifts => role == R::OrgMember,
    }
}

/// The scope an integration client needs for an action; `None`: clients may never do it.
fn scope_for(action: Action) -> Option<Scope> {
    match action {
        Action::ReadRegistry => Some(Scope::RegistryRead),
        Action::WriteRegistry => Some(Scope::RegistryWrite),
        Action::ReadStats => Some(Scope::StatsRead),
        Action::Export => Some(Scope::ExportRead),
        Action::ReadAuditEvents => Some(Scope::AuditRead),
        Action::ReadPlatform => Some(Scope::PlatformRead),
        Action::ManageNeeds => Some(Scope::PlatformWrite),
        Action::ReadOrganizations | Action::ReadParticipation => Some(Scope::PlatformRead),
        Action::ReviewNeeds
        | Action::Give
        | Action::ActForHouseholds
        | Action::ReviewOrganizations
        | Action::ManageBrands
        | Action::Volunteer
        | Action::TakePartAsIndividual
        | Action::ReceiveGifts => None,
        Action::ManageUsers | Action::ManageClients | Action::RevealPersonalData => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    fn user(role: Role, region: Option<&str>) -> Principal {
        Principal {
            subject: Subject::User {
                id: "u".into(),
                role,
            },
            region: region.map(code),
            organization_id: None,
        }
    }

    fn client(scopes: &str, region: Option<&str>) -> Principal {
        Principal {
            subject: Subject::Client {
                id: "c".into(),
                scopes: Scopes::parse(scopes).unwrap(),
            },
            region: region.map(code),
            organization_id: None,
        }
    }

    #[test]
    fn officials_see_their_subtree_only() {
        let county = user(Role::CountyOfficial, Some("210921"));
        assert!(county.sees(&code("210921100201")));
        assert!(!county.sees(&code("210922100201")));
        assert!(!county.sees(&code("210900")));
        let city = user(Role::CityOfficial, Some("210900"));
        assert!(city.sees(&code("210921100201")) && city.sees(&code("210922")));
        assert!(!city.sees(&code("210100")));
        assert_eq!(
            user(Role::PlatformAdmin, None).jurisdiction(),
            Jurisdiction::Everywhere
        );
        assert_eq!(
            user(Role::Donor, None).jurisdiction(),
            Jurisdiction::Nowhere
        );
        assert!(!user(Role::Donor, None).sees(&code("210921")));
    }

    #[test]
    fn a_client_bound_to_fuxin_sees_nothing_outside_it() {
        let fuxin = client("registry:read", Some("210900"));
        assert!(fuxin.sees(&code("210921100201")));
        assert!(!fuxin.sees(&code("211300")));
        assert_eq!(
            client("registry:read", None).jurisdiction(),
            Jurisdiction::Everywhere
        );
    }

    #[test]
    fn roles_and_scopes_decide_what_may_ever_be_done() {
        assert!(
            user(Role::PlatformAdmin, None)
                .may(Action::ManageClients)
                .is_ok()
        );
        assert_eq!(
            user(Role::CountyOfficial, Some("210921")).may(Action::ManageClients),
            Err(Denied {
                action: Action::ManageClients
            })
        );
        assert!(
            user(Role::ProvinceOfficial, Some("210000"))
                .may(Action::ReadAuditEvents)
                .is_ok()
        );
        assert!(
            user(Role::CityOfficial, Some("210900"))
                .may(Action::ReadAuditEvents)
                .is_err()
        );
        assert!(
            user(Role::CountyOfficial, Some("210921"))
                .may(Action::ManageUsers)
                .is_ok()
        );
        assert!(
            user(Role::VillageCadre, Some("210921100201"))
                .may(Action::ManageUsers)
                .is_err()
        );
        assert!(user(Role::Donor, None).may(Action::ReadRegistry).is_err());
        assert!(
            user(Role::Evaluator, None)
                .may(Action::ReadRegistry)
                .is_ok()
        );
        assert!(
            user(Role::Evaluator, None)
                .may(Action::WriteRegistry)
                .is_err()
        );
        assert!(
            user(Role::Evaluator, None)
                .may(Action::RevealPersonalData)
                .is_err()
        );
        let cadre = user(Role::VillageCadre, Some("210921100201"));
        assert!(cadre.may(Action::ManageNeeds).is_ok());
        assert!(cadre.may(Action::ReviewNeeds).is_err());
        assert!(cadre.may(Action::Give).is_err());
        assert!(
            user(Role::TownshipOfficial, Some("210921100000"))
                .may(Action::ReviewNeeds)
                .is_ok()
        );
        assert!(
            user(Role::CityOfficial, Some("210900"))
                .may(Action::ReviewNeeds)
                .is_err()
        );
        assert!(user(Role::Donor, None).may(Action::Give).is_ok());
        assert!(user(Role::Donor, None).may(Action::ManageNeeds).is_err());
        assert!(user(Role::PlatformAdmin, None).may(Action::Give).is_err());
        assert!(
            client("platform:write", None)
                .may(Action::ManageNeeds)
                .is_ok()
        );
        assert!(
            client("platform:write", None)
                .may(Action::ReviewNeeds)
                .is_err()
        );
        let reader = client("registry:read stats:read", Some("210900"));
        assert!(reader.may(Action::ReadRegistry).is_ok());
        assert!(reader.may(Action::WriteRegistry).is_err());
        assert!(reader.may(Action::RevealPersonalData).is_err());
        assert!(reader.may(Action::ManageUsers).is_err());
        assert!(
            user(Role::ProvinceOfficial, Some("210000"))
                .may(Action::ManageBrands)
                .is_ok()
        );
        assert!(
            user(Role::CountyOfficial, Some("210921"))
                .may(Action::ManageBrands)
                .is_err()
        );
        assert!(
            client("platform:write", None)
                .may(Action::ManageBrands)
                .is_err()
        );
    }

    #[test]
    fn those_who_give_and_those_who_oversee_the_giving_are_never_the_same() {
        // The donation and volunteer listings rely on it: a caller either has records of
        // their own or reads the jurisdiction's, never both.
        for role in Role::ALL {
            let region = role.requires_region().then_some("210921");
            let p = user(role, region);
            assert!(
                !(p.may(Action::Give).is_ok() && p.may(Action::ReadParticipation).is_ok()),
                "{role:?}"
            );
        }
        assert!(
            user(Role::Evaluator, None)
                .may(Action::ReadParticipation)
                .is_ok()
        );
        assert!(
            user(Role::VillageCadre, Some("210921100201"))
                .may(Action::ReadParticipation)
                .is_err()
        );
        assert!(
            client("platform:read", Some("210900"))
                .may(Action::ReadParticipation)
                .is_ok()
        );
    }

    #[test]
    fn volunteers_serve_and_individuals_take_part() {
        assert!(user(Role::Volunteer, None).may(Action::Volunteer).is_ok());
        assert!(user(Role::Donor, None).may(Action::Volunteer).is_err());
        for role in [Role::Donor, Role::Volunteer] {
            assert!(user(role, None).may(Action::TakePartAsIndividual).is_ok());
        }
        assert!(
            user(Role::OrgMember, None)
                .may(Action::TakePartAsIndividual)
                .is_err()
        );
        assert!(
            client("platform:write", None)
                .may(Action::TakePartAsIndividual)
                .is_err()
        );
    }

    #[test]
    fn only_organisation_members_receive_gifts() {
        assert!(
            user(Role::OrgMember, None)
                .may(Action::ReceiveGifts)
                .is_ok()
        );
        for role in [Role::Donor, Role::Volunteer, Role::PlatformAdmin] {
            assert!(
                user(role, None).may(Action::ReceiveGifts).is_err(),
                "{role:?}"
            );
        }
        assert!(
            client("platform:write", None)
                .may(Action::ReceiveGifts)
                .is_err()
        );
    }
}
