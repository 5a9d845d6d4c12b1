//! Index generations on disk and the atomic switch between them.
//!
//! Layout of an index directory:
//! ```text
//! index/
//!   CURRENT            name of the live generation, replaced atomically (temp + fsync + rename)
//!   gen-000007/        the live tantivy index + build.json
//!   gen-000006/        the previous generation, kept for --rollback
//!   .lock              held (flock) by the one running writer; holds its pid
//! ```
//! A generation is complete once its `build.json` exists; that file is written only after
//! the tantivy commit and the self-check. Directories without it are leftovers of crashed
//! builds and are removed by the next successful build.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

const CURRENT: &str = "CURRENT";
const PREFIX: &str = "gen-";
/// Written into a generation when its build is complete.
pub const BUILD_INFO: &str = "build.json";
const LOCK: &str = ".lock";

/// What a build recorded about itself (`build.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BuildInfo {
    pub generation: String,
    /// UTC, RFC 3339.
    pub built_at: String,
    /// The corpus folder as given, and its absolute form.
    pub corpus: String,
    pub files: usize,
    pub documents: usize,
    pub documents_by_kind: BTreeMap<String, usize>,
    pub warnings: usize,
    pub seconds: f64,
    pub version: String,
    /// `swedish` (the full analysis) or `baseline` (plain Snowball stemming).
    #[serde(default = "default_analysis")]
    pub analysis: String,
}

fn default_analysis() -> String {
    "swedish".into()
}

/// The directory of one generation.
pub fn generation_dir(index: &Path, name: &str) -> PathBuf {
    index.join(name)
}

/// The live generation's name, if any.
pub fn current(index: &Path) -> std::io::Result<Option<String>> {
    match fs::read_to_string(index.join(CURRENT)) {
        Ok(s) => {
            let name = s.trim().to_string();
            Ok((!name.is_empty()).then_some(name))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Read a generation's build info (None while it is incomplete).
pub fn build_info(index: &Path, name: &str) -> Option<BuildInfo> {
    let s = fs::read_to_string(index.join(name).join(BUILD_INFO)).ok()?;
    serde_json::from_str(&s).ok()
}

/// All generation directory names, oldest first.
pub fn list(index: &Path) -> Vec<String> {
    let mut names: Vec<(u64, String)> = fs::read_dir(index)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    let n: u64 = name.strip_prefix(PREFIX)?.parse().ok()?;
                    e.file_type().ok()?.is_dir().then_some((n, name))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names.into_iter().map(|(_, n)| n).collect()
}

/// A fresh generation directory name, after every existing one.
pub fn next_name(index: &Path) -> String {
    let next = list(index)
        .last()
        .and_then(|n| n.strip_prefix(PREFIX)?.parse::<u64>().ok())
        .map_or(1, |n| n + 1);
    format!("{PREFIX}{next:06}")
}

/// Write `contents` to `path` atomically: temp file in the same directory, fsync,
/// rename, fsync the directory (tantivy's own `atomic_write` recipe).
pub fn atomic_write(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    {
        let mut f = File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    File::open(dir)?.sync_all()?;
    Ok(())
}

/// Make `name` the live generation.
pub fn switch_to(index: &Path, name: &str) -> std::io::Result<()> {
    atomic_write(&index.join(CURRENT), format!("{name}\n").as_bytes())
}

/// Remove every generation except the live one and the `keep` newest complete ones
/// before it, including incomplete leftovers of crashed builds and temp files of an
/// interrupted [`atomic_write`]. Returns what was removed.
///
/// Only the writer (holding the [`WriterLock`]) calls this. A searcher that read
/// `CURRENT` just before a switch opens the generation that was live until then, which is
/// kept when `keep >= 1`; one that had already opened it keeps reading its open files
/// (Linux keeps unlinked files alive while they are open or mapped); and
/// `Searcher::open` reads `CURRENT` again if the generation it named vanished meanwhile.
pub fn clean(index: &Path, keep: usize) -> std::io::Result<Vec<String>> {
    let live = current(index)?;
    let all = list(index);
    let mut kept_previous = 0;
    let mut removed = Vec::new();
    for name in all.iter().rev() {
        if Some(name) == live.as_ref() {
            continue;
        }
        let complete = build_info(index, name).is_some();
        let older_than_live = live.as_ref().is_some_and(|l| name < l);
        if complete && older_than_live && kept_previous < keep {
            kept_previous += 1;
            continue;
        }
        fs::remove_dir_all(index.join(name))?;
        removed.push(name.clone());
    }
    for e in fs::read_dir(index)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".tmp") && e.file_type()?.is_file() {
            fs::remove_file(e.path())?;
            removed.push(name);
        }
    }
    Ok(removed)
}

/// The newest complete generation older than the live one (the rollback target).
pub fn previous(index: &Path) -> std::io::Result<Option<String>> {
    let live = current(index)?;
    Ok(list(index)
        .into_iter()
        .rev()
        .filter(|n| live.as_ref().is_none_or(|l| n < l))
        .find(|n| build_info(index, n).is_some()))
}

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
fn pid_alive(pid: &str) -> bool {
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

/// Current UTC time as RFC 3339 (`2026-11-23T12:00:00Z`).
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str) -> BuildInfo {
        BuildInfo {
            generation: name.into(),
            built_at: utc_now(),
            corpus: "corpus".into(),
            files: 1,
            documents: 1,
            documents_by_kind: BTreeMap::new(),
            warnings: 0,
            seconds: 0.1,
            version: "test".into(),
            analysis: "swedish".into(),
        }
    }

    fn make(index: &Path, name: &str, complete: bool) {
        fs::create_dir_all(index.join(name)).unwrap();
        if complete {
            let json = serde_json::to_vec(&info(name)).unwrap();
            fs::write(index.join(name).join(BUILD_INFO), json).unwrap();
        }
    }

    #[test]
    fn switch_clean_and_previous() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path();
        assert_eq!(current(index).unwrap(), None);
        assert_eq!(next_name(index), "gen-000001");
        make(index, "gen-000001", true);
        make(index, "gen-000002", true);
        make(index, "gen-000003", false); // crashed build
        make(index, "gen-000004", true);
        switch_to(index, "gen-000004").unwrap();
        assert_eq!(current(index).unwrap().as_deref(), Some("gen-000004"));
        assert_eq!(next_name(index), "gen-000005");
        assert_eq!(previous(index).unwrap().as_deref(), Some("gen-000002"));
        // A writer killed between writing and renaming the pointer's temp file.
        fs::write(index.join(".CURRENT.tmp4242"), "gen-000003\n").unwrap();
        let removed = clean(index, 1).unwrap();
        assert_eq!(removed, ["gen-000003", "gen-000001", ".CURRENT.tmp4242"]);
        assert_eq!(list(index), ["gen-000002", "gen-000004"]);
    }

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
                if let Some(c) = command {
                    assert!(msg.contains(c.as_str()), "{msg}");
                }
            }
            other => panic!("expected busy, got {other:?}"),
        }
        drop(lock);
        // A holder that died leaves its pid behind.
        fs::write(dir.path().join(LOCK), "999999").unwrap();
        let (_lock, stale) = WriterLock::acquire(dir.path()).unwrap();
        assert_eq!(stale.as_deref(), Some("999999"));
    }

    #[test]
    fn utc_now_is_rfc3339() {
        let s = utc_now();
        assert_eq!(s.len(), 20);
        assert!(s.ends_with('Z') && s.starts_with("20"));
    }
}
