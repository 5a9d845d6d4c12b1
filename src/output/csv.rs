//! CSV for spreadsheets: RFC 4180 (comma-separated, CRLF line ends, a field quoted when
//! it holds a comma, a double quote, CR or LF, quotes doubled inside), UTF-8 with a byte
//! order mark so that Excel reads å, ä and ö correctly. One row per document: `search
//! --csv` and `slipping --csv`. `--csv-excel` writes the same with `;` between fields,
//! which Excel with Swedish (or other comma-decimal) settings expects on double-click. Written by hand: the quoting rules are a dozen lines and
//! the output is write-only, so the `csv` crate would add a dependency for nothing.

use super::{Analysis, Render, Stats};
use crate::facet::CSV_ORDER;
use crate::history::{Grouped, Resolution, Slip, SlipOptions, Trend};
use crate::model::Document;
use crate::searcher::Response;
use std::borrow::Cow;
use std::io::{self, Write};

/// CSV for spreadsheets: `search` and `slipping`, one row per document. The other
/// answers have no CSV form (the CLI offers `--csv` only on those two commands).
#[derive(Debug, Clone, Copy)]
pub struct CsvRender(pub Separator);

/// The error for an answer CSV has no form for.
fn unsupported(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::Unsupported,
        format!("{what} has no CSV form; use --json"),
    )
}

impl Render for CsvRender {
    fn search(&self, out: &mut dyn Write, r: &Response) -> io::Result<()> {
        search(out, self.0, r)
    }

    fn slipping(&self, out: &mut dyn Write, _: &SlipOptions, s: &[Slip]) -> io::Result<()> {
        slipping(out, self.0, s)
    }

    fn document(&self, _: &mut dyn Write, _: &Document) -> io::Result<()> {
        Err(unsupported("show"))
    }

    fn stats(&self, _: &mut dyn Write, _: &Stats) -> io::Result<()> {
        Err(unsupported("stats"))
    }

    fn history(&self, _: &mut dyn Write, _: &str, _: &Resolution) -> io::Result<()> {
        Err(unsupported("history"))
    }

    fn no_history(&self, _: &mut dyn Write, _: &str) -> io::Result<()> {
        Err(unsupported("history"))
    }

    fn grouped(&self, _: &mut dyn Write, _: &Grouped) -> io::Result<()> {
        Err(unsupported("search --group"))
    }

    fn trend(&self, _: &mut dyn Write, _: &Trend) -> io::Result<()> {
        Err(unsupported("search --by"))
    }

    fn analysis(&self, _: &mut dyn Write, _: &Analysis) -> io::Result<()> {
        Err(unsupported("analyze"))
    }
}

/// The UTF-8 byte order mark Excel needs to read UTF-8.
pub const BOM: &str = "\u{feff}";

/// The field separator: `,` as RFC 4180 says, or `;` for Excel with Swedish settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Comma,
    Semicolon,
}

impl Separator {
    fn as_char(self) -> char {
        match self {
            Separator::Comma => ',',
            Separator::Semicolon => ';',
        }
    }
}

/// Columns of `search --csv`; `slipping --csv` adds [`SLIPPED`] first: `id`, each
/// facet's columns as its row of the table says, in [`CSV_ORDER`] (`status` holds the
/// Swedish label "inte genomfört", `status_code` the slug `ej_genomfort`), then
/// [`TEXT_COLUMNS`]. `unit` came last so that the columns before it kept their
/// positions.
pub fn columns() -> Vec<&'static str> {
    let facets = CSV_ORDER
        .iter()
        .flat_map(|f| f.spec().csv.iter().map(|(name, _)| *name));
    std::iter::once("id")
        .chain(facets)
        .chain(TEXT_COLUMNS)
        .collect()
}

/// The columns after the facets'.
pub const TEXT_COLUMNS: [&str; 6] = ["title", "thread", "passage", "file", "line", "unit"];

/// One row of [`columns`]: the document's id and facets, then its title, thread, the
/// passage, file, line and unit.
fn row(d: &Document, thread: String, passage: String) -> Vec<String> {
    let facets = CSV_ORDER
        .iter()
        .flat_map(|f| f.spec().csv.iter().map(|(_, value)| value(d)));
    std::iter::once(d.id.clone())
        .chain(facets)
        .chain([
            d.title.clone(),
            thread,
            passage,
            d.file.clone(),
            d.line.to_string(),
            d.unit.clone().unwrap_or_default(),
        ])
        .collect()
}

/// The extra first column of `slipping --csv`: reports the thread slipped through.
pub const SLIPPED: &str = "slipped";

/// Quote a field when RFC 4180 requires it (it holds the separator, a quote, CR or LF).
pub fn field(s: &str, sep: Separator) -> Cow<'_, str> {
    if s.contains([sep.as_char(), '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// Write one record, ended by CRLF.
pub fn record<S: AsRef<str>>(out: &mut dyn Write, sep: Separator, fields: &[S]) -> io::Result<()> {
    let line: Vec<Cow<str>> = fields.iter().map(|f| field(f.as_ref(), sep)).collect();
    let mut buf = [0u8; 4];
    out.write_all(line.join(&*sep.as_char().encode_utf8(&mut buf)).as_bytes())?;
    out.write_all(b"\r\n")
}

/// `search --csv`: the BOM, a header and one row per hit.
pub fn search(out: &mut dyn Write, sep: Separator, r: &Response) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    record(out, sep, &columns())?;
    for h in &r.hits {
        let passage = h.passages.first().map(|p| p.text.clone());
        let thread = h.doc.thread.clone();
        record(
            out,
            sep,
            &row(
                &h.doc,
                thread.unwrap_or_default(),
                passage.unwrap_or_default(),
            ),
        )?;
    }
    Ok(())
}

/// `slipping --csv`: the BOM, a header and one row per assignment report of each
/// slipping thread (goal-page lights are left out: they are not documents of their
/// own); the passage is the comment's first sentence.
pub fn slipping(out: &mut dyn Write, sep: Separator, slips: &[Slip]) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    let header: Vec<&str> = std::iter::once(SLIPPED).chain(columns()).collect();
    record(out, sep, &header)?;
    for s in slips {
        for e in s
            .timeline
            .entries
            .iter()
            .filter(|e| e.kind == crate::model::Kind::Uppdrag)
        {
            // The entry as a document, for the facet columns of the table.
            let d = Document {
                municipality: s.timeline.municipality.clone(),
                file: e.file.clone(),
                line: e.line,
                year: e.year,
                tertial: e.tertial,
                title: e.title.clone(),
                committees: e.committees.clone(),
                status: e.status,
                unit: e.unit.clone(),
                ..Document::new(e.id.clone(), e.kind)
            };
            let mut fields = vec![s.slipped.to_string()];
            fields.extend(row(
                &d,
                s.timeline.thread.clone(),
                e.comment.clone().unwrap_or_default(),
            ));
            record(out, sep, &fields)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header is the contract scripts read: the facet table must not change it.
    #[test]
    fn columns_are_the_contract() {
        assert_eq!(
            columns(),
            [
                "id",
                "kind",
                "municipality",
                "year",
                "tertial",
                "committees",
                "status",
                "status_code",
                "title",
                "thread",
                "passage",
                "file",
                "line",
                "unit",
            ]
        );
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        for (raw, want) in [
            ("plain", "plain"),
            ("Öka barns välbefinnande", "Öka barns välbefinnande"),
            ("VON, BUN", "\"VON, BUN\""),
            ("workshopen \"En dag\"", "\"workshopen \"\"En dag\"\"\""),
            ("två\nrader", "\"två\nrader\""),
            ("cr\r", "\"cr\r\""),
            ("", ""),
        ] {
            assert_eq!(field(raw, Separator::Comma), want, "{raw:?}");
        }
        let mut out = Vec::new();
        record(&mut out, Separator::Comma, &["a", "b,c", ""]).unwrap();
        assert_eq!(out, b"a,\"b,c\",\r\n");
    }

    #[test]
    fn semicolons_for_excel_quote_semicolons_not_commas() {
        let mut out = Vec::new();
        record(
            &mut out,
            Separator::Semicolon,
            &["a", "VON, BUN", "x;y", "\"q\""],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a;VON, BUN;\"x;y\";\"\"\"q\"\"\"\r\n"
        );
    }
}
