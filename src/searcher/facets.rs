//! Facet counts over all matches, read from fast-field columns (term ordinals counted in
//! dense arrays per segment, resolved to strings once per segment), never from stored
//! documents.

use crate::schema;
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// The string-valued facet fields, in [`FacetCounts::str_fields`] order.
const STR_FIELDS: [&str; 5] = [
    schema::TERTIAL,
    schema::COMMITTEES,
    schema::STATUS,
    schema::MUNICIPALITY,
    schema::KIND,
];

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

/// Per-segment state: ordinal counts per string column, and year counts.
pub struct FacetSegmentCollector {
    columns: Vec<Option<(StrColumn, Vec<u64>)>>,
    year: Column<u64>,
    years: BTreeMap<u64, u64>,
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
        let mut columns = Vec::with_capacity(STR_FIELDS.len());
        for name in STR_FIELDS {
            columns.push(ff.str(name)?.map(|c| {
                let n = c.num_terms();
                (c, vec![0u64; n])
            }));
        }
        Ok(FacetSegmentCollector {
            columns,
            year: ff.u64(schema::YEAR)?,
            years: BTreeMap::new(),
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
        for (col, counts) in self.columns.iter_mut().flatten() {
            for ord in col.term_ords(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
        if let Some(y) = self.year.first(doc) {
            *self.years.entry(y).or_default() += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts {
            year: self.years,
            ..FacetCounts::default()
        };
        let mut buf = String::new();
        for (slot, column) in out.str_fields().into_iter().zip(self.columns) {
            let Some((col, counts)) = column else {
                continue;
            };
            for (ord, n) in counts.into_iter().enumerate() {
                if n == 0 {
                    continue;
                }
                buf.clear();
                if col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                    *slot.entry(buf.clone()).or_default() += n;
                }
            }
        }
        out
    }
}
