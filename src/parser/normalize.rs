//! Text normalisation shared by all three input kinds: splitting a file into numbered
//! lines (the numbers always refer to the original file, `\r\n` counting as one break),
//! normalising each line (NFC, BOM and zero-width characters removed, tabs, non-breaking
//! and other spaces turned into one plain space, runs collapsed, ends trimmed), grouping
//! lines into blank-line separated paragraphs, and small token finders (years, tertials,
//! title cutting) that work on characters, never on byte offsets from outside.

use crate::model::Tertial;
use unicode_normalization::UnicodeNormalization;

/// One line of the original file after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the original file.
    pub no: usize,
    /// The normalised text; empty for a blank line.
    pub text: String,
}

/// A run of non-blank lines between blank lines (or other separators).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paragraph {
    /// 1-based number of the paragraph's first line.
    pub line: usize,
    /// The normalised, non-empty lines of the paragraph.
    pub lines: Vec<Line>,
}

impl Paragraph {
    /// The paragraph's lines joined with single spaces (wrapped lines re-joined).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&l.text);
        }
        out
    }

    /// Number of words in the paragraph.
    pub fn word_count(&self) -> usize {
        self.lines
            .iter()
            .map(|l| l.text.split_whitespace().count())
            .sum()
    }
}

/// Characters that are dropped entirely: BOM, zero-width (non-)joiners/spaces, word
/// joiner and soft hyphen. None of them is visible in a report.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{00ad}'
    )
}

/// Normalise one line: NFC; invisible characters removed; any whitespace (tab, U+00A0,
/// U+202F, ...) or control character becomes a space; runs of spaces collapse to one;
/// leading and trailing spaces go.
pub fn normalize_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut pending_space = false;
    // Most lines are NFC already: skip the composing iterator for them.
    let chars: Box<dyn Iterator<Item = char>> = if unicode_normalization::is_nfc_quick(raw.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        Box::new(raw.chars())
    } else {
        Box::new(raw.nfc())
    };
    for c in chars {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Split a whole file into normalised lines numbered from 1. A line ends at `\n`, at
/// `\r\n` (Windows, counted as one break) or at a lone `\r` (old Mac exports), so line
/// numbers match editors whatever the line endings.
pub fn split_lines(text: &str) -> Vec<Line> {
    raw_lines(text)
        .enumerate()
        .map(|(i, raw)| Line {
            no: i + 1,
            text: normalize_line(raw),
        })
        .collect()
}

/// The raw lines of `text`, split at `\n`, `\r\n` or a lone `\r` (the breaks dropped);
/// like `str::split('\n')`, an empty text is one empty line.
pub fn raw_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let t = rest?;
        match t.find(['\n', '\r']) {
            Some(i) => {
                let skip = if t[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&t[i + skip..]);
                Some(&t[..i])
            }
            None => {
                rest = None;
                Some(t)
            }
        }
    })
}

/// The byte offset in `text` where its 1-based line `no` begins (lines as [`raw_lines`]
/// splits them); `text.len()` when the text has fewer lines.
pub fn line_offset(text: &str, no: usize) -> usize {
    let mut offset = 0;
    for raw in raw_lines(text).take(no.saturating_sub(1)) {
        offset += raw.len();
        let rest = &text[offset..];
        offset += if rest.starts_with("\r\n") {
            2
        } else {
            usize::from(!rest.is_empty())
        };
    }
    offset
}

/// Number of line breaks in `text` as [`raw_lines`] counts them.
pub fn count_breaks(text: &str) -> usize {
    raw_lines(text).count() - 1
}

/// Group lines into paragraphs: maximal runs of non-blank lines.
pub fn paragraphs(lines: &[Line]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut cur = Paragraph::default();
    for l in lines {
        if l.text.is_empty() {
            if !cur.lines.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if cur.lines.is_empty() {
                cur.line = l.no;
            }
            cur.lines.push(l.clone());
        }
    }
    if !cur.lines.is_empty() {
        out.push(cur);
    }
    out
}

/// Join paragraph texts with a blank line, as stored in `Document::body`.
pub fn join_paragraphs<I, S>(parts: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = String::new();
    for p in parts {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(p);
    }
    out
}

/// Parse a token that is exactly a four-digit year 1900-2099.
pub fn year_token(tok: &str) -> Option<u16> {
    let b = tok.as_bytes();
    if b.len() == 4
        && b.iter().all(u8::is_ascii_digit)
        && (tok.starts_with("19") || tok.starts_with("20"))
    {
        tok.parse().ok()
    } else {
        None
    }
}

/// The first free-standing four-digit year 19xx/20xx in `s` (not part of a longer number).
pub fn find_year(s: &str) -> Option<u16> {
    s.split(|c: char| !c.is_ascii_digit()).find_map(year_token)
}

/// The first tertial token in `s`: `T1`/`T2`/`T3` (any case) standing alone between
/// non-alphanumeric characters, or the word `tertial` followed by `1`, `2` or `3`.
pub fn find_tertial(s: &str) -> Option<Tertial> {
    let toks: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    for (i, t) in toks.iter().enumerate() {
        let lower = t.to_lowercase();
        if matches!(lower.as_str(), "t1" | "t2" | "t3") {
            return Tertial::parse(&lower);
        }
        if lower == "tertial" {
            if let Some(next) = toks.get(i + 1) {
                if matches!(*next, "1" | "2" | "3") {
                    return Tertial::parse(next);
                }
            }
        }
    }
    None
}

/// Cut `s` to at most `max` characters, at the last space before the limit when there
/// is one (a single over-long word is cut mid-word). Never splits a character.
pub fn cut_at_word(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let end = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    let head = &s[..end];
    match head.rfind(' ') {
        Some(sp) if sp > 0 => head[..sp].trim_end().to_string(),
        _ => head.to_string(),
    }
}

/// A short excerpt for warnings: the first `max` characters, with "..." when cut.
pub fn snippet(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().count() > max {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_line_table() {
        for (raw, want) in [
            ("  a  b\t c  ", "a b c"),
            ("\u{feff}T3 2022\r", "T3 2022"),
            ("inte\u{a0}genomfört", "inte genomfört"),
            ("64\u{202f}718 invånare", "64 718 invånare"),
            ("a\u{a0} b", "a b"),
            ("o\u{308}ka", "öka"),
            ("soft\u{ad}hyphen", "softhyphen"),
            ("\t\u{a0} \r", ""),
            ("\u{0}x\u{7}", "x"),
        ] {
            assert_eq!(normalize_line(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn split_lines_counts_crlf_once() {
        let lines = split_lines("a\r\nb\r\n\r\nc");
        let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.no, l.text.as_str())).collect();
        assert_eq!(got, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")]);
    }

    #[test]
    fn split_lines_breaks_at_a_lone_cr() {
        for text in ["a\rb\r\rc", "a\nb\n\nc", "a\r\nb\r\r\nc", "a\rb\n\rc"] {
            let lines = split_lines(text);
            let got: Vec<(usize, &str)> = lines.iter().map(|l| (l.no, l.text.as_str())).collect();
            assert_eq!(got, vec![(1, "a"), (2, "b"), (3, ""), (4, "c")], "{text:?}");
            assert_eq!(count_breaks(text), 3, "{text:?}");
        }
        assert_eq!(raw_lines("").collect::<Vec<_>>(), [""]);
        let text = "a\r\nbb\rc\n\nd";
        let starts: Vec<usize> = (1..=6).map(|n| line_offset(text, n)).collect();
        assert_eq!(starts, [0, 3, 6, 8, 9, 10]);
        assert_eq!(&text[line_offset(text, 5)..], "d");
        assert_eq!(raw_lines("x\r").collect::<Vec<_>>(), ["x", ""]);
    }

    #[test]
    fn paragraphs_group_and_join() {
        let lines = split_lines("\nx\ny  z\n\n\n w \n");
        let ps = paragraphs(&lines);
        assert_eq!(ps.len(), 2);
        assert_eq!((ps[0].line, ps[0].text()), (2, "x y z".to_string()));
        assert_eq!((ps[1].line, ps[1].text()), (6, "w".to_string()));
        assert_eq!(ps[0].word_count(), 3);
        assert_eq!(join_paragraphs(["a", " ", "b "]), "a\n\nb");
    }

    #[test]
    fn year_and_tertial_finders() {
        for (s, y, t) in [
            ("T3 2022 Uppdrag", Some(2022), Some(Tertial::T3)),
            ("2020-T1.txt", Some(2020), Some(Tertial::T1)),
            ("rapport_t2_2019.txt", Some(2019), Some(Tertial::T2)),
            ("Tertial 2 år 2021", Some(2021), Some(Tertial::T2)),
            ("nr 12345 och 3T1", None, None),
            ("1850 och 2100", None, None),
            ("", None, None),
        ] {
            assert_eq!(find_year(s), y, "{s}");
            assert_eq!(find_tertial(s), t, "{s}");
        }
    }

    #[test]
    fn cut_at_word_respects_chars() {
        assert_eq!(cut_at_word("kort", 120), "kort");
        assert_eq!(cut_at_word("åäö åäö åäö", 9), "åäö åäö");
        assert_eq!(cut_at_word("ååååå", 3), "ååå");
        assert_eq!(snippet("åäöx", 3), "åäö...");
    }
}
