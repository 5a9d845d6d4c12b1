//! The tantivy schema: field names, how each is indexed, and the conversion between a
//! [`crate::model::Document`] and a tantivy document. No other file spells a
//! field name.

use crate::analyzer::{self, FieldKind};
use crate::model::{Committee, Document, Kind, LightItem, Status, Tertial};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::TantivyDocument;

/// Version of the on-disk index format: the schema, the analysis and the files beside
/// tantivy's. Raised whenever an index built by an older rapportsok cannot be read as
/// it is; `--version` prints it, and the index marker file records it.
pub const INDEX_FORMAT_VERSION: u32 = 1;

pub const ID: &str = "id";
pub const KIND: &str = "kind";
/// Title words (stemmed, with positions), and the title as written (stored).
pub const TITLE: &str = "title";
/// Comment text words (stemmed, with positions), and the text as written (stored).
pub const BODY: &str = "body";
/// Goal pages: the traffic-light items' titles.
pub const ITEMS_TEXT: &str = "items_text";
/// Compound parts and suspended-compound expansions of title, body and items.
pub const PARTS: &str = "parts";
/// Folded (å/ä/ö -> a/a/o) forms of title, body and items.
pub const FOLDED: &str = "folded";
pub const SECTION: &str = "section";
pub const MUNICIPALITY: &str = "municipality";
pub const YEAR: &str = "year";
pub const TERTIAL: &str = "tertial";
pub const PERIOD: &str = "period";
/// Packed facet codes (see [`FacetCode`]): one fast column read per match for counting.
pub const FACET_CODE: &str = "facet_code";
pub const COMMITTEES: &str = "committees";
pub const STATUS: &str = "status";
pub const FILE: &str = "file";
pub const LINE: &str = "line";
pub const UPDATED: &str = "updated";
pub const ITEMS: &str = "items";
/// The assignment thread (`crate::threads`): the document's own, and on goal pages the
/// thread of each traffic-light item, so one term finds every report of an assignment.
pub const THREAD: &str = "thread";
/// The unit that answers for an assignment (stemmed words, and the name as written).
pub const UNIT: &str = "unit";
/// The unit's name as written, one term: the unit facet (filter and counts).
pub const UNIT_NAME: &str = "unit_name";
/// Where a document came from, stored only: [`crate::model::Source`] as JSON (format,
/// page, anchor), absent for plain text.
pub const SOURCE: &str = "source";
/// Corpus order (see [`Fields::order_key`]): the listing without a query sorts by it
/// after the period.
pub const ORDER: &str = "order";
/// When the document's id and text were first indexed (seconds since the epoch, see
/// [`crate::model::Document::first_seen`]): `--new-since` and the Atom feed.
pub const FIRST_SEEN: &str = "first_seen";
/// [`crate::model::Document::content_hash`]: the next build compares it to carry
/// `first_seen` over.
pub const CONTENT_HASH: &str = "content_hash";

/// Handles of every field.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    pub id: Field,
    pub kind: Field,
    pub title: Field,
    pub body: Field,
    pub items_text: Field,
    pub parts: Field,
    pub folded: Field,
    pub section: Field,
    pub municipality: Field,
    pub year: Field,
    pub tertial: Field,
    pub period: Field,
    pub facet_code: Field,
    pub committees: Field,
    pub status: Field,
    pub file: Field,
    pub line: Field,
    pub updated: Field,
    pub items: Field,
    pub thread: Field,
    /// `None` in an index built before the field existed: such a listing falls back to
    /// index order within a period.
    pub order: Option<Field>,
    /// `None` in an index built before the field existed: its documents have no unit.
    pub unit: Option<Field>,
    /// The unit facet ([`UNIT_NAME`]); `None` in an index built before it existed.
    pub unit_name: Option<Field>,
    /// Where a document came from ([`SOURCE`]); `None` in an index built before it
    /// existed: its documents are plain text.
    pub source: Option<Field>,
    /// [`FIRST_SEEN`]; `None` in an index built before it existed.
    pub first_seen: Option<Field>,
    /// [`CONTENT_HASH`]; `None` in an index built before it existed.
    pub content_hash: Option<Field>,
}

/// Facet fields counted over all matches, in output order.
pub const FACET_FIELDS: [&str; 7] = [
    YEAR,
    TERTIAL,
    COMMITTEES,
    STATUS,
    MUNICIPALITY,
    KIND,
    UNIT_NAME,
];

impl Fields {
    /// Build the schema.
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        // Analysed fields name their tokenizer; the main, parts and folded fields get the
        // same texts, analysed once per indexing thread (see `SwedishTokenizer`).
        let analysed = |kind: FieldKind, record: IndexRecordOption| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(analyzer::analyzer_name(kind))
                .set_index_option(record);
            TextOptions::default().set_indexing_options(indexing)
        };
        let positions = IndexRecordOption::WithFreqsAndPositions;
        let facet = STRING | FAST | STORED;
        let id = b.add_text_field(ID, STRING | STORED);
        let kind = b.add_text_field(KIND, facet.clone());
        // Stored and indexed from one value: every copy of a text in a document is held
        // in tantivy's indexing queue, which bounds the indexer's memory.
        let title = b.add_text_field(TITLE, analysed(FieldKind::Main, positions).set_stored());
        let body = b.add_text_field(BODY, analysed(FieldKind::Main, positions).set_stored());
        let items_text = b.add_text_field(ITEMS_TEXT, analysed(FieldKind::Main, positions));
        let parts = b.add_text_field(
            PARTS,
            analysed(FieldKind::Parts, IndexRecordOption::WithFreqs),
        );
        let folded = b.add_text_field(
            FOLDED,
            analysed(FieldKind::Folded, IndexRecordOption::WithFreqs),
        );
        let section = b.add_text_field(SECTION, STRING | STORED);
        let municipality = b.add_text_field(MUNICIPALITY, facet.clone());
        let year = b.add_u64_field(YEAR, INDEXED | FAST | STORED);
        let tertial = b.add_text_field(TERTIAL, facet.clone());
        let period = b.add_u64_field(PERIOD, NumericOptions::default().set_fast());
        let facet_code = b.add_u64_field(FACET_CODE, NumericOptions::default().set_fast());
        let committees = b.add_text_field(COMMITTEES, facet.clone());
        let status = b.add_text_field(STATUS, facet);
        let file = b.add_text_field(FILE, STRING | STORED);
        let line = b.add_u64_field(LINE, STORED);
        let updated = b.add_text_field(UPDATED, STORED);
        let items = b.add_text_field(ITEMS, STORED);
        let thread = b.add_text_field(THREAD, STRING | STORED | FAST);
        let order = b.add_u64_field(ORDER, NumericOptions::default().set_fast());
        let unit = b.add_text_field(UNIT, analysed(FieldKind::Main, positions).set_stored());
        let unit_name = b.add_text_field(UNIT_NAME, STRING | FAST);
        let source = b.add_text_field(SOURCE, STORED);
        let first_seen = b.add_u64_field(FIRST_SEEN, FAST | STORED);
        let content_hash = b.add_u64_field(CONTENT_HASH, FAST);
        Fields {
            schema: b.build(),
            id,
            kind,
            title,
            body,
            items_text,
            parts,
            folded,
            section,
            municipality,
            year,
            tertial,
            period,
            facet_code,
            committees,
            status,
            file,
            line,
            updated,
            items,
            thread,
            order: Some(order),
            unit: Some(unit),
            unit_name: Some(unit_name),
            source: Some(source),
            first_seen: Some(first_seen),
            content_hash: Some(content_hash),
        }
    }

    /// Look the handles up in an opened index's schema.
    pub fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            schema: schema.clone(),
            id: f(ID)?,
            kind: f(KIND)?,
            title: f(TITLE)?,
            body: f(BODY)?,
            items_text: f(ITEMS_TEXT)?,
            parts: f(PARTS)?,
            folded: f(FOLDED)?,
            section: f(SECTION)?,
            municipality: f(MUNICIPALITY)?,
            year: f(YEAR)?,
            tertial: f(TERTIAL)?,
            period: f(PERIOD)?,
            facet_code: f(FACET_CODE)?,
            committees: f(COMMITTEES)?,
            status: f(STATUS)?,
            file: f(FILE)?,
            line: f(LINE)?,
            updated: f(UPDATED)?,
            items: f(ITEMS)?,
            thread: f(THREAD)?,
            order: schema.get_field(ORDER).ok(),
            unit: schema.get_field(UNIT).ok(),
            unit_name: schema.get_field(UNIT_NAME).ok(),
            source: schema.get_field(SOURCE).ok(),
            first_seen: schema.get_field(FIRST_SEEN).ok(),
            content_hash: schema.get_field(CONTENT_HASH).ok(),
        })
    }

    /// The sort key "newest first": year * 10 + tertial (1..3), goal pages and unknown
    /// tertials sort after T3 of the same year (4), unknown years first (0).
    pub fn period_key(year: Option<u16>, tertial: Option<Tertial>) -> u64 {
        crate::model::Period::new(year, tertial).key()
    }

    /// The corpus-order key of the `ordinal`-th document (from 0) of the `file_rank`-th
    /// file (corpus files are sorted by path): file first, then position in the file.
    pub fn order_key(file_rank: usize, ordinal: usize) -> u64 {
        ((file_rank as u64) << 24) | (ordinal.min(0xff_ffff) as u64)
    }

    /// Convert a parsed document into a tantivy document. Each text goes to its main
    /// field and to the parts and folded fields; tantivy's indexing threads analyse it
    /// (once, see [`analyzer::SwedishTokenizer`]).
    pub fn to_tantivy(&self, d: &Document) -> TantivyDocument {
        self.to_tantivy_with(d, None)
    }

    /// [`Self::to_tantivy`] in a generation with a [`FacetDictionary`].
    pub fn to_tantivy_with(
        &self,
        d: &Document,
        dictionary: Option<&FacetDictionary>,
    ) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &d.id);
        doc.add_text(self.kind, d.kind.as_str());
        let texts = std::iter::once((self.title, d.title.as_str()))
            .chain(std::iter::once((self.body, d.body.as_str())))
            .chain(d.items.iter().map(|i| (self.items_text, i.title.as_str())))
            .chain(self.unit.zip(d.unit.as_deref()));
        for (field, text) in texts {
            doc.add_text(field, text);
            doc.add_text(self.parts, text);
            doc.add_text(self.folded, text);
        }
        if let Some(s) = &d.section {
            doc.add_text(self.section, s);
        }
        if let Some(m) = &d.municipality {
            doc.add_text(self.municipality, m);
        }
        if let Some((field, u)) = self.unit_name.zip(d.unit.as_deref()) {
            doc.add_text(field, u);
        }
        if let Some(y) = d.year {
            doc.add_u64(self.year, u64::from(y));
        }
        if let Some(t) = d.tertial {
            doc.add_text(self.tertial, t.as_str());
        }
        doc.add_u64(self.period, Self::period_key(d.year, d.tertial));
        doc.add_u64(self.facet_code, FacetCode::encode_with(d, dictionary));
        for c in &d.committees {
            doc.add_text(self.committees, c.as_str());
        }
        if let Some(s) = d.status {
            doc.add_text(self.status, s.as_str());
        }
        doc.add_text(self.file, &d.file);
        doc.add_u64(self.line, d.line as u64);
        if let Some(u) = &d.updated {
            doc.add_text(self.updated, u);
        }
        if !d.items.is_empty() {
            let json = serde_json::to_string(&d.items).unwrap_or_default();
            doc.add_text(self.items, &json);
        }
        if let Some(t) = &d.thread {
            doc.add_text(self.thread, t);
        }
        if let Some(field) = self.source.filter(|_| !d.source.is_plain()) {
            doc.add_text(field, serde_json::to_string(&d.source).unwrap_or_default());
        }
        for t in d.items.iter().filter_map(|i| i.thread.as_deref()) {
            if d.thread.as_deref() != Some(t) {
                doc.add_text(self.thread, t);
            }
        }
        if let Some((field, t)) = self.first_seen.zip(d.first_seen) {
            doc.add_u64(field, t.secs());
        }
        doc
    }

    /// Read a stored tantivy document back into a [`Document`].
    pub fn from_tantivy(&self, doc: &TantivyDocument) -> Document {
        let text = |f: Field| -> Option<String> {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let num = |f: Field| doc.get_first(f).and_then(|v| v.as_u64());
        let items: Vec<LightItem> = text(self.items)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let kind = text(self.kind)
            .and_then(|k| Kind::parse(&k))
            .unwrap_or(Kind::Text);
        // Goal pages hold their items' threads in the field, not one of their own.
        let thread = if kind == Kind::Mal {
            None
        } else {
            text(self.thread)
        };
        Document {
            id: text(self.id).unwrap_or_default(),
            kind,
            municipality: text(self.municipality),
            file: text(self.file).unwrap_or_default(),
            line: num(self.line).unwrap_or(0) as usize,
            year: num(self.year).and_then(|y| u16::try_from(y).ok()),
            tertial: text(self.tertial).and_then(|t| Tertial::parse(&t)),
            title: text(self.title).unwrap_or_default(),
            committees: doc
                .get_all(self.committees)
                .filter_map(|v| v.as_str())
                .filter_map(Committee::new)
                .collect(),
            status: text(self.status).and_then(|s| Status::parse(&s)),
            section: text(self.section),
            body: text(self.body).unwrap_or_default(),
            updated: text(self.updated),
            unit: self.unit.and_then(text),
            items,
            thread,
            source: self
                .source
                .and_then(text)
                .and_then(|s| serde_json::from_str(&s).ok())
                .unwrap_or_default(),
            first_seen: self
                .first_seen
                .and_then(num)
                .map(crate::timestamp::Timestamp),
        }
    }
}

/// The municipalities and units of one generation, each list sorted: a value's number
/// in [`FacetCode`] is its position in its list plus one, so counting these facets over
/// all matches reads no string column. Made by the build before any document is written
/// (from the thread-linking pass, which parses every file), saved as the commit's
/// payload in tantivy's `meta.json`, and read when a searcher opens. An index built
/// before it existed has none: its counts come from the string columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FacetDictionary {
    pub municipalities: Vec<String>,
    pub units: Vec<String>,
}

/// The commit payload that holds a [`FacetDictionary`].
#[derive(serde::Serialize, serde::Deserialize)]
struct Payload {
    facet_dictionary: FacetDictionary,
}

impl FacetDictionary {
    /// The dictionary of these values (in any order, repeated or not).
    pub fn new(
        municipalities: impl IntoIterator<Item = String>,
        units: impl IntoIterator<Item = String>,
    ) -> Self {
        let sorted = |values: &mut dyn Iterator<Item = String>| {
            let mut v: Vec<String> = values.collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        FacetDictionary {
            municipalities: sorted(&mut municipalities.into_iter()),
            units: sorted(&mut units.into_iter()),
        }
    }

    /// The number of `value` in `list`: its position plus one, or
    /// [`FacetCode::NOT_LISTED`] when it is not there (or past what 16 bits hold).
    fn number(list: &[String], value: &str) -> u64 {
        match list.binary_search_by(|v| v.as_str().cmp(value)) {
            Ok(i) if (i as u64) + 1 < FacetCode::NOT_LISTED => i as u64 + 1,
            _ => FacetCode::NOT_LISTED,
        }
    }

    /// The value a number (from [`FacetCode`]) stands for in `list`.
    pub fn name(list: &[String], number: u64) -> Option<&str> {
        let i = usize::try_from(number.checked_sub(1)?).ok()?;
        list.get(i).map(String::as_str)
    }

    /// The commit payload that records the dictionary.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(&Payload {
            facet_dictionary: self.clone(),
        })
        .unwrap_or_default()
    }

    /// The dictionary a commit payload records; `None` for an index without one.
    pub fn from_payload(payload: Option<&str>) -> Option<Self> {
        serde_json::from_str::<Payload>(payload?)
            .ok()
            .map(|p| p.facet_dictionary)
    }
}

/// Year, tertial, status, kind, committees, municipality and unit of a document packed
/// into one `u64`, so counting facets over all matches reads one fast-field value per
/// match instead of seven columns (one of them multi-valued).
///
/// Bits: 0..8 year - 1900 + 1 (0 = none), 8..10 tertial (0 none, 1..3), 10..13 status
/// (0 none, 1..5 in [`Status::ALL`] order), 13..15 kind, 15..31 one bit per known
/// committee in [`FacetCode::COMMITTEES`] order, 31..47 the municipality's and 47..63
/// the unit's number in the generation's [`FacetDictionary`] (0 none,
/// [`FacetCode::NOT_LISTED`]: read the column), bit 63: a committee outside the known
/// list (then the committees column is read for that document).
pub struct FacetCode;

impl FacetCode {
    /// Committees with their own bit.
    pub const COMMITTEES: [&'static str; 16] = [
        "KS", "TN", "KFN", "BUN", "VON", "SAN", "MSN", "VAL", "KF", "ÖFN", "REV", "alla", "SN",
        "UN", "IFN", "ON",
    ];
    /// The first committee bit.
    pub const COMMITTEE_SHIFT: u32 = 15;
    pub const OTHER_COMMITTEE: u64 = 1 << 63;
    /// Where the municipality's number starts ([`FacetDictionary`]), 16 bits wide.
    pub const MUNICIPALITY_SHIFT: u32 = 31;
    /// Where the unit's number starts, 16 bits wide.
    pub const UNIT_SHIFT: u32 = 47;
    /// The width of a municipality's or unit's number.
    pub const NUMBER_BITS: u32 = 16;
    /// A municipality or unit with no number (no dictionary, or not in it): its value
    /// is read from the string column.
    pub const NOT_LISTED: u64 = 0xffff;

    /// The code of a document whose generation has no [`FacetDictionary`] (tests): a
    /// municipality or unit is then [`Self::NOT_LISTED`].
    pub fn encode(d: &Document) -> u64 {
        Self::encode_with(d, None)
    }

    /// The code of a document, numbering its municipality and unit by `dictionary`.
    pub fn encode_with(d: &Document, dictionary: Option<&FacetDictionary>) -> u64 {
        let year = d
            .year
            .filter(|y| (1900..2155).contains(y))
            .map_or(0, |y| u64::from(y - 1900) + 1);
        let tertial = d.tertial.map_or(0, |t| t as u64 + 1);
        let status = d
            .status
            .and_then(|s| Status::ALL.iter().position(|x| *x == s))
            .map_or(0, |i| i as u64 + 1);
        let kind = d.kind as u64;
        let number = |value: Option<&str>, list: fn(&FacetDictionary) -> &[String]| {
            value.map_or(0, |v| {
                dictionary.map_or(Self::NOT_LISTED, |dict| {
                    FacetDictionary::number(list(dict), v)
                })
            })
        };
        let municipality = number(d.municipality.as_deref(), |x| &x.municipalities);
        let unit = number(d.unit.as_deref(), |x| &x.units);
        let mut code = year
            | tertial << 8
            | status << 10
            | kind << 13
            | municipality << Self::MUNICIPALITY_SHIFT
            | unit << Self::UNIT_SHIFT;
        for c in &d.committees {
            match Self::COMMITTEES.iter().position(|k| *k == c.as_str()) {
                Some(i) => code |= 1 << (Self::COMMITTEE_SHIFT + i as u32),
                None => code |= Self::OTHER_COMMITTEE,
            }
        }
        code
    }

    pub fn year(code: u64) -> Option<u64> {
        let y = code & 0xff;
        (y > 0).then(|| y - 1 + 1900)
    }

    pub fn tertial(code: u64) -> Option<Tertial> {
        match (code >> 8) & 0b11 {
            0 => None,
            t => Tertial::ALL.get(t as usize - 1).copied(),
        }
    }

    pub fn status(code: u64) -> Option<Status> {
        match (code >> 10) & 0b111 {
            0 => None,
            s => Status::ALL.get(s as usize - 1).copied(),
        }
    }

    pub fn kind(code: u64) -> Kind {
        Kind::ALL[((code >> 13) & 0b11).min(2) as usize]
    }

    /// Indexes into [`Self::COMMITTEES`] of the committee bits set.
    pub fn committees(code: u64) -> impl Iterator<Item = usize> {
        let bits = (code >> Self::COMMITTEE_SHIFT) & 0xffff;
        (0..16).filter(move |i| bits & (1 << i) != 0)
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Light;
    use tantivy::Document as _;

    #[test]
    fn document_round_trips_through_tantivy() {
        let f = Fields::new();
        let d = Document {
            line: 42,
            year: Some(2022),
            title: "Mål 1 - I Östersunds kommun".into(),
            section: Some("Uppdrag från fullmäktige".into()),
            body: "Under perioden ...".into(),
            updated: Some("2024-01-18".into()),
            unit: None,
            first_seen: Some(crate::timestamp::Timestamp(1_700_000_000)),
            items: vec![LightItem {
                light: Light::Rod,
                title: "Skapa en tydlig omvärldsbild".into(),
                committees: vec![Committee::new("KS").unwrap()],
                thread: Some("ostersund/skapa-en-tydlig-3f2a1c".into()),
            }],
            ..Document::new("ostersund/mal-1.txt#3", Kind::Mal)
        };
        let doc = f.to_tantivy(&d);
        let json = doc.to_json(&f.schema);
        let back = TantivyDocument::parse_json(&f.schema, &json).unwrap();
        assert_eq!(f.from_tantivy(&back), d);
        // The item's thread is searchable on the goal page.
        assert_eq!(
            back.get_first(f.thread).and_then(|v| v.as_str()),
            Some("ostersund/skapa-en-tydlig-3f2a1c")
        );
        let uppdrag = Document {
            kind: Kind::Uppdrag,
            items: vec![],
            thread: Some("ostersund/x-000001".into()),
            unit: Some("Kultur- och fritidsenheten".into()),
            ..d
        };
        let back = f.from_tantivy(&f.to_tantivy(&uppdrag));
        assert_eq!(back.thread.as_deref(), Some("ostersund/x-000001"));
        assert_eq!(back, uppdrag);
    }

    #[test]
    fn facet_code_round_trips() {
        let d = Document {
            year: Some(2023),
            tertial: Some(Tertial::T3),
            committees: ["VON", "BUN", "alla", "Region X"]
                .iter()
                .filter_map(|c| Committee::new(c))
                .collect(),
            status: Some(Status::BedomsEjGenomforas),
            ..Document::new("a#1", Kind::Uppdrag)
        };
        {
            let c = FacetCode::encode(&d);
            assert_eq!(FacetCode::year(c), Some(2023));
            assert_eq!(FacetCode::tertial(c), Some(Tertial::T3));
            assert_eq!(FacetCode::status(c), Some(Status::BedomsEjGenomforas));
            assert_eq!(FacetCode::kind(c), Kind::Uppdrag);
            let names: Vec<&str> = FacetCode::committees(c)
                .map(|i| FacetCode::COMMITTEES[i])
                .collect();
            assert_eq!(names, ["BUN", "VON", "alla"]);
            assert!(c & FacetCode::OTHER_COMMITTEE != 0);
        }
        let empty = FacetCode::encode(&Document::new("", Kind::Mal));
        assert_eq!(FacetCode::year(empty), None);
        assert_eq!(FacetCode::kind(empty), Kind::Mal);
        assert_eq!(FacetCode::committees(empty).count(), 0);
    }

    #[test]
    fn municipality_and_unit_are_numbered_by_the_dictionary() {
        let dict = FacetDictionary::new(
            ["umea", "ostersund", "umea"].map(String::from),
            ["Bibliotek".to_string()],
        );
        assert_eq!(dict.municipalities, ["ostersund", "umea"]);
        let d = Document {
            municipality: Some("umea".into()),
            unit: Some("Bibliotek".into()),
            ..Document::new("umea/a.txt#1", Kind::Uppdrag)
        };
        let number = |code: u64, shift: u32| (code >> shift) & FacetCode::NOT_LISTED;
        let code = FacetCode::encode_with(&d, Some(&dict));
        let m = number(code, FacetCode::MUNICIPALITY_SHIFT);
        let u = number(code, FacetCode::UNIT_SHIFT);
        assert_eq!(FacetDictionary::name(&dict.municipalities, m), Some("umea"));
        assert_eq!(FacetDictionary::name(&dict.units, u), Some("Bibliotek"));
        // The other facets keep their bits.
        assert_eq!(FacetCode::kind(code), Kind::Uppdrag);
        assert_eq!(code & FacetCode::OTHER_COMMITTEE, 0);
        // Not in the dictionary, or no dictionary: read the column.
        let elsewhere = Document {
            municipality: Some("kiruna".into()),
            ..d.clone()
        };
        let code = FacetCode::encode_with(&elsewhere, Some(&dict));
        assert_eq!(
            number(code, FacetCode::MUNICIPALITY_SHIFT),
            FacetCode::NOT_LISTED
        );
        let code = FacetCode::encode(&d);
        assert_eq!(number(code, FacetCode::UNIT_SHIFT), FacetCode::NOT_LISTED);
        // None: 0.
        let code = FacetCode::encode_with(&Document::new("a#1", Kind::Text), Some(&dict));
        assert_eq!(number(code, FacetCode::MUNICIPALITY_SHIFT), 0);
        // The payload round-trips; anything else is no dictionary.
        assert_eq!(
            FacetDictionary::from_payload(Some(&dict.to_payload())),
            Some(dict)
        );
        assert_eq!(FacetDictionary::from_payload(Some("gen-000003")), None);
        assert_eq!(FacetDictionary::from_payload(None), None);
    }

    #[test]
    fn period_orders_newest_last() {
        let k = Fields::period_key;
        assert!(k(Some(2022), Some(Tertial::T3)) < k(Some(2023), Some(Tertial::T1)));
        assert!(k(Some(2022), Some(Tertial::T1)) < k(Some(2022), Some(Tertial::T3)));
        assert!(k(None, None) < k(Some(1990), None));
    }
}
