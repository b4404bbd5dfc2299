//! The layout against its document, and household → rows → household round trips.

use super::*;
use crate::registry::test_support::{example_draft, id, member, today};
use crate::registry::{Household, HouseholdStatus, MemberDraft};

const DOC: &str = include_str!("../../../../docs/registry-csv.md");

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// Reads CSV text as the importer would: header, then records numbered by file line.
fn read(text: &str) -> (Vec<String>, Vec<(u64, csv::StringRecord)>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            (r.position().map_or(0, |p| p.line()), r)
        })
        .collect();
    (header, rows)
}

/// The example block of the layout document.
fn doc_example() -> &'static str {
    let start = DOC.find("```csv\n").expect("example block") + "```csv\n".len();
    let len = DOC[start..].find("```").expect("end of block");
    &DOC[start..start + len]
}

/// Column names of the document's tables, with whether each is required.
fn doc_columns(section: &str) -> Vec<(String, bool)> {
    let start = DOC.find(section).expect("section");
    DOC[start..]
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2] == "yes")
        })
        .collect()
}

fn csv_text(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).expect("header");
    for row in rows {
        w.write_record(row).expect("row");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("utf-8")
}

/// A household that uses every column: exited, scattered, a landline, an X check digit.
fn rich_household() -> Household {
    let mut d = example_draft();
    d.scattered = Some("true".into());
    d.status = Some("exited".into());
    d.exit_year = Some("2019".into());
    d.secondary_causes = vec!["lack_of_skills".into()];
    let x = (0..200)
        .map(|seq| id(&format!("21092120120304{:03}", seq * 2)))
        .find(|n| n.ends_with('X'))
        .expect("one in eleven ends in X");
    let mut girl = member("阿依古丽·买买提", "female", &x[..17], "granddaughter");
    girl.ethnicity = Some("维吾尔族".into());
    girl.education = Some("preschool".into());
    girl.schooling = Some("preschool".into());
    girl.work_capacity = Some("none".into());
    girl.phone = Some("0418-3456789".into());
    girl.critical_illness = Some("true".into());
    d.members.push(girl);
    d.parse(today()).expect("valid")
}

#[test]
fn columns_follow_the_layout_document() {
    let household = doc_columns("## Household columns");
    let members = doc_columns("## Member columns");
    let names = |cols: &[(String, bool)]| cols.iter().map(|c| c.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&household), HOUSEHOLD_COLUMNS);
    assert_eq!(names(&members), MEMBER_COLUMNS);
    let required: Vec<String> = household
        .iter()
        .chain(&members)
        .filter(|c| c.1)
        .map(|c| c.0.clone())
        .collect();
    assert_eq!(required, REQUIRED_COLUMNS);
    assert_eq!(ALL_COLUMNS[..17], HOUSEHOLD_COLUMNS);
    assert_eq!(ALL_COLUMNS[17..], MEMBER_COLUMNS);
    for (column, field) in MEMBER_COLUMNS.iter().zip(MemberDraft::FIELDS) {
        assert_eq!(*column, format!("member_{field}"));
    }
    assert_eq!(
        HOUSEHOLD_COLUMNS[9..15],
        crate::registry::Guarantees::FIELDS
    );
}

#[test]
fn the_example_of_the_document_parses() {
    let (header, rows) = read(doc_example());
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3]);
    let draft = draft_from_rows(&header, &rows).expect("well-formed");
    assert_eq!(draft, example_draft());
    let map = check_header(&header).expect("header");
    let h = map.parse_rows(&rows, today()).expect("valid");
    assert_eq!(Ok(h), example_draft().parse(today()));
}

#[test]
fn header_problems_are_all_reported_on_row_1() {
    let mut header = strings(&ALL_COLUMNS);
    header.retain(|c| c != "member_sex" && c != "household_type");
    header.push("remarks".into());
    header.push("household_number".into());
    let found: Vec<(u64, String, &str)> = check_header(&header)
        .expect_err("bad header")
        .into_iter()
        .map(|e| (e.row, e.column, e.code))
        .collect();
    assert_eq!(
        found,
        [
            (1, "remarks".to_owned(), "unknown_column"),
            (1, "household_number".to_owned(), "duplicate_column"),
            (1, "household_type".to_owned(), "missing_column"),
            (1, "member_sex".to_owned(), "missing_column"),
        ]
    );
}

#[test]
fn header_may_have_any_order_a_bom_and_leave_out_optional_columns() {
    let mut header: Vec<String> = REQUIRED_COLUMNS
        .iter()
        .rev()
        .map(|c| format!(" {c} "))
        .collect();
    header[0] = format!("\u{feff}{}", header[0]);
    let map = check_header(&header).expect("valid header");
    assert_eq!(map.position("member_work_capacity"), Some(0));
    assert_eq!(map.position("household_number"), Some(19));
    assert_eq!(map.position("member_phone"), None);
    let record = csv::StringRecord::from(vec!["ordinary"]);
    assert_eq!(map.cell(&record, "member_work_capacity"), "ordinary");
    assert_eq!(map.cell(&record, "member_phone"), "", "absent column");
    assert_eq!(map.cell(&record, "household_number"), "", "short record");
}

#[test]
fn later_rows_may_repeat_household_columns_but_not_contradict_them() {
    let (header, mut rows) = read(doc_example());
    let map = check_header(&header).expect("header");
    let repeated: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let source = if HOUSEHOLD_COLUMNS.contains(&c.as_str()) {
                &rows[0].1
            } else {
                &rows[1].1
            };
            source.get(i).unwrap_or("").to_owned()
        })
        .collect();
    rows[1].1 = csv::StringRecord::from(repeated);
    assert_eq!(map.draft(&rows), Ok(example_draft()));

    let mut conflicting: Vec<String> = rows[1].1.iter().map(str::to_owned).collect();
    let income = map.position("income_per_person_fen").expect("column");
    conflicting[income] = "260000".into();
    rows[1].1 = csv::StringRecord::from(conflicting);
    let errs = map.draft(&rows).expect_err("conflict");
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].row, errs[0].column.as_str(), errs[0].code),
        (3, "income_per_person_fen", "conflicting_value")
    );
    assert!(errs[0].message_en.contains("\"250000\"") && errs[0].message_en.contains("row 2"));
    let none = map.draft(&[]).expect_err("no rows");
    assert_eq!(none[0].code, "no_rows");
}

#[test]
fn field_errors_point_at_their_row_and_column() {
    let (header, mut rows) = read(doc_example());
    let map = check_header(&header).expect("header");
    let mut cells: Vec<String> = rows[1].1.iter().map(str::to_owned).collect();
    let id_col = map.position("member_id_number").expect("column");
    cells[id_col] = "210921196803150028".into();
    rows[1].1 = csv::StringRecord::from(cells);
    let mut cells: Vec<String> = rows[0].1.iter().map(str::to_owned).collect();
    cells[map.position("basic_medical").expect("column")] = "perhaps".into();
    cells[map.position("secondary_causes").expect("column")] = "lack_of_skills|luck".into();
    cells[map.position("member_relation").expect("column")] = "son".into();
    rows[0].1 = csv::StringRecord::from(cells);
    let found: Vec<(u64, String, &str)> = map
        .parse_rows(&rows, today())
        .expect_err("invalid")
        .into_iter()
        .map(|e| (e.row, e.column, e.code))
        .collect();
    assert_eq!(
        found,
        [
            (2, "secondary_causes".to_owned(), "unknown_value"),
            (2, "basic_medical".to_owned(), "invalid_boolean"),
            (3, "member_id_number".to_owned(), "check_digit"),
            (2, "member_relation".to_owned(), "head_missing"),
        ]
    );
}

#[test]
fn row_errors_maps_every_kind_of_field_name() {
    let rows: Vec<(u64, csv::StringRecord)> = (10..13)
        .map(|line| (line, csv::StringRecord::new()))
        .collect();
    let e = |field: &str, code: &'static str| crate::FieldError::new(field, code, "en", "zh");
    let found: Vec<(u64, String)> = row_errors(
        &[
            e("members[2].phone", "length"),
            e("members", "too_many"),
            e("exit_year", "exit_year_required"),
            e("guarantees.food_secure", "required"),
            e("secondary_causes", "too_many"),
        ],
        &rows,
    )
    .into_iter()
    .map(|r| (r.row, r.column))
    .collect();
    assert_eq!(
        found,
        [
            (12, "member_phone".to_owned()),
            (10, String::new()),
            (10, "exit_year".to_owned()),
            (10, "food_secure".to_owned()),
            (10, "secondary_causes".to_owned()),
        ]
    );
}

#[test]
fn an_export_with_clear_values_reimports_unchanged() {
    let h = rich_household();
    let rows = rows_for(&h, true);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.len() == ALL_COLUMNS.len()));
    assert_eq!(
        rows[0][..17],
        rows[2][..17],
        "household columns on every row"
    );
    let (header, records) = read(&csv_text(&ALL_COLUMNS, &rows));
    let back = draft_from_rows(&header, &records)
        .expect("well-formed")
        .parse(today())
        .expect("valid");
    assert_eq!(back, h);
    assert_eq!(back.status, HouseholdStatus::Exited);
    assert_eq!(
        back.members[2].phone.as_ref().map(|p| p.expose()),
        Some("04183456789")
    );
}

#[test]
fn exports_write_english_values() {
    let rows = rows_for(&rich_household(), true);
    let cell = |row: usize, column: &str| {
        let i = ALL_COLUMNS
            .iter()
            .position(|c| *c == column)
            .expect("column");
        rows[row][i].clone()
    };
    assert_eq!(cell(0, "household_number"), "2109211002020001");
    assert_eq!(cell(0, "scattered"), "true");
    assert_eq!(cell(0, "secondary_causes"), "lack_of_skills");
    assert_eq!(cell(0, "basic_medical"), "false");
    assert_eq!(cell(0, "status"), "exited");
    assert_eq!(cell(0, "exit_year"), "2019");
    assert_eq!(cell(0, "member_name"), "张三");
    assert_eq!(cell(0, "member_id_number"), "210921196503120010");
    assert_eq!(cell(0, "member_ethnicity"), "蒙古族");
    assert_eq!(cell(1, "member_phone"), "");
    assert_eq!(cell(2, "member_relation"), "granddaughter");
    assert_eq!(cell(2, "member_schooling"), "preschool");
    assert!(cell(2, "member_id_number").ends_with('X'));
}

#[test]
fn a_masked_export_hides_personal_data() {
    let h = rich_household();
    let rows = rows_for(&h, false);
    let at = |column: &str| {
        ALL_COLUMNS
            .iter()
            .position(|c| *c == column)
            .expect("column")
    };
    assert_eq!(rows[0][at("member_name")], "张*");
    assert_eq!(rows[0][at("member_id_number")], "210921********0010");
    assert_eq!(rows[0][at("member_phone")], "138****5678");
    assert_eq!(rows[2][at("member_phone")], "0418*****89");
    assert_eq!(rows[0][at("household_number")], "2109211002020001");
    let text = csv_text(&ALL_COLUMNS, &rows);
    assert!(!text.contains("210921196503120010") && !text.contains("13812345678"));
    let (header, records) = read(&text);
    let errs = draft_from_rows(&header, &records)
        .expect("well-formed")
        .parse(today())
        .expect_err("masked numbers are no ID numbers");
    assert!(errs.iter().any(|e| e.field == "members[0].id_number"));
}

#[test]
fn drafts_deserialize_typed_and_text_values_alike() {
    // The csv deserializer infers booleans and numbers, as a typed JSON body has them.
    let text = "region_code,registered_year,status,population,poor_household_count,notes\n\
                210921100202,2014,poor,1200,86,\n";
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let draft: crate::registry::PoorVillageDraft = reader
        .deserialize()
        .next()
        .expect("one row")
        .expect("deserializes");
    assert_eq!(draft.registered_year.as_deref(), Some("2014"));
    assert_eq!(draft.population.as_deref(), Some("1200"));
    let v = draft.parse(today()).expect("valid");
    assert_eq!((v.population, v.notes), (1200, None));
}

#[test]
fn a_row_with_more_fields_than_the_header_is_refused() {
    let (header, mut rows) = read(doc_example());
    let map = check_header(&header).expect("header");
    // A name written with an unquoted comma shifts every later cell of the member's row.
    let mut fields: Vec<String> = rows[1].1.iter().map(str::to_owned).collect();
    fields.push("13812345678".into());
    rows[1].1 = csv::StringRecord::from(fields);
    let errs = map.draft(&rows).expect_err("extra field");
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (errs[0].row, errs[0].column.as_str(), errs[0].code),
        (3, "", "extra_fields")
    );
    assert!(
        errs[0].message_en.contains("31 columns"),
        "{}",
        errs[0].message_en
    );
    // A shorter row is fine: the missing trailing cells are "not given".
    let (_, mut rows) = read(doc_example());
    let short: Vec<String> = rows[1].1.iter().take(30).map(str::to_owned).collect();
    rows[1].1 = csv::StringRecord::from(short);
    assert!(map.draft(&rows).is_ok());
}

#[test]
fn a_cell_with_a_control_character_is_a_row_error_at_its_column() {
    let (header, mut rows) = read(doc_example());
    let map = check_header(&header).expect("header");
    let name_at = map.position("member_name").expect("member_name");
    let mut fields: Vec<String> = rows[1].1.iter().map(str::to_owned).collect();
    fields[name_at] = "张\u{0}三".into();
    rows[1].1 = csv::StringRecord::from(fields);
    let errs = map.draft(&rows).expect_err("NUL");
    assert_eq!(
        errs.iter()
            .map(|e| (e.row, e.column.as_str(), e.code))
            .collect::<Vec<_>>(),
        [(3, "member_name", "control_character")]
    );
    assert!(!errs[0].message_en.contains('\u{0}'));
    // Tabs and line breaks (quoted) are text like any other.
    let (_, mut rows) = read(doc_example());
    let mut fields: Vec<String> = rows[1].1.iter().map(str::to_owned).collect();
    fields[name_at] = "张\t三".into();
    rows[1].1 = csv::StringRecord::from(fields);
    assert!(map.draft(&rows).is_ok());
    // A header name is reported escaped, never with the character itself.
    let errs = check_header(&strings(&["household_number", "x\u{1b}y"])).expect_err("header");
    assert!(errs.iter().any(|e| e.column == "x\\u{1b}y"), "{errs:?}");
}
