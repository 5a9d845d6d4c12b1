//! Building an index from a corpus folder: walk, decode, parse, analyse and write a new
//! generation, check it, then switch readers to it atomically; roll back to the previous
//! build. The folder's layout, `CURRENT`, the lock and the atomic write are
//! [`crate::store`]'s; this module decides what a build writes and when it may go live.
//! Nothing here prints: progress goes through [`Progress`], problems come back as
//! warnings in the [`BuildReport`].

pub mod corpus;
pub mod seen;
pub mod test_hook;

use crate::analyzer::{self, Analyzer, AnalyzerOptions};
use crate::model::{DocId, Document, Kind};
use crate::parser::{self, Parsed, Warning};
use crate::schema::{FacetDictionary, Fields};
use crate::store::{self, BuildInfo, WriterLock};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexWriter};

/// Progress of a build, implemented by the CLI with a progress bar and by tests as a no-op.
pub trait Progress: Sync {
    fn start(&self, _files: u64) {}
    fn file_done(&self, _rel: &str) {}
    fn finish(&self) {}
}

/// A progress sink that shows nothing.
pub struct NoProgress;
impl Progress for NoProgress {}

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub corpus: PathBuf,
    pub index: PathBuf,
    /// Extra file extensions to read besides `.txt`.
    pub include: Vec<String>,
    /// Complete previous generations to keep for rollback.
    pub keep: usize,
    /// Writer memory budget in bytes (tantivy may use up to about twice this).
    pub memory: usize,
    /// Indexing threads (0 = number of cores, at most 4).
    pub threads: usize,
    /// Treat warnings about corpus files as failure: build, but do not switch readers to
    /// the new generation (it is removed).
    pub strict: bool,
    /// Analysis (the default, or the plain-Snowball baseline for measurements).
    pub analysis: AnalyzerOptions,
    /// Make the build live even when it holds far fewer documents than the live one
    /// (see [`BuildError::Shrink`]).
    pub allow_shrink: bool,
    /// Build only when there is no live generation yet (a first search): when another
    /// process built one meanwhile, return [`BuildError::AlreadyBuilt`].
    pub only_if_missing: bool,
}

impl BuildOptions {
    pub fn new(corpus: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        BuildOptions {
            corpus: corpus.into(),
            index: index.into(),
            include: Vec::new(),
            keep: 1,
            memory: 128 << 20,
            threads: 0,
            strict: false,
            analysis: AnalyzerOptions::default(),
            allow_shrink: false,
            only_if_missing: false,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub info: BuildInfo,
    pub warnings: Vec<Warning>,
    /// Files not read because of their extension, relative to the corpus (see
    /// [`corpus::Walk::skipped`]).
    pub skipped: Vec<String>,
    /// Stale lock holder's pid taken over, if any.
    pub stale_lock: Option<String>,
    /// Leftovers of dead builds removed before this one started.
    pub leftovers: Vec<String>,
    /// Generations removed after the switch.
    pub removed: Vec<String>,
    /// False when `strict` found warnings: the build was complete but discarded, and the
    /// previous generation stays live.
    pub switched: bool,
    /// Removing old generations failed after the switch (the new one is live anyway).
    pub cleanup_error: Option<String>,
    /// Where the build's time went (for benchmarks; not saved in `build.json`).
    pub phases: BuildPhases,
}

/// Time of a build's phases, in seconds. Files are read and parsed by one worker per
/// core while tantivy's threads analyse and index; `read_secs`, `parse_secs` and
/// `index_secs` are summed over the workers (thread-seconds), the others are wall time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BuildPhases {
    /// Reading the files and decoding them to text (thread-seconds).
    pub read_secs: f64,
    /// `parser::parse_file` over all files (thread-seconds).
    pub parse_secs: f64,
    /// Building tantivy documents and `add_document` (thread-seconds, including waits
    /// while the writer's queue is full).
    pub index_secs: f64,
    /// Wall time of the first pass that links assignments into threads.
    pub link_secs: f64,
    /// Wall time from the start until every file was handed to the writer.
    pub feed_secs: f64,
    /// `commit` and waiting for merging threads (wall time).
    pub commit_secs: f64,
    /// Self-check of the new index, `build.json`, switch and clean-up (wall time).
    pub finish_secs: f64,
}

impl BuildReport {
    /// Whether anything deserves the administrator's attention (exit code 3).
    pub fn has_warnings(&self) -> bool {
        self.warnings.iter().any(|w| !w.notice)
            || self.stale_lock.is_some()
            || self.cleanup_error.is_some()
    }
}

/// Removes a generation directory that never became live when the build returns early
/// (an error, or `strict`). A killed process cannot run it; the next build's `clean`
/// removes such leftovers.
struct Unfinished {
    dir: PathBuf,
    armed: bool,
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Errors that stop a build; the live generation is left untouched. A message does not
/// repeat its `source` (the CLI prints the chain once).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("corpus folder {0} does not exist or is not a folder")]
    NoCorpus(PathBuf),
    #[error(
        "the index folder {index} is inside the corpus folder {corpus}; an index there would \
         be read as part of the corpus. Choose an index folder outside the corpus"
    )]
    IndexInCorpus { index: PathBuf, corpus: PathBuf },
    #[error(
        "the corpus folder {corpus} is inside the index folder {index}; choose a corpus \
         folder outside the index"
    )]
    CorpusInIndex { index: PathBuf, corpus: PathBuf },
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error(transparent)]
    Lock(#[from] store::LockError),
    #[error(
        "found no documents in {corpus} ({files} files read); the live index stays as it was. \
         Is the folder mounted, and does it hold the reports (KOMMUN/YYYY-Tn.txt)?"
    )]
    Empty { corpus: PathBuf, files: usize },
    #[error(
        "the new build would shrink the index: {reason}; the live index ({live}) stays. \
         If that is what you want (reports were removed on purpose), run again with \
         --allow-shrink"
    )]
    Shrink { live: String, reason: String },
    #[error(
        "no space left on the device of {path}; the live index stays as it was. Free some \
         space and run again (a build needs about 1.5 times the corpus size while it runs)"
    )]
    DiskFull { path: PathBuf },
    #[error("index {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("tantivy")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("self-check of the new index failed: {0}; the previous index stays live")]
    SelfCheck(String),
    #[error("cannot roll back: {0}")]
    Rollback(String),
    #[error("another process built the index meanwhile")]
    AlreadyBuilt,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Build a new generation from the corpus and make it live.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    if !opts.corpus.is_dir() {
        return Err(BuildError::NoCorpus(opts.corpus.clone()));
    }
    check_apart(&opts.corpus, &opts.index)?;
    store::prepare(&opts.index)?;
    let locked = || {
        let (_lock, stale_lock) = WriterLock::acquire(&opts.index)?;
        test_hook::phase("locked");
        if opts.only_if_missing && store::current(&opts.index).ok().flatten().is_some() {
            return Err(BuildError::AlreadyBuilt);
        }
        // Holding the lock, every other writer is dead: what their builds left is garbage.
        let leftovers = store::remove_dead(&opts.index).map_err(io_err(&opts.index))?;
        build_locked(opts, progress, stale_lock, leftovers)
    };
    locked().map_err(|e| diagnose(e, &opts.index))
}

/// The indexing threads of a `threads` option: 0 means one per core, at most 4.
pub fn effective_threads(threads: usize) -> usize {
    if threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4)
    } else {
        threads
    }
}

/// Refuse an index folder inside the corpus folder, or the other way round.
fn check_apart(corpus: &Path, index: &Path) -> Result<(), BuildError> {
    let corpus_abs = std::fs::canonicalize(corpus).map_err(io_err(corpus))?;
    let index_abs = resolve_nearest(index);
    if index_abs.starts_with(&corpus_abs) {
        return Err(BuildError::IndexInCorpus {
            index: index.to_path_buf(),
            corpus: corpus.to_path_buf(),
        });
    }
    if corpus_abs.starts_with(&index_abs) {
        return Err(BuildError::CorpusInIndex {
            index: index.to_path_buf(),
            corpus: corpus.to_path_buf(),
        });
    }
    Ok(())
}

/// The absolute form of a path that may not exist yet: its nearest existing ancestor
/// with symlinks resolved, and the rest as written.
fn resolve_nearest(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut probe = abs.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(probe) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (probe.parent(), probe.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                probe = parent;
            }
            _ => return abs,
        }
    }
}

/// Name a full disk as the cause of a failed build: tantivy reports a writer thread that
/// died of it only as "An index writer was killed".
fn diagnose(e: BuildError, index: &Path) -> BuildError {
    let full = |io: &std::io::Error| {
        io.kind() == std::io::ErrorKind::StorageFull || matches!(io.raw_os_error(), Some(28 | 122))
    };
    let in_chain = {
        let mut cause: Option<&dyn std::error::Error> = Some(&e);
        let mut found = false;
        while let Some(c) = cause {
            found |= c.downcast_ref::<std::io::Error>().is_some_and(full);
            cause = c.source();
        }
        found
    };
    let probe = || {
        let path = index.join(format!(".space.tmp{}", std::process::id()));
        let result = std::fs::write(&path, vec![0u8; 1 << 20]);
        let _ = std::fs::remove_file(&path);
        result.err().is_some_and(|io| full(&io))
    };
    let tantivy_or_io = matches!(
        e,
        BuildError::Tantivy(_) | BuildError::Io { .. } | BuildError::Lock(_)
    );
    if in_chain || (tantivy_or_io && probe()) {
        return BuildError::DiskFull {
            path: index.to_path_buf(),
        };
    }
    e
}

/// Build a new generation while holding the writer lock: scan the corpus, link threads,
/// feed every file to the writer, tally and commit, check the result, then make it live
/// (unless `strict` found warnings). The generation is removed again on any early return.
fn build_locked(
    opts: &BuildOptions,
    progress: &dyn Progress,
    stale_lock: Option<String>,
    leftovers: Vec<String>,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    // The build's time: `built_at`, and the `first_seen` of what is new in it.
    let stamper = seen::Stamper::new(&opts.index, crate::timestamp::Timestamp::now());

    let corpus::Walk {
        files,
        mut warnings,
        skipped,
    } = corpus::scan(&opts.corpus, &opts.include);
    progress.start(files.len() as u64);

    let name = store::next_name(&opts.index);
    let dir = store::generation_dir(&opts.index, &name);
    let mut unfinished = Unfinished {
        dir: dir.clone(),
        armed: true,
    };
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;

    let fields = Fields::new();
    let analyzer = Analyzer::new(opts.analysis);
    let threads = effective_threads(opts.threads);
    let (index, writer) = create_generation(&dir, &fields, &analyzer, threads, opts.memory)?;

    // First pass: link the same assignment across reports (titles only).
    let threads_started = Instant::now();
    let (links, duplicate_periods, dictionary) = link_threads(&files, threads);
    warnings.extend(duplicate_periods);
    let link_secs = threads_started.elapsed().as_secs_f64();

    let (results, mut phases) = feed(
        &files,
        threads,
        &fields,
        &writer,
        (&links, &dictionary),
        &stamper,
        progress,
    )?;
    phases.link_secs = link_secs;
    phases.feed_secs = started.elapsed().as_secs_f64();
    let tally = Tally::of(results, &mut warnings);
    tally.check(opts, files.len())?;
    phases.commit_secs = commit(writer, &dictionary)?;
    progress.finish();
    let finish_started = Instant::now();

    self_check(
        &index,
        &fields,
        &analyzer,
        tally.documents,
        tally.probe.as_deref(),
    )?;

    let info = tally.info(
        opts,
        &name,
        files.len(),
        warnings.iter().filter(|w| !w.notice).count(),
        started,
        stamper.now,
    );
    drop(stamper);
    let mut report = BuildReport {
        info,
        warnings,
        skipped,
        stale_lock,
        leftovers,
        removed: Vec::new(),
        switched: false,
        cleanup_error: None,
        phases,
    };
    if opts.strict && report.warnings.iter().any(|w| !w.notice) {
        // `unfinished` removes the complete but unwanted generation on return.
        return Ok(report);
    }
    (report.removed, report.cleanup_error) =
        go_live(opts, &dir, &name, &report.info, &mut unfinished)?;
    report.switched = true;
    report.phases.finish_secs = finish_started.elapsed().as_secs_f64();
    Ok(report)
}

/// Create an empty tantivy index with the build's schema in the generation folder `dir`,
/// register the analyzer on it and open its writer (`threads` threads, at least 16 MiB
/// of `memory` each).
fn create_generation(
    dir: &Path,
    fields: &Fields,
    analyzer: &Analyzer,
    threads: usize,
    memory: usize,
) -> Result<(Index, IndexWriter), BuildError> {
    let index = Index::create(
        MmapDirectory::open(dir).map_err(|e| BuildError::Tantivy(e.into()))?,
        fields.schema.clone(),
        tantivy::IndexSettings::default(),
    )?;
    analyzer::register(&index, analyzer);
    let memory = memory.max((threads * 16) << 20);
    let writer: IndexWriter = index.writer_with_num_threads(threads, memory)?;
    Ok((index, writer))
}

/// The indexing pass. One worker per core reads and parses whole files and hands
/// documents to the writer (whose own threads analyse and index them); results are kept
/// per file so warnings and counts come out in corpus order whatever the scheduling.
/// Returns each file's result (`None` for a file not reached) and the workers' summed
/// phases, or the first error a worker met (the others then stop).
fn feed(
    files: &[corpus::CorpusFile],
    threads: usize,
    fields: &Fields,
    writer: &IndexWriter,
    (links, dictionary): (&crate::threads::Threads, &FacetDictionary),
    stamper: &seen::Stamper,
    progress: &dyn Progress,
) -> Result<(Vec<Option<FileResult>>, BuildPhases), BuildError> {
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<FileResult>>> = files.iter().map(|_| Mutex::new(None)).collect();
    let failure: Mutex<Option<BuildError>> = Mutex::new(None);
    let worker_phases: Mutex<BuildPhases> = Mutex::new(BuildPhases::default());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut phases = BuildPhases::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    if failure.lock().map(|f| f.is_some()).unwrap_or(true) {
                        break;
                    }
                    let shared = (links, dictionary);
                    match index_file(file, i, fields, writer, shared, stamper, &mut phases) {
                        Ok(r) => {
                            if i == 0 {
                                test_hook::phase("indexing");
                            }
                            if let Ok(mut slot) = results[i].lock() {
                                *slot = Some(r);
                            }
                        }
                        Err(e) => {
                            if let Ok(mut f) = failure.lock() {
                                f.get_or_insert(e);
                            }
                        }
                    }
                    progress.file_done(&file.rel);
                }
                if let Ok(mut p) = worker_phases.lock() {
                    p.read_secs += phases.read_secs;
                    p.parse_secs += phases.parse_secs;
                    p.index_secs += phases.index_secs;
                }
            });
        }
    });
    if let Some(e) = failure.into_inner().ok().flatten() {
        return Err(e);
    }
    let phases = worker_phases.into_inner().unwrap_or_default();
    let results = results
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect();
    Ok((results, phases))
}

/// Commit the writer, with the facet dictionary as the commit's payload, and wait for
/// its merging threads: afterwards the new generation is complete on disk. Returns the
/// wall time this took.
fn commit(mut writer: IndexWriter, dictionary: &FacetDictionary) -> Result<f64, BuildError> {
    let commit_started = Instant::now();
    test_hook::phase("commit");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&dictionary.to_payload());
    prepared.commit()?;
    writer.wait_merging_threads()?;
    Ok(commit_started.elapsed().as_secs_f64())
}

/// The indexing pass's per-file results summed over the corpus.
struct Tally {
    documents: usize,
    by_kind: BTreeMap<String, usize>,
    by_municipality: BTreeMap<String, usize>,
    /// The first file's probe word, for the self-check.
    probe: Option<String>,
}

impl Tally {
    /// Sum the files' results in corpus order, moving their warnings to `warnings`.
    fn of(results: Vec<Option<FileResult>>, warnings: &mut Vec<Warning>) -> Tally {
        let mut tally = Tally {
            documents: 0,
            by_kind: Kind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), 0))
                .collect(),
            by_municipality: BTreeMap::new(),
            probe: None,
        };
        for r in results.into_iter().flatten() {
            warnings.extend(r.warnings);
            tally.documents += r.documents;
            for (k, n) in r.by_kind {
                *tally.by_kind.entry(k.to_string()).or_default() += n;
            }
            for (m, n) in r.by_municipality {
                *tally.by_municipality.entry(m).or_default() += n;
            }
            if tally.probe.is_none() {
                tally.probe = r.probe;
            }
        }
        tally
    }

    /// Refuse a build that found no documents, or (without `allow_shrink`) one that lost
    /// too much of the live index (see [`check_shrink`]).
    fn check(&self, opts: &BuildOptions, files: usize) -> Result<(), BuildError> {
        if self.documents == 0 {
            return Err(BuildError::Empty {
                corpus: opts.corpus.clone(),
                files,
            });
        }
        if !opts.allow_shrink {
            check_shrink(&opts.index, self.documents, &self.by_municipality)?;
        }
        Ok(())
    }

    /// The `build.json` of generation `name`, built at `built_at` from `files` files
    /// with `warnings` warnings in the time since `started`.
    fn info(
        self,
        opts: &BuildOptions,
        name: &str,
        files: usize,
        warnings: usize,
        started: Instant,
        built_at: crate::timestamp::Timestamp,
    ) -> BuildInfo {
        BuildInfo {
            generation: name.to_string(),
            built_at: built_at.to_string(),
            corpus: std::fs::canonicalize(&opts.corpus)
                .unwrap_or_else(|_| opts.corpus.clone())
                .display()
                .to_string(),
            files,
            documents: self.documents,
            documents_by_kind: self.by_kind,
            documents_by_municipality: self.by_municipality,
            warnings,
            seconds: started.elapsed().as_secs_f64(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            analysis: store::analysis_name(opts.analysis).to_string(),
        }
    }
}

/// Make the checked generation `name` live: write its `build.json`, share it with
/// readers, switch `CURRENT` to it (disarming `unfinished` once it is live) and remove
/// generations beyond `keep`. Returns the removed generations and, if removing failed,
/// why (only a warning: the new generation is live by then).
fn go_live(
    opts: &BuildOptions,
    dir: &Path,
    name: &str,
    info: &BuildInfo,
    unfinished: &mut Unfinished,
) -> Result<(Vec<String>, Option<String>), BuildError> {
    let info_path = dir.join(store::BUILD_INFO);
    let json = serde_json::to_vec_pretty(info).expect("build info serialises");
    store::atomic_write(&info_path, &json).map_err(io_err(&info_path))?;
    store::share_with_readers(dir).map_err(io_err(dir))?;
    test_hook::phase("switch");
    if let Err(e) = store::switch_to(&opts.index, name) {
        // If the rename happened (and only the fsync after it failed), the new generation
        // is live: it must not be removed.
        if store::current(&opts.index).ok().flatten().as_deref() == Some(name) {
            unfinished.armed = false;
        }
        return Err(io_err(&opts.index)(e));
    }
    unfinished.armed = false;
    test_hook::phase("switched");
    // The new generation is live: a failure to remove old ones is only a warning.
    Ok(match store::clean(&opts.index, opts.keep) {
        Ok(removed) => (removed, None),
        Err(e) => (Vec::new(), Some(format!("removing old generations: {e}"))),
    })
}

/// Keep the live index when the new build lost more than half its documents or a whole
/// municipality: most likely an unmounted share or a moved folder, not a wish.
fn check_shrink(
    index: &Path,
    documents: usize,
    by_municipality: &BTreeMap<String, usize>,
) -> Result<(), BuildError> {
    let Some(live) = store::current(index).ok().flatten() else {
        return Ok(());
    };
    let Some(info) = store::build_info(index, &live) else {
        return Ok(());
    };
    let lost: Vec<&str> = info
        .documents_by_municipality
        .keys()
        .filter(|m| !by_municipality.contains_key(*m))
        .map(String::as_str)
        .collect();
    let reason = if documents * 2 < info.documents {
        format!(
            "it holds {documents} documents, the live index {}",
            info.documents
        )
    } else if !lost.is_empty() {
        let shown: Vec<&str> = lost.iter().take(5).copied().collect();
        format!(
            "{} municipalit{} of the live index {} missing ({}{})",
            lost.len(),
            if lost.len() == 1 { "y" } else { "ies" },
            if lost.len() == 1 { "is" } else { "are" },
            shown.join(", "),
            if lost.len() > 5 { ", ..." } else { "" }
        )
    } else {
        return Ok(());
    };
    Err(BuildError::Shrink { live, reason })
}

/// What one file contributed.
#[derive(Debug, Default)]
struct FileResult {
    warnings: Vec<Warning>,
    documents: usize,
    by_kind: Vec<(&'static str, usize)>,
    by_municipality: BTreeMap<String, usize>,
    /// A title word of the file's first document, for the self-check.
    probe: Option<String>,
}

/// Read and parse one file and hand its documents to the writer.
fn index_file(
    file: &corpus::CorpusFile,
    file_rank: usize,
    fields: &Fields,
    writer: &IndexWriter,
    (links, dictionary): (&crate::threads::Threads, &FacetDictionary),
    stamper: &seen::Stamper,
    phases: &mut BuildPhases,
) -> Result<FileResult, BuildError> {
    let mut r = FileResult::default();
    let mut by_kind = [0usize; 3];
    let mut warnings = Vec::new();
    let mut index_secs = 0.0;
    file_documents(file, &mut warnings, phases, |mut doc| {
        let clock = Instant::now();
        links.apply(&mut doc);
        if r.probe.is_none() {
            r.probe = doc.title.split_whitespace().next().map(str::to_string);
        }
        by_kind[doc.kind as usize] += 1;
        // Counted without a new String per document: this runs for every document.
        if let Some(m) = &doc.municipality {
            match r.by_municipality.get_mut(m) {
                Some(n) => *n += 1,
                None => {
                    r.by_municipality.insert(m.clone(), 1);
                }
            }
        }
        let hash = stamper.stamp(&mut doc);
        let mut td = fields.to_tantivy_with(&doc, Some(dictionary));
        if let Some(order) = fields.order {
            td.add_u64(order, Fields::order_key(file_rank, r.documents));
        }
        if let Some(field) = fields.content_hash {
            td.add_u64(field, hash);
        }
        writer.add_document(td)?;
        r.documents += 1;
        index_secs += clock.elapsed().as_secs_f64();
        Ok(())
    })?;
    phases.index_secs += index_secs;
    if r.documents == 0 && warnings.iter().all(|w| w.notice) {
        warnings.push(Warning {
            notice: false,
            file: file.rel.clone(),
            line: 1,
            message: "no assignment, section or text after the header; nothing indexed".into(),
        });
    }
    r.warnings = warnings;
    r.by_kind = Kind::ALL
        .iter()
        .map(|k| (k.as_str(), by_kind[*k as usize]))
        .collect();
    Ok(r)
}

/// The documents of one file, in order, with their final ids and lines: read (in
/// pieces when large), decoded, parsed (plain text if the parser fails). Shared by the
/// thread-linking pass and the indexing pass, so both see the same ids.
fn file_documents(
    file: &corpus::CorpusFile,
    warnings: &mut Vec<Warning>,
    phases: &mut BuildPhases,
    each: impl FnMut(Document) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    file_documents_with(corpus::LIMITS, file, warnings, phases, each)
}

/// The most text, in pieces, that [`file_documents_with`] parses at once.
const HELD_PIECES: usize = 4;

/// [`file_documents`] with other size limits (small ones in tests). A file read in
/// pieces is parsed as one file: the parser's context (the report and its period) goes
/// from piece to piece, and the text of an assignment that may go on in the next piece
/// is held back and parsed with it ([`parser::parse_piece`]) while it is shorter than
/// [`HELD_PIECES`] pieces, so memory stays bounded.
fn file_documents_with(
    limits: corpus::Limits,
    file: &corpus::CorpusFile,
    warnings: &mut Vec<Warning>,
    phases: &mut BuildPhases,
    mut each: impl FnMut(Document) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    let mut ordinal = 0usize;
    let mut clock = Instant::now();
    let mut context = parser::Context::Start;
    // Text held back from the previous piece, and the file line it starts on.
    let mut carry = String::new();
    let mut carry_line = 1usize;
    corpus::read_pieces_with(limits, file, warnings, |piece, warnings| {
        phases.read_secs += clock.elapsed().as_secs_f64();
        clock = Instant::now();
        let (parsed, first_line) = if piece.whole {
            (parse_or_plain(&file.rel, piece.text, parser::parse_file), 1)
        } else {
            let first_line = if carry.is_empty() {
                piece.first_line
            } else {
                carry_line
            };
            carry.push_str(piece.text);
            let text = std::mem::take(&mut carry);
            if text.is_empty() {
                return Ok(());
            }
            let rel = file.rel.as_str();
            let ctx = context;
            // Text is held back for the next piece while it stays within a few pieces
            // (an assignment longer than that is read in parts).
            let hold = !piece.last && text.len() < HELD_PIECES * limits.piece;
            let result = std::panic::catch_unwind(|| parser::parse_piece(rel, &text, ctx, hold))
                .unwrap_or_else(|_| parser::PieceParsed {
                    parsed: parser_failed(rel, &text),
                    carry_from: None,
                    context: parser::Context::Text,
                });
            context = result.context;
            if let Some(from) = result.carry_from {
                carry = text[parser::normalize::line_offset(&text, from)..].to_string();
                carry_line = first_line + from - 1;
            }
            let mut parsed = result.parsed;
            for w in &mut parsed.warnings {
                if w.line > 0 {
                    w.line += first_line - 1;
                }
            }
            (parsed, first_line)
        };
        phases.parse_secs += clock.elapsed().as_secs_f64();
        warnings.extend(parsed.warnings);
        for mut doc in parsed.documents {
            ordinal += 1;
            if !piece.whole {
                doc.id = DocId::format(&file.rel, ordinal);
                doc.line += first_line - 1;
            }
            doc.source.format = file.format;
            if let Some(x) = piece.extracted {
                doc.source.page = x.page_of(doc.line);
                doc.source.anchor = x.anchor_of(doc.line).map(str::to_string);
            }
            each(doc)?;
        }
        clock = Instant::now();
        Ok(())
    })
}

/// First pass over the corpus: parse every file (one worker per core) and keep only
/// ids, periods and titles, to link the same assignment across reports
/// ([`crate::threads`]) before any document is written, and the municipalities and
/// units, to number them in the facet code ([`FacetDictionary`]). Problems in a file
/// are reported by the indexing pass; this pass warns about a report period that a
/// municipality has in more than one file (the same report twice: `slipping` counts it
/// once).
fn link_threads(
    files: &[corpus::CorpusFile],
    workers: usize,
) -> (crate::threads::Threads, Vec<Warning>, FacetDictionary) {
    let next = AtomicUsize::new(0);
    let per_file: Vec<Mutex<Vec<Document>>> = files.iter().map(|_| Mutex::default()).collect();
    let names: Mutex<(HashSet<String>, HashSet<String>)> = Mutex::default();
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            scope.spawn(|| {
                let mut phases = BuildPhases::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(file) = files.get(i) else { break };
                    if i == 0 {
                        test_hook::phase("parsing");
                    }
                    let mut docs = Vec::new();
                    let (mut municipalities, mut units) = (HashSet::new(), HashSet::new());
                    let _ = file_documents(file, &mut Vec::new(), &mut phases, |mut d| {
                        if let Some(m) = &d.municipality {
                            if !municipalities.contains(m) {
                                municipalities.insert(m.clone());
                            }
                        }
                        if let Some(u) = &d.unit {
                            if !units.contains(u) {
                                units.insert(u.clone());
                            }
                        }
                        // Only assignments and goal pages take part in threads; keep
                        // no more of them than the linker reads.
                        if d.kind != Kind::Text {
                            d.body = String::new();
                            d.section = None;
                            docs.push(d);
                        }
                        Ok(())
                    });
                    if let Ok(mut slot) = per_file[i].lock() {
                        *slot = docs;
                    }
                    if let Ok(mut names) = names.lock() {
                        names.0.extend(municipalities);
                        names.1.extend(units);
                    }
                }
            });
        }
    });
    let mut linker = crate::threads::Linker::default();
    let mut periods = PeriodFiles::default();
    for slot in per_file {
        let docs = slot.into_inner().unwrap_or_default();
        periods.add(&docs);
        for doc in docs {
            linker.add(&doc);
        }
    }
    let (municipalities, units) = names.into_inner().unwrap_or_default();
    let dictionary = FacetDictionary::new(municipalities, units);
    (linker.finish(), periods.warnings, dictionary)
}

/// The files that hold each municipality's report periods, to warn about the same
/// report in a second file. A committee's view of a period (its own assignments, often
/// with unit lines) beside the council's whole report is not a duplicate: a second file
/// is warned about only when it holds the same assignments as an earlier one (see
/// [`same_report`]).
#[derive(Default)]
struct PeriodFiles {
    /// Per (municipality, year, tertial): each earlier file and its assignments' titles.
    seen: HashMap<PeriodKey, Vec<(String, HashSet<String>)>>,
    warnings: Vec<Warning>,
}

type PeriodKey = (Option<String>, u16, crate::model::Tertial);

/// Two files of one period hold the same report when at least four in five of the
/// larger one's assignment titles (normalised) are in both.
fn same_report(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    let shared = a.intersection(b).count();
    shared > 0 && shared * 5 >= a.len().max(b.len()) * 4
}

impl PeriodFiles {
    /// Add the documents of one file (files in corpus order).
    fn add(&mut self, docs: &[Document]) {
        // This file's periods: where each starts and the titles of its assignments.
        let mut here: Vec<(PeriodKey, usize, HashSet<String>)> = Vec::new();
        for d in docs.iter().filter(|d| d.kind == Kind::Uppdrag) {
            let (Some(year), Some(tertial)) = (d.year, d.tertial) else {
                continue;
            };
            let key = (d.municipality.clone(), year, tertial);
            let title = crate::threads::normalize(&d.title);
            match here.iter_mut().find(|(k, ..)| *k == key) {
                Some((_, _, titles)) => {
                    titles.insert(title);
                }
                None => here.push((key, d.line, HashSet::from([title]))),
            }
        }
        let Some(file) = docs.first().map(|d| d.file.clone()) else {
            return;
        };
        for (key, line, titles) in here {
            let earlier = self.seen.entry(key.clone()).or_default();
            if let Some((first, _)) = earlier.iter().find(|(_, t)| same_report(t, &titles)) {
                let (municipality, year, tertial) = &key;
                self.warnings.push(Warning {
                    notice: false,
                    file: file.clone(),
                    line,
                    message: format!(
                        "the report for {} {year} of {} is also in {first}: the same report \
                         twice? `slipping` counts the period once; remove one of the files",
                        tertial.as_str(),
                        municipality.as_deref().unwrap_or("the corpus folder"),
                    ),
                });
            }
            earlier.push((file.clone(), titles));
        }
    }
}

/// Parse one file (or piece), falling back to plain passages if the parser panics: the
/// parser is written never to panic, and this is the last resort that keeps a parser bug
/// from dropping a file or aborting the build.
fn parse_or_plain(
    rel: &str,
    text: &str,
    parse: impl FnOnce(&str, &str) -> Parsed + std::panic::UnwindSafe,
) -> Parsed {
    std::panic::catch_unwind(|| parse(rel, text)).unwrap_or_else(|_| parser_failed(rel, text))
}

/// What a file (or piece) on which the parser panicked is indexed as: plain passages,
/// with a warning.
fn parser_failed(rel: &str, text: &str) -> Parsed {
    Parsed {
        documents: plain_passages(rel, text),
        warnings: vec![Warning {
            notice: false,
            file: rel.to_string(),
            line: 0,
            message: "the report parser failed on this file (a bug: please report it); \
                      indexed as plain text"
                .into(),
        }],
    }
}

/// Words per passage of [`plain_passages`].
const FALLBACK_PASSAGE_WORDS: usize = 300;

/// The simplest reading of a text: passages of whole lines, about
/// [`FALLBACK_PASSAGE_WORDS`] words each, titled by the first line. Independent of the
/// parser on purpose.
fn plain_passages(rel: &str, text: &str) -> Vec<Document> {
    let (year, tertial) = parser::period_from_file_name(rel);
    let title: String = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(parser::file_name(rel))
        .chars()
        .take(120)
        .collect();
    let mut docs = Vec::new();
    let mut body = String::new();
    let mut words = 0;
    let mut start = 1;
    let mut flush = |body: &mut String, start: usize| {
        if body.trim().is_empty() {
            body.clear();
            return;
        }
        docs.push(Document {
            municipality: parser::municipality(rel),
            file: rel.to_string(),
            line: start,
            year,
            tertial,
            title: title.clone(),
            body: std::mem::take(body).trim().to_string(),
            ..Document::new(DocId::format(rel, docs.len() + 1), Kind::Text)
        });
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if body.is_empty() {
            start = i + 1;
        }
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(line);
        words += line.split_whitespace().count();
        if words >= FALLBACK_PASSAGE_WORDS {
            flush(&mut body, start);
            words = 0;
        }
    }
    flush(&mut body, start);
    docs
}

/// Open the freshly committed index and check it holds what was added and answers a
/// search, before any reader is switched to it.
fn self_check(
    index: &Index,
    fields: &Fields,
    analyzer: &Analyzer,
    expected: usize,
    probe: Option<&str>,
) -> Result<(), BuildError> {
    let expected = expected + usize::from(test_hook::fail("self-check"));
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let n = searcher.num_docs() as usize;
    if n != expected {
        return Err(BuildError::SelfCheck(format!(
            "{n} documents in the index, {expected} added"
        )));
    }
    if let Some(word) = probe {
        if let Some(term) = analyzer
            .term_groups(word)
            .into_iter()
            .next()
            .and_then(|(_, g)| g.into_iter().next())
        {
            let q = tantivy::query::TermQuery::new(
                tantivy::Term::from_field_text(fields.title, &term),
                tantivy::schema::IndexRecordOption::Basic,
            );
            let hits = searcher.search(&q, &tantivy::collector::Count)?;
            if hits == 0 {
                return Err(BuildError::SelfCheck(format!(
                    "a search for '{word}' found nothing"
                )));
            }
        }
    }
    Ok(())
}

/// Switch back to the previous known-good generation, after checking that it opens and
/// holds what its build recorded; the generation switched away from is marked, so that it
/// is never a rollback target and the next build does not keep it in place of a known-good
/// one. Returns (from, to).
pub fn rollback(index: &Path) -> Result<(String, String), BuildError> {
    let (_lock, _) = WriterLock::acquire(index)?;
    let live = store::current(index)
        .map_err(io_err(index))?
        .ok_or_else(|| BuildError::Rollback("no live generation to roll back from".into()))?;
    let prev = store::previous(index)
        .map_err(io_err(index))?
        .ok_or_else(|| {
            BuildError::Rollback(format!(
                "no complete generation older than {live} is kept; nothing to roll back to"
            ))
        })?;
    verify(index, &prev).map_err(|why| {
        BuildError::Rollback(format!(
            "the previous build {prev} is damaged ({why}); {live} stays live"
        ))
    })?;
    store::mark_rolled_back(index, &live).map_err(io_err(index))?;
    store::switch_to(index, &prev).map_err(io_err(index))?;
    Ok((live, prev))
}

/// Check that a finished generation opens, holds the documents its `build.json` records,
/// and that its stored documents can be read.
fn verify(index: &Path, name: &str) -> Result<(), String> {
    let info = store::build_info(index, name).ok_or("no build.json")?;
    let opened =
        store::open_read_only(&store::generation_dir(index, name)).map_err(|e| e.to_string())?;
    let reader = opened.reader().map_err(|e| e.to_string())?;
    let searcher = reader.searcher();
    let n = searcher.num_docs() as usize;
    if n != info.documents {
        return Err(format!("{n} documents, {} recorded", info.documents));
    }
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        if segment.max_doc() > 0 {
            searcher
                .doc::<tantivy::TantivyDocument>(tantivy::DocAddress::new(ord as u32, 0))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parser_panic_falls_back_to_plain_passages() {
        let text = "Rubrik på första raden\n\n".to_string()
            + &format!("{}\n", "ord ".repeat(50)).repeat(14);
        let parsed = parse_or_plain("kommun/2021-T2.txt", &text, |_, _| panic!("parser bug"));
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].message.contains("indexed as plain text"));
        let docs = parsed.documents;
        assert!(docs.len() >= 2, "{docs:?}");
        assert_eq!(docs[0].id, "kommun/2021-T2.txt#1");
        assert_eq!(docs[1].id, "kommun/2021-T2.txt#2");
        assert_eq!(docs[0].title, "Rubrik på första raden");
        assert_eq!(docs[0].municipality.as_deref(), Some("kommun"));
        assert_eq!(docs[0].year, Some(2021));
        assert!(docs.iter().all(|d| d.kind == Kind::Text));
        let words: usize = docs.iter().map(|d| d.body.split_whitespace().count()).sum();
        assert_eq!(words, 700 + 4, "every word is kept");
    }

    /// A long report: `blocks` assignments with bodies of varying length (block 40 longer
    /// than two pieces of the test), and a second report header with another period
    /// half-way; CRLF line endings when `crlf`.
    fn long_report(blocks: usize, crlf: bool) -> String {
        let mut s = String::from("T2 2022 Uppdrag. Kommentar T2 2022\n");
        for b in 0..blocks {
            if b == blocks / 2 {
                s.push_str("T3 2022 Uppdrag. Kommentar T3 2022\n");
            }
            s.push_str(".\n");
            if b % 7 == 3 {
                s.push_str("(Kommunstyrelsen) .\n");
            }
            s.push_str(&format!("Uppdrag nummer {b} om budget (KS)\n\n"));
            s.push_str(if b % 3 == 0 {
                "Uppdraget är genomfört.\n\n"
            } else {
                "Uppdraget är inte genomfört.\n\n"
            });
            let words = if b == 40 { 1000 } else { 20 + (b * 37) % 150 };
            for p in 0..1 + b % 3 {
                s.push_str(&format!("Stycke {p} i uppdrag {b}: "));
                s.push_str(&"ord och mer text ".repeat(words / 4));
                s.push_str("slut.\n\n");
            }
        }
        if crlf {
            s = s.replace('\n', "\r\n");
        }
        s
    }

    fn file_docs(limits: corpus::Limits, text: &str) -> (Vec<Document>, Vec<Warning>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2022-T2.txt");
        std::fs::write(&path, text).unwrap();
        let file = corpus::CorpusFile {
            path,
            rel: "kommun/2022-T2.txt".into(),
            format: crate::model::SourceFormat::Txt,
        };
        let mut warnings = Vec::new();
        let mut docs = Vec::new();
        let mut phases = BuildPhases::default();
        file_documents_with(limits, &file, &mut warnings, &mut phases, |d| {
            docs.push(d);
            Ok(())
        })
        .unwrap();
        (docs, warnings)
    }

    /// A report read in pieces is parsed as one report: the same documents (ids, lines,
    /// periods, titles, statuses, bodies) and warnings as when it is parsed whole.
    #[test]
    fn a_large_report_read_in_pieces_parses_as_when_whole() {
        for crlf in [false, true] {
            let text = long_report(300, crlf);
            let whole = parser::parse_file("kommun/2022-T2.txt", &text);
            assert_eq!(whole.documents.len(), 300);
            assert!(text.len() > 150_000, "{}", text.len());
            for piece in [4096, 5000, 16_384] {
                let limits = corpus::Limits {
                    large: 16_384,
                    piece,
                };
                let (docs, mut warnings) = file_docs(limits, &text);
                assert!(
                    warnings[0].message.starts_with("large file"),
                    "{warnings:?}"
                );
                warnings.remove(0);
                assert_eq!(warnings, whole.warnings, "piece {piece}");
                assert_eq!(docs.len(), whole.documents.len(), "piece {piece}");
                for (got, want) in docs.iter().zip(&whole.documents) {
                    assert_eq!(got.id, want.id);
                    assert_eq!(got.line, want.line, "{}", want.id);
                    assert_eq!(got.kind, Kind::Uppdrag, "{}", want.id);
                    assert_eq!((got.year, got.tertial), (want.year, want.tertial));
                    assert_eq!(got.title, want.title);
                    assert_eq!(got.committees, want.committees);
                    assert_eq!(got.status, want.status);
                    assert_eq!(got.body, want.body, "{}", want.id);
                }
            }
        }
    }

    #[test]
    fn a_working_parser_is_used_as_is() {
        let parsed = parse_or_plain("a.txt", "hej", parser::parse_file);
        assert_eq!(parsed.documents.len(), 1);
        assert!(!parsed.warnings[0].message.contains("parser failed"));
    }
}
