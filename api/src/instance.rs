//! Which running process this is. Several instances may serve one PostgreSQL database (and
//! the command line is one more while it imports); the work an instance holds, such as an
//! import job, names it, so others can tell whose it is and whether it is still alive.

use std::sync::Arc;

/// A new name for this process: host, process id and a random part (a process id is reused
/// across restarts and containers), e.g. `api-7f9c/1/0193f1e2a4b5`.
pub fn new_id() -> Arc<str> {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    // The last 12 digits of a UUIDv7 are random (its first ones are the time).
    let id = uuid::Uuid::now_v7().simple().to_string();
    let random = &id[id.len() - 12..];
    format!("{host}/{}/{random}", std::process::id()).into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_start_has_its_own_name() {
        let (a, b) = (super::new_id(), super::new_id());
        assert_ne!(a, b);
        let pid = format!("/{}/", std::process::id());
        assert!(a.contains(&pid), "{a}");
    }
}
