//! `Household` (建档立卡贫困户): a registered poor household with its members, and the draft
//! a JSON body or a group of CSV rows is parsed from.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::attributes::Relation;
use super::classification::{HouseholdType, IdentificationStandard, PovertyCause};
use super::fields::{
    Errors, given, lenient, lenient_list, parse_bool, parse_non_negative, parse_year,
};
use super::guarantees::{Guarantees, GuaranteesDraft};
use super::household_number::HouseholdNumber;
use super::member::{Member, MemberDraft};
use super::status::HouseholdStatus;
use crate::FieldError;
use crate::identity::IdCardNumber;
use crate::money::Fen;
use crate::region::{RegionCode, RegionLevel};

/// The most members one household may have.
pub const MAX_MEMBERS: usize = 30;
/// The most secondary causes of poverty one household may have.
pub const MAX_SECONDARY_CAUSES: usize = 2;

/// A registered poor household (建档立卡贫困户). Built by [`HouseholdDraft::parse`], which
/// enforces the rules of the layout document; the fields are public for reading and for
/// code that rebuilds a household from values that were valid when stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    pub household_number: HouseholdNumber,
    /// The village (12-digit, village level).
    pub region_code: RegionCode,
    /// 插花贫困户: lives in a village that is not a registered poor village.
    pub scattered: bool,
    pub household_type: HouseholdType,
    pub identification_standard: IdentificationStandard,
    pub main_cause: PovertyCause,
    /// At most two, distinct, none equal to the main cause.
    pub secondary_causes: Vec<PovertyCause>,
    /// Annual net income per person.
    pub income_per_person_fen: Fen,
    /// The dwelling is safe (not a dilapidated house, 危房).
    pub housing_safe: bool,
    pub guarantees: Guarantees,
    pub status: HouseholdStatus,
    /// The year the household exited poverty: set when exited or at risk, absent when poor,
    /// kept (the earlier exit) or absent when returned.
    pub exit_year: Option<i32>,
    /// 1 to 30 members, exactly one of them the head, no ID number twice.
    pub members: Vec<Member>,
}

impl Household {
    /// The head of the household (户主).
    pub fn head(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.is_head())
    }

    /// The county the household lives in, for sharding and jurisdiction.
    pub fn county(&self) -> Option<RegionCode> {
        self.region_code.county()
    }

    /// The household as draft text (English values), e.g. to apply a partial update and
    /// parse the result again. Personal data: the draft holds clear names, ID numbers and
    /// phones.
    pub fn to_draft(&self) -> HouseholdDraft {
        let text = |s: &str| Some(s.to_owned());
        HouseholdDraft {
            household_number: text(self.household_number.as_str()),
            region_code: text(self.region_code.as_str()),
            scattered: Some(self.scattered.to_string()),
            household_type: text(self.household_type.as_str()),
            identification_standard: text(self.identification_standard.as_str()),
            main_cause: text(self.main_cause.as_str()),
            secondary_causes: self
                .secondary_causes
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            income_per_person_fen: Some(self.income_per_person_fen.get().to_string()),
            housing_safe: Some(self.housing_safe.to_string()),
            guarantees: GuaranteesDraft::from(&self.guarantees),
            status: text(self.status.as_str()),
            exit_year: self.exit_year.map(|y| y.to_string()),
            members: self.members.iter().map(MemberDraft::from).collect(),
        }
    }
}

/// A household as a JSON body or a CSV group of rows gives it: every field text, empty or
/// absent meaning "not given" (then required fields fail and optional ones take their
/// default).
///
/// From JSON: the draft implements `Deserialize` with the same field names as [`Household`]
/// (`guarantees` nested, `members` an array). Each field takes a JSON string, number,
/// boolean or `null` and keeps it as text (`true` → `"true"`, `250000` → `"250000"`), so a
/// typed body (`"housing_safe": true`) and a form-like body (`"housing_safe": "是"`) parse
/// alike. `secondary_causes` takes an array or one `|`-separated string. Unknown members are
/// refused, here and in `guarantees` and `members`, like in every other body. The HTTP layer may deserialize the body straight into this type (its OpenAPI
/// schema is the API's own), or fill it from a typed DTO with `Some(value.to_string())`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdDraft {
    #[serde(default, deserialize_with = "lenient")]
    pub household_number: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub region_code: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub scattered: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub household_type: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub identification_standard: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub main_cause: Option<String>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub secondary_causes: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub income_per_person_fen: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub housing_safe: Option<String>,
    #[serde(default)]
    pub guarantees: GuaranteesDraft,
    #[serde(default, deserialize_with = "lenient")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub exit_year: Option<String>,
    #[serde(default)]
    pub members: Vec<MemberDraft>,
}

impl HouseholdDraft {
    /// Parses the whole household, collecting every error at once. Field names are those
    /// of [`Household`]: `household_type`, `guarantees.basic_medical`,
    /// `secondary_causes[1]`, `members[2].id_number` (0-based). Years and birth dates are
    /// judged against `today`.
    pub fn parse(self, today: NaiveDate) -> Result<Household, Vec<FieldError>> {
        let mut e = Errors::default();
        let household_number = e.required(
            "household_number",
            self.household_number.as_ref(),
            HouseholdNumber::parse,
        );
        let region_code = e.required("region_code", self.region_code.as_ref(), parse_village);
        let scattered = e.or_default("scattered", self.scattered.as_ref(), false, parse_bool);
        let household_type = e.required(
            "household_type",
            self.household_type.as_ref(),
            HouseholdType::parse,
        );
        let identification_standard = e.required(
            "identification_standard",
            self.identification_standard.as_ref(),
            IdentificationStandard::parse,
        );
        let main_cause = e.required("main_cause", self.main_cause.as_ref(), PovertyCause::parse);
        let secondary_causes = parse_secondary_causes(&self.secondary_causes, main_cause, &mut e);
        let income_per_person_fen = e.required(
            "income_per_person_fen",
            self.income_per_person_fen.as_ref(),
            |s| parse_non_negative(s).and_then(Fen::try_from),
        );
        let housing_safe = e.required("housing_safe", self.housing_safe.as_ref(), parse_bool);
        let guarantees = self.guarantees.parse_into(&mut e);
        let status = e.or_default(
            "status",
            self.status.as_ref(),
            HouseholdStatus::Poor,
            HouseholdStatus::parse,
        );
        let exit_year = e.optional("exit_year", self.exit_year.as_ref(), |s| {
            parse_year(s, today)
        });
        if let (Some(status), Some(exit_year)) = (status, exit_year) {
            check_exit_year(status, exit_year, &mut e);
        }
        let members = parse_members(&self.members, today, &mut e);

        let (
            Some(household_number),
            Some(region_code),
            Some(scattered),
            Some(household_type),
            Some(identification_standard),
            Some(main_cause),
            Some(secondary_causes),
            Some(income_per_person_fen),
            Some(housing_safe),
            Some(guarantees),
            Some(status),
            Some(exit_year),
            Some(members),
        ) = (
            household_number,
            region_code,
            scattered,
            household_type,
            identification_standard,
            main_cause,
            secondary_causes,
            income_per_person_fen,
            housing_safe,
            guarantees,
            status,
            exit_year,
            members,
        )
        else {
            return Err(e.into_vec());
        };
        if !e.is_empty() {
            return Err(e.into_vec());
        }
        Ok(Household {
            household_number,
            region_code,
            scattered,
            household_type,
            identification_standard,
            main_cause,
            secondary_causes,
            income_per_person_fen,
            housing_safe,
            guarantees,
            status,
            exit_year,
            members,
        })
    }
}

/// A region code that names a village (12 digits, village level): code `not_a_village`.
pub(crate) fn parse_village(s: &str) -> Result<RegionCode, FieldError> {
    let code = RegionCode::parse(s)?;
    if code.level() != RegionLevel::Village {
        return Err(FieldError::new(
            "region_code",
            "not_a_village",
            format!(
                "{code} is a {} code; a village's 12-digit code is required",
                code.level()
            ),
            format!(
                "{code} 是{}级代码；应填写村级的 12 位代码",
                code.level().label_zh()
            ),
        ));
    }
    Ok(code)
}

fn parse_secondary_causes(
    raw: &[String],
    main: Option<PovertyCause>,
    e: &mut Errors,
) -> Option<Vec<PovertyCause>> {
    let given: Vec<(usize, &str)> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, s)| given(Some(s)).map(|s| (i, s)))
        .collect();
    let mut ok = true;
    if given.len() > MAX_SECONDARY_CAUSES {
        ok = false;
        e.push(FieldError::new(
            "secondary_causes",
            "too_many",
            format!(
                "at most {MAX_SECONDARY_CAUSES} secondary causes are allowed, not {}",
                given.len()
            ),
            format!(
                "次要致贫原因最多 {MAX_SECONDARY_CAUSES} 个，实际为 {} 个",
                given.len()
            ),
        ));
    }
    let mut causes = Vec::with_capacity(given.len());
    for (i, s) in given {
        let field = format!("secondary_causes[{i}]");
        let Some(cause) = e.check(&field, PovertyCause::parse(s)) else {
            ok = false;
            continue;
        };
        if Some(cause) == main {
            ok = false;
            e.push(FieldError::new(
                field,
                "same_as_main_cause",
                format!("{cause} is already the main cause"),
                format!("“{}”已是主要致贫原因", cause.label_zh()),
            ));
        } else if causes.contains(&cause) {
            ok = false;
            e.push(FieldError::new(
                field,
                "duplicate",
                format!("{cause} is listed twice"),
                format!("“{}”重复填写", cause.label_zh()),
            ));
        } else {
            causes.push(cause);
        }
    }
    ok.then_some(causes)
}

fn check_exit_year(status: HouseholdStatus, exit_year: Option<i32>, e: &mut Errors) {
    match (status, exit_year) {
        (HouseholdStatus::Poor, Some(_)) => e.push(FieldError::new(
            "exit_year",
            "exit_year_not_allowed",
            "a household that is still poor has no exit year",
            "未脱贫户不能填写脱贫年份",
        )),
        (s, None) if s.has_exited() => e.push(FieldError::new(
            "exit_year",
            "exit_year_required",
            format!("a household whose status is {s} needs the year it exited poverty"),
            format!("状态为“{}”的户须填写脱贫年份", s.label_zh()),
        )),
        _ => {}
    }
}

/// Parses every member, then checks the rules of the set: 1 to 30 members, exactly one
/// head, no ID number twice.
fn parse_members(drafts: &[MemberDraft], today: NaiveDate, e: &mut Errors) -> Option<Vec<Member>> {
    let mut set = Errors::default();
    if drafts.is_empty() {
        set.push(FieldError::new(
            "members",
            "required",
            "a household has at least one member",
            "每户至少有一名家庭成员",
        ));
    } else if drafts.len() > MAX_MEMBERS {
        set.push(FieldError::new(
            "members",
            "too_many",
            format!(
                "a household has at most {MAX_MEMBERS} members, not {}",
                drafts.len()
            ),
            format!(
                "每户最多 {MAX_MEMBERS} 名家庭成员，实际为 {} 名",
                drafts.len()
            ),
        ));
    }
    let mut members = Vec::with_capacity(drafts.len());
    let mut heads = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, d) in drafts.iter().enumerate() {
        members.push(d.parse_into(&format!("members[{i}]."), today, e));
        // The set rules look at what can be read even when another field of the member is
        // wrong, so one pass reports everything.
        let relation = given(d.relation.as_ref()).and_then(|s| Relation::parse(s).ok());
        if relation == Some(Relation::Head) {
            heads.push(i);
        }
        let id = given(d.id_number.as_ref()).and_then(|s| IdCardNumber::parse_on(s, today).ok());
        if let Some(id) = id {
            if let Some(first) = seen.get(id.expose()) {
                set.push(FieldError::new(
                    format!("members[{i}].id_number"),
                    "duplicate_in_household",
                    format!("the same ID number as members[{first}]"),
                    format!("与第 {} 名成员的身份证号码重复", first + 1),
                ));
            } else {
                seen.insert(id.expose().to_owned(), i);
            }
        }
    }
    let all_relations_read = drafts
        .iter()
        .all(|d| given(d.relation.as_ref()).is_some_and(|s| Relation::parse(s).is_ok()));
    if heads.is_empty() && !drafts.is_empty() && all_relations_read {
        set.push(FieldError::new(
            "members",
            "head_missing",
            "exactly one member must be the head of the household (relation head)",
            "须有且仅有一名成员为户主",
        ));
    }
    for i in heads.iter().skip(1) {
        set.push(FieldError::new(
            format!("members[{i}].relation"),
            "head_duplicate",
            format!(
                "members[{}] is already the head; a household has exactly one head",
                heads[0]
            ),
            format!("第 {} 名成员已是户主；每户只能有一名户主", heads[0] + 1),
        ));
    }
    let ok = set.is_empty();
    e.extend(set);
    let members: Option<Vec<Member>> = members.into_iter().collect();
    members.filter(|_| ok)
}
