//! The life of a registered household: poor, exited from poverty, watched for the risk of
//! falling back, and fallen back (返贫).
//!
//! ```text
//!   poor ──exit──▶ exited ──flag_risk──▶ at_risk
//!                   ▲  │ ◀──clear_risk──   │
//!   returned ──exit─┘  └──return──▶ returned ◀──return──┘
//! ```

use crate::DomainError;
use crate::labels::labelled_enum;

labelled_enum! {
    /// 贫困户状态: where a registered household stands.
    pub enum HouseholdStatus in "status" {
        /// 贫困: registered and not yet out of poverty.
        Poor = "poor", "贫困", ["未脱贫"];
        /// 已脱贫: has met the exit standard.
        Exited = "exited", "已脱贫", ["脱贫"];
        /// 监测户: exited, but watched because it risks falling back.
        AtRisk = "at_risk", "监测户", ["脱贫监测户"];
        /// 返贫: exited once and fell back into poverty.
        Returned = "returned", "返贫", ["返贫户"];
    }
}

labelled_enum! {
    /// What can happen to a household's status.
    pub enum StatusAction in "action" {
        /// 脱贫: poor or returned → exited. The caller checks the exit standard first
        /// ([`super::Household::check_exit`]).
        Exit = "exit", "脱贫", [];
        /// 纳入监测: exited → at risk.
        FlagRisk = "flag_risk", "纳入监测", ["标记风险"];
        /// 消除风险: at risk → exited.
        ClearRisk = "clear_risk", "消除风险", ["解除风险"];
        /// 返贫: exited or at risk → returned.
        Return = "return", "返贫", [];
    }
}

impl HouseholdStatus {
    /// The status after `action`, or `InvalidTransition` naming the actions this status
    /// allows.
    pub fn transition(self, action: StatusAction) -> Result<HouseholdStatus, DomainError> {
        use HouseholdStatus as S;
        use StatusAction as A;
        match (self, action) {
            (S::Poor | S::Returned, A::Exit) | (S::AtRisk, A::ClearRisk) => Ok(S::Exited),
            (S::Exited, A::FlagRisk) => Ok(S::AtRisk),
            (S::Exited | S::AtRisk, A::Return) => Ok(S::Returned),
            _ => Err(DomainError::InvalidTransition {
                state: self.as_str().to_owned(),
                action: action.as_str().to_owned(),
                allowed: self
                    .allowed_actions()
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
            }),
        }
    }

    /// The actions legal from this status.
    pub fn allowed_actions(self) -> &'static [StatusAction] {
        match self {
            HouseholdStatus::Poor | HouseholdStatus::Returned => &[StatusAction::Exit],
            HouseholdStatus::Exited => &[StatusAction::FlagRisk, StatusAction::Return],
            HouseholdStatus::AtRisk => &[StatusAction::ClearRisk, StatusAction::Return],
        }
    }

    /// Whether the household has exited poverty (and so must record the year it did).
    pub fn has_exited(self) -> bool {
        matches!(self, HouseholdStatus::Exited | HouseholdStatus::AtRisk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HouseholdStatus as S;
    use StatusAction as A;

    #[test]
    fn legal_transitions() {
        assert_eq!(S::Poor.transition(A::Exit), Ok(S::Exited));
        assert_eq!(S::Returned.transition(A::Exit), Ok(S::Exited));
        assert_eq!(S::Exited.transition(A::FlagRisk), Ok(S::AtRisk));
        assert_eq!(S::AtRisk.transition(A::ClearRisk), Ok(S::Exited));
        assert_eq!(S::Exited.transition(A::Return), Ok(S::Returned));
        assert_eq!(S::AtRisk.transition(A::Return), Ok(S::Returned));
    }

    #[test]
    fn illegal_transitions_name_the_allowed_actions() {
        assert_eq!(
            S::Poor.transition(A::Return),
            Err(DomainError::InvalidTransition {
                state: "poor".into(),
                action: "return".into(),
                allowed: vec!["exit".into()],
            })
        );
        assert_eq!(
            S::Exited.transition(A::Exit),
            Err(DomainError::InvalidTransition {
                state: "exited".into(),
                action: "exit".into(),
                allowed: vec!["flag_risk".into(), "return".into()],
            })
        );
        assert_eq!(
            S::AtRisk.transition(A::FlagRisk),
            Err(DomainError::InvalidTransition {
                state: "at_risk".into(),
                action: "flag_risk".into(),
                allowed: vec!["clear_risk".into(), "return".into()],
            })
        );
        assert!(matches!(
            S::Returned.transition(A::ClearRisk),
            Err(DomainError::InvalidTransition { allowed, .. }) if allowed == ["exit"]
        ));
    }

    #[test]
    fn every_pair_agrees_with_allowed_actions() {
        for s in S::ALL {
            for a in A::ALL {
                let legal = s.allowed_actions().contains(a);
                assert_eq!(s.transition(*a).is_ok(), legal, "{s} {a}");
            }
        }
    }

    #[test]
    fn actions_and_statuses_parse() {
        assert_eq!(A::parse("flag_risk"), Ok(A::FlagRisk));
        assert_eq!(A::parse("返贫"), Ok(A::Return));
        assert_eq!(A::parse(" clear_risk "), Ok(A::ClearRisk));
        assert_eq!(A::parse("exit"), Ok(A::Exit));
        let err = A::parse("delete").expect_err("unknown");
        assert_eq!((err.field.as_str(), err.code), ("action", "unknown_value"));
        assert_eq!(S::parse("监测户"), Ok(S::AtRisk));
        assert_eq!(S::parse("已脱贫"), Ok(S::Exited));
        assert_eq!(S::parse("返贫"), Ok(S::Returned));
        assert!(S::AtRisk.has_exited() && S::Exited.has_exited());
        assert!(!S::Poor.has_exited() && !S::Returned.has_exited());
    }
}

#[cfg(test)]
mod serde_tests {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error;

    use super::*;
    use crate::registry::{Education, PovertyCause};

    fn written<T: serde::Serialize>(value: T) -> String {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        w.serialize(value).expect("serializes");
        String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
    }

    #[test]
    fn enums_serialize_and_deserialize_as_the_english_value() {
        assert_eq!(written(HouseholdStatus::AtRisk), "at_risk\n");
        assert_eq!(
            written(PovertyCause::LackOfMotivation),
            "lack_of_motivation\n"
        );
        assert_eq!(written(Education::JuniorSecondary), "junior_secondary\n");
        let de = |s: &'static str| HouseholdStatus::deserialize(s.into_deserializer());
        assert_eq!(de("returned"), Ok::<_, Error>(HouseholdStatus::Returned));
        assert!(de("返贫").is_err(), "serde takes the English value only");
    }
}
