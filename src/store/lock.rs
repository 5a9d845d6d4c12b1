//! The writer lock of an index folder (`.lock`, held with `flock` by the one running
//! writer, holding its pid). Readers never take it; they may only ask whether a writer is
//! running ([`writer_running`]).

use super::LOCK;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// The writer lock of an index directory, released on drop (and by the OS when the
/// process dies, so a crashed writer never blocks the next one).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

/// Why the lock could not be taken. Like every error type of the library, a message
/// does not repeat its `source`: the CLI prints the whole chain once (`{:#}`).
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another rapportsok index is running on {dir} (pid {pid}{}); wait for it to finish",
        command.as_ref().map(|c| format!(": {c}")).unwrap_or_default()
    )]
    Busy {
        dir: String,
        pid: String,
        /// The running process's command line, where the system shows it.
        command: Option<String>,
    },
    #[error("cannot lock {dir}")]
    Io {
        dir: String,
        #[source]
        source: std::io::Error,
    },
}

impl WriterLock {
    /// Take the lock or fail at once. Returns the lock and, when a previous holder died
    /// without cleaning up, its pid (for a warning).
    pub fn acquire(index: &Path) -> Result<(WriterLock, Option<String>), LockError> {
        let dir = index.display().to_string();
        let io = |source| LockError::Io {
            dir: dir.clone(),
            source,
        };
        fs::create_dir_all(index).map_err(io)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(index.join(LOCK))
            .map_err(io)?;
        let mut previous = String::new();
        let _ = file.read_to_string(&mut previous);
        let previous = previous.trim().to_string();
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let pid = holder_pid(&mut file).unwrap_or_else(|| "unknown".into());
                let command = command_line(&pid);
                return Err(LockError::Busy { dir, pid, command });
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.rewind().map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        file.sync_all().map_err(io)?;
        let stale = (!previous.is_empty()).then_some(previous);
        Ok((WriterLock { _file: file }, stale))
    }
}

/// Whether a writer holds the lock of `index` now (read-only: nothing is written).
pub fn writer_running(index: &Path) -> bool {
    match File::open(index.join(LOCK)) {
        Ok(file) => matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock)),
        Err(_) => false,
    }
}

/// The pid the lock holder wrote. It writes it right after taking the lock, so a reader
/// that finds the file empty (or holding a dead predecessor's pid) waits a moment for it.
fn holder_pid(file: &mut File) -> Option<String> {
    let mut last = None;
    for _ in 0..20 {
        let mut s = String::new();
        if file.rewind().is_ok() && file.read_to_string(&mut s).is_ok() {
            let pid = s.trim().to_string();
            if !pid.is_empty() {
                if pid_alive(&pid) {
                    return Some(pid);
                }
                last = Some(pid);
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    last
}

/// Whether a process with this pid exists (Linux: `/proc/PID`); true where unknown.
pub(super) fn pid_alive(pid: &str) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid).exists()
}

/// A process's command line from `/proc/PID/cmdline`, arguments joined by spaces.
fn command_line(pid: &str) -> Option<String> {
    let raw = fs::read(Path::new("/proc").join(pid).join("cmdline")).ok()?;
    let args: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    (!args.is_empty()).then(|| args.join(" "))
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        // Leave an empty lock file: a pid in it means its holder died while holding it.
        let _ = self._file.set_len(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_writer_is_refused_and_stale_pid_reported() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, stale) = WriterLock::acquire(dir.path()).unwrap();
        assert!(stale.is_none());
        match WriterLock::acquire(dir.path()) {
            Err(e @ LockError::Busy { .. }) => {
                let LockError::Busy { pid, command, .. } = &e else {
                    unreachable!()
                };
                assert_eq!(*pid, std::process::id().to_string());
                let msg = e.to_string();
                assert!(msg.contains(&format!("pid {pid}")), "{msg}");
                // Linux shows the holder's command line: this test binary's.
                let ours = std::env::args().collect::<Vec<_>>().join(" ");
                assert_eq!(command.as_deref(), Some(ours.as_str()));
                assert!(msg.contains(&format!("(pid {pid}: {ours})")), "{msg}");
            }
            other => panic!("expected busy, got {other:?}"),
        }
        drop(lock);
        // A holder that died leaves its pid behind.
        fs::write(dir.path().join(LOCK), "999999").unwrap();
        let (_lock, stale) = WriterLock::acquire(dir.path()).unwrap();
        assert_eq!(stale.as_deref(), Some("999999"));
    }
}
