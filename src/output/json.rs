//! JSON wire types: the contract scripts depend on. Serialize-only structs, separate from
//! the domain types so the wire format changes only on purpose.

use crate::indexer::generation::BuildInfo;
use crate::model::{Committee, Document, LightItem};
use crate::searcher::facets::FacetCounts;
use crate::searcher::passages::Passage;
use crate::searcher::{Hit, Response};
use serde::Serialize;
use std::collections::BTreeMap;

/// `search --json`.
#[derive(Debug, Serialize)]
pub struct SearchJson<'a> {
    pub query: &'a str,
    pub total: usize,
    /// True when no document held every word and hits match any of them.
    pub relaxed: bool,
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
    pub committees: &'a [Committee],
    pub status: Option<&'static str>,
    pub title: &'a str,
    pub title_highlights: &'a [[usize; 2]],
    pub section: Option<&'a str>,
    pub file: &'a str,
    pub line: usize,
    pub passages: &'a [Passage],
    /// The assignment thread (`null` for goal pages, whose items carry theirs, and text).
    pub thread: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<&'a [LightItem]>,
}

/// Facet counts over all matches.
#[derive(Debug, Serialize)]
pub struct FacetsJson<'a> {
    pub year: &'a BTreeMap<u64, u64>,
    pub tertial: &'a BTreeMap<String, u64>,
    pub committee: &'a BTreeMap<String, u64>,
    pub status: &'a BTreeMap<String, u64>,
    pub municipality: &'a BTreeMap<String, u64>,
    pub kind: &'a BTreeMap<String, u64>,
}

impl<'a> From<&'a FacetCounts> for FacetsJson<'a> {
    fn from(f: &'a FacetCounts) -> Self {
        FacetsJson {
            year: &f.year,
            tertial: &f.tertial,
            committee: &f.committee,
            status: &f.status,
            municipality: &f.municipality,
            kind: &f.kind,
        }
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
            committees: &d.committees,
            status: d.status.map(|s| s.as_str()),
            title: &d.title,
            title_highlights: &h.title_highlights,
            section: d.section.as_deref(),
            file: &d.file,
            line: d.line,
            passages: &h.passages,
            thread: d.thread.as_deref(),
            updated: if is_goal { d.updated.as_deref() } else { None },
            items: is_goal.then_some(d.items.as_slice()),
        }
    }
}

impl<'a> From<&'a Response> for SearchJson<'a> {
    fn from(r: &'a Response) -> Self {
        SearchJson {
            query: &r.query,
            total: r.total,
            relaxed: r.relaxed,
            hits: r.hits.iter().map(HitJson::from).collect(),
            facets: FacetsJson::from(&r.facets),
        }
    }
}

/// `stats --json`.
#[derive(Debug, Serialize)]
pub struct StatsJson<'a> {
    pub index: String,
    pub generation: &'a str,
    pub built_at: Option<&'a str>,
    pub corpus: Option<&'a str>,
    pub files: Option<usize>,
    pub build_warnings: Option<usize>,
    pub documents: usize,
    pub facets: FacetsJson<'a>,
}

impl<'a> StatsJson<'a> {
    pub fn new(
        index: String,
        generation: &'a str,
        info: Option<&'a BuildInfo>,
        documents: usize,
        facets: &'a FacetCounts,
    ) -> Self {
        StatsJson {
            index,
            generation,
            built_at: info.map(|i| i.built_at.as_str()),
            corpus: info.map(|i| i.corpus.as_str()),
            files: info.map(|i| i.files),
            build_warnings: info.map(|i| i.warnings),
            documents,
            facets: FacetsJson::from(facets),
        }
    }
}
