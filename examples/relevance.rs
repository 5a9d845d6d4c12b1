//! Prints nDCG@10, recall@10 and MRR of the judged query set for the current analysis
//! and for plain Snowball stemming, side by side:
//!
//!     cargo run --release --example relevance [-- --per-query]

use rapportsok::relevance;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let judged = relevance::parse(relevance::JUDGMENTS)?;
    let dir = tempfile::tempdir()?;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (current, baseline) = relevance::compare(&corpus, dir.path(), &judged)?;
    let report = relevance::compare_report(&current, &baseline);
    if std::env::args().any(|a| a == "--per-query") {
        print!("{report}");
    } else {
        print!("{}", report.split("\n\n").next().unwrap_or(""));
        println!();
    }
    Ok(())
}
