//! Report text -> documents. This module owns the public interface ([`parse_file`],
//! [`Parsed`], [`Warning`]), the detection of the input kind from the text itself (an
//! assignment-report header, a goal-page title, or anything else), and what every kind
//! shares: ids, municipality, file-name fallbacks and warnings. The kinds themselves live
//! in [`uppdrag`], [`goal`] and [`plain`]; [`normalize`], [`status`] and [`committee`] hold
//! the line-level recognisers.

pub mod committee;
pub mod goal;
pub mod normalize;
pub mod plain;
pub mod status;
pub mod uppdrag;

use crate::model::{Document, Kind, Tertial};

/// A problem found in one file; the file is still indexed as far as it could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Path relative to the corpus root.
    pub file: String,
    /// 1-based line, 0 when the warning is about the whole file.
    pub line: usize,
    /// What was wrong, in English, saying what was found where it helps.
    pub message: String,
    /// Information rather than a problem (a large file read in pieces): printed like a
    /// warning, but it neither counts as one nor makes the build exit 3 or fail
    /// `--strict`.
    pub notice: bool,
}

/// What one file parsed into.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The documents in file order; ids are `<rel_path>#1`, `#2`, ...
    pub documents: Vec<Document>,
    /// Problems found; the file is still indexed as far as it could be read.
    pub warnings: Vec<Warning>,
}

/// Parse one decoded file. `rel_path` is `/`-separated and relative to the corpus root.
///
/// The kind is detected from the first non-blank line: an assignment-report header
/// ([`uppdrag::parse_header`]) -> [`Kind::Uppdrag`]; a goal title
/// ([`goal::is_goal_title`]) -> [`Kind::Mal`]; anything else -> [`Kind::Text`] with a
/// warning. A blank file gives no documents and the warning "empty file". Never panics.
pub fn parse_file(rel_path: &str, text: &str) -> Parsed {
    let lines = normalize::split_lines(text);
    let mut sink = Sink::new(rel_path);
    let Some(first) = lines.iter().position(|l| !l.text.is_empty()) else {
        sink.warn(0, "empty file");
        return sink.parsed;
    };
    if let Some(header) = uppdrag::parse_header(&lines[first].text) {
        uppdrag::parse(&mut sink, &lines, first, header);
    } else if goal::is_goal_title(&lines[first].text) {
        goal::parse(&mut sink, &lines, first);
    } else {
        plain::parse(&mut sink, &lines);
    }
    sink.parsed
}

/// What the earlier pieces of a file read in pieces established, so that a later piece
/// is read as part of the same file (see [`parse_piece`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Context {
    /// The start of a file: the kind is detected from the text.
    #[default]
    Start,
    /// Inside an assignment report with this period (from its header or the file name),
    /// and what its earlier pieces showed about statuses.
    Uppdrag(uppdrag::Header, uppdrag::Statuses),
    /// Anything else: later pieces are plain passages.
    Text,
}

/// What one piece of a file parsed into.
#[derive(Debug, Clone, Default)]
pub struct PieceParsed {
    /// Documents and warnings of the piece, lines counted from the piece's first line;
    /// nothing from `carry_from` on.
    pub parsed: Parsed,
    /// The 1-based line of the piece from which its text was not used: the start of an
    /// assignment that may go on in the next piece. The caller puts the text from that
    /// line in front of the next piece.
    pub carry_from: Option<usize>,
    /// The context for the next piece.
    pub context: Context,
}

/// Parse one piece of a file read in pieces, `context` being what the pieces before
/// established ([`Context::Start`] for the first). In an assignment report, when
/// `hold_last` is set (the caller sets it for every piece but the file's last, as long
/// as the text held back stays small), the last assignment of the piece is held back
/// ([`PieceParsed::carry_from`]) so that an assignment cut between two pieces is read
/// whole with the next one; a report is thus parsed as one report, its period carried
/// over. Documents are numbered from 1 in each piece; the caller renumbers them.
pub fn parse_piece(rel_path: &str, text: &str, context: Context, hold_last: bool) -> PieceParsed {
    let lines = normalize::split_lines(text);
    let mut sink = Sink::new(rel_path);
    let mut period = None;
    match context {
        Context::Start => {
            let Some(first) = lines.iter().position(|l| !l.text.is_empty()) else {
                return PieceParsed {
                    parsed: parse_file(rel_path, text),
                    carry_from: None,
                    context: Context::Start,
                };
            };
            if let Some(header) = uppdrag::parse_header(&lines[first].text) {
                period = Some(uppdrag::parse(&mut sink, &lines, first, header));
            } else if goal::is_goal_title(&lines[first].text) {
                goal::parse(&mut sink, &lines, first);
            } else {
                plain::parse(&mut sink, &lines);
            }
        }
        Context::Uppdrag(p, statuses) => {
            period = Some(uppdrag::parse_blocks(&mut sink, &lines, p, statuses));
        }
        Context::Text => {
            plain::parse(&mut sink, &lines);
            // The file's warning about its format was given with its first piece.
            sink.parsed.warnings.retain(|w| w.line != 1);
        }
    }
    let mut parsed = sink.parsed;
    let Some((mut period, statuses)) = period else {
        return PieceParsed {
            parsed,
            carry_from: None,
            context: Context::Text,
        };
    };
    let mut carry_from = None;
    if hold_last {
        if let Some(held) = parsed.documents.pop() {
            parsed.warnings.retain(|w| w.line < held.line);
            carry_from = Some(held.line);
            // The period in force where the next piece starts again.
            period = uppdrag::Header {
                year: held.year,
                tertial: held.tertial,
            };
        }
    }
    PieceParsed {
        parsed,
        carry_from,
        context: Context::Uppdrag(period, statuses),
    }
}

/// The municipality of a file: the first folder below the corpus root
/// (`ostersund/2022-T3.txt` -> `ostersund`); `None` for a file at the root.
pub fn municipality(rel_path: &str) -> Option<String> {
    let parts: Vec<&str> = rel_path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.len() >= 2 {
        Some(parts[0].to_string())
    } else {
        None
    }
}

/// The last component of `rel_path` (the file name).
pub fn file_name(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

/// Year and tertial read from the file name (`2020-T1.txt` -> 2020, T1).
pub fn period_from_file_name(rel_path: &str) -> (Option<u16>, Option<Tertial>) {
    let name = file_name(rel_path);
    (normalize::find_year(name), normalize::find_tertial(name))
}

/// Collects the documents and warnings of one file and numbers the documents.
pub(crate) struct Sink<'a> {
    rel_path: &'a str,
    municipality: Option<String>,
    parsed: Parsed,
}

impl<'a> Sink<'a> {
    fn new(rel_path: &'a str) -> Self {
        Sink {
            rel_path,
            municipality: municipality(rel_path),
            parsed: Parsed::default(),
        }
    }

    /// The file's path relative to the corpus root.
    pub(crate) fn rel_path(&self) -> &str {
        self.rel_path
    }

    /// Record a warning about `line` (0 = the whole file).
    pub(crate) fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.parsed.warnings.push(Warning {
            notice: false,
            file: self.rel_path.to_string(),
            line,
            message: message.into(),
        });
    }

    /// How many warnings were recorded so far.
    pub(crate) fn warning_count(&self) -> usize {
        self.parsed.warnings.len()
    }

    /// Put the warnings recorded since the `from`-th in line order (stable: warnings
    /// about one line keep their order; whole-file warnings, line 0, come first).
    pub(crate) fn sort_warnings_from(&mut self, from: usize) {
        if let Some(w) = self.parsed.warnings.get_mut(from..) {
            w.sort_by_key(|w| w.line);
        }
    }

    /// A document of this file with everything but kind and line empty; `push` sets its id.
    pub(crate) fn document(&self, kind: Kind, line: usize) -> Document {
        Document {
            municipality: self.municipality.clone(),
            file: self.rel_path.to_string(),
            line,
            ..Document::new(String::new(), kind)
        }
    }

    /// Add a document, giving it the id `<rel_path>#<ordinal from 1>`.
    pub(crate) fn push(&mut self, mut doc: Document) {
        doc.id = crate::model::DocId::format(self.rel_path, self.parsed.documents.len() + 1);
        self.parsed.documents.push(doc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Light, Status};

    const T2021_3: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/ostersund/2021-T3.txt"
    ));
    const T2022_1: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/ostersund/2022-T1.txt"
    ));
    const T2022_3: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/ostersund/2022-T3.txt"
    ));
    const T2023_3: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/ostersund/2023-T3.txt"
    ));
    const MAL_1: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/ostersund/mal-1.txt"
    ));

    fn parse(name: &str, text: &str) -> Parsed {
        let p = parse_file(&format!("ostersund/{name}"), text);
        assert!(p.warnings.is_empty(), "{name}: {:?}", p.warnings);
        p
    }

    fn count(p: &Parsed, s: Status) -> usize {
        p.documents.iter().filter(|d| d.status == Some(s)).count()
    }

    fn committees(d: &Document) -> Vec<&str> {
        d.committees.iter().map(|c| c.as_str()).collect()
    }

    /// Invariants every document of every file must satisfy.
    fn check_clean(p: &Parsed) {
        for (i, d) in p.documents.iter().enumerate() {
            assert_eq!(d.id, format!("{}#{}", d.file, i + 1));
            for s in [&d.title, &d.body] {
                assert_eq!(s.trim(), s.as_str(), "{}", d.id);
                assert!(!s.contains("  "), "double space in {}: {s}", d.id);
                assert!(!s.contains(['\u{a0}', '\u{202f}', '\t', '\r']), "{}", d.id);
                assert!(!s.contains(" \n") && !s.contains("\n "), "{}", d.id);
            }
        }
    }

    #[test]
    fn corpus_2021_t3() {
        let p = parse("2021-T3.txt", T2021_3);
        check_clean(&p);
        let d = &p.documents;
        assert_eq!(d.len(), 12);
        assert!(d.iter().all(|d| d.kind == Kind::Uppdrag
            && d.year == Some(2021)
            && d.tertial == Some(Tertial::T3)
            && d.municipality.as_deref() == Some("ostersund")
            && d.file == "ostersund/2021-T3.txt"));
        assert_eq!(count(&p, Status::Genomfort), 8);
        assert_eq!(count(&p, Status::EjGenomfort), 4);
        let ks = d.iter().filter(|d| committees(d) == ["KS"]).count();
        assert_eq!(ks, 10);
        assert_eq!(d.iter().filter(|d| committees(d) == ["SAN"]).count(), 1);
        assert_eq!(d.iter().filter(|d| committees(d) == ["TN"]).count(), 1);

        assert_eq!(d[0].id, "ostersund/2021-T3.txt#1");
        assert_eq!(d[0].line, 3);
        assert_eq!(
            d[0].title,
            "Utveckla en metodik för risk- och hållbarhetsanalys inför politiska beslut"
        );
        assert_eq!(
            d[0].body,
            "Ett förslag till metodik för risk- och hållbarhetsanalys inför politiska beslut är framtagen och kommer att implementeras under år 2022."
        );
        assert_eq!(d[1].line, 10);
        // Earlier parentheses stay; only the final group is the committee.
        assert!(d[2]
            .title
            .ends_with("lagen (2009:724) om nationella minoriteter och minoritetsspråk"));
        assert_eq!(committees(&d[2]), ["KS"]);
        // "genomfört\u{a0} under året" still matches.
        assert_eq!(d[2].status, Some(Status::Genomfort));
        // A title ending in "?" keeps it.
        assert_eq!(
            d[5].title,
            "Utred hur en klimatbudget ska utformas för Östersunds kommun?"
        );
        assert_eq!(d[5].status, Some(Status::EjGenomfort));
        // Body paragraphs joined by a blank line; trailing NBSP+space gone.
        assert!(d[3]
            .body
            .contains("inom kommunkoncernen.\n\nRekrytering av jurist"));
        assert_eq!(d[11].id, "ostersund/2021-T3.txt#12");
        assert_eq!(
            d[11].title,
            "Implementera processen för medborgarinflytande"
        );
        assert!(d[11].body.ends_with("fortsätta under 2022."));
    }

    #[test]
    fn comment_beginning_with_uppdraget_is_body() {
        let p = parse("2021-T3.txt", T2021_3);
        let d = &p.documents[4];
        assert_eq!(
            d.title,
            "Utred konsekvenser av köp- och säljmodellen samt beställar- och utförarmodellen"
        );
        assert_eq!(d.status, Some(Status::EjGenomfort)); // "inte\u{a0} genomfört"
        assert!(d
            .body
            .starts_with("Uppdraget flyttas till 2022 då både ekonomidirektör"));
        let d = &p.documents[7];
        assert_eq!(d.status, Some(Status::EjGenomfort));
        assert!(d.body.starts_with("Uppdraget flyttas till 2022 då"));
    }

    #[test]
    fn corpus_2022_t1() {
        let p = parse("2022-T1.txt", T2022_1);
        check_clean(&p);
        let d = &p.documents;
        assert_eq!(d.len(), 5);
        assert_eq!(count(&p, Status::BedomsGenomforas), 5);
        assert!(d
            .iter()
            .all(|d| d.year == Some(2022) && d.tertial == Some(Tertial::T1)));
        assert_eq!(
            d.iter().filter(|d| committees(d) == ["KS", "SAN"]).count(),
            2
        );
        assert_eq!(committees(&d[2]), ["KS", "SAN"]);
        assert_eq!(committees(&d[4]), ["KS", "SAN"]);
        // Line-wrap hyphens are left as they are.
        assert!(d[2].body.contains("arbetsmarknads- politiken"));
        assert_eq!(
            d[4].title,
            "Öka och anpassa utbudet av arbetsmarknads- och studieförberedande insatser"
        );
        assert_eq!(d[4].line, 31);
    }

    #[test]
    fn corpus_2022_t3() {
        let p = parse("2022-T3.txt", T2022_3);
        check_clean(&p);
        let d = &p.documents;
        assert_eq!(d.len(), 6);
        assert_eq!(count(&p, Status::Genomfort), 4);
        assert_eq!(count(&p, Status::EjGenomfort), 2);
        assert!(d
            .iter()
            .all(|d| d.year == Some(2022) && d.tertial == Some(Tertial::T3)));
        assert_eq!(
            d[1].title,
            "Öka barns välbefinnande genom att lägga ökat fokus på friskfaktorer"
        );
        // Double spaces inside the text ("samlad\u{a0}  bild") collapse.
        assert!(d[1].body.contains("en samlad bild av vilka friskfaktorer"));
        assert_eq!(
            d[5].title,
            "Öka kunskapen om val för förstagångsväljare och grupper med lågt valdeltagande"
        );
        assert_eq!(committees(&d[5]), ["KS"]);
        assert_eq!(d[5].line, 40);
        assert_eq!(d[5].id, "ostersund/2022-T3.txt#6");
    }

    #[test]
    fn corpus_2023_t3() {
        let p = parse("2023-T3.txt", T2023_3);
        check_clean(&p);
        let d = &p.documents;
        assert_eq!(d.len(), 5);
        assert_eq!(count(&p, Status::Genomfort), 2);
        assert_eq!(count(&p, Status::EjGenomfort), 3);
        assert!(d
            .iter()
            .all(|d| d.year == Some(2023) && d.tertial == Some(Tertial::T3)));
        assert_eq!(committees(&d[0]), ["VON", "BUN", "SAN", "KFN"]);
        assert_eq!(d[0].status, Some(Status::Genomfort)); // "Uppdraget är genomfört."
        assert_eq!(committees(&d[1]), ["alla"]);
        assert_eq!(
            d[1].title,
            "Arbeta för att stärka kommunens förutsättningar att förebygga suicid"
        );
        assert_eq!(d[1].status, Some(Status::Genomfort));
        // A wrapped last paragraph is joined with a space.
        assert!(d[4].body.ends_with(
            "tillsammans med Umeå kommun. Insatser för att öka kunskapen om det demokratiska systemet inför EU-valet i juni kommer att genomföras under år 2024."
        ));
        assert!(d[2].body.contains("med MIUN . Förändring"));
    }

    #[test]
    fn corpus_mal_1() {
        let p = parse("mal-1.txt", MAL_1);
        check_clean(&p);
        let d = &p.documents;
        let title = "Mål 1 - I Östersunds kommun har vi en tillväxt som är jämställd och ekonomiskt hållbar, där alla känner sig delaktiga";
        assert!(d.iter().all(|d| d.kind == Kind::Mal
            && d.title == title
            && d.updated.as_deref() == Some("2024-01-18")
            && d.committees.is_empty()
            && d.status.is_none()
            && d.tertial.is_none()));
        let sections: Vec<(&str, Option<u16>, usize)> = d
            .iter()
            .map(|d| (d.section.as_deref().unwrap_or(""), d.year, d.line))
            .collect();
        assert_eq!(
            sections,
            vec![
                ("Inledning", None, 3),
                ("Investeringar 2023", Some(2023), 21),
                ("Uppdrag från fullmäktige", Some(2022), 29),
                ("Investeringar", Some(2022), 63),
                ("Nyckeltal", Some(2022), 67),
                ("Avstämning mot politisk text", Some(2022), 73),
                ("Helhetsbedömning", Some(2022), 81),
                ("Nyckeltal 2022", Some(2022), 95),
            ]
        );
        assert!(d.iter().any(|d| d.year == Some(2023)));
        let items: Vec<_> = d.iter().flat_map(|d| d.items.iter()).collect();
        assert_eq!(items.len(), 6);
        assert_eq!(items.iter().filter(|i| i.light == Light::Rod).count(), 2);
        assert_eq!(items.iter().filter(|i| i.light == Light::Gron).count(), 4);
        assert_eq!(d[2].items.len(), 6);
        assert_eq!(
            items[0].title,
            "Skapa en tydlig och gemensam omvärldsbild av Östersund"
        );
        // Same assignment, other committee than in 2022-T3.txt ("(KS)"): kept as written.
        assert_eq!(
            items[5].title,
            "Öka kunskapen om val för förstagångsväljare och grupper med lågt valdeltagande"
        );
        assert_eq!(items[5].committees[0].as_str(), "TN");
        // Spelled "barn" here, "barns" in 2022-T3.txt: both kept as written.
        assert_eq!(
            items[1].title,
            "Öka barn välbefinnande genom att lägga ökat fokus på friskfaktorer"
        );
        // The light items are not body text.
        assert!(d[2]
            .body
            .starts_with("Under perioden har ett flertal insatser"));
        assert!(!d
            .iter()
            .any(|d| d.body.contains("Röd") || d.body.contains("Sidan uppdaterad")));
        assert_eq!(
            d[1].body,
            "Inga större investeringar är kopplade till målet."
        );
        assert_eq!(d[7].body, "För att nå målet har vi bland annat:");
        assert!(d[0].body.starts_with("Mål 1 handlar om kommunens ledning"));
        assert_eq!(d[0].id, "ostersund/mal-1.txt#1");
    }

    #[test]
    fn same_assignment_committee_as_written_in_each_report() {
        let t3 = parse("2022-T3.txt", T2022_3);
        let mal = parse("mal-1.txt", MAL_1);
        let title =
            "Öka kunskapen om val för förstagångsväljare och grupper med lågt valdeltagande";
        let a = t3
            .documents
            .iter()
            .find(|d| d.title == title)
            .map(committees);
        let b = mal
            .documents
            .iter()
            .flat_map(|d| d.items.iter())
            .find(|i| i.title == title)
            .map(|i| i.committees[0].as_str());
        assert_eq!(a, Some(vec!["KS"]));
        assert_eq!(b, Some("TN"));
    }

    #[test]
    fn cr_only_line_endings_parse_like_lf() {
        let cr = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/cr-only-line-endings.txt"
        ));
        assert!(!cr.contains('\n'));
        let want = parse("2022-T3.txt", T2022_3);
        let got = parse("2022-T3.txt", cr);
        check_clean(&got);
        let key = |p: &Parsed| -> Vec<(usize, String, Option<Status>, String)> {
            p.documents
                .iter()
                .map(|d| (d.line, d.title.clone(), d.status, d.body.clone()))
                .collect()
        };
        assert_eq!(key(&got), key(&want));
        assert_eq!(got.documents.len(), 6);
    }

    /// Why a line that is in no document's text is still accounted for: the lines the
    /// parser reads as structure rather than text, by its own recognisers.
    #[derive(Debug)]
    enum Structure {
        /// `.` between assignments.
        Separator,
        /// A report header, or the same header again as a page header.
        ReportHeader,
        /// "Röd"/"Gul"/"Grön" before a goal-page item: the item's light.
        Light,
        /// A status label line ("Bedöms bli genomförd"): the status.
        Label,
        /// A committee line ("(Kommunstyrelsen) ."): the committees.
        CommitteeLine,
        /// A status sentence: the status; what follows it is body text.
        StatusSentence,
        /// A title line ending in its committee group: title and committees.
        TitleWithGroup,
        /// A goal-page heading with nothing under it before the next heading: an empty
        /// section makes no document (its heading says nothing of its own).
        EmptyHeading,
    }

    /// How `line` (normalised, non-empty) of a file ends up in `docs`, the documents of
    /// that file; `None` when it is lost.
    fn account(line: &str, docs: &[Document]) -> Option<Option<Structure>> {
        let in_text = |t: &str| {
            docs.iter().any(|d| {
                [Some(d.title.as_str()), Some(d.body.as_str())]
                    .into_iter()
                    .chain([d.unit.as_deref(), d.section.as_deref()])
                    .flatten()
                    .chain(d.items.iter().map(|i| i.title.as_str()))
                    .any(|f| f.contains(t))
            })
        };
        let has_committees = |cs: &[crate::model::Committee]| {
            docs.iter().any(|d| {
                cs.iter().all(|c| {
                    d.committees.contains(c) || d.items.iter().any(|i| i.committees.contains(c))
                })
            })
        };
        let has_status = |s: Status| docs.iter().any(|d| d.status == Some(s));
        if in_text(line) {
            return Some(None);
        }
        if line == "." {
            return Some(Some(Structure::Separator));
        }
        if uppdrag::parse_header(line).is_some() {
            return Some(Some(Structure::ReportHeader));
        }
        if goal::heading(line).is_some() {
            return Some(Some(Structure::EmptyHeading));
        }
        if goal::updated_line(line)
            .is_some_and(|u| docs.iter().any(|d| d.updated == Some(u.clone())))
        {
            return Some(None);
        }
        if let Some(l) = Light::parse(line) {
            let found = docs.iter().flat_map(|d| &d.items).any(|i| i.light == l);
            return found.then_some(Some(Structure::Light));
        }
        if let Some(s) = status::match_label(line) {
            return has_status(s).then_some(Some(Structure::Label));
        }
        if let Some((cs, _)) = committee::committee_line(line) {
            return has_committees(&cs).then_some(Some(Structure::CommitteeLine));
        }
        if let Some(status::StatusMatch::Sentence { status, rest }) = status::match_status(line) {
            return (has_status(status) && (rest.is_empty() || in_text(&rest)))
                .then_some(Some(Structure::StatusSentence));
        }
        let (title, group) = committee::split_title(line);
        if !group.is_empty() && in_text(&title) && has_committees(&group) {
            return Some(Some(Structure::TitleWithGroup));
        }
        None
    }

    /// Every file below `dir`, sorted.
    fn files_below(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                files_below(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    /// Issue 15: nothing in a file is dropped. Every non-empty line of every fixture and
    /// of the bundled corpus ends up in some document's title, body, unit, committees,
    /// status, section, items or update date, or is structure the parser recognises
    /// ([`Structure`]).
    #[test]
    fn every_line_ends_up_somewhere() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        files_below(&root.join("tests/fixtures"), &mut files);
        files_below(&root.join("corpus"), &mut files);
        assert!(files.len() >= 20, "{files:?}");
        let mut lost = Vec::new();
        let mut units = 0;
        for path in &files {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
            let p = parse_file(&rel, &text);
            units += p.documents.iter().filter(|d| d.unit.is_some()).count();
            for l in normalize::split_lines(&text) {
                if !l.text.is_empty() && account(&l.text, &p.documents).is_none() {
                    lost.push(format!("{rel}:{}: {}", l.no, l.text));
                }
            }
        }
        assert!(
            lost.is_empty(),
            "lines in no document:\n{}",
            lost.join("\n")
        );
        assert!(units >= 7, "{units}");
    }

    /// A report without statuses read in pieces says so once; one with statuses in an
    /// earlier piece warns per assignment in the later ones.
    #[test]
    fn no_statuses_is_said_once_per_file_read_in_pieces() {
        let read_in_two = |text: &str| -> (usize, Vec<Warning>) {
            let cut = text.find("\n.\n(Kultur- och fritidsnämnden, ").unwrap() + 1;
            let first = parse_piece("k/2022-T3.txt", &text[..cut], Context::Start, true);
            let from = first.carry_from.unwrap();
            let carried = &text[..cut][normalize::line_offset(&text[..cut], from)..];
            let rest = format!("{carried}{}", &text[cut..]);
            let second = parse_piece("k/2022-T3.txt", &rest, first.context, false);
            let docs = first.parsed.documents.len() + second.parsed.documents.len();
            let mut w = first.parsed.warnings;
            w.extend(second.parsed.warnings);
            (docs, w)
        };
        let view = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/unit-lines-committee-view.txt"
        ));
        let (docs, w) = read_in_two(view);
        assert_eq!(docs, 6);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].line == 0 && w[0].message.starts_with(uppdrag::NO_STATUSES));
        // A status in the first piece: the later comments without one are warned about.
        let with_status = view.replacen(
            "Biblioteksverksamheten",
            "Uppdraget är genomfört.\n\nBiblioteksverksamheten",
            1,
        );
        let (docs, w) = read_in_two(&with_status);
        assert_eq!(docs, 6);
        assert!(
            w.iter()
                .all(|w| w.line > 0 && w.message.starts_with("no status")),
            "{w:?}"
        );
        assert_eq!(w.len(), 5, "{w:?}");
    }

    #[test]
    fn municipality_and_file_name() {
        for (path, want) in [
            ("ostersund/2022-T3.txt", Some("ostersund")),
            ("a/b/c.txt", Some("a")),
            ("2022-T3.txt", None),
            ("", None),
        ] {
            assert_eq!(municipality(path).as_deref(), want, "{path}");
        }
        assert_eq!(file_name("a/b/2020-T1.txt"), "2020-T1.txt");
        assert_eq!(
            period_from_file_name("x/2020-T1.txt"),
            (Some(2020), Some(Tertial::T1))
        );
    }

    #[test]
    fn empty_and_blank_files() {
        for text in ["", "\n\n", " \t\u{a0}\r\n\u{feff}  \n"] {
            let p = parse_file("x.txt", text);
            assert!(p.documents.is_empty());
            assert_eq!(p.warnings.len(), 1);
            assert_eq!(p.warnings[0].message, "empty file");
            assert_eq!(p.warnings[0].file, "x.txt");
        }
    }

    #[test]
    fn detection_is_by_text_not_name() {
        let p = parse_file("ostersund/2022-T3.txt", "Lite löptext\n\nMer text.");
        assert_eq!(p.documents[0].kind, Kind::Text);
        let p = parse_file(
            "notes.txt",
            "T2 2021 Uppdrag. Kommentar T2 2021\n.\nTitel (KS)\n\nUppdraget är genomfört.\n",
        );
        assert_eq!(p.documents[0].kind, Kind::Uppdrag);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let p = parse_file("x.txt", "Mål 3 - Trygghet\n\nText.");
        assert_eq!(p.documents[0].kind, Kind::Mal);
    }

    /// What any parse must give, whatever the text: ids numbered `rel#1..` in order, lines
    /// inside the text, a title on every document, and warnings about this file within
    /// its lines. (A text may give nothing at all: the indexer warns about that.)
    fn assert_sane(rel: &str, text: &str, p: &Parsed) {
        // Lines end at \n, \r\n or a lone \r (old Mac exports).
        let n_lines = normalize::count_breaks(text) + 1;
        for (i, d) in p.documents.iter().enumerate() {
            assert_eq!(d.id, format!("{rel}#{}", i + 1), "in {text:?}");
            assert!(d.line >= 1 && d.line <= n_lines, "{} in {text:?}", d.line);
            assert!(!d.title.is_empty(), "{d:?} in {text:?}");
        }
        for w in &p.warnings {
            assert_eq!(w.file, rel);
            assert!(w.line <= n_lines, "{w:?} in {text:?}");
        }
    }

    #[test]
    fn never_panics_on_random_edits() {
        // Deterministic pseudo-random inserts and deletions (a small LCG, no extra crates).
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n.max(1)
        };
        let pieces = [
            "(",
            ")",
            ".",
            "\n",
            "\r\n",
            "\u{a0}",
            "\u{feff}",
            "\t",
            "(Kommunstyrelsen) .\n",
            "Bedöms bli genomförd\n",
            "Grön\n",
            "Nyckeltal 2021\n",
            "Uppdraget är genomfört.",
            "å",
            "\u{308}",
            "?",
            "Sidan uppdaterad\n",
            "\n.\n",
            "Mål: X\n",
            "Uppdrag Kommentar\n",
        ];
        let bases = [T2021_3, T2022_1, T2022_3, T2023_3, MAL_1, ""];
        for round in 0..400 {
            let mut text: Vec<char> = bases[round % bases.len()].chars().collect();
            for _ in 0..1 + next(12) {
                let at = next(text.len() + 1);
                if next(3) == 0 && !text.is_empty() {
                    let end = (at + next(200)).min(text.len());
                    text.drain(at.min(end)..end);
                } else {
                    let p: Vec<char> = pieces[next(pieces.len())].chars().collect();
                    text.splice(at..at, p);
                }
            }
            let text: String = text.into_iter().collect();
            let p = parse_file("m/2022-T3.txt", &text);
            assert_sane("m/2022-T3.txt", &text, &p);
        }
    }

    #[test]
    fn never_panics_on_mutations() {
        // A cheap stand-in for the property test: cut every sample at many byte offsets
        // (on char boundaries), and splice odd characters in.
        let odd = [
            "(",
            ")",
            ".",
            "\r",
            "\u{a0}",
            "(KS) .",
            "Röd",
            "\u{308}",
            "Uppdraget är",
            "\n.\n",
        ];
        for text in [T2021_3, T2022_1, T2022_3, T2023_3, MAL_1] {
            let mut cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(97).collect();
            cuts.push(text.len());
            for (k, &c) in cuts.iter().enumerate() {
                let (a, b) = text.split_at(c);
                let spliced = format!("{a}{}{b}", odd[k % odd.len()]);
                for t in [a, b, spliced.as_str()] {
                    assert_sane("m/x.txt", t, &parse_file("m/x.txt", t));
                }
            }
        }
    }
}
