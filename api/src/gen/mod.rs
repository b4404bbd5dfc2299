//! Synthetic household registry data for tests and benchmarks: `fupin gen households N`.
//!
//! Writes the import layout of `docs/registry-csv.md` (English enumeration values, every
//! column, one row per member, household columns on a household's first row only) for `N`
//! made-up poor households spread over Liaoning's real villages.
//!
//! - **Deterministic**: the same `N` and seed give byte-identical output. The random numbers
//!   come from `Xoshiro256PlusPlus`, a generator `rand` promises to keep reproducible.
//! - **Streaming**: one household is built at a time in a fixed-size buffer; memory does not
//!   grow with `N` (a few tables sized by the number of villages, counties and days).
//! - **Importable**: household numbers and ID numbers are unique across the file, ID numbers
//!   carry the village's county, the member's birth date and sex and a correct check digit,
//!   and exited households satisfy the exit rule.
//!
//! Ages are as of the end of [`REFERENCE_YEAR`], the last year of the targeted
//! poverty-alleviation campaign, so the output does not depend on today's date.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use domain::region::RegionLevel;
use domain::region::reference::liaoning_divisions;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

mod generator;
mod ids;
mod tables;

use generator::*;
use ids::*;
use tables::*;

/// The columns of the household registry CSV, in the order of `docs/registry-csv.md`
/// (the domain's layout is the one definition).
pub use domain::registry::csv_layout::ALL_COLUMNS as COLUMNS;

/// Number of household columns (the first ones of [`COLUMNS`]).
const HOUSEHOLD_COLUMNS: usize = domain::registry::csv_layout::HOUSEHOLD_COLUMNS.len();

/// Ages are whole years on 31 December of this year.
pub const REFERENCE_YEAR: i32 = 2020;

/// Earliest birth year the generator produces (a head's parent of 98).
const FIRST_BIRTH_YEAR: i32 = 1920;
const YEARS: usize = (REFERENCE_YEAR - FIRST_BIRTH_YEAR + 1) as usize;

/// The national poverty line of the campaign's last years, per person and year, in fen.
const POVERTY_LINE_FEN: u32 = 285_500;

/// Largest household the generator makes.
const MAX_MEMBERS: usize = 6;

/// What [`write_households`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenSummary {
    pub households: u64,
    pub members: u64,
}

/// Writes the header and `count` synthetic households to `out`, deterministically for
/// `seed`. Each household is written with one `write_all`; give a buffered writer.
///
/// Fails on a write error, or when `count` is so large (tens of millions of households per
/// county and birth year) that the ID numbers of one county, birth year and sex run out.
pub fn write_households<W: Write>(mut out: W, count: u64, seed: u64) -> io::Result<GenSummary> {
    let mut generator = Generator::new(seed, count)?;
    out.write_all(COLUMNS.join(",").as_bytes())?;
    out.write_all(b"\n")?;
    let mut summary = GenSummary::default();
    for _ in 0..count {
        generator.household()?;
        out.write_all(&generator.line)?;
        summary.households += 1;
        summary.members += generator.len as u64;
    }
    Ok(summary)
}

/// `fupin gen households`: writes to `out` (standard output when `None`) through a
/// `BufWriter` and prints a one-line summary to standard error.
/// Households per registered poor village in generated data (Liaoning 2015: about 300,000
/// households in 1,791 poor villages, so some 170 each).
pub const HOUSEHOLDS_PER_POOR_VILLAGE: u64 = 150;
/// Liaoning's registered poor villages in 2015: the most a generated file uses.
pub const MAX_POOR_VILLAGES: u64 = 1_791;

/// The registered poor villages that `write_households(_, count, seed)` puts its
/// non-scattered households in: register these before importing the file.
pub fn poor_villages(count: u64, seed: u64) -> io::Result<Vec<String>> {
    let generator = Generator::new(seed, count)?;
    Ok(generator
        .poor
        .iter()
        .map(|&v| String::from_utf8_lossy(&generator.villages[v].code).into_owned())
        .collect())
}

pub fn run_households(count: u64, seed: u64, out: Option<&Path>) -> Result<GenSummary, String> {
    let started = Instant::now();
    let summary = match out {
        Some(path) => {
            let file =
                File::create(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            let mut writer = BufWriter::with_capacity(1 << 16, file);
            write_households(&mut writer, count, seed)
                .and_then(|s| writer.flush().map(|()| s))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?
        }
        None => {
            let mut writer = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            write_households(&mut writer, count, seed)
                .and_then(|s| writer.flush().map(|()| s))
                .map_err(|e| format!("cannot write to standard output: {e}"))?
        }
    };
    eprintln!(
        "generated {} households, {} members in {:.2} s",
        summary.households,
        summary.members,
        started.elapsed().as_secs_f64()
    );
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use domain::identity::{IdCardNumber, PersonName, PhoneNumber};

    use super::*;

    fn generate(count: u64, seed: u64) -> (Vec<u8>, GenSummary) {
        let mut out = Vec::new();
        let summary = write_households(&mut out, count, seed).expect("generate");
        (out, summary)
    }

    #[test]
    fn same_seed_same_bytes_and_other_seeds_differ() {
        let (a, sa) = generate(500, 42);
        let (b, sb) = generate(500, 42);
        assert_eq!(a, b);
        assert_eq!(sa, sb);
        let (c, _) = generate(500, 43);
        assert_ne!(a, c);
        // A longer file starts with the shorter one: households are streamed in order.
        let (d, _) = generate(600, 42);
        assert!(d.starts_with(&a));
    }

    #[test]
    fn header_is_the_documented_column_list() {
        let doc = include_str!("../../../docs/registry-csv.md");
        let documented: Vec<&str> = doc
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .collect();
        assert_eq!(documented, COLUMNS);
        let (out, _) = generate(0, 1);
        assert_eq!(out, format!("{}\n", COLUMNS.join(",")).into_bytes());
    }

    #[test]
    fn push_number_pads_and_extends() {
        let mut v = Vec::new();
        push_number(&mut v, 7, 4);
        v.push(b' ');
        push_number(&mut v, 12345, 4);
        v.push(b' ');
        push_number(&mut v, 0, 1);
        v.push(b' ');
        push_number(&mut v, 13812345678, 11);
        assert_eq!(v, b"0007 12345 0 13812345678");
    }

    #[test]
    fn id_allocator_never_repeats_and_keeps_the_birth_year() {
        let mut ids = IdAllocator::new(9, 1);
        let mut seen = HashSet::new();
        // Far more men born on one day than one day's 499 sequence numbers.
        for _ in 0..1_500 {
            let id = ids.allocate(0, b"210921", 1980, 40, true).expect("slot");
            let s = std::str::from_utf8(&id).expect("ascii");
            let parsed = IdCardNumber::parse(s).expect("valid");
            assert_eq!(parsed.birth_date().year(), 1980);
            assert_eq!(parsed.region_prefix(), "210921");
            assert_eq!(parsed.sex().as_str(), "male");
            assert!(seen.insert(id), "duplicate {s}");
        }
        // The first 499 are all on the requested day (10 February 1980).
        let mut fresh = IdAllocator::new(9, 1);
        for _ in 0..499 {
            let id = fresh.allocate(0, b"210921", 1980, 40, false).expect("slot");
            assert_eq!(&id[6..14], b"19800210");
            assert_eq!((id[16] - b'0') % 2, 0);
        }
        let next = fresh.allocate(0, b"210921", 1980, 40, false).expect("slot");
        assert_eq!(&next[6..14], b"19800211");
        // A whole year of one sex in one county: 365 * 499 numbers, then an error.
        let mut full = IdAllocator::new(1, 1);
        for i in 0..365 * 499 {
            full.allocate(0, b"211224", 1981, i % 365, true)
                .expect("slot");
        }
        assert!(full.allocate(0, b"211224", 1981, 0, true).is_err());
        assert!(full.allocate(0, b"211224", 1981, 0, false).is_ok());
    }

    /// One parsed household row.
    struct Row<'a> {
        cols: Vec<&'a str>,
    }

    impl<'a> Row<'a> {
        fn get(&self, column: &str) -> &'a str {
            let i = COLUMNS
                .iter()
                .position(|c| *c == column)
                .expect("known column");
            self.cols[i]
        }
    }

    #[test]
    fn a_generated_file_is_importable() {
        let (out, summary) = generate(2_000, 7);
        assert_eq!(summary.households, 2_000);
        let text = std::str::from_utf8(&out).expect("utf-8");
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(COLUMNS.join(",").as_str()));
        let villages: HashSet<String> = liaoning_divisions()
            .expect("reference")
            .into_iter()
            .filter(|r| r.level() == RegionLevel::Village)
            .map(|r| r.code.as_str().to_owned())
            .collect();
        let today = NaiveDate::from_ymd_opt(REFERENCE_YEAR, 12, 31).expect("date");

        let mut households: HashSet<&str> = HashSet::new();
        let mut ids: HashSet<&str> = HashSet::new();
        let mut heads: HashMap<&str, usize> = HashMap::new();
        let mut members = 0u64;
        let mut current = "";
        let mut village = "";
        let mut head_birth: Option<NaiveDate> = None;
        let mut size = 0;
        let mut statuses: HashMap<&str, usize> = HashMap::new();
        let mut ethnicities: HashMap<&str, usize> = HashMap::new();
        for line in lines {
            let row = Row {
                cols: line.split(',').collect(),
            };
            assert_eq!(row.cols.len(), COLUMNS.len(), "{line}");
            members += 1;
            let number = row.get("household_number");
            if number != current {
                // A household's first row carries every household column.
                assert!(households.insert(number), "household {number} repeated");
                assert!((1..=6).contains(&size) || current.is_empty());
                current = number;
                village = row.get("region_code");
                size = 0;
                assert!(villages.contains(village), "no village {village}");
                assert!(number.starts_with(village) && number.len() == 16);
                for column in &COLUMNS[2..HOUSEHOLD_COLUMNS] {
                    if !matches!(*column, "secondary_causes" | "exit_year") {
                        assert!(!row.get(column).is_empty(), "{column} empty in {line}");
                    }
                }
                let main = row.get("main_cause");
                let secondary: Vec<&str> = row
                    .get("secondary_causes")
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .collect();
                assert!(secondary.len() <= 2);
                assert!(!secondary.contains(&main));
                if secondary.len() == 2 {
                    assert_ne!(secondary[0], secondary[1]);
                }
                let income: u32 = row.get("income_per_person_fen").parse().expect("fen");
                assert!((150_000..=600_000).contains(&income), "{income}");
                let status = row.get("status");
                *statuses.entry(status).or_default() += 1;
                if status == "poor" {
                    assert!(row.get("exit_year").is_empty());
                    assert!(income <= POVERTY_LINE_FEN);
                } else {
                    let year: u32 = row.get("exit_year").parse().expect("exit year");
                    assert!((2016..=2020).contains(&year));
                    assert!(income > POVERTY_LINE_FEN);
                    for column in &COLUMNS[8..15] {
                        assert_eq!(row.get(column), "true", "{column} of {number}");
                    }
                }
                // The head comes first.
                assert_eq!(row.get("member_relation"), "head", "{line}");
            } else {
                // Later rows leave the household columns empty.
                assert!(
                    row.cols[..HOUSEHOLD_COLUMNS]
                        .iter()
                        .skip(1)
                        .all(|c| c.is_empty())
                );
            }
            size += 1;
            assert!(size <= 6);

            let relation = row.get("member_relation");
            if relation == "head" {
                *heads.entry(number).or_default() += 1;
            }
            let id_text = row.get("member_id_number");
            let id = IdCardNumber::parse(id_text).expect("valid ID number");
            assert_eq!(id.region_prefix(), &village[..6], "{line}");
            assert!(ids.insert(id_text), "ID {id_text} repeated");
            assert_eq!(id.sex().as_str(), row.get("member_sex"), "{line}");
            let age = id.age_on(today).expect("born");
            match relation {
                "head" => {
                    assert!((30..=80).contains(&age), "head aged {age}");
                    head_birth = Some(id.birth_date());
                }
                "son" | "daughter" => {
                    let head = head_birth.expect("head first");
                    assert!(
                        id.birth_date().years_since(head).is_some_and(|y| y >= 18),
                        "{line}"
                    );
                }
                "father" | "mother" => {
                    let head = head_birth.expect("head first");
                    assert!(head.years_since(id.birth_date()).is_some_and(|y| y >= 18));
                }
                _ => {}
            }
            if age < 6 {
                assert_eq!(row.get("member_education"), "preschool");
            }
            if age < 16 {
                assert_eq!(row.get("member_work_capacity"), "none");
            }
            PersonName::parse(row.get("member_name")).expect("valid name");
            let phone = row.get("member_phone");
            if !phone.is_empty() {
                PhoneNumber::parse(phone).expect("valid phone");
                assert_eq!(phone.len(), 11);
            }
            *ethnicities.entry(row.get("member_ethnicity")).or_default() += 1;
        }
        assert_eq!(members, summary.members);
        assert_eq!(households.len(), 2_000);
        assert_eq!(heads.len(), 2_000);
        assert!(heads.values().all(|&n| n == 1));
        assert_eq!(ids.len() as u64, summary.members);
        // Mostly poor, some exited, a few at risk; mostly Han with Manchu and Mongol.
        assert!(statuses["poor"] > statuses["exited"]);
        assert!(statuses["exited"] > statuses["at_risk"]);
        assert!(ethnicities[HAN] as u64 > summary.members / 2);
        assert!(ethnicities[MANCHU] > 0 && ethnicities[MONGOL] > 0);
    }

    #[test]
    fn households_lean_toward_the_key_counties() {
        let (out, _) = generate(3_000, 3);
        let text = std::str::from_utf8(&out).expect("utf-8");
        let firsts: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).expect("region column"))
            .filter(|c| !c.is_empty())
            .collect();
        let key = firsts
            .iter()
            .filter(|c| KEY_COUNTIES.contains(&&c[..6]))
            .count();
        // About 3,700 of 11,700 villages, weighted 6 against 3 and 1: over half the households.
        assert!(key * 2 > firsts.len(), "{key} of {}", firsts.len());
    }
}
