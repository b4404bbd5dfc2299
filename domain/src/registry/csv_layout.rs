//! The household registry CSV layout (`docs/registry-csv.md`): one row per member, the
//! household's columns read from its first row. Used by imports, exports and the test-data
//! generator, so an export (with clear personal data) re-imports unchanged.
//!
//! Reading a file: [`check_header`] once, then for each run of consecutive rows sharing a
//! `household_number` ([`ColumnMap::household_number`]): [`ColumnMap::draft`] (or
//! [`draft_from_rows`]) → [`HouseholdDraft::parse`] → on failure [`row_errors`] to point
//! each error at its row and column. [`ColumnMap::parse_rows`] does all three. Decoding
//! (UTF-8 with or without BOM, GB18030) happens before; this module sees text.
//!
//! Row numbers are whatever the caller gives with each record; the 1-based line of the
//! record in the file (`csv::Position::line`) is what a clerk can find, and the header's
//! errors are reported as row 1.

mod read;
pub mod villages;
mod write;

#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::FieldError;

pub use read::{draft_from_rows, row_errors};
pub use write::rows_for;

use super::HouseholdDraft;

/// The household columns, in the order of the layout document.
pub const HOUSEHOLD_COLUMNS: [&str; 17] = [
    "household_number",
    "region_code",
    "scattered",
    "household_type",
    "identification_standard",
    "main_cause",
    "secondary_causes",
    "income_per_person_fen",
    "housing_safe",
    "food_secure",
    "clothing_secure",
    "compulsory_education",
    "basic_medical",
    "housing_security",
    "safe_drinking_water",
    "status",
    "exit_year",
];

/// The member columns, in the order of the layout document: `member_` and the field name
/// of [`super::MemberDraft`].
pub const MEMBER_COLUMNS: [&str; 15] = [
    "member_name",
    "member_sex",
    "member_id_number",
    "member_relation",
    "member_ethnicity",
    "member_education",
    "member_schooling",
    "member_health",
    "member_work_capacity",
    "member_migrant_worker",
    "member_rural_medical",
    "member_rural_pension",
    "member_dibao",
    "member_critical_illness",
    "member_phone",
];

/// Every column: the household columns, then the member columns. Exports write this order.
pub const ALL_COLUMNS: [&str; 32] = {
    let mut all = [""; 32];
    let mut i = 0;
    while i < HOUSEHOLD_COLUMNS.len() {
        all[i] = HOUSEHOLD_COLUMNS[i];
        i += 1;
    }
    while i < all.len() {
        all[i] = MEMBER_COLUMNS[i - HOUSEHOLD_COLUMNS.len()];
        i += 1;
    }
    all
};

/// The columns a file must have (the others may be left out and take their default).
pub const REQUIRED_COLUMNS: [&str; 20] = [
    "household_number",
    "region_code",
    "household_type",
    "identification_standard",
    "main_cause",
    "income_per_person_fen",
    "housing_safe",
    "food_secure",
    "clothing_secure",
    "compulsory_education",
    "basic_medical",
    "housing_security",
    "safe_drinking_water",
    "member_name",
    "member_sex",
    "member_id_number",
    "member_relation",
    "member_education",
    "member_health",
    "member_work_capacity",
];

/// One problem of an import file, located by row and column. `column` is empty when the
/// problem concerns the whole row or household. Messages carry no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: u64,
    pub column: String,
    /// Stable machine word: the code of the field error (`check_digit`, `required`, ...)
    /// or of the file's shape (`unknown_column`, `missing_column`, `duplicate_column`,
    /// `conflicting_value`, `no_rows`).
    pub code: &'static str,
    pub message_en: String,
    pub message_zh: String,
}

impl RowError {
    pub(crate) fn new(
        row: u64,
        column: impl Into<String>,
        code: &'static str,
        message_en: impl Into<String>,
        message_zh: impl Into<String>,
    ) -> Self {
        Self {
            row,
            column: column.into(),
            code,
            message_en: message_en.into(),
            message_zh: message_zh.into(),
        }
    }

    pub(crate) fn from_field(row: u64, column: impl Into<String>, e: &FieldError) -> Self {
        Self::new(row, column, e.code, &e.message_en, &e.message_zh)
    }
}

/// Where each known column sits in a file's header. Made by [`check_header`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    /// For each of [`ALL_COLUMNS`], its index in the header, if present.
    positions: [Option<usize>; 32],
    /// How many columns the header has: a row may have fewer (the rest are empty), never
    /// more.
    width: usize,
}

impl ColumnMap {
    /// The index of `column` in the file, if the file has it.
    pub fn position(&self, column: &str) -> Option<usize> {
        let i = ALL_COLUMNS.iter().position(|c| *c == column)?;
        self.positions[i]
    }

    /// The layout's name of the header's column `index`.
    pub(crate) fn name_at(&self, index: usize) -> Option<&'static str> {
        ALL_COLUMNS
            .iter()
            .zip(self.positions)
            .find_map(|(name, at)| (at == Some(index)).then_some(*name))
    }

    /// The trimmed text of `column` in `record`; empty when the column or cell is absent.
    pub fn cell<'r>(&self, record: &'r csv::StringRecord, column: &str) -> &'r str {
        self.position(column)
            .and_then(|i| record.get(i))
            .map_or("", str::trim)
    }

    /// The household a row belongs to: consecutive rows with the same number form one
    /// household.
    pub fn household_number<'r>(&self, record: &'r csv::StringRecord) -> &'r str {
        self.cell(record, "household_number")
    }

    /// Reads the rows of one household into a draft; see [`draft_from_rows`].
    pub fn draft(
        &self,
        rows: &[(u64, csv::StringRecord)],
    ) -> Result<HouseholdDraft, Vec<RowError>> {
        read::draft(self, rows)
    }

    /// Reads and parses the rows of one household, every error located by row and column.
    pub fn parse_rows(
        &self,
        rows: &[(u64, csv::StringRecord)],
        today: chrono::NaiveDate,
    ) -> Result<super::Household, Vec<RowError>> {
        let draft = self.draft(rows)?;
        draft
            .parse(today)
            .map_err(|errors| row_errors(&errors, rows))
    }
}

/// The `extra_fields` error of a row with more fields than the header's `width` columns:
/// a stray comma or an unquoted value would otherwise shift or drop data silently.
pub(crate) fn extra_fields(row: u64, record: &csv::StringRecord, width: usize) -> Option<RowError> {
    (record.len() > width).then(|| {
        RowError::new(
            row,
            "",
            "extra_fields",
            format!(
                "the row has {} fields but the header has {width} columns (an unquoted comma?)",
                record.len()
            ),
            format!(
                "该行有 {} 个字段，而表头只有 {width} 列（是否有未加引号的逗号？）",
                record.len()
            ),
        )
    })
}

/// The `control_character` errors of a row: a cell holds no control character but tab, CR
/// and LF (`crate::input::refused_character`), like every other text the API takes in.
/// `column_at(i)` names the header's column `i`.
pub(crate) fn control_characters<'c>(
    row: u64,
    record: &csv::StringRecord,
    column_at: impl Fn(usize) -> Option<&'c str>,
) -> Vec<RowError> {
    record
        .iter()
        .enumerate()
        .filter_map(|(i, cell)| {
            let column = column_at(i).unwrap_or("");
            crate::input::check_text(cell, column)
                .err()
                .map(|e| RowError::from_field(row, column, &e))
        })
        .collect()
}

/// A header name as a row error may carry it: refused characters escaped (`a\0b`).
pub(crate) fn shown_name(name: &str) -> String {
    if crate::input::refused_character(name).is_some() {
        name.escape_debug().to_string()
    } else {
        name.to_owned()
    }
}

/// Checks a header row: every name must be a column of the layout (`unknown_column`),
/// none twice (`duplicate_column`), and every required column present (`missing_column`).
/// Names are trimmed, and a byte-order mark before the first is ignored.
pub fn check_header(header: &[String]) -> Result<ColumnMap, Vec<RowError>> {
    let mut positions = [None; 32];
    let mut errors = Vec::new();
    for (index, raw) in header.iter().enumerate() {
        let name = raw.trim_start_matches('\u{feff}').trim();
        match ALL_COLUMNS.iter().position(|c| *c == name) {
            None => errors.push(RowError::new(
                1,
                shown_name(name),
                "unknown_column",
                format!("{name:?} is not a column of the household layout"),
                format!("{name:?} 不是贫困户导入格式中的列"),
            )),
            Some(known) if positions[known].is_some() => errors.push(RowError::new(
                1,
                name,
                "duplicate_column",
                format!("the column {name} appears twice"),
                format!("列 {name} 重复出现"),
            )),
            Some(known) => positions[known] = Some(index),
        }
    }
    let map = ColumnMap {
        positions,
        width: header.len(),
    };
    for column in REQUIRED_COLUMNS {
        if map.position(column).is_none() {
            errors.push(RowError::new(
                1,
                column,
                "missing_column",
                format!("the required column {column} is missing"),
                format!("缺少必填列 {column}"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}
