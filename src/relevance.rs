//! Search-quality measurement: judged query sets (queries with graded relevant
//! document ids, each over its own corpus, listed in [`SETS`]) and the metrics nDCG@10,
//! recall@10, MRR and the number of judged queries that find nothing.
//!
//! File format (`tests/relevance/judgments.txt`), one query per line, `#` starts a comment:
//! ```text
//! psykisk ohälsa | nämnd=BUN | ostersund/2023-T3.txt#1=3 ostersund/2022-T3.txt#3=2
//! ```
//! query text, then `key=value` filters (`år`/`year`, `tertial`, `nämnd`/`committee`,
//! `status`, `kommun`/`municipality`, `typ`/`kind`; a year may be a range `2021..2023`),
//! then the judged ids with grades 1 (somewhat) to 3 (exactly about it). A query whose
//! judgment list is `-` must find nothing.

use crate::searcher::{Filters, Request, SearchError, Searcher};
use std::collections::HashMap;

/// One judged query.
#[derive(Debug, Clone)]
pub struct Judged {
    pub line: usize,
    pub query: String,
    pub filters: Filters,
    /// Relevant ids and grades; empty means "must find nothing".
    pub grades: HashMap<String, u8>,
}

/// Parse `key=value` filter words (shared with the benchmark's query file): the
/// library's one filter parser, [`Filters::parse_words`].
pub fn parse_filters(words: &str) -> Result<Filters, String> {
    Filters::parse_words(words).map_err(|e| e.to_string())
}

/// Parse a judgments file.
pub fn parse(text: &str) -> Result<Vec<Judged>, String> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        // '#' also appears in ids: only a line starting with '#', or ' #', starts a comment.
        let line = if raw.trim_start().starts_with('#') {
            ""
        } else {
            raw.find(" #").map_or(raw, |i| &raw[..i])
        };
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let [query, filters, judged] = parts.as_slice() else {
            return Err(format!(
                "line {}: expected 'query | filters | judgments'",
                i + 1
            ));
        };
        let filters = parse_filters(filters).map_err(|e| format!("line {}: {e}", i + 1))?;
        let mut grades = HashMap::new();
        if *judged != "-" {
            for j in judged.split_whitespace() {
                let (id, g) = j
                    .rsplit_once('=')
                    .ok_or_else(|| format!("line {}: '{j}' is not id=grade", i + 1))?;
                let g: u8 = g
                    .parse()
                    .ok()
                    .filter(|g| (1..=3).contains(g))
                    .ok_or_else(|| format!("line {}: grade of {id} must be 1..3", i + 1))?;
                grades.insert(id.to_string(), g);
            }
        }
        out.push(Judged {
            line: i + 1,
            query: query.to_string(),
            filters,
            grades,
        });
    }
    Ok(out)
}

/// Scores of one query.
#[derive(Debug, Clone)]
pub struct QueryScore {
    pub query: String,
    pub ndcg10: f64,
    pub recall10: f64,
    pub mrr: f64,
    pub returned: Vec<String>,
}

/// Mean scores over a judged set.
#[derive(Debug, Clone)]
pub struct Scores {
    pub ndcg10: f64,
    pub recall10: f64,
    pub mrr: f64,
    /// Queries with judged documents that returned nothing at all.
    pub empty: usize,
    pub per_query: Vec<QueryScore>,
}

/// Score one ranked list against graded judgments.
pub fn score(returned: &[String], grades: &HashMap<String, u8>) -> (f64, f64, f64) {
    if grades.is_empty() {
        let ok = if returned.is_empty() { 1.0 } else { 0.0 };
        return (ok, ok, ok);
    }
    let gain = |g: u8| f64::from((1u32 << g) - 1);
    let discount = |rank: usize| 1.0 / ((rank + 2) as f64).log2();
    let top = &returned[..returned.len().min(10)];
    let dcg: f64 = top
        .iter()
        .enumerate()
        .map(|(r, id)| grades.get(id).map_or(0.0, |&g| gain(g) * discount(r)))
        .sum();
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(r, &g)| gain(g) * discount(r))
        .sum();
    let found = top.iter().filter(|id| grades.contains_key(*id)).count();
    let recall = found as f64 / grades.len().min(10) as f64;
    let mrr = top
        .iter()
        .position(|id| grades.contains_key(id))
        .map_or(0.0, |r| 1.0 / (r + 1) as f64);
    (dcg / idcg, recall, mrr)
}

/// The judged set over the bundled corpus (written beside the analysis it measures).
pub const JUDGMENTS: &str = include_str!("../tests/relevance/judgments.txt");

/// The second judged set, over report fixtures the analysis was never tuned on.
pub const JUDGMENTS_UNSEEN: &str = include_str!("../tests/relevance/judgments-unseen.txt");

/// One judged query set and the corpus it is judged on.
#[derive(Debug, Clone, Copy)]
pub struct JudgedSet {
    /// Short name, used in reports and floor files.
    pub name: &'static str,
    /// The judgments (format above).
    pub judgments: &'static str,
    /// The corpus folder, relative to the package root.
    pub corpus: &'static str,
    /// The per-query floors file, relative to the package root.
    pub floors: &'static str,
}

/// Every judged set: the bundled corpus's, and the unseen fixtures'.
pub const SETS: [JudgedSet; 2] = [
    JudgedSet {
        name: "bundled",
        judgments: JUDGMENTS,
        corpus: "corpus",
        floors: "tests/relevance/floors.txt",
    },
    JudgedSet {
        name: "unseen",
        judgments: JUDGMENTS_UNSEEN,
        corpus: "tests/relevance/corpus",
        floors: "tests/relevance/floors-unseen.txt",
    },
];

/// Build an index of `corpus` in `index_dir` with the given analysis and open it (for
/// measurement runs).
pub fn index_corpus(
    corpus: &std::path::Path,
    index_dir: &std::path::Path,
    analysis: crate::analyzer::AnalyzerOptions,
) -> Result<Searcher, Box<dyn std::error::Error>> {
    let opts = crate::indexer::BuildOptions {
        analysis,
        ..crate::indexer::BuildOptions::new(corpus, index_dir)
    };
    crate::indexer::build(&opts, &crate::indexer::NoProgress)?;
    Ok(Searcher::open(index_dir)?)
}

/// Scores of the current analysis and of the plain-Snowball baseline on the bundled
/// corpus, each indexed into a temporary folder under `work`.
pub fn compare(
    corpus: &std::path::Path,
    work: &std::path::Path,
    judged: &[Judged],
) -> Result<(Scores, Scores), Box<dyn std::error::Error>> {
    use crate::analyzer::AnalyzerOptions;
    let current = index_corpus(corpus, &work.join("current"), AnalyzerOptions::default())?;
    let baseline = index_corpus(corpus, &work.join("baseline"), AnalyzerOptions::baseline())?;
    Ok((evaluate(&current, judged)?, evaluate(&baseline, judged)?))
}

/// Scores with the Snowball stop words dropped (the stop-word decision's measurement).
pub fn with_stop_words(
    corpus: &std::path::Path,
    work: &std::path::Path,
    judged: &[Judged],
) -> Result<Scores, Box<dyn std::error::Error>> {
    let options = crate::analyzer::AnalyzerOptions {
        stop_words: true,
        ..Default::default()
    };
    let s = index_corpus(corpus, &work.join("stop-words"), options)?;
    Ok(evaluate(&s, judged)?)
}

/// The two rows side by side, then the queries where they differ.
pub fn compare_report(current: &Scores, baseline: &Scores) -> String {
    let mut out = String::from("analyzer   nDCG@10  recall@10  MRR    nothing found\n");
    for (name, s) in [("current", current), ("baseline", baseline)] {
        out.push_str(&format!(
            "{name:<10} {:>7.3}  {:>9.3}  {:.3}  {}\n",
            s.ndcg10, s.recall10, s.mrr, s.empty
        ));
    }
    out.push_str(&format!(
        "({} judged queries)\n\nper query (nDCG@10 current / baseline):\n",
        current.per_query.len()
    ));
    for (c, b) in current.per_query.iter().zip(&baseline.per_query) {
        let mark = if (c.ndcg10 - b.ndcg10).abs() > 1e-9 {
            "*"
        } else {
            " "
        };
        out.push_str(&format!(
            "{mark} {:.3} / {:.3}  {}\n",
            c.ndcg10, b.ndcg10, c.query
        ));
    }
    out
}

/// A table of per-query scores and the means, for people.
pub fn report(scores: &Scores) -> String {
    let mut out = String::new();
    for q in &scores.per_query {
        out.push_str(&format!(
            "{:>5.3} {:>5.3} {:>5.3}  {}\n",
            q.ndcg10 + 0.0,
            q.recall10 + 0.0,
            q.mrr + 0.0,
            q.query
        ));
    }
    out.push_str(&format!(
        "nDCG@10 {:.3}  recall@10 {:.3}  MRR {:.3}  nothing found {}  ({} queries)\n",
        scores.ndcg10,
        scores.recall10,
        scores.mrr,
        scores.empty,
        scores.per_query.len()
    ));
    out
}

/// Run every judged query and score it.
pub fn evaluate(searcher: &Searcher, judged: &[Judged]) -> Result<Scores, SearchError> {
    let mut per_query = Vec::new();
    let mut empty = 0;
    for j in judged {
        let req = Request {
            filters: j.filters.clone(),
            ..Request::new(j.query.clone())
        };
        let r = searcher.search(&req)?;
        let returned: Vec<String> = r.hits.into_iter().map(|h| h.doc.id).collect();
        empty += usize::from(returned.is_empty() && !j.grades.is_empty());
        let (ndcg10, recall10, mrr) = score(&returned, &j.grades);
        per_query.push(QueryScore {
            query: j.query.clone(),
            ndcg10,
            recall10,
            mrr,
            returned,
        });
    }
    let n = per_query.len().max(1) as f64;
    let mean = |f: fn(&QueryScore) -> f64| per_query.iter().map(f).sum::<f64>() / n;
    Ok(Scores {
        ndcg10: mean(|q| q.ndcg10),
        recall10: mean(|q| q.recall10),
        mrr: mean(|q| q.mrr),
        empty,
        per_query,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_comments_and_must_find_nothing() {
        let j = parse(
            "# comment\npsykisk ohälsa | nämnd=BUN år=2021..2023 | a.txt#1=3 b.txt#2=1 # note\nxyzzy | | -\n",
        )
        .unwrap();
        assert_eq!(j.len(), 2);
        assert_eq!(j[0].grades["a.txt#1"], 3);
        assert_eq!(j[0].filters.years, Some((2021, 2023)));
        assert!(j[1].grades.is_empty());
        assert!(parse("q | | a=5").is_err());
        assert!(parse("q | foo=1 | -").is_err());
    }

    #[test]
    fn every_set_parses_and_names_a_corpus_that_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for set in SETS {
            let judged = parse(set.judgments).unwrap_or_else(|e| panic!("{}: {e}", set.name));
            assert!(judged.len() >= 30, "{}: {} queries", set.name, judged.len());
            assert!(root.join(set.corpus).is_dir(), "{}", set.corpus);
        }
    }

    #[test]
    fn metrics() {
        let g: HashMap<String, u8> = [("a".to_string(), 3), ("b".to_string(), 1)].into();
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (n, r, m) = score(&ids(&["a", "b"]), &g);
        assert!((n - 1.0).abs() < 1e-9 && r == 1.0 && m == 1.0);
        let (n, r, m) = score(&ids(&["x", "b"]), &g);
        assert!(n < 0.3 && r == 0.5 && m == 0.5);
        assert_eq!(score(&[], &HashMap::new()), (1.0, 1.0, 1.0));
        assert_eq!(score(&ids(&["x"]), &HashMap::new()), (0.0, 0.0, 0.0));
    }
}
