//! Saved web pages (HTML): the encoding from a byte-order mark, the page's own
//! declaration (`<meta charset>` or `http-equiv`), else UTF-8 when the bytes are valid
//! UTF-8, else Windows-1252; parsed with html5ever (via scraper); scripts, styles,
//! navigation, headers and footers of the page dropped; one paragraph per block element.
//! The ids of headings are kept as anchors (the way back to `page.html#id`).
//!
//! A page whose first line is an assignment-report header (a Stratsys published view)
//! has one assignment per heading: each heading after the first line is preceded by the
//! `.` line that the text export puts between assignments, so the parser cuts the blocks
//! where the page does.

use super::{clean, Extracted};
use scraper::Node;

/// Elements whose content is never text of the report.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "head", "header", "footer", "aside", "svg",
    "button", "form", "select", "iframe", "object",
];

/// Elements that stand on lines of their own.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "br",
    "hr",
    "body",
    "address",
    "details",
    "summary",
];

/// Script and style text above which a note is given.
const SCRIPT_NOTE_BYTES: usize = 1 << 20;

/// The encoding of an HTML page's bytes (see the module doc).
pub fn encoding_of(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    if let Some((e, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return e;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    if let Some(i) = lower.windows(8).position(|w| w == b"charset=") {
        let rest = &head[i + 8..];
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))
            .unwrap_or(rest);
        let end = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
            .unwrap_or(rest.len());
        if let Some(e) = encoding_rs::Encoding::for_label(&rest[..end]) {
            // A page saved as UTF-16 cannot declare it in ASCII; such a label means UTF-8.
            return if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                e
            };
        }
    }
    if std::str::from_utf8(bytes).is_ok() {
        encoding_rs::UTF_8
    } else {
        encoding_rs::WINDOWS_1252
    }
}

/// The text of an HTML page.
pub fn extract(bytes: &[u8]) -> Extracted {
    let (text, _, _) = encoding_of(bytes).decode(bytes);
    let doc = scraper::Html::parse_document(&text);
    drop(text);
    let mut lines: Vec<String> = Vec::new();
    let mut headings: Vec<(usize, Option<String>)> = Vec::new();
    let mut cur = String::new();
    let mut skip = 0usize;
    let mut dropped_bytes = 0usize;
    // The heading being read: its id (or the first id inside it).
    let mut heading: Option<Option<String>> = None;
    let flush = |cur: &mut String, lines: &mut Vec<String>| {
        let line = clean::normalize_chars(cur);
        cur.clear();
        if !line.is_empty() {
            lines.push(line);
        }
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip > 0 || DROPPED.contains(&name) || e.attr("role") == Some("navigation") {
                        skip += 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        flush(&mut cur, &mut lines);
                    }
                    if is_heading(name) {
                        heading = Some(e.id().map(str::to_string));
                    } else if let Some(h @ None) = heading.as_mut() {
                        *h = e.id().or_else(|| e.attr("name")).map(str::to_string);
                    }
                }
                Node::Text(t) if skip == 0 => cur.push_str(t),
                Node::Text(t) => dropped_bytes += t.len(),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    let name = e.name();
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        flush(&mut cur, &mut lines);
                    }
                    if is_heading(name) {
                        if let Some(id) = heading.take() {
                            headings.push((lines.len(), id));
                        }
                    }
                }
            }
        }
    }
    flush(&mut cur, &mut lines);
    let mut e = assemble(&lines, &headings);
    if dropped_bytes > SCRIPT_NOTE_BYTES {
        e.notes.push(format!(
            "{:.1} MiB of scripts, styles and navigation dropped",
            dropped_bytes as f64 / f64::from(1 << 20)
        ));
    }
    e
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Write the lines as paragraphs (an empty line after each), a `.` line before each
/// heading of an assignment report, and record the anchors' lines. `headings` holds,
/// for each heading, the number of lines read when it ended (its line is the one before).
fn assemble(lines: &[String], headings: &[(usize, Option<String>)]) -> Extracted {
    let report = lines
        .first()
        .is_some_and(|l| crate::parser::uppdrag::parse_header(l).is_some());
    let mut e = Extracted::default();
    let mut no = 1usize;
    let mut h = headings.iter().peekable();
    for (i, line) in lines.iter().enumerate() {
        let mut this: Option<&Option<String>> = None;
        while let Some((end, id)) = h.peek() {
            if *end == 0 || end - 1 < i {
                h.next();
                continue;
            }
            if end - 1 == i {
                this = Some(id);
                h.next();
            }
            break;
        }
        if let Some(id) = this {
            if report && i > 0 {
                e.text.push_str(".\n");
                no += 1;
            }
            if let Some(id) = id {
                e.anchors.push((no, id.clone()));
            }
        }
        e.text.push_str(line);
        e.text.push_str("\n\n");
        no += 2;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_and_detected_encodings() {
        let page = |meta: &str, body: &[u8]| {
            let mut b = format!("<html><head>{meta}</head><body><p>").into_bytes();
            b.extend_from_slice(body);
            b.extend_from_slice(b"</p></body></html>");
            b
        };
        for bytes in [
            page(
                r#"<meta charset="windows-1252">"#,
                b"M\xe5l och \xf6kad tillv\xe4xt",
            ),
            page(
                r#"<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">"#,
                b"M\xe5l och \xf6kad tillv\xe4xt",
            ),
            page("", "Mål och ökad tillväxt".as_bytes()),
            page("", b"M\xe5l och \xf6kad tillv\xe4xt"),
        ] {
            assert_eq!(extract(&bytes).text, "Mål och ökad tillväxt\n\n");
        }
    }

    #[test]
    fn scripts_navigation_are_dropped_and_headings_anchor() {
        let html = r#"<!DOCTYPE html><html><head><title>x</title><style>p{}</style></head>
<body><nav><a href="/">Start</a></nav><script>var a = "<p>nej</p>";</script>
<h1>T3 2022 Uppdrag. Kommentar T3 2022</h1>
<section><h2 id="u1">Öka barns välbefinnande <span>(KS)</span></h2>
<div class="status">Uppdraget är genomfört under året.</div><p>Ett&nbsp;arbete&shy;sätt.</p></section>
<section><h2><a name="u2"></a>Andra uppdraget (BUN)</h2><p>Text.</p></section>
<footer>Publicerad med Stratsys</footer></body></html>"#;
        let e = extract(html.as_bytes());
        assert_eq!(
            e.text,
            "T3 2022 Uppdrag. Kommentar T3 2022\n\n.\nÖka barns välbefinnande (KS)\n\n\
             Uppdraget är genomfört under året.\n\nEtt arbetesätt.\n\n.\n\
             Andra uppdraget (BUN)\n\nText.\n\n"
        );
        assert_eq!(e.anchors, [(4, "u1".to_string()), (11, "u2".to_string())]);
        assert!(e.notes.is_empty());
    }
}
