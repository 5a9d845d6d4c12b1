//! A query over a fixed set of documents, computed beforehand. Used to exclude phrases
//! (`-"ohälsa budget"`): tantivy 0.27's exclusion seeks a phrase scorer backwards in
//! some cases and trips a debug assertion (quickwit-oss/tantivy#2811), so the excluded
//! phrase is searched on its own, forwards, and its matches are excluded as a set.

use std::collections::HashMap;
use std::sync::Arc;
use tantivy::collector::DocSetCollector;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::{BitSet, DocId, Score, SegmentReader, TantivyError};

/// The documents a query matched, per segment.
#[derive(Clone, Debug)]
pub struct FixedDocs {
    per_segment: Arc<HashMap<tantivy::index::SegmentId, Vec<DocId>>>,
}

impl FixedDocs {
    /// Run `query` (unscored) and keep its matches.
    pub fn of(searcher: &tantivy::Searcher, query: &dyn Query) -> tantivy::Result<FixedDocs> {
        let mut per_segment: HashMap<tantivy::index::SegmentId, Vec<DocId>> = HashMap::new();
        for addr in searcher.search(query, &DocSetCollector)? {
            let id = searcher.segment_reader(addr.segment_ord).segment_id();
            per_segment.entry(id).or_default().push(addr.doc_id);
        }
        Ok(FixedDocs {
            per_segment: Arc::new(per_segment),
        })
    }
}

impl Query for FixedDocs {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for FixedDocs {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut set = BitSet::with_max_value(reader.max_doc());
        for &doc in self
            .per_segment
            .get(&reader.segment_id())
            .into_iter()
            .flatten()
        {
            set.insert(doc);
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(set), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let hit = self
            .per_segment
            .get(&reader.segment_id())
            .is_some_and(|d| d.contains(&doc));
        if hit {
            Ok(Explanation::new("matched the excluded phrase", 0.0))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )))
        }
    }
}
