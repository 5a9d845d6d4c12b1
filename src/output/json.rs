//! JSON for scripts: [`JsonRender`] and the wire types it writes, the contract scripts
//! depend on. Serialize-only structs, separate from the domain types (no domain type is
//! serialized as it is), so the wire format changes only on purpose. Every top-level
//! object starts with `"version": `[`VERSION`].

use super::{words, Render};
use crate::analyzer::AnalyzedToken;
use crate::facet::FACETS;
use crate::history::{Grouped, Resolution, Slip, SlipOptions, Trend};
use crate::model::{Committee, Document, LightItem};
use crate::searcher::facets::FacetCounts;
use crate::searcher::passages::Passage;
use crate::searcher::{Contribution, Expansion, Hit, Relaxation, Response};
use crate::store::BuildInfo;
use serde::Serialize;
use std::io::{self, Write};

/// The version of the JSON contract, the first field of every object rapportsok prints.
/// It goes up when a field is removed, renamed or changes meaning; a new field does not
/// change it (scripts ignore fields they do not know).
pub const VERSION: u32 = 1;

/// A top-level object: `{"version": 1, ...the body's fields}`.
#[derive(Debug, Serialize)]
pub struct Versioned<T: Serialize> {
    pub version: u32,
    #[serde(flatten)]
    pub body: T,
}

/// `body` as one line of JSON, with the version, ended by a newline.
pub fn write_line<T: Serialize>(out: &mut dyn Write, body: T) -> io::Result<()> {
    serde_json::to_writer(
        &mut *out,
        &Versioned {
            version: VERSION,
            body,
        },
    )?;
    writeln!(out)
}

/// JSON for scripts: one object per command, on one line.
pub struct JsonRender;

impl Render for JsonRender {
    fn search(&self, out: &mut dyn Write, r: &Response) -> io::Result<()> {
        write_line(out, SearchJson::from(r))
    }

    fn document(&self, out: &mut dyn Write, d: &Document) -> io::Result<()> {
        write_line(out, DocumentJson::from(d))
    }

    fn stats(&self, out: &mut dyn Write, s: &super::Stats) -> io::Result<()> {
        write_line(out, StatsJson::from(s))
    }

    fn history(&self, out: &mut dyn Write, arg: &str, r: &Resolution) -> io::Result<()> {
        write_line(out, HistoryJson::new(arg, r))
    }

    fn no_history(&self, out: &mut dyn Write, arg: &str) -> io::Result<()> {
        write_line(out, NoHistoryJson::new(arg))
    }

    fn grouped(&self, out: &mut dyn Write, g: &Grouped) -> io::Result<()> {
        write_line(out, GroupedJson::from(g))
    }

    fn trend(&self, out: &mut dyn Write, t: &Trend) -> io::Result<()> {
        write_line(out, TrendJson::from(t))
    }

    fn slipping(&self, out: &mut dyn Write, opts: &SlipOptions, s: &[Slip]) -> io::Result<()> {
        write_line(out, SlippingJson::new(opts, s))
    }

    fn analysis(&self, out: &mut dyn Write, a: &super::Analysis) -> io::Result<()> {
        write_line(out, AnalysisJson::from(a))
    }
}

/// Committee abbreviations as strings.
fn committees(c: &[Committee]) -> Vec<&str> {
    c.iter().map(Committee::as_str).collect()
}

/// A passage with the byte ranges of `text` to highlight.
#[derive(Debug, Serialize)]
pub struct PassageJson<'a> {
    pub text: &'a str,
    pub highlights: &'a [[usize; 2]],
}

impl<'a> From<&'a Passage> for PassageJson<'a> {
    fn from(p: &'a Passage) -> Self {
        PassageJson {
            text: &p.text,
            highlights: &p.highlights,
        }
    }
}

/// One matched term's share of a hit's score (`--explain`).
#[derive(Debug, Serialize)]
pub struct ContributionJson<'a> {
    pub query: &'a str,
    pub how: &'static str,
    pub field: &'static str,
    pub term: &'a str,
    pub score: f32,
}

impl<'a> From<&'a Contribution> for ContributionJson<'a> {
    fn from(c: &'a Contribution) -> Self {
        ContributionJson {
            query: &c.query,
            how: c.how,
            field: c.field,
            term: &c.term,
            score: c.score,
        }
    }
}

/// A traffic-light line of a goal page.
#[derive(Debug, Serialize)]
pub struct LightItemJson<'a> {
    /// `rod`, `gul` or `gron`.
    pub light: &'static str,
    pub title: &'a str,
    pub committees: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<&'a str>,
}

impl<'a> From<&'a LightItem> for LightItemJson<'a> {
    fn from(i: &'a LightItem) -> Self {
        LightItemJson {
            light: i.light.as_str(),
            title: &i.title,
            committees: committees(&i.committees),
            thread: i.thread.as_deref(),
        }
    }
}

/// `show --json`: the whole document.
#[derive(Debug, Serialize)]
pub struct DocumentJson<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub municipality: Option<&'a str>,
    pub file: &'a str,
    pub line: usize,
    pub year: Option<u16>,
    pub tertial: Option<&'static str>,
    pub title: &'a str,
    pub committees: Vec<&'a str>,
    pub unit: Option<&'a str>,
    pub status: Option<&'static str>,
    pub section: Option<&'a str>,
    /// Paragraphs joined by a blank line.
    pub body: &'a str,
    pub updated: Option<&'a str>,
    pub items: Vec<LightItemJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<&'a str>,
    /// The format the file was read as: `txt`, `pdf`, `docx`, `odt` or `html`.
    pub format: &'static str,
    /// The page of a PDF on which the document starts (`null` for other formats).
    pub page: Option<u32>,
    /// The nearest heading anchor in an HTML page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<&'a str>,
    /// When the document's id and text were first indexed (RFC 3339 UTC).
    pub first_seen: Option<crate::timestamp::Timestamp>,
}

impl<'a> From<&'a Document> for DocumentJson<'a> {
    fn from(d: &'a Document) -> Self {
        DocumentJson {
            id: &d.id,
            kind: d.kind.as_str(),
            municipality: d.municipality.as_deref(),
            file: &d.file,
            line: d.line,
            year: d.year,
            tertial: d.tertial.map(|t| t.as_str()),
            title: &d.title,
            committees: committees(&d.committees),
            unit: d.unit.as_deref(),
            status: d.status.map(|s| s.as_str()),
            section: d.section.as_deref(),
            body: &d.body,
            updated: d.updated.as_deref(),
            items: d.items.iter().map(LightItemJson::from).collect(),
            thread: d.thread.as_deref(),
            format: d.source.format.as_str(),
            page: d.source.page,
            anchor: d.source.anchor.as_deref(),
            first_seen: d.first_seen,
        }
    }
}

/// One token of `analyze --json`.
#[derive(Debug, Serialize)]
pub struct TokenJson<'a> {
    pub position: usize,
    pub token: &'a str,
    /// The index field it goes to: the analysed field, `parts` or `folded`.
    pub field: &'a str,
    pub origin: &'static str,
    /// The text it came from.
    pub source: &'a str,
    pub start: usize,
    pub end: usize,
}

/// `analyze --json`.
#[derive(Debug, Serialize)]
pub struct AnalysisJson<'a> {
    pub text: &'a str,
    pub field: &'a str,
    pub tokens: Vec<TokenJson<'a>>,
}

impl<'a> From<&'a super::Analysis<'a>> for AnalysisJson<'a> {
    fn from(a: &'a super::Analysis<'a>) -> Self {
        AnalysisJson {
            text: a.text,
            field: a.field,
            tokens: a
                .tokens
                .iter()
                .map(|t: &AnalyzedToken| TokenJson {
                    position: t.position,
                    token: &t.text,
                    field: a.field_of(t),
                    origin: t.origin.as_str(),
                    source: a.source(t),
                    start: t.offset_from,
                    end: t.offset_to,
                })
                .collect(),
        }
    }
}

/// `search --json`.
#[derive(Debug, Serialize)]
pub struct SearchJson<'a> {
    pub query: &'a str,
    pub total: usize,
    /// True when no document held every word and the query was relaxed.
    pub relaxed: bool,
    /// When relaxed: `words` still searched, `min_match` of them in each hit,
    /// `dropped` function words; `null` otherwise.
    pub relaxation: Option<&'a Relaxation>,
    /// With `--explain`: what query words were widened to (`query`, `how`: `prefix`,
    /// `synonym` or `committee`, `terms`, `capped`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub expansions: &'a [Expansion],
    /// True when the query was over the limits and was cut (a notice is on stderr).
    pub truncated: bool,
    /// When nothing was found: the query with unknown words replaced by the closest
    /// indexed ones.
    pub suggestions: &'a [String],
    /// When nothing was found: query words that are committee abbreviations of the
    /// index (`["KS"]`); use them with `--committee`.
    pub suggested_committees: Vec<&'a str>,
    pub hits: Vec<HitJson<'a>>,
    pub facets: FacetsJson<'a>,
}

/// One hit.
#[derive(Debug, Serialize)]
pub struct HitJson<'a> {
    pub id: &'a str,
    pub score: Option<f32>,
    pub kind: &'static str,
    pub municipality: Option<&'a str>,
    pub year: Option<u16>,
    pub tertial: Option<&'static str>,
    pub committees: Vec<&'a str>,
    /// The unit that answers for the assignment (`null` when the report names none).
    pub unit: Option<&'a str>,
    pub status: Option<&'static str>,
    pub title: &'a str,
    pub title_highlights: &'a [[usize; 2]],
    pub section: Option<&'a str>,
    pub file: &'a str,
    pub line: usize,
    /// The page of a PDF on which the document starts (`null` for other formats).
    pub page: Option<u32>,
    /// The nearest heading anchor in an HTML page (`file#anchor`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<&'a str>,
    pub passages: Vec<PassageJson<'a>>,
    /// The assignment thread (`null` for goal pages, whose items carry theirs, and text).
    pub thread: Option<&'a str>,
    /// When the document's id and text were first indexed (RFC 3339 UTC; `null` in an
    /// index built before the field existed).
    pub first_seen: Option<crate::timestamp::Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<LightItemJson<'a>>>,
    /// With `--explain`: matched terms per field and their share of the score.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<ContributionJson<'a>>,
}

/// Facet counts over all matches: one object per facet of the table
/// ([`crate::facet::FACETS`]), under its key and in its order.
#[derive(Debug)]
pub struct FacetsJson<'a>(&'a FacetCounts);

impl Serialize for FacetsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(FACETS.len()))?;
        for spec in &FACETS {
            map.serialize_entry(spec.key, self.0.get(spec.facet))?;
        }
        map.end()
    }
}

impl<'a> From<&'a FacetCounts> for FacetsJson<'a> {
    fn from(f: &'a FacetCounts) -> Self {
        FacetsJson(f)
    }
}

impl<'a> From<&'a Hit> for HitJson<'a> {
    fn from(h: &'a Hit) -> Self {
        let d: &Document = &h.doc;
        let is_goal = d.kind == crate::model::Kind::Mal;
        HitJson {
            id: &d.id,
            score: h.score,
            kind: d.kind.as_str(),
            municipality: d.municipality.as_deref(),
            year: d.year,
            tertial: d.tertial.map(|t| t.as_str()),
            committees: committees(&d.committees),
            unit: d.unit.as_deref(),
            status: d.status.map(|s| s.as_str()),
            title: &d.title,
            title_highlights: &h.title_highlights,
            section: d.section.as_deref(),
            file: &d.file,
            line: d.line,
            page: d.source.page,
            anchor: d.source.anchor.as_deref(),
            passages: h.passages.iter().map(PassageJson::from).collect(),
            thread: d.thread.as_deref(),
            first_seen: d.first_seen,
            updated: if is_goal { d.updated.as_deref() } else { None },
            items: is_goal.then(|| d.items.iter().map(LightItemJson::from).collect()),
            explanation: h.explanation.iter().map(ContributionJson::from).collect(),
        }
    }
}

impl<'a> From<&'a Response> for SearchJson<'a> {
    fn from(r: &'a Response) -> Self {
        SearchJson {
            query: &r.query,
            total: r.total,
            relaxed: r.relaxed,
            relaxation: r.relaxation.as_ref(),
            expansions: &r.expansions,
            truncated: r.truncated,
            suggestions: &r.suggestions,
            suggested_committees: committees(&r.suggested_committees),
            hits: r.hits.iter().map(HitJson::from).collect(),
            facets: FacetsJson::from(&r.facets),
        }
    }
}

/// `stats --json`.
#[derive(Debug, Serialize)]
pub struct StatsJson<'a> {
    pub index: &'a str,
    pub generation: &'a str,
    pub built_at: Option<&'a str>,
    pub corpus: Option<&'a str>,
    pub files: Option<usize>,
    pub build_warnings: Option<usize>,
    pub documents: usize,
    pub facets: FacetsJson<'a>,
}

impl<'a> From<&'a super::Stats<'a>> for StatsJson<'a> {
    fn from(s: &'a super::Stats<'a>) -> Self {
        let info: Option<&BuildInfo> = s.info;
        StatsJson {
            index: s.index,
            generation: s.generation,
            built_at: info.map(|i| i.built_at.as_str()),
            corpus: info.map(|i| i.corpus.as_str()),
            files: info.map(|i| i.files),
            build_warnings: info.map(|i| i.warnings),
            documents: s.documents,
            facets: FacetsJson::from(s.facets),
        }
    }
}

/// One report of a thread (`history --json`, `slipping --json`).
#[derive(Debug, Serialize)]
pub struct EntryJson<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    /// "T3 2022", "målsida 2022".
    pub period: String,
    pub year: Option<u16>,
    pub tertial: Option<&'static str>,
    /// Assignments: the status slug; goal pages: `null`.
    pub status: Option<&'static str>,
    /// Goal pages: the traffic light (`rod`, `gul`, `gron`); assignments: `null`.
    pub light: Option<&'static str>,
    pub committees: Vec<&'a str>,
    /// The previous report's committees when they changed (`["KS"]` before `["TN"]`).
    pub committees_changed_from: Option<Vec<&'a str>>,
    pub title: &'a str,
    /// True when the title is worded differently from the previous report's.
    pub title_changed: bool,
    /// The first sentence of the comment.
    pub comment: Option<&'a str>,
    pub section: Option<&'a str>,
    pub file: &'a str,
    pub line: usize,
    /// Other documents of the same period saying the same (a second file of the report,
    /// a committee's view): the entry stands for them too.
    pub also_in: Vec<&'a str>,
}

impl<'a> From<&'a crate::history::Entry> for EntryJson<'a> {
    fn from(e: &'a crate::history::Entry) -> Self {
        EntryJson {
            id: &e.id,
            kind: e.kind.as_str(),
            period: words::period(e),
            year: e.year,
            tertial: e.tertial.map(|t| t.as_str()),
            status: e.status.map(|s| s.as_str()),
            light: e.light.map(|l| l.as_str()),
            committees: committees(&e.committees),
            committees_changed_from: e.committees_changed_from.as_deref().map(committees),
            title: &e.title,
            title_changed: e.title_changed,
            comment: e.comment.as_deref(),
            section: e.section.as_deref(),
            file: &e.file,
            line: e.line,
            also_in: e.also_in.iter().map(String::as_str).collect(),
        }
    }
}

/// A thread as a timeline.
#[derive(Debug, Serialize)]
pub struct TimelineJson<'a> {
    pub thread: &'a str,
    pub municipality: Option<&'a str>,
    /// The newest title.
    pub title: &'a str,
    /// Number of entries (reports and goal-page lights).
    pub reports: usize,
    /// "T3 2021 ej genomfört -> T3 2022 genomfört".
    pub history_line: String,
    pub entries: Vec<EntryJson<'a>>,
}

impl<'a> From<&'a crate::history::Timeline> for TimelineJson<'a> {
    fn from(t: &'a crate::history::Timeline) -> Self {
        TimelineJson {
            thread: &t.thread,
            municipality: t.municipality.as_deref(),
            title: &t.title,
            reports: t.entries.len(),
            history_line: words::one_line(t),
            entries: t.entries.iter().map(EntryJson::from).collect(),
        }
    }
}

/// Another thread that matched (`history QUERY`): no entries, the latest state.
#[derive(Debug, Serialize)]
pub struct CandidateJson<'a> {
    pub thread: &'a str,
    pub title: &'a str,
    pub reports: usize,
    pub history_line: String,
}

/// `history QUERY --json` when no assignment matches: the shape of [`HistoryJson`] with
/// `matched_by`, `thread` and `title` null and no entries.
#[derive(Debug, Serialize)]
pub struct NoHistoryJson<'a> {
    pub query: &'a str,
    pub matched_by: Option<&'static str>,
    pub thread: Option<&'a str>,
    pub municipality: Option<&'a str>,
    pub title: Option<&'a str>,
    pub reports: usize,
    pub history_line: &'static str,
    pub entries: [(); 0],
    pub candidates: [(); 0],
}

impl<'a> NoHistoryJson<'a> {
    pub fn new(query: &'a str) -> Self {
        NoHistoryJson {
            query,
            matched_by: None,
            thread: None,
            municipality: None,
            title: None,
            reports: 0,
            history_line: "",
            entries: [],
            candidates: [],
        }
    }
}

/// `history --json`.
#[derive(Debug, Serialize)]
pub struct HistoryJson<'a> {
    /// The argument as given.
    pub query: &'a str,
    /// How it was read: `document`, `thread` or `query`.
    pub matched_by: &'static str,
    #[serde(flatten)]
    pub timeline: TimelineJson<'a>,
    pub candidates: Vec<CandidateJson<'a>>,
}

impl<'a> HistoryJson<'a> {
    pub fn new(query: &'a str, r: &'a crate::history::Resolution) -> Self {
        HistoryJson {
            query,
            matched_by: match r.via {
                crate::history::Via::Document => "document",
                crate::history::Via::Thread => "thread",
                crate::history::Via::Query => "query",
            },
            timeline: TimelineJson::from(&r.timeline),
            candidates: r
                .candidates
                .iter()
                .map(|c| CandidateJson {
                    thread: &c.thread,
                    title: &c.title,
                    reports: c.entries.len(),
                    history_line: words::one_line(c),
                })
                .collect(),
        }
    }
}

/// One step of a grouped hit's history.
#[derive(Debug, Serialize)]
pub struct StepJson<'a> {
    pub id: &'a str,
    pub period: String,
    pub status: Option<&'static str>,
    pub light: Option<&'static str>,
}

/// One thread of `search --group --json`: the hit's fields plus its thread's history.
#[derive(Debug, Serialize)]
pub struct GroupHitJson<'a> {
    #[serde(flatten)]
    pub hit: HitJson<'a>,
    /// Matching documents of the thread.
    pub thread_matches: usize,
    /// "T3 2021 ej genomfört -> T3 2022 genomfört" (`null` without a thread).
    pub history_line: Option<String>,
    pub history: Vec<StepJson<'a>>,
}

/// `search --group --json`.
#[derive(Debug, Serialize)]
pub struct GroupedJson<'a> {
    pub query: &'a str,
    /// Matching documents.
    pub total: usize,
    /// Threads among the matches (documents without a thread count as one each).
    pub groups: usize,
    pub relaxed: bool,
    /// As in `search --json`.
    pub relaxation: Option<&'a Relaxation>,
    /// True when the query was over the limits and was cut (a notice is on stderr).
    pub truncated: bool,
    pub hits: Vec<GroupHitJson<'a>>,
    pub facets: FacetsJson<'a>,
}

impl<'a> From<&'a crate::history::Grouped> for GroupedJson<'a> {
    fn from(g: &'a crate::history::Grouped) -> Self {
        GroupedJson {
            query: &g.response.query,
            total: g.response.total,
            groups: g.groups_total,
            relaxed: g.response.relaxed,
            relaxation: g.response.relaxation.as_ref(),
            truncated: g.response.truncated,
            hits: g
                .groups
                .iter()
                .map(|gr| GroupHitJson {
                    hit: HitJson {
                        // A goal-page section standing for a thread names the thread.
                        thread: gr.timeline.as_ref().map(|t| t.thread.as_str()).or(gr
                            .hit
                            .doc
                            .thread
                            .as_deref()),
                        ..HitJson::from(&gr.hit)
                    },
                    thread_matches: gr.matches,
                    history_line: gr.timeline.as_ref().map(words::one_line),
                    history: gr
                        .timeline
                        .iter()
                        .flat_map(|t| t.entries.iter())
                        .map(|e| StepJson {
                            id: &e.id,
                            period: words::period(e),
                            status: e.status.map(|s| s.as_str()),
                            light: e.light.map(|l| l.as_str()),
                        })
                        .collect(),
                })
                .collect(),
            facets: FacetsJson::from(&g.response.facets),
        }
    }
}

/// One bucket of a trend.
#[derive(Debug, Serialize)]
pub struct BucketJson<'a> {
    pub key: &'a str,
    pub count: u64,
}

/// `search QUERY --by ... --json`.
#[derive(Debug, Serialize)]
pub struct TrendJson<'a> {
    pub query: &'a str,
    pub by: &'static str,
    pub total: usize,
    pub relaxed: bool,
    /// True when the query was over the limits and was cut (a notice is on stderr).
    pub truncated: bool,
    pub buckets: Vec<BucketJson<'a>>,
    /// Matching documents without a value for `by` (`null` for committees).
    pub without: Option<u64>,
}

impl<'a> From<&'a crate::history::Trend> for TrendJson<'a> {
    fn from(t: &'a crate::history::Trend) -> Self {
        TrendJson {
            query: &t.query,
            by: t.by.key(),
            total: t.total,
            relaxed: t.relaxed,
            truncated: t.truncated,
            buckets: t
                .buckets
                .iter()
                .map(|(k, n)| BucketJson { key: k, count: *n })
                .collect(),
            without: t.without,
        }
    }
}

/// One slipping thread.
#[derive(Debug, Serialize)]
pub struct SlipJson<'a> {
    pub thread: &'a str,
    pub municipality: Option<&'a str>,
    pub title: &'a str,
    /// Reports it slipped through.
    pub slipped: usize,
    pub latest_period: String,
    pub latest_status: Option<&'static str>,
    pub committees: Vec<&'a str>,
    pub history_line: String,
    pub entries: Vec<EntryJson<'a>>,
}

/// `slipping --json`.
#[derive(Debug, Serialize)]
pub struct SlippingJson<'a> {
    pub since: Option<u16>,
    pub committees: Vec<&'a str>,
    pub total: usize,
    pub threads: Vec<SlipJson<'a>>,
}

impl<'a> SlippingJson<'a> {
    pub fn new(opts: &'a crate::history::SlipOptions, slips: &'a [crate::history::Slip]) -> Self {
        SlippingJson {
            since: opts.since,
            committees: committees(&opts.committees),
            total: slips.len(),
            threads: slips
                .iter()
                .map(|s| SlipJson {
                    thread: &s.timeline.thread,
                    municipality: s.timeline.municipality.as_deref(),
                    title: &s.timeline.title,
                    slipped: s.slipped,
                    latest_period: words::period(&s.latest),
                    latest_status: s.latest.status.map(|x| x.as_str()),
                    committees: committees(&s.latest.committees),
                    history_line: words::one_line(&s.timeline),
                    entries: s.timeline.entries.iter().map(EntryJson::from).collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facet::Facet;

    /// Every object leads with the version; a body's own fields follow in their order.
    #[test]
    fn objects_lead_with_the_version() {
        let d = Document {
            title: "T".into(),
            ..Document::new("m/a.txt#1", crate::model::Kind::Uppdrag)
        };
        let mut out = Vec::new();
        JsonRender.document(&mut out, &d).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(r#"{"version":1,"id":"m/a.txt#1","kind":"uppdrag","#),
            "{text}"
        );
        assert!(text.ends_with("}\n"));
        // CSV has no form for a document: an error, not an empty answer.
        let err = super::super::csv::CsvRender(super::super::csv::Separator::Comma)
            .document(&mut Vec::new(), &d)
            .unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::Unsupported);
    }

    /// The `facets` object keeps its keys and their order (the order of the table),
    /// every facet present even without counts, years in numeric order.
    #[test]
    fn facets_object_is_pinned_byte_for_byte() {
        let mut f = FacetCounts::default();
        for (facet, value, n) in [
            (Facet::Kind, "uppdrag", 3),
            (Facet::Year, "2022", 2),
            (Facet::Year, "2021", 1),
            (Facet::Committee, "KS", 2),
            (Facet::Committee, "alla", 1),
            (Facet::Municipality, "ostersund", 3),
            (Facet::Tertial, "T3", 3),
        ] {
            f.add(facet, value.to_string(), n);
        }
        assert_eq!(
            serde_json::to_string(&FacetsJson::from(&f)).unwrap(),
            r#"{"year":{"2021":1,"2022":2},"tertial":{"T3":3},"committee":{"KS":2,"alla":1},"status":{},"municipality":{"ostersund":3},"kind":{"uppdrag":3},"unit":{}}"#
        );
    }
}
