//! Connections and pools over both backends, and the write-transaction guard.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;

use crate::PersistenceError;

/// One connection to whichever backend the URL named. Queries written once against this
/// type run on both; the few that need backend-specific SQL use [`crate::on_backend!`].
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl std::fmt::Debug for DbConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DbConn::Postgresql(_) => "DbConn::Postgresql",
            DbConn::Sqlite(_) => "DbConn::Sqlite",
        })
    }
}

/// Runs the same diesel expression on the concrete connection inside a [`DbConn`], for the
/// SQL that diesel's multi-backend cannot express (`ON CONFLICT`, for example).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::DbConn::Postgresql($c) => $body,
            $crate::DbConn::Sqlite($c) => $body,
        }
    };
}

/// The backend a database URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// `postgres://…` or `postgresql://…`, passed to libpq unchanged.
    Postgres(String),
    /// `sqlite://PATH`: the file (created on first use, with its folder).
    Sqlite(String),
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, PersistenceError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres(url.to_owned()))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.contains(":memory:") {
                return Err(PersistenceError::Config(format!(
                    "database URL {url:?} names no SQLite file; use sqlite://PATH (in-memory databases cannot be shared by a pool)"
                )));
            }
            Ok(Backend::Sqlite(path.to_owned()))
        } else {
            let scheme = url.split_once("://").map_or(url, |(s, _)| s);
            Err(PersistenceError::Config(format!(
                "unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            )))
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Postgres(_) => "postgres",
            Backend::Sqlite(_) => "sqlite",
        }
    }

    fn establish(&self) -> ConnectionResult<DbConn> {
        match self {
            Backend::Postgres(url) => {
                let conn = PgConnection::establish(url)?;
                Ok(DbConn::Postgresql(conn))
            }
            Backend::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                // Every connection, not just the first: these are per-connection settings.
                // A 64 MiB page cache (allocated only as used): bulk writes touch index pages
                // all over the file, and the default 2 MiB makes them re-read the same pages.
                conn.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; \
                     PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
                     PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

/// Makes connections for the pool from the one backend the URL named, so a PostgreSQL
/// failure is reported as libpq's own message rather than tried as a SQLite file name.
#[derive(Debug)]
pub struct Manager(Backend);

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.0.establish().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        conn.is_broken()
    }
}

pub type DbPool = r2d2::Pool<Manager>;

/// A connection checked out of the pool.
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// Creates a new SQLite database file readable and writable by its owner only (0600), so
/// the personal data in it is not open to other users of the machine. SQLite gives its
/// `-wal` and `-shm` files the main file's mode. An existing file is left as it is.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens a pool, failing fast with the database's own words if it cannot be reached.
pub fn connect(url: &str, max_size: u32) -> Result<DbPool, PersistenceError> {
    let backend = Backend::from_url(url)?;
    if let Backend::Sqlite(path) = &backend
        && let Some(dir) = std::path::Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| {
            PersistenceError::Config(format!("cannot create folder {}: {e}", dir.display()))
        })?;
    }
    if let Backend::Sqlite(path) = &backend {
        create_private(std::path::Path::new(path)).map_err(|e| {
            PersistenceError::Config(format!("cannot create the database file {path}: {e}"))
        })?;
    }
    // One connection up front: its error is the real reason (libpq's message, or SQLite's).
    let first = backend.establish().map_err(|e| {
        PersistenceError::Unavailable(format!(
            "cannot connect to the {} database: {e}",
            backend.name()
        ))
    })?;
    drop(first);
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .test_on_check_out(false)
        .build_unchecked(Manager(backend));
    Ok(pool)
}

/// Runs `f` in a transaction that holds the write lock from its first statement: `BEGIN
/// IMMEDIATE` on SQLite, so read-then-write sequences cannot interleave; a plain
/// transaction on PostgreSQL, where the guard is row locks or conditional updates inside
/// `f`. Nested calls become savepoints.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<PersistenceError>,
{
    type Tm = <DbConn as Connection>::TransactionManager;
    let db = |e: diesel::result::Error| E::from(PersistenceError::from(e));
    let outermost = Tm::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(db)?
        .is_none();
    match conn {
        DbConn::Sqlite(c) if outermost => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE").map_err(db)?;
        }
        _ => Tm::begin_transaction(conn).map_err(db)?,
    }
    commit_or_roll_back(conn, f)
}

/// Background work that instances sharing one database must not do at the same time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sweep {
    /// Moving needs past their deadline to `expired`.
    NeedExpiry,
    /// Failing the imports of stopped instances.
    StaleImports,
}

impl Sweep {
    /// The sweep's PostgreSQL advisory lock key: `fupin` in ASCII, then the sweep's number,
    /// so it stays clear of any other application's keys on a shared server.
    fn lock_key(self) -> i64 {
        const BASE: i64 = 0x6675_7069_6e00_0000;
        BASE + match self {
            Sweep::NeedExpiry => 1,
            Sweep::StaleImports => 2,
        }
    }
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    locked: bool,
}

/// Like [`try_sweep_lock`], but waits for the instance running `sweep` to finish it (for
/// short sweeps whose caller wants their outcome settled when it returns, like a start-up).
pub fn sweep_lock(conn: &mut DbConn, sweep: Sweep) -> Result<(), PersistenceError> {
    if let DbConn::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(sweep.lock_key())
            .execute(pg)?;
    }
    Ok(())
}

/// Claims `sweep` for the rest of the current transaction (call it inside
/// [`write_transaction`]): `true` when this connection may run it, `false` when another
/// instance is running it right now (skip: that one does the work, and would leave nothing
/// for a second pass). PostgreSQL: `pg_try_advisory_xact_lock`, released at commit or
/// rollback, never waited on. SQLite: always `true`; a database file has one writer at a
/// time (`BEGIN IMMEDIATE`), so sweeps already run one after the other there.
pub fn try_sweep_lock(conn: &mut DbConn, sweep: Sweep) -> Result<bool, PersistenceError> {
    match conn {
        DbConn::Postgresql(pg) => {
            let row: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<diesel::sql_types::BigInt, _>(sweep.lock_key())
                .get_result(pg)?;
            Ok(row.locked)
        }
        DbConn::Sqlite(_) => Ok(true),
    }
}

/// Runs `f` in the transaction just begun: commits on success, rolls back on error.
fn commit_or_roll_back<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<PersistenceError>,
{
    type Tm = <DbConn as Connection>::TransactionManager;
    match f(conn) {
        Ok(value) => {
            Tm::commit_transaction(conn).map_err(|e| E::from(PersistenceError::from(e)))?;
            Ok(value)
        }
        Err(e) => {
            // The original error matters more than a failed rollback; diesel marks the
            // connection broken in that case and the pool discards it.
            let _ = Tm::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// Runs `f`, which only reads, on one consistent snapshot: several queries that must agree
/// (a page and the figures about it) see the same committed state. `REPEATABLE READ, READ
/// ONLY` on PostgreSQL; a deferred transaction on SQLite, whose snapshot starts at its first
/// read (WAL mode).
pub fn read_snapshot<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<PersistenceError>,
{
    let db = |e: diesel::result::Error| E::from(PersistenceError::from(e));
    match conn {
        DbConn::Postgresql(c) => {
            AnsiTransactionManager::begin_transaction_sql(
                c,
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            )
            .map_err(db)?;
        }
        DbConn::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN DEFERRED").map_err(db)?;
        }
    }
    commit_or_roll_back(conn, f)
}

/// Inside a write transaction: commits of this transaction need not wait for the disk
/// (PostgreSQL `synchronous_commit = off`, for bulk imports that are idempotent and rerun
/// after a crash). SQLite in WAL mode with `synchronous = NORMAL` already does not.
pub fn relax_durability(conn: &mut DbConn) -> Result<(), PersistenceError> {
    if let DbConn::Postgresql(c) = conn {
        c.batch_execute("SET LOCAL synchronous_commit = off")?;
    }
    Ok(())
}

/// Runs `f` with PostgreSQL planning every execution with its actual parameters. diesel
/// prepares every statement; after five runs PostgreSQL may switch to a generic plan,
/// which for `col = ANY($1)` over large batches (the import's lookups) can be a full scan.
/// Everything else keeps the default, since planning each time halves the rate of small
/// queries such as a lookup by primary key.
pub fn with_custom_plans<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, PersistenceError>,
) -> Result<T, PersistenceError> {
    let pg = matches!(conn, DbConn::Postgresql(_));
    if pg {
        diesel::sql_query("SET plan_cache_mode = force_custom_plan").execute(conn)?;
    }
    let out = f(conn);
    if pg {
        let reset = diesel::sql_query("RESET plan_cache_mode").execute(conn);
        if out.is_ok() {
            reset?;
        }
    }
    out
}

/// A round trip to the database; answers the backend's name.
pub fn ping(conn: &mut DbConn) -> Result<&'static str, PersistenceError> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(match conn {
        DbConn::Postgresql(_) => "postgres",
        DbConn::Sqlite(_) => "sqlite",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_by_scheme() {
        assert_eq!(
            Backend::from_url("sqlite://data/fupin.db").unwrap(),
            Backend::Sqlite("data/fupin.db".into())
        );
        assert!(matches!(
            Backend::from_url("postgresql://u@h/d").unwrap(),
            Backend::Postgres(_)
        ));
        let err = Backend::from_url("mysql://root@localhost/fupin").unwrap_err();
        assert!(err.to_string().contains("\"mysql\""), "{err}");
        assert!(Backend::from_url("data/fupin.db").is_err());
        assert!(Backend::from_url("sqlite://:memory:").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_new_sqlite_file_is_private_to_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("fupin-db-mode-{}", uuid::Uuid::now_v7()));
        let file = dir.join("fupin.db");
        let pool = connect(&format!("sqlite://{}", file.display()), 1).unwrap();
        diesel::sql_query("CREATE TABLE t (x INTEGER)")
            .execute(&mut *pool.get().unwrap())
            .unwrap();
        for path in [file.clone(), dir.join("fupin.db-wal")] {
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
        }
        drop(pool);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
