//! Facet counts over all matches, read from fast-field columns, never from stored
//! documents, for every facet of the table ([`crate::facet::FACETS`]) as its row says:
//! a packed facet from one packed code per match (year, tertial, status, kind, committee
//! bits) counted in dense arrays, a column facet (municipality) by its term ordinal;
//! values are resolved to strings once per segment.

use crate::facet::{Counting, Facet, FACETS};
use crate::schema;
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts per value for each facet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    counts: BTreeMap<Facet, BTreeMap<String, u64>>,
}

/// The counts of a facet with no value counted.
static EMPTY: BTreeMap<String, u64> = BTreeMap::new();

impl FacetCounts {
    /// The counts of one facet, by value (as indexed: the status slug, the year as
    /// digits).
    pub fn get(&self, facet: Facet) -> &BTreeMap<String, u64> {
        self.counts.get(&facet).unwrap_or(&EMPTY)
    }

    /// Add `n` to a value's count.
    pub fn add(&mut self, facet: Facet, value: String, n: u64) {
        *self
            .counts
            .entry(facet)
            .or_default()
            .entry(value)
            .or_default() += n;
    }

    fn merge(&mut self, other: FacetCounts) {
        for (facet, values) in other.counts {
            for (v, n) in values {
                self.add(facet, v, n);
            }
        }
    }
}

/// Collector of [`FacetCounts`].
pub struct FacetCollector;

/// One facet's counters in a segment, as the table's [`Counting`] says.
enum Counter {
    Packed {
        shift: u32,
        mask: u64,
        decode: fn(u64) -> Option<String>,
        counts: Vec<u64>,
    },
    Bits {
        shift: u32,
        known: &'static [&'static str],
        other: u64,
        column: Option<StrColumn>,
        counts: Vec<u64>,
        others: BTreeMap<String, u64>,
    },
    Column {
        column: Option<StrColumn>,
        counts: Vec<u64>,
    },
}

/// Per-segment state: the packed facet codes and one counter per facet.
pub struct FacetSegmentCollector {
    codes: Column<u64>,
    counters: Vec<(Facet, Counter)>,
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
        let mut counters = Vec::with_capacity(FACETS.len());
        for spec in &FACETS {
            let counter = match spec.counting {
                Counting::Packed {
                    shift,
                    bits,
                    decode,
                } => Counter::Packed {
                    shift,
                    mask: (1 << bits) - 1,
                    decode,
                    counts: vec![0; 1 << bits],
                },
                Counting::Bits {
                    shift,
                    known,
                    other,
                } => Counter::Bits {
                    shift,
                    known,
                    other,
                    column: ff.str(spec.field)?,
                    counts: vec![0; known.len()],
                    others: BTreeMap::new(),
                },
                Counting::Column => {
                    // An index built before the facet's field existed has no column.
                    let column = ff.str(spec.field).ok().flatten();
                    let n = column.as_ref().map_or(0, |c| c.num_terms());
                    Counter::Column {
                        column,
                        counts: vec![0; n],
                    }
                }
            };
            counters.push((spec.facet, counter));
        }
        Ok(FacetSegmentCollector {
            codes: ff.u64(schema::FACET_CODE)?,
            counters,
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
        for (_, counter) in &mut self.counters {
            match counter {
                Counter::Packed {
                    shift,
                    mask,
                    counts,
                    ..
                } => counts[((code >> *shift) & *mask) as usize] += 1,
                Counter::Bits {
                    shift,
                    known,
                    other,
                    column,
                    counts,
                    others,
                } => {
                    let bits = (code >> *shift) & ((1 << known.len()) - 1);
                    if bits != 0 {
                        for (i, c) in counts.iter_mut().enumerate() {
                            *c += (bits >> i) & 1;
                        }
                    }
                    if code & *other != 0 {
                        if let Some(col) = column {
                            let mut buf = String::new();
                            for ord in col.term_ords(doc) {
                                buf.clear();
                                if col.ord_to_str(ord, &mut buf).unwrap_or(false)
                                    && !known.contains(&buf.as_str())
                                {
                                    *others.entry(buf.clone()).or_default() += 1;
                                }
                            }
                        }
                    }
                }
                Counter::Column { column, counts } => {
                    if let Some(ord) = column.as_ref().and_then(|c| c.ords().first(doc)) {
                        if let Some(c) = counts.get_mut(ord as usize) {
                            *c += 1;
                        }
                    }
                }
            }
        }
    }

    fn harvest(self) -> FacetCounts {
        let mut out = FacetCounts::default();
        for (facet, counter) in self.counters {
            match counter {
                Counter::Packed { decode, counts, .. } => {
                    for (v, n) in counts.into_iter().enumerate() {
                        if let (Some(value), true) = (decode(v as u64), n > 0) {
                            out.add(facet, value, n);
                        }
                    }
                }
                Counter::Bits {
                    known,
                    counts,
                    others,
                    ..
                } => {
                    for (v, n) in others {
                        out.add(facet, v, n);
                    }
                    for (i, n) in counts.into_iter().enumerate() {
                        if n > 0 {
                            out.add(facet, known[i].to_string(), n);
                        }
                    }
                }
                Counter::Column { column, counts } => {
                    let Some(col) = column else { continue };
                    let mut buf = String::new();
                    for (ord, n) in counts.into_iter().enumerate() {
                        buf.clear();
                        if n > 0 && col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                            out.add(facet, buf.clone(), n);
                        }
                    }
                }
            }
        }
        out
    }
}
