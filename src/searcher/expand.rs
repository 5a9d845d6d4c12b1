//! Typo tolerance: expanding a query term to the indexed terms within a small edit
//! distance (a Levenshtein automaton run over the term dictionary, so the cost does not
//! grow with the number of indexed terms), and "Menade du: ..." suggestions when a
//! query finds nothing.
//!
//! Limits: one edit from 5 letters, two from 9, none below 5 (like Meilisearch and
//! Typesense); at most [`MAX_EXPANSIONS`] terms per query word, the most frequent first.

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use std::collections::HashMap;
use std::sync::OnceLock;
use tantivy::schema::Field;

/// Most indexed terms one query word expands to.
pub const MAX_EXPANSIONS: usize = 8;

/// Edits allowed for a query word of `chars` letters.
pub fn max_edits(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    let cell = if distance <= 1 { &ONE } else { &TWO };
    cell.get_or_init(|| LevenshteinAutomatonBuilder::new(distance.clamp(1, 2), true))
}

struct Dfa(DFA);

impl tantivy_fst::Automaton for Dfa {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
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
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let dfa = Dfa(builder(distance).build_dfa(term));
        let Ok(mut stream) = inverted.terms().search(dfa).into_stream() else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_by_length() {
        assert_eq!(max_edits(4), 0);
        assert_eq!(max_edits(5), 1);
        assert_eq!(max_edits(8), 1);
        assert_eq!(max_edits(9), 2);
    }
}
