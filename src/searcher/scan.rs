//! The index operations of the thread commands, so that `history` reads no tantivy
//! field itself: every stored document of a thread ([`Searcher::thread_documents`]),
//! and a scan of the whole index over fast fields, with no query and no stored
//! document read, for every assignment's report and status per thread
//! ([`Searcher::thread_reports`], for `slipping`).

use super::{SearchError, Searcher};
use crate::model::{Document, Kind, Status};
use crate::schema;
use std::collections::HashMap;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

/// One report of a thread: its period key ([`crate::model::Period::key`]) and
/// the assignment's status there.
pub type ThreadReport = (u64, Option<Status>);

impl Searcher {
    /// All stored documents that hold `thread` (assignments, and goal pages whose
    /// traffic lights belong to it), in no particular order.
    pub fn thread_documents(&self, thread: &str) -> Result<Vec<Document>, SearchError> {
        let s = self.index_searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.thread, thread),
            IndexRecordOption::Basic,
        );
        let addrs = s.search(&q, &DocSetCollector)?;
        let mut docs = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let stored: TantivyDocument = s.doc(addr)?;
            docs.push(self.fields.from_tantivy(&stored));
        }
        Ok(docs)
    }

    /// Every assignment (`kind` uppdrag) that belongs to a thread, from the period key
    /// `since_key` on: per thread id, its reports in index order (unsorted).
    pub fn thread_reports(
        &self,
        since_key: u64,
    ) -> Result<HashMap<String, Vec<ThreadReport>>, SearchError> {
        let io = |e: std::io::Error| SearchError::Tantivy(e.into());
        let mut by_thread: HashMap<String, Vec<ThreadReport>> = HashMap::new();
        let s = self.index_searcher();
        for segment in s.segment_readers() {
            let ff = segment.fast_fields();
            let (Some(thread), Some(kind), Some(status)) = (
                ff.str(schema::THREAD)?,
                ff.str(schema::KIND)?,
                ff.str(schema::STATUS)?,
            ) else {
                continue;
            };
            let period = ff.u64(schema::PERIOD)?;
            // The term ordinal of `uppdrag` in this segment's kind column, if any.
            let mut uppdrag = None;
            let mut buf = String::new();
            for ord in 0..kind.num_terms() as u64 {
                buf.clear();
                kind.ord_to_str(ord, &mut buf).map_err(io)?;
                if buf == Kind::Uppdrag.as_str() {
                    uppdrag = Some(ord);
                }
            }
            let mut statuses: HashMap<u64, Option<Status>> = HashMap::new();
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                if uppdrag.is_none() || kind.term_ords(doc).next() != uppdrag {
                    continue;
                }
                let Some(t_ord) = thread.term_ords(doc).next() else {
                    continue;
                };
                let p = period.first(doc).unwrap_or(0);
                if p < since_key {
                    continue;
                }
                let st = match status.term_ords(doc).next() {
                    Some(o) => *statuses.entry(o).or_insert_with(|| {
                        let mut b = String::new();
                        status
                            .ord_to_str(o, &mut b)
                            .ok()
                            .and_then(|found| found.then(|| Status::parse(&b)).flatten())
                    }),
                    None => None,
                };
                buf.clear();
                if thread.ord_to_str(t_ord, &mut buf).map_err(io)? {
                    by_thread.entry(buf.clone()).or_default().push((p, st));
                }
            }
        }
        Ok(by_thread)
    }
}
