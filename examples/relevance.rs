//! Prints nDCG@10, recall@10, MRR and the number of judged queries finding nothing, for
//! each judged query set (`relevance::SETS`), for the current analysis and for plain
//! Snowball stemming, side by side:
//!
//!     cargo run --release --example relevance [-- --per-query] [--stop-words]
//!
//! `--stop-words` adds a row for the current analysis with the Snowball stop words
//! dropped (the measurement behind keeping them).

use rapportsok::relevance;
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for set in relevance::SETS {
        println!("{} set ({})", set.name, set.corpus);
        run(&set)?;
        println!();
    }
    Ok(())
}

fn run(set: &relevance::JudgedSet) -> Result<(), Box<dyn std::error::Error>> {
    let judged = relevance::parse(set.judgments)?;
    let dir = tempfile::tempdir()?;
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join(set.corpus);
    let (current, baseline) = relevance::compare(&corpus, dir.path(), &judged)?;
    let mut report = relevance::compare_report(&current, &baseline);
    if std::env::args().any(|a| a == "--stop-words") {
        let s = relevance::with_stop_words(&corpus, dir.path(), &judged)?;
        report = report.replacen(
            "\n(",
            &format!(
                "\nstop words {:>7.3}  {:>9.3}  {:.3}\n(",
                s.ndcg10, s.recall10, s.mrr
            ),
            1,
        );
    }
    if std::env::args().any(|a| a == "--per-query") {
        print!("{report}");
    } else {
        print!("{}", report.split("\n\n").next().unwrap_or(""));
        println!();
    }
    Ok(())
}
