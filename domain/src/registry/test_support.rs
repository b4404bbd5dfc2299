//! Fixtures shared by the registry's tests: valid ID numbers and the example household of
//! `docs/registry-csv.md`.

use chrono::NaiveDate;

use super::{GuaranteesDraft, HouseholdDraft, MemberDraft};

pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 2).expect("test date")
}

/// Completes 17 digits with their GB 11643 check character, computed from the definition
/// of ISO 7064 MOD 11-2 (not from the table under test elsewhere).
pub(crate) fn id(first17: &str) -> String {
    assert_eq!(first17.len(), 17);
    let sum: u64 = first17
        .bytes()
        .enumerate()
        .map(|(i, b)| u64::from(b - b'0') * ((1u64 << (17 - i)) % 11))
        .sum();
    let check = (12 - sum % 11) % 11;
    let c = if check == 10 {
        'X'
    } else {
        char::from(b'0' + u8::try_from(check).expect("below 10"))
    };
    format!("{first17}{c}")
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

/// A member draft with every required field; `first17` decides the ID number (its 17th
/// digit the sex, which must agree with `sex`).
pub(crate) fn member(name: &str, sex: &str, first17: &str, relation: &str) -> MemberDraft {
    MemberDraft {
        name: text(name),
        sex: text(sex),
        id_number: Some(id(first17)),
        relation: text(relation),
        education: text("primary"),
        health: text("healthy"),
        work_capacity: text("ordinary"),
        ..MemberDraft::default()
    }
}

/// The example household of the layout document, as its two CSV rows give it.
pub(crate) fn example_draft() -> HouseholdDraft {
    let mut head = member("张三", "male", "21092119650312001", "head");
    head.ethnicity = text("蒙古族");
    head.schooling = text("none");
    head.health = text("chronic_illness");
    head.migrant_worker = text("false");
    head.rural_medical = text("true");
    head.rural_pension = text("true");
    head.dibao = text("false");
    head.critical_illness = text("false");
    head.phone = text("13812345678");
    let mut spouse = member("李四", "female", "21092119680315002", "spouse");
    spouse.ethnicity = text("汉族");
    spouse.schooling = text("none");
    spouse.migrant_worker = text("false");
    spouse.rural_medical = text("true");
    spouse.rural_pension = text("true");
    spouse.dibao = text("false");
    spouse.critical_illness = text("false");
    HouseholdDraft {
        household_number: text("2109211002020001"),
        region_code: text("210921100202"),
        scattered: None,
        household_type: text("general"),
        identification_standard: text("national"),
        main_cause: text("illness"),
        secondary_causes: vec!["lack_of_skills".into(), "lack_of_capital".into()],
        income_per_person_fen: text("250000"),
        housing_safe: text("true"),
        guarantees: GuaranteesDraft {
            food_secure: text("true"),
            clothing_secure: text("true"),
            compulsory_education: text("true"),
            basic_medical: text("false"),
            housing_security: text("true"),
            safe_drinking_water: text("true"),
        },
        status: text("poor"),
        exit_year: None,
        members: vec![head, spouse],
    }
}

#[test]
fn the_example_ids_of_the_layout_document_are_what_the_fixture_builds() {
    assert_eq!(id("21092119650312001"), "210921196503120010");
    assert_eq!(id("21092119680315002"), "210921196803150027");
}
