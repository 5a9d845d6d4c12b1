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
fn hyphen_gap(text: &str, a: &AnalyzedToken, b: &AnalyzedToken) -> bool {
    let Some(gap) = text.get(a.offset_to..b.offset_from) else {
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

impl Stage for Hyphens {
    fn apply(&self, text: &str, tokens: &mut Vec<AnalyzedToken>) {
        let n = tokens.len();
        let mut extra = Vec::new();
        for i in 0..n.saturating_sub(1) {
            let (a, b) = (&tokens[i], &tokens[i + 1]);
            if a.kind != FieldKind::Main || !hyphen_gap(text, a, b) || !is_letters(&a.text) {
                continue;
            }
            if CONJUNCTIONS.contains(&b.text.as_str()) {
                // Suspended compound: "risk- och hållbarhetsanalys".
                let Some(c) = tokens.get(i + 2) else { continue };
                let Some(last) = self.0.split(&c.text).and_then(|p| p.last().cloned()) else {
                    continue;
                };
                extra.push(AnalyzedToken {
                    position: a.position,
                    text: format!("{}{}", a.text, &c.text[last.start..]),
                    offset_from: a.offset_from,
                    offset_to: a.offset_to,
                    origin: Origin::SuspendedCompound,
                    kind: FieldKind::Parts,
                });
                continue;
            }
            // A broken word continues in lower case ("arbets- marknadsenheten");
            // "Jämtland- Härjedalen" style pairs of names are left alone.
            let starts_lower = text[b.offset_from..]
                .chars()
                .next()
                .is_some_and(char::is_lowercase);
            if !starts_lower || !is_letters(&b.text) {
                continue;
            }
            extra.push(AnalyzedToken {
                position: a.position,
                text: format!("{}{}", a.text, b.text),
                offset_from: a.offset_from,
                offset_to: b.offset_to,
                origin: Origin::RepairedHyphen,
                kind: FieldKind::Main,
            });
        }
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
