//! The poor-village CSV layout (`docs/villages-csv.md`): one row per village, the fields of
//! [`PoorVillageDraft`] as columns. `fupin gen households --out DIR` writes it and
//! `POST /imports?kind=villages` / `fupin import villages` read it.

use chrono::NaiveDate;

use super::{RowError, control_characters, extra_fields, shown_name};
use crate::registry::{PoorVillage, PoorVillageDraft};

/// The columns, in the order of the layout document.
pub const VILLAGE_COLUMNS: [&str; 8] = [
    "region_code",
    "registered_year",
    "status",
    "exit_year",
    "population",
    "poor_household_count",
    "collective_income_fen",
    "notes",
];

/// The columns a file must have.
pub const REQUIRED_VILLAGE_COLUMNS: [&str; 4] = [
    "region_code",
    "registered_year",
    "population",
    "poor_household_count",
];

/// Where each column sits in a village file's header. Made by [`check_village_header`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageColumns {
    positions: [Option<usize>; 8],
    width: usize,
}

impl VillageColumns {
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: usize) -> Option<&'r str> {
        self.positions[column]
            .and_then(|i| record.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The village code a row names (empty when absent), to report and batch by.
    pub fn region_code<'r>(&self, record: &'r csv::StringRecord) -> &'r str {
        self.cell(record, 0).unwrap_or("")
    }

    /// Reads and parses one row (line `row` of the file); every error is located by row
    /// and column. A row with more fields than the header is refused (`extra_fields`).
    pub fn parse_row(
        &self,
        row: u64,
        record: &csv::StringRecord,
        today: NaiveDate,
    ) -> Result<PoorVillage, Vec<RowError>> {
        if let Some(e) = extra_fields(row, record, self.width) {
            return Err(vec![e]);
        }
        let refused = control_characters(row, record, |i| {
            VILLAGE_COLUMNS
                .iter()
                .zip(self.positions)
                .find_map(|(name, at)| (at == Some(i)).then_some(*name))
        });
        if !refused.is_empty() {
            return Err(refused);
        }
        let text = |i: usize| self.cell(record, i).map(str::to_owned);
        let draft = PoorVillageDraft {
            region_code: text(0),
            registered_year: text(1),
            status: text(2),
            exit_year: text(3),
            population: text(4),
            poor_household_count: text(5),
            collective_income_fen: text(6),
            notes: text(7),
        };
        draft.parse(today).map_err(|errors| {
            errors
                .iter()
                .map(|e| RowError::from_field(row, e.field.clone(), e))
                .collect()
        })
    }
}

/// Checks a village file's header like [`super::check_header`] does a household file's:
/// unknown, repeated and missing columns are errors of row 1.
pub fn check_village_header(header: &[String]) -> Result<VillageColumns, Vec<RowError>> {
    let mut positions = [None; 8];
    let mut errors = Vec::new();
    for (index, raw) in header.iter().enumerate() {
        let name = raw.trim_start_matches('\u{feff}').trim();
        match VILLAGE_COLUMNS.iter().position(|c| *c == name) {
            None => errors.push(RowError::new(
                1,
                shown_name(name),
                "unknown_column",
                format!("{name:?} is not a column of the village layout"),
                format!("{name:?} 不是贫困村导入格式中的列"),
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
    for column in REQUIRED_VILLAGE_COLUMNS {
        let i = VILLAGE_COLUMNS.iter().position(|c| *c == column);
        if i.and_then(|i| positions[i]).is_none() {
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
        Ok(VillageColumns {
            positions,
            width: header.len(),
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::VillageStatus;
    use crate::registry::test_support::today;

    const DOC: &str = include_str!("../../../../docs/villages-csv.md");

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    fn record(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn the_columns_are_the_documented_ones() {
        let documented: Vec<(&str, bool)> = DOC
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .map(|l| {
                let name = l.split('`').next().unwrap_or("");
                let required = l.split('|').nth(1).is_some_and(|c| c.trim() == "yes");
                (name, required)
            })
            .collect();
        let expected: Vec<(&str, bool)> = VILLAGE_COLUMNS
            .iter()
            .map(|c| (*c, REQUIRED_VILLAGE_COLUMNS.contains(c)))
            .collect();
        assert_eq!(documented, expected);
    }

    #[test]
    fn a_row_parses_in_any_column_order() {
        let map = check_village_header(&header(&[
            "population",
            "region_code",
            "poor_household_count",
            "registered_year",
        ]))
        .expect("header");
        let v = map
            .parse_row(2, &record(&["1500", "210921100202", "86", "2014"]), today())
            .expect("valid");
        assert_eq!(v.region_code.as_str(), "210921100202");
        assert_eq!((v.population, v.poor_household_count), (1500, 86));
        assert_eq!((v.registered_year, v.status), (2014, VillageStatus::Poor));
        assert_eq!(
            map.region_code(&record(&["1500", "210921100202"])),
            "210921100202"
        );
    }

    #[test]
    fn bad_headers_are_reported_by_column() {
        let errors = check_village_header(&header(&["region_code", "nonsense", "region_code"]))
            .expect_err("bad header");
        let codes: Vec<(&str, &str)> = errors.iter().map(|e| (e.column.as_str(), e.code)).collect();
        assert_eq!(
            codes,
            [
                ("nonsense", "unknown_column"),
                ("region_code", "duplicate_column"),
                ("registered_year", "missing_column"),
                ("population", "missing_column"),
                ("poor_household_count", "missing_column"),
            ]
        );
    }

    #[test]
    fn bad_values_and_extra_fields_are_row_errors() {
        let map = check_village_header(&header(&REQUIRED_VILLAGE_COLUMNS)).expect("header");
        let errors = map
            .parse_row(5, &record(&["210921100000", "2014", "-1", "3"]), today())
            .expect_err("invalid");
        let got: Vec<(u64, &str, &str)> = errors
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.code))
            .collect();
        assert_eq!(
            got,
            [
                (5, "region_code", "not_a_village"),
                (5, "population", "negative")
            ]
        );
        let errors = map
            .parse_row(
                6,
                &record(&["210921100202", "2014", "10", "3", "13812345678"]),
                today(),
            )
            .expect_err("extra field");
        assert_eq!(
            (errors[0].row, errors[0].column.as_str(), errors[0].code),
            (6, "", "extra_fields")
        );
        // A control character (PostgreSQL cannot store NUL) is a row error at its column.
        let errors = map
            .parse_row(
                8,
                &record(&["210921100202", "2014", "1\u{0}0", "3"]),
                today(),
            )
            .expect_err("NUL");
        assert_eq!(
            (errors[0].row, errors[0].column.as_str(), errors[0].code),
            (8, "population", "control_character")
        );
        let errors = check_village_header(&header(&["region_code", "no\u{0}te"])).unwrap_err();
        assert_eq!(errors[0].column, "no\\0te");
        // Short rows are fine: missing optional cells are "not given".
        let map = check_village_header(&header(&VILLAGE_COLUMNS)).expect("header");
        assert!(
            map.parse_row(
                7,
                &record(&["210921100202", "2014", "", "", "10", "3"]),
                today()
            )
            .is_ok()
        );
    }
}
