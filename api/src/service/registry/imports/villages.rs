//! The village import (`kind=villages`, `docs/villages-csv.md`): one row per poor village,
//! checked against the divisions and the importer's jurisdiction, written in batches of
//! one transaction each. A village already on the register is updated (or left alone when
//! unchanged), so importing the same file twice changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::Utc;

use domain::registry::csv_layout::villages::{VillageColumns, check_village_header};
use domain::registry::{ImportJob, ImportProblem, PoorVillage, RegisteredVillage};
use persistence::registry::villages as store;
use persistence::{DbConn, PersistenceError, write_transaction};

use super::engine::Engine;
use super::source;
use super::tally::Tally;

/// Villages written per transaction.
const BATCH: usize = 1000;

/// A parsed village waiting for its batch, with its file row.
struct Row {
    line: u64,
    village: PoorVillage,
}

enum Write {
    Insert(RegisteredVillage),
    Update {
        entry: RegisteredVillage,
        expected_version: i32,
    },
}

impl Engine {
    /// Reads a village file to its end (see [`Engine::run`]).
    pub(super) fn process_villages(
        &self,
        job: &mut ImportJob,
        path: &std::path::Path,
        encoding: &'static encoding_rs::Encoding,
        progress: &mut impl FnMut(&ImportJob),
        seq: &mut i64,
    ) -> Result<(), String> {
        let source::CsvFile {
            mut csv,
            header,
            bytes,
        } = source::open_csv(path, encoding)?;
        let map = match check_village_header(&header) {
            Ok(map) => map,
            Err(errors) => return Err(self.refuse_header(job, errors, seq)?),
        };
        let today = domain::identity::today_in_china();
        let mut seen: HashMap<String, u64> = HashMap::new();
        let mut batch = Vec::with_capacity(BATCH);
        let mut tally = Tally::default();
        let mut record = csv::StringRecord::new();
        loop {
            let more = match csv.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    tally.fail(1, [unreadable(line, &e)]);
                    continue;
                }
            };
            if more {
                job.rows_processed += 1;
                let line = record.position().map_or(0, |p| p.line());
                if let Some(row) =
                    self.take_village(&map, line, &record, today, &mut seen, &mut tally)
                {
                    batch.push(row);
                }
            }
            if batch.len() >= BATCH || !more {
                if !batch.is_empty() {
                    self.write_villages(std::mem::take(&mut batch), &mut tally)?;
                }
                let problems = tally.settle(job);
                job.advance(bytes.load(std::sync::atomic::Ordering::Relaxed));
                self.save(job, problems, seq)?;
                progress(job);
            }
            if !more {
                return Ok(());
            }
        }
    }

    /// Parses one row and applies the checks that need no database.
    fn take_village(
        &self,
        map: &VillageColumns,
        line: u64,
        record: &csv::StringRecord,
        today: chrono::NaiveDate,
        seen: &mut HashMap<String, u64>,
        tally: &mut Tally,
    ) -> Option<Row> {
        let village = match map.parse_row(line, record, today) {
            Ok(v) => v,
            Err(errors) => {
                tally.fail(1, errors.into_iter().map(ImportProblem::from));
                return None;
            }
        };
        let code = village.region_code.to_string();
        if let Some(within) = &self.within
            && !within.contains(&village.region_code)
        {
            tally.fail(
                1,
                [ImportProblem::new(
                    line,
                    "region_code",
                    "outside_jurisdiction",
                    "the village is outside your jurisdiction",
                    "该村不在您的管辖范围内",
                )],
            );
            return None;
        }
        if let Some(first) = seen.get(&code) {
            tally.fail(
                1,
                [ImportProblem::new(
                    line,
                    "region_code",
                    "duplicate_village",
                    format!("village {code} already appears on row {first} of this file"),
                    format!("村 {code} 已在本文件第 {first} 行出现"),
                )],
            );
            return None;
        }
        seen.insert(code, line);
        Some(Row { line, village })
    }

    /// Checks a batch against the database and writes it in one transaction; if that
    /// fails (a concurrent import registered one of the villages first), writes the rows
    /// one by one so only the lost ones fail, and says so.
    fn write_villages(&self, rows: Vec<Row>, tally: &mut Tally) -> Result<(), String> {
        let mut conn = self.conn()?;
        let planned = plan(&mut conn, rows, tally).map_err(|e| e.to_string())?;
        let all = write_transaction(&mut conn, |conn| -> Result<_, PersistenceError> {
            planned
                .iter()
                .map(|(_, w)| apply(conn, w))
                .collect::<Result<Vec<bool>, _>>()
        });
        let outcomes: Vec<(u64, &Write, bool)> = match all {
            Ok(done) => planned
                .iter()
                .zip(done)
                .map(|((line, w), ok)| (*line, w, ok))
                .collect(),
            Err(_) => planned
                .iter()
                .map(|(line, w)| {
                    let ok = write_transaction(&mut conn, |conn| -> Result<_, PersistenceError> {
                        apply(conn, w)
                    })
                    .unwrap_or(false);
                    (*line, w, ok)
                })
                .collect(),
        };
        for (line, w, ok) in outcomes {
            match (w, ok) {
                (_, false) => tally.lose(1, line, "region_code"),
                (Write::Insert(_), true) => tally.created += 1,
                (Write::Update { .. }, true) => tally.updated += 1,
            }
        }
        Ok(())
    }
}

/// Sorts a batch into unknown places (row errors), unchanged villages and writes.
fn plan(
    conn: &mut DbConn,
    rows: Vec<Row>,
    tally: &mut Tally,
) -> Result<Vec<(u64, Write)>, PersistenceError> {
    let codes: Vec<String> = rows
        .iter()
        .map(|r| r.village.region_code.to_string())
        .collect();
    let known: HashSet<String> = persistence::region::existing_codes(conn, &codes)?
        .into_iter()
        .collect();
    let current: HashMap<String, RegisteredVillage> = store::by_codes(conn, &codes)?
        .into_iter()
        .map(|v| (v.village.region_code.to_string(), v))
        .collect();
    let now = Utc::now();
    let mut writes = Vec::new();
    for row in rows {
        let code = row.village.region_code.to_string();
        if !known.contains(&code) {
            tally.fail(
                1,
                [ImportProblem::new(
                    row.line,
                    "region_code",
                    "unknown_region",
                    format!("no village {code}"),
                    format!("村 {code} 不存在"),
                )],
            );
            continue;
        }
        match current.get(&code) {
            Some(cur) if cur.village == row.village => tally.unchanged += 1,
            Some(cur) => writes.push((
                row.line,
                Write::Update {
                    entry: cur.revised(row.village, now),
                    expected_version: cur.version,
                },
            )),
            None => writes.push((
                row.line,
                Write::Insert(RegisteredVillage::new(row.village, now)),
            )),
        }
    }
    Ok(writes)
}

/// Writes one village; `false` when an update found it changed since it was read.
fn apply(conn: &mut DbConn, w: &Write) -> Result<bool, PersistenceError> {
    match w {
        Write::Insert(entry) => store::insert(conn, entry).map(|()| true),
        Write::Update {
            entry,
            expected_version,
        } => store::update(conn, entry, *expected_version),
    }
}

fn unreadable(line: u64, e: &csv::Error) -> ImportProblem {
    ImportProblem::new(
        line,
        "",
        "unreadable_row",
        format!("row cannot be read: {e}"),
        format!("该行无法读取：{e}"),
    )
}
