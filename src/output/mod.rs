//! Rendering results for people and for scripts. One renderer per format behind
//! [`Render`] (and [`history::ThreadRender`] for the thread commands); the JSON wire
//! types live in [`json`], CSV for spreadsheets in [`csv`]. Renderers write to any `io::Write`
//! and never decide about terminals themselves: the CLI passes a [`Style`].

pub mod csv;
pub mod history;
pub mod json;

use crate::indexer::generation::BuildInfo;
use crate::model::{Document, Kind};
use crate::searcher::facets::FacetCounts;
use crate::searcher::passages::Passage;
use crate::searcher::Response;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// How human output marks things up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI bold/dim (on a terminal, without NO_COLOR); otherwise `**word**`.
    pub ansi: bool,
}

impl Style {
    pub const PLAIN: Style = Style { ansi: false };

    fn strong(&self, s: &str) -> String {
        if self.ansi {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            format!("**{s}**")
        }
    }

    fn dim(&self, s: &str) -> String {
        if self.ansi {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn heading(&self, s: &str) -> String {
        if self.ansi {
            format!("\x1b[1;36m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// An output format.
pub trait Render {
    fn search(&self, out: &mut dyn Write, r: &Response) -> io::Result<()>;
    fn document(&self, out: &mut dyn Write, d: &Document) -> io::Result<()>;
    fn stats(
        &self,
        out: &mut dyn Write,
        index: &str,
        generation: &str,
        info: Option<&BuildInfo>,
        documents: usize,
        facets: &FacetCounts,
    ) -> io::Result<()>;
}

/// JSON for scripts.
pub struct JsonRender;

impl Render for JsonRender {
    fn search(&self, out: &mut dyn Write, r: &Response) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &json::SearchJson::from(r))?;
        writeln!(out)
    }

    fn document(&self, out: &mut dyn Write, d: &Document) -> io::Result<()> {
        serde_json::to_writer(&mut *out, d)?;
        writeln!(out)
    }

    fn stats(
        &self,
        out: &mut dyn Write,
        index: &str,
        generation: &str,
        info: Option<&BuildInfo>,
        documents: usize,
        facets: &FacetCounts,
    ) -> io::Result<()> {
        let j = json::StatsJson::new(index.to_string(), generation, info, documents, facets);
        serde_json::to_writer(&mut *out, &j)?;
        writeln!(out)
    }
}

/// Text for people.
pub struct HumanRender {
    pub style: Style,
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

/// `ostersund · 2023 T3 · VON, BUN, SAN, KFN · genomfört`
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

fn facet_line<K: ToString>(name: &str, counts: &BTreeMap<K, u64>, by_key: bool) -> String {
    let mut v: Vec<(String, u64)> = counts.iter().map(|(k, n)| (k.to_string(), *n)).collect();
    if !by_key {
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    let items: Vec<String> = v.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!("{name}: {}", items.join(", "))
}

impl HumanRender {
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

    fn facets(&self, out: &mut dyn Write, f: &FacetCounts, all: bool) -> io::Result<()> {
        let statuses: BTreeMap<String, u64> = f
            .status
            .iter()
            .map(|(k, n)| {
                let label = crate::model::Status::parse(k).map_or(k.as_str(), |s| s.label());
                (label.to_string(), *n)
            })
            .collect();
        let mut lines = vec![
            facet_line("år", &f.year, true),
            facet_line("nämnd", &f.committee, false),
            facet_line("status", &statuses, false),
        ];
        if all {
            lines.insert(1, facet_line("tertial", &f.tertial, true));
            lines.push(facet_line("kommun", &f.municipality, false));
            lines.push(facet_line("typ", &f.kind, false));
        }
        for l in lines {
            if !l.ends_with(": ") {
                writeln!(out, "  {}", self.style.dim(&l))?;
            }
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
        for line in wrap(&text, 92) {
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
        if r.total == 0 {
            self.nothing_found(out, r)?;
        } else {
            writeln!(
                out,
                "{} träff{} ({})",
                r.total,
                if r.total == 1 { "" } else { "ar" },
                shown_range(r.offset, r.hits.len(), r.total)
            )?;
            self.facets(out, &r.facets, false)?;
        }
        Ok(())
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
            for line in wrap(para, 92) {
                writeln!(out, "{line}")?;
            }
            writeln!(out)?;
        }
        self.items(out, d, "")?;
        Ok(())
    }

    fn stats(
        &self,
        out: &mut dyn Write,
        index: &str,
        generation: &str,
        info: Option<&BuildInfo>,
        documents: usize,
        facets: &FacetCounts,
    ) -> io::Result<()> {
        writeln!(out, "index:      {index} (generation {generation})")?;
        if let Some(i) = info {
            writeln!(out, "built:      {} in {:.2} s", i.built_at, i.seconds)?;
            writeln!(out, "corpus:     {} ({} files)", i.corpus, i.files)?;
            writeln!(out, "warnings:   {}", i.warnings)?;
        }
        writeln!(out, "documents:  {documents}")?;
        self.facets(out, facets, true)
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
            "den \x1b[1mpsykiska\x1b[0m ohälsan"
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
    fn wrap_counts_visible_chars() {
        let lines = wrap("aaa \x1b[1mbbb\x1b[0m ccc", 7);
        assert_eq!(lines, ["aaa \x1b[1mbbb\x1b[0m", "ccc"]);
    }
}
