//! Rows → draft, and the draft's field errors → row errors.

use super::{
    ColumnMap, HOUSEHOLD_COLUMNS, MEMBER_COLUMNS, RowError, check_header, control_characters,
    extra_fields,
};
use crate::FieldError;
use crate::registry::fields::split_list;
use crate::registry::{Guarantees, HouseholdDraft, MemberDraft};

/// Reads the rows of one household (consecutive rows sharing a `household_number`) into a
/// draft, after checking `header`. The household columns come from the first row; a later
/// row may leave them empty or repeat them, and a different non-empty value is a
/// `conflicting_value` error (values are compared as written, trimmed). Each row adds one
/// member. A row with more fields than the header is an `extra_fields` error. Only the
/// file's shape is checked here; the values are checked by
/// [`HouseholdDraft::parse`].
pub fn draft_from_rows(
    header: &[String],
    rows: &[(u64, csv::StringRecord)],
) -> Result<HouseholdDraft, Vec<RowError>> {
    let map = check_header(header)?;
    draft(&map, rows)
}

pub(super) fn draft(
    map: &ColumnMap,
    rows: &[(u64, csv::StringRecord)],
) -> Result<HouseholdDraft, Vec<RowError>> {
    let Some((first_row, first)) = rows.first() else {
        return Err(vec![RowError::new(
            0,
            "",
            "no_rows",
            "a household needs at least one row",
            "每户至少需要一行数据",
        )]);
    };
    let mut errors: Vec<RowError> = rows
        .iter()
        .filter_map(|(row, record)| extra_fields(*row, record, map.width))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    errors = rows
        .iter()
        .flat_map(|(row, record)| control_characters(*row, record, |i| map.name_at(i)))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    for (row, record) in &rows[1..] {
        for column in HOUSEHOLD_COLUMNS {
            let value = map.cell(record, column);
            let expected = map.cell(first, column);
            if !value.is_empty() && value != expected {
                errors.push(RowError::new(
                    *row,
                    column,
                    "conflicting_value",
                    format!(
                        "{value:?} differs from {expected:?} in the household's first row \
                         (row {first_row}); leave it empty or repeat the first row's value"
                    ),
                    format!(
                        "{value:?} 与该户首行（第 {first_row} 行）的 {expected:?} 不一致；\
                         请留空或填写与首行相同的值"
                    ),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut draft = HouseholdDraft::default();
    for column in HOUSEHOLD_COLUMNS {
        let value = map.cell(first, column);
        if value.is_empty() {
            continue;
        }
        if column == "secondary_causes" {
            draft.secondary_causes = split_list(value);
        } else if let Some(slot) = household_slot(&mut draft, column) {
            *slot = Some(value.to_owned());
        }
    }
    draft.members = rows
        .iter()
        .map(|(_, record)| {
            let mut member = MemberDraft::default();
            for column in MEMBER_COLUMNS {
                let value = map.cell(record, column);
                let slot = column
                    .strip_prefix("member_")
                    .and_then(|name| member.field_mut(name));
                if let (false, Some(slot)) = (value.is_empty(), slot) {
                    *slot = Some(value.to_owned());
                }
            }
            member
        })
        .collect();
    Ok(draft)
}

/// The draft field a scalar household column fills.
fn household_slot<'d>(d: &'d mut HouseholdDraft, column: &str) -> Option<&'d mut Option<String>> {
    let slot = match column {
        "household_number" => &mut d.household_number,
        "region_code" => &mut d.region_code,
        "scattered" => &mut d.scattered,
        "household_type" => &mut d.household_type,
        "identification_standard" => &mut d.identification_standard,
        "main_cause" => &mut d.main_cause,
        "income_per_person_fen" => &mut d.income_per_person_fen,
        "housing_safe" => &mut d.housing_safe,
        "status" => &mut d.status,
        "exit_year" => &mut d.exit_year,
        other => return d.guarantees.field_mut(other),
    };
    Some(slot)
}

/// Points the errors of [`HouseholdDraft::parse`] at the rows they came from:
/// `members[2].id_number` → the row of member 2, column `member_id_number`;
/// `guarantees.basic_medical` → the first row, column `basic_medical`;
/// `secondary_causes[1]` → the first row, column `secondary_causes`; other household
/// fields → the first row, their own column; `members` (how many, which is head) → the
/// first row (column `member_relation` for a missing head, empty otherwise).
pub fn row_errors(errors: &[FieldError], rows: &[(u64, csv::StringRecord)]) -> Vec<RowError> {
    let first_row = rows.first().map_or(0, |(row, _)| *row);
    errors
        .iter()
        .map(|e| {
            let (row, column) = locate(&e.field, e.code, rows, first_row);
            RowError::from_field(row, column, e)
        })
        .collect()
}

fn locate(
    field: &str,
    code: &str,
    rows: &[(u64, csv::StringRecord)],
    first_row: u64,
) -> (u64, String) {
    if let Some(rest) = field.strip_prefix("members[") {
        let member = rest.split_once("].").and_then(|(i, name)| {
            let i: usize = i.parse().ok()?;
            Some((rows.get(i).map_or(first_row, |(row, _)| *row), name))
        });
        if let Some((row, name)) = member {
            return (row, format!("member_{name}"));
        }
    }
    if field == "members" {
        let column = if code == "head_missing" {
            "member_relation"
        } else {
            ""
        };
        return (first_row, column.to_owned());
    }
    if let Some(name) = field.strip_prefix("guarantees.")
        && Guarantees::FIELDS.contains(&name)
    {
        return (first_row, name.to_owned());
    }
    let column = field.split_once('[').map_or(field, |(name, _)| name);
    (first_row, column.to_owned())
}
