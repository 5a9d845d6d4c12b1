//! The command-line front end: the only module that touches clap, indicatif, stdout,
//! stderr, terminals and the exit code. It parses arguments, calls the library, renders
//! the results, and maps errors to the documented exit codes.

pub mod args;

use crate::analyzer::Analyzer;
use crate::history;
use crate::indexer::{self, BuildOptions, Progress};
use crate::output::{csv, escape_controls, Analysis, Format, Render, Stats, Style, PIPED_WIDTH};
use crate::searcher::{Request, SearchError, Searcher};
use crate::store;
use args::{Cli, ColorChoice, Command, Location};
use clap::FromArgMatches;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success (also a search with zero hits).
    Ok = 0,
    /// Runtime error: missing index, unreadable corpus, failed build (old index stays).
    Failure = 1,
    /// Usage or query error.
    Usage = 2,
    /// `index` only: success with warnings; the new index is live.
    WithWarnings = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// An error with the exit code it maps to.
#[derive(Debug)]
pub struct CliError {
    pub exit: Exit,
    pub error: anyhow::Error,
}

impl<E: Into<anyhow::Error>> From<E> for CliError {
    fn from(e: E) -> Self {
        let error: anyhow::Error = e.into();
        let exit = match error.downcast_ref::<SearchError>() {
            Some(SearchError::Query(_) | SearchError::Request(_)) => Exit::Usage,
            _ => Exit::Failure,
        };
        CliError { exit, error }
    }
}

/// Entry point used by `main`.
pub fn main() -> ExitCode {
    let parsed = args::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        // Usage errors quote what was typed: escaped like every other message.
        Err(e) if e.use_stderr() => {
            eprint!("{}", escape_controls(&e.render().to_string()));
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
        // --help and --version.
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(e) => {
            if is_broken_pipe(&e.error) {
                return Exit::Ok.into();
            }
            eprintln!("rapportsok: {}", escape_controls(&message(&e.error)));
            e.exit.into()
        }
    }
}

/// An error and its causes on one line, each cause once: `a: b: c`. A cause whose text
/// the message already holds is left out, so an error that both shows its source and
/// returns it from `source()` does not print it twice; tantivy's errors show their
/// cause in their own words, so the chain ends at one.
pub fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !text.is_empty() && !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
        if cause.is::<tantivy::TantivyError>() {
            break;
        }
    }
    out
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Whether human output uses ANSI styling: `--color always`, or `auto` on a terminal
/// without NO_COLOR.
fn style(color: ColorChoice) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Style {
        ansi: match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && !no_color,
        },
    }
}

/// Columns for human output: the terminal's width; when stdout is not a terminal,
/// `COLUMNS` if set, else [`PIPED_WIDTH`].
fn width() -> usize {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(&stdout) {
            return usize::from(w);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
        .unwrap_or(PIPED_WIDTH)
}

/// The output format of a command, chosen once from its flags: `--json`, `--csv` or
/// `--csv-excel` (clap lets at most one through), else text for people.
fn format(json: bool, csv: Option<csv::Separator>, color: ColorChoice) -> Format {
    match (json, csv) {
        (true, _) => Format::Json,
        (false, Some(sep)) => Format::Csv(sep),
        (false, None) => Format::Human {
            style: style(color),
            width: width(),
        },
    }
}

/// Write a command's answer on standard output in `format`.
fn answer(
    format: Format,
    write: impl FnOnce(&dyn Render, &mut dyn Write) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let mut out = format.writer(std::io::stdout().lock());
    write(&*format.renderer(), &mut *out)?;
    out.flush()?;
    Ok(())
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Exit, CliError> {
    let color = cli.color;
    match cli.command {
        Command::Index(a) => cmd_index(a),
        Command::Search(a) => cmd_search(a, color),
        Command::History(a) => cmd_history(a, color),
        Command::Slipping(a) => cmd_slipping(a, color),
        Command::Show(a) => {
            let format = format(a.json, None, color);
            let searcher = open_or_build(a.index.as_deref())?;
            let doc = searcher.show(&a.id)?;
            answer(format, |r, out| r.document(out, &doc))?;
            Ok(Exit::Ok)
        }
        Command::Stats(a) => {
            let format = format(a.json, None, color);
            let searcher = open_or_build(a.index.as_deref())?;
            let (documents, facets) = searcher.stats()?;
            let index = searcher.index_dir.display().to_string();
            let stats = Stats {
                index: &index,
                generation: &searcher.generation,
                info: searcher.info.as_ref(),
                documents,
                facets: &facets,
            };
            answer(format, |r, out| r.stats(out, &stats))?;
            Ok(Exit::Ok)
        }
        Command::Analyze(a) => cmd_analyze(a, color),
        Command::Serve(a) => cmd_serve(a),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut args::command(), "rapportsok", &mut out);
            out.flush()?;
            Ok(Exit::Ok)
        }
        Command::Man => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(args::command()).render(&mut out)?;
            out.flush()?;
            Ok(Exit::Ok)
        }
    }
}

/// The indicatif bar, only on a terminal and not with --quiet.
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(quiet: bool) -> Bar {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} indexing [{bar:30}] {pos}/{len} files {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar(Some(bar))
    }
}

impl Progress for Bar {
    fn start(&self, files: u64) {
        if let Some(b) = &self.0 {
            b.set_length(files);
        }
    }
    fn file_done(&self, rel: &str) {
        if let Some(b) = &self.0 {
            b.set_message(escape_controls(rel).into_owned());
            b.inc(1);
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

fn build(opts: &BuildOptions, quiet: bool) -> Result<indexer::BuildReport, CliError> {
    let bar = Bar::new(quiet);
    let report = indexer::build(opts, &bar).inspect_err(|_| bar.finish())?;
    report_build(&report, &opts.corpus, quiet)?;
    Ok(report)
}

/// Print a build's warnings on stderr, each file named under the corpus folder.
fn report_build(report: &indexer::BuildReport, corpus: &Path, quiet: bool) -> Result<(), CliError> {
    let mut err = std::io::stderr().lock();
    if let Some(pid) = &report.stale_lock {
        writeln!(
            err,
            "warning: took over the index lock left by process {pid}, which no longer runs \
             (a previous build was interrupted; its leftovers are removed)"
        )?;
    }
    if let Some(e) = &report.cleanup_error {
        writeln!(err, "warning: {}", escape_controls(&e.to_string()))?;
    }
    // Notices (a large file read in pieces) are information: `--quiet` leaves them out.
    for w in report.warnings.iter().filter(|w| !(w.notice && quiet)) {
        let path = corpus.join(&w.file);
        let note = if w.notice { "note: " } else { "" };
        let line = if w.line > 0 {
            format!("{}:{}: {note}{}", path.display(), w.line, w.message)
        } else {
            format!("{}: {note}{}", path.display(), w.message)
        };
        writeln!(err, "{}", escape_controls(&line))?;
    }
    Ok(())
}

fn summary(report: &indexer::BuildReport) -> String {
    let i = &report.info;
    let kinds: Vec<String> = i
        .documents_by_kind
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let skipped = indexer::corpus::skipped_by_extension(&report.skipped);
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        let n = report.skipped.len();
        let by_ext: Vec<String> = skipped.iter().map(|(e, n)| format!("{e} {n}")).collect();
        format!(
            "; skipped {} of unknown format ({})",
            count(n, "file", "files"),
            by_ext.join(", ")
        )
    };
    format!(
        "indexed {}: {} ({}){skipped}; {}; {:.2} s; generation {}",
        count(i.files, "file", "files"),
        count(i.documents, "document", "documents"),
        kinds.join(", "),
        count(i.warnings, "warning", "warnings"),
        i.seconds,
        i.generation
    )
}

/// `1 file`, `2 files`, `0 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One line of `index --log FILE`: what a run did, for administrators and monitoring.
#[derive(Debug, serde::Serialize)]
struct RunLog {
    /// UTC, RFC 3339.
    start: String,
    end: String,
    seconds: f64,
    /// `index` or `rollback`.
    action: &'static str,
    corpus: Option<String>,
    index: String,
    /// `success`, `warnings` (the new index is live) or `failure` (the old one is).
    outcome: &'static str,
    exit: u8,
    /// The generation live after the run.
    generation: Option<String>,
    /// The generation this run built (on a `--strict` failure, the discarded one).
    built: Option<String>,
    files: Option<usize>,
    documents: Option<usize>,
    warnings: Option<usize>,
    error: Option<String>,
    /// The process's peak resident memory (Linux VmHWM), in KiB.
    peak_rss_kb: Option<u64>,
}

/// Peak resident memory of this process in KiB (`VmHWM` in `/proc/self/status`).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Append one line to the run log, in a single write so concurrent runs do not mix.
fn append_log(path: &Path, log: &RunLog) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(log).map_err(std::io::Error::other)?;
    line.push(b'\n');
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(&line)
}

fn cmd_index(a: args::IndexArgs) -> Result<Exit, CliError> {
    let started = Instant::now();
    let index = Location::index(a.index.as_deref()).path;
    let corpus = Location::corpus(a.corpus.as_deref()).path;
    let mut log = RunLog {
        start: store::utc_now(),
        end: String::new(),
        seconds: 0.0,
        action: if a.rollback { "rollback" } else { "index" },
        corpus: (!a.rollback).then(|| corpus.display().to_string()),
        index: index.display().to_string(),
        outcome: "failure",
        exit: Exit::Failure as u8,
        generation: None,
        built: None,
        files: None,
        documents: None,
        warnings: None,
        error: None,
        peak_rss_kb: None,
    };
    let result = index_or_rollback(&a, &corpus, &index, &mut log);
    let Some(path) = &a.log else {
        return result;
    };
    log.end = store::utc_now();
    log.seconds = started.elapsed().as_secs_f64();
    log.generation = store::current(&index).ok().flatten();
    log.peak_rss_kb = peak_rss_kb();
    let exit = match &result {
        Ok(exit) => *exit,
        Err(e) => {
            log.error = Some(message(&e.error));
            e.exit
        }
    };
    log.exit = exit as u8;
    log.outcome = match exit {
        Exit::Ok => "success",
        Exit::WithWarnings => "warnings",
        Exit::Failure | Exit::Usage => "failure",
    };
    match append_log(path, &log) {
        Ok(()) => result,
        Err(e) => {
            let msg = format!("cannot append to the log {}: {e}", path.display());
            eprintln!("warning: {}", escape_controls(&msg));
            // The run's own outcome stands; a silent success would hide the problem.
            result.map(|exit| match exit {
                Exit::Ok => Exit::WithWarnings,
                other => other,
            })
        }
    }
}

fn index_or_rollback(
    a: &args::IndexArgs,
    corpus: &Path,
    index: &Path,
    log: &mut RunLog,
) -> Result<Exit, CliError> {
    if a.rollback {
        let (from, to) = indexer::rollback(index)?;
        if !a.quiet {
            println!("rolled back from {from} to {to}");
        }
        return Ok(Exit::Ok);
    }
    let threads = indexer::effective_threads(a.threads as usize);
    let per_thread = a.memory as usize / threads;
    if per_thread > args::MAX_MEMORY_PER_THREAD_MB {
        return Err(CliError {
            exit: Exit::Usage,
            error: anyhow::anyhow!(
                "--memory {} MB over {threads} threads is {per_thread} MB per thread; the \
                 most is {} MB per thread (raise --threads or lower --memory)",
                a.memory,
                args::MAX_MEMORY_PER_THREAD_MB
            ),
        });
    }
    let opts = BuildOptions {
        include: a.include.clone(),
        keep: a.keep,
        memory: (a.memory as usize) << 20,
        threads,
        strict: a.strict,
        allow_shrink: a.allow_shrink,
        ..BuildOptions::new(corpus, index)
    };
    let report = build(&opts, a.quiet)?;
    if a.verbose {
        for rel in &report.skipped {
            eprintln!(
                "{}: skipped: unknown format (not text, PDF, DOCX, ODT or HTML; --include EXT reads text files of another extension)",
                opts.corpus.join(rel).display()
            );
        }
    }
    log.built = Some(report.info.generation.clone());
    log.files = Some(report.info.files);
    log.documents = Some(report.info.documents);
    log.warnings = Some(report.info.warnings);
    if !report.switched {
        let live = store::current(index)
            .ok()
            .flatten()
            .unwrap_or_else(|| "no index".into());
        return Err(CliError {
            exit: Exit::Failure,
            error: anyhow::anyhow!(
                "--strict: {} warnings, so the new build ({}) was discarded; {} stays live",
                report.info.warnings,
                report.info.generation,
                live
            ),
        });
    }
    if !a.quiet {
        println!("{}", summary(&report));
    }
    Ok(if report.has_warnings() {
        Exit::WithWarnings
    } else {
        Exit::Ok
    })
}

/// Open the index. When there is none, the index folder is the default `./index` and
/// `./corpus` exists (the README's first command on a fresh clone), build it first and
/// say so on stderr; anywhere else say which folder was tried and how to build one.
fn open_or_build(flag: Option<&Path>) -> Result<Searcher, CliError> {
    let location = Location::index(flag);
    let index = location.path.as_path();
    let corpus = Path::new("corpus");
    match Searcher::open(index) {
        Err(SearchError::NoIndex(_))
            if location.origin == args::Origin::Default && corpus.is_dir() =>
        {
            build_first(index, corpus)
        }
        Err(SearchError::NoIndex(_)) => {
            let state = if index.is_dir() {
                "the folder holds no built index"
            } else {
                "the folder does not exist"
            };
            Err(CliError {
                exit: Exit::Failure,
                error: anyhow::anyhow!(
                    "no index in {} ({}; {state}); build one with `rapportsok index CORPUS \
                     --index {}`",
                    index.display(),
                    location.why(),
                    index.display()
                ),
            })
        }
        // An index built before a field existed (e.g. `thread`): say how to fix it.
        Err(SearchError::Tantivy(tantivy::TantivyError::FieldNotFound(field))) => Err(CliError {
            exit: Exit::Failure,
            error: anyhow::anyhow!(
                "the index in {} has no field '{field}': it was built by an older rapportsok; \
                 rebuild it with `rapportsok index CORPUS --index {}`",
                index.display(),
                index.display()
            ),
        }),
        other => Ok(other?),
    }
}

/// The first search's build of the default index. When another first search is already
/// building it, wait for that build instead of failing.
fn build_first(index: &Path, corpus: &Path) -> Result<Searcher, CliError> {
    eprintln!(
        "rapportsok: no index in {} yet; building it from {}/ first",
        escape_controls(&index.display().to_string()),
        escape_controls(&corpus.display().to_string())
    );
    let opts = BuildOptions {
        only_if_missing: true,
        ..BuildOptions::new(corpus, index)
    };
    let deadline = Instant::now() + std::time::Duration::from_secs(600);
    let mut said = false;
    loop {
        match indexer::build(&opts, &Bar::new(false)) {
            Ok(report) => {
                report_build(&report, corpus, false)?;
                eprintln!("rapportsok: {}", summary(&report));
                break;
            }
            Err(indexer::BuildError::AlreadyBuilt) => break,
            // Another first search is building: wait for it to finish, then look again
            // (it may have failed, and then this one builds).
            Err(indexer::BuildError::Lock(store::LockError::Busy { .. }))
                if Instant::now() < deadline =>
            {
                if !said {
                    eprintln!("rapportsok: another rapportsok is building it; waiting for it");
                    said = true;
                }
                while store::writer_running(index) && Instant::now() < deadline {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Searcher::open(index)?)
}

fn cmd_search(a: args::SearchArgs, color: ColorChoice) -> Result<Exit, CliError> {
    let format = format(a.json, csv_separator(a.csv, a.csv_excel), color);
    // A query over the limits (a pasted paragraph) is cut, with a notice, not refused.
    let cut = crate::searcher::query::cut_to_limits(&a.query.join(" "));
    if let Some(notice) = &cut.notice {
        eprintln!("rapportsok: {notice}");
    }
    let truncated = cut.notice.is_some();
    let query = cut.text;
    // Validate the query before any I/O, so a malformed query is a usage error even
    // without an index.
    crate::searcher::query::parse(&query).map_err(SearchError::from)?;
    // A bad --synonyms file is a bad flag value (exit 2), found before the index is
    // opened; a bad synonyms.txt in the index folder is a runtime error (exit 1).
    let synonyms = match &a.synonyms {
        Some(f) => Some(
            crate::searcher::synonyms::SynonymList::load(f).map_err(|e| CliError {
                exit: Exit::Usage,
                error: e.into(),
            })?,
        ),
        None => None,
    };
    let mut searcher = open_or_build(a.index.as_deref())?;
    match &synonyms {
        Some(list) => searcher.set_synonyms(list),
        None => searcher.load_synonyms(None)?,
    }
    let req = Request {
        filters: a.filters(),
        limit: a.limit.unwrap_or(DEFAULT_LIMIT),
        offset: a.offset,
        passages: a.passages,
        exact: a.exact,
        explain: a.explain,
        sort: a.sort,
        ..Request::new(query)
    };
    if let Some(by) = a.by {
        let mut trend = history::trend(&searcher, &req, by)?;
        trend.truncated = truncated;
        answer(format, |r, out| r.trend(out, &trend))?;
    } else if a.group {
        let mut grouped = history::group(&searcher, &req)?;
        grouped.response.truncated = truncated;
        answer(format, |r, out| r.grouped(out, &grouped))?;
    } else {
        // CSV without --limit: every match.
        let mut response = if format.is_csv() && a.limit.is_none() {
            searcher.search_all(&req)?
        } else {
            searcher.search(&req)?
        };
        response.truncated = truncated;
        answer(format, |r, out| r.search(out, &response))?;
    }
    Ok(Exit::Ok)
}

/// `--csv` (comma) or `--csv-excel` (semicolon), if either was given.
fn csv_separator(csv: bool, excel: bool) -> Option<csv::Separator> {
    match (csv, excel) {
        (_, true) => Some(csv::Separator::Semicolon),
        (true, false) => Some(csv::Separator::Comma),
        (false, false) => None,
    }
}

/// Hits shown when `--limit` is not given (except with `--csv`: all).
const DEFAULT_LIMIT: usize = 10;

fn cmd_history(a: args::HistoryArgs, color: ColorChoice) -> Result<Exit, CliError> {
    let format = format(a.json, None, color);
    let mut arg = a.target.join(" ");
    // A query (not an id) is cut to the limits like search's, and must parse, before
    // any I/O.
    if !arg.contains('#') && !crate::threads::looks_like_thread_id(&arg) {
        let cut = crate::searcher::query::cut_to_limits(&arg);
        if let Some(notice) = &cut.notice {
            eprintln!("rapportsok: {notice}");
        }
        arg = cut.text;
        crate::searcher::query::parse(&arg).map_err(SearchError::from)?;
    }
    let mut searcher = open_or_build(a.index.as_deref())?;
    searcher.load_synonyms(None)?;
    let Some(resolution) = history::resolve(&searcher, &arg)? else {
        // The exit-code rule (README, *Exit codes*): a query that matches nothing is an
        // answer (exit 0); a name that does not resolve is an error (exit 1).
        let what = if arg.contains('#') {
            format!("document {arg} does not exist or belongs to no assignment thread")
        } else if crate::threads::looks_like_thread_id(&arg) {
            format!("no thread {arg} in the index")
        } else {
            answer(format, |r, out| r.no_history(out, &arg))?;
            return Ok(Exit::Ok);
        };
        return Err(CliError {
            exit: Exit::Failure,
            error: anyhow::anyhow!("{what}; try `rapportsok search {arg}`"),
        });
    };
    answer(format, |r, out| r.history(out, &arg, &resolution))?;
    Ok(Exit::Ok)
}

fn cmd_slipping(a: args::SlippingArgs, color: ColorChoice) -> Result<Exit, CliError> {
    let format = format(a.json, csv_separator(a.csv, a.csv_excel), color);
    let searcher = open_or_build(a.index.as_deref())?;
    let opts = a.options();
    let slips = history::slipping(&searcher, &opts)?;
    answer(format, |r, out| r.slipping(out, &opts, &slips))?;
    Ok(Exit::Ok)
}

/// `serve`: open the index as the other commands do, then serve it until stopped.
fn cmd_serve(a: args::ServeArgs) -> Result<Exit, CliError> {
    let index = Location::index(a.index.as_deref()).path;
    drop(open_or_build(a.index.as_deref())?);
    let live = crate::searcher::LiveIndex::open(&index)?;
    let generation = live.searcher().generation.clone();
    let opts = crate::web::ServeOptions {
        live,
        corpus: Location::corpus(a.corpus.as_deref()).path,
        bind: a.bind.clone(),
    };
    crate::web::serve(opts, |addr| {
        println!(
            "serving http://{addr}/ (index {}, generation {generation}; Ctrl-C stops)",
            escape_controls(&index.display().to_string())
        );
        let _ = std::io::stdout().flush();
    })?;
    Ok(Exit::Ok)
}

fn cmd_analyze(a: args::AnalyzeArgs, color: ColorChoice) -> Result<Exit, CliError> {
    let format = format(a.json, None, color);
    let text = a.text.join(" ");
    let options = if a.baseline {
        crate::analyzer::AnalyzerOptions::baseline()
    } else {
        crate::analyzer::AnalyzerOptions::default()
    };
    let tokens = Analyzer::new(options).analyze(&text);
    let analysis = Analysis {
        text: &text,
        field: &a.field,
        tokens: &tokens,
    };
    answer(format, |r, out| r.analysis(out, &analysis))?;
    Ok(Exit::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_stable() {
        assert_eq!(Exit::Ok as u8, 0);
        assert_eq!(Exit::Failure as u8, 1);
        assert_eq!(Exit::Usage as u8, 2);
        assert_eq!(Exit::WithWarnings as u8, 3);
        let e = CliError::from(SearchError::Query(crate::searcher::query::QueryError {
            column: 1,
            message: "x".into(),
        }));
        assert_eq!(e.exit, Exit::Usage);
        let e = CliError::from(SearchError::Request(
            crate::searcher::RequestError::NotInIndex {
                what: "committee",
                value: "XYZ".into(),
                known: vec!["KS".into()],
            },
        ));
        assert_eq!(e.exit, Exit::Usage);
        let e = CliError::from(SearchError::NotFound("x".into()));
        assert_eq!(e.exit, Exit::Failure);
    }

    #[test]
    fn counts_agree_in_number() {
        assert_eq!(count(1, "file", "files"), "1 file");
        assert_eq!(count(0, "file", "files"), "0 files");
        assert_eq!(count(2, "warning", "warnings"), "2 warnings");
    }

    /// Every error type of the library that wraps a cause: the printed message names
    /// the cause once (it was "cannot lock /proc/x: No such file or directory (os error
    /// 2): No such file or directory (os error 2)").
    #[test]
    fn printed_errors_name_their_cause_once() {
        use crate::indexer::BuildError;
        use crate::store::LockError;
        let io = || std::io::Error::from_raw_os_error(2);
        let lock = || LockError::Io {
            dir: "/proc/x".into(),
            source: io(),
        };
        let errors: Vec<(anyhow::Error, &str)> = vec![
            (lock().into(), "cannot lock /proc/x"),
            (
                crate::store::StoreError::Io {
                    dir: "/proc/x".into(),
                    source: io(),
                }
                .into(),
                "index folder /proc/x",
            ),
            (BuildError::Lock(lock()).into(), "cannot lock /proc/x"),
            (
                BuildError::Io {
                    path: "/proc/x".into(),
                    source: io(),
                }
                .into(),
                "index /proc/x",
            ),
            (BuildError::Tantivy(io().into()).into(), "tantivy"),
            (
                SearchError::Io {
                    path: "/proc/x".into(),
                    source: io(),
                }
                .into(),
                "index /proc/x",
            ),
            (SearchError::Tantivy(io().into()).into(), "index"),
            (
                anyhow::Error::from(SearchError::Tantivy(io().into())).context("opening"),
                "opening: index",
            ),
        ];
        let cause = io().to_string();
        for (e, start) in errors {
            let m = message(&e);
            assert!(m.starts_with(start), "{m}");
            assert_eq!(m.matches(&cause).count(), 1, "{m}");
            // The types themselves: a Display does not repeat the source it returns.
            let chain = format!("{e:#}");
            assert_eq!(chain.matches(&cause).count(), 1, "{chain}");
        }
        // A foreign error that repeats its source is printed once by `message`.
        #[derive(Debug, thiserror::Error)]
        #[error("wrapped: {0}")]
        struct Doubling(#[source] std::io::Error);
        let m = message(&Doubling(io()).into());
        assert_eq!(m, format!("wrapped: {cause}"));
        // tantivy names its cause in its own words ('FileDoesNotExist("meta.json")' and
        // then 'Files does not exist: "meta.json"'): once is enough.
        let open = tantivy::directory::error::OpenReadError::FileDoesNotExist("meta.json".into());
        let m = message(&SearchError::Tantivy(open.into()).into());
        assert_eq!(m.matches("meta.json").count(), 1, "{m}");
    }
}
