//! Spool files: an uploaded import file (names, ID and phone numbers in clear) waits in
//! `<data dir>/imports` until its job has read it. A spool file lives exactly as long as its
//! job: it is removed when the job ends, whatever the outcome, and a file left behind by a
//! process that was killed is removed at the next start-up ([`sweep`]).
//!
//! While its job lives, the spool file is held under an exclusive advisory lock (`flock`),
//! so the start-up sweep of one instance never removes the upload of another instance that
//! shares the folder and is still importing: only files nobody holds are left-overs.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder of the spool files under the data folder.
pub fn spool_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("imports")
}

/// One uploaded file, locked while it exists and removed when dropped or closed.
#[derive(Debug)]
pub struct Spool {
    file: tempfile::NamedTempFile,
    bytes: u64,
}

impl Spool {
    /// A new, empty spool file in `dir` (made if needed), readable by this user only.
    pub fn create(dir: &Path) -> io::Result<Spool> {
        std::fs::create_dir_all(dir)?;
        let file = tempfile::Builder::new()
            .prefix("upload-")
            .suffix(".spool")
            .tempfile_in(dir)?;
        file.as_file().lock()?;
        Ok(Spool { file, bytes: 0 })
    }

    pub fn write_all(&mut self, chunk: &[u8]) -> io::Result<()> {
        self.file.write_all(chunk)?;
        self.bytes += chunk.len() as u64;
        Ok(())
    }

    /// Flushes what was written; answers the file's size.
    pub fn finish(&mut self) -> io::Result<u64> {
        self.file.flush()?;
        Ok(self.bytes)
    }

    pub fn len(&self) -> u64 {
        self.bytes
    }

    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Removes the file now (the job has ended), logging a failure to do so.
    pub fn remove(self) {
        let path = self.file.path().to_owned();
        if let Err(e) = self.file.close() {
            tracing::error!(path = %path.display(), error = %e, "an import's spool file could not be removed");
        }
    }
}

/// Removes every spool file in `dir` that no living process holds: those of imports whose
/// process was killed or crashed (and any left by an older version, which did not lock
/// them). Answers how many were removed. A missing folder holds none.
pub fn sweep(dir: &Path) -> io::Result<usize> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(file) = File::open(&path) else {
            continue;
        };
        match file.try_lock() {
            Ok(()) => {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
            // Held: an import of a living process (another instance on this folder).
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spool_is_removed_when_its_job_ends_or_it_is_dropped() {
        let dir = tempfile::tempdir().expect("dir");
        let mut spool = Spool::create(&dir.path().join("imports")).expect("spool");
        spool.write_all(b"a,b\n1,2\n").expect("write");
        assert_eq!(spool.finish().expect("flush"), 8);
        let path = spool.path().to_owned();
        assert!(path.exists());
        spool.remove();
        assert!(!path.exists());
        let dropped = Spool::create(dir.path()).expect("spool");
        let path = dropped.path().to_owned();
        drop(dropped);
        assert!(!path.exists());
    }

    #[test]
    fn the_sweep_removes_left_overs_and_keeps_held_spools() {
        let dir = tempfile::tempdir().expect("dir");
        assert_eq!(sweep(&dir.path().join("none")).expect("sweep"), 0);
        let left = dir.path().join("upload-left.spool");
        std::fs::write(&left, "210921196503120010").expect("write");
        let legacy = dir.path().join(".tmpAbC123");
        std::fs::write(&legacy, "13812345678").expect("write");
        let held = Spool::create(dir.path()).expect("spool");
        assert_eq!(sweep(dir.path()).expect("sweep"), 2);
        assert!(!left.exists() && !legacy.exists());
        assert!(held.path().exists(), "a living import's upload is kept");
        drop(held);
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    }
}
