//! A bulk import of the register (批量导入): one file, read in the background, with its
//! progress, its counts and the problems found in it, row by row.
//!
//! ```text
//!   queued ──start──▶ running ──▶ succeeded              (every row imported)
//!                        ├──────▶ completed_with_errors  (some rows rejected)
//!                        └──────▶ failed                 (every row rejected, or the file
//!                                                          as a whole could not be read)
//! ```

use chrono::{DateTime, Utc};

use super::csv_layout::RowError;
use crate::FieldError;
use crate::identity::{Principal, redact_personal_numbers};
use crate::labels::labelled_enum;
use crate::region::RegionCode;

/// Row problems kept per job; the counts go on past it.
pub const MAX_IMPORT_PROBLEMS: i64 = 1000;

/// How often the process running an import proves it is alive (the job's heartbeat).
pub const IMPORT_HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(10);

/// An unfinished import whose heartbeat is older than this has lost its process (killed,
/// crashed, cut off from the database): any instance may then fail it. Six missed beats, so
/// a busy database or a long batch never fails a living import.
pub const IMPORT_STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

labelled_enum! {
    /// Where an import job stands.
    pub enum ImportStatus in "status" {
        /// 排队: accepted, not yet started.
        Queued = "queued", "排队中", [];
        /// 导入中: reading the file.
        Running = "running", "导入中", [];
        /// 已完成: the whole file was read and every row imported.
        Succeeded = "succeeded", "已完成", [];
        /// 部分完成: the whole file was read; some rows were rejected (see the errors).
        CompletedWithErrors = "completed_with_errors", "部分完成", [];
        /// 失败: nothing was imported: every row was rejected, or the file could not be
        /// read (unreadable, bad header, interrupted).
        Failed = "failed", "失败", [];
    }
}

impl ImportStatus {
    /// Whether the job will change no more.
    pub fn is_finished(self) -> bool {
        matches!(
            self,
            ImportStatus::Succeeded | ImportStatus::CompletedWithErrors | ImportStatus::Failed
        )
    }

    /// Whether the file was read to its end (every row imported or not).
    pub fn read_through(self) -> bool {
        matches!(
            self,
            ImportStatus::Succeeded | ImportStatus::CompletedWithErrors
        )
    }
}

/// What an import file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportKind {
    /// 贫困户: households with their members, in the layout of `docs/registry-csv.md`.
    Households,
    /// 贫困村: registered poor villages, in the layout of `docs/villages-csv.md`.
    Villages,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Households => "households",
            ImportKind::Villages => "villages",
        }
    }

    /// The `kind` a request names: exactly `households` or `villages`.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s {
            "households" => Ok(ImportKind::Households),
            "villages" => Ok(ImportKind::Villages),
            _ => Err(FieldError::new(
                "kind",
                "unknown_kind",
                "kind must be households or villages",
                "kind 应为 households 或 villages",
            )),
        }
    }
}

/// One problem of an import file, located by its line (the header is line 1) and column
/// (empty for the whole row). Its messages may quote a cell, so every ID or phone number
/// in them is masked when the problem is made ([`redact_personal_numbers`]): the stored
/// errors and the job's answer never hold one in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub row: u64,
    pub column: String,
    /// Stable machine word (`check_digit`, `outside_jurisdiction`, `duplicate_person`, ...).
    pub code: String,
    pub message_en: String,
    pub message_zh: String,
}

impl ImportProblem {
    pub fn new(
        row: u64,
        column: &str,
        code: &str,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Self {
        Self {
            row,
            column: redact_personal_numbers(column).into_owned(),
            code: code.to_owned(),
            message_en: redact_personal_numbers(&en.into()).into_owned(),
            message_zh: redact_personal_numbers(&zh.into()).into_owned(),
        }
    }
}

impl From<RowError> for ImportProblem {
    fn from(e: RowError) -> Self {
        Self::new(e.row, &e.column, e.code, e.message_en, e.message_zh)
    }
}

/// An import job: who imports what, where, and how far it has got.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportJob {
    pub id: String,
    pub kind: ImportKind,
    pub status: ImportStatus,
    /// Who imports (`None`: the platform itself, from the command line).
    pub actor_id: Option<String>,
    /// The importer's jurisdiction (`None`: everywhere).
    pub region: Option<RegionCode>,
    /// The encoding detected: `UTF-8` or `gb18030`.
    pub encoding: Option<String>,
    pub bytes_total: i64,
    pub bytes_processed: i64,
    pub rows_processed: i64,
    pub households_created: i64,
    pub households_updated: i64,
    pub households_unchanged: i64,
    pub households_failed: i64,
    pub rows_failed: i64,
    /// Of the failed ones, records another import running at the same time wrote first
    /// (counted while the job runs, for its closing message; not stored).
    pub lost_to_concurrent_import: i64,
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl ImportJob {
    /// A job queued now for a file of `bytes` bytes.
    pub fn new(
        kind: ImportKind,
        actor_id: Option<String>,
        region: Option<RegionCode>,
        bytes: u64,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id: uuid::Uuid::now_v7().to_string(),
            kind,
            status: ImportStatus::Queued,
            actor_id,
            region,
            encoding: None,
            bytes_total: i64::try_from(bytes).unwrap_or(i64::MAX),
            bytes_processed: 0,
            rows_processed: 0,
            households_created: 0,
            households_updated: 0,
            households_unchanged: 0,
            households_failed: 0,
            rows_failed: 0,
            lost_to_concurrent_import: 0,
            message: None,
            created_at: now,
            started_at: None,
            finished_at: None,
        }
    }

    /// The file is being read, in `encoding`.
    pub fn start(&mut self, encoding: &str, now: DateTime<Utc>) {
        self.status = ImportStatus::Running;
        self.started_at = Some(now);
        self.encoding = Some(encoding.to_owned());
    }

    /// The reader has got `bytes` into the file (never past its end).
    pub fn advance(&mut self, bytes: u64) {
        self.bytes_processed = i64::try_from(bytes)
            .unwrap_or(i64::MAX)
            .min(self.bytes_total);
    }

    /// The whole file was read: `succeeded` when no row was rejected, `failed` when every
    /// row was (nothing was imported), `completed_with_errors` in between. The message
    /// sums up the counts.
    pub fn finish(&mut self, now: DateTime<Utc>) {
        let imported =
            self.households_created + self.households_updated + self.households_unchanged;
        self.status = if self.rows_failed == 0 && self.households_failed == 0 {
            ImportStatus::Succeeded
        } else if imported == 0 {
            ImportStatus::Failed
        } else {
            ImportStatus::CompletedWithErrors
        };
        self.bytes_processed = self.bytes_total;
        let mut message = match self.status {
            ImportStatus::Failed => format!("every row was rejected: {}", self.summary()),
            _ => self.summary(),
        };
        if self.lost_to_concurrent_import > 0 {
            message.push_str(&format!(
                "; this import lost {} to another import running at the same time, which \
                 wrote them first",
                self.lost_to_concurrent_import
            ));
        }
        self.message = Some(message);
        self.finished_at = Some(now);
    }

    /// The file as a whole could not be imported.
    pub fn fail(&mut self, message: String, now: DateTime<Utc>) {
        self.status = ImportStatus::Failed;
        self.message = Some(message);
        self.finished_at = Some(now);
    }

    /// The counts in one sentence.
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} updated, {} unchanged, {} rejected ({} rows)",
            self.households_created,
            self.households_updated,
            self.households_unchanged,
            self.households_failed,
            self.rows_failed
        )
    }

    /// Households read so far, written or not.
    pub fn households_read(&self) -> i64 {
        self.households_created
            + self.households_updated
            + self.households_unchanged
            + self.households_failed
    }

    /// How far the job has got, 0 to 1: a job read to its end is done whatever its byte
    /// count.
    pub fn progress(&self) -> f64 {
        if self.status.read_through() || self.bytes_total <= 0 {
            return 1.0;
        }
        #[expect(
            clippy::cast_precision_loss,
            reason = "a progress fraction needs no more precision"
        )]
        let fraction = self.bytes_processed as f64 / self.bytes_total as f64;
        fraction.min(1.0)
    }

    /// A job is seen by the one who started it and by platform admins.
    pub fn visible_to(&self, who: &Principal) -> bool {
        who.is_admin() || self.actor_id.as_deref() == Some(who.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{Role, Subject};

    fn principal(id: &str, role: Role) -> Principal {
        Principal {
            subject: Subject::User {
                id: id.into(),
                role,
            },
            region: None,
            organization_id: None,
        }
    }

    fn job(bytes: u64) -> ImportJob {
        ImportJob::new(
            ImportKind::Households,
            Some("u1".into()),
            None,
            bytes,
            Utc::now(),
        )
    }

    #[test]
    fn a_job_runs_from_queued_to_succeeded() {
        let mut j = job(1000);
        assert_eq!(j.status, ImportStatus::Queued);
        assert!(!j.status.is_finished());
        assert_eq!(j.progress(), 0.0);
        j.start("UTF-8", Utc::now());
        assert_eq!(j.status, ImportStatus::Running);
        assert_eq!(j.encoding.as_deref(), Some("UTF-8"));
        j.advance(250);
        assert_eq!(j.progress(), 0.25);
        j.advance(5000);
        assert_eq!(j.bytes_processed, 1000);
        j.households_created = 3;
        j.finish(Utc::now());
        assert_eq!(j.status, ImportStatus::Succeeded);
        assert!(j.status.is_finished());
        assert_eq!(j.progress(), 1.0);
        assert!(j.finished_at.is_some());
        assert_eq!(
            j.message.as_deref(),
            Some("3 created, 0 updated, 0 unchanged, 0 rejected (0 rows)")
        );
    }

    #[test]
    fn a_job_with_rejected_rows_did_not_succeed() {
        // Some rows rejected: completed with errors.
        let mut j = job(100);
        j.households_created = 5;
        j.households_unchanged = 2;
        j.households_failed = 1;
        j.rows_failed = 2;
        j.finish(Utc::now());
        assert_eq!(j.status, ImportStatus::CompletedWithErrors);
        assert!(j.status.is_finished() && j.status.read_through());
        assert_eq!(j.progress(), 1.0);
        // Every row rejected: failed, and the message says so.
        let mut j = job(100);
        j.households_failed = 291;
        j.rows_failed = 900;
        j.finish(Utc::now());
        assert_eq!(j.status, ImportStatus::Failed);
        assert!(
            j.message
                .as_deref()
                .is_some_and(|m| m.starts_with("every row was rejected: 0 created")),
            "{:?}",
            j.message
        );
        // An import that lost rows to a concurrent one says so.
        let mut j = job(100);
        j.households_unchanged = 4;
        j.households_failed = 2;
        j.rows_failed = 5;
        j.lost_to_concurrent_import = 2;
        j.finish(Utc::now());
        assert_eq!(j.status, ImportStatus::CompletedWithErrors);
        assert_eq!(
            j.message.as_deref(),
            Some(
                "0 created, 0 updated, 4 unchanged, 2 rejected (5 rows); this import lost 2 to \
                 another import running at the same time, which wrote them first"
            )
        );
        // Rows rejected before any household was formed (no household number) count too.
        let mut j = job(100);
        j.rows_failed = 3;
        j.finish(Utc::now());
        assert_eq!(j.status, ImportStatus::Failed);
        // An empty file (a header only) imported nothing and rejected nothing.
        let mut j = job(100);
        j.finish(Utc::now());
        assert_eq!(j.status, ImportStatus::Succeeded);
        assert_eq!(
            ImportStatus::parse("completed_with_errors").unwrap(),
            ImportStatus::CompletedWithErrors
        );
    }

    #[test]
    fn problems_never_hold_a_full_id_or_phone_number() {
        let p = ImportProblem::new(
            7,
            "member_ethnicity",
            "unknown_value",
            "\"210921196503120010\" is not one of the 56 ethnic groups; call 13812345678",
            "\"210921196503120010\" 不是 56 个民族之一",
        );
        assert_eq!(
            p.message_en,
            "\"210921********0010\" is not one of the 56 ethnic groups; call 138****5678"
        );
        assert_eq!(p.message_zh, "\"210921********0010\" 不是 56 个民族之一");
        let from_row: ImportProblem = RowError::new(
            3,
            "member_relation",
            "unknown_value",
            "unknown value \"138 1234 5678\"",
            "无效的取值 \"138 1234 5678\"",
        )
        .into();
        assert_eq!(from_row.message_en, "unknown value \"138****5678\"");
        assert_eq!((from_row.row, from_row.code.as_str()), (3, "unknown_value"));
    }

    #[test]
    fn a_succeeded_job_is_done_and_an_empty_one_too() {
        let mut j = job(1000);
        j.status = ImportStatus::Succeeded;
        assert_eq!(j.progress(), 1.0);
        assert_eq!(job(0).progress(), 1.0);
    }

    #[test]
    fn a_failed_job_keeps_its_progress_and_says_why() {
        let mut j = job(1000);
        j.advance(500);
        j.fail("bad header".into(), Utc::now());
        assert_eq!(j.status, ImportStatus::Failed);
        assert!(j.status.is_finished());
        assert_eq!(j.progress(), 0.5);
        assert_eq!(j.message.as_deref(), Some("bad header"));
    }

    #[test]
    fn the_summary_names_every_count() {
        let mut j = job(10);
        j.households_created = 3;
        j.households_updated = 2;
        j.households_unchanged = 1;
        j.households_failed = 4;
        j.rows_failed = 5;
        assert_eq!(j.households_read(), 10);
        assert_eq!(
            j.summary(),
            "3 created, 2 updated, 1 unchanged, 4 rejected (5 rows)"
        );
    }

    #[test]
    fn a_job_is_seen_by_its_importer_and_admins_only() {
        let j = job(10);
        assert!(j.visible_to(&principal("u1", Role::CityOfficial)));
        assert!(!j.visible_to(&principal("u2", Role::CityOfficial)));
        assert!(j.visible_to(&principal("admin", Role::PlatformAdmin)));
    }

    #[test]
    fn households_and_villages_are_imported() {
        assert_eq!(
            ImportKind::parse("households").unwrap(),
            ImportKind::Households
        );
        assert_eq!(ImportKind::Households.as_str(), "households");
        assert_eq!(ImportKind::parse("villages").unwrap(), ImportKind::Villages);
        assert_eq!(ImportKind::Villages.as_str(), "villages");
        let e = ImportKind::parse("members").unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("kind", "unknown_kind"));
        assert_eq!(
            ImportStatus::parse("running").unwrap(),
            ImportStatus::Running
        );
    }
}
