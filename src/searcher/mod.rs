//! Searching an index: opening the live generation, turning a parsed query and filters
//! into a tantivy query (BM25 over title and body, title boosted, proximity rewarded),
//! collecting the top hits and facet counts in one pass, and building each hit's best
//! passage. Everything a result shows comes from the index, never from corpus files.
//! The query plan (what tantivy query a request becomes) is built in `plan.rs`; the
//! domain vocabulary it adds at query time is read in `synonyms.rs`. A query that no
//! document matches whole is relaxed ([`Relaxation`]): function words dropped, then the
//! most of the other words that any document holds.
//! A long-lived reader follows rebuilds with [`LiveIndex`] (`live.rs`).

pub mod expand;
pub mod facets;
mod fixed;
mod live;
pub mod passages;
mod plan;
pub mod query;
pub mod request;
mod scan;
pub mod synonyms;
mod topk;

pub use live::LiveIndex;
pub use scan::ThreadReport;

use crate::analyzer::{self, Analyzer, FieldKind};
use crate::facet::Fold;
use crate::model::{Committee, Document};
use crate::schema::{self, Fields};
use crate::store::{self, BuildInfo};
use facets::{FacetCollector, FacetCounts};
use passages::Passage;
use plan::Built;
pub use request::{Filters, Request, RequestError, Sort, MAX_LIMIT, MAX_OFFSET, MAX_PASSAGES};
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, Query as TQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Term};

/// Weight of a title match relative to a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Weight of a match in a goal page's traffic-light item titles.
pub const ITEMS_BOOST: f32 = 0.5;
/// Weight of a match in the name of the unit that answers for an assignment: the name is
/// short, so BM25 already scores a match in it high.
pub const UNIT_BOOST: f32 = 0.5;
/// Extra weight when the query words stand together as a phrase in the body.
pub const PHRASE_BOOST: f32 = 1.5;
/// Extra weight when they stand within [`NEAR_SLOP`] words of each other.
pub const NEAR_BOOST: f32 = 0.75;
pub const NEAR_SLOP: u32 = 8;
/// Bytes of analysed words a searcher's query analyzer and highlighter each keep
/// ([`Analyzer::with_cache_limit`]).
const SEARCH_WORD_CACHE: usize = 8 << 20;

/// How many BM25 candidates the proximity boost re-ranks.
pub const RERANK_DEPTH: usize = 200;
/// Weight of a match on a compound part ("budget" in "klimatbudget").
pub const PARTS_WEIGHT: f32 = 0.5;
/// Weight of a match on a compound written apart ("näringslivs ranking").
pub const APART_WEIGHT: f32 = 0.8;
/// Weight of a match with å/ä/ö folded away (`ohalsa` for "ohälsa").
pub const FOLDED_WEIGHT: f32 = 0.4;
/// Weight of a match within the allowed edits (`valdeltgande`).
pub const FUZZY_WEIGHT: f32 = 0.3;
/// Weight of a match on a synonym from the vocabulary (`särskilt boende` for
/// `äldreboende`): below the words the user typed.
pub const SYNONYM_WEIGHT: f32 = 0.6;
/// Score of a document whose committee a query word names (`kommunstyrelsen`, `KS`):
/// a constant, below a typed word's usual BM25 score.
pub const COMMITTEE_SCORE: f32 = 0.5;

/// Errors of the search side. A message does not repeat its `source` (the CLI prints
/// the chain once).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("no index in {0}; build one with `rapportsok index CORPUS --index {0}`")]
    NoIndex(PathBuf),
    #[error("index {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Query(#[from] query::QueryError),
    /// A request that breaks a rule (a cap, a filter value the index does not hold).
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error(
        "no document with id {0}; ids are FILE#N as `rapportsok search` prints them \
         (e.g. ostersund/2023-T3.txt#1)"
    )]
    NotFound(String),
    /// The index folder's synonym list (`synonyms.txt`) cannot be used.
    #[error(transparent)]
    Synonyms(#[from] synonyms::SynonymError),
    /// An index whose terms were made by an analysis this version no longer uses (its
    /// queries would silently miss): it must be rebuilt.
    #[error(
        "the index in {dir} was built with an older analysis ('{found}'; this version \
         indexes lemmas, '{current}'); rebuild it with `rapportsok index CORPUS --index {dir}`",
        current = crate::store::analysis_name(crate::analyzer::AnalyzerOptions::default())
    )]
    OldAnalysis { dir: PathBuf, found: String },
}

/// One result.
#[derive(Debug, Clone)]
pub struct Hit {
    pub doc: Document,
    /// BM25-based score; `None` when listing by filters only (newest first).
    pub score: Option<f32>,
    pub passages: Vec<Passage>,
    /// Byte ranges of matched words in the title.
    pub title_highlights: Vec<[usize; 2]>,
    /// With `explain`: the terms that matched, per field, and what each contributed.
    pub explanation: Vec<Contribution>,
}

/// One matched term's share of a hit's score.
#[derive(Debug, Clone)]
pub struct Contribution {
    /// The query word or phrase it came from.
    pub query: String,
    /// How it matched: `word`, `phrase`, `compound_part`, `written_apart`, `folded`,
    /// `typo`, `prefix`, `synonym`, `committee`, `proximity`.
    pub how: &'static str,
    /// Index field.
    pub field: &'static str,
    /// The index term(s).
    pub term: String,
    pub score: f32,
}

/// What a query word was widened to at query time, for `--explain`: a prefix
/// search's words, a word's synonyms, the committee a word names.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Expansion {
    /// The query word or phrase, as typed (`psyk*`).
    pub query: String,
    /// `prefix`, `synonym` or `committee`.
    pub how: &'static str,
    /// The indexed words, synonyms or committee abbreviation it also searches.
    pub terms: Vec<String>,
    /// A prefix search with more words than the cap
    /// ([`expand::MAX_PREFIX_EXPANSIONS`]): only the most frequent are searched.
    pub capped: bool,
}

/// How a query that no document matched whole was relaxed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Relaxation {
    /// The words and phrases still searched for, as typed (`budget OR ekonomi` for an
    /// `OR` clause).
    pub words: Vec<String>,
    /// How many of `words` each hit holds: the most that any document holds.
    pub min_match: usize,
    /// Function words ("i", "och") no longer required.
    pub dropped: Vec<String>,
}

/// The answer to a request.
#[derive(Debug, Clone)]
pub struct Response {
    pub query: String,
    pub total: usize,
    /// Matches skipped before the first hit (the request's offset): the first hit is
    /// number `offset + 1` of `total`.
    pub offset: usize,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
    /// True when no document held all the words and the query was relaxed
    /// ([`Response::relaxation`] says how).
    pub relaxed: bool,
    /// When relaxed: which words were still required, how many of them, which were
    /// dropped.
    pub relaxation: Option<Relaxation>,
    /// With `explain`: what query words were widened to (prefix searches, synonyms,
    /// committees).
    pub expansions: Vec<Expansion>,
    /// When nothing was found: the query with each unknown word replaced by the closest
    /// indexed word ("Menade du: ..."); words of 2-3 letters are never replaced.
    pub suggestions: Vec<String>,
    /// When nothing was found: query words that are committee abbreviations of the
    /// index (`KS`), to suggest the committee filter instead.
    pub suggested_committees: Vec<Committee>,
    /// True when the query was cut to the limits before the search
    /// ([`query::cut_to_limits`]); set by the caller that cut it.
    pub truncated: bool,
}

/// The sort key of a listing without a query (the greatest comes first): the period,
/// then the corpus order reversed so that the first file and position win. An index
/// without the order field falls back to index order within a period.
fn listing_key(
    segment: &tantivy::SegmentReader,
) -> impl FnMut(tantivy::DocId) -> (u64, std::cmp::Reverse<u64>) {
    let fast = segment.fast_fields();
    let period = fast.u64(schema::PERIOD).ok();
    let order = fast.u64(schema::ORDER).ok();
    move |doc| {
        let p = period.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        let o = order
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(u64::from(doc));
        (p, std::cmp::Reverse(o))
    }
}

/// The sort key of [`request::Sort::FirstSeen`]: the latest `first_seen` first (none:
/// oldest), then as [`listing_key`].
fn first_seen_key(
    segment: &tantivy::SegmentReader,
) -> impl FnMut(tantivy::DocId) -> (u64, (u64, std::cmp::Reverse<u64>)) {
    let first_seen = segment.fast_fields().u64(schema::FIRST_SEEN).ok();
    let mut listing = listing_key(segment);
    move |doc| {
        let seen = first_seen.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        (seen, listing(doc))
    }
}

/// An opened live generation.
pub struct Searcher {
    pub fields: Fields,
    pub analyzer: Analyzer,
    /// The same chain without compound splitting, for passages and highlights.
    highlighter: Analyzer,
    pub info: Option<BuildInfo>,
    pub generation: String,
    /// The index folder it was opened from (empty for [`Searcher::from_index`]).
    pub index_dir: PathBuf,
    /// The synonym list in use.
    synonym_list: synonyms::SynonymList,
    /// It and the committee names compiled for lookups, on the first query that needs
    /// them (a listing, `show` or `stats` never pays for it).
    vocabulary: std::sync::OnceLock<synonyms::Vocabulary>,
    reader: IndexReader,
    /// [`Searcher::stats`], counted once: the reader never reloads, so the counts of the
    /// generation it reads never change (a server asks for them on every trend).
    stats: std::sync::OnceLock<(usize, FacetCounts)>,
    /// The generation's municipality and unit numbers (its commit payload), when it
    /// has them.
    facet_dictionary: Option<std::sync::Arc<schema::FacetDictionary>>,
}

impl Searcher {
    /// Open the live generation of the index directory.
    pub fn open(index_dir: &Path) -> Result<Searcher, SearchError> {
        let io = |source| SearchError::Io {
            path: index_dir.to_path_buf(),
            source,
        };
        let live = || {
            store::current(index_dir)
                .map_err(io)?
                .ok_or_else(|| SearchError::NoIndex(index_dir.to_path_buf()))
        };
        let open = |name: &str| {
            let dir = store::generation_dir(index_dir, name);
            let index = store::open_read_only(&dir)?;
            let mut searcher =
                Self::from_index(index, name.to_string(), store::build_info(index_dir, name))
                    .map_err(|e| match e {
                        SearchError::OldAnalysis { found, .. } => SearchError::OldAnalysis {
                            dir: index_dir.to_path_buf(),
                            found,
                        },
                        e => e,
                    })?;
            searcher.index_dir = index_dir.to_path_buf();
            Ok(searcher)
        };
        let name = live()?;
        match open(&name) {
            Ok(searcher) => Ok(searcher),
            // A rebuild may have switched `CURRENT` and removed the generation it named
            // between our reading it and opening the generation: read it once more.
            Err(first) => match live() {
                Ok(again) if again != name => open(&again),
                _ => Err(first),
            },
        }
    }

    /// Wrap an already opened tantivy index (tests, benches).
    pub fn from_index(
        index: Index,
        generation: String,
        info: Option<BuildInfo>,
    ) -> Result<Searcher, SearchError> {
        let options = match &info {
            None => crate::analyzer::AnalyzerOptions::default(),
            Some(i) => {
                store::analysis_options(&i.analysis).ok_or_else(|| SearchError::OldAnalysis {
                    dir: PathBuf::new(),
                    found: i.analysis.clone(),
                })?
            }
        };
        // A searcher analyses queries and the passages of its hits, not a corpus: a
        // smaller word cache than a build's, for a server that runs for months.
        let analyzer = Analyzer::with_cache_limit(options, SEARCH_WORD_CACHE);
        let highlighter = Analyzer::with_cache_limit(options.for_highlighting(), SEARCH_WORD_CACHE);
        analyzer::register(&index, &analyzer);
        let fields = Fields::from_schema(&index.schema())?;
        let reader: tantivy::IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let payload = index.load_metas()?.payload;
        let facet_dictionary =
            schema::FacetDictionary::from_payload(payload.as_deref()).map(std::sync::Arc::new);
        Ok(Searcher {
            fields,
            analyzer,
            highlighter,
            info,
            generation,
            index_dir: PathBuf::new(),
            synonym_list: synonyms::SynonymList::builtin(),
            vocabulary: std::sync::OnceLock::new(),
            reader,
            stats: std::sync::OnceLock::new(),
            facet_dictionary,
        })
    }

    /// The facet counter of this generation.
    fn facet_collector(&self) -> FacetCollector {
        FacetCollector::new(self.facet_dictionary.clone())
    }

    /// Use this synonym list (in place of the built-in one or the index folder's).
    pub fn set_synonyms(&mut self, list: &synonyms::SynonymList) {
        self.synonym_list = list.clone();
        self.vocabulary = std::sync::OnceLock::new();
    }

    /// Use the synonym list of a search: the file given (`--synonyms FILE`), else the
    /// index folder's `synonyms.txt` when there is one, else the built-in list (which a
    /// searcher starts with). Read at every search's start: editing a list needs no
    /// rebuild.
    pub fn load_synonyms(&mut self, file: Option<&Path>) -> Result<(), synonyms::SynonymError> {
        let list = match file {
            Some(f) => synonyms::SynonymList::load(f)?,
            // The built-in list is compiled already.
            None if !self.index_dir.join(synonyms::FILE_NAME).is_file() => return Ok(()),
            None => synonyms::SynonymList::for_index(&self.index_dir)?,
        };
        self.set_synonyms(&list);
        Ok(())
    }

    /// Where the synonyms in use came from (`built-in synonyms`, a path).
    pub fn synonyms_source(&self) -> &str {
        &self.synonym_list.source
    }

    /// Run a search, after checking the request ([`Searcher::resolve`]).
    pub fn search(&self, req: &Request) -> Result<Response, SearchError> {
        let req = self.resolve(req)?;
        self.search_resolved(&req)
    }

    /// Every match from the request's offset on, whatever its limit (`--csv`): the
    /// matches are counted first, so the top-hits collector is sized to them, not to
    /// the [`MAX_LIMIT`] cap.
    pub fn search_all(&self, req: &Request) -> Result<Response, SearchError> {
        let count = self.resolve(&Request {
            limit: 0,
            ..req.clone()
        })?;
        let total = self.search_resolved(&count)?.total;
        self.search_resolved(&Request {
            limit: total.saturating_sub(count.offset).max(1),
            ..count
        })
    }

    /// Check a request against the rules of [`Request::validate`] and the values the
    /// index holds ([`Searcher::resolve_filters`]); returns it with its filters in the
    /// index's spelling.
    pub fn resolve(&self, req: &Request) -> Result<Request, SearchError> {
        req.validate()?;
        Ok(Request {
            filters: self.resolve_filters(&req.filters)?,
            ..req.clone()
        })
    }

    /// Check that every value of a facet whose row asks for it
    /// ([`crate::facet::FacetSpec::check_in_index`]: committees, municipalities) is one
    /// the index holds (otherwise a committee filter would quietly find only the
    /// assignments to all committees, a municipality nothing): the error lists the known
    /// values. A municipality is also found by its display name, compared with case and
    /// å/ä/ö folded ("Östersund" finds `ostersund`).
    pub fn resolve_filters(&self, filters: &Filters) -> Result<Filters, SearchError> {
        let searcher = self.reader.searcher();
        let mut out = filters.clone();
        let mut known: Option<FacetCounts> = None;
        for (facet, values) in filters.terms() {
            let spec = facet.spec();
            let (Some(fold), Ok(field)) = (
                spec.check_in_index,
                self.fields.schema.get_field(spec.field),
            ) else {
                continue;
            };
            let mut resolved = Vec::with_capacity(values.len());
            for v in values {
                if searcher.doc_freq(&Term::from_field_text(field, v))? > 0 {
                    resolved.push(v.clone());
                    continue;
                }
                if known.is_none() {
                    known = Some(self.stats()?.1);
                }
                let all: Vec<String> = known
                    .as_ref()
                    .map(|k| k.get(facet).keys().cloned().collect())
                    .unwrap_or_default();
                let folded = crate::model::fold_slug(v);
                match all
                    .iter()
                    .find(|k| fold == Fold::Slug && crate::model::fold_slug(k) == folded)
                {
                    Some(k) => resolved.push(k.clone()),
                    None => {
                        return Err(RequestError::NotInIndex {
                            what: spec.key,
                            value: v.clone(),
                            known: all,
                        }
                        .into())
                    }
                }
            }
            out.set_values(facet, resolved);
        }
        Ok(out)
    }

    /// [`Searcher::search`] of a request already resolved.
    fn search_resolved(&self, req: &Request) -> Result<Response, SearchError> {
        let parsed = query::parse(&req.query)?;
        let built = self.build(&parsed, req, None);
        let mut response = self.run(req, &built)?;
        if response.total == 0 && parsed.clauses.len() > 1 {
            if let Some(r) = self.relax(&parsed, req)? {
                response = r;
            }
        }
        if response.total == 0 && !parsed.clauses.is_empty() {
            response.suggestions = self.suggest(&parsed);
            response.suggested_committees = self.committee_words(&parsed);
        }
        Ok(response)
    }

    /// The fallback for a query that no document matched whole: function words are no
    /// longer required (unless the query holds nothing else), and of the other words
    /// (clauses) each hit must hold as many as the best document does: all of them,
    /// else all but one, and so on (a minimum-should-match found by bisection, since
    /// fewer required words never match fewer documents). `None` when no document holds
    /// any word.
    fn relax(&self, parsed: &query::Query, req: &Request) -> Result<Option<Response>, SearchError> {
        let function = |c: &&query::Clause| {
            c.alternatives
                .iter()
                .all(|a| !a.phrase && !a.prefix && query::is_function_word(&a.text))
        };
        let (mut dropped, mut content): (Vec<&query::Clause>, Vec<&query::Clause>) =
            parsed.clauses.iter().partition(function);
        if content.is_empty() {
            content = std::mem::take(&mut dropped);
        }
        let reduced = query::Query {
            clauses: content.iter().map(|c| (*c).clone()).collect(),
            excluded: parsed.excluded.clone(),
        };
        let searcher = self.reader.searcher();
        let count = |k: usize| -> Result<usize, SearchError> {
            let built = self.build(&reduced, req, Some(k));
            Ok(searcher.search(&*built.query, &Count)?)
        };
        // The greatest k in [1, most] that some document reaches; with nothing dropped,
        // all the words are known to find nothing.
        let (mut lo, mut hi) = (0, content.len() - usize::from(dropped.is_empty()));
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if count(mid)? > 0 {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo == 0 {
            return Ok(None);
        }
        let mut r = self.run(req, &self.build(&reduced, req, Some(lo)))?;
        let show = |c: &query::Clause| -> String {
            let alts: Vec<String> = c.alternatives.iter().map(query::Atom::display).collect();
            alts.join(" OR ")
        };
        r.relaxed = true;
        r.relaxation = Some(Relaxation {
            words: content.iter().map(|c| show(c)).collect(),
            min_match: lo,
            dropped: dropped.iter().map(|c| show(c)).collect(),
        });
        Ok(Some(r))
    }

    fn run(&self, req: &Request, built: &Built) -> Result<Response, SearchError> {
        let searcher = self.reader.searcher();
        let limit = req.limit.max(1);
        let (addrs, total, facets): (Vec<(Option<f32>, DocAddress)>, usize, FacetCounts) =
            if built.scored && !req.newest_first && req.sort == request::Sort::Relevance {
                // BM25 picks the candidates (and all matches are counted); the
                // phrase/nearness boost then re-ranks only the candidates, so its
                // position reads do not grow with the number of matches.
                let depth = limit.saturating_add(req.offset).max(RERANK_DEPTH);
                let topk::Ranked {
                    mut top,
                    total,
                    facets,
                } = self.ranked(&searcher, built, depth, true)?;
                rerank(&searcher, &built.proximity, &mut top)?;
                (
                    top.into_iter()
                        .skip(req.offset)
                        .take(limit)
                        .map(|(s, a)| (Some(s), a))
                        .collect(),
                    total,
                    facets,
                )
            } else if req.sort == request::Sort::FirstSeen {
                // Latest first seen first, then as a listing.
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by(first_seen_key);
                let (top, total, facets) =
                    searcher.search(&*built.query, &(top, Count, self.facet_collector()))?;
                (
                    top.into_iter().map(|(_, a)| (None, a)).collect(),
                    total,
                    facets,
                )
            } else {
                // Newest period first, then corpus order (file, then position).
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by(listing_key);
                let (top, total, facets) =
                    searcher.search(&*built.query, &(top, Count, self.facet_collector()))?;
                (
                    top.into_iter().map(|(_, a)| (None, a)).collect(),
                    total,
                    facets,
                )
            };
        let mut hits = Vec::with_capacity(addrs.len());
        for (score, addr) in addrs {
            let stored: tantivy::TantivyDocument = searcher.doc(addr)?;
            let doc = self.fields.from_tantivy(&stored);
            let passages =
                passages::best_passages(&self.highlighter, &doc.body, &built.matcher, req.passages);
            let title_highlights =
                passages::highlight(&self.highlighter, &doc.title, &built.matcher);
            let explanation = if req.explain {
                self.explain(&searcher, built, addr)
            } else {
                Vec::new()
            };
            hits.push(Hit {
                doc,
                score,
                passages,
                title_highlights,
                explanation,
            });
        }
        if req.limit == 0 {
            hits.clear();
        }
        Ok(Response {
            query: req.query.clone(),
            total,
            offset: req.offset,
            hits,
            facets,
            relaxed: false,
            relaxation: None,
            expansions: if req.explain {
                built.expansions.clone()
            } else {
                Vec::new()
            },
            suggestions: Vec::new(),
            suggested_committees: Vec::new(),
            truncated: false,
        })
    }

    /// The best `depth` matches by BM25 (best first, ties by address), the number of
    /// matches and their facet counts: with `prune`, by [`topk`] when the plan allows,
    /// else (and without `prune`: the reference its test compares with) by scoring
    /// every match in one pass.
    fn ranked(
        &self,
        searcher: &tantivy::Searcher,
        built: &Built,
        depth: usize,
        prune: bool,
    ) -> tantivy::Result<topk::Ranked> {
        let collector = self.facet_collector();
        if prune {
            if let Some(r) = topk::best(searcher, &*built.query, &built.flat, depth, &collector)? {
                return Ok(r);
            }
        }
        let top = TopDocs::with_limit(depth).order_by_score();
        let (top, total, facets) = searcher.search(&*built.query, &(top, Count, collector))?;
        Ok(topk::Ranked { top, total, facets })
    }

    /// What each leaf query contributed to a hit's score.
    fn explain(
        &self,
        searcher: &tantivy::Searcher,
        built: &Built,
        addr: DocAddress,
    ) -> Vec<Contribution> {
        let mut out: Vec<Contribution> = built
            .leaves
            .iter()
            .filter_map(|leaf| {
                if !may_match(searcher, &*leaf.query, addr) {
                    return None;
                }
                let e = leaf.query.explain(searcher, addr).ok()?;
                (e.value() > 0.0).then(|| Contribution {
                    query: leaf.query_text.clone(),
                    how: leaf.how,
                    field: leaf.field,
                    term: leaf.term.clone(),
                    score: e.value(),
                })
            })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }

    /// Query words that name a committee of the index by its abbreviation (`KS`,
    /// `bun`): a user who typed one most likely wanted `--committee`.
    fn committee_words(&self, q: &query::Query) -> Vec<Committee> {
        let searcher = self.reader.searcher();
        let mut out: Vec<Committee> = Vec::new();
        for atom in q.clauses.iter().flat_map(|c| &c.alternatives) {
            if atom.phrase || atom.prefix {
                continue;
            }
            let is_abbreviation = crate::model::COMMITTEE_NAMES.iter().any(|(_, abbr)| {
                *abbr != Committee::ALL_VALUE && abbr.eq_ignore_ascii_case(&atom.text)
            });
            let Some(c) = Committee::new(&atom.text).filter(|_| is_abbreviation) else {
                continue;
            };
            let indexed = searcher
                .doc_freq(&Term::from_field_text(self.fields.committees, c.as_str()))
                .unwrap_or(0)
                > 0;
            if indexed && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// "Menade du": replace each query word that matches nothing by the closest indexed
    /// word (within two edits, one for a word of 4 letters), shown as it is written in
    /// the text. Words of 2-3 letters are left alone: at that length nearly every short
    /// word is an edit or two away ("KS" is not a typo of "kan").
    fn suggest(&self, q: &query::Query) -> Vec<String> {
        let searcher = self.reader.searcher();
        let mut words: Vec<String> = Vec::new();
        let mut changed = false;
        for clause in &q.clauses {
            let Some(atom) = clause.alternatives.first() else {
                continue;
            };
            let replacement = (!atom.phrase && !atom.prefix)
                .then(|| self.terms(&atom.text))
                .and_then(|groups| match groups.as_slice() {
                    [(_, variants)] => {
                        let term = &variants[0];
                        let known = searcher
                            .doc_freq(&Term::from_field_text(self.fields.body, term))
                            .unwrap_or(0)
                            + searcher
                                .doc_freq(&Term::from_field_text(self.fields.title, term))
                                .unwrap_or(0);
                        if known > 0 {
                            return None;
                        }
                        let edits = expand::suggestion_edits(atom.text.chars().count());
                        if edits == 0 {
                            return None;
                        }
                        // The closest word of the body, else of a title, else (a typo
                        // inside a compound) the closest compound part.
                        let f = &self.fields;
                        [
                            (f.body, FieldKind::Main),
                            (f.title, FieldKind::Main),
                            (f.parts, FieldKind::Parts),
                        ]
                        .into_iter()
                        .find_map(|(field, kind)| {
                            let best = expand::expand(&searcher, field, term, edits, 1);
                            let (t, _) = best.first()?;
                            self.surface_form(&searcher, field, t, kind)
                        })
                    }
                    _ => None,
                });
            match replacement {
                Some(r) => {
                    changed = true;
                    words.push(r);
                }
                None => words.push(atom.display()),
            }
        }
        if changed {
            vec![words.join(" ")]
        } else {
            Vec::new()
        }
    }

    /// A word of the text (title, then body) whose index term in `field` is `term`: the
    /// first found, lowercased.
    fn surface_form(
        &self,
        searcher: &tantivy::Searcher,
        field: tantivy::schema::Field,
        term: &str,
        kind: FieldKind,
    ) -> Option<String> {
        let q = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::Basic);
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .ok()?;
        let (_, addr) = top.first()?;
        let stored: tantivy::TantivyDocument = searcher.doc(*addr).ok()?;
        let doc = self.fields.from_tantivy(&stored);
        [doc.title, doc.body].into_iter().find_map(|text| {
            self.analyzer
                .analyze(&text)
                .into_iter()
                .find(|t| t.kind == kind && t.text == term)
                .map(|t| text[t.offset_from..t.offset_to].to_lowercase())
        })
    }

    /// Fetch one document by id.
    pub fn show(&self, id: &str) -> Result<Document, SearchError> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
        let (_, addr) = top
            .first()
            .ok_or_else(|| SearchError::NotFound(id.to_string()))?;
        let stored: tantivy::TantivyDocument = searcher.doc(*addr)?;
        Ok(self.fields.from_tantivy(&stored))
    }

    /// The tantivy searcher of the live generation, for modules that run their own
    /// queries or read fast fields (assignment threads in `crate::history`).
    pub fn index_searcher(&self) -> tantivy::Searcher {
        self.reader.searcher()
    }

    /// Counts over the whole index (counted on the first call, then remembered).
    pub fn stats(&self) -> Result<(usize, FacetCounts), SearchError> {
        if let Some(stats) = self.stats.get() {
            return Ok(stats.clone());
        }
        let searcher = self.reader.searcher();
        let stats = searcher.search(&AllQuery, &(Count, self.facet_collector()))?;
        Ok(self.stats.get_or_init(|| stats).clone())
    }

    /// The synonym list and committee names, compiled with the index's analyzer.
    fn vocabulary(&self) -> &synonyms::Vocabulary {
        self.vocabulary
            .get_or_init(|| synonyms::Vocabulary::new(&self.synonym_list, &self.analyzer))
    }

    /// The analyzer's terms for a piece of text, grouped by position.
    fn terms(&self, text: &str) -> Vec<(usize, Vec<String>)> {
        self.analyzer.term_groups(text)
    }
}

/// Whether `query` may match the document at `addr`: its first match in the segment is
/// not after it. Asked before `explain`, because tantivy 0.27's phrase scorer seeks to
/// the document it explains and asserts (in debug builds) that it never seeks backwards,
/// which it does for a document before the phrase's first match.
fn may_match(searcher: &tantivy::Searcher, query: &dyn TQuery, addr: DocAddress) -> bool {
    use tantivy::query::EnableScoring;
    use tantivy::DocSet;
    let Ok(weight) = query.weight(EnableScoring::enabled_from_searcher(searcher)) else {
        return false;
    };
    weight
        .scorer(searcher.segment_reader(addr.segment_ord), 1.0)
        .is_ok_and(|s| s.doc() <= addr.doc_id)
}

/// Add each proximity query's score to each candidate that it matches, then sort again.
/// Each query seeks its own scorer to the candidates: a union of them would visit (and
/// match phrases in) every document between two candidates.
fn rerank(
    searcher: &tantivy::Searcher,
    proximity: &[Box<dyn TQuery>],
    top: &mut [(f32, DocAddress)],
) -> tantivy::Result<()> {
    if proximity.is_empty() {
        return Ok(());
    }
    let mut order: Vec<usize> = (0..top.len()).collect();
    order.sort_by_key(|&i| (top[i].1.segment_ord, top[i].1.doc_id));
    for query in proximity {
        let weight = query.weight(tantivy::query::EnableScoring::enabled_from_searcher(
            searcher,
        ))?;
        let mut current: Option<(u32, topk::Probe)> = None;
        for &i in &order {
            let addr = top[i].1;
            if current
                .as_ref()
                .is_none_or(|(seg, _)| *seg != addr.segment_ord)
            {
                let reader = searcher.segment_reader(addr.segment_ord);
                let probe = topk::Probe::new(weight.scorer(reader, 1.0)?);
                current = Some((addr.segment_ord, probe));
            }
            let Some((_, probe)) = current.as_mut() else {
                continue;
            };
            if let Some(score) = probe.score(addr.doc_id) {
                top[i].0 += score;
            }
        }
    }
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    /// A searcher over documents of the given municipalities and committees, one
    /// document each, all holding the word "budget".
    pub(crate) fn searcher_of(docs: &[(&str, &[&str])]) -> Searcher {
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        analyzer::register(&index, &Analyzer::new(Default::default()));
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, (municipality, committees)) in docs.iter().enumerate() {
            let file = format!("{municipality}/2023-T3.txt");
            writer
                .add_document(
                    fields.to_tantivy(&Document {
                        year: Some(2023),
                        tertial: Some(crate::model::Tertial::T3),
                        title: format!("Uppdrag {i} om budget"),
                        committees: committees
                            .iter()
                            .filter_map(|c| Committee::new(c))
                            .collect(),
                        body: "Arbetet med budget pågår.".into(),
                        ..Document::new(format!("{file}#{}", i + 1), Kind::Uppdrag)
                    }),
                )
                .unwrap();
        }
        writer.commit().unwrap();
        Searcher::from_index(index, "test".into(), None).unwrap()
    }

    #[test]
    fn unknown_committees_and_municipalities_are_errors_that_list_the_known() {
        let s = searcher_of(&[
            ("ostersund", &["KS"]),
            ("storby", &["alla"]),
            ("Umeå", &["BUN"]),
        ]);
        let search = |key: &str, value: &str| {
            let mut req = Request::new("budget");
            req.filters = Filters::parse_pairs([(key, value)]).unwrap();
            s.search(&req)
        };
        // Before, an unknown committee found the assignments to all committees.
        match search("committee", "XYZ") {
            Err(SearchError::Request(RequestError::NotInIndex { what, value, known })) => {
                assert_eq!((what, value.as_str()), ("committee", "XYZ"));
                assert_eq!(known, ["BUN", "KS", "alla"]);
            }
            other => panic!("{:?}", other.map(|r| r.total)),
        }
        let e = search("kommun", "Stockholm").map(|r| r.total).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown municipality 'stockholm'; the index has: Umeå, ostersund, storby"
        );
        assert_eq!(search("committee", "ks").unwrap().total, 2);
        // Display names find the folder's name, with case and å/ä/ö folded.
        for (typed, folder) in [
            ("Östersund", "ostersund"),
            ("umea", "Umeå"),
            ("UMEÅ", "Umeå"),
        ] {
            let r = search("kommun", typed).unwrap();
            assert_eq!(r.total, 1, "{typed}");
            assert_eq!(
                r.hits[0].doc.municipality.as_deref(),
                Some(folder),
                "{typed}"
            );
        }
        // The caps hold for every caller of the library, not only the CLI.
        let e = s
            .search(&Request {
                limit: MAX_LIMIT + 1,
                ..Request::new("budget")
            })
            .unwrap_err();
        assert!(
            matches!(e, SearchError::Request(RequestError::OverCap { .. })),
            "{e}"
        );
    }

    /// Every facet of the table is counted as its row says: packed (year, tertial,
    /// kind), committee bits with a committee outside the packed set, and the
    /// municipality column.
    #[test]
    fn facet_counts_follow_the_table() {
        use crate::facet::Facet;
        let s = searcher_of(&[
            ("ostersund", &["KS", "Region Jämtland Härjedalen"]),
            ("Umeå", &["alla", "KS"]),
            ("Umeå", &[]),
        ]);
        let (n, counts) = s.stats().unwrap();
        assert_eq!(n, 3);
        let get = |f: Facet| -> Vec<(String, u64)> {
            counts.get(f).iter().map(|(k, n)| (k.clone(), *n)).collect()
        };
        let pairs = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
        };
        assert_eq!(get(Facet::Year), pairs(&[("2023", 3)]));
        assert_eq!(get(Facet::Tertial), pairs(&[("T3", 3)]));
        assert_eq!(
            get(Facet::Committee),
            pairs(&[("KS", 2), ("Region Jämtland Härjedalen", 1), ("alla", 1)])
        );
        assert_eq!(get(Facet::Status), pairs(&[]));
        assert_eq!(
            get(Facet::Municipality),
            pairs(&[("Umeå", 2), ("ostersund", 1)])
        );
        assert_eq!(get(Facet::Kind), pairs(&[("uppdrag", 3)]));
        // A search counts only its matches.
        let mut req = Request::new("budget");
        req.filters = Filters::parse_pairs([("kommun", "umea")]).unwrap();
        let r = s.search(&req).unwrap();
        assert_eq!(r.facets.get(Facet::Municipality).get("Umeå"), Some(&2));
        assert_eq!(r.facets.get(Facet::Committee).len(), 2);
    }

    /// Municipality and unit counts from the facet code's numbers (a dictionary in the
    /// commit payload, one value left out of it) equal those read from the columns (an
    /// index without a dictionary).
    #[test]
    fn facet_counts_are_the_same_with_and_without_a_dictionary() {
        use crate::facet::Facet;
        let docs: Vec<Document> = [
            ("ostersund", Some("Bibliotek")),
            ("ostersund", None),
            ("umea", Some("Bibliotek")),
            ("umea", Some("Kulturskolan")),
            ("kiruna", Some("Kulturskolan")),
        ]
        .iter()
        .enumerate()
        .map(|(i, (m, u))| Document {
            year: Some(2023),
            title: format!("Uppdrag {i} om budget"),
            unit: u.map(str::to_string),
            ..Document::new(format!("{m}/2023-T3.txt#{}", i + 1), Kind::Uppdrag)
        })
        .collect();
        // Kiruna and Kulturskolan are not in the dictionary: read from the columns.
        let dictionary = schema::FacetDictionary::new(
            ["ostersund", "umea"].map(String::from),
            ["Bibliotek".to_string()],
        );
        let open = |dictionary: Option<&schema::FacetDictionary>| {
            let fields = Fields::new();
            let index = Index::create_in_ram(fields.schema.clone());
            analyzer::register(&index, &Analyzer::new(Default::default()));
            let mut writer: tantivy::IndexWriter =
                index.writer_with_num_threads(1, 15_000_000).unwrap();
            for d in &docs {
                writer
                    .add_document(fields.to_tantivy_with(d, dictionary))
                    .unwrap();
            }
            let mut commit = writer.prepare_commit().unwrap();
            if let Some(d) = dictionary {
                commit.set_payload(&d.to_payload());
            }
            commit.commit().unwrap();
            Searcher::from_index(index, "test".into(), None).unwrap()
        };
        let (numbered, columns) = (open(Some(&dictionary)), open(None));
        assert!(numbered.facet_dictionary.is_some() && columns.facet_dictionary.is_none());
        let counts = |s: &Searcher, f: Facet| s.stats().unwrap().1.get(f).clone();
        for f in [Facet::Municipality, Facet::Unit] {
            assert_eq!(counts(&numbered, f), counts(&columns, f), "{f:?}");
        }
        let m = counts(&numbered, Facet::Municipality);
        assert_eq!(m.get("ostersund"), Some(&2));
        assert_eq!(m.get("kiruna"), Some(&1));
        let u = counts(&numbered, Facet::Unit);
        assert_eq!(
            (u.get("Bibliotek"), u.get("Kulturskolan")),
            (Some(&2), Some(&2))
        );
        // And over a search's matches.
        let mut req = Request::new("budget");
        req.filters = Filters::parse_pairs([("kommun", "umea")]).unwrap();
        let facets = |s: &Searcher| s.search(&req).unwrap().facets;
        assert_eq!(facets(&numbered), facets(&columns));
        assert_eq!(facets(&numbered).get(Facet::Unit).len(), 2);
    }

    /// A searcher over documents with these bodies (ids `k/2023-T3.txt#1`, ...).
    fn searcher_with_bodies(bodies: &[&str]) -> Searcher {
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        analyzer::register(&index, &Analyzer::new(Default::default()));
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, body) in bodies.iter().enumerate() {
            let doc = Document {
                year: Some(2023),
                title: format!("Uppdrag {i}"),
                body: body.to_string(),
                ..Document::new(format!("k/2023-T3.txt#{}", i + 1), Kind::Uppdrag)
            };
            writer.add_document(fields.to_tantivy(&doc)).unwrap();
        }
        writer.commit().unwrap();
        Searcher::from_index(index, "test".into(), None).unwrap()
    }

    #[test]
    fn a_frequent_word_is_not_expanded_to_typos_a_rare_one_is() {
        // "fontänhus" in a document, "fontänhuz" (one edit away) in another.
        let total = |searcher: &Searcher, q: &str| searcher.search(&Request::new(q)).unwrap().total;
        let mut bodies = vec!["fontänhus", "fontänhuz"];
        let rare = searcher_with_bodies(&bodies);
        assert_eq!(total(&rare, "fontänhus"), 2, "the typo is found");
        // With the word in as many documents as FREQUENT_DOCS, its typo is not.
        let frequent = expand::FREQUENT_DOCS as usize;
        bodies = std::iter::repeat_n("fontänhus", frequent - 1)
            .chain(["fontänhuz", "fontänhus"])
            .collect();
        let common = searcher_with_bodies(&bodies);
        assert_eq!(total(&common, "fontänhus"), frequent);
        // The typo itself is still a query that finds its own document and, being rare,
        // the frequent word.
        assert_eq!(total(&common, "fontänhuz"), frequent + 1);
    }

    #[test]
    fn a_prefix_expands_to_at_most_the_cap_the_most_frequent_first() {
        // 60 words starting with "zork", one of them in every document.
        let words: Vec<String> = (0..60).map(|i| format!("zork{i:02}x")).collect();
        let mut bodies: Vec<String> = vec![words.join(" ")];
        bodies.extend((0..3).map(|i| format!("zork59x text {i}")));
        let s = searcher_with_bodies(&bodies.iter().map(String::as_str).collect::<Vec<_>>());
        let r = s
            .search(&Request {
                explain: true,
                ..Request::new("zork*")
            })
            .unwrap();
        assert_eq!(r.total, 4);
        let e = &r.expansions[0];
        assert_eq!(
            (e.query.as_str(), e.how, e.capped),
            ("zork*", "prefix", true)
        );
        assert_eq!(e.terms.len(), expand::MAX_PREFIX_EXPANSIONS);
        assert_eq!(e.terms[0], "zork59x", "the most frequent first");
        // Under the cap: not capped; without explain: no expansions listed.
        let r = s
            .search(&Request {
                explain: true,
                ..Request::new("zork5*")
            })
            .unwrap();
        assert_eq!(
            (r.expansions[0].terms.len(), r.expansions[0].capped),
            (10, false)
        );
        assert!(s
            .search(&Request::new("zork*"))
            .unwrap()
            .expansions
            .is_empty());
    }

    #[test]
    fn the_fallback_requires_as_many_words_as_the_best_document_holds() {
        let s =
            searcher_with_bodies(&["alfa beta gamma", "alfa beta", "alfa", "delta", "och i att"]);
        let ids = |r: &Response| -> Vec<String> {
            let mut v: Vec<String> = r.hits.iter().map(|h| h.doc.id.clone()).collect();
            v.sort();
            v
        };
        // Four words, three at most in one document: the one with three.
        let r = s.search(&Request::new("alfa beta gamma delta")).unwrap();
        let relax = r.relaxation.clone().unwrap();
        assert_eq!((relax.min_match, relax.words.len()), (3, 4));
        assert_eq!(ids(&r), ["k/2023-T3.txt#1"]);
        // Function words are dropped first: all the others are then held.
        let r = s.search(&Request::new("alfa i beta")).unwrap();
        let relax = r.relaxation.clone().unwrap();
        assert_eq!(relax.dropped, ["i"]);
        assert_eq!((relax.min_match, relax.words.len()), (2, 2));
        assert_eq!(ids(&r), ["k/2023-T3.txt#1", "k/2023-T3.txt#2"]);
        // Only function words: none is dropped (else nothing would be left).
        let r = s.search(&Request::new("och i under")).unwrap();
        let relax = r.relaxation.clone().unwrap();
        assert!(relax.dropped.is_empty());
        assert_eq!((relax.min_match, relax.words.len()), (2, 3));
        assert_eq!(ids(&r), ["k/2023-T3.txt#5"]);
        // A content word no document holds: nothing (function words alone do not count).
        let r = s.search(&Request::new("och zzz")).unwrap();
        assert_eq!((r.total, r.relaxation), (0, None));
        let r = s.search(&Request::new("och delta")).unwrap();
        let relax = r.relaxation.clone().unwrap();
        assert_eq!(
            (relax.words, relax.dropped),
            (vec!["delta".to_string()], vec!["och".to_string()])
        );
        // A word OR another counts once, as one clause.
        let r = s.search(&Request::new("gamma OR delta xyz")).unwrap();
        let relax = r.relaxation.clone().unwrap();
        assert_eq!(relax.words, ["gamma OR delta", "xyz"]);
        assert_eq!(relax.min_match, 1);
    }

    /// `newest_first` orders a query's matches by period, newest first, whatever their
    /// relevance; the matches and the total are those of the ranked search.
    #[test]
    fn newest_first_orders_a_query_by_period() {
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        analyzer::register(&index, &Analyzer::new(Default::default()));
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (year, body) in [
            (2021, "budget budget budget budget"),
            (
                2023,
                "Arbetet med en budget pågår bland mycket annat arbete.",
            ),
            (2022, "budget och mer"),
            (2020, "inget om saken"),
        ] {
            let file = format!("k/{year}-T3.txt");
            writer
                .add_document(fields.to_tantivy(&Document {
                    year: Some(year),
                    tertial: Some(crate::model::Tertial::T3),
                    title: "Uppdrag".into(),
                    body: body.into(),
                    ..Document::new(format!("{file}#1"), Kind::Uppdrag)
                }))
                .unwrap();
        }
        writer.commit().unwrap();
        let s = Searcher::from_index(index, "test".into(), None).unwrap();
        let years =
            |r: &Response| -> Vec<u16> { r.hits.iter().filter_map(|h| h.doc.year).collect() };
        let ranked = s.search(&Request::new("budget")).unwrap();
        assert_eq!(years(&ranked)[0], 2021, "the most mentions rank first");
        let newest = s
            .search(&Request {
                newest_first: true,
                ..Request::new("budget")
            })
            .unwrap();
        assert_eq!(years(&newest), [2023, 2022, 2021]);
        assert_eq!(newest.total, ranked.total);
        assert!(newest.hits[0].passages[0].highlights.len() == 1);
    }

    #[test]
    fn search_all_returns_every_match_past_the_cap_on_limit() {
        let docs: Vec<(&str, &[&str])> = vec![("ostersund", &["KS"]); 12];
        let s = searcher_of(&docs);
        let req = Request {
            offset: 3,
            limit: 2,
            ..Request::new("budget")
        };
        let all = s.search_all(&req).unwrap();
        assert_eq!((all.total, all.hits.len(), all.offset), (12, 9, 3));
        assert_eq!(s.search(&req).unwrap().hits.len(), 2);
        let past = s.search_all(&Request { offset: 20, ..req }).unwrap();
        assert_eq!((past.total, past.hits.len()), (12, 0));
    }

    #[test]
    fn new_since_filters_and_first_seen_sorts() {
        use crate::timestamp::Timestamp;
        let fields = Fields::new();
        let index = Index::create_in_ram(fields.schema.clone());
        analyzer::register(&index, &Analyzer::new(Default::default()));
        let mut writer: tantivy::IndexWriter =
            index.writer_with_num_threads(1, 15_000_000).unwrap();
        // Document i first seen at day i; the newest period is document 0's.
        for (i, year) in [2024u16, 2020, 2022, 2021].into_iter().enumerate() {
            writer
                .add_document(fields.to_tantivy(&Document {
                    year: Some(year),
                    title: format!("Uppdrag {i} om budget"),
                    body: "Arbetet med budget pågår.".into(),
                    first_seen: Some(Timestamp(86_400 * i as u64)),
                    ..Document::new(format!("m/{year}-T3.txt#1"), Kind::Uppdrag)
                }))
                .unwrap();
        }
        writer.commit().unwrap();
        let s = Searcher::from_index(index, "test".into(), None).unwrap();
        let ids = |req: &Request| -> Vec<String> {
            let r = s.search(req).unwrap();
            assert_eq!(r.total, r.hits.len());
            r.hits.into_iter().map(|h| h.doc.id).collect()
        };
        for query in ["budget", ""] {
            let mut req = Request::new(query);
            req.sort = Sort::FirstSeen;
            assert_eq!(
                ids(&req),
                [
                    "m/2021-T3.txt#1",
                    "m/2022-T3.txt#1",
                    "m/2020-T3.txt#1",
                    "m/2024-T3.txt#1"
                ],
                "{query:?}"
            );
            req.filters.new_since = Some(Timestamp(86_400 * 2));
            assert_eq!(ids(&req), ["m/2021-T3.txt#1", "m/2022-T3.txt#1"]);
            assert!(!req.filters.is_empty());
            // The default order within the filter: newest period first.
            req.sort = Sort::Relevance;
            let mut got = ids(&req);
            if query.is_empty() {
                assert_eq!(got, ["m/2022-T3.txt#1", "m/2021-T3.txt#1"]);
            }
            got.sort();
            assert_eq!(got, ["m/2021-T3.txt#1", "m/2022-T3.txt#1"]);
            // Stored and read back.
            let r = s.search(&req).unwrap();
            assert!(r.hits.iter().all(|h| h.doc.first_seen.is_some()));
        }
    }
}
