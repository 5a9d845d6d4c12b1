//! Recognisers for status wording: the status sentence that opens an assignment's
//! comment ("Uppdraget är inte genomfört under året.") and the label lines that stand
//! before a title in reports without `.` separators ("Bedöms inte bli genomförd").
//!
//! Matching is by wording, not by exact string: the text is folded with
//! [`crate::model::fold_slug`] (lower case, å/ä/ö folded, any run of spaces including
//! non-breaking ones or punctuation becomes one separator) and compared word by word.

use crate::model::{fold_slug, Status};

/// What the first paragraph after a title says about the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusMatch {
    /// The paragraph's first sentence is a status sentence and nothing more (apart from a
    /// time phrase like "under året"). `rest` is the paragraph's text after that sentence
    /// (empty when the sentence was the whole paragraph); it belongs to the body.
    Sentence { status: Status, rest: String },
    /// The first sentence opens with status wording but goes on ("Uppdraget är delvis
    /// genomfört då ..."): the status is taken and the whole paragraph stays body text.
    InBody { status: Status },
}

/// Participle forms accepted for "genomfört".
fn is_done_word(w: &str) -> bool {
    matches!(w, "genomfort" | "genomford" | "genomforda")
}

fn is_not(w: &str) -> bool {
    matches!(w, "inte" | "ej")
}

/// Match status wording at the start of `w` (folded words, without "uppdraget").
/// Returns the status and how many words it used.
fn status_words(w: &[&str]) -> Option<(Status, usize)> {
    let at = |i: usize| w.get(i).copied().unwrap_or("");
    match at(0) {
        "ar" => {
            if is_done_word(at(1)) {
                Some((Status::Genomfort, 2))
            } else if is_not(at(1)) && is_done_word(at(2)) {
                Some((Status::EjGenomfort, 3))
            } else if at(1) == "delvis" && is_done_word(at(2)) {
                Some((Status::DelvisGenomfort, 3))
            } else {
                None
            }
        }
        "har" => {
            if at(1) == "genomforts" {
                Some((Status::Genomfort, 2))
            } else if is_not(at(1)) && at(2) == "genomforts" {
                Some((Status::EjGenomfort, 3))
            } else if at(1) == "delvis" && at(2) == "genomforts" {
                Some((Status::DelvisGenomfort, 3))
            } else {
                None
            }
        }
        "bedoms" => {
            if at(1) == "bli" && is_done_word(at(2)) {
                Some((Status::BedomsGenomforas, 3))
            } else if is_not(at(1)) && at(2) == "bli" && is_done_word(at(3)) {
                Some((Status::BedomsEjGenomforas, 4))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A time phrase that may end a status sentence without adding information:
/// nothing, "under året", "under år 2023", "under 2023", "under tertialen/perioden", "i år".
fn is_time_phrase(w: &[&str]) -> bool {
    let year = |s: &str| super::normalize::year_token(s).is_some();
    match w {
        [] => true,
        ["under", "aret" | "tertialen" | "perioden"] => true,
        ["under", y] | ["under", "ar", y] => year(y),
        ["i", "ar"] => true,
        _ => false,
    }
}

/// Byte offset just after the first sentence of `text`: the first `.`, `!` or `?`
/// followed by whitespace or the end. `None` when there is no such terminator.
fn first_sentence_end(text: &str) -> Option<usize> {
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if matches!(c, '.' | '!' | '?') {
            match it.peek() {
                None => return Some(i + c.len_utf8()),
                Some((_, n)) if n.is_whitespace() => return Some(i + c.len_utf8()),
                _ => {}
            }
        }
    }
    None
}

/// Recognise a status sentence at the start of a (normalised) paragraph.
pub fn match_status(text: &str) -> Option<StatusMatch> {
    // Cheap test first: a status sentence starts with the word "Uppdraget".
    if !text
        .get(..9)
        .is_some_and(|p| p.eq_ignore_ascii_case("uppdraget"))
    {
        return None;
    }
    let end = first_sentence_end(text).unwrap_or(text.len());
    let (sentence, rest) = text.split_at(end);
    let folded = fold_slug(sentence);
    let words: Vec<&str> = folded.split('_').filter(|w| !w.is_empty()).collect();
    if words.first() != Some(&"uppdraget") {
        return None;
    }
    let tail = words.get(1..).unwrap_or(&[]);
    let (status, used) = status_words(tail)?;
    let after = tail.get(used..).unwrap_or(&[]);
    if is_time_phrase(after) {
        Some(StatusMatch::Sentence {
            status,
            rest: rest.trim().to_string(),
        })
    } else if status == Status::DelvisGenomfort {
        Some(StatusMatch::InBody { status })
    } else {
        None
    }
}

/// Recognise a label line standing before a title: "Bedöms bli genomförd",
/// "Bedöms inte bli genomförd", and the plain "Genomförd", "Inte/Ej genomförd",
/// "Delvis genomförd" (any case, optional final period, nothing else on the line).
pub fn match_label(line: &str) -> Option<Status> {
    // Cheap test first: every label holds "genomf" and is short.
    let has_genomf = line
        .as_bytes()
        .windows(6)
        .any(|w| w.eq_ignore_ascii_case(b"genomf"));
    if !has_genomf || line.len() > 60 {
        return None;
    }
    let folded = fold_slug(line);
    let w: Vec<&str> = folded.split('_').filter(|w| !w.is_empty()).collect();
    match w.as_slice() {
        ["bedoms", "bli", d] if is_done_word(d) => Some(Status::BedomsGenomforas),
        ["bedoms", n, "bli", d] if is_not(n) && is_done_word(d) => Some(Status::BedomsEjGenomforas),
        [d] if is_done_word(d) => Some(Status::Genomfort),
        [n, d] if is_not(n) && is_done_word(d) => Some(Status::EjGenomfort),
        ["delvis", d] if is_done_word(d) => Some(Status::DelvisGenomfort),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(status: Status, rest: &str) -> Option<StatusMatch> {
        Some(StatusMatch::Sentence {
            status,
            rest: rest.to_string(),
        })
    }

    #[test]
    fn status_sentences() {
        use Status::*;
        for (text, want) in [
            (
                "Uppdraget är genomfört under året.",
                sentence(Genomfort, ""),
            ),
            ("Uppdraget är genomfört.", sentence(Genomfort, "")),
            ("uppdraget ÄR genomfört under året", sentence(Genomfort, "")),
            (
                "Uppdraget är inte genomfört under året.",
                sentence(EjGenomfort, ""),
            ),
            (
                "Uppdraget är inte\u{a0}genomfört  under året.",
                sentence(EjGenomfort, ""),
            ),
            ("Uppdraget är ej genomfört.", sentence(EjGenomfort, "")),
            (
                "Uppdraget bedöms bli genomfört under året.",
                sentence(BedomsGenomforas, ""),
            ),
            (
                "Uppdraget bedöms bli genomfört.",
                sentence(BedomsGenomforas, ""),
            ),
            (
                "Uppdraget bedöms inte bli genomfört under året.",
                sentence(BedomsEjGenomforas, ""),
            ),
            (
                "Uppdraget är genomfört under år 2023.",
                sentence(Genomfort, ""),
            ),
            (
                "Uppdraget har genomförts. En rapport finns.",
                sentence(Genomfort, "En rapport finns."),
            ),
            (
                "Uppdraget är delvis genomfört.",
                sentence(DelvisGenomfort, ""),
            ),
            (
                "Uppdraget är delvis genomfört då arbetet pausats.",
                Some(StatusMatch::InBody {
                    status: DelvisGenomfort,
                }),
            ),
            ("Uppdraget flyttas till 2022 då båda är nya.", None),
            ("Uppdraget är genomfört till viss del.", None),
            ("Arbetet är genomfört.", None),
            ("Uppdraget", None),
            ("", None),
            (".", None),
        ] {
            assert_eq!(match_status(text), want, "{text}");
        }
    }

    #[test]
    fn label_lines() {
        use Status::*;
        for (text, want) in [
            ("Bedöms bli genomförd", Some(BedomsGenomforas)),
            ("Bedöms inte bli genomförd", Some(BedomsEjGenomforas)),
            ("bedöms ej bli genomfört.", Some(BedomsEjGenomforas)),
            ("Genomförd", Some(Genomfort)),
            ("Ej genomförd", Some(EjGenomfort)),
            ("Delvis genomförd", Some(DelvisGenomfort)),
            ("Bedöms bli genomförd under året av nämnden", None),
            ("Bibliotek", None),
            ("", None),
        ] {
            assert_eq!(match_label(text), want, "{text}");
        }
    }
}
