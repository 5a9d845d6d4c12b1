//! Swedish compound splitting against a lexicon: "resursfördelningsmodellen" ->
//! resurs | fördelning(s) | modellen. Handles the linking letters (-s-, and -e-, -a-,
//! -u-, -o-), a first part whose final vowel dropped ("skol|gård" from skola), and an
//! inflected last part ("modellen" -> modell, by stem).
//!
//! The lexicon is built into the binary from permissively licensed sources only (see
//! `data/lexicon/`, prepared by `build.rs`): the Snowball project's Swedish vocabulary
//! (BSD) and rapportsok's own list of municipal base words (MIT), minus a never-split
//! list of lexicalised words.

use std::sync::OnceLock;

/// Shortest compound that is tried, in characters.
pub const MIN_COMPOUND_CHARS: usize = 8;
/// Shortest part, in characters: "val", "mål", "bo" would match far too much
/// (`build.rs` filters the lexicon with the same bound).
pub const MIN_PART_CHARS: usize = 4;
/// Shortest head of a word that does not split whole: 4-letter words end too many
/// derived words by chance ("lade" in "utvecklade").
pub const MIN_HEAD_CHARS: usize = 5;

/// Verb particles and prefixes that start derived words rather than compounds: a word
/// they start has no "head" ("utformas", "förslaget", "uppdraget", "genomföra").
pub const PREFIXES: [&str; 24] = [
    "an", "av", "be", "bort", "efter", "emot", "er", "fram", "för", "ge", "genom", "in", "med",
    "mot", "om", "på", "sam", "till", "upp", "ut", "under", "van", "över", "miss",
];

/// Most parts in one compound.
const MAX_PARTS: usize = 4;

// Sorted, deduplicated lists prepared by build.rs from data/lexicon/.
const WORDS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-words.txt"));
const STEMS: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-stems.txt"));
const NEVER: &str = include_str!(concat!(env!("OUT_DIR"), "/lexicon-never.txt"));

/// One part of a compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Byte range of the part in the compound (without a linking letter).
    pub start: usize,
    pub end: usize,
    /// The lexicon word it stands for ("arbete" for "arbets-", "skola" for "skol-"),
    /// or the surface form for the last part.
    pub word: String,
}

/// A set of words, embedded as a sorted list (free to load) and searched by bisection;
/// after [`HASH_AFTER`] lookups (an indexing run, not a search process) it is turned into
/// a hash set, since splitting looks words up many times.
#[derive(Debug)]
struct WordSet {
    text: &'static str,
    sorted: OnceLock<Vec<&'static str>>,
    set: OnceLock<std::collections::HashSet<&'static str, WordHasher>>,
    lookups: std::sync::atomic::AtomicUsize,
}

/// Lookups before a [`WordSet`] builds its hash set.
const HASH_AFTER: usize = 20_000;

impl WordSet {
    const fn new(text: &'static str) -> Self {
        WordSet {
            text,
            sorted: OnceLock::new(),
            set: OnceLock::new(),
            lookups: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn sorted(&self) -> &[&'static str] {
        self.sorted.get_or_init(|| {
            let v: Vec<&str> = self.text.split('\n').filter(|l| !l.is_empty()).collect();
            debug_assert!(
                v.windows(2).all(|w| w[0] < w[1]),
                "build.rs sorts the lists"
            );
            v
        })
    }

    fn contains(&self, w: &str) -> bool {
        if let Some(set) = self.set.get() {
            return set.contains(w);
        }
        let n = self
            .lookups
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n >= HASH_AFTER {
            let set = self
                .set
                .get_or_init(|| self.sorted().iter().copied().collect());
            return set.contains(w);
        }
        self.sorted().binary_search(&w).is_ok()
    }

    fn len(&self) -> usize {
        self.sorted().len()
    }
}

/// The lexicon's hasher: hashbrown's default (foldhash), several times faster than
/// the default SipHash and than byte-wise FNV on the short words a split looks up (no
/// untrusted keys are involved: the set holds the built-in lexicon).
type WordHasher = hashbrown::DefaultHashBuilder;

/// The words compounds are split into, and the words never split.
#[derive(Debug)]
pub struct Lexicon {
    words: WordSet,
    stems: WordSet,
    never: WordSet,
}

impl Lexicon {
    /// The built-in lexicon (prepared at compile time by build.rs).
    pub fn builtin() -> &'static Lexicon {
        static LEXICON: Lexicon = Lexicon {
            words: WordSet::new(WORDS),
            stems: WordSet::new(STEMS),
            never: WordSet::new(NEVER),
        };
        &LEXICON
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.len() == 0
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Whether `word` is on the never-split list (a lexicalised word such as
    /// "kommunstyrelsen").
    pub fn is_never_split(&self, word: &str) -> bool {
        self.never.contains(word)
    }

    /// The known end of a word that cannot be split whole: the parts of the longest tail
    /// that splits into lexicon words ("funktion", "arenan" in "multifunktionsarenan"),
    /// or else the longest tail that is a lexicon word or an inflection of one ("hallen"
    /// in "padelhallen"). What comes before it is at least two characters and not a
    /// verb particle or prefix ([`PREFIXES`]: "utformas" has no head "formas"); parts
    /// carry their byte ranges in `word`. `None` for never-split words, words with
    /// digits or hyphens, and words with no known end.
    pub fn head(&self, word: &str) -> Option<Vec<Part>> {
        if word.chars().count() < MIN_COMPOUND_CHARS
            || self.never.contains(word)
            || !word.chars().all(char::is_alphabetic)
        {
            return None;
        }
        for (j, _) in word.char_indices().skip(2) {
            let tail = &word[j..];
            if tail.chars().count() < MIN_HEAD_CHARS {
                break;
            }
            if PREFIXES.contains(&&word[..j]) {
                continue;
            }
            if let Some(parts) = self.split(tail) {
                return Some(
                    parts
                        .into_iter()
                        .map(|p| Part {
                            start: p.start + j,
                            end: p.end + j,
                            word: p.word,
                        })
                        .collect(),
                );
            }
            if self.is_head(tail) {
                return Some(vec![Part {
                    start: j,
                    end: word.len(),
                    word: tail.to_string(),
                }]);
            }
        }
        None
    }

    /// Split a lowercase word into parts, or `None` when it is not a compound of
    /// lexicon words (or is never split).
    pub fn split(&self, word: &str) -> Option<Vec<Part>> {
        if word.chars().count() < MIN_COMPOUND_CHARS
            || self.never.contains(word)
            || !word.chars().all(char::is_alphabetic)
        {
            return None;
        }
        let mut best: Option<Vec<Part>> = None;
        self.search(word, 0, &mut Vec::new(), &mut best);
        best
    }

    /// Depth-first search for a cover of `word[from..]`, keeping the one with the fewest
    /// parts (then the longest first part, which the search order tries first).
    fn search(&self, word: &str, from: usize, parts: &mut Vec<Part>, best: &mut Option<Vec<Part>>) {
        if parts.len() >= MAX_PARTS {
            return;
        }
        if best.as_ref().is_some_and(|b| b.len() <= parts.len() + 1) {
            return;
        }
        let rest = &word[from..];
        if !parts.is_empty() && self.is_last_part(rest) {
            let mut found = parts.clone();
            found.push(Part {
                start: from,
                end: word.len(),
                word: rest.to_string(),
            });
            *best = Some(found);
            return;
        }
        // Heads from longest to shortest, leaving room for a last part.
        let bounds: Vec<usize> = rest.char_indices().map(|(i, _)| i).skip(1).collect();
        for &i in bounds.iter().rev() {
            let head = &rest[..i];
            let tail = &rest[i..];
            if head.chars().count() < MIN_PART_CHARS || tail.chars().count() < MIN_PART_CHARS {
                continue;
            }
            if let Some((len, base)) = self.first_part(head) {
                parts.push(Part {
                    start: from,
                    end: from + len,
                    word: base,
                });
                self.search(word, from + i, parts, best);
                parts.pop();
            }
        }
    }

    /// Whether `head` can start a compound: a word, a word plus a linking letter, or a
    /// word whose final vowel dropped (with or without a linking letter). Returns the
    /// byte length of the part without the linking letter and the lexicon word.
    fn first_part(&self, head: &str) -> Option<(usize, String)> {
        if self.words.contains(head) {
            return Some((head.len(), head.to_string()));
        }
        let last = head.chars().last()?;
        let without = &head[..head.len() - last.len_utf8()];
        if matches!(last, 's' | 'e' | 'a' | 'u' | 'o') {
            if without.chars().count() >= MIN_PART_CHARS - 1 && self.words.contains(without) {
                return Some((without.len(), without.to_string()));
            }
            // Linking letter after a dropped vowel: "arbets" <- arbete, "kyrko" <- kyrka.
            let mut restored = String::with_capacity(head.len() + 1);
            for v in ['e', 'a'] {
                restored.clear();
                restored.push_str(without);
                restored.push(v);
                if self.words.contains(&restored) {
                    return Some((without.len(), restored));
                }
            }
        }
        // Dropped final vowel without a linking letter: "skol" <- skola.
        let mut restored = String::with_capacity(head.len() + 1);
        for v in ['a', 'e'] {
            restored.clear();
            restored.push_str(head);
            restored.push(v);
            if self.words.contains(&restored) {
                return Some((head.len(), restored));
            }
        }
        None
    }

    /// Whether `tail` is a known end of a word that does not split whole: a lexicon word,
    /// or a form whose lemma is one ("projektet"), or a definite form in -an ("arenan").
    /// Stricter than [`Lexicon::is_last_part`], which also accepts any form with a
    /// lexicon stem ("ormas" would end "utformas").
    fn is_head(&self, tail: &str) -> bool {
        self.words.contains(tail)
            || tail
                .strip_suffix('n')
                .is_some_and(|b| b.ends_with('a') && self.words.contains(b))
            || super::lemma::lemma(self, tail).is_some_and(|b| self.words.contains(&b))
    }

    /// Whether `rest` can end a compound: a word, or an inflected form of one (by its
    /// stem, or by a noun ending Snowball keeps: "projektet" <- projekt).
    fn is_last_part(&self, rest: &str) -> bool {
        const ENDINGS: [&str; 12] = [
            "erna", "arna", "orna", "ens", "ets", "en", "et", "er", "ar", "or", "na", "s",
        ];
        rest.chars().count() >= MIN_PART_CHARS
            && (self.words.contains(rest)
                || self.stems.contains(crate::analyzer::stem(rest).as_ref())
                || ENDINGS.iter().any(|e| {
                    rest.strip_suffix(e).is_some_and(|base| {
                        base.chars().count() >= MIN_PART_CHARS && self.words.contains(base)
                    })
                }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &str) -> Vec<String> {
        Lexicon::builtin()
            .split(w)
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.word)
            .collect()
    }

    fn surfaces(w: &str) -> Vec<&str> {
        Lexicon::builtin()
            .split(w)
            .unwrap_or_default()
            .into_iter()
            .map(|p| &w[p.start..p.end])
            .collect::<Vec<_>>()
            .into_iter()
            .collect()
    }

    #[test]
    fn splits_with_linking_letters_and_inflected_last_parts() {
        assert_eq!(
            words("resursfördelningsmodellen"),
            ["resurs", "fördelning", "modellen"]
        );
        assert_eq!(
            surfaces("resursfördelningsmodellen"),
            ["resurs", "fördelning", "modellen"]
        );
        assert_eq!(words("klimatbudget"), ["klimat", "budget"]);
        assert_eq!(words("investeringsbudget"), ["investering", "budget"]);
        // The fewest parts win: "arbetsmarknad" is itself a lexicon word.
        assert_eq!(
            words("arbetsmarknadspolitiken"),
            ["arbetsmarknad", "politiken"]
        );
        // Dropped vowel plus linking letter: "arbets-" <- arbete.
        assert_eq!(surfaces("arbetsplatsen"), ["arbet", "platsen"]);
        assert_eq!(
            words("digitaliseringsprojektet"),
            ["digitalisering", "projektet"]
        );
    }

    #[test]
    fn guards_precision() {
        // Never-split words, short words, words with digits, and non-compounds.
        assert!(Lexicon::builtin().split("kommunstyrelsen").is_none());
        assert!(Lexicon::builtin().split("budget").is_none());
        assert!(Lexicon::builtin().split("valdeltagande2").is_none());
        assert!(Lexicon::builtin().split("xyzzyplughab").is_none());
        // No part shorter than the minimum ("val" + "skola", "hus" + "byggnad")...
        for w in ["valskolan", "valnämnden", "husbyggnad"] {
            assert_eq!(Lexicon::builtin().split(w), None, "{w}");
        }
        // ... while parts of exactly the minimum are split.
        assert_eq!(words("vårdplanen"), ["vård", "planen"]);
        assert_eq!(surfaces("skolgården"), ["skol", "gården"]);
    }
}
