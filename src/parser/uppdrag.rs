//! Assignment reports (`Kind::Uppdrag`): the header line, cutting the file into one block
//! per assignment, and reading each block into title, committees, status and body.
//!
//! Block boundaries: a line holding only `.`; a committee line standing before a title
//! (`(Kommunstyrelsen) .`, see [`committee::committee_line`]); a label line
//! ("Bedöms bli genomförd", see [`super::status::match_label`]). A committee or label line starts
//! a new assignment when the current one already has text (or already has that kind of
//! line); otherwise it joins the assignment being started, which then begins on that line.
//! One exception: a committee line *without* a final period directly under a title line
//! (no blank line between) is the end of a wrapped title, not a new assignment.
//! A repeated header line with the same period (a page header) is skipped; a header with
//! another period (two reports in one file) starts that period, with a warning.
//!
//! Inside a block: title = first paragraph; then an optional unit line ([`is_org_unit`]),
//! kept as the document's `unit`; then the status paragraph ([`match_status`]);
//! the remaining paragraphs are the body.
//!
//! Missing statuses: when some assignment of a report has a status, each one without a
//! status gets a warning at its comment. A report where none has one (committee views
//! that carry a unit and a comment but no status sentences) gets one warning for the
//! whole file instead ([`NO_STATUSES`]). A report read in pieces carries what its earlier
//! pieces showed ([`Statuses`]); a piece is judged when it ends, so in a report whose
//! first statuses come only in a later piece, the pieces before them count as without.

use super::committee;
use super::normalize::{join_paragraphs, paragraphs, snippet, year_token, Line, Paragraph};
use super::status::{match_label, match_status, StatusMatch};
use super::Sink;
use crate::model::{fold_slug, Committee, Kind, Light, Status, Tertial};

/// The start of the one warning given for a report in which no assignment has a status
/// (instead of one warning per assignment).
pub const NO_STATUSES: &str = "the report carries no statuses";

/// Progress words that stand where a unit could, in folded form ([`fold_slug`]): a line
/// that is one of them (or a status label, or a traffic light) is never a unit.
const PROGRESS_WORDS: &[&str] = &[
    "pagar",
    "pagaende",
    "paborjad",
    "paborjat",
    "ej_paborjad",
    "inte_paborjad",
    "ej_paborjat",
    "inte_paborjat",
    "ej_startad",
    "inte_startad",
    "startad",
    "avslutad",
    "avslutat",
    "forsenad",
    "forsenat",
    "ej_aktuell",
    "inte_aktuell",
    "ej_aktuellt",
    "inte_aktuellt",
    "klar",
    "klart",
    "status",
];

/// The period given by a report's header line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Header {
    /// The first year 19xx/20xx in the header, if any.
    pub year: Option<u16>,
    /// The first `T1`/`T2`/`T3` in the header, if any.
    pub tertial: Option<Tertial>,
}

/// Recognise an assignment-report header: a line of at most 16 words in which the words
/// "Uppdrag" and "Kommentar" follow each other (punctuation between them ignored), e.g.
/// `T3 2022 Uppdrag. Kommentar T3 2022`, `Nämnd T1 2024 Uppdrag Kommentar T1 2024`, or a
/// bare `Uppdrag. Kommentar`. Year and tertial are the first year/`Tn` words of the line.
pub fn parse_header(line: &str) -> Option<Header> {
    // Cheap test first: this runs on every line of every file.
    let has_kommentar = line
        .as_bytes()
        .windows(8)
        .any(|w| w.eq_ignore_ascii_case(b"ommentar"));
    if !has_kommentar || line.len() > 400 {
        return None;
    }
    let folded = fold_slug(line);
    let toks: Vec<&str> = folded.split('_').filter(|t| !t.is_empty()).collect();
    if toks.len() > 16 || !toks.windows(2).any(|w| w == ["uppdrag", "kommentar"]) {
        return None;
    }
    Some(Header {
        year: toks.iter().find_map(|t| year_token(t)),
        tertial: toks
            .iter()
            .find(|t| matches!(**t, "t1" | "t2" | "t3"))
            .and_then(|t| Tertial::parse(t)),
    })
}

/// The unit rule: the paragraph directly after the title is the name of the unit that
/// answers for the assignment ("Bibliotek", "Kultur- och fritidsenheten") when it is a
/// single line of at most five words, begins with an upper-case letter, has no digit,
/// does not end in `.`, `!`, `?`, `:`, `;` or `,`, is neither a status sentence, a
/// status label ("Genomförd", "Pågår", `Status::parse`), a traffic light ("Röd") nor a
/// header line, does not begin with "Uppdraget", and another paragraph follows it (so a
/// short comment that is all there is stays as body).
pub fn is_org_unit(p: &Paragraph, followed: bool) -> bool {
    if !followed || p.lines.len() != 1 {
        return false;
    }
    let t = p.lines[0].text.as_str();
    let words = t.split_whitespace().count();
    (1..=5).contains(&words)
        && t.chars().next().is_some_and(char::is_uppercase)
        && !t.chars().any(|c| c.is_ascii_digit())
        && !t.ends_with(['.', '!', '?', ':', ';', ','])
        && match_status(t).is_none()
        && match_label(t).is_none()
        && Status::parse(t).is_none()
        && Light::parse(t).is_none()
        && parse_header(t).is_none()
        && !PROGRESS_WORDS.contains(&fold_slug(t).trim_matches('_'))
        && !fold_slug(t).starts_with("uppdraget")
}

/// The lines of one assignment before they are read.
#[derive(Debug, Default)]
struct Block {
    /// First line of the block (committee/label line or title).
    start: Option<usize>,
    /// Committees from committee lines before the title.
    committees: Vec<Committee>,
    has_committee_line: bool,
    /// Status from a label line, and that line.
    label: Option<(Status, usize)>,
    /// Content lines; blank lines inside are kept as empty text.
    lines: Vec<Line>,
    /// A blank line came after the first content line (the title paragraph is closed).
    title_closed: bool,
}

impl Block {
    fn has_content(&self) -> bool {
        !self.lines.is_empty()
    }
}

/// What the earlier pieces of a report read in pieces showed about statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Statuses {
    /// Some assignment had a status (or a status sentence that could not be read).
    pub seen: bool,
    /// The one [`NO_STATUSES`] warning was given.
    pub said_none: bool,
}

/// What one report (the blocks between two report headers) has shown so far about
/// statuses: the missing-status warnings are held until its end, when it is known
/// whether the report carries statuses at all.
#[derive(Debug, Default)]
struct Report {
    /// What the report's earlier pieces showed.
    before: Statuses,
    /// Assignments with a status (from a sentence or a label), or whose comment opens
    /// like a status sentence that could not be read ("Uppdraget är genomf" in a cut
    /// file): the report is of a layout with statuses.
    with_status: usize,
    /// Missing-status warnings: (line, message).
    missing: Vec<(usize, String)>,
    /// Index in the sink's warnings where the report's warnings begin.
    first_warning: usize,
}

impl Report {
    fn new(sink: &Sink, before: Statuses) -> Self {
        Report {
            before,
            first_warning: sink.warning_count(),
            ..Report::default()
        }
    }

    /// Give the report's missing-status warnings: one per assignment when some
    /// assignment has a status, else one for the whole file (once). The report's warnings
    /// are then put in line order (a whole-file warning first). Returns what the report
    /// has shown, for its next piece.
    fn finish(self, sink: &mut Sink) -> Statuses {
        let mut shown = Statuses {
            seen: self.before.seen || self.with_status > 0,
            said_none: self.before.said_none,
        };
        if self.missing.is_empty() {
            return shown;
        }
        if shown.seen {
            for (line, message) in self.missing {
                sink.warn(line, message);
            }
        } else if !shown.said_none {
            shown.said_none = true;
            sink.warn(
                0,
                format!(
                    "{NO_STATUSES}: no assignment has a status sentence ('Uppdraget är \
                     (inte) genomfört ...') or a status label; indexed without status (the \
                     layout of committee views: nothing to fix if the report has none)"
                ),
            );
        }
        sink.sort_warnings_from(self.first_warning);
        shown
    }
}

/// Parse an assignment report whose header is `lines[header_idx]`; returns the period in
/// force at its end and what the last report showed about statuses.
pub(crate) fn parse(
    sink: &mut Sink,
    lines: &[Line],
    header_idx: usize,
    header: Header,
) -> (Header, Statuses) {
    let header_line = lines.get(header_idx).map_or(1, |l| l.no);
    let (file_year, file_tertial) = super::period_from_file_name(sink.rel_path());
    let year = header.year.or(file_year);
    let tertial = header.tertial.or(file_tertial);
    if year.is_none() {
        sink.warn(
            header_line,
            "no year in the header or the file name; documents have no year",
        );
    }
    if tertial.is_none() {
        sink.warn(
            header_line,
            "no tertial (T1/T2/T3) in the header or the file name; documents have no tertial",
        );
    }
    let period = Header { year, tertial };
    parse_blocks(
        sink,
        lines.get(header_idx + 1..).unwrap_or(&[]),
        period,
        Statuses::default(),
    )
}

/// Parse the assignment blocks in `lines` (which follow a header, or continue a report
/// whose earlier part was parsed before) with `period` as the report's period and
/// `before` as what its earlier part showed about statuses; returns the period in force
/// at the end (another report header changes it) and what the last report showed.
pub(crate) fn parse_blocks(
    sink: &mut Sink,
    lines: &[Line],
    mut period: Header,
    before: Statuses,
) -> (Header, Statuses) {
    let mut cur = Block::default();
    let mut report = Report::new(sink, before);
    for line in lines {
        let t = line.text.as_str();
        if t == "." {
            flush(sink, &mut report, &mut cur, period);
            continue;
        }
        if t.is_empty() {
            if cur.has_content() {
                cur.lines.push(line.clone());
                cur.title_closed = true;
            }
            continue;
        }
        if let Some(h) = parse_header(t) {
            // The same period again is a page header; another period is a second report
            // appended to the first: its assignments get its period.
            let next = Header {
                year: h.year.or(period.year),
                tertial: h.tertial.or(period.tertial),
            };
            if next != period {
                flush(sink, &mut report, &mut cur, period);
                std::mem::take(&mut report).finish(sink);
                report = Report::new(sink, Statuses::default());
                sink.warn(
                    line.no,
                    format!(
                        "another report header ({}): the assignments after it get its period \
                         (two reports in one file? one report per file is the layout)",
                        period_label(next)
                    ),
                );
                period = next;
            }
            continue;
        }
        if let Some((cs, dotted)) = committee::committee_line(t) {
            let wraps_title = !dotted && cur.has_content() && !cur.title_closed;
            if !wraps_title {
                if cur.has_content() || cur.has_committee_line {
                    flush(sink, &mut report, &mut cur, period);
                }
                cur.start.get_or_insert(line.no);
                cur.has_committee_line = true;
                committee::merge(&mut cur.committees, cs);
                continue;
            }
        }
        if let Some(st) = match_label(t) {
            if cur.has_content() || cur.label.is_some() {
                flush(sink, &mut report, &mut cur, period);
            }
            cur.start.get_or_insert(line.no);
            cur.label = Some((st, line.no));
            continue;
        }
        cur.start.get_or_insert(line.no);
        cur.lines.push(line.clone());
    }
    flush(sink, &mut report, &mut cur, period);
    let statuses = report.finish(sink);
    (period, statuses)
}

/// `T3 2022`, or what there is of it.
fn period_label(p: Header) -> String {
    let t = p.tertial.map(|t| t.as_str().to_string());
    let y = p.year.map(|y| y.to_string());
    [t, y].into_iter().flatten().collect::<Vec<_>>().join(" ")
}

/// Turn the current block into a document (or a warning if it has no title) and reset it;
/// a missing status is held in `report`.
fn flush(sink: &mut Sink, report: &mut Report, cur: &mut Block, period: Header) {
    let block = std::mem::take(cur);
    let paras = paragraphs(&block.lines);
    let Some(title_para) = paras.first() else {
        if let Some(start) = block.start {
            sink.warn(
                start,
                "committee or label line with no assignment title after it",
            );
        }
        return;
    };
    let start = block.start.unwrap_or(title_para.line);
    let (title, group) = committee::split_title(&title_para.text());
    let mut committees = block.committees;
    committee::merge(&mut committees, group);
    if committees.is_empty() {
        sink.warn(
            title_para.line,
            format!(
                "no committee for assignment '{}' (expected a final group like '(KS)')",
                snippet(&title, 60)
            ),
        );
    }

    let mut idx = 1;
    let mut unit = None;
    if let Some(p) = paras.get(1) {
        if is_org_unit(p, paras.len() > 2) {
            idx = 2;
            unit = Some(p.text());
        }
    }
    let label = block.label.map(|(s, _)| s);
    let (status, body) = status_and_body(sink, report, &paras, idx, label, title_para.line);

    let mut doc = sink.document(Kind::Uppdrag, start);
    doc.year = period.year;
    doc.tertial = period.tertial;
    doc.title = title;
    doc.committees = committees;
    doc.unit = unit;
    doc.status = status;
    report.with_status += usize::from(status.is_some());
    doc.body = join_paragraphs(body);
    sink.push(doc);
}

/// The status of an assignment and its comment: paragraph `idx` of `paras` (after the
/// title and any unit line) is the status sentence, checked against the block's
/// `label`, and begins the comment with the paragraphs after it. A missing status is
/// held in `report` (on `title_line` when nothing follows the title).
fn status_and_body(
    sink: &mut Sink,
    report: &mut Report,
    paras: &[Paragraph],
    idx: usize,
    label: Option<Status>,
    title_line: usize,
) -> (Option<Status>, Vec<String>) {
    let mut status = label;
    let mut body: Vec<String> = Vec::new();
    match paras.get(idx) {
        Some(p) => {
            let text = p.text();
            match match_status(&text) {
                Some(StatusMatch::Sentence { status: s, rest }) => {
                    check_label(sink, label, s, p.line);
                    status = Some(s);
                    body.push(rest);
                }
                Some(StatusMatch::InBody { status: s }) => {
                    check_label(sink, label, s, p.line);
                    status = Some(s);
                    body.push(text);
                }
                None => {
                    if label.is_none() {
                        report.with_status += usize::from(opens_like_status(&text));
                        report.missing.push((
                            p.line,
                            format!(
                                "no status sentence; expected 'Uppdraget är (inte) genomfört ...', found '{}'",
                                snippet(&text, 60)
                            ),
                        ));
                    }
                    body.push(text);
                }
            }
            body.extend(paras.iter().skip(idx + 1).map(Paragraph::text));
        }
        None => {
            if label.is_none() {
                report.missing.push((
                    title_line,
                    "no status sentence; expected 'Uppdraget är (inte) genomfört ...', found nothing after the title".into(),
                ));
            }
        }
    }
    (status, body)
}

/// Whether a comment opens like a status sentence ("Uppdraget är ...", "Uppdraget har
/// ...", "Uppdraget bedöms ...") that [`match_status`] could not read: a sign that the
/// report's layout has status sentences.
fn opens_like_status(text: &str) -> bool {
    let folded = fold_slug(text.get(..text.len().min(40)).unwrap_or(text));
    let mut words = folded.split('_').filter(|w| !w.is_empty());
    words.next() == Some("uppdraget") && matches!(words.next(), Some("ar" | "har" | "bedoms"))
}

/// Warn when a label line and the status sentence disagree (the sentence wins).
fn check_label(sink: &mut Sink, label: Option<Status>, sentence: Status, line: usize) {
    if let Some(l) = label {
        if l != sentence {
            sink.warn(
                line,
                format!(
                    "label says '{}' but the status sentence says '{}'; using the sentence",
                    l.label(),
                    sentence.label()
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_file, Parsed};
    use super::*;
    use crate::model::Document;

    macro_rules! fixture {
        ($p:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/", $p))
        };
    }

    fn committees(d: &Document) -> Vec<&str> {
        d.committees.iter().map(|c| c.as_str()).collect()
    }

    /// (line, title, committees, status) of every document.
    fn summary(p: &Parsed) -> Vec<(usize, &str, Vec<&str>, Option<Status>)> {
        p.documents
            .iter()
            .map(|d| (d.line, d.title.as_str(), committees(d), d.status))
            .collect()
    }

    #[test]
    fn a_second_report_header_starts_a_new_period() {
        let text = fixture!("two-reports-in-one-file.txt");
        let second = text.lines().position(|l| l.starts_with("T3 2023")).unwrap() + 1;
        let p = parse_file("ostersund/rapporter.txt", text);
        let periods: Vec<(Option<u16>, Option<Tertial>)> =
            p.documents.iter().map(|d| (d.year, d.tertial)).collect();
        let mut want = vec![(Some(2022), Some(Tertial::T3)); 6];
        want.extend([(Some(2023), Some(Tertial::T3)); 5]);
        assert_eq!(periods, want);
        assert!(p.documents[5].line < second && p.documents[6].line > second);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert_eq!(p.warnings[0].line, second);
        assert!(p.warnings[0]
            .message
            .starts_with("another report header (T3 2023)"));
        // The same header again is a page header: no new period, no warning.
        let page = "T1 2021 Uppdrag Kommentar\n.\nTitel ett (KS)\n\nUppdraget är genomfört.\n\
                    T1 2021 Uppdrag Kommentar\n.\nTitel två (KS)\n\nUppdraget är genomfört.\n";
        let p = parse_file("k/x.txt", page);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.documents.len(), 2);
    }

    #[test]
    fn header_table() {
        for (line, want) in [
            (
                "T3 2022 Uppdrag. Kommentar T3 2022",
                Some((Some(2022), Some(Tertial::T3))),
            ),
            (
                "T3 2023 Uppdrag Kommentar T3 2023",
                Some((Some(2023), Some(Tertial::T3))),
            ),
            (
                "Nämnd T1 2024 Uppdrag Kommentar T1 2024",
                Some((Some(2024), Some(Tertial::T1))),
            ),
            ("Uppdrag. Kommentar", Some((None, None))),
            ("uppdrag  kommentar t2", Some((None, Some(Tertial::T2)))),
            ("Uppdrag från fullmäktige", None),
            ("Kommentar Uppdrag", None),
            ("Mål 1 - Uppdrag", None),
        ] {
            let got = parse_header(line).map(|h| (h.year, h.tertial));
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn org_unit_table() {
        let para = |t: &str| Paragraph {
            line: 1,
            lines: vec![Line {
                no: 1,
                text: t.to_string(),
            }],
        };
        for (t, followed, want) in [
            ("Bibliotek", true, true),
            ("Kultur- och fritidsenheten", true, true),
            ("Bibliotek", false, false),
            ("Pågår enligt plan.", true, false),
            ("Uppdraget är genomfört", true, false),
            ("Uppdraget pågår", true, false),
            ("Bedöms bli genomförd", true, false),
            ("Klart 2023", true, false),
            ("arbetet pågår fortfarande", true, false),
            ("Ett två tre fyra fem sex", true, false),
            ("Se nedan:", true, false),
            ("Kultur- och fritidsförvaltningen", true, true),
            // Status labels, progress words, traffic lights and headers are never units.
            ("Genomförd", true, false),
            ("Delvis genomförd", true, false),
            ("Pågår", true, false),
            ("Ej påbörjad", true, false),
            ("Klart", true, false),
            ("Röd", true, false),
            ("Grön", true, false),
            ("Uppdrag Kommentar", true, false),
        ] {
            assert_eq!(is_org_unit(&para(t), followed), want, "{t}");
        }
    }

    #[test]
    fn header_with_namnd_prefix() {
        let p = parse_file(
            "kommun/2022-T3.txt",
            fixture!("header-namnd-prefix/2022-T3.txt"),
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(
            summary(&p),
            vec![
                (
                    3,
                    "Inför digital signering av protokoll",
                    vec!["KS"],
                    Some(Status::Genomfort)
                ),
                (
                    10,
                    "Utred möjligheten till gemensam växel med grannkommunerna",
                    vec!["KS", "TN"],
                    Some(Status::EjGenomfort)
                ),
                (
                    17,
                    "Ta fram en plan för laddinfrastruktur på kommunens parkeringar",
                    vec!["TN"],
                    Some(Status::DelvisGenomfort)
                ),
            ]
        );
        assert!(p
            .documents
            .iter()
            .all(|d| d.year == Some(2022) && d.tertial == Some(Tertial::T3)));
        assert!(p.documents[2]
            .body
            .starts_with("Uppdraget är delvis genomfört då"));
    }

    #[test]
    fn header_with_namnd_prefix_without_period_and_forecasts() {
        let p = parse_file(
            "kommun/rapport.txt",
            fixture!("header-namnd-no-period-forecasts.txt"),
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let d = &p.documents;
        assert_eq!(d.len(), 4);
        assert!(d
            .iter()
            .all(|d| d.year == Some(2024) && d.tertial == Some(Tertial::T1)));
        assert_eq!(
            d.iter().map(|d| d.status).collect::<Vec<_>>(),
            vec![
                Some(Status::BedomsGenomforas),
                Some(Status::BedomsEjGenomforas),
                Some(Status::Genomfort),
                Some(Status::BedomsGenomforas),
            ]
        );
        // "Uppdraget har genomförts." opens the paragraph; the rest of it is body.
        assert_eq!(
            d[2].body,
            "Den nya rutinen gäller från 1 mars. Samtliga chefer har fått information.\n\nUppföljning sker i samband med delårsrapporten."
        );
        assert_eq!(d[1].body, "Medel saknas i budgeten för 2024.");
        assert_eq!(d[3].title, "Se över öppettiderna i kommunens kontaktcenter");
    }

    #[test]
    fn bare_header_year_from_file_name() {
        let p = parse_file(
            "kommun/2020-T1.txt",
            fixture!("bare-header-year-from-filename/2020-T1.txt"),
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.documents.len(), 2);
        assert!(p
            .documents
            .iter()
            .all(|d| d.year == Some(2020) && d.tertial == Some(Tertial::T1)));
        assert_eq!(p.documents[1].id, "kommun/2020-T1.txt#2");
    }

    #[test]
    fn bare_header_without_period_anywhere_warns() {
        let p = parse_file(
            "kommun/rapport.txt",
            fixture!("bare-header-year-from-filename/2020-T1.txt"),
        );
        assert_eq!(p.documents.len(), 2);
        assert!(p
            .documents
            .iter()
            .all(|d| d.year.is_none() && d.tertial.is_none()));
        let w: Vec<(usize, bool)> = p
            .warnings
            .iter()
            .map(|w| {
                (
                    w.line,
                    w.message.contains("year") || w.message.contains("tertial"),
                )
            })
            .collect();
        assert_eq!(w, vec![(1, true), (1, true)]);
    }

    #[test]
    fn committee_line_before_title() {
        let p = parse_file(
            "kommun/2023-T2.txt",
            fixture!("committee-line-before-title.txt"),
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(
            summary(&p),
            vec![
                (
                    3,
                    "Inventera kommunens lokaler med låg beläggning",
                    vec!["KS"],
                    Some(Status::Genomfort)
                ),
                (
                    10,
                    "Byt ut gatubelysningen till LED i ytterområdena",
                    vec!["TN"],
                    Some(Status::EjGenomfort)
                ),
                // No "." line before this committee line: it still starts an assignment.
                (
                    16,
                    "Utveckla samarbetet kring kollektivtrafiken",
                    vec!["Region Jämtland Härjedalen"],
                    Some(Status::BedomsGenomforas)
                ),
                (
                    21,
                    "Samordna krisberedskapen",
                    vec!["KS", "SAN"],
                    Some(Status::Genomfort)
                ),
            ]
        );
        assert_eq!(
            p.documents[1].body,
            "Upphandlingen överklagades och har fått göras om."
        );
        assert!(p
            .documents
            .iter()
            .all(|d| d.year == Some(2023) && d.tertial == Some(Tertial::T2)));
    }

    #[test]
    fn label_lines_without_separators() {
        let p = parse_file("kommun/x.txt", fixture!("label-lines-no-separators.txt"));
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(
            summary(&p),
            vec![
                (
                    2,
                    "Ta fram en ny avfallsplan",
                    vec!["TN"],
                    Some(Status::BedomsGenomforas)
                ),
                (
                    8,
                    "Utöka antalet platser i förskolan i Brunflo",
                    vec!["BUN"],
                    Some(Status::BedomsEjGenomforas)
                ),
                (
                    14,
                    "Inför e-tjänst för bygglov",
                    vec!["MSN"],
                    Some(Status::BedomsGenomforas)
                ),
                (
                    18,
                    "Genomför en medarbetarenkät",
                    vec!["KS"],
                    Some(Status::BedomsGenomforas)
                ),
            ]
        );
        assert_eq!(
            p.documents[0].body,
            "Remissversionen är klar och går ut i maj. Beslut planeras till hösten."
        );
        assert_eq!(p.documents[2].body, "");
        // A status sentence in the comment is removed from the body like elsewhere.
        assert_eq!(p.documents[3].body, "Enkäten skickas ut i september.");
        assert!(p
            .documents
            .iter()
            .all(|d| d.year == Some(2023) && d.tertial == Some(Tertial::T1)));
    }

    #[test]
    fn org_unit_line_is_kept_as_unit() {
        let p = parse_file("kommun/2022-T3.txt", fixture!("org-unit-line.txt"));
        let d = &p.documents;
        assert_eq!(
            summary(&p),
            vec![
                (
                    3,
                    "Öka utlåningen av e-böcker",
                    vec!["KFN"],
                    Some(Status::Genomfort)
                ),
                (
                    12,
                    "Utveckla fritidsgårdarnas sommarverksamhet",
                    vec!["KFN"],
                    Some(Status::EjGenomfort)
                ),
                (22, "Rusta upp elljusspåret i Lugnvik", vec!["KFN"], None),
                (28, "Inventera konstsamlingen", vec!["KFN"], None),
            ]
        );
        assert_eq!(
            d.iter().map(|d| d.unit.as_deref()).collect::<Vec<_>>(),
            [
                Some("Bibliotek"),
                Some("Kultur- och fritidsenheten"),
                Some("Fritidsenheten"),
                None
            ]
        );
        assert_eq!(
            d[0].body,
            "Utlåningen ökade med 18 procent jämfört med 2021."
        );
        assert_eq!(
            d[1].body,
            "Personalbrist gjorde att verksamheten fick begränsas.\n\nUppdraget flyttas till 2023."
        );
        // No status: the unit is still read, the comment stays, and (other assignments of
        // the report having a status) a warning points at the comment.
        assert_eq!(
            d[2].body,
            "Arbetet påbörjas under våren 2023 när tjälen gått ur marken."
        );
        // A short paragraph with nothing after it is comment text, not a unit.
        assert_eq!(d[3].body, "Klart enligt plan");
        let w: Vec<usize> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(w, vec![26, 30], "{:?}", p.warnings);
        assert!(p.warnings[0].message.contains("found 'Arbetet påbörjas"));
        assert!(p.warnings[1].message.contains("found 'Klart enligt plan'"));
    }

    #[test]
    fn crlf_bom_tabs_nbsp_nfd() {
        let text = fixture!("crlf-bom-tabs.txt");
        assert!(text.starts_with('\u{feff}') && text.contains("\r\n") && text.contains('\t'));
        let p = parse_file("ostersund/2022-T3.txt", text);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(
            summary(&p),
            vec![
                (
                    3,
                    "Öka tryggheten i centrum",
                    vec!["KS"],
                    Some(Status::Genomfort)
                ),
                (
                    10,
                    "Förbättra skötseln av parker",
                    vec!["TN"],
                    Some(Status::EjGenomfort)
                ),
            ]
        );
        assert_eq!(
            p.documents[0].body,
            "Fler vakter har anställts och belysningen är förbättrad."
        );
        assert_eq!(
            p.documents[1].body,
            "Arbetet har försenats på grund av vakanser. Det fortsätter 2023."
        );
        assert_eq!(p.documents[1].year, Some(2022));
    }

    #[test]
    fn title_only_and_missing_status_warn() {
        let p = parse_file(
            "k/2021-T3.txt",
            "T3 2021 Uppdrag. Kommentar T3 2021\n.\nEn titel utan text (KS)\n.\nEn titel till (KS)\n\nVi jobbar på.\n.\n(Kommunstyrelsen) .\n.\nKlar titel (KS)\n\nUppdraget är genomfört.\n",
        );
        assert_eq!(p.documents.len(), 3);
        assert_eq!(p.documents[0].status, None);
        assert_eq!(p.documents[1].status, None);
        assert_eq!(p.documents[1].body, "Vi jobbar på.");
        let lines: Vec<usize> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, vec![3, 7, 9]);
    }

    #[test]
    fn a_report_without_any_status_warns_once() {
        let p = parse_file(
            "k/2021-T3.txt",
            "T3 2021 Uppdrag. Kommentar T3 2021\n.\nEn titel utan text (KS)\n.\nEn titel till (KS)\n\nVi jobbar på.\n.\n(Kommunstyrelsen) .\n",
        );
        assert_eq!(p.documents.len(), 2);
        let w: Vec<(usize, bool)> = p
            .warnings
            .iter()
            .map(|w| (w.line, w.message.starts_with(NO_STATUSES)))
            .collect();
        assert_eq!(w, vec![(0, true), (9, false)], "{:?}", p.warnings);
        // Two reports in one file: each is judged on its own.
        let p = parse_file(
            "k/x.txt",
            "T1 2021 Uppdrag Kommentar\n.\nEtt (KS)\n\nText.\n\
             T2 2021 Uppdrag Kommentar\n.\nTvå (KS)\n\nUppdraget är genomfört.\n.\nTre (KS)\n\nText.\n",
        );
        let w: Vec<usize> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(w, vec![0, 6, 14], "{:?}", p.warnings);
        // A status sentence cut short is a report with statuses, broken: the block is
        // warned about where it broke.
        let p = parse_file(
            "k/2022-T3.txt",
            "T3 2022 Uppdrag. Kommentar T3 2022\n.\nStärk trygghetsarbetet (KS)\n\nUppdraget är genomf",
        );
        let w: Vec<(usize, bool)> = p
            .warnings
            .iter()
            .map(|w| (w.line, w.message.starts_with("no status sentence")))
            .collect();
        assert_eq!(w, vec![(5, true)], "{:?}", p.warnings);
    }

    #[test]
    fn unit_lines_in_a_committee_view() {
        let p = parse_file(
            "ostersund/kfn-2022-T3.txt",
            fixture!("unit-lines-committee-view.txt"),
        );
        let d = &p.documents;
        let got: Vec<(usize, &str, Vec<&str>, Option<&str>)> = d
            .iter()
            .map(|d| (d.line, d.title.as_str(), committees(d), d.unit.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    3,
                    "Utveckla arbetet med digital delaktighet",
                    vec!["KFN"],
                    Some("Bibliotek")
                ),
                (
                    10,
                    "Öka antalet besökare på fritidsgårdarna",
                    vec!["KFN"],
                    Some("Fritidsenheten")
                ),
                (
                    19,
                    "Stärk kulturskolans närvaro i grundskolorna",
                    vec!["KFN", "BUN"],
                    Some("Kulturskolan")
                ),
                (
                    26,
                    "Ta fram en plan för föreningsbidragen",
                    vec!["KS"],
                    Some("Kultur- och fritidsförvaltningen")
                ),
                // A progress word where the unit stands is not a unit: it stays body text.
                (
                    33,
                    "Se över avgifterna för kommunens lokaler",
                    vec!["KFN"],
                    None
                ),
                // A short comment with nothing after it is the comment, not a unit.
                (40, "Inventera konstsamlingen", vec!["KFN"], None),
            ]
        );
        assert!(d
            .iter()
            .all(|d| d.status.is_none() && d.year == Some(2022) && d.tertial == Some(Tertial::T3)));
        assert!(d[0]
            .body
            .starts_with("Biblioteksverksamheten har genomfört 123 aktiviteter"));
        assert_eq!(
            d[1].body,
            "Besöken ökade under hösten sedan öppettiderna utökats på fredagar.\n\nEtt nytt samarbete med föreningslivet har inletts."
        );
        assert_eq!(
            d[4].body,
            "Pågår\n\nÖversynen görs tillsammans med ekonomienheten."
        );
        assert_eq!(d[5].body, "Arbetet är klart");
        // No status sentence anywhere: one warning for the file, none per assignment.
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert_eq!(p.warnings[0].line, 0);
        assert!(p.warnings[0].message.starts_with(NO_STATUSES));
    }

    #[test]
    fn wrapped_title_with_committee_on_next_line() {
        let p = parse_file(
            "k/2021-T3.txt",
            "T3 2021 Uppdrag. Kommentar T3 2021\n.\nEn lång titel som\nbryts över två rader\n(KS)\n\nUppdraget är genomfört.\n",
        );
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(
            summary(&p),
            vec![(
                3,
                "En lång titel som bryts över två rader",
                vec!["KS"],
                Some(Status::Genomfort)
            )]
        );
    }
}
