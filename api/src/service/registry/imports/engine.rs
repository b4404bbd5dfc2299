//! The import engine, shared by `POST /imports` and `fupin import households|villages`
//! (villages: `villages.rs`). For households it
//! streams the file (constant memory), parses each household's rows with the domain's
//! layout, checks what needs the database in batches, and writes each batch in one
//! transaction. A bad household never stops the good ones and is never half-written; a
//! household whose content is unchanged is not written at all, so importing the same file
//! twice changes nothing.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{NaiveDate, Utc};

use domain::region::RegionCode;
use domain::registry::csv_layout::{ColumnMap, RowError, check_header};
use domain::registry::{
    Household, HouseholdStatus, IMPORT_HEARTBEAT, ImportJob, ImportKind, ImportProblem,
    MAX_IMPORT_PROBLEMS,
};
use persistence::registry::columns::Seal;
use persistence::registry::imports as jobs;
use persistence::{PersistenceError, write_transaction};

use super::Importer;
use super::source;
use super::tally::Tally;

/// Households written per transaction.
pub const BATCH: usize = 5000;

/// One import under way: the engine's tools, and who imports where.
#[derive(Debug, Clone)]
pub(super) struct Engine {
    pub(super) importer: Importer,
    /// The importer's jurisdiction; `None`: everywhere.
    pub(super) within: Option<RegionCode>,
    pub(super) actor_id: Option<String>,
}

/// A parsed household waiting for its batch, with the file rows it came from.
#[derive(Debug)]
pub(super) struct Pending {
    pub(super) household: Household,
    pub(super) rows: Vec<u64>,
    /// Keyed hashes of the members' ID numbers, and the content fingerprint: computed by
    /// the reading thread, so the writing thread only talks to the database.
    pub(super) seal: Seal,
}

/// What the reading thread hands the writing thread: a batch of parsed households, the
/// rows that failed to parse, and how far into the file it has read.
struct Parsed {
    pending: Vec<Pending>,
    tally: Tally,
    rows: i64,
    bytes: u64,
}

impl Parsed {
    fn new() -> Self {
        Parsed {
            pending: Vec::with_capacity(BATCH),
            tally: Tally::default(),
            rows: 0,
            bytes: 0,
        }
    }
}

impl Engine {
    pub(super) fn conn(&self) -> Result<persistence::db::PooledConn, String> {
        self.importer
            .pool
            .get()
            .map_err(|e| format!("database unavailable: {e}"))
    }

    /// Runs `job` (already stored) over the file at `path`, beating its heartbeat every
    /// [`IMPORT_HEARTBEAT`] while it runs. `progress` is called after every batch with the
    /// job as saved; `end` once the file is read, before the job's outcome is saved (so
    /// whoever sees the job ended never finds its file still there).
    pub(super) fn run(
        &self,
        job: ImportJob,
        path: &Path,
        progress: impl FnMut(&ImportJob),
        end: impl FnOnce(),
    ) -> Result<ImportJob, String> {
        let (alive, ended) = std::sync::mpsc::channel::<()>();
        let id = job.id.clone();
        std::thread::scope(|scope| {
            scope.spawn(move || self.beat(&id, &ended));
            let done = self.work(job, path, progress, end);
            drop(alive);
            done
        })
    }

    /// The heartbeat of job `id`, until `ended` is dropped. A beat that fails (the
    /// database is away) is only logged: the job is failed as stale only when no beat
    /// lands for [`domain::registry::IMPORT_STALE_AFTER`].
    fn beat(&self, id: &str, ended: &std::sync::mpsc::Receiver<()>) {
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
            ended.recv_timeout(IMPORT_HEARTBEAT)
        {
            let beat = self.conn().and_then(|mut conn| {
                jobs::heartbeat(&mut conn, id, &self.importer.owner, Utc::now().naive_utc())
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = beat {
                tracing::warn!(job = %id, error = %e, "import heartbeat not recorded");
            }
        }
    }

    fn work(
        &self,
        mut job: ImportJob,
        path: &Path,
        mut progress: impl FnMut(&ImportJob),
        end: impl FnOnce(),
    ) -> Result<ImportJob, String> {
        let encoding = source::detect(path).map_err(|e| format!("cannot read the file: {e}"))?;
        job.start(encoding.name(), Utc::now());
        let mut seq = 0;
        self.save(&job, Vec::new(), &mut seq)?;
        let outcome = match job.kind {
            ImportKind::Households => {
                self.process(&mut job, path, encoding, &mut progress, &mut seq)
            }
            ImportKind::Villages => {
                self.process_villages(&mut job, path, encoding, &mut progress, &mut seq)
            }
        };
        let now = Utc::now();
        match outcome {
            Ok(()) => job.finish(now),
            Err(message) => job.fail(message, now),
        }
        end();
        self.save(&job, Vec::new(), &mut seq)?;
        progress(&job);
        Ok(job)
    }

    /// Saves the job and the problems found since the last save (numbered on from `seq`;
    /// only the first [`MAX_IMPORT_PROBLEMS`] are kept).
    /// Records a header row that does not follow the layout, as the job's one failed row;
    /// returns why the job stops.
    pub(super) fn refuse_header(
        &self,
        job: &mut ImportJob,
        errors: Vec<RowError>,
        seq: &mut i64,
    ) -> Result<String, String> {
        let problems = errors.into_iter().map(ImportProblem::from).collect();
        job.rows_failed = 1;
        self.save(job, problems, seq)?;
        Ok("the header row does not follow the layout; see the errors".to_owned())
    }

    pub(super) fn save(
        &self,
        job: &ImportJob,
        problems: Vec<ImportProblem>,
        seq: &mut i64,
    ) -> Result<(), String> {
        let after = *seq;
        *seq += i64::try_from(problems.len()).unwrap_or(i64::MAX);
        let room = usize::try_from((MAX_IMPORT_PROBLEMS - after).max(0)).unwrap_or(0);
        let kept = &problems[..problems.len().min(room)];
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| -> Result<(), PersistenceError> {
            jobs::add_errors(conn, &job.id, after, kept)?;
            jobs::save(conn, job)
        })
        .map_err(|e| e.to_string())
    }

    fn process(
        &self,
        job: &mut ImportJob,
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        progress: &mut impl FnMut(&ImportJob),
        seq: &mut i64,
    ) -> Result<(), String> {
        let source::CsvFile { csv, header, bytes } = source::open_csv(path, encoding)?;
        let map = match check_header(&header) {
            Ok(map) => map,
            Err(errors) => return Err(self.refuse_header(job, errors, seq)?),
        };
        // Two stages on two threads: this one checks batches against the database and
        // writes them while the reader parses, validates and hashes the next ones.
        let mut tally = Tally::default();
        std::thread::scope(|scope| -> Result<(), String> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(2);
            let reader = scope.spawn(move || self.read(csv, &map, &bytes, &tx));
            for parsed in rx {
                job.rows_processed += parsed.rows;
                tally.absorb(parsed.tally);
                if !parsed.pending.is_empty() {
                    self.flush(parsed.pending, &mut tally)?;
                }
                let problems = tally.settle(job);
                job.advance(parsed.bytes);
                self.save(job, problems, seq)?;
                progress(job);
            }
            reader
                .join()
                .map_err(|_| "the reading thread failed".to_owned())
        })
    }

    /// The reading stage: groups the file's rows by household, parses and checks each
    /// household, and sends batches of [`BATCH`] to the writing stage. Stops early when the
    /// writing stage has stopped.
    fn read<R: std::io::Read>(
        &self,
        mut csv: csv::Reader<R>,
        map: &ColumnMap,
        bytes: &AtomicU64,
        tx: &std::sync::mpsc::SyncSender<Parsed>,
    ) {
        let today = domain::identity::today_in_china();
        let mut parsed = Parsed::new();
        let mut group: Vec<(u64, csv::StringRecord)> = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let more = match csv.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let row = e.position().map_or(0, |p| p.line());
                    parsed.tally.fail(
                        1,
                        [ImportProblem::new(
                            row,
                            "",
                            "unreadable_row",
                            format!("row cannot be read: {e}"),
                            format!("该行无法读取：{e}"),
                        )],
                    );
                    continue;
                }
            };
            let row = record.position().map_or(0, |p| p.line());
            if more && map.household_number(&record).is_empty() {
                parsed.tally.fail(
                    1,
                    [ImportProblem::new(
                        row,
                        "household_number",
                        "required",
                        "every row needs its household_number",
                        "每一行都需要户编号",
                    )],
                );
                continue;
            }
            let boundary = !more
                || group.first().is_some_and(|(_, first)| {
                    map.household_number(first) != map.household_number(&record)
                });
            if boundary && !group.is_empty() {
                parsed.rows += i64::try_from(group.len()).unwrap_or(0);
                self.take(
                    map,
                    std::mem::take(&mut group),
                    today,
                    &mut parsed.pending,
                    &mut parsed.tally,
                );
            }
            if parsed.pending.len() >= BATCH || !more {
                parsed.bytes = bytes.load(Ordering::Relaxed);
                let full = std::mem::replace(&mut parsed, Parsed::new());
                if tx.send(full).is_err() {
                    return;
                }
            }
            if !more {
                return;
            }
            group.push((row, record.clone()));
        }
    }

    /// Parses one household's rows and applies the checks that need no database.
    fn take(
        &self,
        map: &ColumnMap,
        rows: Vec<(u64, csv::StringRecord)>,
        today: NaiveDate,
        batch: &mut Vec<Pending>,
        tally: &mut Tally,
    ) {
        let numbers: Vec<u64> = rows.iter().map(|(n, _)| *n).collect();
        let first = numbers.first().copied().unwrap_or(0);
        let household = match map.parse_rows(&rows, today) {
            Ok(h) => h,
            Err(errors) => {
                return tally.fail(rows.len(), errors.into_iter().map(ImportProblem::from));
            }
        };
        if let Some(within) = &self.within
            && !within.contains(&household.region_code)
        {
            return tally.fail(
                rows.len(),
                [ImportProblem::new(
                    first,
                    "region_code",
                    "outside_jurisdiction",
                    "the village is outside your jurisdiction",
                    "该村不在您的管辖范围内",
                )],
            );
        }
        if matches!(
            household.status,
            HouseholdStatus::Exited | HouseholdStatus::AtRisk
        ) && let Some(year) = household.exit_year
            && let Err(e) = household.check_exit(year, &self.importer.lines)
        {
            let detail = match &e {
                domain::DomainError::Unmet { conditions, .. } => conditions
                    .iter()
                    .map(|c| c.code)
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            return tally.fail(
                rows.len(),
                [ImportProblem::new(
                    first,
                    "status",
                    "exit_conditions_unmet",
                    format!("an exited household must meet the exit standard; unmet: {detail}"),
                    format!("已脱贫户须符合脱贫标准；未满足：{detail}"),
                )],
            );
        }
        let seal = Seal::of(&self.importer.keys, &household);
        batch.push(Pending {
            household,
            rows: numbers,
            seal,
        });
    }
}
