//! The Atom feed of a search (`/flode?q=...&filters`): the alert of issue 11. The same
//! query and filters as the search page ([`SearchParams`]), the matching documents
//! newest first by when they first appeared in the index
//! ([`crate::model::Document::first_seen`], [`Sort::FirstSeen`]), as an RFC 4287 feed a
//! feed reader polls. Every text is XML-escaped, and characters XML 1.0 cannot hold are
//! dropped, so no report can break the feed.
//!
//! Ids are `urn:rapportsok:` URNs built from the document id (the same on every machine
//! that serves a copy of the index); links are relative to the feed's own URL
//! (`/dok/<id>`), with `xml:base` from the request's host when it names one.

use super::handlers::{AppState, Failure};
use super::pages;
use super::params::{self, SearchParams};
use crate::model::Document;
use crate::searcher::{Hit, Response, Searcher, Sort};
use crate::timestamp::Timestamp;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response as HttpResponse};
use std::fmt::Write as _;
use std::sync::Arc;

/// Entries of one feed: the newest first-seen documents.
pub const FEED_SIZE: usize = 50;

/// The feed of the search in `raw` (the search page's query string) over `s`; `base` is
/// the site's absolute URL (`https://host`), if known, for `xml:base`.
pub fn feed(s: &Searcher, raw: &str, base: Option<&str>) -> Result<String, Failure> {
    let mut p = SearchParams::parse(raw)?.with_page(1);
    p.filters = s.resolve_filters(&p.filters)?;
    let mut req = p.request(1, FEED_SIZE)?;
    req.sort = Sort::FirstSeen;
    let response = s.search(&req)?;
    let fallback = s
        .info
        .as_ref()
        .and_then(|i| Timestamp::parse(&i.built_at).ok())
        .unwrap_or(Timestamp(0));
    Ok(render(&p, &response, base, fallback))
}

/// `GET /flode`: the feed, `application/atom+xml`; a bad parameter is a 400 page.
pub async fn handler(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> HttpResponse {
    let raw = raw.unwrap_or_default();
    let base = site_base(&headers);
    let searcher = state.live.searcher();
    let result = tokio::task::spawn_blocking(move || feed(&searcher, &raw, base.as_deref()))
        .await
        .unwrap_or(Err(Failure::Internal));
    match result {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/atom+xml; charset=utf-8"),
            )],
            body,
        )
            .into_response(),
        Err(e) => e.page(),
    }
}

/// `http://host` or, behind a proxy that says so (`X-Forwarded-Proto: https`),
/// `https://host`, from the request's `Host`; `None` when it holds anything but a
/// host name or address and a port.
fn site_base(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || ".-:[]".contains(c);
    if host.is_empty() || host.len() > 255 || !host.chars().all(plain) {
        return None;
    }
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    Some(format!("{}://{host}", if https { "https" } else { "http" }))
}

/// The Atom document. `fallback` is its `updated` when no entry has a `first_seen`
/// (the generation's build time).
pub fn render(p: &SearchParams, r: &Response, base: Option<&str>, fallback: Timestamp) -> String {
    let search_url = p.url("/sok");
    let self_url = p.url("/flode");
    let updated = r
        .hits
        .iter()
        .filter_map(|h| h.doc.first_seen)
        .max()
        .unwrap_or(fallback);
    let mut out = String::with_capacity(4096 + r.hits.len() * 1024);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"",
    );
    if let Some(b) = base {
        let _ = write!(out, " xml:base=\"{}/\"", xml(b.trim_end_matches('/')));
    }
    out.push_str(">\n");
    let _ = writeln!(
        out,
        "  <id>urn:rapportsok:flode:{}</id>",
        xml(&params::segment(self_url.trim_start_matches("/flode?")))
    );
    let _ = writeln!(out, "  <title>{}</title>", xml(&title(p)));
    let _ = writeln!(
        out,
        "  <subtitle>Dokument som matchar sökningen, nyast först efter när de kom in i indexet \
         ({} av {}).</subtitle>",
        r.hits.len(),
        r.total
    );
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml(&self_url)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&search_url)
    );
    out.push_str("  <author><name>Rapportsök</name></author>\n");
    out.push_str("  <generator>rapportsok</generator>\n");
    for h in &r.hits {
        entry(&mut out, h, fallback);
    }
    out.push_str("</feed>\n");
    out
}

/// The feed's title: the query and the active filters.
fn title(p: &SearchParams) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !p.q.is_empty() {
        parts.push(format!("”{}”", p.q));
    }
    for (facet, value) in p.chips() {
        parts.push(format!(
            "{}: {}",
            facet.spec().label,
            (facet.spec().display)(&value)
        ));
    }
    if parts.is_empty() {
        "Rapportsök: nya dokument".to_string()
    } else {
        format!("Rapportsök: nytt för {}", parts.join(", "))
    }
}

fn entry(out: &mut String, h: &Hit, fallback: Timestamp) {
    let d = &h.doc;
    let seen = d.first_seen.unwrap_or(fallback);
    let _ = writeln!(out, "  <entry>");
    let _ = writeln!(
        out,
        "    <id>urn:rapportsok:dok:{}</id>",
        xml(&params::segment(&d.id))
    );
    let title = if d.title.trim().is_empty() {
        d.id.as_str()
    } else {
        d.title.as_str()
    };
    let _ = writeln!(out, "    <title>{}</title>", xml(title));
    let _ = writeln!(out, "    <updated>{seen}</updated>");
    let _ = writeln!(out, "    <published>{seen}</published>");
    let _ = writeln!(
        out,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml(&pages::doc_url(&d.id))
    );
    if let Some(s) = d.status {
        let _ = writeln!(
            out,
            "    <category term=\"{}\" label=\"{}\"/>",
            s.as_str(),
            xml(s.label())
        );
    }
    let passage = h.passages.first().map_or("", |p| p.text.as_str());
    let _ = writeln!(
        out,
        "    <summary type=\"text\">{}</summary>",
        xml(&summary(d, passage))
    );
    let _ = writeln!(out, "  </entry>");
}

/// Municipality · period · committees · status, then the best passage.
fn summary(d: &Document, passage: &str) -> String {
    let mut facts: Vec<String> = Vec::new();
    if let Some(m) = &d.municipality {
        facts.push(m.clone());
    }
    facts.push(pages::period(d));
    if !d.committees.is_empty() {
        let c: Vec<&str> = d.committees.iter().map(|c| c.as_str()).collect();
        facts.push(c.join(", "));
    }
    if let Some(s) = d.status {
        facts.push(s.label().to_string());
    }
    let facts = facts.join(" · ");
    if passage.is_empty() {
        facts
    } else {
        format!("{facts}\n\n{passage}")
    }
}

/// Text as XML character data or an attribute value: `& < > " '` escaped, and the
/// characters XML 1.0 cannot hold (controls but tab, newline and carriage return;
/// U+FFFE, U+FFFF) dropped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Status};
    use crate::searcher::facets::FacetCounts;

    fn hit(id: &str, title: &str, seen: u64) -> Hit {
        Hit {
            doc: Document {
                title: title.into(),
                year: Some(2023),
                status: Some(Status::EjGenomfort),
                first_seen: Some(Timestamp(seen)),
                ..Document::new(id, Kind::Uppdrag)
            },
            score: None,
            passages: Vec::new(),
            title_highlights: Vec::new(),
            explanation: Vec::new(),
        }
    }

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml("<script>\"a\" & 'b'</script>\u{1}\u{b}\tok\u{ffff}"),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;\tok"
        );
    }

    #[test]
    fn a_feed_has_ids_updated_links_and_escaped_text() {
        let p = SearchParams::parse("q=%3Cb%3E&namnd=KS").unwrap();
        let r = Response {
            query: p.q.clone(),
            total: 2,
            offset: 0,
            hits: vec![
                hit("k/2023-T3.txt#2", "Ny <img onerror=x> & mer", 2_000_000_000),
                hit("k/2023-T3.txt#1", "Äldre", 1_000_000_000),
            ],
            facets: FacetCounts::default(),
            relaxed: false,
            suggestions: Vec::new(),
            suggested_committees: Vec::new(),
            truncated: false,
            relaxation: None,
            expansions: Vec::new(),
        };
        let atom = render(&p, &r, Some("https://sok.example/"), Timestamp(5));
        assert!(atom.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://sok.example/\">"), "{atom}");
        // The feed's updated is its newest entry's.
        assert!(
            atom.contains("  <updated>2033-05-18T03:33:20Z</updated>"),
            "{atom}"
        );
        assert!(atom.contains("<id>urn:rapportsok:dok:k%2F2023-T3.txt%232</id>"));
        assert!(atom.contains("href=\"/dok/k%2F2023-T3.txt%232\""));
        assert!(atom.contains("<title>Ny &lt;img onerror=x&gt; &amp; mer</title>"));
        assert!(atom.contains("”&lt;b&gt;”"), "{atom}");
        assert!(!atom.contains("<img") && !atom.contains("<b>"));
        assert!(atom.contains("href=\"/sok?q=%3Cb%3E&amp;"), "{atom}");
        assert_eq!(atom.matches("<entry>").count(), 2);
        let first = atom.find("k%2F2023-T3.txt%232").unwrap();
        let second = atom.find("k%2F2023-T3.txt%231").unwrap();
        assert!(first < second);
        // No entry: the fallback time.
        let empty = Response {
            hits: Vec::new(),
            total: 0,
            ..r
        };
        let atom = render(&p, &empty, None, Timestamp(5));
        assert!(atom.contains("<updated>1970-01-01T00:00:05Z</updated>"));
        assert!(!atom.contains("xml:base"));
    }
}
