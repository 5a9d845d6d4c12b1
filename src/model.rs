//! Domain types shared by the parser, the index and the output: what a report *is*,
//! independent of how it is stored or shown.
//!
//! Swedish words appear only in the wire/slug forms (`genomfort`, `uppdrag`), which are a
//! contract with scripts; the Rust names are English.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of text a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One assignment ("uppdrag") from a tertial report.
    Uppdrag,
    /// One section passage of a goal page ("mål").
    Mal,
    /// A passage of a file whose format was not recognised.
    Text,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Uppdrag, Kind::Mal, Kind::Text];

    /// The slug used in the index, JSON and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Uppdrag => "uppdrag",
            Kind::Mal => "mal",
            Kind::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match crate::model::fold_slug(s).as_str() {
            "uppdrag" => Some(Kind::Uppdrag),
            "mal" => Some(Kind::Mal),
            "text" => Some(Kind::Text),
            _ => None,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A four-month reporting period; T3 is the full-year report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Tertial {
    T1,
    T2,
    T3,
}

impl Tertial {
    pub const ALL: [Tertial; 3] = [Tertial::T1, Tertial::T2, Tertial::T3];

    pub fn as_str(self) -> &'static str {
        match self {
            Tertial::T1 => "T1",
            Tertial::T2 => "T2",
            Tertial::T3 => "T3",
        }
    }

    /// Accepts `T1`, `t1` or `1`.
    pub fn parse(s: &str) -> Option<Tertial> {
        match s.trim().to_ascii_uppercase().trim_start_matches('T') {
            "1" => Some(Tertial::T1),
            "2" => Some(Tertial::T2),
            "3" => Some(Tertial::T3),
            _ => None,
        }
    }
}

impl fmt::Display for Tertial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The reported state of an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// "Uppdraget är genomfört (under året)."
    Genomfort,
    /// "Uppdraget är inte genomfört under året."
    EjGenomfort,
    /// "Uppdraget bedöms bli genomfört (under året)."
    BedomsGenomforas,
    /// "Uppdraget bedöms inte bli genomfört under året."
    BedomsEjGenomforas,
    /// "Uppdraget är delvis genomfört ..."
    DelvisGenomfort,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Genomfort,
        Status::EjGenomfort,
        Status::BedomsGenomforas,
        Status::BedomsEjGenomforas,
        Status::DelvisGenomfort,
    ];

    /// The slug used in the index, JSON and filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Genomfort => "genomfort",
            Status::EjGenomfort => "ej_genomfort",
            Status::BedomsGenomforas => "bedoms_genomforas",
            Status::BedomsEjGenomforas => "bedoms_ej_genomforas",
            Status::DelvisGenomfort => "delvis_genomfort",
        }
    }

    /// Swedish wording for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Genomfort => "genomfört",
            Status::EjGenomfort => "inte genomfört",
            Status::BedomsGenomforas => "bedöms bli genomfört",
            Status::BedomsEjGenomforas => "bedöms inte bli genomfört",
            Status::DelvisGenomfort => "delvis genomfört",
        }
    }

    /// The short wording of the one-line histories, `--group` and `slipping`:
    /// "ej genomfört", "bedöms genomfört", ...
    pub fn short_label(self) -> &'static str {
        match self {
            Status::Genomfort => "genomfört",
            Status::EjGenomfort => "ej genomfört",
            Status::BedomsGenomforas => "bedöms genomfört",
            Status::BedomsEjGenomforas => "bedöms ej genomfört",
            Status::DelvisGenomfort => "delvis genomfört",
        }
    }

    /// Every way the program writes this status: the slug, the label and the short
    /// label. [`Status::parse`] accepts each of them.
    pub fn printed_forms(self) -> [&'static str; 3] {
        [self.as_str(), self.label(), self.short_label()]
    }

    /// Accepts the slugs and Swedish wording, in either gender (-t/-d), with `ej` or
    /// `inte`, with or without "bli", "uppdraget är" and "under året": `ej_genomfort`,
    /// "inte genomförd", "bedöms genomfört", "bedöms inte bli genomförd", "klar", ...
    pub fn parse(s: &str) -> Option<Status> {
        let folded = fold_slug(s);
        let words: Vec<&str> = folded
            .split('_')
            .filter_map(|w| match w {
                // Words that do not change the status.
                "uppdraget" | "uppdragen" | "ar" | "bli" | "under" | "aret" => None,
                "inte" => Some("ej"),
                "bedomt" | "bedomd" => Some("bedoms"),
                "genomfort" | "genomford" | "genomforda" | "genomforas" | "genomforts" | "klar"
                | "klart" | "klara" | "done" => Some("genomfort"),
                "ejgenomfort" | "ejgenomford" => Some("ej genomfort"),
                w => Some(w),
            })
            .collect();
        match words.join(" ").as_str() {
            "genomfort" => Some(Status::Genomfort),
            "ej genomfort" | "not genomfort" => Some(Status::EjGenomfort),
            "bedoms genomfort" => Some(Status::BedomsGenomforas),
            "bedoms ej genomfort" | "ej bedoms genomfort" => Some(Status::BedomsEjGenomforas),
            "delvis genomfort" | "delvis" => Some(Status::DelvisGenomfort),
            _ => None,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Earliest year a filter or report may name.
pub const MIN_YEAR: u16 = 1900;
/// Latest year a filter or report may name.
pub const MAX_YEAR: u16 = 2199;

/// One year typed by a user: `2022` (the message names the input; callers add what
/// to write instead).
pub fn parse_year(s: &str) -> Result<u16, String> {
    let y = s.trim();
    match y.parse::<u16>() {
        Ok(n) if (MIN_YEAR..=MAX_YEAR).contains(&n) => Ok(n),
        _ => Err(format!("'{y}' is not a year")),
    }
}

/// An inclusive year range as users write it: `2022`, `2021..2023`, `2021..=2023`,
/// `2021-2023` (also with an en dash), open-ended `2021..` and `..2023`. The one parser
/// of year ranges: `--year`, the relevance judgments and any later caller use it.
pub fn parse_year_range(s: &str) -> Result<(u16, u16), String> {
    let s = s.trim();
    let hint = "write e.g. 2022, 2021..2023, 2021-2023, 2021.. or ..2023";
    let year = |y: &str| parse_year(y).map_err(|e| format!("{e}; {hint}"));
    let split = s
        .split_once("..=")
        .or_else(|| s.split_once(".."))
        .or_else(|| s.split_once('–'))
        .or_else(|| s.split_once('-'));
    let (a, b) = match split {
        None => {
            let y = year(s)?;
            (y, y)
        }
        Some((a, b)) if a.trim().is_empty() && b.trim().is_empty() => {
            return Err(format!("'{s}' names no year; {hint}"))
        }
        Some((a, b)) => (
            if a.trim().is_empty() {
                MIN_YEAR
            } else {
                year(a)?
            },
            if b.trim().is_empty() {
                MAX_YEAR
            } else {
                year(b)?
            },
        ),
    };
    if a > b {
        return Err(format!(
            "year range {a}..{b} is empty; write the earlier year first"
        ));
    }
    Ok((a, b))
}

/// Lowercase, fold å/ä/ö to a/a/o and turn runs of spaces, hyphens and dots into `_`,
/// so that user-typed filter values compare with slugs.
pub fn fold_slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut sep = false;
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            c => c,
        };
        if c.is_alphanumeric() {
            if sep && !out.is_empty() {
                out.push('_');
            }
            sep = false;
            out.push(c);
        } else {
            sep = true;
        }
    }
    out
}

/// A committee ("nämnd"), normalised to its usual abbreviation where one is known
/// (`KS`, `BUN`, ...), `alla` for "Alla nämnder", otherwise the name as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(transparent)]
pub struct Committee(String);

/// Full committee names and their abbreviations: the one table of them.
pub const COMMITTEE_NAMES: &[(&str, &str)] = &[
    ("kommunstyrelsen", "KS"),
    ("kommunfullmäktige", "KF"),
    ("tekniska nämnden", "TN"),
    ("kultur- och fritidsnämnden", "KFN"),
    ("kultur och fritidsnämnden", "KFN"),
    ("barn- och utbildningsnämnden", "BUN"),
    ("barn och utbildningsnämnden", "BUN"),
    ("vård- och omsorgsnämnden", "VON"),
    ("vård och omsorgsnämnden", "VON"),
    ("social- och arbetsmarknadsnämnden", "SAN"),
    ("social och arbetsmarknadsnämnden", "SAN"),
    ("miljö- och samhällsnämnden", "MSN"),
    ("miljö och samhällsnämnden", "MSN"),
    ("valnämnden", "VAL"),
    ("överförmyndarnämnden", "ÖFN"),
    ("revisionen", "REV"),
    ("alla nämnder", "alla"),
    ("samtliga nämnder", "alla"),
];

impl Committee {
    /// The value for assignments addressed to every committee.
    pub const ALL_VALUE: &'static str = "alla";

    /// Normalise a committee as written in a report or typed by a user:
    /// `KS`, `ks`, `Kommunstyrelsen`, `(Alla nämnder)` -> `KS`, `KS`, `KS`, `alla`.
    /// Returns `None` for an empty string.
    pub fn new(raw: &str) -> Option<Committee> {
        let trimmed = raw
            .trim()
            .trim_matches(|c: char| c == '(' || c == ')' || c == '.' || c.is_whitespace());
        let collapsed: String = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return None;
        }
        let lower = collapsed.to_lowercase();
        if let Some((_, abbr)) = COMMITTEE_NAMES.iter().find(|(name, _)| *name == lower) {
            return Some(Committee((*abbr).to_string()));
        }
        if lower == "alla" {
            return Some(Committee(Self::ALL_VALUE.to_string()));
        }
        // An abbreviation: short and without spaces -> upper case.
        if collapsed.chars().count() <= 6 && !collapsed.contains(' ') {
            return Some(Committee(collapsed.to_uppercase()));
        }
        Some(Committee(collapsed))
    }

    /// Whether `s` names a known committee in full (used to recognise committee lines).
    pub fn is_known_full_name(s: &str) -> bool {
        let lower = s
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        COMMITTEE_NAMES.iter().any(|(name, _)| *name == lower)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the "all committees" value.
    pub fn is_all(&self) -> bool {
        self.0 == Self::ALL_VALUE
    }
}

impl fmt::Display for Committee {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A goal page's traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    Rod,
    Gul,
    Gron,
}

impl Light {
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Rod => "rod",
            Light::Gul => "gul",
            Light::Gron => "gron",
        }
    }

    /// The Swedish word as printed on the page.
    pub fn label(self) -> &'static str {
        match self {
            Light::Rod => "Röd",
            Light::Gul => "Gul",
            Light::Gron => "Grön",
        }
    }

    /// Recognises a line that is only "Röd", "Gul" or "Grön" (any case, trimmed).
    pub fn parse(s: &str) -> Option<Light> {
        match s.trim().to_lowercase().as_str() {
            "röd" | "rod" => Some(Light::Rod),
            "gul" => Some(Light::Gul),
            "grön" | "gron" => Some(Light::Gron),
            _ => None,
        }
    }
}

/// A traffic-light line of a goal page: the light and the assignment it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightItem {
    pub light: Light,
    pub title: String,
    pub committees: Vec<Committee>,
    /// The assignment thread this item belongs to (set at index time, see
    /// `crate::threads`); absent before indexing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
}

/// One searchable unit: an assignment, a goal-page section, or a plain-text passage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// `<file relative to the corpus root>#<ordinal from 1>`, e.g. `ostersund/2022-T3.txt#2`.
    pub id: String,
    pub kind: Kind,
    /// First folder below the corpus root; `None` for a file at the root.
    pub municipality: Option<String>,
    /// Path relative to the corpus root, `/`-separated.
    pub file: String,
    /// 1-based line in the file where the document starts.
    pub line: usize,
    pub year: Option<u16>,
    pub tertial: Option<Tertial>,
    /// Title without the trailing committee group.
    pub title: String,
    pub committees: Vec<Committee>,
    /// The unit that answers for an assignment ("Bibliotek", "Kultur- och
    /// fritidsenheten"): the short line between title and comment in committee views;
    /// `None` when the report names none.
    #[serde(default)]
    pub unit: Option<String>,
    pub status: Option<Status>,
    /// Goal pages: the heading of this section.
    pub section: Option<String>,
    /// Paragraphs joined by a blank line ("\n\n").
    pub body: String,
    /// Goal pages: "Sidan uppdaterad 2024-01-18" as `2024-01-18`.
    pub updated: Option<String>,
    /// Goal pages: the traffic-light items of this section.
    pub items: Vec<LightItem>,
    /// The assignment thread (the same assignment across reports of one municipality),
    /// set at index time for assignments (`crate::threads`); goal-page items carry
    /// their own; `None` for everything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    /// Where in its source file the document starts: the file's format and, for a PDF,
    /// the page (for an HTML page, the nearest heading anchor). The way back to the page.
    #[serde(default)]
    pub source: Source,
    /// When this id with this text ([`Document::content_hash`]) was first indexed: the
    /// build time of that generation, carried over by every rebuild while the text stays
    /// the same. Set at index time; `None` before indexing and in indexes built before
    /// the field existed.
    #[serde(default)]
    pub first_seen: Option<crate::timestamp::Timestamp>,
}

/// The format a corpus file was read as (recognised by its content, see
/// `crate::ingest`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text (`.txt`, or a file named with `--include`).
    #[default]
    Txt,
    Pdf,
    Docx,
    Odt,
    Html,
}

impl SourceFormat {
    /// Every format, in the order the README lists them.
    pub const ALL: [SourceFormat; 5] = [
        SourceFormat::Txt,
        SourceFormat::Pdf,
        SourceFormat::Docx,
        SourceFormat::Odt,
        SourceFormat::Html,
    ];

    /// The lower-case name used in JSON and messages (`pdf`).
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Txt => "txt",
            SourceFormat::Pdf => "pdf",
            SourceFormat::Docx => "docx",
            SourceFormat::Odt => "odt",
            SourceFormat::Html => "html",
        }
    }

    /// The format named `s` (as [`SourceFormat::as_str`] writes it).
    pub fn parse(s: &str) -> Option<SourceFormat> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// Where a document starts in its source file (see [`Document::source`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Source {
    /// The format the file was read as.
    #[serde(default)]
    pub format: SourceFormat,
    /// The 1-based page of a paged format (PDF) on which the document starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The id of the nearest heading at or before the document in an HTML page
    /// (`uppdrag-3`, for `page.html#uppdrag-3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

impl Source {
    /// True for plain text with no page or anchor (what every document had before other
    /// formats were read).
    pub fn is_plain(&self) -> bool {
        *self == Source::default()
    }
}

impl Document {
    /// A document of `kind` with this id and nothing else: its file is the id before
    /// `#`, its municipality the file's first folder (`None` for a file at the root),
    /// line 1, no period, title, committees, status, body or items. The parser, tests and
    /// benches fill in what they know with struct update syntax:
    ///
    /// ```
    /// use rapportsok::model::{Document, Kind, Tertial};
    /// let d = Document {
    ///     title: "Genomför projektet".into(),
    ///     year: Some(2022),
    ///     tertial: Some(Tertial::T3),
    ///     ..Document::new("m/2022-T3.txt#1", Kind::Uppdrag)
    /// };
    /// assert_eq!(d.file, "m/2022-T3.txt");
    /// assert_eq!(d.municipality.as_deref(), Some("m"));
    /// assert_eq!(Document::new("a.txt#1", Kind::Text).municipality, None);
    /// ```
    pub fn new(id: impl Into<String>, kind: Kind) -> Document {
        let id = id.into();
        let file = DocId::file_of(&id);
        let municipality = file.split_once('/').map(|(m, _)| m.to_string());
        Document {
            file: file.to_string(),
            municipality,
            id,
            kind,
            line: 1,
            year: None,
            tertial: None,
            title: String::new(),
            committees: Vec::new(),
            status: None,
            section: None,
            body: String::new(),
            updated: None,
            unit: None,
            items: Vec::new(),
            thread: None,
            source: Source::default(),
            first_seen: None,
        }
    }

    /// A hash of what the document says (title, section, unit, status, committees,
    /// body, update date and goal-page lights; not its id, place or thread): a rebuild
    /// keeps a document's `first_seen` only when this is unchanged. FNV-1a over the
    /// fields with a separator after each, stable across builds and Rust versions.
    pub fn content_hash(&self) -> u64 {
        let mut h = Fnv::default();
        h.field(&self.title);
        h.field(self.section.as_deref().unwrap_or(""));
        h.field(self.unit.as_deref().unwrap_or(""));
        h.field(self.status.map_or("", Status::as_str));
        for c in &self.committees {
            h.field(c.as_str());
        }
        h.field("");
        h.field(&self.body);
        h.field(self.updated.as_deref().unwrap_or(""));
        for item in &self.items {
            h.field(item.light.as_str());
            h.field(&item.title);
            for c in &item.committees {
                h.field(c.as_str());
            }
            h.field("");
        }
        h.0
    }
}

/// 64-bit FNV-1a ([`Document::content_hash`]).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    /// Hash a field's bytes and a 0xff separator (a byte UTF-8 never holds), so that
    /// moving text from one field to the next changes the hash.
    fn field(&mut self, s: &str) {
        for &b in s.as_bytes().iter().chain(&[0xff]) {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A document id: the file's path relative to the corpus root, `#`, and the document's
/// ordinal in the file from 1 (`ostersund/2023-T3.txt#1`). The one place ids are made and
/// taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocId<'a> {
    pub file: &'a str,
    pub ordinal: usize,
}

impl<'a> DocId<'a> {
    /// The id of the `ordinal`-th document of `file`.
    pub fn format(file: &str, ordinal: usize) -> String {
        format!("{file}#{ordinal}")
    }

    /// Split an id at its last `#` (a file name may hold `#`); `None` without one or with
    /// an ordinal that is not a number.
    pub fn parse(id: &'a str) -> Option<DocId<'a>> {
        let (file, n) = id.rsplit_once('#')?;
        Some(DocId {
            file,
            ordinal: n.parse().ok()?,
        })
    }

    /// The file part of an id (the whole text when it has no `#`).
    pub fn file_of(id: &str) -> &str {
        id.rsplit_once('#').map_or(id, |(f, _)| f)
    }

    /// The ordinal of an id, 0 when it has none.
    pub fn ordinal_of(id: &str) -> usize {
        DocId::parse(id).map_or(0, |d| d.ordinal)
    }
}

/// A report's period: a year and, for tertial reports, a tertial (goal pages have a
/// year only). Its [`key`](Period::key) orders periods oldest first, a goal page after
/// T3 of its year, and no year before everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub year: Option<u16>,
    pub tertial: Option<Tertial>,
}

impl Period {
    pub fn new(year: Option<u16>, tertial: Option<Tertial>) -> Period {
        Period { year, tertial }
    }

    /// `year * 10 + tertial` (1-3; 4 without a tertial); 0 without a year. Stored in the
    /// index (`period` fast field): changing it needs a rebuild.
    pub fn key(self) -> u64 {
        match self.year {
            None => 0,
            Some(y) => {
                let t = match self.tertial {
                    Some(Tertial::T1) => 1,
                    Some(Tertial::T2) => 2,
                    Some(Tertial::T3) => 3,
                    None => 4,
                };
                u64::from(y) * 10 + t
            }
        }
    }

    /// The smallest key of a year: every period of `year` or later has a key at least
    /// this.
    pub fn first_key_of(year: u16) -> u64 {
        u64::from(year) * 10
    }
}

#[cfg(test)]
mod tests {
    use super::{Committee, DocId, Document, Kind, Light, LightItem, Period, Status};

    #[test]
    fn content_hash_follows_the_text_not_the_place() {
        let d = Document {
            title: "Genomför projektet".into(),
            body: "Arbetet pågår.".into(),
            status: Some(Status::EjGenomfort),
            committees: vec![Committee::new("KS").unwrap()],
            ..Document::new("m/2022-T3.txt#1", Kind::Uppdrag)
        };
        let h = d.content_hash();
        // What the text says: each change is a new hash.
        let changed = [
            Document {
                body: "Arbetet är klart.".into(),
                ..d.clone()
            },
            Document {
                title: "Genomför projektet snabbt".into(),
                ..d.clone()
            },
            Document {
                status: Some(Status::Genomfort),
                ..d.clone()
            },
            Document {
                committees: vec![Committee::new("TN").unwrap()],
                ..d.clone()
            },
            // Text moved from the title to the body.
            Document {
                title: "Genomför".into(),
                body: "projektet Arbetet pågår.".into(),
                ..d.clone()
            },
            Document {
                items: vec![LightItem {
                    light: Light::Gul,
                    title: "Skapa".into(),
                    committees: vec![],
                    thread: None,
                }],
                ..d.clone()
            },
        ];
        for c in &changed {
            assert_ne!(c.content_hash(), h, "{c:?}");
        }
        // Where it sits and what the build adds: the same hash.
        let same = Document {
            line: 40,
            thread: Some("m/genomfor-1".into()),
            first_seen: Some(crate::timestamp::Timestamp(5)),
            ..d.clone()
        };
        assert_eq!(same.content_hash(), h);
        // Stable across builds and versions: a fixed value.
        assert_eq!(
            Document::new("a#1", Kind::Text).content_hash(),
            0x7654_274f_2e7b_f6b0
        );
    }

    #[test]
    fn doc_ids_are_made_and_taken_apart_in_one_place() {
        let id = DocId::format("k/2019-T3 anteckningar#2.txt", 12);
        assert_eq!(id, "k/2019-T3 anteckningar#2.txt#12");
        let parsed = DocId::parse(&id).unwrap();
        assert_eq!(parsed.file, "k/2019-T3 anteckningar#2.txt");
        assert_eq!(parsed.ordinal, 12);
        assert_eq!(DocId::parse("no-hash"), None);
        assert_eq!(DocId::parse("a.txt#x"), None);
        assert_eq!(DocId::ordinal_of("a.txt#x"), 0);
        assert_eq!(DocId::file_of("a.txt"), "a.txt");
    }

    #[test]
    fn period_keys_order_oldest_first_goal_pages_after_t3() {
        use super::Tertial::*;
        let keys: Vec<u64> = [
            Period::new(None, None),
            Period::new(Some(2021), Some(T1)),
            Period::new(Some(2021), Some(T3)),
            Period::new(Some(2021), None),
            Period::new(Some(2022), Some(T1)),
        ]
        .iter()
        .map(|p| p.key())
        .collect();
        assert_eq!(keys, [0, 20211, 20213, 20214, 20221]);
        assert!(Period::first_key_of(2022) < Period::new(Some(2022), Some(T1)).key());
        assert!(Period::first_key_of(2022) > Period::new(Some(2021), None).key());
    }

    use super::*;

    #[test]
    fn status_accepts_slugs_and_swedish() {
        for (s, want) in [
            ("ej_genomfort", Status::EjGenomfort),
            ("inte genomfört", Status::EjGenomfort),
            ("ej genomfört", Status::EjGenomfort),
            ("Genomfört", Status::Genomfort),
            ("klar", Status::Genomfort),
            ("bedöms bli genomfört", Status::BedomsGenomforas),
            ("bedoms_ej_genomforas", Status::BedomsEjGenomforas),
            ("bedöms inte bli genomförd", Status::BedomsEjGenomforas),
            ("delvis genomfört", Status::DelvisGenomfort),
            (
                "Uppdraget är inte genomfört under året.",
                Status::EjGenomfort,
            ),
            ("not_done", Status::EjGenomfort),
        ] {
            assert_eq!(Status::parse(s), Some(want), "{s}");
        }
        for s in ["kanske", "", "bedöms", "ej", "genomfört delvis ej"] {
            assert_eq!(Status::parse(s), None, "{s}");
        }
    }

    /// Every label the program prints, in both genders and with `ej` or `inte`, parses
    /// back to its status.
    #[test]
    fn every_printed_status_label_parses_back() {
        let variants = |label: &str| -> Vec<String> {
            let mut out = vec![label.to_string()];
            for (from, to) in [("genomfört", "genomförd"), ("genomforas", "genomford")] {
                let more: Vec<String> = out.iter().map(|l| l.replace(from, to)).collect();
                out.extend(more);
            }
            for (from, to) in [(" ej ", " inte "), (" inte ", " ej "), ("ej_", "inte_")] {
                let more: Vec<String> = out
                    .iter()
                    .map(|l| format!(" {l}").replace(from, to).trim().to_string())
                    .collect();
                out.extend(more);
            }
            for l in out.clone() {
                out.push(l.to_uppercase());
            }
            out
        };
        let mut checked = 0;
        for status in Status::ALL {
            for label in status.printed_forms() {
                for v in variants(label) {
                    assert_eq!(Status::parse(&v), Some(status), "{v:?} from {label:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked >= 5 * 3 * 2, "{checked}");
    }

    #[test]
    fn committee_normalises() {
        assert_eq!(Committee::new(" ks ").unwrap().as_str(), "KS");
        assert_eq!(Committee::new("Kommunstyrelsen").unwrap().as_str(), "KS");
        assert_eq!(Committee::new("Tekniska  nämnden").unwrap().as_str(), "TN");
        assert_eq!(Committee::new("Alla nämnder").unwrap().as_str(), "alla");
        assert_eq!(
            Committee::new("Social- och arbetsmarknadsnämnden")
                .unwrap()
                .as_str(),
            "SAN"
        );
        assert_eq!(
            Committee::new("Region Jämtland Härjedalen")
                .unwrap()
                .as_str(),
            "Region Jämtland Härjedalen"
        );
        assert!(Committee::new(" ( ) ").is_none());
    }

    #[test]
    fn year_ranges_as_people_write_them() {
        for (s, want) in [
            ("2022", (2022, 2022)),
            (" 2022 ", (2022, 2022)),
            ("2021..2023", (2021, 2023)),
            ("2021..=2023", (2021, 2023)),
            ("2021-2022", (2021, 2022)),
            ("2021–2022", (2021, 2022)),
            ("2021 - 2022", (2021, 2022)),
            ("2021..", (2021, MAX_YEAR)),
            ("2021-", (2021, MAX_YEAR)),
            ("..2022", (MIN_YEAR, 2022)),
            ("2022..2022", (2022, 2022)),
        ] {
            assert_eq!(parse_year_range(s), Ok(want), "{s}");
        }
        for s in [
            "",
            "..",
            "tjugo",
            "2023..2021",
            "2021..tjugo",
            "1800",
            "2021...2023",
        ] {
            let e = parse_year_range(s).unwrap_err();
            assert!(!e.is_empty(), "{s}");
        }
        // Every form the error message suggests is accepted.
        let hint = parse_year_range("tjugo").unwrap_err();
        let examples = hint.split("e.g. ").nth(1).unwrap();
        for ex in examples
            .split([',', ' '])
            .filter(|w| !w.is_empty() && *w != "or")
        {
            assert!(parse_year_range(ex).is_ok(), "{ex} from {hint}");
        }
    }

    #[test]
    fn tertial_and_kind_parse() {
        assert_eq!(Tertial::parse("t3"), Some(Tertial::T3));
        assert_eq!(Tertial::parse("2"), Some(Tertial::T2));
        assert_eq!(Tertial::parse("T4"), None);
        assert_eq!(Kind::parse("mål"), Some(Kind::Mal));
    }
}
