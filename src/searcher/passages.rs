//! Passage selection and highlighting, on the analyzer's own token offsets: a word is
//! highlighted when its index term is one the query matched on, a phrase only where its
//! words stand together. The passage shown is the one that matches the whole query best,
//! not the first one.

use super::query::Scope;
use crate::analyzer::{AnalyzedToken, Analyzer, FieldKind};
use std::collections::{HashMap, HashSet};

/// Longest passage, in bytes, before it is cut around its matches.
pub const MAX_PASSAGE_BYTES: usize = 360;

/// What to highlight: the index terms (per field kind) and phrases a query matched on,
/// each tagged with the query units (word or phrase) it came from. A unit searches
/// titles, bodies or both (`title:`, `body:`), and is highlighted only there.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    /// The units each term came from, in query order.
    pub terms: HashMap<(FieldKind, String), Vec<usize>>,
    /// Main-field term sequences, with their unit.
    pub phrases: Vec<(usize, Vec<String>)>,
    /// Where each unit searches.
    scopes: Vec<Scope>,
    /// The index's analysis chain with compound splitting: a word is marked for a
    /// compound-part term only when this chain indexes that part for it (the default
    /// chain when not set).
    splitter: Option<Analyzer>,
}

impl Matcher {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.phrases.is_empty()
    }

    /// A new query unit (one word or phrase of the query) searching everywhere.
    pub fn unit(&mut self) -> usize {
        self.unit_in(Scope::All)
    }

    /// A new query unit searching only `scope` (`title:` or `body:` words).
    pub fn unit_in(&mut self, scope: Scope) -> usize {
        self.scopes.push(scope);
        self.scopes.len() - 1
    }

    pub fn add_term(&mut self, unit: usize, kind: FieldKind, term: &str) {
        let units = self.terms.entry((kind, term.to_string())).or_default();
        if !units.contains(&unit) {
            units.push(unit);
        }
    }

    /// The first of `units` that searches `target` (a title or a body).
    fn unit_for(&self, units: &[usize], target: Scope) -> Option<usize> {
        units.iter().copied().find(|&u| self.searches(u, target))
    }

    fn searches(&self, unit: usize, target: Scope) -> bool {
        match self.scopes.get(unit) {
            Some(Scope::All) | None => true,
            Some(s) => *s == target,
        }
    }

    pub fn add_phrase(&mut self, unit: usize, terms: Vec<String>) {
        self.phrases.push((unit, terms));
    }

    /// The analysis chain that indexed the parts field (with compound splitting), so
    /// that compound-part highlights are exactly the words the index split that way.
    pub fn set_splitter(&mut self, analyzer: &Analyzer) {
        self.splitter = Some(analyzer.clone());
    }

    /// The compound-part terms the index holds for the word `surface` (as written).
    fn parts_of(&self, surface: &str) -> Vec<String> {
        let default;
        let splitter = match &self.splitter {
            Some(a) => a,
            None => {
                default = Analyzer::default();
                &default
            }
        };
        splitter
            .analyze(surface)
            .into_iter()
            .filter(|t| t.kind == FieldKind::Parts)
            .map(|t| t.text)
            .collect()
    }

    /// Which tokens of `text` (a title or a body: `target`) match, and for each the
    /// query unit it belongs to. A compound-part or folded match marks the whole word
    /// it stands in.
    fn mark(&self, text: &str, tokens: &[AnalyzedToken], target: Scope) -> Vec<Option<usize>> {
        let mut marks = vec![None; tokens.len()];
        self.mark_parts(text, tokens, target, &mut marks);
        self.mark_terms(tokens, target, &mut marks);
        self.mark_phrases(tokens, target, &mut marks);
        marks
    }

    /// Mark the words that hold a compound part of the query. Passages are analysed
    /// without compound splitting (the costly step), so a word that holds a part's
    /// letters is split here, and marked only when the index split it into that part
    /// ("ideella" holds "ell" but is no compound of it).
    fn mark_parts(
        &self,
        text: &str,
        tokens: &[AnalyzedToken],
        target: Scope,
        marks: &mut [Option<usize>],
    ) {
        let parts: Vec<(&str, usize)> = self
            .terms
            .iter()
            .filter(|((k, t), _)| *k == FieldKind::Parts && t.chars().count() >= 3)
            .filter_map(|((_, t), u)| Some((t.as_str(), self.unit_for(u, target)?)))
            .collect();
        if parts.is_empty() {
            return;
        }
        for (i, t) in tokens.iter().enumerate() {
            if t.kind != FieldKind::Main || marks[i].is_some() {
                continue;
            }
            let Some(surface) = text.get(t.offset_from..t.offset_to) else {
                continue;
            };
            let lower = surface.to_lowercase();
            if !parts
                .iter()
                .any(|(p, _)| lower.len() > p.len() && lower.contains(p))
            {
                continue;
            }
            let split = self.parts_of(surface);
            if let Some((_, u)) = parts.iter().find(|(p, _)| split.iter().any(|s| s == p)) {
                marks[i] = Some(*u);
            }
        }
    }

    /// Mark the tokens whose index term the query matched on; a term of another field
    /// kind (folded, a part) marks the word at its position.
    fn mark_terms(&self, tokens: &[AnalyzedToken], target: Scope, marks: &mut [Option<usize>]) {
        // Index of the first main token at each position (tokens are sorted by position,
        // main first).
        let mut word_at: HashMap<usize, usize> = HashMap::new();
        for (i, t) in tokens.iter().enumerate() {
            if t.kind == FieldKind::Main {
                word_at.entry(t.position).or_insert(i);
            }
        }
        let mut key = (FieldKind::Main, String::new());
        for (i, t) in tokens.iter().enumerate() {
            key.0 = t.kind;
            key.1.clear();
            key.1.push_str(&t.text);
            if let Some(u) = self.terms.get(&key).and_then(|u| self.unit_for(u, target)) {
                let at = match t.kind {
                    FieldKind::Main => i,
                    _ => *word_at.get(&t.position).unwrap_or(&i),
                };
                marks[at] = Some(u);
            }
        }
    }

    /// Mark the words of each phrase where they stand together, at consecutive
    /// positions.
    fn mark_phrases(&self, tokens: &[AnalyzedToken], target: Scope, marks: &mut [Option<usize>]) {
        for (unit, phrase) in &self.phrases {
            if phrase.is_empty() || !self.searches(*unit, target) {
                continue;
            }
            for start in 0..tokens.len() {
                if tokens[start].kind != FieldKind::Main || tokens[start].text != phrase[0] {
                    continue;
                }
                let mut idx = vec![start];
                let mut pos = tokens[start].position;
                for word in &phrase[1..] {
                    let next = tokens
                        .iter()
                        .enumerate()
                        .skip(idx[idx.len() - 1] + 1)
                        .take_while(|(_, t)| t.position <= pos + 1)
                        .find(|(_, t)| {
                            t.kind == FieldKind::Main && t.position == pos + 1 && &t.text == word
                        });
                    match next {
                        Some((j, t)) => {
                            idx.push(j);
                            pos = t.position;
                        }
                        None => break,
                    }
                }
                if idx.len() == phrase.len() {
                    for j in idx {
                        marks[j] = Some(*unit);
                    }
                }
            }
        }
    }
}

/// A passage of a document with byte ranges to highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub text: String,
    /// Byte ranges `[start, end)` into `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// Highlight ranges of a title for the matcher (words searched with `body:` are not
/// marked there); adjacent matched words of one phrase are merged into one range.
pub fn highlight(analyzer: &Analyzer, text: &str, matcher: &Matcher) -> Vec<[usize; 2]> {
    let tokens = analyzer.analyze(text);
    let marks = matcher.mark(text, &tokens, Scope::Title);
    ranges(text, &tokens, &marks, 0, text.len())
}

fn ranges(
    text: &str,
    tokens: &[AnalyzedToken],
    marks: &[Option<usize>],
    from: usize,
    to: usize,
) -> Vec<[usize; 2]> {
    let mut out: Vec<[usize; 2]> = Vec::new();
    // Position of the last matched token, to join adjacent matched words.
    let mut last_pos: Option<usize> = None;
    for (t, m) in tokens.iter().zip(marks) {
        if m.is_none() || t.offset_from < from || t.offset_to > to {
            continue;
        }
        let (s, e) = (t.offset_from - from, t.offset_to - from);
        let adjacent = last_pos.is_some_and(|p| t.position <= p + 1);
        match out.last_mut() {
            // Another token of the same word (a variant at the same offsets).
            Some(last) if last[1] >= e && last[0] <= s => {}
            // Overlapping (a repaired hyphen spanning two words): one range.
            Some(last) if s < last[1] => last[1] = last[1].max(e),
            // Adjacent matched words ("psykisk ohälsa") become one range.
            Some(last)
                if adjacent
                    && last[1] <= s
                    && text[from + last[1]..t.offset_from]
                        .chars()
                        .all(char::is_whitespace) =>
            {
                last[1] = e
            }
            _ => out.push([s, e]),
        }
        last_pos = Some(t.position);
    }
    out
}

/// Candidate passage spans: paragraphs, and windows of sentences in long paragraphs.
fn candidates(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for para in text.split("\n\n") {
        let end = start + para.len();
        let trimmed_start = start + (para.len() - para.trim_start().len());
        let trimmed_end = start + para.trim_end().len();
        if trimmed_end > trimmed_start {
            if trimmed_end - trimmed_start <= MAX_PASSAGE_BYTES {
                spans.push((trimmed_start, trimmed_end));
            } else {
                sentence_windows(text, trimmed_start, trimmed_end, &mut spans);
            }
        }
        start = end + 2;
    }
    spans
}

/// Split a long paragraph into windows of whole sentences of at most
/// [`MAX_PASSAGE_BYTES`] (a single longer sentence becomes its own window).
fn sentence_windows(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let para = &text[from..to];
    let mut sentences = Vec::new();
    let mut s = 0;
    let bytes = para.as_bytes();
    for (i, c) in para.char_indices() {
        if matches!(c, '.' | '!' | '?') && bytes.get(i + 1) == Some(&b' ') {
            sentences.push((s, i + 1));
            s = i + 2;
        }
    }
    if s < para.len() {
        sentences.push((s, para.len()));
    }
    let mut i = 0;
    while i < sentences.len() {
        let (ws, mut we) = sentences[i];
        let mut j = i + 1;
        while j < sentences.len() && sentences[j].1 - ws <= MAX_PASSAGE_BYTES {
            we = sentences[j].1;
            j += 1;
        }
        out.push((from + ws, from + we));
        i = j;
    }
}

/// The best passages of a body `text` for the matcher, best first (at most `max`); words
/// searched with `title:` are not marked there. When nothing matches, the first passage
/// without highlights.
pub fn best_passages(
    analyzer: &Analyzer,
    text: &str,
    matcher: &Matcher,
    max: usize,
) -> Vec<Passage> {
    let spans = candidates(text);
    if spans.is_empty() || max == 0 {
        return Vec::new();
    }
    if matcher.is_empty() {
        // Listing by filters: nothing to find, no analysis needed.
        let (s, e) = spans[0];
        let (s, e) = trim_window(text, s, e, &[], &[]);
        return vec![Passage {
            text: text[s..e].to_string(),
            highlights: Vec::new(),
        }];
    }
    let tokens = analyzer.analyze(text);
    let marks = matcher.mark(text, &tokens, Scope::Body);
    let mut scored: Vec<(u64, usize)> = spans
        .iter()
        .enumerate()
        .map(|(i, &(s, e))| {
            let mut units = HashSet::new();
            let mut count = 0u64;
            for (t, m) in tokens.iter().zip(&marks) {
                if let Some(u) = m {
                    if t.offset_from >= s && t.offset_to <= e {
                        units.insert(*u);
                        count += 1;
                    }
                }
            }
            ((units.len() as u64) * 1_000 + count.min(999), i)
        })
        .collect();
    // Best score first; earlier passage on ties.
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = Vec::new();
    for (score, i) in scored.into_iter().take(max) {
        if score == 0 && !out.is_empty() {
            break;
        }
        let (s, e) = spans[i];
        let (s, e) = trim_window(text, s, e, &tokens, &marks);
        out.push(Passage {
            text: text[s..e].to_string(),
            highlights: ranges(text, &tokens, &marks, s, e),
        });
    }
    out
}

/// Cut a span longer than the limit to a window around its first match, at word
/// boundaries.
fn trim_window(
    text: &str,
    s: usize,
    e: usize,
    tokens: &[AnalyzedToken],
    marks: &[Option<usize>],
) -> (usize, usize) {
    if e - s <= MAX_PASSAGE_BYTES {
        return (s, e);
    }
    let first = tokens
        .iter()
        .zip(marks)
        .find(|(t, m)| m.is_some() && t.offset_from >= s && t.offset_to <= e)
        .map_or(s, |(t, _)| t.offset_from);
    let mut start = first.saturating_sub(MAX_PASSAGE_BYTES / 4).max(s);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    if start > s {
        if let Some(sp) = text[start..first].find(' ') {
            start += sp + 1;
        }
    }
    let mut end = (start + MAX_PASSAGE_BYTES).min(e);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < e {
        if let Some(sp) = text[first.min(end)..end].rfind(' ') {
            end = first.min(end) + sp;
        }
    }
    (start, end.max(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(terms: &[&str], phrases: &[&[&str]]) -> Matcher {
        let mut m = Matcher::default();
        for t in terms {
            let u = m.unit();
            m.add_term(u, FieldKind::Main, t);
        }
        for p in phrases {
            let u = m.unit();
            m.add_phrase(u, p.iter().map(|s| s.to_string()).collect());
        }
        m
    }

    fn marked(p: &Passage) -> Vec<&str> {
        p.highlights.iter().map(|[s, e]| &p.text[*s..*e]).collect()
    }

    #[test]
    fn picks_the_paragraph_with_most_query_words() {
        let a = Analyzer::default();
        let text = "Budget nämns här.\n\nPsykisk ohälsa och budget hos unga.\n\nInget.";
        let m = matcher(&["budget", "psykisk"], &[]);
        let p = best_passages(&a, text, &m, 1);
        assert_eq!(p[0].text, "Psykisk ohälsa och budget hos unga.");
        assert_eq!(marked(&p[0]), ["Psykisk", "budget"]);
        let m = matcher(&["psykisk", "ohäls"], &[]);
        let p = best_passages(&a, "om psykisk ohälsa och psykisk hälsa", &m, 1);
        assert_eq!(marked(&p[0]), ["psykisk ohälsa", "psykisk"]);
    }

    #[test]
    fn stemmed_forms_are_highlighted() {
        let a = Analyzer::default();
        let m = matcher(&["psykisk"], &[]);
        let p = best_passages(&a, "den psykiska ohälsan", &m, 1);
        assert_eq!(marked(&p[0]), ["psykiska"]);
    }

    #[test]
    fn phrases_only_where_words_stand_together() {
        let a = Analyzer::default();
        let m = matcher(&[], &[&["psykisk", "ohäls"]]);
        let text = "psykisk hälsa och ohälsa. Motverka psykisk ohälsa.";
        let p = best_passages(&a, text, &m, 1);
        assert_eq!(marked(&p[0]), ["psykisk ohälsa"]);
        assert_eq!(p[0].highlights, [[37, 52]]);
    }

    #[test]
    fn long_paragraph_is_cut_around_the_match_at_char_boundaries() {
        let a = Analyzer::default();
        let filler = "Åtgärder för förbättring är planerade i år. ".repeat(30);
        let text = format!("{filler}Här står klimatbudget i mitten. {filler}");
        let m = matcher(&["klimatbudget"], &[]);
        let p = best_passages(&a, &text, &m, 1);
        assert!(p[0].text.len() <= MAX_PASSAGE_BYTES);
        assert_eq!(marked(&p[0]), ["klimatbudget"]);
    }

    #[test]
    fn compound_part_and_folded_matches_mark_the_whole_word() {
        let a = Analyzer::default();
        let mut m = Matcher::default();
        let u = m.unit();
        m.add_term(u, FieldKind::Parts, "budget");
        let u = m.unit();
        m.add_term(u, FieldKind::Folded, "ohals");
        let p = best_passages(&a, "Utred en klimatbudget mot ohälsa.", &m, 1);
        assert_eq!(marked(&p[0]), ["klimatbudget", "ohälsa"]);
    }

    #[test]
    fn a_part_is_highlighted_only_where_the_index_splits_it_off() {
        // "eller" stems to "ell", which "ideella" holds but is not a compound of.
        let a = Analyzer::new(crate::analyzer::AnalyzerOptions::default().for_highlighting());
        let mut m = Matcher::default();
        let u = m.unit();
        m.add_term(u, FieldKind::Parts, "ell");
        let u = m.unit();
        m.add_term(u, FieldKind::Parts, "budget");
        m.set_splitter(&Analyzer::default());
        let text = "Den ideella organisationen och klimatbudgeten.";
        let p = best_passages(&a, text, &m, 1);
        assert_eq!(marked(&p[0]), ["klimatbudgeten"]);
        assert_eq!(
            highlight(&a, "Ideella föreningar", &m),
            Vec::<[usize; 2]>::new()
        );
    }

    #[test]
    fn a_scoped_word_is_highlighted_only_where_it_was_searched() {
        let a = Analyzer::default();
        let mut m = Matcher::default();
        let u = m.unit_in(Scope::Title);
        m.add_term(u, FieldKind::Main, "budget");
        let u = m.unit_in(Scope::Body);
        m.add_term(u, FieldKind::Main, "psykisk");
        let text = "psykisk budget";
        assert_eq!(highlight(&a, text, &m), [[8, 14]]);
        let p = best_passages(&a, text, &m, 1);
        assert_eq!(marked(&p[0]), ["psykisk"]);
        // The same word searched everywhere as well is marked everywhere.
        let u = m.unit();
        m.add_term(u, FieldKind::Main, "budget");
        let p = best_passages(&a, text, &m, 1);
        assert_eq!(marked(&p[0]), ["psykisk budget"]);
    }

    #[test]
    fn no_match_gives_first_passage_unhighlighted() {
        let a = Analyzer::default();
        let p = best_passages(&a, "Första.\n\nAndra.", &matcher(&["x"], &[]), 2);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].text, "Första.");
        assert!(p[0].highlights.is_empty());
    }
}
