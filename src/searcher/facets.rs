//! Facet counts over all matches, read from fast-field columns, never from stored
//! documents, for every facet of the table ([`crate::facet::FACETS`]) as its row says:
//! one packed code per match (year, tertial, status, kind, committee bits, and the
//! municipality's and unit's numbers in the generation's [`FacetDictionary`]) counted in
//! dense arrays; a value the code does not hold (a committee outside the known list, a
//! municipality or unit of an index without a dictionary) is read from its column.
//! Values are resolved to strings once per segment.

use crate::facet::{Counting, Facet, FACETS};
use crate::schema::{self, FacetCode, FacetDictionary};
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{ColumnValues, StrColumn};
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

/// Collector of [`FacetCounts`], with the generation's [`FacetDictionary`] when it has
/// one (the municipality and unit numbers in the facet code).
#[derive(Clone, Default)]
pub struct FacetCollector {
    dictionary: Option<Arc<FacetDictionary>>,
}

impl FacetCollector {
    pub fn new(dictionary: Option<Arc<FacetDictionary>>) -> Self {
        FacetCollector { dictionary }
    }
}

/// A generation's dictionary and the list of it that names a facet's numbers.
type Names = (Arc<FacetDictionary>, fn(&FacetDictionary) -> &[String]);

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
    /// Counts by number (`names`: the dictionary's list) and, for the values read from
    /// the column (not listed, or no dictionary), by the column's term ordinal.
    Numbered {
        shift: u32,
        names: Option<Names>,
        counts: Vec<u64>,
        column: Option<StrColumn>,
        by_ord: Vec<u64>,
    },
}

/// Per-segment state: the packed facet codes and one counter per facet.
pub struct FacetSegmentCollector {
    codes: Arc<dyn ColumnValues<u64>>,
    /// The packed facets (year, tertial, status, kind): counted together, one
    /// increment per match in `low` (by the code's bits below [`LOW_BITS`]), and
    /// split into their values at harvest.
    packed: Vec<(Facet, Counter)>,
    low: Vec<u32>,
    /// The other facets, counted per match.
    counters: Vec<(Facet, Counter)>,
    buffer: Vec<u64>,
}

/// The packed facets all lie below this bit of the code (the table is checked when a
/// segment's counters are made).
const LOW_BITS: u32 = 15;

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
        let mut packed = Vec::new();
        for spec in &FACETS {
            let counter = match spec.counting {
                Counting::Packed {
                    shift,
                    bits,
                    decode,
                } if shift + bits <= LOW_BITS => {
                    packed.push((
                        spec.facet,
                        Counter::Packed {
                            shift,
                            mask: (1 << bits) - 1,
                            decode,
                            counts: vec![0; 1 << bits],
                        },
                    ));
                    continue;
                }
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
                Counting::Numbered { shift, list } => {
                    // An index built before the facet's field existed has no column.
                    let column = ff.str(spec.field).ok().flatten();
                    let n = column.as_ref().map_or(0, |c| c.num_terms());
                    let listed = self.dictionary.as_ref().map_or(0, |d| list(d).len());
                    Counter::Numbered {
                        shift,
                        names: self.dictionary.clone().map(|d| (d, list)),
                        counts: vec![0; listed + 1],
                        column,
                        by_ord: vec![0; n],
                    }
                }
            };
            counters.push((spec.facet, counter));
        }
        Ok(FacetSegmentCollector {
            codes: ff.u64(schema::FACET_CODE)?.first_or_default_col(0),
            low: vec![0; if packed.is_empty() { 0 } else { 1 << LOW_BITS }],
            packed,
            counters,
            buffer: Vec::new(),
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

impl FacetSegmentCollector {
    /// Count one document with its facet code.
    fn count(&mut self, doc: DocId, code: u64) {
        if let Some(n) = self.low.get_mut((code & ((1 << LOW_BITS) - 1)) as usize) {
            *n += 1;
        }
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
                    let mut bits = (code >> *shift) & ((1 << known.len()) - 1);
                    while bits != 0 {
                        counts[bits.trailing_zeros() as usize] += 1;
                        bits &= bits - 1;
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
                Counter::Numbered {
                    shift,
                    names,
                    counts,
                    column,
                    by_ord,
                } => {
                    let number = (code >> *shift) & FacetCode::NOT_LISTED;
                    if names.is_some() && number != FacetCode::NOT_LISTED {
                        // 0 (no value) is counted in slot 0 and never shown.
                        if let Some(c) = counts.get_mut(number as usize) {
                            *c += 1;
                        }
                    } else if let Some(ord) = column.as_ref().and_then(|c| c.ords().first(doc)) {
                        if let Some(c) = by_ord.get_mut(ord as usize) {
                            *c += 1;
                        }
                    }
                }
            }
        }
    }
}

impl SegmentCollector for FacetSegmentCollector {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let code = self.codes.get_val(doc);
        self.count(doc, code);
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        let mut codes = std::mem::take(&mut self.buffer);
        codes.resize(docs.len(), 0);
        self.codes.get_vals(docs, &mut codes);
        for (&doc, &code) in docs.iter().zip(&codes) {
            self.count(doc, code);
        }
        self.buffer = codes;
    }

    fn harvest(mut self) -> FacetCounts {
        let mut out = FacetCounts::default();
        for (code, &n) in self.low.iter().enumerate().filter(|(_, n)| **n > 0) {
            for (_, counter) in &mut self.packed {
                if let Counter::Packed {
                    shift,
                    mask,
                    counts,
                    ..
                } = counter
                {
                    counts[((code as u64 >> *shift) & *mask) as usize] += u64::from(n);
                }
            }
        }
        for (facet, counter) in self.packed.into_iter().chain(self.counters) {
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
                Counter::Numbered {
                    names,
                    counts,
                    column,
                    by_ord,
                    ..
                } => {
                    if let Some((dictionary, list)) = names {
                        let list = list(&dictionary);
                        for (number, n) in counts.into_iter().enumerate().skip(1) {
                            if let (Some(name), true) =
                                (FacetDictionary::name(list, number as u64), n > 0)
                            {
                                out.add(facet, name.to_string(), n);
                            }
                        }
                    }
                    let Some(col) = column else { continue };
                    let mut buf = String::new();
                    for (ord, n) in by_ord.into_iter().enumerate() {
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
