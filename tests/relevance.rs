//! Search quality on the judged query set (`tests/relevance/judgments.txt`): prints the
//! current analysis and the plain-Snowball baseline side by side, and fails when the
//! current scores fall below the floors measured when ranking last changed: the means,
//! and each judged query's own nDCG@10 and precision (`tests/relevance/floors.txt`).
//!
//! After a deliberate ranking change, record the new per-query scores with
//! `RAPPORTSOK_RECORD_FLOORS=1 cargo test --test tests relevance::` and review the diff.

use rapportsok::relevance::{self, Judged, QueryScore};
use std::collections::HashMap;
use std::path::Path;

/// Floors set from the measurement in the README (a little below it, so a tie-break
/// change does not fail the build, but a real regression does).
const NDCG_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.95;
const MRR_FLOOR: f64 = 0.95;

/// How far one query's score may fall below its recorded one.
const PER_QUERY_MARGIN: f64 = 0.02;

/// The recorded per-query scores.
const FLOORS: &str = "tests/relevance/floors.txt";

/// R-precision: the share of the top R results that are judged relevant, R being the
/// number of judged documents (at most 10); for a must-find-nothing query, 1 when
/// nothing is found.
fn precision(j: &Judged, q: &QueryScore) -> f64 {
    if j.grades.is_empty() {
        return if q.returned.is_empty() { 1.0 } else { 0.0 };
    }
    let r = j.grades.len().min(10);
    let hits = q.returned.iter().take(r);
    hits.filter(|id| j.grades.contains_key(*id)).count() as f64 / r as f64
}

/// A judged query's key in the floors file: its query and filter columns as written.
fn key(j: &Judged) -> String {
    let line = relevance::JUDGMENTS.lines().nth(j.line - 1).unwrap();
    let cols: Vec<&str> = line.split('|').map(str::trim).collect();
    format!("{} | {}", cols[0], cols[1]).trim_end().to_string()
}

#[test]
fn judged_queries_meet_the_floors() {
    let judged = relevance::parse(relevance::JUDGMENTS).unwrap();
    assert!(judged.len() >= 40, "{} judged queries", judged.len());
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let (current, baseline) = relevance::compare(&corpus, dir.path(), &judged).unwrap();
    println!("{}", relevance::compare_report(&current, &baseline));
    assert!(
        current.ndcg10 >= NDCG_FLOOR,
        "nDCG@10 {:.3} < {NDCG_FLOOR}",
        current.ndcg10
    );
    assert!(
        current.recall10 >= RECALL_FLOOR,
        "recall@10 {:.3} < {RECALL_FLOOR}",
        current.recall10
    );
    assert!(
        current.mrr >= MRR_FLOOR,
        "MRR {:.3} < {MRR_FLOOR}",
        current.mrr
    );
    // The Swedish additions must beat plain stemming, or they are not worth their cost.
    assert!(current.ndcg10 > baseline.ndcg10);

    // Per query: (key, nDCG@10, precision).
    let now: Vec<(String, f64, f64)> = judged
        .iter()
        .zip(&current.per_query)
        .map(|(j, q)| (key(j), q.ndcg10, precision(j, q)))
        .collect();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FLOORS);
    if std::env::var_os("RAPPORTSOK_RECORD_FLOORS").is_some() {
        let mut out = String::from(
            "# Per-query scores of the current analysis on tests/relevance/judgments.txt,\n\
             # recorded by `RAPPORTSOK_RECORD_FLOORS=1 cargo test --test tests relevance::`.\n\
             # tests/relevance.rs fails if a query falls more than 0.02 below its scores\n\
             # or to zero. Columns: nDCG@10, R-precision | query | filters.\n",
        );
        for (k, ndcg, p) in &now {
            out.push_str(&format!("{ndcg:.3} {p:.3} | {k}\n"));
        }
        std::fs::write(&path, out).unwrap();
    }
    let recorded: HashMap<String, (f64, f64)> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (scores, k) = l.trim_end().split_once(" | ").unwrap();
            let mut s = scores.split_whitespace().map(|x| x.parse::<f64>().unwrap());
            (k.to_string(), (s.next().unwrap(), s.next().unwrap()))
        })
        .collect();
    assert_eq!(recorded.len(), now.len(), "{FLOORS} is out of date");
    let mut worse = Vec::new();
    for (k, ndcg, p) in &now {
        let Some(&(r_ndcg, r_p)) = recorded.get(k) else {
            panic!("{k:?} has no recorded scores in {FLOORS}");
        };
        for (what, got, floor) in [("nDCG@10", ndcg, r_ndcg), ("precision", p, r_p)] {
            if *got < floor - PER_QUERY_MARGIN || (*got == 0.0 && floor > 0.0) {
                worse.push(format!("{k}: {what} {got:.3}, recorded {floor:.3}"));
            }
        }
        assert!(*ndcg > 0.0, "{k}: nDCG@10 is zero");
    }
    assert!(worse.is_empty(), "below the recorded scores:\n{worse:#?}");
    // Precision over the set, beyond the must-find-nothing queries: most of what the
    // top of a result list shows is judged relevant.
    let with_judgments: Vec<f64> = now
        .iter()
        .zip(&judged)
        .filter(|(_, j)| !j.grades.is_empty())
        .map(|((_, _, p), _)| *p)
        .collect();
    let mean = with_judgments.iter().sum::<f64>() / with_judgments.len() as f64;
    println!(
        "mean R-precision {mean:.3} over {} queries",
        with_judgments.len()
    );
    assert!(mean >= 0.9, "mean R-precision {mean:.3}");
}
