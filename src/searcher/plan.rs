//! The query plan: a parsed query and a request's filters turned into one tantivy
//! query (each word over its fields, with its variants at lower weights; the words all
//! required, or any of them when relaxed; excluded words and phrases; the filters),
//! the proximity boost applied to the best candidates, and what to highlight and
//! explain. [`Searcher::build`] is called by the search in `mod.rs`.

use super::passages::Matcher;
use super::query::{self, Atom, Scope};
use super::{
    expand, fixed, Filters, Request, Searcher, APART_WEIGHT, FOLDED_WEIGHT, FUZZY_WEIGHT,
    ITEMS_BOOST, NEAR_BOOST, NEAR_SLOP, PARTS_WEIGHT, PHRASE_BOOST, TITLE_BOOST, UNIT_BOOST,
};
use crate::analyzer::FieldKind;
use crate::facet::FilterRule;
use crate::schema;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query as TQuery,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

impl Searcher {
    /// The query plan for a parsed query under a request: every clause required, or
    /// with `relaxed` any of them; the excluded atoms and the filters on top; with no
    /// word at all, every document (a listing, unscored).
    pub(super) fn build(&self, q: &query::Query, req: &Request, relaxed: bool) -> Built {
        let searcher = self.reader.searcher();
        let mut ctx = Ctx {
            searcher: &searcher,
            matcher: Matcher::default(),
            leaves: Vec::new(),
            exact: req.exact,
        };
        let (words, proximity_terms) = self.word_queries(q, &mut ctx);
        let scored = !words.is_empty();
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = if relaxed && scored {
            // At least one of the words.
            let any = words.into_iter().map(|w| (Occur::Should, w)).collect();
            vec![(Occur::Must, Box::new(BooleanQuery::new(any)))]
        } else {
            words.into_iter().map(|w| (Occur::Must, w)).collect()
        };
        let proximity = self.proximity_queries(&proximity_terms, &mut ctx);
        for atom in &q.excluded {
            if let Some(aq) = self.excluded_query(&searcher, atom) {
                clauses.push((Occur::MustNot, aq));
            }
        }
        if let Some(fq) = self.filter_query(&req.filters) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(fq, 0.0))));
        }
        if !scored {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Built {
            query: Box::new(BooleanQuery::new(clauses)),
            proximity: (!proximity.is_empty())
                .then(|| Box::new(BooleanQuery::new(proximity)) as Box<dyn TQuery>),
            matcher: ctx.matcher,
            leaves: ctx.leaves,
            scored,
        }
    }

    /// One query per clause of the query (any of its alternatives), and the terms of
    /// the clauses that are one plain word searched everywhere, for the proximity boost.
    fn word_queries(&self, q: &query::Query, ctx: &mut Ctx) -> (Vec<Box<dyn TQuery>>, Vec<String>) {
        let mut words: Vec<Box<dyn TQuery>> = Vec::new();
        let mut proximity_terms: Vec<String> = Vec::new();
        for clause in &q.clauses {
            let alts: Vec<Box<dyn TQuery>> = clause
                .alternatives
                .iter()
                .filter_map(|a| self.atom_query(a, Some(&mut *ctx)))
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
        (words, proximity_terms)
    }

    /// The proximity boost for two or more words: the words as a phrase in the body
    /// ([`PHRASE_BOOST`]) and within [`NEAR_SLOP`] words of each other ([`NEAR_BOOST`]),
    /// each kept as a leaf for `--explain`. Empty for fewer words.
    fn proximity_queries(
        &self,
        proximity_terms: &[String],
        ctx: &mut Ctx,
    ) -> Vec<(Occur, Box<dyn TQuery>)> {
        let mut proximity: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        if proximity_terms.len() >= 2 {
            let terms: Vec<Term> = proximity_terms
                .iter()
                .map(|t| Term::from_field_text(self.fields.body, t))
                .collect();
            let exact = PhraseQuery::new(terms.clone());
            let mut near = PhraseQuery::new(terms);
            near.set_slop(NEAR_SLOP);
            let label = proximity_terms.join(" ");
            for (q, boost, how) in [
                (exact, PHRASE_BOOST, "proximity (phrase)"),
                (near, NEAR_BOOST, "proximity (near)"),
            ] {
                let q: Box<dyn TQuery> = Box::new(BoostQuery::new(Box::new(q), boost));
                ctx.leaves.push(Leaf {
                    query_text: label.clone(),
                    how,
                    field: schema::BODY,
                    term: label.clone(),
                    query: q.box_clone(),
                });
                proximity.push((Occur::Should, q));
            }
        }
        proximity
    }

    /// The query an excluded atom rules out. A phrase is excluded as the set of its
    /// matches (see `fixed`).
    fn excluded_query(&self, searcher: &tantivy::Searcher, atom: &Atom) -> Option<Box<dyn TQuery>> {
        let aq = self.atom_query(atom, None)?;
        Some(if self.terms(&atom.text).len() > 1 {
            match fixed::FixedDocs::of(searcher, &*aq) {
                Ok(docs) => Box::new(docs),
                Err(_) => aq,
            }
        } else {
            aq
        })
    }

    /// The query for one word or phrase over its fields. With a context (positive
    /// atoms), it also matches compound parts, compounds written apart, folded forms
    /// and typos at lower weights, and records what to highlight and explain.
    fn atom_query(&self, atom: &Atom, ctx: Option<&mut Ctx>) -> Option<Box<dyn TQuery>> {
        let groups = self.terms(&atom.text);
        if groups.is_empty() {
            return None;
        }
        let mut out = AtomClauses::new(&atom.text);
        let single = match groups.as_slice() {
            [(_, variants)] => Some(variants.clone()),
            _ => None,
        };
        let phrase: Vec<String> = groups
            .iter()
            .map(|(_, v)| phrase_term(v).to_string())
            .collect();
        self.add_as_typed(&mut out, atom.scope, &groups, single.as_deref(), &phrase);
        let Some(ctx) = ctx else {
            return Some(out.into_query());
        };
        let unit = ctx.matcher.unit_in(atom.scope);
        match &single {
            Some(variants) => {
                for v in variants {
                    ctx.matcher.add_term(unit, FieldKind::Main, v);
                }
            }
            None => ctx.matcher.add_phrase(unit, phrase.clone()),
        }
        let extras = self.analyzer.options().swedish_extras && atom.scope == Scope::All;
        if let (Some(variants), true) = (&single, extras) {
            self.add_compound_part(&mut out, ctx, unit, &variants[0]);
            if atom.text.is_ascii() {
                self.add_folded(&mut out, ctx, unit, variants);
            }
            self.add_written_apart(&mut out, ctx, unit, &atom.text);
            self.add_typos(&mut out, ctx, unit, &atom.text, variants);
        }
        ctx.leaves.extend(out.leaves);
        Some(Box::new(BooleanQuery::new(out.should)))
    }

    /// The fields an atom of this scope is searched in, with their weights and names.
    fn atom_fields(&self, scope: Scope) -> Vec<(Field, f32, &'static str)> {
        let f = &self.fields;
        match scope {
            Scope::All => [
                (f.title, TITLE_BOOST, schema::TITLE),
                (f.body, 1.0, schema::BODY),
                (f.items_text, ITEMS_BOOST, schema::ITEMS_TEXT),
            ]
            .into_iter()
            .chain(f.unit.map(|u| (u, UNIT_BOOST, schema::UNIT)))
            .collect(),
            Scope::Title => vec![(f.title, 1.0, schema::TITLE)],
            Scope::Body => vec![(f.body, 1.0, schema::BODY)],
        }
    }

    /// The atom as typed, in each of its scope's fields: each variant of a single word
    /// (`word`), or the words of a phrase at their positions (`phrase`).
    fn add_as_typed(
        &self,
        out: &mut AtomClauses,
        scope: Scope,
        groups: &[(usize, Vec<String>)],
        single: Option<&[String]>,
        phrase: &[String],
    ) {
        for (field, boost, name) in self.atom_fields(scope) {
            match single {
                Some(variants) => {
                    for v in variants {
                        out.add(term_query(field, v), boost, "word", name, v.clone());
                    }
                }
                None => {
                    let base = groups[0].0;
                    let q = PhraseQuery::new_with_offset(
                        groups
                            .iter()
                            .map(|(p, v)| (p - base, Term::from_field_text(field, phrase_term(v))))
                            .collect(),
                    );
                    out.add(Box::new(q), boost, "phrase", name, phrase.join(" "));
                }
            }
        }
    }

    /// A part of a compound in the text: `budget` -> "klimatbudget".
    fn add_compound_part(&self, out: &mut AtomClauses, ctx: &mut Ctx, unit: usize, word: &str) {
        out.add(
            term_query(self.fields.parts, word),
            PARTS_WEIGHT,
            "compound_part",
            schema::PARTS,
            word.to_string(),
        );
        ctx.matcher.add_term(unit, FieldKind::Parts, word);
        ctx.matcher.set_splitter(&self.analyzer);
    }

    /// Typed without å/ä/ö: `ohalsa` -> "ohälsa".
    fn add_folded(&self, out: &mut AtomClauses, ctx: &mut Ctx, unit: usize, variants: &[String]) {
        for v in variants {
            out.add(
                term_query(self.fields.folded, v),
                FOLDED_WEIGHT,
                "folded",
                schema::FOLDED,
                v.clone(),
            );
            ctx.matcher.add_term(unit, FieldKind::Folded, v);
        }
    }

    /// A compound written apart in the text: `näringslivsranking` -> "näringslivs
    /// ranking", in the body and the title.
    fn add_written_apart(&self, out: &mut AtomClauses, ctx: &mut Ctx, unit: usize, text: &str) {
        let Some(parts) = self.analyzer.compound_parts(text) else {
            return;
        };
        let f = &self.fields;
        for (field, boost, name) in [
            (f.body, APART_WEIGHT, schema::BODY),
            (f.title, APART_WEIGHT * TITLE_BOOST, schema::TITLE),
        ] {
            let q = PhraseQuery::new(
                parts
                    .iter()
                    .map(|p| Term::from_field_text(field, p))
                    .collect(),
            );
            out.add(Box::new(q), boost, "written_apart", name, parts.join(" "));
        }
        ctx.matcher.add_phrase(unit, parts);
    }

    /// Typos: indexed words within one or two edits of the word's first variant, in the
    /// body and the title (none with `exact`).
    fn add_typos(
        &self,
        out: &mut AtomClauses,
        ctx: &mut Ctx,
        unit: usize,
        text: &str,
        variants: &[String],
    ) {
        let f = &self.fields;
        let word = &variants[0];
        // Edits are allowed by the length of the stem as well as of the word typed:
        // "fastigheter" stems to "fast", which two edits would turn into "höst".
        let edits = expand::max_edits(text.chars().count().min(word.chars().count()));
        if ctx.exact || edits == 0 {
            return;
        }
        let near = expand::expand(ctx.searcher, f.body, word, edits, expand::MAX_EXPANSIONS);
        for (t, _) in near {
            if variants.contains(&t) {
                continue;
            }
            out.add(
                term_query(f.body, &t),
                FUZZY_WEIGHT,
                "typo",
                schema::BODY,
                t.clone(),
            );
            out.add(
                term_query(f.title, &t),
                FUZZY_WEIGHT * TITLE_BOOST,
                "typo",
                schema::TITLE,
                t.clone(),
            );
            ctx.matcher.add_term(unit, FieldKind::Main, &t);
        }
    }

    /// The filters as a query: each facet's rule from the table
    /// ([`crate::facet::FilterRule`]): the year range, or any of the values (and the
    /// facet's `also` value, `alla` for committees).
    fn filter_query(&self, filters: &Filters) -> Option<Box<dyn TQuery>> {
        let schema = &self.fields.schema;
        let mut must: Vec<(Occur, Box<dyn TQuery>)> = Vec::new();
        if let Some((from, to)) = filters.years {
            let year = self.fields.year;
            must.push((
                Occur::Must,
                Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(year, u64::from(from))),
                    Bound::Included(Term::from_field_u64(year, u64::from(to))),
                )),
            ));
        }
        for (facet, values) in filters.terms() {
            let spec = facet.spec();
            // A facet an older index lacks (built before its field existed): nothing
            // there has a value, so a filter on it matches nothing.
            let Ok(field) = schema.get_field(spec.field) else {
                must.push((Occur::Must, Box::new(tantivy::query::EmptyQuery)));
                continue;
            };
            let also = match spec.filter {
                FilterRule::Terms { also, .. } => also,
                FilterRule::YearRange => None,
            };
            let any: Vec<(Occur, Box<dyn TQuery>)> = values
                .iter()
                .map(String::as_str)
                .chain(also)
                .map(|v| {
                    let q: Box<dyn TQuery> = Box::new(TermQuery::new(
                        Term::from_field_text(field, v),
                        IndexRecordOption::Basic,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(since) = filters.new_since {
            // An index built before `first_seen` existed has no such documents.
            let q: Box<dyn TQuery> = match self.fields.first_seen {
                Some(field) => Box::new(RangeQuery::new(
                    Bound::Included(Term::from_field_u64(field, since.secs())),
                    Bound::Unbounded,
                )),
                None => Box::new(tantivy::query::EmptyQuery),
            };
            must.push((Occur::Must, q));
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

/// A term query with positions (so it can also serve phrase scoring).
fn term_query(field: Field, term: &str) -> Box<dyn TQuery> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, term),
        IndexRecordOption::WithFreqs,
    ))
}

/// The alternatives of one atom while its query is built (any of them matches), and
/// the leaves that explain them.
struct AtomClauses<'t> {
    /// The atom's text, as `--explain` names it.
    text: &'t str,
    should: Vec<(Occur, Box<dyn TQuery>)>,
    leaves: Vec<Leaf>,
}

impl<'t> AtomClauses<'t> {
    /// No alternatives yet.
    fn new(text: &'t str) -> Self {
        AtomClauses {
            text,
            should: Vec::new(),
            leaves: Vec::new(),
        }
    }

    /// Add one alternative at a weight (unboosted at 1), kept as a leaf for `--explain`.
    fn add(
        &mut self,
        q: Box<dyn TQuery>,
        boost: f32,
        how: &'static str,
        field: &'static str,
        term: String,
    ) {
        let q: Box<dyn TQuery> = if (boost - 1.0).abs() > f32::EPSILON {
            Box::new(BoostQuery::new(q, boost))
        } else {
            q
        };
        self.leaves.push(Leaf {
            query_text: self.text.to_string(),
            how,
            field,
            term,
            query: q.box_clone(),
        });
        self.should.push((Occur::Should, q));
    }

    /// Any of the alternatives, for an atom without a context (an excluded one).
    fn into_query(self) -> Box<dyn TQuery> {
        Box::new(BooleanQuery::new(self.should))
    }
}

/// State while building one query: what to highlight and what to explain.
struct Ctx<'a> {
    searcher: &'a tantivy::Searcher,
    matcher: Matcher,
    leaves: Vec<Leaf>,
    exact: bool,
}

/// A scored leaf of the query, kept for `--explain`.
pub(super) struct Leaf {
    pub(super) query_text: String,
    pub(super) how: &'static str,
    pub(super) field: &'static str,
    pub(super) term: String,
    pub(super) query: Box<dyn TQuery>,
}

/// A tantivy query with what to highlight.
pub(super) struct Built {
    pub(super) query: Box<dyn TQuery>,
    /// Phrase and nearness boosts, applied only to the best BM25 candidates.
    pub(super) proximity: Option<Box<dyn TQuery>>,
    pub(super) matcher: Matcher,
    pub(super) leaves: Vec<Leaf>,
    pub(super) scored: bool,
}
