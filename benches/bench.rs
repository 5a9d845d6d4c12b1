//! The end-to-end benchmark: build an index from a corpus folder, then time every query of
//! a query file through the full search path, in process and as a whole `rapportsok
//! search` process.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example bench -- --corpus /tmp/corpus-national \
//!     --queries benches/queries.txt [--index DIR] [--json] [--runs N] [--cold] \
//!     [--peer fts5]
//! ```
//! Build figures: files, documents, MB of text, wall time, documents/s and MB/s, the
//! phases of `indexer::build` (read, parse, analysis+indexing, commit/merge), peak RSS
//! (VmHWM of this process, read right after the build, before any search), index bytes
//! and their ratio to the text. Search figures: per query, p50/p95/p99 of
//! `Searcher::search` (top 10, one passage per hit, highlights, facet counts over all
//! matches) over `--runs` runs after warm-up, and the median of 20 runs of
//! `target/release/rapportsok search QUERY --json --index DIR` (so build the binary first).
//!
//! Query file: one query per line, `#` starts a comment; words containing `=` with a
//! known key are filters (`år=2022 tertial=T3 nämnd=BUN status=ej_genomfort
//! kommun=ostersund typ=uppdrag`, parsed by `relevance::parse_filters`), the rest is the
//! query. A line with filters only lists matching documents.
//!
//! `--peer fts5` also loads the same documents into SQLite FTS5 (bundled) after our build,
//! times the same queries there, interleaved with ours, and prints both engines' figures
//! and the ratios (see `peer/fts5.rs` for how FTS5 is loaded and queried).

#[path = "peer/fts5.rs"]
mod fts5;

use clap::Parser;
use rapportsok::facet::Facet;
use rapportsok::indexer::{self, BuildOptions, NoProgress};
use rapportsok::relevance::parse_filters;
use rapportsok::searcher::{Filters, Request, Searcher};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// Build an index from a corpus and time searches over it.
#[derive(Parser, Debug)]
struct Args {
    /// Corpus folder.
    #[arg(long)]
    corpus: PathBuf,
    /// Query file.
    #[arg(long, default_value = "benches/queries.txt")]
    queries: PathBuf,
    /// Index folder (default: a temporary folder, removed at the end).
    #[arg(long)]
    index: Option<PathBuf>,
    /// Use the live generation already in --index instead of building.
    #[arg(long, requires = "index")]
    no_build: bool,
    /// Do not read the corpus once before the build (measure with a cold page cache).
    #[arg(long)]
    cold: bool,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
    /// Timed in-process runs per query (after 5 warm-up runs).
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Whole-process runs per query (the median is reported); 0 skips them.
    #[arg(long, default_value_t = 20)]
    process_runs: usize,
    /// The rapportsok binary (default: `rapportsok` beside this example's folder).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Writer memory budget in MB.
    #[arg(long, default_value_t = 128)]
    memory: usize,
    /// Indexing threads (0: one per core, at most 4).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Build with plain Snowball stemming (no compounds, hyphen repair, folding): the
    /// cost of the Swedish analysis is the difference.
    #[arg(long)]
    baseline: bool,
    /// Also load the same documents into a peer engine and time the same queries there,
    /// in the same run: `fts5` (SQLite FTS5, bundled). Its database goes beside the index
    /// (`INDEX.fts5.sqlite`).
    #[arg(long, value_enum)]
    peer: Option<PeerEngine>,
}

/// The engines `--peer` can measure beside ours.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum PeerEngine {
    /// SQLite FTS5 through rusqlite's bundled SQLite.
    Fts5,
}

/// One line of the query file.
#[derive(Debug, Clone)]
struct BenchQuery {
    line: usize,
    raw: String,
    query: String,
    filters: Filters,
}

fn parse_queries(text: &str) -> Result<Vec<BenchQuery>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (filters, words): (Vec<&str>, Vec<&str>) = line.split_whitespace().partition(|w| {
            w.split_once('=')
                .is_some_and(|(k, _)| Facet::parse(k).is_some())
        });
        let filters =
            parse_filters(&filters.join(" ")).map_err(|e| format!("line {}: {e}", i + 1))?;
        out.push(BenchQuery {
            line: i + 1,
            raw: line.to_string(),
            query: words.join(" "),
            filters,
        });
    }
    Ok(out)
}

/// The `rapportsok search` flags for a query's filters.
fn filter_flags(f: &Filters) -> Vec<String> {
    let mut a = Vec::new();
    if let Some((x, y)) = f.years {
        a.push("--year".into());
        a.push(if x == y {
            x.to_string()
        } else {
            format!("{x}..{y}")
        });
    }
    for (facet, values) in f.terms() {
        for v in values {
            a.extend([format!("--{}", facet.key()), v.clone()]);
        }
    }
    a
}

/// Peak resident set size of this process in bytes (VmHWM).
fn peak_rss() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU seconds (user + system) this process has used so far, all threads.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = stat.rsplit(") ").next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state field;
    // clock ticks are 100 a second on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// The 1-minute load average: how busy the machine was (other processes included).
fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

fn dir_bytes(p: &Path) -> u64 {
    let Ok(rd) = std::fs::read_dir(p) else {
        return 0;
    };
    rd.flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => dir_bytes(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// The `q`-quantile (0..=1) of sorted samples, nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

struct QueryResult {
    q: BenchQuery,
    total: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    process_median: Option<f64>,
    /// The title of the first hit.
    top: Option<String>,
    /// The same query in the peer engine.
    peer: Option<PeerTiming>,
}

/// A query's figures in the peer engine.
struct PeerTiming {
    total: u64,
    /// Its first hit (rowid, title, snippet).
    top: Option<fts5::Hit>,
    /// How many facet values its counts have (year, tertial, ... together).
    facet_values: usize,
    p50: f64,
    p95: f64,
    p99: f64,
}

/// Time `search` over `runs` runs after 5 warm-up runs: the sorted samples in ms, and the
/// last warm-up answer.
fn time_runs<T>(
    runs: usize,
    mut search: impl FnMut() -> Result<T, String>,
) -> Result<(Vec<f64>, T), String> {
    let mut answer = search()?;
    for _ in 0..4 {
        answer = search()?;
    }
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let r = search()?;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(r);
    }
    samples.sort_by(f64::total_cmp);
    Ok((samples, answer))
}

/// `a / b`, the ratio printed beside two engines' figures.
fn over(a: f64, b: f64) -> f64 {
    a / b
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), String> {
    let queries_text = std::fs::read_to_string(&args.queries)
        .map_err(|e| format!("reading {}: {e}", args.queries.display()))?;
    let queries = parse_queries(&queries_text)?;

    let (files, _) = indexer::corpus::walk(&args.corpus, &[]);
    // Reading every file once puts the corpus in the page cache, so the build figures
    // measure the indexer rather than the disk (a nightly rebuild reads files that were
    // just downloaded); --cold skips it.
    let text_bytes: u64 = files
        .iter()
        .map(|f| {
            if args.cold {
                std::fs::metadata(&f.path).map_or(0, |m| m.len())
            } else {
                std::fs::read(&f.path).map_or(0, |b| b.len() as u64)
            }
        })
        .sum();

    let tmp;
    let index_dir = match &args.index {
        Some(p) => p.clone(),
        None => {
            tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
            tmp.path().join("index")
        }
    };

    let mut build = serde_json::Map::new();
    let mut table = String::new();
    let mb = text_bytes as f64 / 1e6;
    if !args.no_build {
        let mut opts = BuildOptions::new(&args.corpus, &index_dir);
        opts.memory = args.memory << 20;
        opts.threads = args.threads;
        opts.keep = 0;
        if args.baseline {
            opts.analysis = rapportsok::analyzer::AnalyzerOptions::baseline();
        }
        let load_before = load_average();
        let cpu_before = cpu_secs();
        let started = Instant::now();
        let report = indexer::build(&opts, &NoProgress).map_err(|e| format!("build: {e}"))?;
        let secs = started.elapsed().as_secs_f64();
        let cpu = cpu_secs() - cpu_before;
        let load_after = load_average();
        let rss = peak_rss().unwrap_or(0);
        let p = report.phases;
        let docs = report.info.documents;
        build = json!({
            "files": report.info.files,
            "documents": docs,
            "text_mb": mb,
            "build_secs": secs,
            "documents_per_sec": docs as f64 / secs,
            "mb_per_sec": mb / secs,
            "phases": {
                "link_secs": p.link_secs,
                "feed_secs": p.feed_secs,
                "read_secs": p.read_secs,
                "parse_secs": p.parse_secs,
                "index_secs": p.index_secs,
                "commit_secs": p.commit_secs,
                "finish_secs": p.finish_secs,
            },
            "cpu_secs": cpu,
            "mb_per_cpu_sec": mb / cpu,
            "load_average_before": load_before,
            "load_average_after": load_after,
            "peak_rss_bytes": rss,
            "memory_budget_mb": args.memory,
            "warnings": report.warnings.len(),
        })
        .as_object()
        .cloned()
        .unwrap_or_default();
        table.push_str(&format!(
            "corpus          {}\n\
             files           {}\n\
             documents       {docs}\n\
             text            {mb:.2} MB\n\
             build           {secs:.2} s  ({:.0} docs/s, {:.1} MB/s)\n\
             build CPU       {cpu:.2} s user+sys  ({:.1} MB per CPU-second)\n\
             load average    {load_before:.2} before, {load_after:.2} after (2 cores)\n\
             \x20 threads pass  {:.2} s (wall)\n\
             \x20 feed writer   {:.2} s (wall, from the start)\n\
             \x20 read          {:.2} s (thread-seconds)\n\
             \x20 parse         {:.2} s (thread-seconds)\n\
             \x20 hand to writer {:.2} s (thread-seconds)\n\
             \x20 commit/merge  {:.2} s (wall; queued analysis finishes here)\n\
             \x20 check/switch  {:.2} s\n\
             peak RSS        {:.0} MiB (writer budget {} MB)\n\
             warnings        {}\n",
            args.corpus.display(),
            report.info.files,
            docs as f64 / secs,
            mb / secs,
            mb / cpu,
            p.link_secs,
            p.feed_secs,
            p.read_secs,
            p.parse_secs,
            p.index_secs,
            p.commit_secs,
            p.finish_secs,
            rss as f64 / (1 << 20) as f64,
            args.memory,
            report.warnings.len(),
        ));
    } else {
        build.insert("files".into(), json!(files.len()));
        build.insert("text_mb".into(), json!(mb));
        table.push_str(&format!(
            "corpus          {}\nfiles           {}\ntext            {mb:.2} MB\n",
            args.corpus.display(),
            files.len()
        ));
    }

    let searcher = Searcher::open(&index_dir).map_err(|e| format!("open: {e}"))?;
    let gen_dir = index_dir.join(&searcher.generation);
    let index_bytes = dir_bytes(&gen_dir);
    let segments = tantivy::Index::open_in_dir(&gen_dir)
        .and_then(|i| i.searchable_segment_ids())
        .map(|s| s.len())
        .unwrap_or(0);
    let ratio = index_bytes as f64 / text_bytes.max(1) as f64;
    build.insert("index_bytes".into(), json!(index_bytes));
    build.insert("index_ratio".into(), json!(ratio));
    build.insert("segments".into(), json!(segments));
    table.push_str(&format!(
        "index           {:.2} MB = {ratio:.2} x text, {segments} segment(s)\n",
        index_bytes as f64 / 1e6
    ));

    let peer = match args.peer {
        None => None,
        Some(PeerEngine::Fts5) => {
            let name = index_dir
                .file_name()
                .map_or("index".into(), |n| n.to_string_lossy().into_owned());
            let db = index_dir.with_file_name(format!("{name}.fts5.sqlite"));
            let load_before = load_average();
            let cpu_before = cpu_secs();
            let (peer, stats) = fts5::build(&db, &files)?;
            let cpu = cpu_secs() - cpu_before;
            let mb_s = mb / stats.secs;
            let peer_ratio = stats.bytes as f64 / text_bytes.max(1) as f64;
            let ours_mb_s = build
                .get("mb_per_sec")
                .and_then(|v| v.as_f64())
                .unwrap_or(f64::NAN);
            let ours_docs = build.get("documents").and_then(|v| v.as_u64());
            let json = json!({
                "engine": "fts5",
                "sqlite": rusqlite::version(),
                "database": db.display().to_string(),
                "documents": stats.documents,
                "build_secs": stats.secs,
                "mb_per_sec": mb_s,
                "cpu_secs": cpu,
                "load_average_before": load_before,
                "index_bytes": stats.bytes,
                "index_ratio": peer_ratio,
            });
            table.push_str(&format!(
                "\npeer            SQLite FTS5 {} (bundled), unicode61 remove_diacritics 0\n\
                 \x20 database      {}\n\
                 \x20 documents     {}{}\n\
                 \x20 build         {:.2} s  ({mb_s:.1} MB/s; {cpu:.2} CPU-s; load {load_before:.2} before)\n\
                 \x20 index         {:.2} MB = {peer_ratio:.2} x text\n\
                 \x20 ratios        build MB/s FTS5 / ours {:.2}x; index bytes ours / FTS5 {:.2}x\n",
                rusqlite::version(),
                db.display(),
                stats.documents,
                match ours_docs {
                    Some(d) if d != stats.documents as u64 => format!(" (ours {d})"),
                    Some(_) => " (the same as ours)".to_string(),
                    None => String::new(),
                },
                stats.secs,
                stats.bytes as f64 / 1e6,
                over(mb_s, ours_mb_s),
                over(ratio, peer_ratio),
            ));
            Some((peer, json))
        }
    };

    let bin = args.bin.clone().unwrap_or_else(|| {
        let exe = std::env::current_exe().unwrap_or_default();
        exe.parent()
            .and_then(Path::parent)
            .map(|d| d.join("rapportsok"))
            .unwrap_or_else(|| PathBuf::from("rapportsok"))
    });
    if args.process_runs > 0 && !bin.is_file() {
        return Err(format!(
            "{} not found: run `cargo build --release` first, or give --bin, or --process-runs 0",
            bin.display()
        ));
    }

    let mut results = Vec::new();
    let mut pooled = Vec::new();
    let mut peer_pooled = Vec::new();
    for q in &queries {
        let mut req = Request::new(q.query.clone());
        req.filters = q.filters.clone();
        req.limit = 10;
        req.passages = 1;
        let (samples, answer) = time_runs(args.runs, || {
            searcher
                .search(&req)
                .map_err(|e| format!("line {}: {e}", q.line))
        })?;
        let total = answer.total;
        let top = answer.hits.first().map(|h| h.doc.title.clone());
        pooled.extend_from_slice(&samples);
        let peer_timing = match &peer {
            Some((peer, _)) => {
                let st = fts5::statements(&q.query, &q.filters)
                    .map_err(|e| format!("line {}: {e}", q.line))?;
                let (samples, answer) = time_runs(args.runs, || {
                    peer.search(&st)
                        .map_err(|e| format!("line {}: {e}", q.line))
                })?;
                peer_pooled.extend_from_slice(&samples);
                Some(PeerTiming {
                    total: answer.total,
                    top: answer.hits.into_iter().next(),
                    facet_values: answer.facets.len(),
                    p50: quantile(&samples, 0.5),
                    p95: quantile(&samples, 0.95),
                    p99: quantile(&samples, 0.99),
                })
            }
            None => None,
        };
        let process_median = if args.process_runs > 0 {
            let mut cmd_args: Vec<String> = vec!["search".into(), "--json".into()];
            cmd_args.push("--index".into());
            cmd_args.push(index_dir.display().to_string());
            cmd_args.extend(filter_flags(&q.filters));
            if !q.query.is_empty() {
                cmd_args.push("--".into());
                cmd_args.push(q.query.clone());
            }
            let mut times = Vec::new();
            for i in 0..=args.process_runs {
                let t = Instant::now();
                let status = Command::new(&bin)
                    .args(&cmd_args)
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .map_err(|e| format!("running {}: {e}", bin.display()))?;
                let ms = t.elapsed().as_secs_f64() * 1e3;
                // A search with zero hits exits 0 too.
                if !status.success() {
                    return Err(format!(
                        "line {}: `rapportsok {}` failed: {status}",
                        q.line,
                        cmd_args.join(" ")
                    ));
                }
                if i > 0 {
                    times.push(ms);
                }
            }
            times.sort_by(f64::total_cmp);
            Some(quantile(&times, 0.5))
        } else {
            None
        };
        results.push(QueryResult {
            q: q.clone(),
            total,
            p50: quantile(&samples, 0.5),
            p95: quantile(&samples, 0.95),
            p99: quantile(&samples, 0.99),
            process_median,
            top,
            peer: peer_timing,
        });
    }
    pooled.sort_by(f64::total_cmp);
    peer_pooled.sort_by(f64::total_cmp);
    let mut process: Vec<f64> = results.iter().filter_map(|r| r.process_median).collect();
    process.sort_by(f64::total_cmp);
    let worst_p99 = results.iter().map(|r| r.p99).fold(0.0, f64::max);
    let summary = json!({
        "load_average_after": load_average(),
        "queries": results.len(),
        "runs_per_query": args.runs,
        "p50_ms": quantile(&pooled, 0.5),
        "p95_ms": quantile(&pooled, 0.95),
        "p99_ms": quantile(&pooled, 0.99),
        "worst_query_p99_ms": worst_p99,
        "process_median_ms": quantile(&process, 0.5),
        "process_worst_median_ms": process.last().copied(),
    });
    // The peer's search figures and the ratios: ours / FTS5 for times and index bytes,
    // FTS5 / ours for build speed, so a ratio under 1 is in our favour everywhere.
    let peer_summary = peer.as_ref().map(|(_, build_json)| {
        let worst = results
            .iter()
            .filter_map(|r| r.peer.as_ref().map(|p| p.p99))
            .fold(0.0, f64::max);
        let q = |v: &[f64], x| quantile(v, x);
        let ours_mb_s = build
            .get("mb_per_sec")
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN);
        let peer_mb_s = build_json["mb_per_sec"].as_f64().unwrap_or(f64::NAN);
        let peer_index = build_json["index_ratio"].as_f64().unwrap_or(f64::NAN);
        json!({
            "build": build_json,
            "search": {
                "p50_ms": q(&peer_pooled, 0.5),
                "p95_ms": q(&peer_pooled, 0.95),
                "p99_ms": q(&peer_pooled, 0.99),
                "worst_query_p99_ms": worst,
            },
            "ratios": {
                "build_mb_per_sec_fts5_over_ours": over(peer_mb_s, ours_mb_s),
                "index_bytes_ours_over_fts5": over(ratio, peer_index),
                "p50_ours_over_fts5": over(q(&pooled, 0.5), q(&peer_pooled, 0.5)),
                "p95_ours_over_fts5": over(q(&pooled, 0.95), q(&peer_pooled, 0.95)),
                "p99_ours_over_fts5": over(q(&pooled, 0.99), q(&peer_pooled, 0.99)),
                "worst_query_p99_ours_over_fts5": over(worst_p99, worst),
            },
        })
    });

    if args.json {
        let queries: Vec<_> = results
            .iter()
            .map(|r| {
                json!({
                    "line": r.q.line,
                    "query": r.q.raw,
                    "hits": r.total,
                    "p50_ms": r.p50,
                    "p95_ms": r.p95,
                    "p99_ms": r.p99,
                    "process_median_ms": r.process_median,
                    "top": r.top,
                    "peer": r.peer.as_ref().map(|p| json!({
                        "hits": p.total,
                        "top": p.top.as_ref().map(|h| json!({
                            "rowid": h.id,
                            "title": h.title,
                            "snippet": h.passage,
                        })),
                        "facet_values": p.facet_values,
                        "p50_ms": p.p50,
                        "p95_ms": p.p95,
                        "p99_ms": p.p99,
                    })),
                })
            })
            .collect();
        let mut out = json!({ "build": build, "search": summary, "queries": queries });
        if let Some(p) = &peer_summary {
            out["peer"] = p.clone();
        }
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print!("{table}");
        println!("load average    {:.2} after the searches", load_average());
        let peer_head = if peer.is_some() {
            format!(" {:>9} {:>9} {:>9}", "FTS5 hits", "FTS5 p50", "FTS5 p99")
        } else {
            String::new()
        };
        println!(
            "\n{:<46} {:>8} {:>8} {:>8} {:>8} {:>9}{peer_head}",
            "query (ms)", "hits", "p50", "p95", "p99", "process"
        );
        for r in &results {
            let name: String = r.q.raw.chars().take(46).collect();
            println!(
                "{name:<46} {:>8} {:>8.3} {:>8.3} {:>8.3} {:>9}{}",
                r.total,
                r.p50,
                r.p95,
                r.p99,
                r.process_median
                    .map_or("-".to_string(), |m| format!("{m:.2}")),
                r.peer.as_ref().map_or(String::new(), |p| {
                    format!(" {:>9} {:>9.3} {:>9.3}", p.total, p.p50, p.p99)
                })
            );
        }
        println!(
            "\nall {} queries x {} runs: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms; worst query p99 {:.3} ms",
            results.len(),
            args.runs,
            quantile(&pooled, 0.5),
            quantile(&pooled, 0.95),
            quantile(&pooled, 0.99),
            worst_p99
        );
        if !process.is_empty() {
            println!(
                "whole process (median of {} runs per query): median over queries {:.2} ms, worst {:.2} ms",
                args.process_runs,
                quantile(&process, 0.5),
                process.last().copied().unwrap_or(f64::NAN)
            );
        }
        if let Some(p) = &peer_summary {
            let s = &p["search"];
            let r = &p["ratios"];
            let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
            println!(
                "FTS5, the same {} queries x {} runs: p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms; worst query p99 {:.3} ms",
                results.len(),
                args.runs,
                f(&s["p50_ms"]),
                f(&s["p95_ms"]),
                f(&s["p99_ms"]),
                f(&s["worst_query_p99_ms"]),
            );
            println!(
                "ratios (under 1 favours us): build MB/s FTS5 / ours {:.2}x; index bytes ours / FTS5 {:.2}x; \
                 ours / FTS5 p50 {:.2}x, p95 {:.2}x, p99 {:.2}x, worst query p99 {:.2}x",
                f(&r["build_mb_per_sec_fts5_over_ours"]),
                f(&r["index_bytes_ours_over_fts5"]),
                f(&r["p50_ours_over_fts5"]),
                f(&r["p95_ours_over_fts5"]),
                f(&r["p99_ours_over_fts5"]),
                f(&r["worst_query_p99_ours_over_fts5"]),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_filters_from_query_words() {
        let q = parse_queries("# c\npsykisk ohälsa år=2022 nämnd=BUN\n\nstatus=ej_genomfort\n")
            .unwrap();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].query, "psykisk ohälsa");
        assert_eq!(q[0].filters.years, Some((2022, 2022)));
        assert_eq!(q[1].query, "");
        assert_eq!(filter_flags(&q[1].filters), ["--status", "ej_genomfort"]);
    }

    #[test]
    fn peer_takes_fts5_only() {
        let args = Args::try_parse_from(["bench", "--corpus", "c", "--peer", "fts5"]).unwrap();
        assert_eq!(args.peer, Some(PeerEngine::Fts5));
        assert_eq!(
            Args::try_parse_from(["bench", "--corpus", "c"])
                .unwrap()
                .peer,
            None
        );
        assert!(Args::try_parse_from(["bench", "--corpus", "c", "--peer", "xapian"]).is_err());
    }

    /// Lines of the query file become FTS5 statements: words AND-ed, a phrase, an OR, an
    /// exclusion, filters as bound WHERE clauses.
    #[test]
    fn query_file_lines_translate_to_fts5() {
        let q = parse_queries(
            "psykisk ohälsa år=2022\n\"under året\" nämnd=BUN\nbudget OR ekonomi\n\
             klimat -budget typ=mal\nstatus=ej_genomfort\n",
        )
        .unwrap();
        let st: Vec<_> = q
            .iter()
            .map(|q| fts5::statements(&q.query, &q.filters).unwrap())
            .collect();
        let text = |v: &rusqlite::types::Value| match v {
            rusqlite::types::Value::Text(t) => t.clone(),
            rusqlite::types::Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        };
        let params: Vec<Vec<String>> = st
            .iter()
            .map(|s| s.params.iter().map(text).collect())
            .collect();
        assert_eq!(params[0], ["\"psykisk\" AND \"ohälsa\"", "2022", "2022"]);
        assert_eq!(params[1], ["\"under året\"", "BUN", "alla"]);
        assert_eq!(params[2], ["(\"budget\" OR \"ekonomi\")"]);
        assert_eq!(params[3], ["\"klimat\" NOT \"budget\"", "mal"]);
        assert_eq!(params[4], ["ej_genomfort"]);
        assert!(st[0]
            .top
            .contains("WHERE text MATCH ? AND doc.year BETWEEN ? AND ?"));
        assert!(st[0].top.contains("ORDER BY bm25(text"));
        assert!(st[0].top.contains("snippet(text"));
        assert!(st[3].top.contains("doc.kind IN (?)"));
        // Filters only: a listing, newest first, without MATCH.
        assert!(!st[4].top.contains("MATCH"));
        assert!(st[4]
            .top
            .contains("ORDER BY doc.year DESC, doc.tertial DESC, doc.id LIMIT 10) AS doc"));
        // ... whose facets count the metadata alone, not the text.
        assert!(!st[4].facets.contains("text"), "{}", st[4].facets);
        // The same shape gives the same SQL (one prepared statement per shape).
        assert_eq!(
            st[0].top,
            fts5::statements("a b", &q[0].filters).unwrap().top
        );
        for s in &st {
            assert!(s.facets.contains("GROUP BY municipality"));
        }
    }
}
