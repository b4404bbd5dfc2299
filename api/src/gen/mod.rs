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
pub fn write_households<W: Write>(out: W, count: u64, seed: u64) -> io::Result<GenSummary> {
    let mut generator = Generator::new(seed, count)?;
    write_with(&mut generator, out, count)
}

fn write_with<W: Write>(
    generator: &mut Generator,
    mut out: W,
    count: u64,
) -> io::Result<GenSummary> {
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

/// The village layout's header (`docs/villages-csv.md`), as the generator writes it.
pub const VILLAGE_HEADER: &str =
    "region_code,registered_year,status,population,poor_household_count,collective_income_fen";

/// The year the generated poor villages were registered (建档立卡, 2014).
pub const VILLAGE_REGISTERED_YEAR: i32 = 2014;

/// Writes `villages.csv` (every registered poor village the households use, in the layout
/// of `docs/villages-csv.md`) and `households.csv` into the folder `dir` (made if needed),
/// deterministically for `count` and `seed`: on a fresh database, importing the first and
/// then the second imports every household.
pub fn write_folder(dir: &Path, count: u64, seed: u64) -> io::Result<GenSummary> {
    std::fs::create_dir_all(dir)?;
    let mut generator = Generator::new(seed, count)?;
    let households = File::create(dir.join("households.csv"))?;
    let mut writer = BufWriter::with_capacity(1 << 16, households);
    let summary = write_with(&mut generator, &mut writer, count)?;
    writer.flush()?;
    let mut villages = BufWriter::new(File::create(dir.join("villages.csv"))?);
    write_villages(&generator, &mut villages)?;
    villages.flush()?;
    Ok(summary)
}

/// The poor villages of `generator` after it made its households: each with the number
/// of households made in it, and a population of a few hundred to a few thousand.
fn write_villages<W: Write>(generator: &Generator, mut out: W) -> io::Result<()> {
    writeln!(out, "{VILLAGE_HEADER}")?;
    let mut seen = std::collections::HashSet::new();
    for &v in &generator.poor {
        if !seen.insert(v) {
            continue;
        }
        let code = String::from_utf8_lossy(&generator.villages[v].code).into_owned();
        let households = u64::from(generator.village_households[v]);
        // Stable per village: derived from its code, not from the random stream.
        let spread: u64 = code[9..].parse().unwrap_or(0);
        let population = 400 + households * 4 + (spread * 37) % 2_600;
        let income_fen = ((spread * 13) % 40) * 100_000;
        writeln!(
            out,
            "{code},{VILLAGE_REGISTERED_YEAR},poor,{population},{households},{income_fen}"
        )?;
    }
    Ok(())
}

/// `fupin gen households`: writes the folder (see [`write_folder`]) when `out` is not a
/// `.csv` file, else the households alone to that file, or to standard output when `out`
/// is `None`; prints a one-line summary to standard error.
pub fn run_households(count: u64, seed: u64, out: Option<&Path>) -> Result<GenSummary, String> {
    let started = Instant::now();
    let summary = match out {
        Some(dir)
            if dir
                .extension()
                .is_none_or(|e| !e.eq_ignore_ascii_case("csv")) =>
        {
            let summary = write_folder(dir, count, seed)
                .map_err(|e| format!("cannot write to {}: {e}", dir.display()))?;
            eprintln!(
                "wrote {0}/villages.csv and {0}/households.csv: import the villages first",
                dir.display()
            );
            summary
        }
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
    fn the_folder_holds_every_poor_village_its_households_need() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("d");
        let summary = write_folder(&out, 300, 7).expect("write");
        assert_eq!(summary.households, 300);
        let households = std::fs::read(out.join("households.csv")).expect("households");
        let (alone, _) = generate(300, 7);
        assert_eq!(households, alone, "the same file as the single-file form");
        let villages = std::fs::read_to_string(out.join("villages.csv")).expect("villages");
        let mut lines = villages.lines();
        assert_eq!(lines.next(), Some(VILLAGE_HEADER));
        let mut registered: HashMap<String, u64> = HashMap::new();
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 6, "{line}");
            let population: u64 = cells[3].parse().expect("population");
            let count: u64 = cells[4].parse().expect("count");
            assert!(count <= population, "{line}");
            assert!(
                registered.insert(cells[0].to_owned(), count).is_none(),
                "{line}"
            );
        }
        // Every household that is not scattered lives in a listed village, and each
        // village's count is the households made in it.
        let text = String::from_utf8(households).expect("utf-8");
        let mut per_village: HashMap<String, u64> = HashMap::new();
        for line in text.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            if cells[1].is_empty() {
                continue;
            }
            *per_village.entry(cells[1].to_owned()).or_default() += 1;
            if cells[2] == "false" {
                assert!(registered.contains_key(cells[1]), "{line}");
            }
        }
        for (code, count) in &registered {
            assert_eq!(
                per_village.get(code).copied().unwrap_or(0),
                *count,
                "{code}"
            );
        }
        // Deterministic.
        let again = dir.path().join("e");
        write_folder(&again, 300, 7).expect("write");
        assert_eq!(
            std::fs::read(again.join("villages.csv")).expect("villages"),
            villages.into_bytes()
        );
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
