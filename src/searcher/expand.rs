//! Typo tolerance: expanding a query term to the indexed terms within a small edit
//! distance (a Levenshtein automaton run over the term dictionary, so the cost does not
//! grow with the number of indexed terms), and "Menade du: ..." suggestions when a
//! query finds nothing.
//!
//! Limits: one edit from 5 letters, two from 9, none below 5 (like Meilisearch and
//! Typesense), never in the first letter; at most [`MAX_EXPANSIONS`] terms per query
//! word, the most frequent first.
//!
//! Prefix searches (`psyk*`) expand the same way, to the indexed terms that start with
//! the prefix ([`expand_prefix`]), at most [`MAX_PREFIX_EXPANSIONS`], the most frequent
//! first.

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::schema::Field;

/// Most indexed terms one query word expands to.
pub const MAX_EXPANSIONS: usize = 8;

/// A query word whose own term is in at least this many documents (bodies and titles
/// counted apart) is not expanded to typos: it is a word of the corpus, spelled as the
/// corpus spells it, and the terms an edit or two away are other words, not its typos.
/// It is also the cost: the term-dictionary walks were a fifth of a multi-word search
/// at national scale, and a common word's neighbours widen the set every count visits.
/// A rarer word, and a word no document holds, is expanded as before.
pub const FREQUENT_DOCS: u64 = 50;

/// Most indexed terms one prefix search (`psyk*`) expands to, per field.
pub const MAX_PREFIX_EXPANSIONS: usize = 50;

/// Edits allowed for a query word of `chars` letters.
pub fn max_edits(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Edits allowed when suggesting a word for a query word of `chars` letters that found
/// nothing ("Menade du"): none below 4 letters, one at 4, two from 5.
pub fn suggestion_edits(chars: usize) -> u8 {
    match chars {
        0..=3 => 0,
        4 => 1,
        _ => 2,
    }
}

fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let cell = if distance <= 1 { &ONE } else { &TWO };
    cell.get_or_init(|| LevenshteinAutomatonBuilder::new(distance.clamp(1, 2), true))
}

/// The automaton: the query's first letter exactly (a typo there is rare, and fixing it
/// lets the term-dictionary walk skip every other initial letter), then the Levenshtein
/// DFA of the rest. Built once per query word, run over every segment.
struct Dfa<'a> {
    prefix: &'a [u8],
    dfa: &'a DFA,
}

/// Walking the prefix (`Prefix(i)`: `i` bytes matched), then the DFA, or dead.
#[derive(Clone, Copy)]
enum State {
    Prefix(usize),
    Rest(u32),
    Dead,
}

impl tantivy_fst::Automaton for Dfa<'_> {
    type State = State;

    fn start(&self) -> State {
        if self.prefix.is_empty() {
            State::Rest(self.dfa.initial_state())
        } else {
            State::Prefix(0)
        }
    }

    fn is_match(&self, state: &State) -> bool {
        match state {
            State::Rest(s) => matches!(self.dfa.distance(*s), Distance::Exact(_)),
            _ => false,
        }
    }

    fn can_match(&self, state: &State) -> bool {
        match state {
            State::Rest(s) => *s != levenshtein_automata::SINK_STATE,
            State::Prefix(_) => true,
            State::Dead => false,
        }
    }

    fn accept(&self, state: &State, byte: u8) -> State {
        match *state {
            State::Prefix(i) if self.prefix.get(i) == Some(&byte) => {
                if i + 1 == self.prefix.len() {
                    State::Rest(self.dfa.initial_state())
                } else {
                    State::Prefix(i + 1)
                }
            }
            State::Rest(s) => State::Rest(self.dfa.transition(s, byte)),
            _ => State::Dead,
        }
    }
}

/// Indexed terms of `field` within `distance` edits of `term` (excluding `term`
/// itself), with their document frequencies, most frequent first, at most `limit`.
pub fn expand(
    searcher: &tantivy::Searcher,
    field: Field,
    term: &str,
    distance: u8,
    limit: usize,
) -> Vec<(String, u64)> {
    if distance == 0 || limit == 0 {
        return Vec::new();
    }
    let mut found: HashMap<String, u64> = HashMap::new();
    let first = term.chars().next().map_or(0, char::len_utf8);
    let (prefix, rest) = term.split_at(first);
    let dfa = builder(distance).build_dfa(rest);
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted
            .terms()
            .search(Dfa {
                prefix: prefix.as_bytes(),
                dfa: &dfa,
            })
            .into_stream()
        else {
            continue;
        };
        while stream.advance() {
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if key != term {
                *found.entry(key.to_string()).or_default() += u64::from(stream.value().doc_freq);
            }
        }
    }
    let mut v: Vec<(String, u64)> = found.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(limit);
    v
}

/// Indexed terms of `fields` that start with `prefix`, with their document frequencies
/// (summed over the fields), most frequent first, at most `limit`; and whether more were
/// found than kept.
pub fn expand_prefix(
    searcher: &tantivy::Searcher,
    fields: &[Field],
    prefix: &str,
    limit: usize,
) -> (Vec<(String, u64)>, bool) {
    let mut found: HashMap<String, u64> = HashMap::new();
    for (segment, &field) in searcher
        .segment_readers()
        .iter()
        .flat_map(|s| fields.iter().map(move |f| (s, f)))
    {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() {
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            let Ok(key) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            *found.entry(key.to_string()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    let mut v: Vec<(String, u64)> = found.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let capped = v.len() > limit;
    v.truncate(limit);
    (v, capped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_length() {
        assert_eq!(max_edits(4), 0);
        assert_eq!(max_edits(5), 1);
        assert_eq!(max_edits(8), 1);
        assert_eq!(max_edits(9), 2);
        // Suggestions: never for words of 2-3 letters ("KS" is not "kan").
        assert_eq!(suggestion_edits(2), 0);
        assert_eq!(suggestion_edits(3), 0);
        assert_eq!(suggestion_edits(4), 1);
        assert_eq!(suggestion_edits(5), 2);
    }
}
