//! PDF: text from each page's content stream (pdf-extract's interpreter, which reads the
//! fonts' ToUnicode maps and encodings on top of lopdf), laid out here: glyphs grouped
//! into lines by baseline, words by gaps, two columns read one after the other (a gutter
//! that no line crosses), paragraphs by vertical gaps, then [`super::clean`] removes
//! running headers and page numbers and joins hyphenated words. Pages are read one at a
//! time; a page holds at most [`MAX_GLYPHS_PER_PAGE`] glyphs.
//!
//! Why this reader: see the README's comparison of PDF extractors (measured on the
//! fixtures in `tests/fixtures/ingest/`).

use super::{clean, Extracted, IngestError};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// The most glyphs kept from one page (a bound on memory for absurd pages).
pub const MAX_GLYPHS_PER_PAGE: usize = 400_000;

/// One glyph placed on the page: `y` grows downwards.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// Collects the glyphs of one page ([`OutputDev`] of pdf-extract).
struct Collector {
    height: f64,
    width: f64,
    glyphs: Vec<Glyph>,
    cut: bool,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.width = (media_box.urx - media_box.llx).abs().max(1.0);
        self.glyphs.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
            self.cut = true;
            return Ok(());
        }
        // The glyph's origin in page space, y flipped to grow downwards; its size is the
        // side of the square with the area of the transformed font size (as pdf-extract).
        let x = trm.m31;
        let y = self.height - trm.m32;
        let vx = font_size * trm.m11 + font_size * trm.m21;
        let vy = font_size * trm.m12 + font_size * trm.m22;
        let size = (vx * vy).abs().sqrt();
        if !size.is_finite() || size <= 0.0 || !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        self.glyphs.push(Glyph {
            x,
            y,
            end: x + width * size,
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A run of glyphs on one baseline with no wide gap: a line of one column.
#[derive(Debug, Clone)]
struct Segment {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Extract the text of a PDF held in `bytes`, page by page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let broken = |e: &dyn std::fmt::Display| IngestError::Broken {
        format: "PDF",
        reason: e.to_string(),
    };
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| {
        if e.to_string().to_lowercase().contains("decrypt") {
            IngestError::Encrypted
        } else {
            broken(&e)
        }
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(IngestError::Encrypted);
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(broken(&"no pages"));
    }
    let mut collector = Collector {
        height: 0.0,
        width: 1.0,
        glyphs: Vec::new(),
        cut: false,
    };
    let mut texts: Vec<Vec<String>> = Vec::with_capacity(pages.len());
    let mut ends_short: Vec<bool> = Vec::with_capacity(pages.len());
    let mut failed = Vec::new();
    for &n in &pages {
        collector.glyphs.clear();
        if let Err(e) = pdf_extract::output_doc_page(&doc, &mut collector, n) {
            failed.push(format!("page {n}: {e}"));
        }
        let (lines, short) = layout(std::mem::take(&mut collector.glyphs), collector.width);
        texts.push(lines);
        ends_short.push(short);
    }
    if texts.iter().all(|p| p.iter().all(|l| l.trim().is_empty())) {
        if let Some(f) = failed.first() {
            return Err(broken(f));
        }
        return Err(IngestError::NoText { pages: pages.len() });
    }
    let mut out = join_pages(texts, &ends_short);
    let empty = out.1;
    let mut e = out.0;
    if empty > 0 {
        e.notes.push(format!(
            "{empty} of {} pages have no text layer (scanned pages?): their text is not \
             indexed; OCR is out of scope",
            pages.len()
        ));
    }
    for f in failed {
        e.notes.push(format!("unreadable content on {f}"));
    }
    if collector.cut {
        e.notes.push(format!(
            "a page with more than {MAX_GLYPHS_PER_PAGE} characters: the rest is not indexed"
        ));
    }
    out.0 = Extracted::default();
    Ok(e)
}

/// Clean the pages' lines ([`clean`]) and join them into one text, recording the line on
/// which each page starts. A page that ends with a short line ends a paragraph. Returns
/// the text and the number of pages without any text.
fn join_pages(mut pages: Vec<Vec<String>>, ends_short: &[bool]) -> (Extracted, usize) {
    clean::strip_running(&mut pages);
    let mut e = Extracted::default();
    let mut line = 1usize;
    let mut empty = 0;
    for (i, mut page) in pages.into_iter().enumerate() {
        clean::join_hyphenated(&mut page);
        e.page_lines.push(line);
        if page.is_empty() {
            empty += 1;
            continue;
        }
        for l in &page {
            e.text.push_str(l);
            e.text.push('\n');
            line += 1;
        }
        if ends_short.get(i).copied().unwrap_or(true) {
            e.text.push('\n');
            line += 1;
        }
    }
    (e, empty)
}

/// Lay out one page's glyphs as lines of text, paragraphs separated by an empty line.
/// Also returns whether the page's last line is short (ends a paragraph).
fn layout(mut glyphs: Vec<Glyph>, page_width: f64) -> (Vec<String>, bool) {
    glyphs.retain(|g| !g.text.trim().is_empty() || g.text.contains('\u{a0}'));
    if glyphs.is_empty() {
        return (Vec::new(), true);
    }
    let segments = segments(glyphs);
    let ordered = reading_order(segments, page_width);
    paragraphs(&ordered)
}

/// Group glyphs into segments: same baseline (within a third of the size), sorted by
/// x, split where the gap is wider than two sizes (a column gap); a gap wider than an
/// eighth of the size is a space.
fn segments(mut glyphs: Vec<Glyph>) -> Vec<Segment> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match rows.last_mut() {
            Some(row) if (g.y - row[0].y).abs() <= row[0].size.max(g.size) * 0.35 => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut cur: Option<Segment> = None;
        for g in row {
            if let Some(s) = cur.as_mut() {
                let gap = g.x - s.x1;
                if gap > 2.0 * s.size.max(g.size) {
                    out.push(cur.take().unwrap_or_else(|| unreachable!()));
                } else {
                    if gap > 0.12 * g.size && !s.text.ends_with(' ') {
                        s.text.push(' ');
                    }
                    s.text.push_str(&g.text);
                    s.x1 = s.x1.max(g.end);
                    continue;
                }
            }
            cur = Some(Segment {
                x0: g.x,
                x1: g.end,
                y: g.y,
                size: g.size,
                text: g.text,
            });
        }
        out.extend(cur);
    }
    out
}

/// Order segments for reading. When a vertical gutter in the middle of the page is
/// crossed by no segment of a stretch of the page, and at least three segments stand
/// on each side of it, that stretch is read as two columns: the left one top to bottom,
/// then the right one. Segments that cross the gutter (a title across the page) stand
/// between stretches. Without a gutter, top to bottom, segments of one row joined.
fn reading_order(segs: Vec<Segment>, page_width: f64) -> Vec<Segment> {
    let Some(g) = gutter(&segs, page_width) else {
        return join_rows(segs);
    };
    let mut out = Vec::new();
    let (mut left, mut right): (Vec<Segment>, Vec<Segment>) = (Vec::new(), Vec::new());
    for s in segs {
        if s.x0 < g && s.x1 > g {
            out.append(&mut left);
            out.append(&mut right);
            out.push(s);
        } else if s.x1 <= g {
            left.push(s);
        } else {
            right.push(s);
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

/// Segments on the same row (a single-column page) joined with a space.
fn join_rows(segs: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for s in segs {
        match out.last_mut() {
            Some(last) if (last.y - s.y).abs() <= last.size.max(s.size) * 0.35 => {
                last.text.push(' ');
                last.text.push_str(&s.text);
                last.x1 = last.x1.max(s.x1);
            }
            _ => out.push(s),
        }
    }
    out
}

/// The x of a column gutter: within the middle 40 % of the page, the centre of the
/// widest run of x positions crossed by fewest segments, if at most a fifth of the
/// segments cross it and at least three lie wholly on each side.
fn gutter(segs: &[Segment], page_width: f64) -> Option<f64> {
    if segs.len() < 6 {
        return None;
    }
    let from = (page_width * 0.3) as usize;
    let to = (page_width * 0.7) as usize;
    let crossing = |x: f64| segs.iter().filter(|s| s.x0 < x && s.x1 > x).count();
    // Runs of x with the same number of crossing segments: (crossing, start, end).
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    for x in from..=to {
        let c = crossing(x as f64);
        match runs.last_mut() {
            Some(run) if run.0 == c => run.2 = x,
            _ => runs.push((c, x, x)),
        }
    }
    runs.into_iter()
        .filter_map(|(c, start, end)| {
            let x = (start + end) as f64 / 2.0;
            let left = segs.iter().filter(|s| s.x1 <= x).count();
            let right = segs.iter().filter(|s| s.x0 >= x).count();
            (c * 5 <= segs.len() && left >= 3 && right >= 3).then_some((c, end - start, x))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, _, x)| x)
}

/// Lines in reading order, with an empty line where the vertical gap to the previous
/// line is clearly more than the usual line spacing (a paragraph break), or where the
/// reading goes back up (a new column). Also whether the last line is short.
fn paragraphs(segs: &[Segment]) -> (Vec<String>, bool) {
    let mut gaps: Vec<f64> = segs
        .windows(2)
        .map(|w| w[1].y - w[0].y)
        .filter(|g| *g > 0.0)
        .collect();
    gaps.sort_by(f64::total_cmp);
    let usual = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Segment> = None;
    for s in segs {
        if let Some(p) = prev {
            let gap = s.y - p.y;
            let jump = gap < 0.0 || gap > usual * 1.45 + 0.5 || gap > p.size.max(s.size) * 2.2;
            if jump && out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
        }
        let line = clean::normalize_chars(&s.text);
        if !line.is_empty() {
            out.push(line);
        }
        prev = Some(s);
    }
    // The last line of text (not a page number below it) is short when it ends clearly
    // before the right edge of its column.
    let short = segs
        .iter()
        .rev()
        .find(|s| !clean::is_page_number(&s.text))
        .is_none_or(|last| {
            let col_right = segs
                .iter()
                .filter(|s| (s.x0 - last.x0).abs() < 2.0 * last.size)
                .map(|s| s.x1)
                .fold(last.x1, f64::max);
            last.x1 < col_right - 0.1 * (col_right - last.x0).max(1.0)
        });
    (out, short)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(words: &[(f64, f64, &str)]) -> Vec<Glyph> {
        let mut out = Vec::new();
        for &(x, y, w) in words {
            let mut x = x;
            for c in w.chars() {
                out.push(Glyph {
                    x,
                    y,
                    end: x + 5.0,
                    size: 10.0,
                    text: c.to_string(),
                });
                x += 5.0;
            }
        }
        out
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let mut words = vec![(
            50.0,
            40.0,
            "Rubrik över hela sidan som är lång nog att korsa",
        )];
        for i in 0..5 {
            let y = 100.0 + 12.0 * i as f64;
            words.push((50.0, y, "vänster"));
            words.push((320.0, y, "höger"));
        }
        let (lines, _) = layout(glyphs(&words), 600.0);
        let first_right = lines.iter().position(|l| l == "höger").unwrap();
        let last_left = lines.iter().rposition(|l| l == "vänster").unwrap();
        assert_eq!(lines[0], "Rubrik över hela sidan som är lång nog att korsa");
        assert!(last_left < first_right, "{lines:?}");
    }

    #[test]
    fn gaps_make_spaces_and_paragraphs() {
        let words = [
            (50.0, 100.0, "ett"),
            (70.0, 100.0, "två"),
            (50.0, 112.0, "tre"),
            (50.0, 124.0, "fyra"),
            (50.0, 148.0, "fem"),
        ];
        let (lines, _) = layout(glyphs(&words), 600.0);
        assert_eq!(lines, ["ett två", "tre", "fyra", "", "fem"]);
    }
}
