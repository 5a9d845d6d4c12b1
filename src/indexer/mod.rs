//! Building an index from a corpus folder: walk, decode, parse, analyse and write a new
//! generation, check it, then switch readers to it atomically. Nothing here prints:
//! progress goes through [`Progress`], problems come back as warnings in the
//! [`BuildReport`].

pub mod corpus;
pub mod generation;

use crate::analyzer::{self, Analyzer};
use crate::model::Kind;
use crate::parser::{self, Warning};
use crate::schema::Fields;
use generation::{BuildInfo, WriterLock};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
        }
    }
}

/// What a build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub info: BuildInfo,
    pub warnings: Vec<Warning>,
    /// Stale lock holder's pid taken over, if any.
    pub stale_lock: Option<String>,
    /// Generations removed after the switch.
    pub removed: Vec<String>,
}

/// Errors that stop a build; the live generation is left untouched.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("corpus folder {0} does not exist or is not a folder")]
    NoCorpus(PathBuf),
    #[error(transparent)]
    Lock(#[from] generation::LockError),
    #[error("index {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("self-check of the new index failed: {0}; the previous index stays live")]
    SelfCheck(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Build a new generation from the corpus and make it live.
pub fn build(opts: &BuildOptions, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    if !opts.corpus.is_dir() {
        return Err(BuildError::NoCorpus(opts.corpus.clone()));
    }
    let (_lock, stale_lock) = WriterLock::acquire(&opts.index)?;

    let (files, mut warnings) = corpus::walk(&opts.corpus, &opts.include);
    progress.start(files.len() as u64);

    let name = generation::next_name(&opts.index);
    let dir = generation::generation_dir(&opts.index, &name);
    std::fs::create_dir_all(&dir).map_err(io_err(&dir))?;

    let fields = Fields::new();
    let index = Index::create(
        MmapDirectory::open(&dir).map_err(|e| BuildError::Tantivy(e.into()))?,
        fields.schema.clone(),
        tantivy::IndexSettings::default(),
    )?;
    let analyzer = Analyzer::default();
    analyzer::register(&index, &analyzer);
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(4)
    } else {
        opts.threads
    };
    let memory = opts.memory.max((threads * 16) << 20);
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, memory)?;

    let mut documents = 0usize;
    let mut by_kind: BTreeMap<String, usize> = Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), 0))
        .collect();
    let mut probe: Option<String> = None;
    let threads = link_threads(&files);
    for file in &files {
        let bytes = match std::fs::read(&file.path) {
            Ok(b) => b,
            Err(e) => {
                warnings.push(Warning {
                    file: file.rel.clone(),
                    line: 0,
                    message: format!("cannot read: {e}; skipped"),
                });
                progress.file_done(&file.rel);
                continue;
            }
        };
        let Some(text) = corpus::decode(&file.rel, &bytes, &mut warnings) else {
            progress.file_done(&file.rel);
            continue;
        };
        let mut parsed = parser::parse_file(&file.rel, &text);
        warnings.extend(parsed.warnings);
        for doc in &mut parsed.documents {
            threads.apply(doc);
            if probe.is_none() {
                probe = doc.title.split_whitespace().next().map(str::to_string);
            }
            *by_kind.entry(doc.kind.as_str().to_string()).or_default() += 1;
            writer.add_document(fields.to_tantivy(doc))?;
            documents += 1;
        }
        progress.file_done(&file.rel);
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    progress.finish();

    self_check(&index, &fields, &analyzer, documents, probe.as_deref())?;

    let info = BuildInfo {
        generation: name.clone(),
        built_at: generation::utc_now(),
        corpus: std::fs::canonicalize(&opts.corpus)
            .unwrap_or_else(|_| opts.corpus.clone())
            .display()
            .to_string(),
        files: files.len(),
        documents,
        documents_by_kind: by_kind,
        warnings: warnings.len(),
        seconds: started.elapsed().as_secs_f64(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let info_path = dir.join(generation::BUILD_INFO);
    let json = serde_json::to_vec_pretty(&info).expect("build info serialises");
    generation::atomic_write(&info_path, &json).map_err(io_err(&info_path))?;
    generation::switch_to(&opts.index, &name).map_err(io_err(&opts.index))?;
    let removed = generation::clean(&opts.index, opts.keep).map_err(io_err(&opts.index))?;
    Ok(BuildReport {
        info,
        warnings,
        stale_lock,
        removed,
    })
}

/// First pass over the corpus: parse every file and keep only ids, periods and titles,
/// to link the same assignment across reports ([`crate::threads`]) before any document
/// is written. Problems are reported by the main pass, not here.
fn link_threads(files: &[corpus::CorpusFile]) -> crate::threads::Threads {
    let mut linker = crate::threads::Linker::default();
    for file in files {
        let Ok(bytes) = std::fs::read(&file.path) else {
            continue;
        };
        let Some(text) = corpus::decode(&file.rel, &bytes, &mut Vec::new()) else {
            continue;
        };
        for doc in parser::parse_file(&file.rel, &text).documents {
            linker.add(&doc);
        }
    }
    linker.finish()
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

/// Switch back to the previous complete generation. Returns (from, to).
pub fn rollback(index: &Path) -> Result<(String, String), BuildError> {
    let (_lock, _) = WriterLock::acquire(index)?;
    let live = generation::current(index)
        .map_err(io_err(index))?
        .ok_or_else(|| BuildError::SelfCheck("no live generation to roll back from".into()))?;
    let prev = generation::previous(index)
        .map_err(io_err(index))?
        .ok_or_else(|| {
            BuildError::SelfCheck(format!(
                "no complete generation older than {live} is kept; nothing to roll back to"
            ))
        })?;
    generation::switch_to(index, &prev).map_err(io_err(index))?;
    Ok((live, prev))
}
