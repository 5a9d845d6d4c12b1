//! Writes a synthetic national corpus of follow-up reports for the scale benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out /tmp/corpus-national \
//!     --municipalities 290 --years 2015..2024 --seed 1
//! ```
//! Deterministic from the seed and the word source: Debian's `wswedish` list
//! (`/usr/share/dict/swedish`) when installed, else the bundled corpus alone (see
//! `benches/corpusgen/mod.rs`). `--words bundled` forces the latter, `--words FILE` names
//! a list. Prints files, assignments, goal sections and MB written.

#[path = "corpusgen/mod.rs"]
mod corpusgen;

use clap::Parser;
use corpusgen::{Config, WordSource};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Generate a synthetic corpus of municipal follow-up reports.
#[derive(Parser, Debug)]
struct Args {
    /// Output folder (one sub-folder per municipality).
    #[arg(long)]
    out: PathBuf,
    /// Number of municipalities.
    #[arg(long, default_value_t = 290)]
    municipalities: usize,
    /// Inclusive year range, e.g. 2015..2024 (or one year).
    #[arg(long, default_value = "2015..2024")]
    years: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Word source beyond the bundled corpus: "auto" (wswedish if installed),
    /// "bundled", or a word-list file.
    #[arg(long, default_value = "auto")]
    words: String,
    /// Distinct word forms in the vocabulary.
    #[arg(long, default_value_t = 400_000)]
    vocabulary: usize,
}

/// The library's year-range forms (`2015..2024`, `2015-2024`, `2020`), but a corpus
/// needs both ends: an open range would generate up to the year 2199.
fn years(s: &str) -> Result<(u16, u16), String> {
    let (a, b) = rapportsok::model::parse_year_range(s)?;
    let typed = |y: u16| s.contains(&y.to_string());
    if !typed(a) || !typed(b) {
        return Err(format!("'{s}': give both years, e.g. 2015..2024"));
    }
    Ok((a, b))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let (first, last) = match years(&args.years) {
        Ok(y) => y,
        Err(e) => {
            eprintln!("gen_corpus: --years: {e}");
            return ExitCode::from(2);
        }
    };
    let mut cfg = Config::new(args.municipalities, first, last, args.seed);
    cfg.vocabulary = args.vocabulary;
    cfg.words = match args.words.as_str() {
        "auto" => WordSource::Auto,
        "bundled" => WordSource::Bundled,
        path => WordSource::File(path.into()),
    };
    let started = Instant::now();
    match corpusgen::generate(&cfg, &args.out) {
        Ok(s) => {
            println!("words:         {}", s.word_source);
            println!("files:         {}", s.files);
            println!("assignments:   {}", s.assignments);
            println!("goal sections: {}", s.goal_sections);
            println!("documents:     {}", s.documents());
            println!("MB written:    {:.1}", s.bytes as f64 / 1e6);
            println!("seconds:       {:.1}", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: writing {}: {e}", args.out.display());
            ExitCode::FAILURE
        }
    }
}
