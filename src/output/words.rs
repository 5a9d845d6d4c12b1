//! The Swedish words of the thread commands' output, for the human and the JSON
//! renderers alike: a report's period ("T3 2022", "målsida 2022"), the state of an
//! assignment in it ("ej genomfört", "röd") and a thread's one-line history. `history`
//! computes timelines; the words live here, with the other display text.

use crate::history::{Entry, Timeline};
use crate::model::Kind;

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
