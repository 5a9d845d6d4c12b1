//! The best hits of a scored query without scoring every match, in two passes:
//!
//! 1. every match is visited once with scoring off (postings read without frequencies):
//!    it is counted, its facets are counted, and it is marked in a bit set per segment;
//! 2. the best `depth` matches are found by block-max WAND over the query's flat plan
//!    ([`Flat`]: the terms of all its words in one union, as tantivy's `TopDocs` prunes
//!    a plain union), keeping only documents marked in pass 1. Blocks of postings whose
//!    best possible score cannot enter the top are skipped, so a word that half the
//!    corpus holds costs little more than a rare one.
//!
//! Why it is exact: for a document the query matches, its score is the sum of the
//! scores of the flat terms and other queries that match it (every level of the query
//! sums). Documents that one of the other queries (phrases, compounds written apart, a
//! committee) matches are scored in full one by one (there are few; past
//! [`MAX_OTHERS`] the plain scoring of every match is used instead); every other match
//! scores exactly its flat terms, which is what pass 2 ranks by. The candidates are then
//! scored by the full query, so scores and ties come out as the single pass gives them.
//!
//! When the matches are a small part of the terms' postings (several words that rarely
//! meet, a narrow filter: see [`UNION_PER_MATCH`]), pass 2 scores the matches through
//! the query itself instead: its intersection skips to them.

use super::facets::{FacetCollector, FacetCounts};
use super::plan::Flat;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::query::Scorer;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocAddress, DocId, DocSet, Score, SeekDangerResult, TERMINATED};

/// Most matches of the non-term alternatives that are scored one by one; past this,
/// scoring every match is cheaper.
pub const MAX_OTHERS: usize = 1024;

/// Pruning pays while the postings of the query's terms (summed over terms) are at
/// most this many times the matches; past it, the matches alone are scored.
pub const UNION_PER_MATCH: u64 = 8;

/// The best matches, their number and their facet counts.
pub(super) struct Ranked {
    /// At most `depth` (score, address), best first, ties by address.
    pub top: Vec<(Score, DocAddress)>,
    pub total: usize,
    pub facets: FacetCounts,
}

/// The matches of one segment: all of them, and those an other query matches.
struct SegmentMatches {
    all: BitSet,
    others: BitSet,
    /// The documents of `others`, in the order found.
    others_found: Vec<DocId>,
}

/// The best `depth` matches of `query` (whose flat plan is `flat`), with the count and
/// facets of all matches. `None` when the plan has no terms to prune with (a phrase on
/// its own): then the caller scores every match.
pub(super) fn best(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    flat: &Flat,
    depth: usize,
    facets: &FacetCollector,
) -> tantivy::Result<Option<Ranked>> {
    if flat.terms.is_empty() || depth == 0 {
        return Ok(None);
    }
    let (matches, total, facets, others) = mark(searcher, query, flat, facets)?;
    // Block-max WAND walks the union of all the words' terms and keeps the matches;
    // when they are a small part of it (rare words together, a narrow filter), scoring
    // just the matches through the query's own intersection is cheaper.
    let union: u64 = flat
        .terms
        .iter()
        .map(|(t, _)| searcher.doc_freq(t).unwrap_or(0))
        .sum();
    let top = if others > MAX_OTHERS || union > UNION_PER_MATCH * total as u64 {
        searcher.search(query, &TopDocs::with_limit(depth).order_by_score())?
    } else {
        let candidates = prune(searcher, flat, &matches, depth)?;
        rescore(searcher, query, &matches, candidates, depth)?
    };
    Ok(Some(Ranked { top, total, facets }))
}

/// Pass 1: every match of `query`, unscored: counted, its facets counted, marked; and
/// the matches of the flat plan's other queries among them. Returns the marks, the
/// number of matches, the facet counts and the number of other-query matches.
fn mark(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    flat: &Flat,
    facets: &FacetCollector,
) -> tantivy::Result<(Vec<SegmentMatches>, usize, FacetCounts, usize)> {
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let weight = query.weight(unscored)?;
    let other_weights = flat
        .others
        .iter()
        .map(|q| q.weight(unscored))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let (mut total, mut others) = (0usize, 0usize);
    let mut fruits = Vec::new();
    let mut matches = Vec::new();
    let mut alive_docs: Vec<DocId> = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let mut counter = facets.for_segment(ord as u32, reader)?;
        let mut all = BitSet::with_max_value(reader.max_doc());
        let alive = reader.alive_bitset();
        weight.for_each_no_score(reader, &mut |docs| {
            let docs = match alive {
                None => docs,
                Some(a) => {
                    alive_docs.clear();
                    alive_docs.extend(docs.iter().copied().filter(|&d| a.is_alive(d)));
                    &alive_docs
                }
            };
            for &d in docs {
                all.insert(d);
            }
            total += docs.len();
            counter.collect_block(docs);
        })?;
        fruits.push(counter.harvest());
        let mut marked = BitSet::with_max_value(reader.max_doc());
        let mut found = Vec::new();
        for w in &other_weights {
            w.for_each_no_score(reader, &mut |docs| {
                for &d in docs {
                    if all.contains(d) && !marked.contains(d) {
                        marked.insert(d);
                        found.push(d);
                    }
                }
            })?;
        }
        others += found.len();
        matches.push(SegmentMatches {
            all,
            others: marked,
            others_found: found,
        });
    }
    let facets = facets.merge_fruits(fruits)?;
    Ok((matches, total, facets, others))
}

/// A candidate in the heap of pass 2: the worst on top (lowest score, then the later
/// address, which loses a tie).
#[derive(PartialEq)]
struct Candidate(Score, DocAddress);

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| self.1.cmp(&other.1))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Pass 2: the best `depth` marked documents that no other query matches, by the flat
/// terms, with block-max WAND; then the other queries' matches. Returns addresses.
fn prune(
    searcher: &tantivy::Searcher,
    flat: &Flat,
    matches: &[SegmentMatches],
    depth: usize,
) -> tantivy::Result<Vec<DocAddress>> {
    let union = BooleanQuery::new(
        flat.terms
            .iter()
            .map(|(term, boost)| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs));
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(q, *boost)) as Box<dyn Query>,
                )
            })
            .collect(),
    );
    let weight = union.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(depth + 1);
    let threshold = |heap: &BinaryHeap<Candidate>| match heap.peek() {
        Some(worst) if heap.len() >= depth => worst.0,
        _ => Score::MIN,
    };
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let m = &matches[ord];
        let start = threshold(&heap);
        weight.for_each_pruning(start, reader, &mut |doc, score| {
            if m.all.contains(doc) && !m.others.contains(doc) {
                heap.push(Candidate(score, DocAddress::new(ord as u32, doc)));
                if heap.len() > depth {
                    heap.pop();
                }
            }
            threshold(&heap)
        })?;
    }
    let mut out: Vec<DocAddress> = heap.into_iter().map(|c| c.1).collect();
    for (ord, m) in matches.iter().enumerate() {
        out.extend(
            m.others_found
                .iter()
                .map(|&d| DocAddress::new(ord as u32, d)),
        );
    }
    Ok(out)
}

/// A scorer asked about documents in increasing order, that never scans past the
/// document asked about (tantivy's `seek_danger`): a plain `seek` to a document a phrase
/// does not match goes on to the phrase's next match, which for a common pair of words
/// means matching positions in every document in between.
pub(super) struct Probe {
    scorer: Box<dyn Scorer>,
    /// No match before this document.
    next: DocId,
    /// Whether the scorer stands on `next` (else it is between documents, and only
    /// `seek_danger` may be asked of it).
    on: bool,
}

impl Probe {
    pub(super) fn new(scorer: Box<dyn Scorer>) -> Self {
        let next = scorer.doc();
        Probe {
            scorer,
            next,
            on: true,
        }
    }

    /// The score at `doc` if the query matches it; `doc` must grow from call to call.
    pub(super) fn score(&mut self, doc: DocId) -> Option<Score> {
        if doc < self.next || self.next == TERMINATED {
            return None;
        }
        if !(self.on && doc == self.next) {
            match self.scorer.seek_danger(doc) {
                SeekDangerResult::Found => {
                    (self.next, self.on) = (doc, true);
                }
                SeekDangerResult::SeekLowerBound(bound) => {
                    (self.next, self.on) = (bound.max(doc + 1), false);
                    return None;
                }
            }
        }
        Some(self.scorer.score())
    }
}

/// The candidates scored by the full query, the best `depth`, ties by address.
fn rescore(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    matches: &[SegmentMatches],
    mut candidates: Vec<DocAddress>,
    depth: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    candidates.sort_unstable();
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let mut scored = Vec::with_capacity(candidates.len());
    let mut i = 0;
    while i < candidates.len() {
        let ord = candidates[i].segment_ord;
        let reader = searcher.segment_reader(ord);
        let mut probe = Probe::new(weight.scorer(reader, 1.0)?);
        while let Some(addr) = candidates.get(i).filter(|a| a.segment_ord == ord) {
            i += 1;
            debug_assert!(matches[ord as usize].all.contains(addr.doc_id));
            if let Some(score) = probe.score(addr.doc_id) {
                scored.push((score, *addr));
            }
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.truncate(depth);
    Ok(scored)
}

#[cfg(test)]
mod tests {
    use crate::analyzer::{self, Analyzer};
    use crate::model::{Committee, Document, Kind, Status, Tertial};
    use crate::schema::Fields;
    use crate::searcher::{query, Filters, Request, Searcher, RERANK_DEPTH};
    use tantivy::Index;

    /// An index of `n` generated assignments over a small Swedish vocabulary (common
    /// and rare words, compounds, å/ä/ö), in several segments, so block-max WAND has
    /// blocks to skip and ties to break.
    fn generated(n: usize) -> Searcher {
        const WORDS: [&str; 24] = [
            "kommunen",
            "arbete",
            "budget",
            "klimatbudget",
            "psykisk",
            "ohälsa",
            "unga",
            "skola",
            "förskola",
            "bibliotek",
            "jämställdhet",
            "insatser",
            "uppdraget",
            "medborgardialog",
            "demokrati",
            "kommunstyrelsen",
            "bostadsbyggande",
            "landsbygd",
            "klimat",
            "ekonomi",
            "under",
            "året",
            "nämnden",
            "fontänhus",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        analyzer::register(&index, &Analyzer::new(Default::default()));
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let committees = ["KS", "BUN", "VON", "SAN"];
        for i in 0..n {
            // Zipf-like: low word numbers are the most frequent.
            let word = |next: &mut dyn FnMut(usize) -> usize| {
                let (a, b) = (next(WORDS.len()), next(WORDS.len()));
                WORDS[a.min(b)]
            };
            let title = format!("{} {}", word(&mut next), word(&mut next));
            let body_len = 3 + next(40);
            let body: Vec<&str> = (0..body_len).map(|_| word(&mut next)).collect();
            let municipality = ["ostersund", "umea", "kiruna"][next(3)];
            let doc = Document {
                year: Some(2015 + next(10) as u16),
                tertial: Some(Tertial::ALL[next(3)]),
                status: Some(Status::ALL[next(Status::ALL.len())]),
                committees: vec![Committee::new(committees[next(4)]).unwrap()],
                title,
                body: body.join(" "),
                ..Document::new(
                    format!("{municipality}/2023-T3.txt#{}", i + 1),
                    Kind::Uppdrag,
                )
            };
            writer.add_document(fields.to_tantivy(&doc)).unwrap();
            if i % 700 == 699 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        Searcher::from_index(index, "test".into(), None).unwrap()
    }

    /// The pruned ranking gives the single pass's hits, scores, count and facets, for
    /// one-word, many-word, compound, phrase, relaxed, filtered and excluding queries.
    #[test]
    fn pruning_ranks_as_scoring_every_match_does() {
        let s = generated(3000);
        assert!(s.index_searcher().segment_readers().len() >= 4);
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("kommunen", &[]),
            ("arbete", &[]),
            ("fontänhus", &[]),
            ("budget", &[]),
            ("klimatbudget", &[]),
            ("psykisk ohälsa", &[]),
            ("psykisk ohälsa unga", &[]),
            ("kommunstyrelsen budget", &[]),
            ("ohalsa", &[]),
            ("ohälsa -unga", &[]),
            ("\"under året\" kommunen", &[]),
            ("budget OR ekonomi", &[]),
            ("psyk*", &[]),
            ("arbete", &[("år", "2021..2023"), ("nämnd", "BUN")]),
            ("ohälsa", &[("tertial", "T3"), ("kommun", "umea")]),
            ("title:budget", &[]),
        ];
        let mut pruned_some = false;
        for (q, filters) in cases {
            let req = Request {
                filters: Filters::parse_pairs(filters.iter().copied()).unwrap(),
                ..Request::new(*q)
            };
            let req = s.resolve(&req).unwrap();
            let parsed = query::parse(&req.query).unwrap();
            let built = s.build(&parsed, &req, None);
            let searcher = s.index_searcher();
            for depth in [10, RERANK_DEPTH] {
                let r = s.ranked(&searcher, &built, depth, true).unwrap();
                let (a, total_a, facets_a) = (r.top, r.total, r.facets);
                let r = s.ranked(&searcher, &built, depth, false).unwrap();
                let (b, total_b, facets_b) = (r.top, r.total, r.facets);
                assert_eq!(total_a, total_b, "{q}: count");
                assert_eq!(facets_a, facets_b, "{q}: facets");
                let ids =
                    |v: &[(f32, tantivy::DocAddress)]| v.iter().map(|x| x.1).collect::<Vec<_>>();
                assert_eq!(ids(&a), ids(&b), "{q} (depth {depth}): hits");
                for (x, y) in a.iter().zip(&b) {
                    assert!(
                        (x.0 - y.0).abs() <= 1e-4 * y.0.abs(),
                        "{q}: {} vs {}",
                        x.0,
                        y.0
                    );
                }
                pruned_some |= total_a > depth && !built.flat.terms.is_empty();
            }
        }
        assert!(pruned_some);
    }

    /// The relaxed fallback's minimum-should-match plan prunes the same way.
    #[test]
    fn a_relaxed_plan_ranks_as_the_single_pass() {
        let s = generated(1500);
        let req = s
            .resolve(&Request::new("budget ohälsa fontänhus zzzz"))
            .unwrap();
        let parsed = query::parse(&req.query).unwrap();
        let built = s.build(&parsed, &req, Some(2));
        let searcher = s.index_searcher();
        let r = s.ranked(&searcher, &built, 50, true).unwrap();
        let (a, ta) = (r.top, r.total);
        let r = s.ranked(&searcher, &built, 50, false).unwrap();
        let (b, tb) = (r.top, r.total);
        assert!(ta > 50);
        assert_eq!(
            (ta, a.iter().map(|x| x.1).collect::<Vec<_>>()),
            (tb, b.iter().map(|x| x.1).collect())
        );
    }
}
