//! Household export: the register in bulk, as CSV (the import layout, so it round-trips) or
//! NDJSON, within the caller's jurisdiction and masked unless revealed. Pages through the
//! registry in id order on a blocking thread and hands chunks on through a small bounded
//! channel, so memory stays flat however large the export. Officials' exports and the
//! command line's are audited as `registry.export`.

use std::io::Write;
use std::sync::Arc;

use tokio::sync::mpsc;

use domain::FieldError;
use domain::identity::Principal;
use domain::region::RegionCode;
use domain::registry::RegisteredHousehold;
use domain::registry::csv_layout::{ALL_COLUMNS, rows_for};
use persistence::crypto::DataKeys;
use persistence::registry::households as store;
use persistence::{DbConn, DbPool};

use crate::personal::{self, Disclosure};
use crate::service::scope::{Reach, narrow, scope_of};
use crate::service::{Audit, RequestMeta, ServiceError, ServiceResult};

/// Households per page (and per chunk sent).
const PAGE: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The import layout, one row per member.
    Csv,
    /// One household per line, as the API shows it.
    Ndjson,
}

impl Format {
    /// `?format=`: `csv` (the default) or `ndjson`.
    pub fn parse(word: Option<&str>) -> Result<Self, FieldError> {
        match word.unwrap_or("csv") {
            "csv" => Ok(Format::Csv),
            "ndjson" => Ok(Format::Ndjson),
            other => Err(FieldError::new(
                "format",
                "unknown_format",
                format!("unknown format {other:?}: csv or ndjson"),
                format!("未知格式 {other:?}：应为 csv 或 ndjson"),
            )),
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
        }
    }
}

/// How a household becomes one NDJSON line: the API's JSON view of it, given by the caller
/// (the HTTP layer and the command line give the same one), so an export line is byte for
/// byte what `GET /households/{id}` shows.
pub type JsonLine =
    fn(&RegisteredHousehold, Disclosure, &mut Vec<u8>) -> Result<(), serde_json::Error>;

/// What to export and how much to show.
#[derive(Debug, Clone)]
pub struct ExportSpec {
    pub within: Option<RegionCode>,
    pub format: Format,
    pub disclosure: Disclosure,
    /// The caller's region filter lies outside their jurisdiction: the export is empty.
    pub empty: bool,
}

/// What an export request asks for.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: Format,
    /// This region and everything under it (within the caller's jurisdiction).
    pub region: Option<RegionCode>,
    /// Unmasked (checked and audited as a reveal).
    pub reveal: bool,
}

/// An export by `who`: narrowed to their jurisdiction, revealed only if they may (403
/// otherwise), and audited; answers what to [`stream`].
pub fn prepare(
    conn: &mut DbConn,
    who: &Principal,
    meta: &RequestMeta,
    request: ExportRequest,
) -> ServiceResult<ExportSpec> {
    let Reach::Within(within) = narrow(scope_of(who)?, request.region) else {
        return Ok(ExportSpec {
            within: None,
            format: request.format,
            disclosure: Disclosure::MASKED,
            empty: true,
        });
    };
    let object = within
        .as_ref()
        .map_or_else(|| "all".to_owned(), ToString::to_string);
    let disclosure = if request.reveal {
        let subject = personal::Subject {
            object_type: "household_export",
            object_id: &object,
            place: within.as_ref(),
            own: false,
        };
        personal::reveal(conn, who, meta, &subject)?
    } else {
        Disclosure::MASKED
    };
    Audit::by(who, "registry.export")
        .on("household_export", &object)
        .at_maybe(within.as_ref())
        .details(serde_json::json!({"revealed": disclosure.is_full()}))
        .record(conn, meta)?;
    Ok(ExportSpec {
        within,
        format: request.format,
        disclosure,
        empty: false,
    })
}

/// Exports everything (or `within`) unmasked, as the platform, into `sink`; audited as
/// the system with the count. Answers how many households were written.
pub fn export_as_system(
    conn: &mut DbConn,
    keys: &DataKeys,
    within: Option<RegionCode>,
    format: Format,
    line: JsonLine,
    sink: &mut dyn Write,
) -> ServiceResult<u64> {
    let spec = ExportSpec {
        within,
        format,
        disclosure: personal::system_disclosure(),
        empty: false,
    };
    let mut failed = None;
    let n = write_all(conn, keys, &spec, line, |chunk| {
        match sink.write_all(&chunk) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })
    .map_err(ServiceError::internal)?;
    if let Some(e) = failed {
        return Err(ServiceError::internal(e.to_string()));
    }
    sink.flush()
        .map_err(|e| ServiceError::internal(e.to_string()))?;
    Audit::system("registry.export")
        .on("household_export", "all")
        .details(serde_json::json!({"households": n, "revealed": true}))
        .record(conn, &RequestMeta::default())?;
    Ok(n)
}

/// Writes the whole export through `emit`, page by page. Stops early (Ok) when `emit` says
/// the reader went away.
pub fn write_all(
    conn: &mut DbConn,
    keys: &DataKeys,
    spec: &ExportSpec,
    line: JsonLine,
    mut emit: impl FnMut(Vec<u8>) -> bool,
) -> Result<u64, String> {
    let mut count = 0u64;
    if spec.format == Format::Csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(ALL_COLUMNS).map_err(|e| e.to_string())?;
        if !emit(w.into_inner().map_err(|e| e.to_string())?) {
            return Ok(0);
        }
    }
    if spec.empty {
        return Ok(0);
    }
    let mut after: Option<String> = None;
    let today = domain::identity::today_in_china();
    loop {
        let page = store::batch(
            conn,
            keys,
            spec.within.as_ref(),
            after.as_ref(),
            PAGE,
            today,
        )
        .map_err(|e| e.to_string())?;
        let Some(last) = page.last() else {
            return Ok(count);
        };
        after = Some(last.id.clone());
        let chunk = encode(&page, spec, line)?;
        count += page.len() as u64;
        if !emit(chunk) {
            return Ok(count);
        }
        if page.len() < usize::try_from(PAGE).unwrap_or(usize::MAX) {
            return Ok(count);
        }
    }
}

/// One page in the export's format.
fn encode(
    page: &[RegisteredHousehold],
    spec: &ExportSpec,
    line: JsonLine,
) -> Result<Vec<u8>, String> {
    match spec.format {
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            for entry in page {
                for record in rows_for(&entry.household, spec.disclosure.is_full()) {
                    out.write_record(&record).map_err(|e| e.to_string())?;
                }
            }
            out.into_inner().map_err(|e| e.to_string())
        }
        Format::Ndjson => {
            let mut chunk = Vec::with_capacity(256 * page.len());
            for entry in page {
                line(entry, spec.disclosure, &mut chunk).map_err(|e| e.to_string())?;
                chunk.push(b'\n');
            }
            Ok(chunk)
        }
    }
}

/// Starts the export on a blocking thread; the receiver yields its chunks.
pub fn stream(
    pool: DbPool,
    keys: Arc<DataKeys>,
    spec: ExportSpec,
    line: JsonLine,
) -> mpsc::Receiver<Result<Vec<u8>, std::io::Error>> {
    let (tx, rx) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let result = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
            write_all(&mut conn, &keys, &spec, line, |chunk| {
                tx.blocking_send(Ok(chunk)).is_ok()
            })
        });
        if let Err(e) = result {
            tracing::error!(error = %e, "export failed midway");
            let _ = tx.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    rx
}
