//! Household export: pages through the registry in id order on a blocking thread and hands
//! chunks to the response stream through a small bounded channel, so memory stays flat
//! however large the export.

use std::sync::Arc;

use actix_web::web::Bytes;
use tokio::sync::mpsc;

use domain::region::RegionCode;
use domain::registry::csv_layout::{ALL_COLUMNS, rows_for};
use persistence::crypto::DataKeys;
use persistence::registry::households as store;
use persistence::{DbConn, DbPool};

use crate::personal::Disclosure;
use crate::routes::registry::views::HouseholdView;

/// Households per page (and per chunk sent).
const PAGE: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

/// What to export and how much to show.
#[derive(Debug, Clone)]
pub struct ExportSpec {
    pub within: Option<RegionCode>,
    pub format: Format,
    pub disclosure: Disclosure,
    /// The caller's region filter lies outside their jurisdiction: the export is empty.
    pub empty: bool,
}

/// Writes the whole export through `emit`, page by page. Stops early (Ok) when `emit` says
/// the reader went away.
pub fn write_all(
    conn: &mut DbConn,
    keys: &DataKeys,
    spec: &ExportSpec,
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
        let mut chunk = Vec::with_capacity(256 * page.len());
        let mut csv_out = csv::Writer::from_writer(Vec::new());
        for entry in &page {
            match spec.format {
                Format::Csv => {
                    for record in rows_for(&entry.household, spec.disclosure.is_full()) {
                        csv_out.write_record(&record).map_err(|e| e.to_string())?;
                    }
                }
                Format::Ndjson => {
                    serde_json::to_writer(
                        &mut chunk,
                        &HouseholdView::build(entry, spec.disclosure),
                    )
                    .map_err(|e| e.to_string())?;
                    chunk.push(b'\n');
                }
            }
            count += 1;
        }
        if spec.format == Format::Csv {
            chunk = csv_out.into_inner().map_err(|e| e.to_string())?;
        }
        if !emit(chunk) {
            return Ok(count);
        }
        if page.len() < usize::try_from(PAGE).unwrap_or(usize::MAX) {
            return Ok(count);
        }
    }
}

/// Starts the export on a blocking thread; the receiver yields its chunks.
pub fn stream(
    pool: DbPool,
    keys: Arc<DataKeys>,
    spec: ExportSpec,
) -> mpsc::Receiver<Result<Bytes, std::io::Error>> {
    let (tx, rx) = mpsc::channel(4);
    actix_web::rt::task::spawn_blocking(move || {
        let result = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
            write_all(&mut conn, &keys, &spec, |chunk| {
                tx.blocking_send(Ok(Bytes::from(chunk))).is_ok()
            })
        });
        if let Err(e) = result {
            tracing::error!(error = %e, "export failed midway");
            let _ = tx.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    rx
}
