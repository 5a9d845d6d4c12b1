//! The query plan: a parsed query and a request's filters turned into one tantivy
//! query (each word over its fields, with its variants at lower weights: compound
//! parts, folded forms, typos, synonyms and the committee it names; a prefix search's
//! words; the words all required, or a minimum of them when relaxed; excluded words and
//! phrases; the filters), the proximity boost applied to the best candidates, and what
//! to highlight and explain. [`Searcher::build`] is called by the search in `mod.rs`.
//!
//! An excluded word or phrase removes exactly the documents it would match as a
//! positive one: both are built by the same [`Searcher::atom_query`].

use super::passages::Matcher;
use super::query::{self, Atom, Scope};
use super::{
    expand, fixed, Expansion, Filters, Request, Searcher, APART_WEIGHT, COMMITTEE_SCORE,
    FOLDED_WEIGHT, FUZZY_WEIGHT, ITEMS_BOOST, NEAR_BOOST, NEAR_SLOP, PARTS_WEIGHT, PHRASE_BOOST,
    SYNONYM_WEIGHT, TITLE_BOOST, UNIT_BOOST,
};
use crate::analyzer::FieldKind;
use crate::facet::FilterRule;
use crate::schema;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery,
    Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;
use unicode_normalization::UnicodeNormalization;

impl Searcher {
    /// The query plan for a parsed query under a request: every clause required, or
    /// with `min_match` at least that many of them (the relaxed fallback); the excluded
    /// atoms and the filters on top; with no word at all, every document (a listing,
    /// unscored).
    pub(super) fn build(&self, q: &query::Query, req: &Request, min_match: Option<usize>) -> Built {
        let searcher = self.reader.searcher();
        let mut ctx = Ctx::new(&searcher, req.exact);
        let (words, proximity_terms) = self.word_queries(q, &mut ctx);
        let scored = !words.is_empty();
        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> = match min_match {
            Some(k) if scored => {
                let k = k.clamp(1, words.len());
                let any = words.into_iter().map(|w| (Occur::Should, w)).collect();
                vec![(
                    Occur::Must,
                    Box::new(BooleanQuery::with_minimum_required_clauses(any, k)),
                )]
            }
            _ => words.into_iter().map(|w| (Occur::Must, w)).collect(),
        };
        let proximity = self.proximity_queries(&proximity_terms, &mut ctx);
        for atom in &q.excluded {
            if let Some(aq) = self.excluded_query(&searcher, atom, req.exact) {
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
            flat: std::mem::take(&mut ctx.flat),
            proximity: proximity.into_iter().map(|(_, q)| q).collect(),
            matcher: ctx.matcher,
            leaves: ctx.leaves,
            expansions: ctx.expansions,
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
                .filter_map(|a| self.atom_query(a, &mut *ctx))
                .collect();
            if alts.is_empty() {
                continue;
            }
            if let [only] = clause.alternatives.as_slice() {
                if !only.phrase && !only.prefix && only.scope == Scope::All {
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

    /// The documents an excluded atom rules out: exactly those it matches as a positive
    /// atom (its compound parts, folded forms, typos, synonyms, a prefix's words too),
    /// searched on their own and excluded as a set (see `fixed`: a phrase scorer must
    /// not be handed to tantivy's exclusion).
    fn excluded_query(
        &self,
        searcher: &tantivy::Searcher,
        atom: &Atom,
        exact: bool,
    ) -> Option<Box<dyn TQuery>> {
        let mut scratch = Ctx::new(searcher, exact);
        let aq = self.atom_query(atom, &mut scratch)?;
        Some(match fixed::FixedDocs::of(searcher, &*aq) {
            Ok(docs) => Box::new(docs),
            Err(_) => aq,
        })
    }

    /// The query for one word or phrase over its fields; a word searched everywhere
    /// also matches compound parts, compounds written apart, folded forms and typos at
    /// lower weights, and a word or phrase its synonyms and the committee it names.
    /// Records what to highlight and explain in `ctx`.
    pub(super) fn atom_query(&self, atom: &Atom, ctx: &mut Ctx) -> Option<Box<dyn TQuery>> {
        if atom.prefix {
            return Some(self.prefix_query(atom, ctx));
        }
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
        self.add_as_typed(&mut out, atom.scope, &groups, 1.0, false);
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
        if extras {
            self.add_vocabulary(&mut out, ctx, unit, atom, &groups);
        }
        ctx.leaves.extend(out.leaves);
        ctx.flat.append(out.flat);
        Some(Box::new(BooleanQuery::new(out.should)))
    }

    /// A prefix search (`psyk*`): the indexed words starting with the prefix (at most
    /// [`expand::MAX_PREFIX_EXPANSIONS`], the most frequent first) in the scope's
    /// fields, and, searched everywhere, compound parts and folded forms that start
    /// with it at their lower weights. Matches nothing when no word starts with it.
    fn prefix_query(&self, atom: &Atom, ctx: &mut Ctx) -> Box<dyn TQuery> {
        let prefix: String = atom.text.nfc().collect::<String>().to_lowercase();
        let display = atom.display();
        let mut out = AtomClauses::new(&display);
        let unit = ctx.matcher.unit_in(atom.scope);
        let f = &self.fields;
        let limit = expand::MAX_PREFIX_EXPANSIONS;
        let main_fields: Vec<Field> = match atom.scope {
            Scope::All => vec![f.body, f.title],
            Scope::Title => vec![f.title],
            Scope::Body => vec![f.body],
        };
        let (main, mut capped) = expand::expand_prefix(ctx.searcher, &main_fields, &prefix, limit);
        let mut shown: Vec<String> = Vec::new();
        for (t, _) in &main {
            for (field, boost, name) in self.atom_fields(atom.scope) {
                out.add_term(field, t, boost, "prefix", name, t.clone());
            }
            ctx.matcher.add_term(unit, FieldKind::Main, t);
            shown.push(t.clone());
        }
        if self.analyzer.options().swedish_extras && atom.scope == Scope::All {
            let (parts, c) = expand::expand_prefix(ctx.searcher, &[f.parts], &prefix, limit);
            capped |= c;
            for (t, _) in &parts {
                out.add_term(f.parts, t, PARTS_WEIGHT, "prefix", schema::PARTS, t.clone());
                ctx.matcher.add_term(unit, FieldKind::Parts, t);
                if !shown.contains(t) {
                    shown.push(t.clone());
                }
            }
            if !parts.is_empty() {
                ctx.matcher.set_splitter(&self.analyzer);
            }
            if prefix.is_ascii() {
                let (folded, c) = expand::expand_prefix(ctx.searcher, &[f.folded], &prefix, limit);
                capped |= c;
                for (t, _) in &folded {
                    out.add_term(
                        f.folded,
                        t,
                        FOLDED_WEIGHT,
                        "prefix",
                        schema::FOLDED,
                        t.clone(),
                    );
                    ctx.matcher.add_term(unit, FieldKind::Folded, t);
                }
            }
        }
        ctx.expansions.push(Expansion {
            query: display.clone(),
            how: "prefix",
            terms: shown,
            capped,
        });
        if out.should.is_empty() {
            return Box::new(EmptyQuery);
        }
        ctx.leaves.extend(out.leaves);
        ctx.flat.append(out.flat);
        Box::new(BooleanQuery::new(out.should))
    }

    /// The vocabulary ([`super::synonyms`]): each synonym of the word or phrase, as a
    /// word or phrase in the title and body at [`SYNONYM_WEIGHT`], and the committee it
    /// names (`kommunstyrelsen`, `KS`) in the committee field at [`COMMITTEE_SCORE`].
    fn add_vocabulary(
        &self,
        out: &mut AtomClauses,
        ctx: &mut Ctx,
        unit: usize,
        atom: &Atom,
        groups: &[(usize, Vec<String>)],
    ) {
        let synonyms = self.vocabulary().synonyms(groups);
        if !synonyms.is_empty() {
            for e in &synonyms {
                self.add_as_typed(out, Scope::All, &e.terms, SYNONYM_WEIGHT, true);
                match e.terms.as_slice() {
                    [(_, variants)] => {
                        for v in variants {
                            ctx.matcher.add_term(unit, FieldKind::Main, v);
                        }
                    }
                    terms => ctx.matcher.add_phrase(unit, super::synonyms::key(terms)),
                }
            }
            ctx.expansions.push(Expansion {
                query: atom.display(),
                how: "synonym",
                terms: synonyms.iter().map(|e| e.text.clone()).collect(),
                capped: false,
            });
        }
        if let Some(committee) = self.vocabulary().committee(groups) {
            let q = TermQuery::new(
                Term::from_field_text(self.fields.committees, committee),
                IndexRecordOption::Basic,
            );
            out.add(
                Box::new(ConstScoreQuery::new(Box::new(q), COMMITTEE_SCORE)),
                1.0,
                "committee",
                schema::COMMITTEES,
                committee.to_string(),
            );
            ctx.expansions.push(Expansion {
                query: atom.display(),
                how: "committee",
                terms: vec![committee.to_string()],
                capped: false,
            });
        }
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

    /// Analysed terms as typed, in each of its scope's fields: each variant of a
    /// single word (`word`), or the words of a phrase at their positions (`phrase`);
    /// a synonym's (`synonym`) at `weight` times the field's boost.
    fn add_as_typed(
        &self,
        out: &mut AtomClauses,
        scope: Scope,
        groups: &[(usize, Vec<String>)],
        weight: f32,
        synonym: bool,
    ) {
        let phrase: Vec<&str> = groups.iter().map(|(_, v)| phrase_term(v)).collect();
        for (field, boost, name) in self.atom_fields(scope) {
            match groups {
                [(_, variants)] => {
                    for v in variants {
                        let how = if synonym { "synonym" } else { "word" };
                        out.add_term(field, v, boost * weight, how, name, v.clone());
                    }
                }
                _ => {
                    let base = groups[0].0;
                    let q = PhraseQuery::new_with_offset(
                        groups
                            .iter()
                            .map(|(p, v)| (p - base, Term::from_field_text(field, phrase_term(v))))
                            .collect(),
                    );
                    let how = if synonym { "synonym" } else { "phrase" };
                    out.add(Box::new(q), boost * weight, how, name, phrase.join(" "));
                }
            }
        }
    }

    /// A part of a compound in the text: `budget` -> "klimatbudget".
    fn add_compound_part(&self, out: &mut AtomClauses, ctx: &mut Ctx, unit: usize, word: &str) {
        out.add_term(
            self.fields.parts,
            word,
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
            out.add_term(
                self.fields.folded,
                v,
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

    /// Typos: indexed words (of the body, then of titles) within one or two edits of the
    /// word's first variant, searched in the body and the title, and compound parts
    /// likewise (none with `exact`).
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
        if ctx.exact || edits == 0 || self.is_frequent(ctx.searcher, word) {
            return;
        }
        let mut near = expand::expand(ctx.searcher, f.body, word, edits, expand::MAX_EXPANSIONS);
        // Words only a title holds ("klimatbudget" for `klimatbudgt`).
        for t in expand::expand(ctx.searcher, f.title, word, edits, expand::MAX_EXPANSIONS) {
            if near.len() < expand::MAX_EXPANSIONS && !near.iter().any(|n| n.0 == t.0) {
                near.push(t);
            }
        }
        for (t, _) in near {
            if variants.contains(&t) {
                continue;
            }
            out.add_term(f.body, &t, FUZZY_WEIGHT, "typo", schema::BODY, t.clone());
            out.add_term(
                f.title,
                &t,
                FUZZY_WEIGHT * TITLE_BOOST,
                "typo",
                schema::TITLE,
                t.clone(),
            );
            ctx.matcher.add_term(unit, FieldKind::Main, &t);
        }
        // Typos inside compounds: compound parts within the same edits ("digitalisring"
        // -> the part "digitalisering" of "digitaliseringsprojektet").
        let near = expand::expand(ctx.searcher, f.parts, word, edits, expand::MAX_EXPANSIONS);
        for (t, _) in near {
            if variants.contains(&t) {
                continue;
            }
            out.add_term(
                f.parts,
                &t,
                FUZZY_WEIGHT * PARTS_WEIGHT,
                "typo",
                schema::PARTS,
                t.clone(),
            );
            ctx.matcher.add_term(unit, FieldKind::Parts, &t);
        }
    }

    /// Whether the word's own term is in at least [`expand::FREQUENT_DOCS`] documents'
    /// bodies and titles: a word that common is spelled as the corpus spells it, and its
    /// neighbours within an edit or two are other words, not its typos.
    fn is_frequent(&self, searcher: &tantivy::Searcher, word: &str) -> bool {
        let f = &self.fields;
        let df = |field: Field| {
            searcher
                .doc_freq(&Term::from_field_text(field, word))
                .unwrap_or(0)
        };
        df(f.body) + df(f.title) >= expand::FREQUENT_DOCS
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
    flat: Flat,
}

impl<'t> AtomClauses<'t> {
    /// No alternatives yet.
    fn new(text: &'t str) -> Self {
        AtomClauses {
            text,
            should: Vec::new(),
            leaves: Vec::new(),
            flat: Flat::default(),
        }
    }

    /// Add one term of a field as an alternative at a weight (see [`Self::add`]); the
    /// flat plan ([`Flat`]) scores it without the query's nesting.
    fn add_term(
        &mut self,
        field: Field,
        text: &str,
        boost: f32,
        how: &'static str,
        name: &'static str,
        term: String,
    ) {
        self.flat
            .terms
            .push((Term::from_field_text(field, text), boost));
        self.push(term_query(field, text), boost, how, name, term, false);
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
        self.push(q, boost, how, field, term, true);
    }

    /// Add an alternative; `other`: not a plain term (a phrase, a constant score), so
    /// the flat plan keeps it as a query of its own.
    fn push(
        &mut self,
        q: Box<dyn TQuery>,
        boost: f32,
        how: &'static str,
        field: &'static str,
        term: String,
        other: bool,
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
        if other {
            self.flat.others.push(q.box_clone());
        }
        self.should.push((Occur::Should, q));
    }
}

/// State while building one query: what to highlight and what to explain.
pub(super) struct Ctx<'a> {
    searcher: &'a tantivy::Searcher,
    matcher: Matcher,
    leaves: Vec<Leaf>,
    flat: Flat,
    exact: bool,
    /// What query words were widened to (prefix, synonyms, committees).
    expansions: Vec<Expansion>,
}

impl<'a> Ctx<'a> {
    /// Nothing recorded yet; `exact`: no typo expansion.
    fn new(searcher: &'a tantivy::Searcher, exact: bool) -> Self {
        Ctx {
            searcher,
            matcher: Matcher::default(),
            leaves: Vec::new(),
            flat: Flat::default(),
            exact,
            expansions: Vec::new(),
        }
    }
}

/// A scored leaf of the query, kept for `--explain`.
pub(super) struct Leaf {
    pub(super) query_text: String,
    pub(super) how: &'static str,
    pub(super) field: &'static str,
    pub(super) term: String,
    pub(super) query: Box<dyn TQuery>,
}

/// The scored alternatives of every word of a query, without the query's nesting: for a
/// document the query matches, its score is the sum of the scores of the terms and
/// other queries here that match it (every level of the query sums its clauses; the
/// filters score 0). [`super::topk`] prunes with it.
#[derive(Default)]
pub(super) struct Flat {
    /// Terms with their boosts (a typed word in a field, its compound part, folded
    /// form, typos, synonyms, a prefix's words).
    pub(super) terms: Vec<(Term, f32)>,
    /// Everything else, boosted as in the query (phrases, compounds written apart, a
    /// committee's constant score).
    pub(super) others: Vec<Box<dyn TQuery>>,
}

impl Flat {
    fn append(&mut self, other: Flat) {
        self.terms.extend(other.terms);
        self.others.extend(other.others);
    }
}

/// A tantivy query with what to highlight.
pub(super) struct Built {
    pub(super) query: Box<dyn TQuery>,
    /// The query's scored alternatives, flat (see [`Flat`]).
    pub(super) flat: Flat,
    /// Phrase and nearness boosts (each boosted), applied only to the best BM25
    /// candidates; none for fewer than two words.
    pub(super) proximity: Vec<Box<dyn TQuery>>,
    pub(super) matcher: Matcher,
    pub(super) leaves: Vec<Leaf>,
    /// What query words were widened to, for `--explain`.
    pub(super) expansions: Vec<Expansion>,
    pub(super) scored: bool,
}
