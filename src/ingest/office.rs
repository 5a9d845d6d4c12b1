//! Word (DOCX) and OpenDocument text (ODT): a zip archive read with a bound on what each
//! part unpacks to (a zip bomb is refused, not unpacked), and the document's XML read
//! with quick-xml: one line per paragraph (`w:p`; `text:p`, `text:h`), runs joined,
//! tabs and line breaks kept, soft hyphens dropped.

use super::{clean, Extracted, IngestError};
use crate::model::SourceFormat;
use quick_xml::events::Event;
use std::io::Read;

/// The most a document's XML part may unpack to.
pub const MAX_XML_BYTES: u64 = 64 << 20;

/// The OpenDocument text mimetype.
const ODT_MIMETYPE: &str = "application/vnd.oasis.opendocument.text";

/// What a zip file is: DOCX (holds `word/document.xml`), ODT (its `mimetype`), or `None`
/// (another zip: a spreadsheet, an archive). A zip that cannot be opened is judged by its
/// extension, so that a corrupt `.docx` is reported rather than skipped as unknown.
pub fn sniff_zip(path: &std::path::Path) -> Option<SourceFormat> {
    let by_ext = || match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("docx") => Some(SourceFormat::Docx),
        Some("odt") => Some(SourceFormat::Odt),
        _ => None,
    };
    let Ok(file) = std::fs::File::open(path) else {
        return by_ext();
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return by_ext();
    };
    if zip.index_for_name("word/document.xml").is_some() {
        return Some(SourceFormat::Docx);
    }
    let mut mimetype = String::new();
    let odt = zip
        .by_name("mimetype")
        .ok()
        .and_then(|f| f.take(200).read_to_string(&mut mimetype).ok())
        .is_some_and(|_| mimetype.trim() == ODT_MIMETYPE);
    odt.then_some(SourceFormat::Odt)
}

/// Unpack one part of a zip held in `bytes`, refusing to unpack more than
/// [`MAX_XML_BYTES`] whatever its header claims.
fn unpack(bytes: &[u8], part: &str, format: &'static str) -> Result<Vec<u8>, IngestError> {
    let broken = |reason: String| IngestError::Broken { format, reason };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| broken(format!("not a readable zip archive ({e})")))?;
    let file = zip
        .by_name(part)
        .map_err(|e| broken(format!("no {part} in the archive ({e})")))?;
    let too_big = || IngestError::TooBigUnpacked {
        part: part.to_string(),
        limit_mib: MAX_XML_BYTES >> 20,
    };
    if file.size() > MAX_XML_BYTES {
        return Err(too_big());
    }
    let mut out = Vec::new();
    file.take(MAX_XML_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| broken(format!("{part} does not unpack ({e})")))?;
    if out.len() as u64 > MAX_XML_BYTES {
        return Err(too_big());
    }
    Ok(out)
}

/// The text of a DOCX file.
pub fn extract_docx(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let xml = unpack(bytes, "word/document.xml", "DOCX")?;
    paragraphs(&xml, "DOCX", &Names::DOCX)
}

/// The text of an ODT file.
pub fn extract_odt(bytes: &[u8]) -> Result<Extracted, IngestError> {
    let xml = unpack(bytes, "content.xml", "ODT")?;
    paragraphs(&xml, "ODT", &Names::ODT)
}

/// The element names (local, without prefix) of one format.
struct Names {
    paragraphs: &'static [&'static [u8]],
    text: &'static [u8],
    tab: &'static [u8],
    line_break: &'static [&'static [u8]],
    /// An element standing for spaces (`text:s`, its count in `text:c`).
    spaces: Option<&'static [u8]>,
    /// An element whose text is not body text (deleted revisions, instructions).
    skipped: &'static [&'static [u8]],
}

impl Names {
    const DOCX: Names = Names {
        paragraphs: &[b"p"],
        text: b"t",
        tab: b"tab",
        line_break: &[b"br", b"cr"],
        spaces: None,
        skipped: &[b"instrText", b"delText"],
    };
    const ODT: Names = Names {
        paragraphs: &[b"p", b"h"],
        text: b"",
        tab: b"tab",
        line_break: &[b"line-break"],
        spaces: Some(b"s"),
        skipped: &[b"tracked-changes", b"annotation", b"note-citation"],
    };
}

/// Read the paragraphs of a document's XML into lines. A document that separates its
/// paragraphs with empty ones (as one converted from a text file) keeps them as they
/// are; one that separates them by style gets an empty line between paragraphs, as a
/// `.txt` report separates them.
fn paragraphs(xml: &[u8], format: &'static str, names: &Names) -> Result<Extracted, IngestError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut depth_in_p = 0usize;
    let mut skip = 0usize;
    // In DOCX only `w:t` holds text; in ODT every text node inside a paragraph does.
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| IngestError::Broken {
                format,
                reason: format!("bad XML at byte {} ({e})", reader.buffer_position()),
            })?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if names.skipped.contains(&name) {
                    skip += 1;
                } else if names.paragraphs.contains(&name) {
                    depth_in_p += 1;
                } else if name == names.text {
                    in_text = true;
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if depth_in_p > 0 && skip == 0 {
                    if name == names.tab {
                        cur.push(' ');
                    } else if names.line_break.contains(&name) {
                        cur.push('\n');
                    } else if Some(name) == names.spaces {
                        let n = e
                            .attributes()
                            .flatten()
                            .find(|a| a.key.local_name().as_ref() == b"c")
                            .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse().ok())
                            .unwrap_or(1usize);
                        cur.push_str(&" ".repeat(n.min(100)));
                    } else if name == b"noBreakHyphen" {
                        cur.push('-');
                    }
                } else if names.paragraphs.contains(&name) {
                    paras.push(String::new());
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if names.skipped.contains(&name) {
                    skip = skip.saturating_sub(1);
                } else if names.paragraphs.contains(&name) {
                    depth_in_p = depth_in_p.saturating_sub(1);
                    if depth_in_p == 0 {
                        paras.push(std::mem::take(&mut cur));
                    }
                } else if name == names.text {
                    in_text = false;
                }
            }
            Event::Text(t) if depth_in_p > 0 && skip == 0 && (in_text || names.text.is_empty()) => {
                let s = t.unescape().map_err(|e| IngestError::Broken {
                    format,
                    reason: format!("bad XML text ({e})"),
                })?;
                cur.push_str(&s);
            }
            Event::CData(t)
                if depth_in_p > 0 && skip == 0 && (in_text || names.text.is_empty()) =>
            {
                cur.push_str(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(lines_of(paras))
}

/// Paragraphs (each possibly holding line breaks) as the lines of a text.
fn lines_of(paras: Vec<String>) -> Extracted {
    let lines: Vec<Vec<String>> = paras
        .iter()
        .map(|p| p.split('\n').map(clean::normalize_chars).collect())
        .collect();
    let blank = lines
        .iter()
        .filter(|l| l.iter().all(String::is_empty))
        .count();
    let full = lines.len() - blank;
    // Empty paragraphs between the text ones: they are the spacing.
    let spaced_by_empty = blank * 5 >= full;
    let mut text = String::new();
    for p in lines {
        let empty = p.iter().all(String::is_empty);
        if empty && !spaced_by_empty {
            continue;
        }
        for l in p.iter().filter(|l| !l.is_empty() || empty) {
            text.push_str(l);
            text.push('\n');
            if empty {
                break;
            }
        }
        if !spaced_by_empty {
            text.push('\n');
        }
    }
    Extracted {
        text,
        ..Extracted::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCX_XML: &str = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>T3 2022 Uppdrag</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Öka </w:t></w:r><w:r><w:t>barns</w:t></w:r><w:r><w:softHyphen/><w:t>välbefinnande (KS)</w:t></w:r></w:p>
<w:p><w:r><w:t>Uppdraget är</w:t><w:tab/><w:t>genomfört.</w:t></w:r></w:p>
<w:p><w:r><w:delText>borttaget</w:delText><w:t>Kvar &amp; klart</w:t></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn docx_paragraphs_become_lines_and_paragraphs() {
        let e = paragraphs(DOCX_XML.as_bytes(), "DOCX", &Names::DOCX).unwrap();
        assert_eq!(
            e.text,
            "T3 2022 Uppdrag\n\nÖka barnsvälbefinnande (KS)\n\nUppdraget är genomfört.\n\nKvar & klart\n\n"
        );
    }

    #[test]
    fn odt_spaces_and_headings() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>
<text:h text:outline-level="1">Mål<text:s text:c="2"/>3</text:h><text:p/>
<text:p>Rad ett<text:line-break/>rad två</text:p><text:p/></office:text></office:body></office:document-content>"#;
        let e = paragraphs(xml.as_bytes(), "ODT", &Names::ODT).unwrap();
        assert_eq!(e.text, "Mål 3\n\nRad ett\nrad två\n\n");
    }

    #[test]
    fn broken_xml_is_an_error() {
        let e = paragraphs(b"<w:p><w:t>a</w:x></w:p>", "DOCX", &Names::DOCX);
        assert!(matches!(e, Err(IngestError::Broken { .. })), "{e:?}");
    }
}
