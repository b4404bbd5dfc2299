//! `Member`: one person of a registered household, and the draft it is parsed from.

use std::fmt;

use chrono::NaiveDate;
use serde::Deserialize;

use super::attributes::{Education, Health, Relation, Schooling, WorkCapacity, parse_sex};
use super::ethnicity::Ethnicity;
use super::fields::{Errors, lenient, parse_bool};
use crate::FieldError;
use crate::identity::{IdCardNumber, PersonName, PhoneNumber, Sex};

/// A member of a registered household (家庭成员). Holds personal data: its `Debug` shows
/// the masked name, ID number and phone only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: PersonName,
    /// Agrees with the sex digit of `id_number`.
    pub sex: Sex,
    pub id_number: IdCardNumber,
    pub relation: Relation,
    pub ethnicity: Ethnicity,
    pub education: Education,
    pub schooling: Schooling,
    pub health: Health,
    pub work_capacity: WorkCapacity,
    /// 务工: works away from home.
    pub migrant_worker: bool,
    /// 新农合: insured by the rural co-operative medical scheme.
    pub rural_medical: bool,
    /// 城乡居民养老保险
    pub rural_pension: bool,
    /// 低保: receives the minimum living allowance.
    pub dibao: bool,
    /// 大病医疗保险
    pub critical_illness: bool,
    pub phone: Option<PhoneNumber>,
}

impl Member {
    pub fn is_head(&self) -> bool {
        self.relation == Relation::Head
    }
}

/// A member as a JSON body or a CSV row gives it: every field text, empty meaning "not
/// given". JSON scalars are accepted too (`"dibao": true`), see [`super::HouseholdDraft`].
///
/// Holds personal data in the clear: its `Debug` redacts the name, ID number and phone.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberDraft {
    #[serde(default, deserialize_with = "lenient")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub sex: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub id_number: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub relation: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub ethnicity: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub education: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub schooling: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub health: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub work_capacity: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub migrant_worker: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub rural_medical: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub rural_pension: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub dibao: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub critical_illness: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub phone: Option<String>,
}

impl MemberDraft {
    /// The field names, in the order of the layout (the CSV columns are `member_<name>`).
    pub const FIELDS: [&'static str; 15] = [
        "name",
        "sex",
        "id_number",
        "relation",
        "ethnicity",
        "education",
        "schooling",
        "health",
        "work_capacity",
        "migrant_worker",
        "rural_medical",
        "rural_pension",
        "dibao",
        "critical_illness",
        "phone",
    ];

    /// The draft field by its name in [`MemberDraft::FIELDS`].
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
        let field = match name {
            "name" => &mut self.name,
            "sex" => &mut self.sex,
            "id_number" => &mut self.id_number,
            "relation" => &mut self.relation,
            "ethnicity" => &mut self.ethnicity,
            "education" => &mut self.education,
            "schooling" => &mut self.schooling,
            "health" => &mut self.health,
            "work_capacity" => &mut self.work_capacity,
            "migrant_worker" => &mut self.migrant_worker,
            "rural_medical" => &mut self.rural_medical,
            "rural_pension" => &mut self.rural_pension,
            "dibao" => &mut self.dibao,
            "critical_illness" => &mut self.critical_illness,
            "phone" => &mut self.phone,
            _ => return None,
        };
        Some(field)
    }

    /// Parses one member on its own (field names without a prefix: `id_number`). ID numbers
    /// are judged against `today`.
    pub fn parse(self, today: NaiveDate) -> Result<Member, Vec<FieldError>> {
        let mut errors = Errors::default();
        match self.parse_into("", today, &mut errors) {
            Some(member) if errors.is_empty() => Ok(member),
            _ => Err(errors.into_vec()),
        }
    }

    /// Parses with every field name prefixed (`members[2].`), collecting all errors.
    pub(crate) fn parse_into(
        &self,
        prefix: &str,
        today: NaiveDate,
        errors: &mut Errors,
    ) -> Option<Member> {
        let f = |name: &str| format!("{prefix}{name}");
        let name = errors.required(&f("name"), self.name.as_ref(), PersonName::parse);
        let sex = errors.required(&f("sex"), self.sex.as_ref(), parse_sex);
        let id_number = errors.required(&f("id_number"), self.id_number.as_ref(), |s| {
            IdCardNumber::parse_on(s, today)
        });
        let relation = errors.required(&f("relation"), self.relation.as_ref(), Relation::parse);
        let ethnicity = errors.or_default(
            &f("ethnicity"),
            self.ethnicity.as_ref(),
            Ethnicity::HAN,
            Ethnicity::parse,
        );
        let education = errors.required(&f("education"), self.education.as_ref(), Education::parse);
        let schooling = errors.or_default(
            &f("schooling"),
            self.schooling.as_ref(),
            Schooling::None,
            Schooling::parse,
        );
        let health = errors.required(&f("health"), self.health.as_ref(), Health::parse);
        let work_capacity = errors.required(
            &f("work_capacity"),
            self.work_capacity.as_ref(),
            WorkCapacity::parse,
        );
        let mut flag = |name: &str, raw: &Option<String>| {
            errors.or_default(&f(name), raw.as_ref(), false, parse_bool)
        };
        let migrant_worker = flag("migrant_worker", &self.migrant_worker);
        let rural_medical = flag("rural_medical", &self.rural_medical);
        let rural_pension = flag("rural_pension", &self.rural_pension);
        let dibao = flag("dibao", &self.dibao);
        let critical_illness = flag("critical_illness", &self.critical_illness);
        let phone = errors.optional(&f("phone"), self.phone.as_ref(), PhoneNumber::parse);

        let mismatch = match (sex, &id_number) {
            (Some(sex), Some(id)) if id.sex() != sex => Some((sex, id.sex())),
            _ => None,
        };
        if let Some((sex, id_sex)) = mismatch {
            errors.push(FieldError::new(
                f("sex"),
                "sex_mismatch",
                format!(
                    "the sex {sex} disagrees with the ID number, whose 17th digit says {id_sex}"
                ),
                format!(
                    "性别“{}”与身份证号码不符（第 17 位表示“{}”）",
                    sex.label_zh(),
                    id_sex.label_zh()
                ),
            ));
            return None;
        }
        Some(Member {
            name: name?,
            sex: sex?,
            id_number: id_number?,
            relation: relation?,
            ethnicity: ethnicity?,
            education: education?,
            schooling: schooling?,
            health: health?,
            work_capacity: work_capacity?,
            migrant_worker: migrant_worker?,
            rural_medical: rural_medical?,
            rural_pension: rural_pension?,
            dibao: dibao?,
            critical_illness: critical_illness?,
            phone: phone?,
        })
    }
}

/// The clear values of a member as draft text (English values), e.g. to apply a partial
/// update and parse the result again. Personal data: the draft holds the clear name, ID
/// number and phone.
impl From<&Member> for MemberDraft {
    fn from(m: &Member) -> Self {
        let text = |s: &str| Some(s.to_owned());
        let flag = |b: bool| Some(b.to_string());
        Self {
            name: text(m.name.expose()),
            sex: text(m.sex.as_str()),
            id_number: text(m.id_number.expose()),
            relation: text(m.relation.as_str()),
            ethnicity: text(m.ethnicity.as_str()),
            education: text(m.education.as_str()),
            schooling: text(m.schooling.as_str()),
            health: text(m.health.as_str()),
            work_capacity: text(m.work_capacity.as_str()),
            migrant_worker: flag(m.migrant_worker),
            rural_medical: flag(m.rural_medical),
            rural_pension: flag(m.rural_pension),
            dibao: flag(m.dibao),
            critical_illness: flag(m.critical_illness),
            phone: m.phone.as_ref().map(|p| p.expose().to_owned()),
        }
    }
}

impl fmt::Debug for MemberDraft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("MemberDraft")
            .field("name", &redacted(&self.name))
            .field("sex", &self.sex)
            .field("id_number", &redacted(&self.id_number))
            .field("relation", &self.relation)
            .field("ethnicity", &self.ethnicity)
            .field("education", &self.education)
            .field("schooling", &self.schooling)
            .field("health", &self.health)
            .field("work_capacity", &self.work_capacity)
            .field("migrant_worker", &self.migrant_worker)
            .field("rural_medical", &self.rural_medical)
            .field("rural_pension", &self.rural_pension)
            .field("dibao", &self.dibao)
            .field("critical_illness", &self.critical_illness)
            .field("phone", &redacted(&self.phone))
            .finish()
    }
}
