//! The rules of `HouseholdDraft::parse`, one test each.

use super::test_support::{example_draft, id, member, today};
use super::*;
use crate::identity::Sex;

type Found = Vec<(String, &'static str)>;

fn errors(d: HouseholdDraft) -> Found {
    d.parse(today())
        .expect_err("should be rejected")
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn one(field: &str, code: &'static str) -> Found {
    vec![(field.to_owned(), code)]
}

fn child(first17: &str, sex: &str, relation: &str) -> MemberDraft {
    member("张小明", sex, first17, relation)
}

#[test]
fn the_example_of_the_layout_document_parses() {
    let h = example_draft()
        .parse(today())
        .expect("the doc's example is valid");
    assert_eq!(h.household_number.as_str(), "2109211002020001");
    assert_eq!(h.region_code.as_str(), "210921100202");
    assert!(!h.scattered);
    assert_eq!(h.household_type, HouseholdType::General);
    assert_eq!(h.identification_standard, IdentificationStandard::National);
    assert_eq!(h.main_cause, PovertyCause::Illness);
    assert_eq!(
        h.secondary_causes,
        [PovertyCause::LackOfSkills, PovertyCause::LackOfCapital]
    );
    assert_eq!(h.income_per_person_fen.get(), 250_000);
    assert!(h.housing_safe);
    assert_eq!(h.guarantees.unmet(), ["basic_medical"]);
    assert_eq!((h.status, h.exit_year), (HouseholdStatus::Poor, None));
    assert_eq!(h.members.len(), 2);
    let head = h.head().expect("has a head");
    assert_eq!(head.name.expose(), "张三");
    assert_eq!(head.sex, Sex::Male);
    assert_eq!(head.id_number.expose(), "210921196503120010");
    assert_eq!(head.ethnicity.as_str(), "蒙古族");
    assert_eq!(head.health, Health::ChronicIllness);
    assert!(head.rural_medical && head.rural_pension && !head.dibao);
    assert_eq!(head.phone.as_ref().map(|p| p.expose()), Some("13812345678"));
    let spouse = &h.members[1];
    assert_eq!(
        (spouse.relation, spouse.sex),
        (Relation::Spouse, Sex::Female)
    );
    assert_eq!(spouse.phone, None);
    assert_eq!(h.county().map(String::from), Some("210921".to_owned()));
}

#[test]
fn optional_fields_take_their_defaults() {
    let mut d = example_draft();
    d.status = None;
    d.secondary_causes.clear();
    d.members[0].ethnicity = None;
    d.members[0].schooling = Some("  ".into());
    d.members[0].phone = None;
    d.members[0].rural_medical = None;
    let h = d.parse(today()).expect("valid");
    assert_eq!(h.status, HouseholdStatus::Poor);
    assert!(!h.scattered);
    assert!(h.secondary_causes.is_empty());
    let m = &h.members[0];
    assert_eq!(m.ethnicity, Ethnicity::HAN);
    assert_eq!(m.schooling, Schooling::None);
    assert!(!m.rural_medical && !m.migrant_worker && !m.critical_illness);
    assert_eq!(m.phone, None);
}

#[test]
fn chinese_labels_parse_like_english_values() {
    let mut d = example_draft();
    d.scattered = Some("是".into());
    d.household_type = Some("低保贫困户".into());
    d.identification_standard = Some("省定".into());
    d.main_cause = Some("因病".into());
    d.secondary_causes = vec!["缺技术".into(), "交通条件落后".into()];
    d.housing_safe = Some("否".into());
    d.guarantees.basic_medical = Some("是".into());
    d.status = Some("已脱贫".into());
    d.exit_year = Some("2019".into());
    let m = &mut d.members[0];
    m.sex = Some("男".into());
    m.relation = Some("户主".into());
    m.education = Some("中专".into());
    m.schooling = Some("非在校生".into());
    m.health = Some("患有大病".into());
    m.work_capacity = Some("丧失劳动力".into());
    m.dibao = Some("是".into());
    d.members[1].sex = Some("女".into());
    d.members[1].relation = Some("配偶".into());
    d.members[1].education = Some("文盲或半文盲".into());
    let h = d.parse(today()).expect("labels are accepted");
    assert!(h.scattered && !h.housing_safe);
    assert_eq!(h.household_type, HouseholdType::DibaoPoor);
    assert_eq!(
        h.identification_standard,
        IdentificationStandard::Provincial
    );
    assert_eq!(
        h.secondary_causes,
        [PovertyCause::LackOfSkills, PovertyCause::PoorTransport]
    );
    assert_eq!(
        (h.status, h.exit_year),
        (HouseholdStatus::Exited, Some(2019))
    );
    let m = &h.members[0];
    assert_eq!(m.education, Education::Vocational);
    assert_eq!(m.health, Health::SeriousIllness);
    assert_eq!(m.work_capacity, WorkCapacity::Lost);
    assert!(m.dibao);
    assert_eq!(h.members[1].education, Education::Illiterate);
}

#[test]
fn every_missing_required_field_is_reported_at_once() {
    let d = HouseholdDraft {
        members: vec![MemberDraft::default()],
        ..HouseholdDraft::default()
    };
    let expected: Found = [
        "household_number",
        "region_code",
        "household_type",
        "identification_standard",
        "main_cause",
        "income_per_person_fen",
        "housing_safe",
        "guarantees.food_secure",
        "guarantees.clothing_secure",
        "guarantees.compulsory_education",
        "guarantees.basic_medical",
        "guarantees.housing_security",
        "guarantees.safe_drinking_water",
        "members[0].name",
        "members[0].sex",
        "members[0].id_number",
        "members[0].relation",
        "members[0].education",
        "members[0].health",
        "members[0].work_capacity",
    ]
    .into_iter()
    .map(|f| (f.to_owned(), "required"))
    .collect();
    assert_eq!(errors(d), expected);
}

#[test]
fn a_bad_check_digit_is_reported_on_its_member_only() {
    let mut d = example_draft();
    d.members[1].id_number = Some("210921196803150028".into());
    let errs = d.parse(today()).expect_err("bad check digit");
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].field.as_str(), errs[0].code),
        ("members[1].id_number", "check_digit")
    );
    assert!(!errs[0].message_en.contains("19680315"), "no personal data");
}

#[test]
fn errors_of_different_fields_come_together() {
    let mut d = example_draft();
    d.household_type = Some("rich".into());
    d.income_per_person_fen = Some("-1".into());
    d.members[0].ethnicity = Some("火星族".into());
    d.members[1].phone = Some("87654321".into());
    assert_eq!(
        errors(d),
        [
            ("household_type".to_owned(), "unknown_value"),
            ("income_per_person_fen".to_owned(), "negative"),
            ("members[0].ethnicity".to_owned(), "unknown_value"),
            ("members[1].phone".to_owned(), "area_code"),
        ]
    );
}

#[test]
fn a_household_has_one_to_thirty_members() {
    let mut d = example_draft();
    d.members.clear();
    assert_eq!(errors(d), one("members", "required"));

    let mut d = example_draft();
    for seq in 0..29u32 {
        d.members.push(child(
            &format!("21092120100101{:03}", seq * 2 + 1),
            "male",
            "son",
        ));
    }
    assert_eq!(d.members.len(), 31);
    assert_eq!(errors(d.clone()), one("members", "too_many"));
    d.members.pop();
    assert_eq!(d.parse(today()).map(|h| h.members.len()), Ok(30));
}

#[test]
fn exactly_one_member_is_the_head() {
    let mut d = example_draft();
    d.members[0].relation = Some("son".into());
    assert_eq!(errors(d), one("members", "head_missing"));

    let mut d = example_draft();
    d.members[1].relation = Some("户主".into());
    assert_eq!(errors(d), one("members[1].relation", "head_duplicate"));

    // An unreadable relation may be the head: report that, not a missing head.
    let mut d = example_draft();
    d.members[0].relation = Some("boss".into());
    assert_eq!(errors(d), one("members[0].relation", "unknown_value"));
}

#[test]
fn no_id_number_twice_in_one_household() {
    let mut d = example_draft();
    let mut twin = child("21092119650312001", "male", "sibling");
    twin.id_number = Some(" 210921196503120010 ".into());
    d.members.push(twin);
    let errs = d.parse(today()).expect_err("duplicate");
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].field.as_str(), errs[0].code),
        ("members[2].id_number", "duplicate_in_household")
    );
    assert!(errs[0].message_en.contains("members[0]"));
    assert!(!errs[0].message_en.contains("210921196503120010"));
}

#[test]
fn sex_agrees_with_the_id_number() {
    let mut d = example_draft();
    d.members[1].sex = Some("male".into());
    let errs = d.parse(today()).expect_err("mismatch");
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].field.as_str(), errs[0].code),
        ("members[1].sex", "sex_mismatch")
    );
    assert!(errs[0].message_zh.contains("第 17 位"));
}

#[test]
fn secondary_causes_are_at_most_two_distinct_and_not_the_main_cause() {
    let mut d = example_draft();
    d.secondary_causes = vec!["schooling".into(), "disaster".into(), "other".into()];
    assert_eq!(errors(d), one("secondary_causes", "too_many"));

    let mut d = example_draft();
    d.secondary_causes = vec!["缺资金".into(), "lack_of_capital".into()];
    assert_eq!(errors(d), one("secondary_causes[1]", "duplicate"));

    let mut d = example_draft();
    d.secondary_causes = vec!["因病".into()];
    assert_eq!(errors(d), one("secondary_causes[0]", "same_as_main_cause"));

    let mut d = example_draft();
    d.secondary_causes = vec!["lack_of_skills".into(), "bad_luck".into()];
    assert_eq!(errors(d), one("secondary_causes[1]", "unknown_value"));

    let mut d = example_draft();
    d.secondary_causes = vec![" ".into(), "disaster".into()];
    let h = d.parse(today()).expect("blank entries are not given");
    assert_eq!(h.secondary_causes, [PovertyCause::Disaster]);
}

#[test]
fn the_region_must_be_a_village() {
    for (code, expected) in [
        ("210921100000", "not_a_village"),
        ("210921", "not_a_village"),
        ("210900", "not_a_village"),
        ("21092110020", "invalid_region_code"),
    ] {
        let mut d = example_draft();
        d.region_code = Some(code.into());
        assert_eq!(errors(d), one("region_code", expected), "{code}");
    }
    let mut d = example_draft();
    d.region_code = Some("210921100000".into());
    let errs = d.parse(today()).expect_err("township");
    assert!(
        errs[0].message_zh.contains("乡镇"),
        "{}",
        errs[0].message_zh
    );
}

#[test]
fn exit_year_is_required_when_exited_or_at_risk_and_forbidden_when_poor() {
    for status in ["exited", "at_risk"] {
        let mut d = example_draft();
        d.status = Some(status.into());
        assert_eq!(errors(d.clone()), one("exit_year", "exit_year_required"));
        d.exit_year = Some("2018".into());
        assert_eq!(d.parse(today()).map(|h| h.exit_year), Ok(Some(2018)));
    }
    let mut d = example_draft();
    d.exit_year = Some("2018".into());
    assert_eq!(errors(d), one("exit_year", "exit_year_not_allowed"));

    let mut d = example_draft();
    d.status = Some("returned".into());
    assert_eq!(d.clone().parse(today()).map(|h| h.exit_year), Ok(None));
    d.exit_year = Some("2017".into());
    assert_eq!(d.parse(today()).map(|h| h.exit_year), Ok(Some(2017)));
}

#[test]
fn exit_year_lies_between_2013_and_this_year() {
    for (year, expected) in [
        ("2012", Some("out_of_range")),
        ("2013", None),
        ("2026", None),
        ("2027", Some("out_of_range")),
        ("last year", Some("not_an_integer")),
    ] {
        let mut d = example_draft();
        d.status = Some("exited".into());
        d.exit_year = Some(year.into());
        match expected {
            Some(code) => assert_eq!(errors(d), one("exit_year", code), "{year}"),
            None => assert!(d.parse(today()).is_ok(), "{year}"),
        }
    }
}

#[test]
fn income_is_a_non_negative_whole_number_of_fen() {
    for (income, expected) in [
        ("-1", Some("negative")),
        ("2500.50", Some("not_an_integer")),
        ("2,500", Some("not_an_integer")),
        ("0", None),
    ] {
        let mut d = example_draft();
        d.income_per_person_fen = Some(income.into());
        match expected {
            Some(code) => assert_eq!(errors(d), one("income_per_person_fen", code), "{income}"),
            None => assert!(d.parse(today()).is_ok(), "{income}"),
        }
    }
}

#[test]
fn booleans_are_checked() {
    let mut d = example_draft();
    d.housing_safe = Some("safe".into());
    d.members[0].dibao = Some("有".into());
    assert_eq!(
        errors(d),
        [
            ("housing_safe".to_owned(), "invalid_boolean"),
            ("members[0].dibao".to_owned(), "invalid_boolean"),
        ]
    );
}

#[test]
fn birth_dates_are_judged_against_today() {
    let mut d = example_draft();
    d.members
        .push(child("21092120260103001", "male", "grandson"));
    assert_eq!(errors(d), one("members[2].id_number", "birth_date"));
}

#[test]
fn a_household_round_trips_through_its_draft() {
    let h = example_draft().parse(today()).expect("valid");
    assert_eq!(h.to_draft().parse(today()), Ok(h));
}

#[test]
fn a_member_parses_on_its_own_with_bare_field_names() {
    let m = child("21092120100101002", "female", "daughter")
        .parse(today())
        .expect("valid");
    assert_eq!((m.relation, m.sex), (Relation::Daughter, Sex::Female));
    assert_eq!(m.id_number.expose(), id("21092120100101002"));
    let errs = MemberDraft::default().parse(today()).expect_err("empty");
    assert_eq!(errs[0].field, "name");
    assert_eq!(errs.len(), 7);
}

#[test]
fn draft_debug_does_not_show_personal_data() {
    let d = example_draft();
    let debug = format!("{d:?}");
    assert!(!debug.contains("张三"), "{debug}");
    assert!(!debug.contains("210921196503120010"));
    assert!(!debug.contains("13812345678"));
    assert!(debug.contains("<redacted>") && debug.contains("蒙古族"));
    let h = d.parse(today()).expect("valid");
    let debug = format!("{h:?}");
    assert!(!debug.contains("张三") && !debug.contains("210921196503120010"));
}
