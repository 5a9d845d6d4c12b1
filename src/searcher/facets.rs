//! Facet counts over all matches, read from fast-field columns, never from stored
//! documents: one packed code per match (year, tertial, status, kind, committee bits)
//! counted in dense arrays, plus the municipality's term ordinal; values are resolved to
//! strings once per segment.

use crate::schema::{self, FacetCode};
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value for each facet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub year: BTreeMap<u64, u64>,
    pub tertial: BTreeMap<String, u64>,
    pub committee: BTreeMap<String, u64>,
    pub status: BTreeMap<String, u64>,
    pub municipality: BTreeMap<String, u64>,
    pub kind: BTreeMap<String, u64>,
}

impl FacetCounts {
    fn str_fields(&mut self) -> [&mut BTreeMap<String, u64>; 5] {
        [
            &mut self.tertial,
            &mut self.committee,
            &mut self.status,
            &mut self.municipality,
            &mut self.kind,
        ]
    }

    fn merge(&mut self, mut other: FacetCounts) {
        for (k, v) in std::mem::take(&mut other.year) {
            *self.year.entry(k).or_default() += v;
        }
        for (mine, theirs) in self.str_fields().into_iter().zip(other.str_fields()) {
            for (k, v) in std::mem::take(theirs) {
                *mine.entry(k).or_default() += v;
            }
        }
    }
}

/// Collector of [`FacetCounts`].
pub struct FacetCollector;

/// Per-segment state: dense counters over the packed facet codes, municipality
/// ordinals, and the committees column for the rare committee outside the packed set.
pub struct FacetSegmentCollector {
    codes: Column<u64>,
    municipality: Option<(StrColumn, Vec<u64>)>,
    committees: Option<StrColumn>,
    years: Vec<u64>,
    tertials: [u64; 4],
    statuses: [u64; 8],
    kinds: [u64; 4],
    known_committees: [u64; 16],
    other_committees: BTreeMap<String, u64>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegmentCollector;

    fn for_segment(
        &self,
        _segment_local_id: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegmentCollector> {
        let ff = segment.fast_fields();
        Ok(FacetSegmentCollector {
            codes: ff.u64(schema::FACET_CODE)?,
            municipality: ff.str(schema::MUNICIPALITY)?.map(|c| {
                let n = c.num_terms();
                (c, vec![0u64; n])
            }),
            committees: ff.str(schema::COMMITTEES)?,
            years: vec![0; 256],
            tertials: [0; 4],
            statuses: [0; 8],
            kinds: [0; 4],
            known_committees: [0; 16],
            other_committees: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::default();
        for f in fruits {
            total.merge(f);
        }
        Ok(total)
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let code = self.codes.first(doc).unwrap_or(0);
        self.years[(code & 0xff) as usize] += 1;
        self.tertials[((code >> 8) & 0b11) as usize] += 1;
        self.statuses[((code >> 10) & 0b111) as usize] += 1;
        self.kinds[((code >> 13) & 0b11) as usize] += 1;
        for i in FacetCode::committees(code) {
            self.known_committees[i] += 1;
        }
        if code & FacetCode::OTHER_COMMITTEE != 0 {
            if let Some(col) = &self.committees {
                let mut buf = String::new();
                for ord in col.term_ords(doc) {
                    buf.clear();
                    if col.ord_to_str(ord, &mut buf).unwrap_or(false)
                        && !FacetCode::COMMITTEES.contains(&buf.as_str())
                    {
                        *self.other_committees.entry(buf.clone()).or_default() += 1;
                    }
                }
            }
        }
        if let Some((col, counts)) = &mut self.municipality {
            if let Some(ord) = col.ords().first(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts {
            committee: self.other_committees,
            ..FacetCounts::default()
        };
        for (y, &n) in self.years.iter().enumerate().skip(1) {
            if n > 0 {
                out.year.insert(y as u64 - 1 + 1900, n);
            }
        }
        for (t, &n) in self.tertials.iter().enumerate() {
            if let (Some(t), true) = (FacetCode::tertial((t as u64) << 8), n > 0) {
                out.tertial.insert(t.as_str().to_string(), n);
            }
        }
        for (st, &n) in self.statuses.iter().enumerate() {
            if let (Some(st), true) = (FacetCode::status((st as u64) << 10), n > 0) {
                out.status.insert(st.as_str().to_string(), n);
            }
        }
        for (k, &n) in self.kinds.iter().enumerate().take(3) {
            if n > 0 {
                out.kind
                    .insert(FacetCode::kind((k as u64) << 13).as_str().to_string(), n);
            }
        }
        for (i, &n) in self.known_committees.iter().enumerate() {
            if n > 0 {
                out.committee
                    .insert(FacetCode::COMMITTEES[i].to_string(), n);
            }
        }
        if let Some((col, counts)) = self.municipality {
            let mut buf = String::new();
            for (ord, n) in counts.into_iter().enumerate() {
                buf.clear();
                if n > 0 && col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                    out.municipality.insert(buf.clone(), n);
                }
            }
        }
        out
    }
}
