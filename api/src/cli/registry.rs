//! The registry's command-line tools: `fupin import households|villages FILE` (with a
//! progress bar) and `fupin export households`. They act as the platform (no jurisdiction) and are
//! audited as the system.

use std::io::Write;
use std::path::Path;

use domain::region::RegionCode;
use domain::registry::{ImportJob, ImportKind};

use crate::routes::registry::views::HouseholdView;
use crate::service::ServiceError;
use crate::service::registry::exports::{self, Format};
use crate::service::registry::imports::{self, Importer};
use crate::state::AppState;

/// The file formats of `fupin export households`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Ndjson,
}

/// Imports `file` as the platform, showing progress, and prints the first row errors.
pub async fn import(state: &AppState, kind: ImportKind, file: &Path) -> Result<ImportJob, String> {
    let bytes = std::fs::metadata(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?
        .len();
    let importer = Importer::new(
        &state.pool,
        &state.data_keys,
        &state.poverty_lines,
        &state.instance,
    );
    let file = file.to_owned();
    actix_web::rt::task::spawn_blocking(move || {
        let bar = indicatif::ProgressBar::new(bytes);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {percent:>3}% {bytes}/{total_bytes} {msg} [{elapsed_precise}, ETA {eta}]",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        let done = imports::import_as_system(&importer, kind, &file, bytes, |j| {
            bar.set_position(u64::try_from(j.bytes_processed).unwrap_or(0));
            bar.set_message(format!(
                "{} {}, {} rejected",
                j.households_created + j.households_updated + j.households_unchanged,
                kind.as_str(),
                j.households_failed
            ));
        });
        bar.finish();
        let report = done.map_err(|e| say(&e))?;
        for p in report.problems.iter().take(20) {
            eprintln!("row {} {}: {} ({})", p.row, p.column, p.message_en, p.code);
        }
        Ok(report.job)
    })
    .await
    .map_err(|e| e.to_string())?
}

/// A use case's failure as one line for the terminal.
fn say(e: &ServiceError) -> String {
    e.internal.clone().unwrap_or_else(|| e.detail_en.clone())
}

pub async fn export_households(
    state: &AppState,
    format: ExportFormat,
    region: Option<&str>,
    out: Option<&Path>,
) -> Result<(), String> {
    let within = region
        .map(RegionCode::parse)
        .transpose()
        .map_err(|e| e.message_en)?;
    let format = match format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Ndjson => Format::Ndjson,
    };
    let pool = state.pool.clone();
    let keys = state.data_keys.clone();
    let out = out.map(Path::to_owned);
    actix_web::rt::task::spawn_blocking(move || {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        let mut sink: Box<dyn Write> = match &out {
            Some(p) => Box::new(std::io::BufWriter::new(
                std::fs::File::create(p)
                    .map_err(|e| format!("cannot write {}: {e}", p.display()))?,
            )),
            None => Box::new(std::io::BufWriter::new(std::io::stdout())),
        };
        let line = HouseholdView::write_line;
        let n = exports::export_as_system(&mut conn, &keys, within, format, line, &mut sink)
            .map_err(|e| say(&e))?;
        eprintln!("exported {n} households");
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())?
}
