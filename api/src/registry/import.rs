//! The household import engine, shared by `POST /imports` and `fupin import households`:
//! streams the file (constant memory), parses each household's rows with the domain's
//! layout, checks what needs the database in batches, and writes each batch in one
//! transaction. A bad household never stops the good ones and is never half-written; a
//! household whose content is unchanged is not written at all, so importing the same file
//! twice changes nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};

use domain::region::RegionCode;
use domain::registry::csv_layout::{ColumnMap, RowError, check_header};
use domain::registry::{Household, HouseholdStatus, PovertyLines, RegisteredHousehold};
use persistence::crypto::DataKeys;
use persistence::registry::columns::Seal;
use persistence::registry::households::{self as store, Encoded};
use persistence::registry::imports::{self as jobs, ImportErrorRow, ImportJobRow};
use persistence::registry::villages;
use persistence::{DbConn, DbPool, PersistenceError, write_transaction};

use super::source;

/// Households written per transaction.
pub const BATCH: usize = 5000;

/// Who imports, and where they may.
#[derive(Debug, Clone)]
pub struct ImportScope {
    /// The importer's jurisdiction; `None`: everywhere.
    pub within: Option<RegionCode>,
    pub actor_id: Option<String>,
}

/// What the engine needs besides the file.
#[derive(Debug, Clone)]
pub struct Importer {
    pub pool: DbPool,
    pub keys: Arc<DataKeys>,
    pub lines: PovertyLines,
    pub scope: ImportScope,
}

/// One problem, located in the file.
#[derive(Debug, Clone)]
pub struct Problem {
    pub row: u64,
    pub column: String,
    pub code: String,
    pub message_en: String,
    pub message_zh: String,
}

impl From<RowError> for Problem {
    fn from(e: RowError) -> Self {
        Problem {
            row: e.row,
            column: e.column,
            code: e.code.to_owned(),
            message_en: e.message_en,
            message_zh: e.message_zh,
        }
    }
}

fn problem(
    row: u64,
    column: &str,
    code: &str,
    en: impl Into<String>,
    zh: impl Into<String>,
) -> Problem {
    Problem {
        row,
        column: column.to_owned(),
        code: code.to_owned(),
        message_en: en.into(),
        message_zh: zh.into(),
    }
}

/// A parsed household waiting for its batch, with the file rows it came from.
#[derive(Debug)]
struct Pending {
    household: Household,
    rows: Vec<u64>,
    /// Keyed hashes of the members' ID numbers, and the content fingerprint: computed by
    /// the reading thread, so the writing thread only talks to the database.
    seal: Seal,
}

/// What the reading thread hands the writing thread: a batch of parsed households, the
/// rows that failed to parse, and how far into the file it has read.
struct Parsed {
    pending: Vec<Pending>,
    tally: Tally,
    rows: i64,
    bytes: u64,
}

#[derive(Debug, Default)]
struct Tally {
    created: i64,
    updated: i64,
    unchanged: i64,
    failed: i64,
    rows_failed: i64,
    problems: Vec<Problem>,
}

impl Tally {
    fn absorb(&mut self, other: Tally) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.failed += other.failed;
        self.rows_failed += other.rows_failed;
        self.problems.extend(other.problems);
    }

    fn fail(&mut self, rows: usize, problems: impl IntoIterator<Item = Problem>) {
        self.failed += 1;
        self.rows_failed += i64::try_from(rows).unwrap_or(i64::MAX);
        self.problems.extend(problems);
    }
}

impl Importer {
    fn conn(&self) -> Result<persistence::db::PooledConn, String> {
        self.pool
            .get()
            .map_err(|e| format!("database unavailable: {e}"))
    }

    /// Runs job `job_id` over the file at `path`. `progress` is called after every batch
    /// with the job as saved.
    pub fn run(
        &self,
        job_id: &str,
        path: &Path,
        mut progress: impl FnMut(&ImportJobRow),
    ) -> Result<ImportJobRow, String> {
        let mut job = jobs::find(&mut *self.conn()?, job_id)
            .map_err(|e| e.to_string())?
            .ok_or("no such job")?;
        let now = Utc::now().naive_utc();
        job.status = "running".to_owned();
        job.started_at = Some(now);
        let encoding = source::detect(path).map_err(|e| format!("cannot read the file: {e}"))?;
        job.encoding = Some(encoding.name().to_owned());
        let mut seq = 0;
        self.save(&job, Vec::new(), &mut seq)?;
        let outcome = self.process(&mut job, path, encoding, &mut progress, &mut seq);
        job.finished_at = Some(Utc::now().naive_utc());
        match outcome {
            Ok(()) => {
                job.status = "succeeded".to_owned();
                job.bytes_processed = job.bytes_total;
            }
            Err(message) => {
                job.status = "failed".to_owned();
                job.message = Some(message);
            }
        }
        self.save(&job, Vec::new(), &mut seq)?;
        progress(&job);
        Ok(job)
    }

    /// Saves the job and the problems found since the last save (numbered on from `seq`;
    /// only the first [`jobs::MAX_ERRORS`] are kept).
    fn save(
        &self,
        job: &ImportJobRow,
        problems: Vec<Problem>,
        seq: &mut i64,
    ) -> Result<(), String> {
        let mut rows = Vec::new();
        for p in problems {
            *seq += 1;
            if *seq > jobs::MAX_ERRORS {
                continue;
            }
            rows.push(ImportErrorRow {
                job_id: job.id.clone(),
                seq: i32::try_from(*seq).unwrap_or(i32::MAX),
                row_number: i64::try_from(p.row).unwrap_or(i64::MAX),
                column_name: p.column,
                code: p.code,
                message_en: p.message_en,
                message_zh: p.message_zh,
            });
        }
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| -> Result<(), PersistenceError> {
            jobs::add_errors(conn, &rows)?;
            jobs::save(conn, job)
        })
        .map_err(|e| e.to_string())
    }

    fn process(
        &self,
        job: &mut ImportJobRow,
        path: &Path,
        encoding: &'static encoding_rs::Encoding,
        progress: &mut impl FnMut(&ImportJobRow),
        seq: &mut i64,
    ) -> Result<(), String> {
        let (reader, bytes) =
            source::open(path, encoding).map_err(|e| format!("cannot read the file: {e}"))?;
        let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let header: Vec<String> = csv
            .headers()
            .map_err(|e| format!("cannot read the header row: {e}"))?
            .iter()
            .map(str::to_owned)
            .collect();
        let map = match check_header(&header) {
            Ok(map) => map,
            Err(errors) => {
                let problems: Vec<Problem> = errors.into_iter().map(Problem::from).collect();
                job.rows_failed = 1;
                self.save(job, problems, seq)?;
                return Err("the header row does not follow the layout; see the errors".to_owned());
            }
        };
        // Two stages on two threads: this one checks batches against the database and
        // writes them while the reader parses, validates and hashes the next ones.
        let mut tally = Tally::default();
        let outcome = std::thread::scope(|scope| -> Result<(), String> {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Parsed>(2);
            let reader = scope.spawn(move || self.read(csv, &map, &bytes, &tx));
            for parsed in rx {
                job.rows_processed += parsed.rows;
                tally.absorb(parsed.tally);
                if !parsed.pending.is_empty() {
                    self.flush(parsed.pending, &mut tally)?;
                }
                self.report(job, &mut tally, parsed.bytes, seq)?;
                progress(job);
            }
            reader
                .join()
                .map_err(|_| "the reading thread failed".to_owned())
        });
        outcome?;
        job.message = Some(format!(
            "{} created, {} updated, {} unchanged, {} rejected ({} rows)",
            job.households_created,
            job.households_updated,
            job.households_unchanged,
            job.households_failed,
            job.rows_failed
        ));
        Ok(())
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
        let mut parsed = Parsed {
            pending: Vec::with_capacity(BATCH),
            tally: Tally::default(),
            rows: 0,
            bytes: 0,
        };
        let mut group: Vec<(u64, csv::StringRecord)> = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let more = match csv.read_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let row = e.position().map_or(0, |p| p.line());
                    parsed.tally.fail(
                        1,
                        [problem(
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
                    [problem(
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
                let full = std::mem::replace(
                    &mut parsed,
                    Parsed {
                        pending: Vec::with_capacity(BATCH),
                        tally: Tally::default(),
                        rows: 0,
                        bytes: 0,
                    },
                );
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

    /// Adds the tally to the job's counts and saves both.
    fn report(
        &self,
        job: &mut ImportJobRow,
        tally: &mut Tally,
        bytes: u64,
        seq: &mut i64,
    ) -> Result<(), String> {
        job.households_created += std::mem::take(&mut tally.created);
        job.households_updated += std::mem::take(&mut tally.updated);
        job.households_unchanged += std::mem::take(&mut tally.unchanged);
        job.households_failed += std::mem::take(&mut tally.failed);
        job.rows_failed += std::mem::take(&mut tally.rows_failed);
        job.bytes_processed = i64::try_from(bytes)
            .unwrap_or(i64::MAX)
            .min(job.bytes_total);
        self.save(job, std::mem::take(&mut tally.problems), seq)
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
            Err(errors) => return tally.fail(rows.len(), errors.into_iter().map(Problem::from)),
        };
        if let Some(within) = &self.scope.within
            && !within.contains(&household.region_code)
        {
            return tally.fail(
                rows.len(),
                [problem(
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
            && let Err(e) = household.check_exit(year, &self.lines)
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
                [problem(
                    first,
                    "status",
                    "exit_conditions_unmet",
                    format!("an exited household must meet the exit standard; unmet: {detail}"),
                    format!("已脱贫户须符合脱贫标准；未满足：{detail}"),
                )],
            );
        }
        let seal = Seal::of(&self.keys, &household);
        batch.push(Pending {
            household,
            rows: numbers,
            seal,
        });
    }

    /// Checks a batch against the database and writes it in one transaction; if that
    /// transaction fails (a concurrent import took a number or a person first), writes the
    /// households one by one so only the conflicting ones fail.
    fn flush(&self, pending: Vec<Pending>, tally: &mut Tally) -> Result<(), String> {
        let mut conn = self.conn()?;
        let plan = self
            .plan(&mut conn, pending, tally)
            .map_err(|e| e.to_string())?;
        let all = write_transaction(&mut conn, |conn| -> Result<Vec<usize>, PersistenceError> {
            apply(conn, &plan)
        });
        match all {
            Ok(stale) => {
                count(&plan, &stale, tally);
                Ok(())
            }
            Err(_) => {
                for one in plan.split() {
                    match write_transaction(
                        &mut conn,
                        |conn| -> Result<Vec<usize>, PersistenceError> { apply(conn, &one) },
                    ) {
                        Ok(stale) => count(&one, &stale, tally),
                        Err(e) => {
                            let p = one.writes.first().map_or(0, |w| w.first_row);
                            tally.fail(
                                one.writes.first().map_or(1, |w| w.row_count),
                                [problem(
                                    p,
                                    "household_number",
                                    "conflict",
                                    format!("could not be written: {e}"),
                                    format!("无法写入：{e}"),
                                )],
                            );
                        }
                    }
                }
                Ok(())
            }
        }
    }

    fn plan(
        &self,
        conn: &mut DbConn,
        pending: Vec<Pending>,
        tally: &mut Tally,
    ) -> Result<Plan, PersistenceError> {
        let numbers: Vec<String> = pending
            .iter()
            .map(|p| p.household.household_number.as_str().to_owned())
            .collect();
        let existing: HashMap<String, store::Existing> = store::existing_by_number(conn, &numbers)?
            .into_iter()
            .collect();
        let codes: Vec<String> = pending
            .iter()
            .map(|p| p.household.region_code.to_string())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let known: HashSet<String> = persistence::region::existing_codes(conn, &codes)?
            .into_iter()
            .collect();
        let poor: HashSet<String> = villages::registered_among(conn, &codes)?
            .into_iter()
            .collect();
        let flat: Vec<String> = pending
            .iter()
            .flat_map(|p| p.seal.indexes().iter().cloned())
            .collect();
        let owners: HashMap<String, String> = store::owners_of(conn, &flat)?
            .into_iter()
            .map(|o| (o.index, o.household_id))
            .collect();
        let now = Utc::now();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut writes = Vec::new();
        for (i, p) in pending.into_iter().enumerate() {
            let h = &p.household;
            let first = p.rows.first().copied().unwrap_or(0);
            let region = h.region_code.to_string();
            let current = existing.get(h.household_number.as_str());
            let fail = |tally: &mut Tally, pr: Problem| tally.fail(p.rows.len(), [pr]);
            if !known.contains(&region) {
                fail(
                    tally,
                    problem(
                        first,
                        "region_code",
                        "unknown_region",
                        format!("no village {region}"),
                        format!("村 {region} 不存在"),
                    ),
                );
                continue;
            }
            if !h.scattered && !poor.contains(&region) {
                fail(
                    tally,
                    problem(
                        first,
                        "scattered",
                        "not_a_poor_village",
                        "the village is not a registered poor village: register it, or mark the household scattered (插花贫困户)",
                        "该村不是建档立卡贫困村：请先登记贫困村，或将该户标为插花贫困户",
                    ),
                );
                continue;
            }
            if let (Some(cur), Some(within)) = (current, &self.scope.within)
                && !within.contains(&cur.region_code)
            {
                fail(
                    tally,
                    problem(
                        first,
                        "household_number",
                        "outside_jurisdiction",
                        "this household number belongs to a household outside your jurisdiction",
                        "该户编号属于您管辖范围外的农户",
                    ),
                );
                continue;
            }
            let own_id = current.map(|c| c.id.as_str());
            let clash = p.seal.indexes().iter().enumerate().find(|(_, index)| {
                owners
                    .get(*index)
                    .is_some_and(|owner| Some(owner.as_str()) != own_id)
                    || seen.get(*index).is_some_and(|other| *other != i)
            });
            if let Some((m, _)) = clash {
                let row = p.rows.get(m).copied().unwrap_or(first);
                fail(
                    tally,
                    problem(
                        row,
                        "member_id_number",
                        "duplicate_person",
                        "this person is already registered in another household",
                        "此人已登记在其他农户中",
                    ),
                );
                continue;
            }
            for index in p.seal.indexes() {
                seen.insert(index.clone(), i);
            }
            let kind = match current {
                Some(cur) if cur.content_hash == p.seal.fingerprint() => {
                    tally.unchanged += 1;
                    continue;
                }
                Some(cur) => WriteKind::Update {
                    expected_version: cur.version,
                    old_status: cur.status,
                },
                None => WriteKind::Insert,
            };
            let entry = RegisteredHousehold {
                id: current.map_or_else(|| uuid::Uuid::now_v7().to_string(), |c| c.id.clone()),
                household: p.household,
                version: current.map_or(1, |c| c.version + 1),
                created_at: current.map_or(now, |c| c.created_at),
                created_by: current
                    .map_or_else(|| self.scope.actor_id.clone(), |c| c.created_by.clone()),
                updated_by: self.scope.actor_id.clone(),
                updated_at: now,
            };
            let encoded = store::encode(&self.keys, &entry, &p.seal);
            writes.push(Write {
                entry,
                encoded,
                kind,
                first_row: first,
                row_count: p.rows.len(),
            });
        }
        Ok(Plan {
            writes,
            actor: self.scope.actor_id.clone(),
            now,
        })
    }
}

#[derive(Debug)]
enum WriteKind {
    Insert,
    Update {
        expected_version: i32,
        old_status: HouseholdStatus,
    },
}

#[derive(Debug)]
struct Write {
    entry: RegisteredHousehold,
    encoded: Encoded,
    kind: WriteKind,
    first_row: u64,
    row_count: usize,
}

#[derive(Debug)]
struct Plan {
    writes: Vec<Write>,
    actor: Option<String>,
    now: DateTime<Utc>,
}

impl Plan {
    fn split(self) -> Vec<Plan> {
        let (actor, now) = (self.actor, self.now);
        self.writes
            .into_iter()
            .map(|w| Plan {
                writes: vec![w],
                actor: actor.clone(),
                now,
            })
            .collect()
    }
}

/// Writes a plan; returns the indexes of updates that found the household changed since it
/// was read (they are not written).
fn apply(conn: &mut DbConn, plan: &Plan) -> Result<Vec<usize>, PersistenceError> {
    // A crash can lose the last batches, never corrupt them; the job is then marked failed
    // and the file imported again (imports are idempotent).
    persistence::db::relax_durability(conn)?;
    let inserts: Vec<&Encoded> = plan
        .writes
        .iter()
        .filter(|w| matches!(w.kind, WriteKind::Insert))
        .map(|w| &w.encoded)
        .collect();
    store::insert_many(conn, &inserts)?;
    let mut stale = Vec::new();
    let mut changes = Vec::new();
    for (i, w) in plan.writes.iter().enumerate() {
        let from = match &w.kind {
            WriteKind::Insert => None,
            WriteKind::Update {
                expected_version,
                old_status,
            } => {
                if !store::replace(conn, &w.encoded, *expected_version)? {
                    stale.push(i);
                    continue;
                }
                if *old_status == w.entry.household.status {
                    continue;
                }
                Some(*old_status)
            }
        };
        changes.push(w.entry.status_change(
            from,
            Some("import".to_owned()),
            plan.actor.clone(),
            plan.now,
        ));
    }
    store::record_status_changes(conn, &changes)?;
    Ok(stale)
}

fn count(plan: &Plan, stale: &[usize], tally: &mut Tally) {
    for (i, w) in plan.writes.iter().enumerate() {
        if stale.contains(&i) {
            tally.fail(
                w.row_count,
                [problem(
                    w.first_row,
                    "household_number",
                    "conflict",
                    "the household was changed by someone else during the import",
                    "导入过程中该户已被他人修改",
                )],
            );
        } else if matches!(w.kind, WriteKind::Insert) {
            tally.created += 1;
        } else {
            tally.updated += 1;
        }
    }
}
