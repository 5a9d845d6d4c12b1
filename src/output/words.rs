//! The Swedish words of the thread commands' output, for the human and the JSON
//! renderers alike: a report's period ("T3 2022", "målsida 2022"), the state of an
//! assignment in it ("ej genomfört", "röd") and a thread's one-line history. `history`
//! computes timelines; the words live here, with the other display text.

use crate::history::{Entry, Timeline};
use crate::model::Kind;
use crate::searcher::Relaxation;

/// The notice of a relaxed query: which words the hits hold and which function words
/// were dropped. `verb` is "visar" (search) or "räknar" (a trend).
/// "Inga dokument innehöll alla orden; visar dokument med något av orden ekonomi,
/// balans (småord som inte krävs: i)."
pub fn relaxed(r: Option<&Relaxation>, verb: &str) -> String {
    let Some(r) = r else {
        return format!("Inga dokument innehöll alla orden; {verb} dokument med något av dem.");
    };
    let words = r.words.join(", ");
    let with = match (r.min_match, r.words.len()) {
        (1, 1) => format!("ordet {words}"),
        (k, n) if k >= n => format!("orden {words}"),
        (1, _) => format!("något av orden {words}"),
        (k, _) => format!("{k} av orden {words}"),
    };
    let dropped = if r.dropped.is_empty() {
        String::new()
    } else {
        format!(" (småord som inte krävs: {})", r.dropped.join(", "))
    };
    format!("Inga dokument innehöll alla orden; {verb} dokument med {with}{dropped}.")
}

/// "T3 2022", "målsida 2022", "T1", "okänt år".
pub fn period(e: &Entry) -> String {
    match (e.kind, e.year, e.tertial) {
        (Kind::Mal, Some(y), _) => format!("målsida {y}"),
        (Kind::Mal, None, _) => "målsida".into(),
        (_, Some(y), Some(t)) => format!("{t} {y}"),
        (_, Some(y), None) => y.to_string(),
        (_, None, Some(t)) => t.to_string(),
        (_, None, None) => "okänt år".into(),
    }
}

/// Short Swedish wording of the status or light: "ej genomfört", "röd", ... (the words
/// of [`crate::model::Status::short_label`], which `Status::parse` reads back).
pub fn state(e: &Entry) -> String {
    if let Some(l) = e.light {
        return l.label().to_lowercase();
    }
    e.status
        .map_or_else(|| "okänd status".into(), |s| s.short_label().into())
}

/// "T3 2021 ej genomfört -> T3 2022 ej genomfört -> T3 2023 genomfört".
pub fn one_line(t: &Timeline) -> String {
    t.entries
        .iter()
        .map(|e| format!("{} {}", period(e), state(e)))
        .collect::<Vec<_>>()
        .join(" -> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_relaxed_notice_names_the_words() {
        let r = |words: &[&str], min_match, dropped: &[&str]| Relaxation {
            words: words.iter().map(|w| w.to_string()).collect(),
            min_match,
            dropped: dropped.iter().map(|w| w.to_string()).collect(),
        };
        let start = "Inga dokument innehöll alla orden; visar dokument med ";
        for (relaxation, end) in [
            (
                r(&["ekonomi", "balans"], 1, &["i"]),
                "något av orden ekonomi, balans (småord som inte krävs: i).",
            ),
            (r(&["a", "b", "c"], 2, &[]), "2 av orden a, b, c."),
            (
                r(&["a", "b"], 2, &["och", "i"]),
                "orden a, b (småord som inte krävs: och, i).",
            ),
            (r(&["a"], 1, &["i"]), "ordet a (småord som inte krävs: i)."),
        ] {
            assert_eq!(relaxed(Some(&relaxation), "visar"), format!("{start}{end}"));
        }
        assert!(relaxed(None, "räknar").contains("räknar dokument med något av dem"));
    }
}
