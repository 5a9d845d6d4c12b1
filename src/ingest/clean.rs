//! Making extracted lines read like the text: ligatures, soft hyphens and decomposed
//! letters normalised (å, ä and ö as one character each), words broken with a hyphen at
//! a line end joined, and the running headers, footers and page numbers that repeat on
//! every page removed. Works on lines of text; knows nothing of any file format.

use unicode_normalization::UnicodeNormalization;

/// Normalise one line's characters: ligatures (`ﬁ` -> `fi`), soft hyphens and zero-width
/// characters dropped, no-break spaces as spaces, decomposed letters composed (`a` and a
/// combining ring -> `å`), spacing diacritics before a letter (`¨a`, old TeX fonts)
/// composed, and runs of blanks made one space; trimmed.
pub fn normalize_chars(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\t' => out.push(' '),
            '\u{00A8}' | '\u{02DA}' | '\u{00B0}'
                if chars.peek().is_some_and(|n| "aAoOuUeE".contains(*n)) =>
            {
                let combining = if c == '\u{00A8}' {
                    '\u{0308}'
                } else {
                    '\u{030A}'
                };
                if let Some(n) = chars.next() {
                    out.push(n);
                    out.push(combining);
                }
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    let composed: String = out.nfc().collect();
    let mut result = String::with_capacity(composed.len());
    for word in composed.split(' ').filter(|w| !w.is_empty()) {
        if !result.is_empty() {
            result.push(' ');
        }
        result.push_str(word);
    }
    result
}

/// Words that follow a hyphen which is part of the text ("barn- och ungdomsnämnden"):
/// a line ending in `-` before one of them keeps its hyphen.
const AFTER_SUSPENDED_HYPHEN: &[&str] = &["och", "eller", "samt", "respektive", "resp.", "till"];

/// Join words broken with a hyphen at a line end: `"hållbarhetsana-"` followed by
/// `"lys inför"` becomes `"hållbarhetsanalys"` / `"inför"`. Only a hyphen after a letter,
/// before a line that starts with a lower-case letter, and not before "och", "eller",
/// ... (a suspended compound). A next line that was only the rest of the word goes.
pub fn join_hyphenated(lines: &mut Vec<String>) {
    let mut i = 0;
    while i + 1 < lines.len() {
        let ends = {
            let l = &lines[i];
            let mut rev = l.chars().rev();
            rev.next() == Some('-') && rev.next().is_some_and(char::is_alphabetic)
        };
        let next = lines[i + 1].trim_start().to_string();
        let first_word = next.split(' ').next().unwrap_or("");
        let joins = ends
            && first_word.chars().next().is_some_and(char::is_lowercase)
            && !AFTER_SUSPENDED_HYPHEN.contains(&first_word);
        if joins {
            let rest = next[first_word.len()..].trim_start().to_string();
            lines[i].pop();
            lines[i].push_str(first_word);
            if rest.is_empty() {
                lines.remove(i + 1);
                continue;
            }
            lines[i + 1] = rest;
        }
        i += 1;
    }
}

/// A line's shape for comparing across pages: lower case, digits as `#`, blanks squeezed.
fn shape(line: &str) -> String {
    line.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A page number on its own: `12`, `- 12 -`, `Sida 3`, `3 av 12`, `Sida 3 (12)`,
/// `page 3 of 12`.
pub fn is_page_number(line: &str) -> bool {
    let s = shape(line);
    let s = s.trim_matches(|c| c == '-' || c == '–' || c == '|');
    let s = s
        .strip_prefix("sida")
        .or_else(|| s.strip_prefix("sid."))
        .or_else(|| s.strip_prefix("s."))
        .or_else(|| s.strip_prefix("page"))
        .unwrap_or(s);
    let mut rest = s.trim_start_matches('#');
    if rest.len() == s.len() {
        return false;
    }
    for sep in ["av", "of", "/", "(", ")"] {
        rest = rest.strip_prefix(sep).unwrap_or(rest);
        rest = rest.trim_start_matches('#');
    }
    rest.trim_end_matches(')').is_empty()
}

/// How many lines at the top and at the bottom of a page are looked at for running
/// headers and footers.
pub const EDGE_LINES: usize = 3;

/// Remove running headers, footers and page numbers: a line among the first or last
/// [`EDGE_LINES`] text lines of a page whose shape (lower case, digits ignored) is found
/// at that edge of at least half of the pages (and of at least two), and any line there
/// that is a page number alone ([`is_page_number`]). Returns how many lines went.
pub fn strip_running(pages: &mut [Vec<String>]) -> usize {
    use std::collections::HashMap;
    let edges = |page: &[String], top: bool| -> Vec<usize> {
        let idx: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_empty()).collect();
        if top {
            idx.into_iter().take(EDGE_LINES).collect()
        } else {
            idx.into_iter().rev().take(EDGE_LINES).collect()
        }
    };
    let mut counts: [HashMap<String, usize>; 2] = Default::default();
    for page in pages.iter() {
        for (side, top) in [(0, true), (1, false)] {
            let mut seen = std::collections::HashSet::new();
            for i in edges(page, top) {
                let s = shape(&page[i]);
                if seen.insert(s.clone()) {
                    *counts[side].entry(s).or_default() += 1;
                }
            }
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    let mut removed = 0;
    for page in pages.iter_mut() {
        let mut drop = std::collections::BTreeSet::new();
        for (side, top) in [(0, true), (1, false)] {
            for i in edges(page, top) {
                let shaped = shape(&page[i]);
                // A separator (`.`) or a bare word repeats by chance; a running header has
                // some text.
                let substantial = shaped.chars().filter(|c| c.is_alphanumeric()).count() >= 4;
                let repeated =
                    substantial && counts[side].get(&shaped).copied().unwrap_or(0) >= needed;
                if repeated || is_page_number(&page[i]) {
                    drop.insert(i);
                }
            }
        }
        for i in drop.into_iter().rev() {
            page.remove(i);
            removed += 1;
        }
        // Blank lines left at the edges mean nothing.
        while page.first().is_some_and(String::is_empty) {
            page.remove(0);
        }
        while page.last().is_some_and(String::is_empty) {
            page.pop();
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_normalised() {
        for (raw, want) in [
            ("e\u{FB03}cient \u{FB01}nns", "efficient finns"),
            ("upp\u{00AD}drag", "uppdrag"),
            ("o\u{0308}ka a\u{030A}tga\u{0308}rder", "öka åtgärder"),
            ("\u{00A8}oka \u{02DA}atg\u{00A8}arder", "öka åtgärder"),
            ("  Mål\u{00A0}\u{00A0}3\t– trygghet ", "Mål 3 – trygghet"),
        ] {
            assert_eq!(normalize_chars(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn hyphenated_line_ends_are_joined_but_not_suspended_compounds() {
        let mut lines: Vec<String> = [
            "Ett förslag till metodik för hållbarhetsana-",
            "lys inför politiska beslut. Barn-",
            "och utbildningsnämnden har ett uppdra-",
            "get.",
            "Region Jämtland-",
            "Härjedalen",
        ]
        .map(String::from)
        .to_vec();
        join_hyphenated(&mut lines);
        assert_eq!(
            lines,
            [
                "Ett förslag till metodik för hållbarhetsanalys",
                "inför politiska beslut. Barn-",
                "och utbildningsnämnden har ett uppdraget.",
                "Region Jämtland-",
                "Härjedalen"
            ]
        );
    }

    #[test]
    fn page_numbers_are_recognised() {
        for yes in [
            "12",
            "- 3 -",
            "Sida 3",
            "Sida 3 av 12",
            "3 (12)",
            "Page 2 of 9",
            "3/12",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["Mål 3", "3 uppdrag", "Sida", "", "T3 2021"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn running_headers_and_footers_go_and_the_text_stays() {
        let page = |n: usize, body: &[&str]| -> Vec<String> {
            let mut p = vec![format!("Östersunds kommun – Uppdrag T3 {}", 2021)];
            p.extend(body.iter().map(|s| s.to_string()));
            p.push(format!("Sida {n} av 3"));
            p
        };
        let mut pages = vec![
            page(1, &["T3 2021 Uppdrag", ".", "Titel ett (KS)"]),
            page(2, &["Text på sidan två."]),
            page(3, &["Sista sidan."]),
        ];
        assert_eq!(strip_running(&mut pages), 6);
        assert_eq!(pages[0], ["T3 2021 Uppdrag", ".", "Titel ett (KS)"]);
        assert_eq!(pages[1], ["Text på sidan två."]);
        // One page: a lone page number goes, the text stays.
        let mut one = vec![vec!["Rubrik".to_string(), "Text.".into(), "1".into()]];
        assert_eq!(strip_running(&mut one), 1);
        assert_eq!(one[0], ["Rubrik", "Text."]);
    }
}
