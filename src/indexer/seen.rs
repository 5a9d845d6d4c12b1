//! `first_seen` across rebuilds: a build looks each document's id up in the live
//! generation it replaces and keeps that generation's `first_seen` when the text is the
//! same ([`Document::content_hash`](crate::model::Document::content_hash)); a new id or a
//! changed text gets the new build's time. The live generation is opened read-only
//! (through [`crate::store`]) and read by id term, one look-up per document, so nothing
//! of it is held in memory beyond tantivy's own mappings.

use crate::schema::{self, Fields};
use crate::store;
use crate::timestamp::Timestamp;
use std::path::Path;
use std::sync::Arc;
use tantivy::columnar::Column;
use tantivy::index::InvertedIndexReader;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Term, TERMINATED};

/// The live generation's `first_seen` and content hash per id.
pub struct Previous {
    id: Field,
    segments: Vec<PreviousSegment>,
}

/// One segment of the previous generation: its id terms and the two columns.
struct PreviousSegment {
    ids: Arc<InvertedIndexReader>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
    first_seen: Column<u64>,
    hash: Column<u64>,
}

impl Previous {
    /// Open the live generation of `index`, if there is one and it records `first_seen`
    /// and content hashes (an index built before they existed gives `None`: every
    /// document of the new build is then first seen now). A generation that cannot be
    /// read gives `None` too: `first_seen` is history, not a reason to fail a build.
    pub fn open(index: &Path) -> Option<Previous> {
        let live = store::current(index).ok().flatten()?;
        let tantivy_index = store::open_read_only(&store::generation_dir(index, &live)).ok()?;
        let fields = Fields::from_schema(&tantivy_index.schema()).ok()?;
        fields.first_seen?;
        fields.content_hash?;
        let reader = tantivy_index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .ok()?;
        let searcher: tantivy::Searcher = reader.searcher();
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|seg| {
                let fast = seg.fast_fields();
                Some(PreviousSegment {
                    ids: seg.inverted_index(fields.id).ok()?,
                    alive: seg.alive_bitset().cloned(),
                    first_seen: fast.u64(schema::FIRST_SEEN).ok()?,
                    hash: fast.u64(schema::CONTENT_HASH).ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Previous {
            id: fields.id,
            segments,
        })
    }

    /// The `first_seen` of document `id` in the previous generation, if it was there
    /// with the same content hash.
    pub fn first_seen(&self, id: &str, hash: u64) -> Option<Timestamp> {
        let term = Term::from_field_text(self.id, id);
        for seg in &self.segments {
            let Ok(Some(mut postings)) = seg.ids.read_postings(&term, IndexRecordOption::Basic)
            else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if seg.alive.as_ref().is_none_or(|a| a.is_alive(doc)) {
                    return (seg.hash.first(doc) == Some(hash))
                        .then(|| seg.first_seen.first(doc).map(Timestamp))
                        .flatten();
                }
                doc = postings.advance();
            }
        }
        None
    }
}

/// What a build stamps on each document: its own time, and the generation it replaces.
pub struct Stamper {
    /// The build's time ([`crate::store::BuildInfo::built_at`]).
    pub now: Timestamp,
    previous: Option<Previous>,
}

impl Stamper {
    /// A build at `now` that replaces the live generation of `index` (if any).
    pub fn new(index: &Path, now: Timestamp) -> Stamper {
        Stamper {
            now,
            previous: Previous::open(index),
        }
    }

    /// Set `doc.first_seen`: the previous generation's for the same id and text, else
    /// now. Returns the content hash, to be stored with the document.
    pub fn stamp(&self, doc: &mut crate::model::Document) -> u64 {
        let hash = doc.content_hash();
        let kept = self
            .previous
            .as_ref()
            .and_then(|p| p.first_seen(&doc.id, hash));
        doc.first_seen = Some(kept.unwrap_or(self.now));
        hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::{build, BuildOptions, NoProgress};
    use crate::model::{Document, Kind};

    /// The bundled corpus's document `id`, as the parser reads it.
    fn bundled(id: &str) -> Document {
        let file = crate::model::DocId::file_of(id);
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus")
            .join(file);
        let text = std::fs::read_to_string(path).unwrap();
        crate::parser::parse_file(file, &text)
            .documents
            .into_iter()
            .find(|d| d.id == id)
            .unwrap()
    }

    #[test]
    fn a_rebuild_keeps_first_seen_only_for_the_same_id_and_text() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index");
        // No live generation: everything is new.
        assert!(Previous::open(&index).is_none());
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let report = build(&BuildOptions::new(&corpus, &index), &NoProgress).unwrap();
        let built = Timestamp::parse(&report.info.built_at).unwrap();

        let later = Timestamp(built.secs() + 3600);
        let stamper = Stamper::new(&index, later);
        let id = "ostersund/2023-T3.txt#3";
        let mut same = bundled(id);
        let hash = stamper.stamp(&mut same);
        assert_eq!(hash, bundled(id).content_hash());
        assert_eq!(same.first_seen, Some(built));

        let mut edited = Document {
            body: format!("{} Nu klart.", bundled(id).body),
            ..bundled(id)
        };
        stamper.stamp(&mut edited);
        assert_eq!(edited.first_seen, Some(later));

        let mut new = Document {
            id: "ostersund/2024-T1.txt#1".into(),
            ..bundled(id)
        };
        stamper.stamp(&mut new);
        assert_eq!(new.first_seen, Some(later));

        let mut text = Document::new("nowhere.txt#1", Kind::Text);
        stamper.stamp(&mut text);
        assert_eq!(text.first_seen, Some(later));
    }
}
