//! Hyphens at word ends: a word broken across a line or column ("arbetsmarknads-
//! politiken") is joined back, while a Swedish suspended compound ("risk- och
//! hållbarhetsanalys", "Social- och arbetsmarknadsnämnden") stays as written and is
//! expanded: its first part joined with the last part of the completing word
//! ("riskanalys", "socialnämnden").

use super::compound::Lexicon;
use super::{AnalyzedToken, FieldKind, Origin, Stage};

/// Words after which a hyphenated part is a suspended compound, not a broken word.
const CONJUNCTIONS: &[&str] = &["och", "samt", "eller", "respektive", "resp", "till", "som"];

pub(super) struct Hyphens(pub &'static Lexicon);

/// Whether the source between two tokens is a hyphen then whitespace ("- ", "-\n").
fn hyphen_gap(text: &str, a_to: usize, b_from: usize) -> bool {
    let Some(gap) = text.get(a_to..b_from) else {
        return false;
    };
    let mut chars = gap.chars();
    matches!(chars.next(), Some('-' | '\u{00AD}' | '\u{2010}'))
        && gap.len() > 1
        && chars.all(char::is_whitespace)
}

fn is_letters(s: &str) -> bool {
    s.chars().all(char::is_alphabetic)
}

impl Hyphens {
    /// The tokens the rule adds to the words of `text`: `word(i)` gives the `i`-th word's
    /// lowercased text and byte range (`n` words). Each added token's position is the
    /// index of the word it belongs to, at most one per word, in order; the words
    /// themselves stay as they are.
    pub(super) fn extras<'w>(
        &self,
        text: &str,
        n: usize,
        word: impl Fn(usize) -> (&'w str, usize, usize),
    ) -> Vec<AnalyzedToken> {
        let mut extra = Vec::new();
        for i in 0..n.saturating_sub(1) {
            let (a, a_from, a_to) = word(i);
            let (b, b_from, b_to) = word(i + 1);
            if !hyphen_gap(text, a_to, b_from) || !is_letters(a) {
                continue;
            }
            if CONJUNCTIONS.contains(&b) {
                // Suspended compound: "risk- och hållbarhetsanalys".
                if i + 2 >= n {
                    continue;
                }
                let (c, _, _) = word(i + 2);
                let Some(last) = self.0.split(c).and_then(|p| p.last().cloned()) else {
                    continue;
                };
                extra.push(AnalyzedToken {
                    position: i,
                    text: format!("{a}{}", &c[last.start..]),
                    offset_from: a_from,
                    offset_to: a_to,
                    origin: Origin::SuspendedCompound,
                    kind: FieldKind::Parts,
                });
                continue;
            }
            // A broken word continues in lower case ("arbets- marknadsenheten");
            // "Jämtland- Härjedalen" style pairs of names are left alone.
            let starts_lower = text[b_from..]
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            if !starts_lower || !is_letters(b) {
                continue;
            }
            extra.push(AnalyzedToken {
                position: i,
                text: format!("{a}{b}"),
                offset_from: a_from,
                offset_to: b_to,
                origin: Origin::RepairedHyphen,
                kind: FieldKind::Main,
            });
        }
        extra
    }
}

/// As a stage: runs first, on the words as segmented (all of the main field, the
/// position of each its index). The analyzer calls [`Hyphens::extras`] directly; this
/// form is the reference chain the word cache is tested against.
impl Stage for Hyphens {
    fn apply(&self, text: &str, tokens: &mut Vec<AnalyzedToken>) {
        let extra = self.extras(text, tokens.len(), |i| {
            let t = &tokens[i];
            (t.text.as_str(), t.offset_from, t.offset_to)
        });
        tokens.extend(extra);
    }
}

#[cfg(test)]
mod tests {
    use crate::analyzer::{Analyzer, FieldKind, Origin};

    fn added(text: &str) -> Vec<(String, Origin, FieldKind, String)> {
        Analyzer::default()
            .analyze(text)
            .into_iter()
            .filter(|t| matches!(t.origin, Origin::RepairedHyphen | Origin::SuspendedCompound))
            .map(|t| {
                (
                    t.text.clone(),
                    t.origin,
                    t.kind,
                    text[t.offset_from..t.offset_to].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn broken_words_are_joined() {
        for (text, joined, source) in [
            (
                "den lokala arbetsmarknads- politiken behöver",
                "arbetsmarknadspolitik",
                "arbetsmarknads- politiken",
            ),
            (
                "nya arbets- marknadsenheten, är",
                "arbetsmarknadsen",
                "arbets- marknadsenheten",
            ),
            (
                "ett samverkans-\nperspektiv.",
                "samverkansperspektiv",
                "samverkans-\nperspektiv",
            ),
        ] {
            let got = added(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].0, joined);
            assert_eq!(got[0].1, Origin::RepairedHyphen);
            assert_eq!(got[0].3, source);
        }
    }

    #[test]
    fn suspended_compounds_stay_and_expand() {
        let got = added("metodik för risk- och hållbarhetsanalys inför");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "riskanaly");
        assert_eq!(got[0].1, Origin::SuspendedCompound);
        assert_eq!(got[0].2, FieldKind::Parts);
        assert_eq!(got[0].3, "risk");
        let toks = Analyzer::default().analyze("Social- och arbetsmarknadsnämnden");
        assert!(
            !toks.iter().any(|t| t.text.starts_with("socialoch")),
            "{toks:?}"
        );
        assert!(added("förbättrings- samt utvecklingsområden")
            .iter()
            .all(|t| t.1 == Origin::SuspendedCompound));
        // No hyphen repair without a space, or before a capital.
        assert!(added("UF-företag").is_empty());
        assert!(added("Jämtland- Härjedalen").is_empty());
    }
}
