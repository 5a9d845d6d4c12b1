//! The index store: the folder of index generations that the indexer writes and the
//! searcher reads, and the rules both sides share. It sits below both (it imports neither):
//! generation names, `CURRENT` (which one is live), `build.json` ([`BuildInfo`], with the
//! analysis a generation was built with, [`analysis_name`]/[`analysis_options`]), the
//! atomic write, the marker and what a writer may touch or remove, rollback marks, the
//! writer lock ([`WriterLock`]), and opening a finished generation read-only
//! ([`open_read_only`]). A long-lived reader compares the generation it opened with
//! [`current`] to learn that a newer build is live. Nothing here builds or searches.
//!
//! Layout of an index directory:
//! ```text
//! index/
//!   RAPPORTSOK-INDEX   marker: this folder is a rapportsok index, and its format version
//!   CURRENT            name of the live generation, replaced atomically (temp + fsync + rename)
//!   gen-000007/        the live tantivy index + build.json
//!   gen-000006/        the previous generation, kept for --rollback
//!   .lock              held (flock) by the one running writer; holds its pid
//! ```
//! A generation is complete once its `build.json` exists; that file is written only after
//! the tantivy commit and the self-check. Directories without it are leftovers of crashed
//! builds; the next build removes them before it starts (the lock proves they are dead).
//! A generation that `--rollback` switched away from carries a `rolled-back` file and is
//! never a rollback target again. A finished generation never changes, so readers take no
//! lock and write nothing.
//!
//! The writer touches nothing in a folder that lacks the marker, unless the folder is
//! empty (the marker is then written first) or holds exactly the layout above written by an
//! older rapportsok. It removes only names it writes itself: `gen-` + digits folders and
//! its own `.NAME.tmpPID` files.

mod lock;
mod read_only;

pub use lock::{writer_running, LockError, WriterLock};
pub use read_only::open_read_only;

use crate::analyzer::AnalyzerOptions;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

const CURRENT: &str = "CURRENT";
const PREFIX: &str = "gen-";
/// Written into a generation when its build is complete.
pub const BUILD_INFO: &str = "build.json";
/// Written into a generation that `--rollback` switched away from.
pub const ROLLED_BACK: &str = "rolled-back";
const LOCK: &str = ".lock";
/// The file that marks a folder as a rapportsok index. Written first, before anything else.
pub const MARKER: &str = "RAPPORTSOK-INDEX";
/// The on-disk format of an index folder, recorded in the marker. A rapportsok that finds a
/// newer format refuses to write there.
pub const FORMAT: u32 = 1;

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
    /// Documents per municipality (empty in builds of older versions): a new build that
    /// loses a whole municipality is refused unless `--allow-shrink`.
    #[serde(default)]
    pub documents_by_municipality: BTreeMap<String, usize>,
    pub warnings: usize,
    pub seconds: f64,
    pub version: String,
    /// `swedish-lemma` (the full analysis), `swedish-lemma+stopwords` or `baseline`
    /// (plain Snowball stemming); `swedish` and `swedish+stopwords` were the analysis
    /// before lemmas, whose indexes must be rebuilt.
    #[serde(default = "default_analysis")]
    pub analysis: String,
}

fn default_analysis() -> String {
    "swedish".into()
}

/// The name recorded in `build.json` for an analysis (the searcher reads it back with
/// [`analysis_options`]). A change to the terms the analysis makes must change its name,
/// so that an index built before is refused instead of silently missing.
pub fn analysis_name(o: AnalyzerOptions) -> &'static str {
    match (o.swedish_extras, o.stop_words) {
        (true, false) => "swedish-lemma",
        (true, true) => "swedish-lemma+stopwords",
        (false, _) => "baseline",
    }
}

/// The analysis options of a recorded name; `None` for the names of older analyses
/// (`swedish`, before lemmas; also what a `build.json` without the field means) and
/// unknown names: such an index must be rebuilt.
pub fn analysis_options(name: &str) -> Option<AnalyzerOptions> {
    match name {
        "baseline" => Some(AnalyzerOptions::baseline()),
        "swedish-lemma" => Some(AnalyzerOptions::default()),
        "swedish-lemma+stopwords" => Some(AnalyzerOptions {
            stop_words: true,
            ..AnalyzerOptions::default()
        }),
        _ => None,
    }
}

/// Why an index folder cannot be written to.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{dir} is not empty and is not a rapportsok index (it has no {MARKER} file; it holds \
         {found}); nothing was changed. Choose an empty or new folder for the index"
    )]
    NotAnIndex { dir: String, found: String },
    #[error(
        "{dir} holds an index of format {found}, newer than this rapportsok understands \
         (format {FORMAT}); nothing was changed. Upgrade rapportsok or choose another folder"
    )]
    NewerFormat { dir: String, found: String },
    #[error("index folder {dir}")]
    Io {
        dir: String,
        #[source]
        source: std::io::Error,
    },
}

/// Whether `name` is a generation folder name this program writes (`gen-` and six or
/// more digits, as [`next_name`] makes them).
pub fn is_generation_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .is_some_and(|n| (6..=12).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `name` is a temporary file of [`atomic_write`] (`.NAME.tmpPID`).
fn is_own_temp(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let Some((base, pid)) = rest.rsplit_once(".tmp") else {
        return false;
    };
    matches!(base, CURRENT | MARKER | "space")
        && !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
}

/// The format recorded in an index folder's marker: `Ok(None)` without a marker.
fn marker_format(index: &Path) -> std::io::Result<Option<String>> {
    match fs::read_to_string(index.join(MARKER)) {
        Ok(s) => Ok(Some(
            s.lines()
                .find_map(|l| l.strip_prefix("format "))
                .unwrap_or("unknown")
                .trim()
                .to_string(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Make sure the writer may use `index`: create it with its marker when it does not
/// exist or is empty, accept it when it carries our marker (of a format we know) or is an
/// index of an older rapportsok (then the marker is added), and refuse anything else
/// without touching it.
pub fn prepare(index: &Path) -> Result<(), StoreError> {
    let dir = index.display().to_string();
    let io = |source| StoreError::Io {
        dir: dir.clone(),
        source,
    };
    if let Some(found) = marker_format(index).map_err(io)? {
        return match found.parse::<u32>() {
            Ok(n) if n <= FORMAT => Ok(()),
            _ => Err(StoreError::NewerFormat { dir, found }),
        };
    }
    fs::create_dir_all(index).map_err(io)?;
    let names: Vec<String> = fs::read_dir(index)
        .map_err(io)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let foreign: Vec<&String> = names
        .iter()
        .filter(|n| !is_legacy_entry(index, n))
        .collect();
    // The lock and our temp files are what a concurrent first build writes before its
    // marker is in place: such a folder counts as empty.
    let entries = names
        .iter()
        .filter(|n| n.as_str() != LOCK && !is_own_temp(n))
        .count();
    let legacy = entries > 0 && foreign.is_empty() && legacy_live(index);
    // A concurrent first build may have put its marker in place since we looked.
    if entries > 0 && !legacy && marker_format(index).map_err(io)?.is_some() {
        return prepare(index);
    }
    if entries > 0 && !legacy {
        let mut shown: Vec<String> = if foreign.is_empty() {
            vec!["no live generation".into()]
        } else {
            foreign.iter().take(3).map(|n| format!("'{n}'")).collect()
        };
        if foreign.len() > 3 {
            shown.push(format!("{} more", foreign.len() - 3));
        }
        return Err(StoreError::NotAnIndex {
            dir,
            found: shown.join(", "),
        });
    }
    let text = format!(
        "rapportsok index\nformat {FORMAT}\n\nThis folder is an index written by rapportsok. \
         `rapportsok index` removes only the\ngeneration folders (gen-NNNNNN) and the temporary \
         files it wrote here.\n"
    );
    atomic_write(&index.join(MARKER), text.as_bytes()).map_err(io)
}

/// A name an older rapportsok (before the marker) wrote into its index folder.
fn is_legacy_entry(index: &Path, name: &str) -> bool {
    match name {
        CURRENT | LOCK | "README.md" => true,
        _ if is_own_temp(name) => true,
        _ if is_generation_name(name) => {
            let dir = index.join(name);
            dir.join("meta.json").is_file() || dir.join(BUILD_INFO).is_file()
        }
        _ => false,
    }
}

/// Whether an unmarked folder has a live, complete generation of ours.
fn legacy_live(index: &Path) -> bool {
    matches!(current(index), Ok(Some(name)) if build_info(index, &name).is_some())
}

/// The directory of one generation.
pub fn generation_dir(index: &Path, name: &str) -> PathBuf {
    index.join(name)
}

/// The live generation's name, if any. A `CURRENT` that names anything but one of our
/// generation folders (an absolute path, `..`) is an error, never followed.
pub fn current(index: &Path) -> std::io::Result<Option<String>> {
    match fs::read_to_string(index.join(CURRENT)) {
        Ok(s) => {
            let name = s.trim().to_string();
            if name.is_empty() {
                return Ok(None);
            }
            if !is_generation_name(&name) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "{} names '{}', which is not a generation of this index \
                         (gen-NNNNNN); rebuild with `rapportsok index`",
                        index.join(CURRENT).display(),
                        name.escape_debug()
                    ),
                ));
            }
            Ok(Some(name))
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

/// Whether `--rollback` switched away from this generation.
pub fn is_rolled_back(index: &Path, name: &str) -> bool {
    index.join(name).join(ROLLED_BACK).exists()
}

/// A complete generation that was not rolled away from: a build that may be live again.
pub fn is_known_good(index: &Path, name: &str) -> bool {
    build_info(index, name).is_some() && !is_rolled_back(index, name)
}

/// Record that `--rollback` switched away from `name`.
pub fn mark_rolled_back(index: &Path, name: &str) -> std::io::Result<()> {
    atomic_write(
        &index.join(name).join(ROLLED_BACK),
        format!("rolled back at {}\n", utc_now()).as_bytes(),
    )
}

/// All generation directory names, oldest first.
pub fn list(index: &Path) -> Vec<String> {
    let mut names: Vec<(u64, String)> = fs::read_dir(index)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let name = e.file_name().to_str()?.to_string();
                    if !is_generation_name(&name) {
                        return None;
                    }
                    let n: u64 = name.strip_prefix(PREFIX)?.parse().ok()?;
                    // `file_type` does not follow symlinks: a link is never ours.
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

/// Remove what dead builds left behind: incomplete generations that are not live, and
/// temp files of an interrupted [`atomic_write`]. Only the writer, holding the
/// [`WriterLock`], calls this, before it builds: every other writer is dead then.
pub fn remove_dead(index: &Path) -> std::io::Result<Vec<String>> {
    let live = current(index).ok().flatten();
    let mut removed = Vec::new();
    for name in list(index) {
        if Some(&name) != live.as_ref() && build_info(index, &name).is_none() {
            fs::remove_dir_all(index.join(&name))?;
            removed.push(name);
        }
    }
    removed.extend(remove_temp_files(index)?);
    Ok(removed)
}

fn remove_temp_files(index: &Path) -> std::io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for e in fs::read_dir(index)?.flatten() {
        let Some(name) = e.file_name().to_str().map(str::to_string) else {
            continue;
        };
        // A temp file of a live process (a concurrent first build writing its marker)
        // is still in use.
        let pid = name.rsplit_once(".tmp").map_or("", |(_, p)| p);
        let dead = pid != std::process::id().to_string() && !lock::pid_alive(pid);
        if is_own_temp(&name) && dead && e.file_type()?.is_file() {
            fs::remove_file(e.path())?;
            removed.push(name);
        }
    }
    Ok(removed)
}

/// Remove every generation except the live one and the `keep` newest known-good ones
/// before it (complete, and not rolled away from), including incomplete leftovers of
/// crashed builds and temp files of an interrupted [`atomic_write`]. Returns what was
/// removed.
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
        let older_than_live = live.as_ref().is_some_and(|l| name < l);
        if older_than_live && kept_previous < keep && is_known_good(index, name) {
            kept_previous += 1;
            continue;
        }
        fs::remove_dir_all(index.join(name))?;
        removed.push(name.clone());
    }
    removed.extend(remove_temp_files(index)?);
    Ok(removed)
}

/// The newest known-good generation older than the live one (the rollback target).
pub fn previous(index: &Path) -> std::io::Result<Option<String>> {
    let live = current(index)?;
    Ok(list(index)
        .into_iter()
        .rev()
        .filter(|n| live.as_ref().is_none_or(|l| n < l))
        .find(|n| is_known_good(index, n)))
}

/// Let every reader use a finished generation: tantivy writes some files (`meta.json`,
/// `.managed.json`) readable by their owner only. Files become readable and folders
/// searchable by group and others as far as the process's umask allows, so that the
/// readers (people, a web server) need not be the user that runs the nightly build.
pub fn share_with_readers(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mask = umask();
    fs::set_permissions(dir, fs::Permissions::from_mode(0o777 & !mask))?;
    for e in fs::read_dir(dir)?.flatten() {
        if e.file_type()?.is_file() {
            fs::set_permissions(e.path(), fs::Permissions::from_mode(0o666 & !mask))?;
        }
    }
    Ok(())
}

/// The process's umask, read without changing it (Linux `/proc/self/status`); 022 where
/// it cannot be read.
fn umask() -> u32 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line.split_whitespace().nth(1)?, 8).ok()
        })
        .unwrap_or(0o022)
}

/// Current UTC time as RFC 3339 (`2026-11-23T12:00:00Z`).
pub fn utc_now() -> String {
    crate::timestamp::Timestamp::now().to_string()
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
            documents_by_municipality: BTreeMap::new(),
            warnings: 0,
            seconds: 0.1,
            version: "test".into(),
            analysis: "swedish-lemma".into(),
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
    fn only_our_own_names_are_ours() {
        for ours in ["gen-000001", "gen-123456", "gen-1234567"] {
            assert!(is_generation_name(ours), "{ours}");
        }
        for not in [
            "gen-7",
            "gen-",
            "gen-00001x",
            "/tmp/gen-000001",
            "../gen-000001",
            "GEN-000001",
        ] {
            assert!(!is_generation_name(not), "{not}");
        }
        for ours in [".CURRENT.tmp42", ".RAPPORTSOK-INDEX.tmp7", ".space.tmp1"] {
            assert!(is_own_temp(ours), "{ours}");
        }
        for not in [
            ".draft.tmp.md",
            ".CURRENT.tmp",
            ".notes.tmp42",
            "CURRENT.tmp42",
        ] {
            assert!(!is_own_temp(not), "{not}");
        }
    }

    #[test]
    fn prepare_marks_new_folders_and_refuses_foreign_ones() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("new");
        prepare(&fresh).unwrap();
        assert_eq!(marker_format(&fresh).unwrap().as_deref(), Some("1"));
        prepare(&fresh).unwrap();
        let foreign = dir.path().join("foreign");
        fs::create_dir_all(foreign.join("gen-000001")).unwrap();
        let err = prepare(&foreign).unwrap_err();
        assert!(matches!(err, StoreError::NotAnIndex { .. }), "{err}");
        assert!(!foreign.join(MARKER).exists());
        // Only a lock (a concurrent first build) counts as empty.
        let racing = dir.path().join("racing");
        fs::create_dir_all(&racing).unwrap();
        fs::write(racing.join(LOCK), "").unwrap();
        prepare(&racing).unwrap();
    }

    #[test]
    fn current_accepts_only_generation_names() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["/etc", "../x/gen-000001", "gen-1"] {
            fs::write(dir.path().join(CURRENT), bad).unwrap();
            let err = current(dir.path()).unwrap_err();
            assert!(err.to_string().contains("not a generation"), "{err}");
        }
    }

    #[test]
    fn rolled_back_generations_are_neither_kept_nor_targets() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path();
        make(index, "gen-000001", true);
        make(index, "gen-000002", true);
        mark_rolled_back(index, "gen-000002").unwrap();
        make(index, "gen-000003", true);
        switch_to(index, "gen-000003").unwrap();
        assert_eq!(previous(index).unwrap().as_deref(), Some("gen-000001"));
        assert_eq!(clean(index, 1).unwrap(), ["gen-000002"]);
    }

    /// `build.json` records the analysis by name; a reader must get back the options the
    /// generation was built with, or its queries would not match the indexed terms.
    #[test]
    fn analysis_names_read_back_as_the_options_they_name() {
        let stop_words = AnalyzerOptions {
            stop_words: true,
            ..AnalyzerOptions::default()
        };
        for (options, name) in [
            (AnalyzerOptions::default(), "swedish-lemma"),
            (stop_words, "swedish-lemma+stopwords"),
            (AnalyzerOptions::baseline(), "baseline"),
        ] {
            assert_eq!(analysis_name(options), name);
            assert_eq!(analysis_options(name), Some(options), "{name}");
        }
        // Older builds (no `analysis` field: "swedish", the analysis before lemmas) and
        // unknown names are refused: their terms are not this version's.
        let old: BuildInfo = serde_json::from_str(
            r#"{"generation":"gen-000001","built_at":"","corpus":"c","files":1,
                "documents":1,"documents_by_kind":{},"warnings":0,"seconds":0.0,
                "version":"0.1.0"}"#,
        )
        .unwrap();
        assert_eq!(old.analysis, "swedish");
        for name in ["swedish", "swedish+stopwords", "future"] {
            assert_eq!(analysis_options(name), None, "{name}");
        }
    }

    #[test]
    fn utc_now_is_rfc3339() {
        let s = utc_now();
        assert_eq!(s.len(), 20);
        assert!(s.ends_with('Z') && s.starts_with("20"));
    }
}
