//! Reading what municipalities publish: recognising a corpus file's format by its content
//! (magic bytes and structure, the extension only as a hint) and turning a PDF, a Word
//! (DOCX) or OpenDocument (ODT) file or a saved web page (HTML) into text that reads like
//! the report, for the parser to read exactly as a `.txt` file. It also keeps the way back:
//! the line on which each PDF page starts and the heading anchors of an HTML page.
//!
//! Every extractor is bounded (input size, decompressed size, text size) and runs under
//! `catch_unwind`: a bad file becomes an [`IngestError`] that the indexer turns into a
//! warning naming the file; it never stops a build. This module does not parse reports
//! (that is `crate::parser`) and knows nothing of the index.

pub mod clean;
pub mod html;
pub mod office;
pub mod pdf;

use crate::model::SourceFormat;
use std::io::Read;
use std::path::Path;

/// The largest PDF, DOCX, ODT or HTML file read (bytes on disk).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;
/// The most text kept from one file (bytes of UTF-8); the rest is cut with a warning.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// Why a file could not be read. Each becomes a warning "file: message; skipped".
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    /// A password-protected (encrypted) PDF that does not open with an empty password.
    #[error(
        "encrypted (password-protected) PDF: its text cannot be read; save a copy without \
         a password and index that"
    )]
    Encrypted,
    /// A PDF whose pages carry no text at all: a scan.
    #[error(
        "no text layer on any of its {pages} page(s): a scanned document? OCR is out of scope \
         for rapportsok; add a text layer with an OCR tool (e.g. ocrmypdf) and index again"
    )]
    NoText {
        /// The number of pages.
        pages: usize,
    },
    /// A file that does not parse as its format.
    #[error("broken {format} file: {reason}")]
    Broken {
        /// The format it looked like (`PDF`, `DOCX`, ...).
        format: &'static str,
        /// What the reader said.
        reason: String,
    },
    /// A compressed part that would unpack to more than the bound (a zip bomb?).
    #[error("{part} unpacks to more than {limit_mib} MiB (a zip bomb?); not read")]
    TooBigUnpacked {
        /// The part of the archive.
        part: String,
        /// The bound in MiB.
        limit_mib: u64,
    },
    /// A file larger than [`MAX_INPUT_BYTES`].
    #[error("{format} file of {mib} MiB, over the {limit_mib} MiB read; not read")]
    TooLarge {
        /// The format.
        format: &'static str,
        /// Its size in MiB.
        mib: u64,
        /// The bound in MiB.
        limit_mib: u64,
    },
    /// The extractor panicked (a bug in it, met on an unusual file).
    #[error("the {format} reader failed on this file ({reason})")]
    Panicked {
        /// The format.
        format: &'static str,
        /// The panic message.
        reason: String,
    },
    /// The file could not be read from disk.
    #[error("cannot read: {0}")]
    Io(String),
}

/// Text extracted from a file, with what leads back to where each part came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The text, paragraphs separated by a blank line, as a `.txt` report is written.
    pub text: String,
    /// For a paged format, the 1-based line of [`Extracted::text`] on which each page
    /// starts (page 1 first); empty otherwise.
    pub page_lines: Vec<usize>,
    /// For HTML, the 1-based line of each heading that has an id, and the id.
    pub anchors: Vec<(usize, String)>,
    /// Notes about the file that are worth a warning (text cut, pages without text).
    pub notes: Vec<String>,
}

impl Extracted {
    /// The 1-based page on which `line` stands (`None` for an unpaged format).
    pub fn page_of(&self, line: usize) -> Option<u32> {
        if self.page_lines.is_empty() {
            return None;
        }
        let n = self.page_lines.partition_point(|&start| start <= line);
        Some(n.max(1) as u32)
    }

    /// The id of the nearest heading at or before `line` (HTML), if any.
    pub fn anchor_of(&self, line: usize) -> Option<&str> {
        let n = self.anchors.partition_point(|(l, _)| *l <= line);
        n.checked_sub(1).map(|i| self.anchors[i].1.as_str())
    }
}

/// Recognise a file's format from its first bytes (`head`, a few KiB) and its name.
/// `%PDF-` is a PDF, a zip holding `word/document.xml` a DOCX, a zip whose `mimetype` is
/// an OpenDocument text an ODT, markup that opens like a web page HTML; a `.txt` file (or
/// one whose extension is in `extra`, from `--include`) that is none of these is plain
/// text, as before. Anything else (a spreadsheet, an image) is `None`: unknown.
pub fn sniff(path: &Path, head: &[u8], extra: &[String]) -> Option<SourceFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if find_pdf_magic(head) {
        return Some(SourceFormat::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") {
        if let Some(f) = office::sniff_zip(path) {
            return Some(f);
        }
    }
    if looks_like_html(head, &ext) {
        return Some(SourceFormat::Html);
    }
    let listed = ext == "txt" || extra.iter().any(|e| e.trim_start_matches('.') == ext);
    listed.then_some(SourceFormat::Txt)
}

/// `%PDF-` in the first KiB (the standard allows bytes before it).
fn find_pdf_magic(head: &[u8]) -> bool {
    head[..head.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// Markup that opens like a web page: after a byte-order mark, blanks and comments,
/// `<!doctype html`, `<html`, `<head` or `<meta`; or any tag in a `.html`/`.htm` file.
fn looks_like_html(head: &[u8], ext: &str) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let s = &head[start..];
    let lower: Vec<u8> = s.iter().take(64).map(u8::to_ascii_lowercase).collect();
    let opens = [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<meta",
        b"<!--",
    ]
    .iter()
    .any(|p| lower.starts_with(p));
    opens || ((ext == "html" || ext == "htm" || ext == "xhtml") && lower.first() == Some(&b'<'))
}

/// Read the first `n` bytes of a file (fewer when it is shorter).
pub fn read_head(path: &Path, n: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    std::fs::File::open(path)?
        .take(n as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// Extract the text of a file of a format other than plain text. Bounded and panic-safe:
/// any failure is an [`IngestError`].
pub fn extract(path: &Path, format: SourceFormat) -> Result<Extracted, IngestError> {
    let name = format_name(format);
    let len = std::fs::metadata(path)
        .map_err(|e| IngestError::Io(e.to_string()))?
        .len();
    if len > MAX_INPUT_BYTES {
        return Err(IngestError::TooLarge {
            format: name,
            mib: len >> 20,
            limit_mib: MAX_INPUT_BYTES >> 20,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| IngestError::Io(e.to_string()))?;
    guarded(name, || match format {
        SourceFormat::Pdf => pdf::extract(&bytes),
        SourceFormat::Docx => office::extract_docx(&bytes),
        SourceFormat::Odt => office::extract_odt(&bytes),
        SourceFormat::Html => Ok(html::extract(&bytes)),
        SourceFormat::Txt => Err(IngestError::Broken {
            format: name,
            reason: "plain text is read by the corpus reader".into(),
        }),
    })
    .map(bound_text)
}

/// The name of a format in messages (`PDF`).
pub fn format_name(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Txt => "text",
        SourceFormat::Pdf => "PDF",
        SourceFormat::Docx => "DOCX",
        SourceFormat::Odt => "ODT",
        SourceFormat::Html => "HTML",
    }
}

/// Run a third-party extractor, turning a panic into [`IngestError::Panicked`].
fn guarded(
    format: &'static str,
    f: impl FnOnce() -> Result<Extracted, IngestError>,
) -> Result<Extracted, IngestError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let reason = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into());
        Err(IngestError::Panicked { format, reason })
    })
}

/// Cut the text at [`MAX_TEXT_BYTES`] (at a line break), with a note.
fn bound_text(mut e: Extracted) -> Extracted {
    if e.text.len() > MAX_TEXT_BYTES {
        let mut cut = MAX_TEXT_BYTES;
        while !e.text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = e.text[..cut].rfind('\n').map_or(cut, |i| i + 1);
        e.text.truncate(cut);
        e.notes.push(format!(
            "more than {} MiB of text: the rest is not indexed",
            MAX_TEXT_BYTES >> 20
        ));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_recognised_by_content_with_the_extension_as_a_hint() {
        let p = Path::new;
        let none: &[String] = &[];
        assert_eq!(
            sniff(p("a.txt"), b"%PDF-1.4\n", none),
            Some(SourceFormat::Pdf)
        );
        assert_eq!(
            sniff(p("a.bin"), b"%PDF-1.7\n", none),
            Some(SourceFormat::Pdf)
        );
        assert_eq!(
            sniff(p("a.txt"), "Mål".as_bytes(), none),
            Some(SourceFormat::Txt)
        );
        assert_eq!(sniff(p("a.md"), b"text", none), None);
        assert_eq!(
            sniff(p("a.md"), b"text", &["md".into()]),
            Some(SourceFormat::Txt)
        );
        assert_eq!(
            sniff(p("x"), b"\xEF\xBB\xBF  <!DOCTYPE html><html>", none),
            Some(SourceFormat::Html)
        );
        assert_eq!(
            sniff(p("x.htm"), b"<div>hej</div>", none),
            Some(SourceFormat::Html)
        );
        assert_eq!(
            sniff(p("x.txt"), b"<div>hej</div>", none),
            Some(SourceFormat::Txt)
        );
        assert_eq!(sniff(p("x.png"), b"\x89PNG\r\n\x1a\n", none), None);
    }

    #[test]
    fn pages_and_anchors_are_found_by_line() {
        let e = Extracted {
            page_lines: vec![1, 10, 20],
            anchors: vec![(3, "a".into()), (15, "b".into())],
            ..Extracted::default()
        };
        assert_eq!(e.page_of(1), Some(1));
        assert_eq!(e.page_of(9), Some(1));
        assert_eq!(e.page_of(10), Some(2));
        assert_eq!(e.page_of(25), Some(3));
        assert_eq!(e.anchor_of(2), None);
        assert_eq!(e.anchor_of(3), Some("a"));
        assert_eq!(e.anchor_of(16), Some("b"));
        assert_eq!(Extracted::default().page_of(4), None);
    }

    #[test]
    fn a_panicking_reader_is_an_error() {
        let r = guarded("PDF", || panic!("boom"));
        assert_eq!(
            r,
            Err(IngestError::Panicked {
                format: "PDF",
                reason: "boom".into()
            })
        );
    }

    /// The documents of a text as (title, committees, status, period): what must be the
    /// same whatever format the report came in.
    fn shape_of(rel: &str, text: &str) -> Vec<String> {
        crate::parser::parse_file(rel, text)
            .documents
            .iter()
            .map(|d| {
                let cs: Vec<&str> = d.committees.iter().map(|c| c.as_str()).collect();
                format!(
                    "{} | {} | {:?} | {:?} {:?}",
                    d.title,
                    cs.join(","),
                    d.status,
                    d.year,
                    d.tertial
                )
            })
            .collect()
    }

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ingest")
            .join(name)
    }

    #[test]
    fn each_fixture_yields_the_documents_of_its_text_source() {
        for (name, source, format) in [
            ("lo-2022-T3.pdf", "2022-T3.txt", SourceFormat::Pdf),
            ("rl-2021-T3-columns.pdf", "2021-T3.txt", SourceFormat::Pdf),
            ("lo-2022-T1.docx", "2022-T1.txt", SourceFormat::Docx),
            ("lo-2022-T1.odt", "2022-T1.txt", SourceFormat::Odt),
            ("stratsys-2023-T3.html", "2023-T3.txt", SourceFormat::Html),
        ] {
            let path = fixture(name);
            let head = read_head(&path, 1024).unwrap();
            assert_eq!(sniff(&path, &head, &[]), Some(format), "{name}");
            let got = extract(&path, format).unwrap_or_else(|e| panic!("{name}: {e}"));
            let txt = std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("corpus/ostersund")
                    .join(source),
            )
            .unwrap();
            let want = shape_of(&format!("ostersund/{source}"), &txt);
            assert!(want.len() >= 5, "{source}");
            assert_eq!(
                shape_of(&format!("ostersund/{source}"), &got.text),
                want,
                "{name}"
            );
            let parsed = crate::parser::parse_file("ostersund/x", &got.text);
            assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
        }
    }

    #[test]
    fn pdf_pages_are_the_pages_the_producer_drew_on() {
        let path = fixture("rl-2021-T3-columns.pdf");
        let got = extract(&path, SourceFormat::Pdf).unwrap();
        let expected = std::fs::read_to_string(fixture("rl-2021-T3-columns.pages")).unwrap();
        let docs = crate::parser::parse_file("ostersund/2021-T3.pdf", &got.text).documents;
        let mut pages = std::collections::BTreeSet::new();
        for line in expected.lines() {
            let (title, page) = line.split_once('\t').unwrap();
            let page: u32 = page.parse().unwrap();
            let title = title.rsplit_once(" (").map_or(title, |(t, _)| t);
            let d = docs
                .iter()
                .find(|d| d.title == title)
                .unwrap_or_else(|| panic!("{title}"));
            assert_eq!(got.page_of(d.line), Some(page), "{title}");
            pages.insert(page);
        }
        assert!(pages.len() >= 2, "the fixture spans pages: {pages:?}");
        // The running header and the "Sida N av M" footers are gone, the hyphenated
        // words joined, and å/ä/ö read.
        assert!(!got.text.contains("Östersunds kommun –"), "{}", got.text);
        assert!(!got.text.contains("Sida 1"));
        assert!(got.text.contains("hållbarhetsanalys\n"));
        assert!(!got.text.contains("hållbarhetsana-"));
        assert!(got.text.contains("ekonomidirektörstjänsten"));
    }

    #[test]
    fn html_documents_carry_their_heading_anchor() {
        let got = extract(&fixture("stratsys-2023-T3.html"), SourceFormat::Html).unwrap();
        let docs = crate::parser::parse_file("ostersund/2023-T3.html", &got.text).documents;
        for (i, d) in docs.iter().enumerate() {
            assert_eq!(
                got.anchor_of(d.line),
                Some(format!("uppdrag-{}", i + 1).as_str())
            );
        }
        assert!(!got.text.contains("window.stratsys"));
        assert!(!got.text.contains("Nyckeltal"));
    }

    #[test]
    fn bad_files_are_errors_that_say_why() {
        let e = extract(&fixture("encrypted.pdf"), SourceFormat::Pdf);
        assert_eq!(e, Err(IngestError::Encrypted));
        let e = extract(&fixture("scanned.pdf"), SourceFormat::Pdf).unwrap_err();
        assert_eq!(e, IngestError::NoText { pages: 1 });
        assert!(e.to_string().contains("OCR is out of scope"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        // A PDF cut in half, garbage after the magic bytes, a zip that is no zip.
        let pdf = std::fs::read(fixture("lo-2022-T3.pdf")).unwrap();
        for (name, bytes, format) in [
            ("cut.pdf", pdf[..pdf.len() / 2].to_vec(), SourceFormat::Pdf),
            (
                "junk.pdf",
                b"%PDF-1.7\n\x00\x01garbage".to_vec(),
                SourceFormat::Pdf,
            ),
            (
                "bad.docx",
                b"PK\x03\x04garbage".to_vec(),
                SourceFormat::Docx,
            ),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            let e = extract(&p, format);
            assert!(
                matches!(
                    e,
                    Err(IngestError::Broken { .. } | IngestError::Panicked { .. })
                ),
                "{name}: {e:?}"
            );
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_unread() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bomb.docx");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", opts).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..(office::MAX_XML_BYTES >> 20) + 1 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
        assert!(std::fs::metadata(&p).unwrap().len() < 1 << 20);
        let e = extract(&p, SourceFormat::Docx);
        assert!(
            matches!(e, Err(IngestError::TooBigUnpacked { .. })),
            "{e:?}"
        );
    }
}
