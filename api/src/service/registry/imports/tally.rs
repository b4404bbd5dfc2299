//! What a stretch of the file came to: households written, unchanged or rejected, and the
//! problems found, until they are added to the job.

use domain::registry::{ImportJob, ImportProblem};

#[derive(Debug, Default)]
pub(super) struct Tally {
    pub(super) created: i64,
    pub(super) updated: i64,
    pub(super) unchanged: i64,
    pub(super) failed: i64,
    pub(super) rows_failed: i64,
    /// Of the failed, those another import wrote first.
    pub(super) lost: i64,
    pub(super) problems: Vec<ImportProblem>,
}

impl Tally {
    pub(super) fn absorb(&mut self, other: Tally) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.failed += other.failed;
        self.rows_failed += other.rows_failed;
        self.lost += other.lost;
        self.problems.extend(other.problems);
    }

    /// One household of `rows` rows is rejected.
    pub(super) fn fail(&mut self, rows: usize, problems: impl IntoIterator<Item = ImportProblem>) {
        self.failed += 1;
        self.rows_failed += i64::try_from(rows).unwrap_or(i64::MAX);
        self.problems.extend(problems);
    }

    /// One record of `rows` rows is lost to an import running at the same time.
    pub(super) fn lose(&mut self, rows: usize, row: u64, column: &str) {
        self.lost += 1;
        self.fail(rows, [super::lost_race(row, column)]);
    }

    /// Adds the counts to the job's and hands over the problems.
    pub(super) fn settle(&mut self, job: &mut ImportJob) -> Vec<ImportProblem> {
        job.households_created += std::mem::take(&mut self.created);
        job.households_updated += std::mem::take(&mut self.updated);
        job.households_unchanged += std::mem::take(&mut self.unchanged);
        job.households_failed += std::mem::take(&mut self.failed);
        job.rows_failed += std::mem::take(&mut self.rows_failed);
        job.lost_to_concurrent_import += std::mem::take(&mut self.lost);
        std::mem::take(&mut self.problems)
    }
}
