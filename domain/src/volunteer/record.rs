//! Volunteers, activities and hours as kept: a volunteer's profile and who may read their
//! service record, an activity an organisation runs, and an entry of hours with its
//! certification (logged → certified, once).

use chrono::{NaiveDate, NaiveDateTime};

use super::{ActivitySpec, VolunteerKind, certified_total_tenths};
use crate::FieldError;
use crate::identity::{Action, Jurisdiction, Principal};
use crate::region::RegionCode;

/// At most this many skills, each of 1 to [`MAX_SKILL_CHARS`] characters.
pub const MAX_SKILLS: usize = 20;
pub const MAX_SKILL_CHARS: usize = 30;

/// A volunteer's profile as they give it: their kind, skills, home region, availability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSpec {
    pub kind: VolunteerKind,
    /// Trimmed, without commas.
    pub skills: Vec<String>,
    pub region: Option<RegionCode>,
    pub availability: Option<String>,
}

impl ProfileSpec {
    /// Every field checked; every error reported at once, against its field.
    pub fn parse(
        kind: &str,
        skills: &[String],
        region_code: Option<&str>,
        availability: Option<String>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = VolunteerKind::parse(kind).map_err(|e| errors.push(e)).ok();
        let region = region_code
            .map(|r| RegionCode::parse(r).map_err(|e| e.for_field("region_code")))
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let bad_skill = |s: &String| {
            s.trim().is_empty() || s.chars().count() > MAX_SKILL_CHARS || s.contains(',')
        };
        if skills.len() > MAX_SKILLS || skills.iter().any(bad_skill) {
            errors.push(FieldError::new(
                "skills",
                "invalid",
                "up to 20 skills of 1 to 30 characters, without commas",
                "最多 20 项技能，每项 1 到 30 个字符，不含逗号",
            ));
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Self {
                kind,
                skills: skills.iter().map(|s| s.trim().to_owned()).collect(),
                region,
                availability,
            }),
            _ => Err(errors),
        }
    }
}

/// A volunteer (志愿者): a user with a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Volunteer {
    pub user_id: String,
    pub profile: ProfileSpec,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Volunteer {
    /// The volunteer themself, or a reader of participation whose jurisdiction holds the
    /// volunteer's region (a volunteer without a region: platform-wide readers only).
    pub fn record_visible_to(&self, who: &Principal) -> bool {
        if who.id() == self.user_id {
            return true;
        }
        if who.may(Action::ReadParticipation).is_err() {
            return false;
        }
        match (who.jurisdiction(), &self.profile.region) {
            (Jurisdiction::Everywhere, _) => true,
            (Jurisdiction::Within(own), Some(region)) => own.contains(region),
            _ => false,
        }
    }
}

/// A volunteer activity (志愿服务活动) an organisation runs in villages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: String,
    pub organization_id: String,
    pub spec: ActivitySpec,
    pub description: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl Activity {
    /// Only members of the organising organisation certify hours and record attendance.
    pub fn is_organised_by(&self, organization_id: Option<&str>) -> bool {
        organization_id == Some(self.organization_id.as_str())
    }
}

/// Who certified an entry of hours, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certification {
    pub by: String,
    pub at: NaiveDateTime,
}

/// An entry of hours a volunteer logged; it counts once the organiser certified it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursEntry {
    pub id: String,
    pub activity_id: String,
    pub volunteer_id: String,
    pub served_on: NaiveDate,
    /// Tenths of an hour.
    pub tenths: i32,
    pub note: Option<String>,
    pub certification: Option<Certification>,
    pub created_at: NaiveDateTime,
}

/// The hours were certified already (a second certification is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyCertified;

impl HoursEntry {
    pub fn is_certified(&self) -> bool {
        self.certification.is_some()
    }

    /// Logged → certified, once.
    pub fn certify(&self, by: &str, at: NaiveDateTime) -> Result<Self, AlreadyCertified> {
        if self.is_certified() {
            return Err(AlreadyCertified);
        }
        Ok(Self {
            certification: Some(Certification {
                by: by.to_owned(),
                at,
            }),
            ..self.clone()
        })
    }
}

/// A volunteer's service record: every entry, how many activities they attended, and the
/// total of certified hours only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub volunteer: Volunteer,
    pub activities_attended: i64,
    pub entries: Vec<HoursEntry>,
}

impl ServiceRecord {
    pub fn certified_tenths(&self) -> i64 {
        certified_total_tenths(self.entries.iter().map(|h| (h.tenths, h.is_certified())))
    }

    /// Logged but not (yet) certified: shown, never counted.
    pub fn uncertified_tenths(&self) -> i64 {
        let all: i64 = self.entries.iter().map(|h| i64::from(h.tenths)).sum();
        all - self.certified_tenths()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{Role, Subject};

    fn principal(id: &str, role: Role, region: Option<&str>) -> Principal {
        Principal {
            subject: Subject::User {
                id: id.into(),
                role,
            },
            region: region.map(|r| RegionCode::parse(r).unwrap()),
            organization_id: None,
        }
    }

    fn volunteer(region: Option<&str>) -> Volunteer {
        let skills = vec![" 数学 ".to_owned()];
        Volunteer {
            user_id: "v1".into(),
            profile: ProfileSpec::parse("student", &skills, region, None).unwrap(),
            created_at: NaiveDateTime::default(),
            updated_at: NaiveDateTime::default(),
        }
    }

    fn entry(tenths: i32, certified: bool) -> HoursEntry {
        let e = HoursEntry {
            id: format!("h{tenths}"),
            activity_id: "a".into(),
            volunteer_id: "v1".into(),
            served_on: NaiveDate::default(),
            tenths,
            note: None,
            certification: None,
            created_at: NaiveDateTime::default(),
        };
        if certified {
            e.certify("o", NaiveDateTime::default()).unwrap()
        } else {
            e
        }
    }

    #[test]
    fn a_profile_reports_every_bad_field_and_trims_its_skills() {
        assert_eq!(volunteer(None).profile.skills, ["数学"]);
        let many: Vec<String> = (0..21).map(|i| i.to_string()).collect();
        let errors = ProfileSpec::parse("astronaut", &many, Some("21x"), None).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "region_code", "skills"]);
        let comma = ["a,b".to_owned()];
        assert_eq!(
            ProfileSpec::parse("student", &comma, None, None).unwrap_err()[0].code,
            "invalid"
        );
    }

    #[test]
    fn a_record_is_read_by_its_volunteer_and_the_officials_of_their_place() {
        let v = volunteer(Some("210921"));
        assert!(v.record_visible_to(&principal("v1", Role::Volunteer, None)));
        assert!(!v.record_visible_to(&principal("v2", Role::Volunteer, None)));
        assert!(v.record_visible_to(&principal("c", Role::CountyOfficial, Some("210921"))));
        assert!(!v.record_visible_to(&principal("c", Role::CountyOfficial, Some("210922"))));
        let nowhere = volunteer(None);
        assert!(!nowhere.record_visible_to(&principal("c", Role::CityOfficial, Some("210900"))));
        assert!(nowhere.record_visible_to(&principal("a", Role::PlatformAdmin, None)));
    }

    #[test]
    fn hours_are_certified_once_and_only_certified_hours_count() {
        let logged = entry(35, false);
        let certified = logged.certify("o", NaiveDateTime::default()).unwrap();
        assert!(certified.is_certified() && !logged.is_certified());
        assert_eq!(
            certified.certify("o", NaiveDateTime::default()),
            Err(AlreadyCertified)
        );
        let record = ServiceRecord {
            volunteer: volunteer(None),
            activities_attended: 1,
            entries: vec![entry(35, true), entry(80, false)],
        };
        assert_eq!(
            (record.certified_tenths(), record.uncertified_tenths()),
            (35, 80)
        );
    }

    #[test]
    fn only_the_organising_organisation_runs_an_activity() {
        let spec = ActivitySpec::parse(
            "teaching",
            "支教",
            &["210921100202".into()],
            "2026-11-01",
            "2026-11-30",
        )
        .unwrap();
        let a = Activity {
            id: "a".into(),
            organization_id: "org".into(),
            spec,
            description: None,
            created_by: "u".into(),
            created_at: NaiveDateTime::default(),
        };
        assert!(a.is_organised_by(Some("org")));
        assert!(!a.is_organised_by(Some("other")) && !a.is_organised_by(None));
    }
}
