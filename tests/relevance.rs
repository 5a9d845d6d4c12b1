//! Search quality on the judged query set (`tests/relevance/judgments.txt`): prints the
//! current analysis and the plain-Snowball baseline side by side, and fails when the
//! current scores fall below the floors measured when ranking last changed.

use rapportsok::relevance;
use std::path::Path;

/// Floors set from the measurement in the README (a little below it, so a tie-break
/// change does not fail the build, but a real regression does).
const NDCG_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.95;
const MRR_FLOOR: f64 = 0.95;

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
}
