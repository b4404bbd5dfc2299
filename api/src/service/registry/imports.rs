//! Bulk import of households from the documented CSV layout (`docs/registry-csv.md`): an
//! official's import runs in the background and is read back as a job; the command line
//! imports as the platform, on its own thread. Both go through the same engine and are
//! audited once per import as `registry.import`.

mod engine;
mod source;
mod spool;
mod tally;
mod villages;
mod write;

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;

use domain::identity::Principal;
use domain::registry::{IMPORT_STALE_AFTER, ImportJob, ImportKind, ImportProblem, PovertyLines};
use persistence::crypto::DataKeys;
use persistence::registry::imports as jobs;
use persistence::{DbConn, DbPool, PersistenceError, Sweep, sweep_lock, write_transaction};

use self::engine::Engine;
pub use self::spool::{Spool, spool_dir};
use crate::service::scope::scope_of;
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// What the import engine works with: the pool (an import writes many transactions, long
/// after the request that started it), the keys of the personal columns, the poverty
/// lines of the exit rule, and the instance that runs the job (its heartbeat's owner).
#[derive(Debug, Clone)]
pub struct Importer {
    pub pool: DbPool,
    pub keys: Arc<DataKeys>,
    pub lines: PovertyLines,
    pub owner: Arc<str>,
}

impl Importer {
    pub fn new(
        pool: &DbPool,
        keys: &Arc<DataKeys>,
        lines: &PovertyLines,
        owner: &Arc<str>,
    ) -> Self {
        Self {
            pool: pool.clone(),
            keys: keys.clone(),
            lines: lines.clone(),
            owner: owner.clone(),
        }
    }
}

/// A job with the first problems of its file.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub job: ImportJob,
    pub problems: Vec<ImportProblem>,
}

/// 403 before the file is read when the caller may import nowhere.
pub fn check_reach(who: &Principal) -> ServiceResult<()> {
    scope_of(who).map(|_| ())
}

/// Queues the import of the uploaded `file` by `who`, within their jurisdiction, and starts
/// it on its own thread; answers the job as queued. The spool file is removed when the job
/// ends, whatever the outcome. The audit event is recorded then too, with its counts.
pub fn submit(
    conn: &mut DbConn,
    importer: &Importer,
    who: Principal,
    meta: RequestMeta,
    kind: ImportKind,
    file: Spool,
) -> ServiceResult<ImportJob> {
    let within = scope_of(&who)?;
    let actor = Some(who.id().to_owned());
    let now = Utc::now();
    let job = ImportJob::new(kind, actor.clone(), within.clone(), file.len(), now);
    jobs::insert(conn, &job, &importer.owner, now.naive_utc())?;
    let engine = Engine {
        importer: importer.clone(),
        within,
        actor_id: actor,
    };
    let queued = job.clone();
    std::thread::Builder::new()
        .name(format!("import-{}", job.id))
        .spawn(move || {
            let id = job.id.clone();
            let path = file.path().to_owned();
            // The upload goes before the job says it ended (and with it if the job could
            // not be saved: a dropped spool removes its file).
            let done = engine.run(job, &path, |_| {}, move || file.remove());
            if let Err(e) = &done {
                tracing::error!(job = %id, error = %e, "import failed");
            }
            if let Err(e) = audit_import(&engine, &who, &meta, &id, done.as_ref().ok()) {
                tracing::error!(job = %id, error = %e, "import audit event not recorded");
            }
        })
        .map_err(|e| ServiceError::internal(format!("cannot start the import: {e}")))?;
    Ok(queued)
}

/// Removes the spool files of imports whose process stopped without ending them (killed,
/// crashed): run at start-up, before any import of this process starts. Spools held by a
/// living process (another instance sharing the data folder) are kept.
pub fn sweep_spool(data_dir: &Path) -> Result<usize, String> {
    let dir = spool_dir(data_dir);
    spool::sweep(&dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))
}

/// Fails the imports whose instance stopped: unfinished jobs whose heartbeat is older than
/// [`IMPORT_STALE_AFTER`]. Jobs another living instance is running keep their fresh
/// heartbeat and are left alone, so any instance may run this at start-up and on a timer.
/// A queued job of a stopped instance is failed too: its upload went with that instance.
/// One instance at a time sweeps; another waits for it and then finds nothing left.
pub fn fail_stale(conn: &mut DbConn) -> ServiceResult<usize> {
    let now = Utc::now();
    let bound = chrono::TimeDelta::from_std(IMPORT_STALE_AFTER)
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    let message = format!(
        "interrupted: the server running this import stopped (no sign of life for {} s); \
         import the file again (imports are idempotent)",
        IMPORT_STALE_AFTER.as_secs()
    );
    write_transaction(conn, |conn| {
        sweep_lock(conn, Sweep::StaleImports)?;
        Ok(jobs::fail_stale(
            conn,
            (now - bound).naive_utc(),
            now.naive_utc(),
            &message,
        )?)
    })
}

/// One audit event per import, with its counts (the households carry who wrote them).
fn audit_import(
    engine: &Engine,
    who: &Principal,
    meta: &RequestMeta,
    id: &str,
    done: Option<&ImportJob>,
) -> Result<(), String> {
    let event = Audit::by(who, "registry.import")
        .on("import_job", id)
        .at_maybe(who.region.as_ref());
    let event = match done {
        Some(j) => event.details(counts(j)),
        None => event.failed(),
    };
    let mut conn = engine.conn()?;
    event.record(&mut conn, meta).map_err(|e| e.to_string())
}

/// What an import came to, for its audit event.
fn counts(j: &ImportJob) -> serde_json::Value {
    serde_json::json!({
        "kind": j.kind.as_str(),
        "status": j.status.as_str(),
        "created": j.households_created,
        "updated": j.households_updated,
        "rejected": j.households_failed,
    })
}

/// The job `id` with its first problems, to the one who started it (and platform admins);
/// 404 to anyone else.
pub fn get(conn: &mut DbConn, who: &Principal, id: &str) -> ServiceResult<ImportReport> {
    let job = jobs::find(conn, id)?
        .filter(|j| j.visible_to(who))
        .ok_or_else(ServiceError::not_found)?;
    let problems = jobs::errors(conn, &job.id)?;
    Ok(ImportReport { job, problems })
}

/// Imports the `kind` file at `path` (`bytes` long) as the platform: everywhere, on this
/// thread. `progress` sees the job after every batch. Audited as the system.
pub fn import_as_system(
    importer: &Importer,
    kind: ImportKind,
    path: &Path,
    bytes: u64,
    progress: impl FnMut(&ImportJob),
) -> ServiceResult<ImportReport> {
    let now = Utc::now();
    let job = ImportJob::new(kind, None, None, bytes, now);
    let engine = Engine {
        importer: importer.clone(),
        within: None,
        actor_id: None,
    };
    jobs::insert(
        &mut *connect(importer)?,
        &job,
        &importer.owner,
        now.naive_utc(),
    )?;
    let done = engine
        .run(job, path, progress, || {})
        .map_err(ServiceError::internal)?;
    // Connections are taken one at a time: the engine needs its own while it runs.
    let mut conn = connect(importer)?;
    let problems = jobs::errors(&mut conn, &done.id)?;
    let event = Audit::system("registry.import")
        .on("import_job", &done.id)
        .details(counts(&done));
    let event = if done.status.read_through() {
        event
    } else {
        event.failed()
    };
    event.record(&mut conn, &RequestMeta::default())?;
    Ok(ImportReport {
        job: done,
        problems,
    })
}

/// The problem of a row another import wrote first (two imports of overlapping files at
/// once): this import lost the race for it, and says so.
fn lost_race(row: u64, column: &str) -> ImportProblem {
    ImportProblem::new(
        row,
        column,
        "lost_to_concurrent_import",
        "another import running at the same time wrote this record first; this import lost \
         the race for it and did not write it (import the file again to apply this row)",
        "同时进行的另一导入已先写入该记录；本次导入未能写入（如需以本行为准，请重新导入该文件）",
    )
}

fn connect(importer: &Importer) -> ServiceResult<persistence::db::PooledConn> {
    Ok(importer.pool.get().map_err(PersistenceError::from)?)
}
