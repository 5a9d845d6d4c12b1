//! Files of no recognised format (`Kind::Text`): indexed as plain passages so that nothing
//! readable is lost. Paragraphs are merged into passages of up to [`PASSAGE_WORDS`] words;
//! a longer paragraph is split at line boundaries, and a single line longer than a
//! passage between words (so a 10 MB one-line export becomes many small passages, each
//! starting on that line), so every word ends up in exactly one passage. Title, year and tertial come from
//! the first line, else from the file name.

use super::normalize::{
    cut_at_word, find_tertial, find_year, join_paragraphs, paragraphs, Line, Paragraph,
};
use super::Sink;
use crate::model::Kind;

/// Target size of a passage, in words.
pub const PASSAGE_WORDS: usize = 300;

/// Longest title, in characters (cut at a word boundary).
pub const TITLE_CHARS: usize = 120;

/// Split paragraphs longer than [`PASSAGE_WORDS`] at line boundaries, and lines longer
/// than that between words.
fn split_long(p: Paragraph) -> Vec<Paragraph> {
    if p.word_count() <= PASSAGE_WORDS {
        return vec![p];
    }
    let mut out = Vec::new();
    let mut cur = Paragraph::default();
    let mut words = 0;
    let lines = p.lines.into_iter().flat_map(|l| {
        if l.text.split_whitespace().nth(PASSAGE_WORDS).is_none() {
            return vec![l];
        }
        let all: Vec<&str> = l.text.split_whitespace().collect();
        all.chunks(PASSAGE_WORDS)
            .map(|c| Line {
                no: l.no,
                text: c.join(" "),
            })
            .collect()
    });
    for l in lines {
        let n = l.text.split_whitespace().count();
        if !cur.lines.is_empty() && words + n > PASSAGE_WORDS {
            out.push(std::mem::take(&mut cur));
            words = 0;
        }
        if cur.lines.is_empty() {
            cur.line = l.no;
        }
        words += n;
        cur.lines.push(l);
    }
    if !cur.lines.is_empty() {
        out.push(cur);
    }
    out
}

/// Parse a file of unrecognised format into plain passages, with a warning on line 1.
pub(crate) fn parse(sink: &mut Sink, lines: &[Line]) {
    sink.warn(
        1,
        "format not recognised (no 'Uppdrag Kommentar' header, no 'Mål' title); indexed as plain text",
    );
    let first = lines.first().map(|l| l.text.as_str()).unwrap_or("");
    let name = super::file_name(sink.rel_path()).to_string();
    let title = if !first.is_empty() {
        cut_at_word(first, TITLE_CHARS)
    } else if !name.trim().is_empty() {
        cut_at_word(&name, TITLE_CHARS)
    } else {
        "(utan titel)".to_string()
    };
    let year = find_year(first).or_else(|| find_year(&name));
    let tertial = find_tertial(first).or_else(|| find_tertial(&name));

    // Merge paragraphs into passages of up to PASSAGE_WORDS words.
    let mut passages: Vec<Vec<Paragraph>> = Vec::new();
    let mut cur: Vec<Paragraph> = Vec::new();
    let mut words = 0;
    for p in paragraphs(lines).into_iter().flat_map(split_long) {
        let n = p.word_count();
        if !cur.is_empty() && words + n > PASSAGE_WORDS {
            passages.push(std::mem::take(&mut cur));
            words = 0;
        }
        words += n;
        cur.push(p);
    }
    if !cur.is_empty() {
        passages.push(cur);
    }

    for ps in passages {
        let line = ps.first().map_or(1, |p| p.line);
        let mut doc = sink.document(Kind::Text, line);
        doc.year = year;
        doc.tertial = tertial;
        doc.title = title.clone();
        doc.body = join_paragraphs(ps.iter().map(Paragraph::text));
        sink.push(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize::split_lines;
    use super::super::parse_file;
    use crate::model::{Kind, Tertial};

    #[test]
    fn unknown_format_fixture() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/unknown-format.txt"
        ));
        let p = parse_file("kommun/protokoll.txt", text);
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, 1);
        assert!(p.warnings[0].message.contains("not recognised"));
        let d = &p.documents;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, Kind::Text);
        assert_eq!(
            d[0].title,
            "Protokoll från kommunstyrelsens arbetsutskott T2 2021"
        );
        assert_eq!((d[0].year, d[0].tertial), (Some(2021), Some(Tertial::T2)));
        assert_eq!(d[0].line, 1);
        assert_eq!(d[0].municipality.as_deref(), Some("kommun"));
        assert!(d[0].status.is_none() && d[0].committees.is_empty() && d[0].section.is_none());
        // Nothing readable is dropped.
        for l in split_lines(text).iter().filter(|l| !l.text.is_empty()) {
            assert!(d[0].body.contains(&l.text), "{}", l.text);
        }
    }

    #[test]
    fn long_text_is_split_into_passages_and_keeps_every_line() {
        let mut text = String::from("\n");
        for i in 0..40 {
            // 40 paragraphs of 3 lines x 10 words = 1200 words.
            for j in 0..3 {
                text.push_str(&format!("rad {i} {j} ord ord ord ord ord ord ord\n"));
            }
            text.push('\n');
        }
        // One paragraph of 50 lines x 10 words, longer than a passage on its own.
        for j in 0..50 {
            text.push_str(&format!("lång {j} ord ord ord ord ord ord ord ord\n"));
        }
        let p = parse_file("k/2019-T3 anteckningar.txt", &text);
        let d = &p.documents;
        assert_eq!(d[0].title, "2019-T3 anteckningar.txt"); // first line empty
        assert_eq!((d[0].year, d[0].tertial), (Some(2019), Some(Tertial::T3)));
        assert_eq!(d[0].line, 2);
        assert!(d.len() >= 6, "{}", d.len());
        for doc in d {
            assert!(doc.body.split_whitespace().count() <= 300, "{}", doc.id);
        }
        for l in split_lines(&text).iter().filter(|l| !l.text.is_empty()) {
            assert_eq!(
                d.iter().filter(|doc| doc.body.contains(&l.text)).count(),
                1,
                "{}",
                l.text
            );
        }
        for (i, doc) in d.iter().enumerate() {
            assert_eq!(doc.id, format!("k/2019-T3 anteckningar.txt#{}", i + 1));
        }
    }

    #[test]
    fn a_huge_single_line_becomes_passages_of_bounded_size() {
        let text = "ord ".repeat(2_000) + "slut";
        let parsed = parse_file("a/en-rad.txt", &text);
        assert_eq!(parsed.documents.len(), 7);
        for d in &parsed.documents {
            assert!(d.body.split_whitespace().count() <= 300);
            assert_eq!(d.line, 1);
        }
        let words: usize = parsed
            .documents
            .iter()
            .map(|d| d.body.split_whitespace().count())
            .sum();
        assert_eq!(words, 2_001);
    }

    #[test]
    fn long_first_line_title_is_cut_at_a_word() {
        let first = "ord ".repeat(60);
        let p = parse_file("x.txt", &first);
        let t = &p.documents[0].title;
        assert!(t.chars().count() <= 120 && t.ends_with("ord"), "{t}");
        assert_eq!(p.documents[0].municipality, None);
    }
}
