//! Following the live generation: what a long-lived reader (a web server) needs after a
//! nightly build. A [`Searcher`] reads the one generation it opened, for as long as it
//! lives, even after a rebuild has removed its folder (its files stay open). It can ask
//! whether `CURRENT` names another generation now ([`Searcher::is_stale`]) and open that
//! one ([`Searcher::reopen`]); [`LiveIndex`] holds the searcher of the moment behind an
//! `Arc` and swaps it, so that requests in flight finish on the generation they started
//! with. Only the store is read here (`CURRENT`, and the new generation read-only);
//! nothing is written and no lock is taken.

use super::{SearchError, Searcher};
use crate::store;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

impl Searcher {
    /// Whether the index folder's `CURRENT` names another generation than the one this
    /// searcher reads: a build (or a rollback) has made it live since. False when there is
    /// no folder to follow ([`Searcher::from_index`]) or `CURRENT` names nothing (there is
    /// nothing to move to). One small file is read; an unreadable or invalid `CURRENT` is
    /// an error.
    pub fn is_stale(&self) -> Result<bool, SearchError> {
        if self.index_dir.as_os_str().is_empty() {
            return Ok(false);
        }
        let live = store::current(&self.index_dir).map_err(|source| SearchError::Io {
            path: self.index_dir.clone(),
            source,
        })?;
        Ok(live.is_some_and(|live| live != self.generation))
    }

    /// A searcher of the generation live now, or `None` when this one is still live.
    /// This searcher stays usable either way.
    pub fn reopen(&self) -> Result<Option<Searcher>, SearchError> {
        if !self.is_stale()? {
            return Ok(None);
        }
        Searcher::open(&self.index_dir).map(Some)
    }
}

/// The searcher of an index folder's live generation, shared by the threads of a server
/// and moved to a newer generation by [`LiveIndex::refresh`]. Each request takes the
/// searcher of the moment ([`LiveIndex::searcher`]) and keeps it until it is answered,
/// whatever refreshes happen meanwhile.
pub struct LiveIndex {
    dir: PathBuf,
    current: RwLock<Arc<Searcher>>,
    /// Held while a refresh opens a generation, so that concurrent refreshes open it once.
    refreshing: Mutex<()>,
}

impl LiveIndex {
    /// Open the live generation of `index_dir` (as [`Searcher::open`] does).
    pub fn open(index_dir: &Path) -> Result<LiveIndex, SearchError> {
        Ok(LiveIndex {
            dir: index_dir.to_path_buf(),
            current: RwLock::new(Arc::new(Searcher::open(index_dir)?)),
            refreshing: Mutex::new(()),
        })
    }

    /// The index folder followed.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The searcher of the moment, for one request.
    pub fn searcher(&self) -> Arc<Searcher> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Move to the generation live now when it is not the one held: returns whether the
    /// searcher changed. Cheap when nothing changed (one read of `CURRENT`), so a server
    /// may call it before every request or on a timer. On an error the searcher held stays.
    pub fn refresh(&self) -> Result<bool, SearchError> {
        let _one_at_a_time = self
            .refreshing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let Some(newer) = self.searcher().reopen()? else {
            return Ok(false);
        };
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(newer);
        Ok(true)
    }
}

// A server shares one `LiveIndex` between threads and hands `Arc<Searcher>`s across them.
const _: () = {
    const fn shared<T: Send + Sync>() {}
    shared::<LiveIndex>();
    shared::<Searcher>();
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Fields;

    /// An empty but complete tantivy index in generation `name` of `index`.
    fn generation(index: &Path, name: &str) {
        let dir = store::generation_dir(index, name);
        std::fs::create_dir_all(&dir).unwrap();
        let tantivy = tantivy::Index::create_in_dir(&dir, Fields::new().schema).unwrap();
        let mut writer: tantivy::IndexWriter =
            tantivy.writer_with_num_threads(1, 15 << 20).unwrap();
        writer.commit().unwrap();
    }

    #[test]
    fn stale_only_when_current_names_another_generation() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path();
        generation(index, "gen-000001");
        generation(index, "gen-000002");
        store::switch_to(index, "gen-000001").unwrap();
        let live = LiveIndex::open(index).unwrap();
        let first = live.searcher();
        assert_eq!(first.generation, "gen-000001");
        assert!(!first.is_stale().unwrap());
        assert!(first.reopen().unwrap().is_none());

        // `CURRENT` gone: nothing to move to, keep serving.
        std::fs::remove_file(index.join("CURRENT")).unwrap();
        assert!(!first.is_stale().unwrap());
        assert!(!live.refresh().unwrap());
        // `CURRENT` naming something that is not a generation: an error, and no move.
        std::fs::write(index.join("CURRENT"), "/etc\n").unwrap();
        assert!(matches!(first.is_stale(), Err(SearchError::Io { .. })));
        assert!(live.refresh().is_err());
        assert!(Arc::ptr_eq(&first, &live.searcher()));

        store::switch_to(index, "gen-000002").unwrap();
        assert!(first.is_stale().unwrap());
        assert!(live.refresh().unwrap());
        assert_eq!(live.searcher().generation, "gen-000002");
        assert_eq!(live.dir(), index);
    }

    #[test]
    fn a_searcher_without_a_folder_is_never_stale() {
        let tantivy = tantivy::Index::create_in_ram(Fields::new().schema);
        let searcher = Searcher::from_index(tantivy, "ram".into(), None).unwrap();
        assert!(!searcher.is_stale().unwrap());
        assert!(searcher.reopen().unwrap().is_none());
    }
}
