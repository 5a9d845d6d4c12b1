//! CSV for spreadsheets: RFC 4180 (comma-separated, CRLF line ends, a field quoted when
//! it holds a comma, a double quote, CR or LF, quotes doubled inside), UTF-8 with a byte
//! order mark so that Excel reads å, ä and ö correctly. One row per document: `search
//! --csv` and `slipping --csv`. `--csv-excel` writes the same with `;` between fields,
//! which Excel with Swedish (or other comma-decimal) settings expects on double-click. Written by hand: the quoting rules are a dozen lines and
//! the output is write-only, so the `csv` crate would add a dependency for nothing.

use crate::history::Slip;
use crate::model::Status;
use crate::searcher::Response;
use std::borrow::Cow;
use std::io::{self, Write};

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

/// Columns of `search --csv`; `slipping --csv` adds [`SLIPPED`] first. `status` holds
/// the Swedish label ("inte genomfört"), `status_code` the slug (`ej_genomfort`). `unit`
/// came last so that the columns before it kept their positions.
pub const COLUMNS: [&str; 14] = [
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
];

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

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// The `status` and `status_code` fields: the Swedish label and the slug.
fn status(s: Option<Status>) -> [String; 2] {
    [opt(s.map(Status::label)), opt(s.map(Status::as_str))]
}

/// `search --csv`: the BOM, a header and one row per hit.
pub fn search(out: &mut dyn Write, sep: Separator, r: &Response) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    record(out, sep, &COLUMNS)?;
    for h in &r.hits {
        let d = &h.doc;
        let [status, status_code] = status(d.status);
        record(
            out,
            sep,
            &[
                d.id.clone(),
                d.kind.as_str().to_string(),
                opt(d.municipality.as_deref()),
                opt(d.year),
                opt(d.tertial),
                committees(&d.committees),
                status,
                status_code,
                d.title.clone(),
                opt(d.thread.as_deref()),
                h.passages
                    .first()
                    .map(|p| p.text.clone())
                    .unwrap_or_default(),
                d.file.clone(),
                d.line.to_string(),
                opt(d.unit.as_deref()),
            ],
        )?;
    }
    Ok(())
}

/// `slipping --csv`: the BOM, a header and one row per assignment report of each
/// slipping thread (goal-page lights are left out: they are not documents of their
/// own); the passage is the comment's first sentence.
pub fn slipping(out: &mut dyn Write, sep: Separator, slips: &[Slip]) -> io::Result<()> {
    out.write_all(BOM.as_bytes())?;
    let header: Vec<&str> = std::iter::once(SLIPPED).chain(COLUMNS).collect();
    record(out, sep, &header)?;
    for s in slips {
        for e in s
            .timeline
            .entries
            .iter()
            .filter(|e| e.kind == crate::model::Kind::Uppdrag)
        {
            let [status, status_code] = status(e.status);
            record(
                out,
                sep,
                &[
                    s.slipped.to_string(),
                    e.id.clone(),
                    e.kind.as_str().to_string(),
                    opt(s.timeline.municipality.as_deref()),
                    opt(e.year),
                    opt(e.tertial),
                    committees(&e.committees),
                    status,
                    status_code,
                    e.title.clone(),
                    s.timeline.thread.clone(),
                    opt(e.comment.as_deref()),
                    e.file.clone(),
                    e.line.to_string(),
                    opt(e.unit.as_deref()),
                ],
            )?;
        }
    }
    Ok(())
}

fn committees(c: &[crate::model::Committee]) -> String {
    c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
