//! Household → rows, in [`super::ALL_COLUMNS`] order.

use crate::registry::{Household, Member};

/// The rows of one household in [`super::ALL_COLUMNS`] order, one per member, each
/// repeating the household columns (so every row can be filtered and sorted on its own in
/// a spreadsheet). Values are the layout's English values, booleans `true`/`false`, the
/// ethnicity its Chinese name, absent values empty.
///
/// This is the one place that writes clear ID numbers, phones and names: with `full` the
/// rows hold them, and re-import unchanged; without, they hold the masked forms
/// (`210921********0010`, `138****5678`, `张*`), which do not re-import. The caller decides
/// which (an export with clear values needs the right to reveal personal data, and is
/// audited) before calling.
pub fn rows_for(household: &Household, full: bool) -> Vec<Vec<String>> {
    let household_cells = household_cells(household);
    household
        .members
        .iter()
        .map(|m| {
            let mut row = Vec::with_capacity(super::ALL_COLUMNS.len());
            row.extend(household_cells.iter().cloned());
            row.extend(member_cells(m, full));
            row
        })
        .collect()
}

fn flag(b: bool) -> String {
    b.to_string()
}

fn household_cells(h: &Household) -> [String; 17] {
    let g = &h.guarantees;
    let causes: Vec<&str> = h.secondary_causes.iter().map(|c| c.as_str()).collect();
    [
        h.household_number.to_string(),
        h.region_code.to_string(),
        flag(h.scattered),
        h.household_type.as_str().to_owned(),
        h.identification_standard.as_str().to_owned(),
        h.main_cause.as_str().to_owned(),
        causes.join("|"),
        h.income_per_person_fen.get().to_string(),
        flag(h.housing_safe),
        flag(g.food_secure),
        flag(g.clothing_secure),
        flag(g.compulsory_education),
        flag(g.basic_medical),
        flag(g.housing_security),
        flag(g.safe_drinking_water),
        h.status.as_str().to_owned(),
        h.exit_year.map(|y| y.to_string()).unwrap_or_default(),
    ]
}

fn member_cells(m: &Member, full: bool) -> [String; 15] {
    let (name, id_number, phone) = if full {
        (
            m.name.expose().to_owned(),
            m.id_number.expose().to_owned(),
            m.phone.as_ref().map(|p| p.expose().to_owned()),
        )
    } else {
        (
            m.name.masked(),
            m.id_number.masked(),
            m.phone.as_ref().map(|p| p.masked()),
        )
    };
    [
        name,
        m.sex.as_str().to_owned(),
        id_number,
        m.relation.as_str().to_owned(),
        m.ethnicity.as_str().to_owned(),
        m.education.as_str().to_owned(),
        m.schooling.as_str().to_owned(),
        m.health.as_str().to_owned(),
        m.work_capacity.as_str().to_owned(),
        flag(m.migrant_worker),
        flag(m.rural_medical),
        flag(m.rural_pension),
        flag(m.dibao),
        flag(m.critical_illness),
        phone.unwrap_or_default(),
    ]
}
