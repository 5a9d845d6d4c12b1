//! Goal pages (`Kind::Mal`): a page titled "Mål 1 - ..." or "Mål: Infrastruktur", cut into
//! one document per non-empty section.
//!
//! Rules: a heading is a whole line whose wording is one of [`HEADINGS`] (any case,
//! punctuation and spacing ignored), optionally followed by a year ("Nyckeltal 2023",
//! "Summering år 2022"); it may stand alone or open a paragraph. Text before the first
//! heading is the section "Inledning". A line that is only "Röd"/"Gul"/"Grön"
//! ([`Light::parse`]) makes the next paragraph a traffic-light item of the section (title
//! without its committee group, committees) instead of body text. A line
//! "Sidan uppdaterad `<date>`" sets `updated` on every document of the page and is not body
//! text. Everything else (image descriptions, stray lines) is body text of its section.

use super::committee;
use super::normalize::{join_paragraphs, year_token, Line, Paragraph};
use super::Sink;
use crate::model::{fold_slug, Kind, Light, LightItem};

/// Section headings of a goal page, folded with [`fold_slug`] (words joined by `_`).
pub const HEADINGS: &[&str] = &[
    "sa_har_gor_vi_for_att_na_malet",
    "sa_har_gjorde_vi_for_att_na_malet",
    "summering",
    "uppdrag_fran_fullmaktige",
    "uppdrag_fran_kommunfullmaktige",
    "namndernas_egna_uppdrag",
    "nyckeltal",
    "investeringar",
    "avstamning_mot_politisk_text",
    "helhetsbedomning",
];

/// The section name used for the text before the first heading.
pub const INTRO_SECTION: &str = "Inledning";

/// Whether a first line is a goal title: "Mål" followed by a number ("Mål 1 - ...",
/// "Mål 2: ...") or by a colon ("Mål: Infrastruktur"), any case.
pub fn is_goal_title(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let Some(rest) = lower.strip_prefix("mål") else {
        return false;
    };
    if rest.starts_with(':') {
        return true;
    }
    rest.starts_with(' ') && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// Recognise a heading line; returns its year (if it ends in one) when it is a heading.
pub fn heading(line: &str) -> Option<Option<u16>> {
    if line.chars().count() > 80 {
        return None;
    }
    let folded = fold_slug(line);
    let mut toks: Vec<&str> = folded.split('_').filter(|t| !t.is_empty()).collect();
    let year = toks.last().and_then(|t| year_token(t));
    if year.is_some() {
        toks.pop();
        if toks.last() == Some(&"ar") {
            toks.pop();
        }
    }
    let base = toks.join("_");
    HEADINGS.contains(&base.as_str()).then_some(year)
}

/// "Sidan uppdaterad 2024-01-18" (or "Senast uppdaterad ...") -> the date as written.
pub fn updated_line(line: &str) -> Option<String> {
    let mut words = line.split_whitespace();
    let first = fold_slug(words.next()?);
    let second = fold_slug(words.next()?);
    if !matches!(first.as_str(), "sidan" | "senast") || second != "uppdaterad" {
        return None;
    }
    let rest = words.collect::<Vec<_>>().join(" ");
    let rest = rest.trim_end_matches('.').trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

/// One piece of a goal page after line-level recognition.
enum Unit {
    Heading {
        line: usize,
        text: String,
        year: Option<u16>,
    },
    Light {
        line: usize,
        light: Light,
        text: String,
    },
    Para(Paragraph),
}

/// A section being collected.
struct Section {
    heading: String,
    line: Option<usize>,
    year: Option<u16>,
    body: Vec<String>,
    items: Vec<LightItem>,
}

impl Section {
    fn new(heading: String, line: Option<usize>, year: Option<u16>) -> Self {
        Section {
            heading,
            line,
            year,
            body: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// Cut the lines after the title into headings, light lines and paragraphs.
fn units(lines: &[Line]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut cur = Paragraph::default();
    let close = |cur: &mut Paragraph, out: &mut Vec<Unit>| {
        if !cur.lines.is_empty() {
            out.push(Unit::Para(std::mem::take(cur)));
        }
    };
    for l in lines {
        let t = l.text.as_str();
        if t.is_empty() {
            close(&mut cur, &mut out);
        } else if let Some(year) = heading(t) {
            close(&mut cur, &mut out);
            out.push(Unit::Heading {
                line: l.no,
                text: t.to_string(),
                year,
            });
        } else if let Some(light) = Light::parse(t) {
            close(&mut cur, &mut out);
            out.push(Unit::Light {
                line: l.no,
                light,
                text: t.to_string(),
            });
        } else {
            if cur.lines.is_empty() {
                cur.line = l.no;
            }
            cur.lines.push(l.clone());
        }
    }
    close(&mut cur, &mut out);
    out
}

/// Parse a goal page whose title is `lines[title_idx]`.
pub(crate) fn parse(sink: &mut Sink, lines: &[Line], title_idx: usize) {
    let title = lines
        .get(title_idx)
        .map(|l| l.text.clone())
        .unwrap_or_default();
    let rest = lines.get(title_idx + 1..).unwrap_or(&[]);
    let mut updated = None;
    let content: Vec<Line> = rest
        .iter()
        .filter(|l| match updated_line(&l.text) {
            Some(date) => {
                updated.get_or_insert(date);
                false
            }
            None => true,
        })
        .cloned()
        .collect();

    let mut sections: Vec<Section> = Vec::new();
    let mut cur = Section::new(INTRO_SECTION.to_string(), None, None);
    let mut last_year = None;
    let mut pending: Option<(usize, Light, String)> = None;
    for unit in units(&content) {
        match unit {
            Unit::Heading { line, text, year } => {
                lone_light(sink, &mut cur, pending.take());
                sections.push(cur);
                last_year = year.or(last_year);
                cur = Section::new(text, Some(line), last_year);
            }
            Unit::Light { line, light, text } => {
                lone_light(sink, &mut cur, pending.take());
                pending = Some((line, light, text));
            }
            Unit::Para(p) => {
                if let Some((line, light, _)) = pending.take() {
                    let (item_title, committees) = committee::split_title(&p.text());
                    cur.line.get_or_insert(line);
                    cur.items.push(LightItem {
                        light,
                        title: item_title,
                        committees,
                        thread: None,
                    });
                } else {
                    cur.line.get_or_insert(p.line);
                    cur.body.push(p.text());
                }
            }
        }
    }
    lone_light(sink, &mut cur, pending.take());
    sections.push(cur);

    for s in sections {
        if s.body.is_empty() && s.items.is_empty() {
            continue;
        }
        let mut doc = sink.document(Kind::Mal, s.line.unwrap_or(1));
        doc.year = s.year;
        doc.title = title.clone();
        doc.section = Some(s.heading);
        doc.body = join_paragraphs(&s.body);
        doc.updated = updated.clone();
        doc.items = s.items;
        sink.push(doc);
    }
}

/// A light line with no assignment after it: warn and keep the word as body text.
fn lone_light(sink: &mut Sink, cur: &mut Section, pending: Option<(usize, Light, String)>) {
    if let Some((line, _, text)) = pending {
        sink.warn(
            line,
            format!("traffic light '{text}' with no assignment title after it"),
        );
        cur.line.get_or_insert(line);
        cur.body.push(text);
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_file;
    use super::*;
    use crate::model::Committee;

    #[test]
    fn goal_titles() {
        for (line, want) in [
            ("Mål 1 - I Östersunds kommun har vi en tillväxt", true),
            ("Mål: Infrastruktur", true),
            ("MÅL 12: Trygghet", true),
            ("Mål och budget 2023", false),
            ("Målet är nått", false),
            ("Mål", false),
            ("", false),
        ] {
            assert_eq!(is_goal_title(line), want, "{line}");
        }
    }

    #[test]
    fn headings() {
        for (line, want) in [
            ("Så här gör vi för att nå målet 2023", Some(Some(2023))),
            ("Så här gjorde vi för att nå målet 2022", Some(Some(2022))),
            ("Summering 2022", Some(Some(2022))),
            ("Summering år 2022", Some(Some(2022))),
            ("Uppdrag från fullmäktige", Some(None)),
            ("UPPDRAG FRÅN FULLMÄKTIGE 2023", Some(Some(2023))),
            ("Nämndernas egna uppdrag 2022", Some(Some(2022))),
            ("Nyckeltal:", Some(None)),
            ("Investeringar", Some(None)),
            ("Avstämning mot politisk text", Some(None)),
            ("Helhetsbedömning", Some(None)),
            (
                "Nyckeltal visar att vi har en strukturell ojämställdhet.",
                None,
            ),
            ("Inga större investeringar", None),
            ("2022", None),
            ("", None),
        ] {
            assert_eq!(heading(line), want, "{line}");
        }
    }

    #[test]
    fn updated_lines() {
        assert_eq!(
            updated_line("Sidan uppdaterad 2024-01-18").as_deref(),
            Some("2024-01-18")
        );
        assert_eq!(
            updated_line("Senast uppdaterad: 3 maj 2023.").as_deref(),
            Some("3 maj 2023")
        );
        assert_eq!(updated_line("Sidan uppdaterad"), None);
        assert_eq!(updated_line("Sidan"), None);
    }

    #[test]
    fn named_goal_page() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/goal-page-named.txt"
        ));
        let p = parse_file("kommun/mal-infrastruktur.txt", text);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let d = &p.documents;
        let got: Vec<(&str, Option<u16>, usize, usize)> = d
            .iter()
            .map(|d| {
                (
                    d.section.as_deref().unwrap_or(""),
                    d.year,
                    d.line,
                    d.items.len(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Inledning", None, 3, 0),
                ("Så här gör vi för att nå målet 2024", Some(2024), 9, 0),
                ("Uppdrag från fullmäktige", Some(2024), 15, 3),
                ("Nyckeltal", Some(2024), 29, 0),
                ("HELHETSBEDÖMNING 2023", Some(2023), 35, 0),
            ]
        );
        assert!(d.iter().all(|d| d.kind == Kind::Mal
            && d.title == "Mål: Infrastruktur"
            && d.updated.as_deref() == Some("2024-02-05")
            && d.tertial.is_none()
            && d.status.is_none()
            && d.committees.is_empty()));
        // Image descriptions and stray lines are body text.
        assert!(d[0]
            .body
            .contains("Bild: En ny gång- och cykelbro över Storsjön."));
        let items = &d[2].items;
        assert_eq!(items[0].light, Light::Gul);
        assert_eq!(items[0].title, "Bygg ut gång- och cykelvägnätet i Lit");
        assert_eq!(items[0].committees, vec![Committee::new("TN").unwrap()]);
        assert_eq!(items[1].light, Light::Gron);
        assert_eq!(items[1].committees.len(), 2);
        assert_eq!(items[2].light, Light::Rod);
        assert!(items[2].committees.is_empty());
        assert_eq!(d[2].body, "Två av tre uppdrag följer plan.");
        // A heading opening a paragraph still counts; the rest is the section's text.
        assert_eq!(d[3].body, "Andelen resor med kollektivtrafik ökade till 14 procent.\n\nFör att nå målet har vi bland annat:");
    }

    #[test]
    fn lone_light_is_kept_with_a_warning() {
        let p = parse_file(
            "k/m.txt",
            "Mål 2 - Trygghet\n\nNyckeltal\n\nGul\n\nSummering 2021\n\nText.",
        );
        assert_eq!(p.documents.len(), 2);
        assert_eq!(p.documents[0].body, "Gul");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, 5);
        assert_eq!(p.documents[1].year, Some(2021));
    }
}
