//! Rendering results for people and for scripts. A front end chooses a [`Format`] once;
//! its [`Format::renderer`] is the one [`Render`] that writes every command's answer:
//! [`HumanRender`] (here, the thread commands in [`history`]), [`json::JsonRender`]
//! (with its serialize-only wire types) and [`csv::CsvRender`]. Renderers write to any
//! `io::Write` and never decide about terminals themselves: the front end passes a
//! [`Style`] and a width.

pub mod csv;
pub mod history;
pub mod json;
pub mod words;

use crate::analyzer::{AnalyzedToken, FieldKind};
use crate::facet::FACETS;
use crate::history::{Grouped, Resolution, Slip, SlipOptions, Trend};
use crate::model::{Document, Kind};
use crate::searcher::facets::FacetCounts;
use crate::searcher::passages::Passage;
use crate::searcher::Response;
use crate::store::BuildInfo;
use std::borrow::Cow;
use std::io::{self, Write};

/// How a command's answer is written, chosen once by the front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Text for people, wrapped to `width` columns, styled as `style` says.
    Human { style: Style, width: usize },
    /// One JSON object per command (`--json`), the contract of [`json`].
    Json,
    /// CSV for spreadsheets (`--csv`, `--csv-excel`): `search` and `slipping` only.
    Csv(csv::Separator),
}

impl Format {
    /// The renderer of this format.
    pub fn renderer(self) -> Box<dyn Render> {
        match self {
            Format::Human { style, width } => Box::new(HumanRender { style, width }),
            Format::Json => Box::new(json::JsonRender),
            Format::Csv(sep) => Box::new(csv::CsvRender(sep)),
        }
    }

    /// `out` as this format writes to it: human text through [`TerminalSafe`] (control
    /// characters from queries and the corpus escaped, only our own styling passes);
    /// JSON and CSV as they are (JSON escapes control characters itself).
    pub fn writer<'a, W: Write + 'a>(self, out: W) -> Box<dyn Write + 'a> {
        match self {
            Format::Human { style, .. } => Box::new(TerminalSafe::new(out, style.ansi)),
            Format::Json | Format::Csv(_) => Box::new(out),
        }
    }

    /// CSV lists every match when no limit is given.
    pub fn is_csv(self) -> bool {
        matches!(self, Format::Csv(_))
    }
}

/// What `stats` reports.
#[derive(Debug, Clone, Copy)]
pub struct Stats<'a> {
    /// The index folder as given.
    pub index: &'a str,
    pub generation: &'a str,
    pub info: Option<&'a BuildInfo>,
    pub documents: usize,
    pub facets: &'a FacetCounts,
}

/// What `analyze` reports: the tokens of `text` as the analyzer makes them for `field`.
#[derive(Debug, Clone, Copy)]
pub struct Analysis<'a> {
    pub text: &'a str,
    /// `body` or `title`: the name printed for main-field tokens.
    pub field: &'a str,
    pub tokens: &'a [AnalyzedToken],
}

impl Analysis<'_> {
    /// The index field a token goes to.
    pub fn field_of(&self, t: &AnalyzedToken) -> &str {
        match t.kind {
            FieldKind::Main => self.field,
            FieldKind::Parts => "parts",
            FieldKind::Folded => "folded",
        }
    }

    /// The text a token came from.
    pub fn source(&self, t: &AnalyzedToken) -> &str {
        self.text.get(t.offset_from..t.offset_to).unwrap_or("")
    }
}

/// An output format: one method per command's answer. A format that has no form for an
/// answer (CSV of a single document) returns an [`io::ErrorKind::Unsupported`] error;
/// the CLI never asks for one (its flags do not combine so).
pub trait Render {
    /// `search`.
    fn search(&self, out: &mut dyn Write, r: &Response) -> io::Result<()>;
    /// `show`.
    fn document(&self, out: &mut dyn Write, d: &Document) -> io::Result<()>;
    /// `stats`.
    fn stats(&self, out: &mut dyn Write, s: &Stats) -> io::Result<()>;
    /// `history`: `arg` is what the user typed.
    fn history(&self, out: &mut dyn Write, arg: &str, r: &Resolution) -> io::Result<()>;
    /// `history QUERY` when no assignment matches the query (an answer, exit 0).
    fn no_history(&self, out: &mut dyn Write, arg: &str) -> io::Result<()>;
    /// `search --group`.
    fn grouped(&self, out: &mut dyn Write, g: &Grouped) -> io::Result<()>;
    /// `search --by`.
    fn trend(&self, out: &mut dyn Write, t: &Trend) -> io::Result<()>;
    /// `slipping`.
    fn slipping(&self, out: &mut dyn Write, opts: &SlipOptions, s: &[Slip]) -> io::Result<()>;
    /// `analyze`.
    fn analysis(&self, out: &mut dyn Write, a: &Analysis) -> io::Result<()>;
}

/// How human output marks things up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours (`--color`, a terminal, NO_COLOR): matches bold red, titles bold
    /// cyan, meta lines dim; otherwise matches are marked `**word**`.
    pub ansi: bool,
}

/// Ends every style.
const RESET: &str = "\x1b[0m";
/// A match: bold red, ripgrep's colour for matches.
const MATCH: &str = "\x1b[1;31m";
/// Meta lines.
const DIM: &str = "\x1b[2m";
/// Titles.
const HEADING: &str = "\x1b[1;36m";
/// The only escape sequences human output writes itself, and so the only ones
/// [`TerminalSafe`] lets through.
const OWN_SGR: [&str; 4] = [RESET, MATCH, DIM, HEADING];

impl Style {
    pub const PLAIN: Style = Style { ansi: false };

    fn strong(&self, s: &str) -> String {
        if self.ansi {
            format!("{MATCH}{s}{RESET}")
        } else {
            format!("**{s}**")
        }
    }

    /// `s` in the style `sgr`, which is restored after every reset inside `s` (a
    /// highlight in a title ends with a reset; the rest of the title keeps its style).
    fn enclose(&self, sgr: &str, s: &str) -> String {
        if self.ansi {
            let inner = s.replace(RESET, &format!("{RESET}{sgr}"));
            format!("{sgr}{inner}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn dim(&self, s: &str) -> String {
        self.enclose(DIM, s)
    }

    fn heading(&self, s: &str) -> String {
        self.enclose(HEADING, s)
    }
}

/// Text from users or the corpus made safe to print on a terminal: every control
/// character except line feed and tab (C0, DEL, C1, and so every escape sequence) is
/// written as a visible escape (`\x1b`, `\x7f`, `\u{9b}`), so a query, a title or a file
/// name cannot move the cursor, retitle the window or hide text. The one helper for
/// everything human-readable that rapportsok prints, on stdout (through
/// [`TerminalSafe`]) and on stderr (errors and warnings).
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

fn is_escaped(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// [`escape_controls`]; with `keep_style`, the sequences of [`OWN_SGR`] pass.
fn escape(s: &str, keep_style: bool) -> Cow<'_, str> {
    if !s.chars().any(is_escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if keep_style && c == '\x1b' {
            if let Some(sgr) = OWN_SGR.iter().find(|sgr| rest.starts_with(**sgr)) {
                out.push_str(sgr);
                rest = &rest[sgr.len()..];
                continue;
            }
        }
        let n = c as u32;
        if !is_escaped(c) {
            out.push(c);
        } else if n < 0x80 {
            out.push_str(&format!("\\x{n:02x}"));
        } else {
            out.push_str(&format!("\\u{{{n:x}}}"));
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// An `io::Write` for human output: escapes control characters (see
/// [`escape_controls`]) in everything written through it, except, when `keep_style` is
/// set, the renderer's own styling sequences. Line-buffered, so a sequence written in
/// two pieces is still seen whole; `flush` (and dropping it) writes the rest.
pub struct TerminalSafe<W: Write> {
    inner: W,
    pending: Vec<u8>,
    keep_style: bool,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W, keep_style: bool) -> Self {
        TerminalSafe {
            inner,
            pending: Vec::new(),
            keep_style,
        }
    }

    fn emit(&mut self, upto: usize) -> io::Result<()> {
        let chunk: Vec<u8> = self.pending.drain(..upto).collect();
        let text = String::from_utf8_lossy(&chunk);
        self.inner
            .write_all(escape(&text, self.keep_style).as_bytes())
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = self.pending.iter().rposition(|&b| b == b'\n') {
            self.emit(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.emit(self.pending.len())?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// Width of human output when stdout is not a terminal (and `COLUMNS` is unset).
pub const PIPED_WIDTH: usize = 100;
/// Narrowest width wrapped to, whatever the terminal says.
pub const MIN_WIDTH: usize = 40;

/// Text for people.
pub struct HumanRender {
    pub style: Style,
    /// Columns to wrap text to (the terminal's width, or [`PIPED_WIDTH`]).
    pub width: usize,
}

/// Apply highlight ranges to a text.
pub fn mark(text: &str, ranges: &[[usize; 2]], style: Style) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &[s, e] in ranges {
        if s < at || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(&style.strong(&text[s..e]));
        at = e;
    }
    out.push_str(&text[at..]);
    out
}

/// `ostersund · 2023 T3 · VON, BUN, SAN, KFN · genomfört`, with the unit after the
/// committees when the report names one (`ostersund · 2022 T3 · KFN · Bibliotek`).
pub fn meta_line(d: &Document) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(m) = &d.municipality {
        parts.push(m.clone());
    }
    let period = match (d.year, d.tertial, d.kind) {
        (Some(y), Some(t), _) => format!("{y} {t}"),
        (Some(y), None, Kind::Mal) => format!("{y} målsida"),
        (Some(y), None, _) => y.to_string(),
        (None, Some(t), _) => t.to_string(),
        (None, None, Kind::Mal) => "målsida".into(),
        (None, None, _) => "okänt år".into(),
    };
    parts.push(period);
    if let Some(s) = &d.section {
        parts.push(s.clone());
    }
    if !d.committees.is_empty() {
        parts.push(
            d.committees
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some(u) = &d.unit {
        parts.push(u.clone());
    }
    if let Some(s) = d.status {
        parts.push(s.label().to_string());
    }
    parts.join(" · ")
}

/// Which results a page shows, for the summary line: `visar 3–4 av 12` (numbered from
/// `offset + 1`), `visar 1 av 1`, or `visar inga av 12` when the offset is past the end.
pub fn shown_range(offset: usize, shown: usize, total: usize) -> String {
    match shown {
        0 => format!("visar inga av {total}"),
        1 => format!("visar {} av {total}", offset + 1),
        n => format!("visar {}–{} av {total}", offset + 1, offset + n),
    }
}

impl HumanRender {
    /// Columns left for wrapped text after an indent of `indent` columns.
    fn text_width(&self, indent: usize) -> usize {
        self.width
            .max(MIN_WIDTH)
            .saturating_sub(indent)
            .max(MIN_WIDTH / 2)
    }

    /// Says so when no document held every word and the query was relaxed.
    pub fn relaxed_notice(&self, out: &mut dyn Write, r: &Response) -> io::Result<()> {
        if r.relaxed {
            writeln!(
                out,
                "{}",
                self.style
                    .dim("Inga dokument innehöll alla orden; visar dokument med något av dem.")
            )?;
        }
        Ok(())
    }

    /// "Inga träffar", and what to try instead: the query with typos fixed, the
    /// committee filter for a committee abbreviation.
    pub fn nothing_found(&self, out: &mut dyn Write, r: &Response) -> io::Result<()> {
        writeln!(out, "Inga träffar för \"{}\".", r.query)?;
        for s in &r.suggestions {
            writeln!(out, "Menade du: {}", self.style.strong(s))?;
        }
        for c in &r.suggested_committees {
            writeln!(
                out,
                "{} är en nämnd: filtrera med {}",
                c.as_str(),
                self.style.strong(&format!("--committee {}", c.as_str()))
            )?;
        }
        Ok(())
    }

    /// The end of a result list: `summary` and the facet lines, or, when nothing was
    /// found, what to try instead.
    fn footer(&self, out: &mut dyn Write, r: &Response, summary: &str) -> io::Result<()> {
        if r.total == 0 {
            return self.nothing_found(out, r);
        }
        writeln!(out, "{summary}")?;
        self.facets(out, &r.facets, false)
    }

    /// One line per facet of the table ([`crate::facet::FACETS`]) that has counts: the
    /// facets shown under search results, or with `all` (stats) every facet.
    fn facets(&self, out: &mut dyn Write, f: &FacetCounts, all: bool) -> io::Result<()> {
        for spec in FACETS.iter().filter(|s| all || s.in_search) {
            let counts = f.get(spec.facet);
            if counts.is_empty() {
                continue;
            }
            let mut v: Vec<(String, u64)> = counts
                .iter()
                .map(|(k, n)| ((spec.display)(k), *n))
                .collect();
            if !spec.sort_by_value {
                v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            }
            let items: Vec<String> = v.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let line = format!("{}: {}", spec.label, items.join(", "));
            writeln!(out, "  {}", self.style.dim(&line))?;
        }
        Ok(())
    }

    fn items(&self, out: &mut dyn Write, d: &Document, indent: &str) -> io::Result<()> {
        for item in &d.items {
            let committees = item
                .committees
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(
                out,
                "{indent}[{}] {}{}",
                item.light.label(),
                item.title,
                if committees.is_empty() {
                    String::new()
                } else {
                    format!(" ({committees})")
                }
            )?;
        }
        Ok(())
    }

    fn passage(&self, out: &mut dyn Write, p: &Passage) -> io::Result<()> {
        let text = mark(&p.text, &p.highlights, self.style);
        for line in wrap(&text, self.text_width(3)) {
            writeln!(out, "   {line}")?;
        }
        Ok(())
    }
}

/// Wrap text at spaces to lines of about `width` visible characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut visible = 0;
    for word in text.split_whitespace() {
        let w = visible_len(word);
        if visible > 0 && visible + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            visible = 0;
        }
        if visible > 0 {
            line.push(' ');
            visible += 1;
        }
        line.push_str(word);
        visible += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

impl Render for HumanRender {
    fn search(&self, out: &mut dyn Write, r: &Response) -> io::Result<()> {
        self.relaxed_notice(out, r)?;
        let first_rank = r.offset + 1;
        for (i, h) in r.hits.iter().enumerate() {
            let d = &h.doc;
            let title = mark(&d.title, &h.title_highlights, self.style);
            writeln!(out, "{:>2}. {}", i + first_rank, self.style.heading(&title))?;
            writeln!(out, "    {}", self.style.dim(&meta_line(d)))?;
            for p in &h.passages {
                self.passage(out, p)?;
            }
            self.items(out, d, "    ")?;
            writeln!(
                out,
                "    {}",
                self.style.dim(&format!("{}:{}  {}", d.file, d.line, d.id))
            )?;
            if !h.explanation.is_empty() {
                writeln!(out, "    score {:.3}, from:", h.score.unwrap_or(0.0))?;
                for c in &h.explanation {
                    writeln!(
                        out,
                        "      {:>7.3}  {:<20} {}:{}  (\"{}\")",
                        c.score, c.how, c.field, c.term, c.query
                    )?;
                }
            }
            writeln!(out)?;
        }
        let summary = format!(
            "{} träff{} ({})",
            r.total,
            if r.total == 1 { "" } else { "ar" },
            shown_range(r.offset, r.hits.len(), r.total)
        );
        self.footer(out, r, &summary)
    }

    fn document(&self, out: &mut dyn Write, d: &Document) -> io::Result<()> {
        writeln!(out, "{}", self.style.heading(&d.title))?;
        writeln!(out, "{}", self.style.dim(&meta_line(d)))?;
        writeln!(
            out,
            "{}",
            self.style
                .dim(&format!("{}  ({}:{})", d.id, d.file, d.line))
        )?;
        if let Some(u) = &d.updated {
            writeln!(out, "{}", self.style.dim(&format!("Sidan uppdaterad {u}")))?;
        }
        writeln!(out)?;
        for para in d.body.split("\n\n") {
            for line in wrap(para, self.text_width(0)) {
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
        }
        self.items(out, d, "")?;
        Ok(())
    }

    fn stats(&self, out: &mut dyn Write, s: &Stats) -> io::Result<()> {
        writeln!(out, "index:      {} (generation {})", s.index, s.generation)?;
        if let Some(i) = s.info {
            writeln!(out, "built:      {} in {:.2} s", i.built_at, i.seconds)?;
            writeln!(out, "corpus:     {} ({} files)", i.corpus, i.files)?;
            writeln!(out, "warnings:   {}", i.warnings)?;
        }
        writeln!(out, "documents:  {}", s.documents)?;
        self.facets(out, s.facets, true)
    }

    fn history(&self, out: &mut dyn Write, arg: &str, r: &Resolution) -> io::Result<()> {
        self.history_text(out, arg, r)
    }

    fn no_history(&self, out: &mut dyn Write, arg: &str) -> io::Result<()> {
        self.no_history_text(out, arg)
    }

    fn grouped(&self, out: &mut dyn Write, g: &Grouped) -> io::Result<()> {
        self.grouped_text(out, g)
    }

    fn trend(&self, out: &mut dyn Write, t: &Trend) -> io::Result<()> {
        self.trend_text(out, t)
    }

    fn slipping(&self, out: &mut dyn Write, opts: &SlipOptions, s: &[Slip]) -> io::Result<()> {
        self.slipping_text(out, opts, s)
    }

    /// A table: position, token, field, origin and the text it came from.
    fn analysis(&self, out: &mut dyn Write, a: &Analysis) -> io::Result<()> {
        writeln!(
            out,
            "{:>4}  {:<28} {:<7} {:<19} source",
            "pos", "token", "field", "origin"
        )?;
        for t in a.tokens {
            writeln!(
                out,
                "{:>4}  {:<28} {:<7} {:<19} {}",
                t.position,
                t.text,
                a.field_of(t),
                t.origin.as_str(),
                a.source(t).replace('\n', "\\n")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_plain_and_ansi() {
        let t = "den psykiska ohälsan";
        assert_eq!(
            mark(t, &[[4, 12]], Style::PLAIN),
            "den **psykiska** ohälsan"
        );
        assert_eq!(
            mark(t, &[[4, 12]], Style { ansi: true }),
            "den \x1b[1;31mpsykiska\x1b[0m ohälsan"
        );
        // Out-of-range or non-boundary ranges are ignored, never a panic.
        assert_eq!(mark("å", &[[1, 2]], Style::PLAIN), "å");
    }

    #[test]
    fn shown_range_counts_from_the_offset() {
        assert_eq!(shown_range(0, 1, 1), "visar 1 av 1");
        assert_eq!(shown_range(0, 10, 36), "visar 1–10 av 36");
        assert_eq!(shown_range(2, 2, 12), "visar 3–4 av 12");
        assert_eq!(shown_range(40, 0, 36), "visar inga av 36");
    }

    #[test]
    fn control_characters_are_escaped() {
        assert!(matches!(escape_controls("å\tä\nö"), Cow::Borrowed(_)));
        assert_eq!(
            escape_controls("a\x1b]0;x\x07b\r\x7f\u{9b}2J\u{85}"),
            "a\\x1b]0;x\\x07b\\x0d\\x7f\\u{9b}2J\\u{85}"
        );
        // Our own styling passes TerminalSafe only when styling is on; anything else
        // is escaped, even split over two writes.
        let mut out = TerminalSafe::new(Vec::new(), true);
        write!(out, "{MATCH}a{RESET} \x1b").unwrap();
        write!(out, "[2J \x1b[1;3").unwrap();
        writeln!(out, "1m").unwrap();
        write!(out, "\x07").unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner.clone()).unwrap(),
            "\x1b[1;31ma\x1b[0m \\x1b[2J \x1b[1;31m\n\\x07"
        );
        let mut out = TerminalSafe::new(Vec::new(), false);
        write!(out, "{MATCH}a{RESET}").unwrap();
        out.flush().unwrap();
        assert_eq!(out.inner, b"\\x1b[1;31ma\\x1b[0m");
    }

    #[test]
    fn enclosing_style_comes_back_after_a_highlight() {
        let ansi = Style { ansi: true };
        let title = mark("ab cd ef", &[[3, 5]], ansi);
        assert_eq!(
            ansi.heading(&title),
            "\x1b[1;36mab \x1b[1;31mcd\x1b[0m\x1b[1;36m ef\x1b[0m"
        );
        let plain = mark("ab cd ef", &[[3, 5]], Style::PLAIN);
        assert_eq!(Style::PLAIN.heading(&plain), "ab **cd** ef");
    }

    #[test]
    fn wrap_counts_visible_chars() {
        let lines = wrap("aaa \x1b[1mbbb\x1b[0m ccc", 7);
        assert_eq!(lines, ["aaa \x1b[1mbbb\x1b[0m", "ccc"]);
    }
}
