//! Searching an index: opening the live generation, turning a parsed query and filters
//! into a tantivy query (BM25 over title and body, title boosted, proximity rewarded),
//! collecting the top hits and facet counts in one pass, and building each hit's best
//! passage. Everything a result shows comes from the index, never from corpus files.

pub mod facets;
pub mod passages;
pub mod query;

use crate::analyzer::{self, Analyzer};
use crate::indexer::generation::{self, BuildInfo};
use crate::model::{Committee, Document, Kind, Status, Tertial};
use crate::schema::{self, Fields};
use facets::{FacetCollector, FacetCounts};
use passages::{Matcher, Passage};
use query::{Atom, Scope};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Term};

/// Weight of a title match relative to a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Weight of a match in a goal page's traffic-light item titles.
pub const ITEMS_BOOST: f32 = 0.5;
/// Extra weight when the query words stand together as a phrase in the body.
pub const PHRASE_BOOST: f32 = 1.5;
/// Extra weight when they stand within [`NEAR_SLOP`] words of each other.
pub const NEAR_BOOST: f32 = 0.75;
pub const NEAR_SLOP: u32 = 8;

/// Errors of the search side.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("no index in {0}; build one with `rapportsok index CORPUS --index {0}`")]
    NoIndex(PathBuf),
    #[error("index {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Query(#[from] query::QueryError),
    #[error("no document with id {0}")]
    NotFound(String),
}

/// Filters on facet fields. Empty vectors mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Inclusive year range.
    pub years: Option<(u16, u16)>,
    pub tertials: Vec<Tertial>,
    /// A committee filter also matches assignments addressed to all committees.
    pub committees: Vec<Committee>,
    pub statuses: Vec<Status>,
    pub municipalities: Vec<String>,
    pub kinds: Vec<Kind>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// A search request.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// Passages per hit.
    pub passages: usize,
}

impl Request {
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            passages: 1,
        }
    }
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
}

/// The answer to a request.
#[derive(Debug, Clone)]
pub struct Response {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
    /// True when no document held all the words and the query was relaxed to any of
    /// them.
    pub relaxed: bool,
}

/// An opened live generation.
pub struct Searcher {
    pub fields: Fields,
    pub analyzer: Analyzer,
    pub info: Option<BuildInfo>,
    pub generation: String,
    reader: IndexReader,
}

impl Searcher {
    /// Open the live generation of the index directory.
    pub fn open(index_dir: &Path) -> Result<Searcher, SearchError> {
        let io = |source| SearchError::Io {
            path: index_dir.to_path_buf(),
            source,
        };
        let name = generation::current(index_dir)
            .map_err(io)?
            .ok_or_else(|| SearchError::NoIndex(index_dir.to_path_buf()))?;
        let dir = generation::generation_dir(index_dir, &name);
        let directory = MmapDirectory::open(&dir)
            .map_err(|e| SearchError::Tantivy(tantivy::TantivyError::from(e)))?;
        let index = Index::open(directory)?;
        Self::from_index(
            index,
            name.clone(),
            generation::build_info(index_dir, &name),
        )
    }

    /// Wrap an already opened tantivy index (tests, benches).
    pub fn from_index(
        index: Index,
        generation: String,
        info: Option<BuildInfo>,
    ) -> Result<Searcher, SearchError> {
        let analyzer = Analyzer::default();
        analyzer::register(&index, &analyzer);
        let fields = Fields::from_schema(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Searcher {
            fields,
            analyzer,
            info,
            generation,
            reader,
        })
    }

    /// Run a search.
    pub fn search(&self, req: &Request) -> Result<Response, SearchError> {
        let parsed = query::parse(&req.query)?;
        let built = self.build(&parsed, &req.filters, false);
        let mut response = self.run(req, &built)?;
        if response.total == 0 && parsed.clauses.len() > 1 {
            let relaxed = self.build(&parsed, &req.filters, true);
            let r = self.run(req, &relaxed)?;
            if r.total > 0 {
                response = r;
                response.relaxed = true;
            }
        }
        Ok(response)
    }

    fn run(&self, req: &Request, built: &Built) -> Result<Response, SearchError> {
        let searcher = self.reader.searcher();
        let limit = req.limit.max(1);
        let (addrs, total, facets): (Vec<(Option<f32>, DocAddress)>, usize, FacetCounts) =
            if built.scored {
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_score();
                let (top, total, facets) =
                    searcher.search(&*built.query, &(top, Count, FacetCollector))?;
                (
                    top.into_iter().map(|(s, a)| (Some(s), a)).collect(),
                    total,
                    facets,
                )
            } else {
                let top = TopDocs::with_limit(limit)
                    .and_offset(req.offset)
                    .order_by_u64_field(schema::PERIOD, Order::Desc);
                let (top, total, facets) =
                    searcher.search(&*built.query, &(top, Count, FacetCollector))?;
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
                passages::best_passages(&self.analyzer, &doc.body, &built.matcher, req.passages);
            let title_highlights = passages::highlight(&self.analyzer, &doc.title, &built.matcher);
            hits.push(Hit {
                doc,
                score,
                passages,
                title_highlights,
            });
        }
        if req.limit == 0 {
            hits.clear();
        }
        Ok(Response {
            query: req.query.clone(),
            total,
            hits,
            facets,
            relaxed: false,
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

    /// Counts over the whole index.
    pub fn stats(&self) -> Result<(usize, FacetCounts), SearchError> {
        let searcher = self.reader.searcher();
        Ok(searcher.search(&AllQuery, &(Count, FacetCollector))?)
    }

    /// The analyzer's terms for a piece of text, grouped by position.
    fn terms(&self, text: &str) -> Vec<(usize, Vec<String>)> {
        self.analyzer.term_groups(text)
    }

    fn build(&self, q: &query::Query, filters: &Filters, relaxed: bool) -> Built {
        let f = &self.fields;
        let mut matcher = Matcher::default();
        let mut words: Vec<Box<dyn TQuery>> = Vec::new();
        let mut proximity_terms: Vec<String> = Vec::new();
        for clause in &q.clauses {
            let alts: Vec<Box<dyn TQuery>> = clause
                .alternatives
                .iter()
                .filter_map(|a| self.atom_query(a, Some(&mut matcher)))
                .collect();
            if alts.is_empty() {
                continue;
            }
            if let [only] = clause.alternatives.as_slice() {
                if !only.phrase && only.scope == Scope::All {
                    if let [(_, variants)] = self.terms(&only.text).as_slice() {
                        proximity_terms.push(phrase_term(variants).to_string());
                    }
                }
            }
            words.push(if alts.len() == 1 {
                alts.into_iter().next().expect("one alternative")
            } else {
                Box::new(BooleanQuery::new(
                    alts.into_iter().map(|a| (Occur::Should, a)).collect(),
                ))
            });
        }
        let scored = !words.is_empty();
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = if relaxed && scored {
            // At least one of the words.
            let any = words.into_iter().map(|w| (Occur::Should, w)).collect();
            vec![(Occur::Must, Box::new(BooleanQuery::new(any)))]
        } else {
            words.into_iter().map(|w| (Occur::Must, w)).collect()
        };
        if proximity_terms.len() >= 2 {
            let terms: Vec<Term> = proximity_terms
                .iter()
                .map(|t| Term::from_field_text(f.body, t))
                .collect();
            let exact = PhraseQuery::new(terms.clone());
            let mut near = PhraseQuery::new(terms);
            near.set_slop(NEAR_SLOP);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(exact), PHRASE_BOOST)),
            ));
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(near), NEAR_BOOST)),
            ));
        }
        for atom in &q.excluded {
            if let Some(aq) = self.atom_query(atom, None) {
                clauses.push((Occur::MustNot, aq));
            }
        }
        if let Some(fq) = self.filter_query(filters) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(fq, 0.0))));
        }
        if !scored {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Built {
            query: Box::new(BooleanQuery::new(clauses)),
            matcher,
            scored,
        }
    }

    /// The query for one word or phrase over its fields; records what to highlight.
    fn atom_query(&self, atom: &Atom, matcher: Option<&mut Matcher>) -> Option<Box<dyn TQuery>> {
        let groups = self.terms(&atom.text);
        if groups.is_empty() {
            return None;
        }
        if let Some(m) = matcher {
            if let [(_, variants)] = groups.as_slice() {
                m.terms.extend(variants.iter().cloned());
            } else {
                m.phrases.push(
                    groups
                        .iter()
                        .map(|(_, v)| phrase_term(v).to_string())
                        .collect(),
                );
            }
        }
        let f = &self.fields;
        let fields: Vec<(Field, f32)> = match atom.scope {
            Scope::All => vec![
                (f.title, TITLE_BOOST),
                (f.body, 1.0),
                (f.items_text, ITEMS_BOOST),
            ],
            Scope::Title => vec![(f.title, 1.0)],
            Scope::Body => vec![(f.body, 1.0)],
        };
        let per_field: Vec<(Occur, Box<dyn TQuery>)> = fields
            .into_iter()
            .map(|(field, boost)| {
                let q: Box<dyn TQuery> = match groups.as_slice() {
                    [(_, variants)] => any_term(field, variants),
                    _ => {
                        let base = groups[0].0;
                        Box::new(PhraseQuery::new_with_offset(
                            groups
                                .iter()
                                .map(|(p, v)| {
                                    (p - base, Term::from_field_text(field, phrase_term(v)))
                                })
                                .collect(),
                        ))
                    }
                };
                let q: Box<dyn TQuery> = if (boost - 1.0).abs() > f32::EPSILON {
                    Box::new(BoostQuery::new(q, boost))
                } else {
                    q
                };
                (Occur::Should, q)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    fn filter_query(&self, filters: &Filters) -> Option<Box<dyn TQuery>> {
        let f = &self.fields;
        let mut must: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        let any_of = |field: Field, values: Vec<String>| -> Box<dyn TQuery> {
            Box::new(BooleanQuery::new(
                values
                    .into_iter()
                    .map(|v| {
                        let q: Box<dyn TQuery> = Box::new(TermQuery::new(
                            Term::from_field_text(field, &v),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect(),
            ))
        };
        if let Some((from, to)) = filters.years {
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(f.year, u64::from(from))),
                    Bound::Included(Term::from_field_u64(f.year, u64::from(to))),
                )),
            ));
        }
        if !filters.tertials.is_empty() {
            let v = filters.tertials.iter().map(|t| t.as_str().to_string());
            must.push((Occur::Must, any_of(f.tertial, v.collect())));
        }
        if !filters.committees.is_empty() {
            let mut v: Vec<String> = filters
                .committees
                .iter()
                .map(|c| c.as_str().to_string())
                .collect();
            v.push(Committee::ALL_VALUE.to_string());
            must.push((Occur::Must, any_of(f.committees, v)));
        }
        if !filters.statuses.is_empty() {
            let v = filters.statuses.iter().map(|s| s.as_str().to_string());
            must.push((Occur::Must, any_of(f.status, v.collect())));
        }
        if !filters.municipalities.is_empty() {
            must.push((
                Occur::Must,
                any_of(f.municipality, filters.municipalities.clone()),
            ));
        }
        if !filters.kinds.is_empty() {
            let v = filters.kinds.iter().map(|k| k.as_str().to_string());
            must.push((Occur::Must, any_of(f.kind, v.collect())));
        }
        (!must.is_empty()).then(|| Box::new(BooleanQuery::new(must)) as Box<dyn TQuery>)
    }
}

/// The term a phrase uses at a position: the last variant, the most normalised one
/// (a base form's stem is indexed for every inflection, the word's own term only for
/// itself).
fn phrase_term(variants: &[String]) -> &str {
    variants.last().map_or("", String::as_str)
}

/// A term query, or any of several variants of one word.
fn any_term(field: Field, variants: &[String]) -> Box<dyn TQuery> {
    let queries: Vec<(Occur, Box<dyn TQuery>)> = variants
        .iter()
        .map(|v| {
            let q: Box<dyn TQuery> = Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::WithFreqsAndPositions,
            ));
            (Occur::Should, q)
        })
        .collect();
    if queries.len() == 1 {
        queries.into_iter().next().expect("one").1
    } else {
        Box::new(BooleanQuery::new(queries))
    }
}

/// A tantivy query with what to highlight.
struct Built {
    query: Box<dyn TQuery>,
    matcher: Matcher,
    scored: bool,
}
