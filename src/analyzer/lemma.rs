//! Lemmas under the stemmer: the inflected forms of a word are mapped to one base form
//! before Snowball stems it, so that all of "resultat", "resultatet", "resultaten",
//! "resultats" end as one index term (Snowball alone gives `result`, `resultatet`,
//! `resultat`), and umlaut plurals meet their singular ("bostäder" -> bostad, "städer"
//! -> stad, "böcker" -> bok).
//!
//! Two sources, both ours or permissively licensed (no full-form lexicon reachable from a
//! package registry may be compiled into the binary, see the README):
//! - a table of umlaut and irregular plurals ([`IRREGULAR`]), whose forms with the
//!   definite -na/-nas and genitive -s are recognised too, also as the last part of a
//!   compound ("trygghetsbostäder" -> trygghetsbostad);
//! - suffix rules: -et/-ets/-en/-ens/-na/-nas/-s are stripped (trying a base with and
//!   without a final -e) when what remains is a word of the compound lexicon
//!   ([`Lexicon`], the Snowball vocabulary plus our municipal words), or a compound whose
//!   last part is one ("forskningsprojektet" -> forskningsprojekt).
//!
//! It must not merge different words: a base is accepted only when the lexicon knows it,
//! and short words are left alone.

use super::compound::{Lexicon, MIN_PART_CHARS};

/// Umlaut and irregular plurals (plural, singular). Forms with -na, -nas, -s, -en, -ens
/// (-nen, -nens after a final consonant pair: "männen") are recognised as well.
pub const IRREGULAR: [(&str, &str); 15] = [
    ("städer", "stad"),
    ("länder", "land"),
    ("händer", "hand"),
    ("bränder", "brand"),
    ("tänder", "tand"),
    ("stränder", "strand"),
    ("ränder", "rand"),
    ("böcker", "bok"),
    ("fötter", "fot"),
    ("rötter", "rot"),
    ("bönder", "bonde"),
    ("döttrar", "dotter"),
    ("män", "man"),
    ("möss", "mus"),
    ("gäss", "gås"),
];

/// Plurals of the table at most this many characters long are matched only as whole
/// words, never as the end of a compound ("allmän" is not a plural of "allman").
const WHOLE_WORD_ONLY_CHARS: usize = 5;

/// Endings stripped by rule, longest first, with whether a base ending in -e is tried
/// too (after the ending minus its first letter: "arbetet" -> arbete).
const ENDINGS: [(&str, bool); 8] = [
    // -nas and -na only after -e, -n only after -a (see `lemma_once`).
    ("ets", true),
    ("ens", true),
    ("nas", false),
    ("et", true),
    ("en", true),
    ("na", false),
    ("s", false),
    // Only after -a: the definite "arenan" -> arena, "kvinnan" -> kvinna.
    ("n", false),
];

/// Shortest word the suffix rules touch, in characters.
const MIN_WORD_CHARS: usize = 5;

/// The base form of a lowercased word, when it differs from the word. A base that is
/// itself inflected is reduced once more ("kvinnans" -> kvinnan -> kvinna).
pub fn lemma(lexicon: &Lexicon, word: &str) -> Option<String> {
    let base = lemma_once(lexicon, word)?;
    Some(lemma_once(lexicon, &base).unwrap_or(base))
}

fn lemma_once(lexicon: &Lexicon, word: &str) -> Option<String> {
    if !word.chars().all(char::is_alphabetic) {
        return None;
    }
    if let Some(base) = irregular(word) {
        return Some(base);
    }
    if word.chars().count() < MIN_WORD_CHARS || lexicon.is_never_split(word) {
        return None;
    }
    for (ending, with_e) in ENDINGS {
        let Some(base) = word.strip_suffix(ending) else {
            continue;
        };
        let after = match ending {
            "n" => base.ends_with('a'),
            // The definite plural of -e nouns: "områdena" -> område (not "kvinna" -> kvin).
            "na" | "nas" => base.ends_with('e'),
            _ => true,
        };
        if !after {
            continue;
        }
        if known(lexicon, base) {
            return Some(base.to_string());
        }
        if with_e {
            let base_e = &word[..base.len() + 1];
            if base_e.ends_with('e') && known(lexicon, base_e) {
                return Some(base_e.to_string());
            }
        }
    }
    // A genitive of an inflected form: "arenans" -> arenan -> arena.
    match word.strip_suffix('s') {
        Some(base) if !base.ends_with('s') => lemma_once(lexicon, base),
        _ => None,
    }
}

/// A table plural, alone or ending a compound, with its definite and genitive forms.
fn irregular(word: &str) -> Option<String> {
    for (plural, singular) in IRREGULAR {
        // A plain scan: `str::find` sets up a searcher per call, and this runs for
        // every lemma tried. A match of a whole UTF-8 string starts on a char boundary.
        let Some(at) = word
            .as_bytes()
            .windows(plural.len())
            .position(|w| w[0] == plural.as_bytes()[0] && w == plural.as_bytes())
        else {
            continue;
        };
        let (modifier, rest) = (&word[..at], &word[at + plural.len()..]);
        if !matches!(
            rest,
            "" | "na" | "nas" | "s" | "en" | "ens" | "nen" | "nens"
        ) {
            continue;
        }
        if !modifier.is_empty() && plural.chars().count() <= WHOLE_WORD_ONLY_CHARS {
            continue;
        }
        return Some(format!("{modifier}{singular}"));
    }
    None
}

/// Shortest last part by which a compound base counts as known ("lite" is too short to
/// make "kvalite" a word).
const MIN_HEAD_CHARS: usize = 5;

/// Whether `base` is a word of the lexicon, or a compound ending in one (the part at
/// least [`MIN_HEAD_CHARS`] long, what comes before it at least 3 characters).
fn known(lexicon: &Lexicon, base: &str) -> bool {
    if base.chars().count() < MIN_PART_CHARS {
        return false;
    }
    if lexicon.contains(base) {
        return true;
    }
    base.char_indices()
        .skip(3)
        .map(|(i, _)| &base[i..])
        .take_while(|head| head.chars().count() >= MIN_HEAD_CHARS)
        .any(|head| lexicon.contains(head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyzer::stem;

    fn term(word: &str) -> String {
        let base = lemma(Lexicon::builtin(), word).unwrap_or_else(|| word.to_string());
        stem(&base).into_owned()
    }

    /// Every form of a group ends as one index term.
    #[test]
    fn forms_of_a_word_share_one_term() {
        for group in [
            &[
                "resultat",
                "resultatet",
                "resultaten",
                "resultats",
                "resultatets",
            ][..],
            &["projekt", "projektet", "projekten", "projektets"],
            &["bostad", "bostäder", "bostäderna", "bostädernas"],
            &["stad", "städer", "städerna"],
            &["land", "länder", "länderna"],
            &["hand", "händer"],
            &["brand", "bränder", "bränderna"],
            &["bok", "böcker", "böckerna"],
            &["fot", "fötter"],
            &["man", "män", "männen"],
            &["arbete", "arbetet", "arbetets"],
            &["område", "området", "områdena"],
            &["forskningsprojekt", "forskningsprojektet"],
            &["trygghetsbostad", "trygghetsbostäder"],
            &["arena", "arenan", "arenans"],
            &["kvinna", "kvinnan", "kvinnans"],
        ] {
            let terms: Vec<String> = group.iter().map(|w| term(w)).collect();
            assert!(
                terms.iter().all(|t| t == &terms[0]),
                "{group:?} -> {terms:?}"
            );
        }
    }

    /// Words that only look inflected keep their own term.
    #[test]
    fn leaves_other_words_alone() {
        for w in [
            "budget",
            "allmän",
            "kommunstyrelsen",
            "paket",
            "kvalitet",
            "säkerhet",
            "tio",
            "mäns2",
        ] {
            assert_eq!(lemma(Lexicon::builtin(), w), None, "{w}");
        }
    }
}
