//! The word cache: each distinct word is analysed once per [`Analyzer`](super::Analyzer)
//! and its analysis kept, shared by the analyzer's clones and by every thread.
//!
//! After segmentation and the hyphen rule (which only adds tokens beside the words), every
//! stage of the chain treats a token on its own, so the analysis of a word depends only
//! on its lowercased text: the cache maps that text to the terms the word yields (text,
//! field, origin and byte offsets relative to the word), in the order the chain's
//! [`Normalize`](super::Normalize) leaves them. Words repeat (Zipf: a few hundred thousand
//! distinct forms in hundreds of megabytes of reports), so nearly every word of an index
//! build is a hit.
//!
//! Memory stays bounded: each entry is one allocation (key, term texts and small integer
//! records), a term that is a substring of the word (the word itself, its stem, a
//! compound part) costs no text, and past a byte budget new words are analysed without
//! being kept. The cache never changes what the chain yields; the unit tests of
//! `analyzer` compare it with the uncached chain.

use super::{Analysis, AnalyzedToken, FieldKind, Origin};
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{PoisonError, RwLock};

/// Bytes the cache may hold before it stops taking new words (entries and an estimate
/// of the table's and the allocator's overhead): about 500,000 distinct words, more
/// than the national corpus has.
pub(super) const CACHE_BYTES: usize = 64 << 20;

/// Locks the table is split under: two indexing threads rarely meet on one.
const SHARDS: usize = 16;

/// Longest word kept, in bytes (longer ones are analysed each time; the default chain
/// drops them anyway, see [`MAX_TOKEN_BYTES`](super::MAX_TOKEN_BYTES)).
const MAX_KEY_BYTES: usize = u8::MAX as usize;

/// Entry layout: key length (u8), term count (u8), length of the extra text (u16 LE),
/// then the key and the extra text (one UTF-8 run), then one record per term.
const HEADER: usize = 4;

/// A term's record: text start and length in the text run (u16 LE each), offsets
/// relative to the word (u8 each), field and origin (u8).
const RECORD: usize = 7;

/// Bytes counted per entry beyond its own: the table slot at its load factor and the
/// allocator's header.
const ENTRY_OVERHEAD: usize = 48;

/// A concurrent map from a lowercased word to its analysis.
pub(super) struct WordCache {
    hasher: hashbrown::DefaultHashBuilder,
    shards: [Shard; SHARDS],
    bytes: AtomicUsize,
    limit: usize,
}

impl WordCache {
    /// An empty cache that keeps words up to `limit` bytes (see [`CACHE_BYTES`]).
    pub(super) fn new(limit: usize) -> WordCache {
        WordCache {
            hasher: hashbrown::DefaultHashBuilder::default(),
            shards: std::array::from_fn(|_| Shard(RwLock::new(HashTable::new()))),
            bytes: AtomicUsize::new(0),
            limit,
        }
    }

    /// The hash a word is looked up and inserted with.
    pub(super) fn hash(&self, word: &str) -> u64 {
        self.hasher.hash_one(word.as_bytes())
    }

    fn shard(&self, hash: u64) -> &RwLock<HashTable<Entry>> {
        // Bits the table itself does not use for small tables (it takes the low bits
        // for the bucket and the top seven for its tags).
        &self.shards[(hash >> 32) as usize % SHARDS].0
    }

    /// Append the cached analysis of `word` to `out` at `position`, its offsets moved
    /// to the word's start `from`; false when the word is not cached.
    pub(super) fn emit(
        &self,
        hash: u64,
        word: &str,
        position: usize,
        from: usize,
        out: &mut Analysis,
    ) -> bool {
        let shard = self
            .shard(hash)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        match shard.find(hash, |e| e.key() == word.as_bytes()) {
            Some(entry) => entry.emit(position, from, out),
            None => false,
        }
    }

    /// Keep `tokens`, the analysis of `word` (position 0, offsets relative to the word),
    /// unless the budget is spent or the word does not fit the compact form.
    pub(super) fn insert(&self, hash: u64, word: &str, tokens: &[AnalyzedToken]) {
        if self.bytes.load(Ordering::Relaxed) >= self.limit {
            return;
        }
        let Some(entry) = Entry::encode(word, tokens) else {
            return;
        };
        let mut shard = self
            .shard(hash)
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if shard.find(hash, |e| e.key() == word.as_bytes()).is_some() {
            return; // Another thread analysed it meanwhile.
        }
        self.bytes
            .fetch_add(entry.0.len() + ENTRY_OVERHEAD, Ordering::Relaxed);
        shard.insert_unique(hash, entry, |e| self.hasher.hash_one(e.key()));
    }

    /// Words kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.0.read().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }
}

/// A shard's lock and table on cache lines of their own: the lock word is written by
/// every lookup, and two threads reading neighbouring shards would otherwise share a
/// line.
#[repr(align(128))]
struct Shard(RwLock<HashTable<Entry>>);

/// One word's analysis, in one allocation (layout at [`HEADER`]).
struct Entry(Box<[u8]>);

impl Entry {
    fn key(&self) -> &[u8] {
        &self.0[HEADER..HEADER + usize::from(self.0[0])]
    }

    /// The compact form of a word's tokens; `None` when a length does not fit.
    fn encode(word: &str, tokens: &[AnalyzedToken]) -> Option<Entry> {
        if word.len() > MAX_KEY_BYTES || tokens.len() > usize::from(u8::MAX) {
            return None;
        }
        // The key first; a term found in it (or in the text added so far) costs nothing.
        let mut text = word.to_string();
        let mut records = Vec::with_capacity(tokens.len() * RECORD);
        for t in tokens {
            let start = match text.find(t.text.as_str()) {
                Some(at) => at,
                None => {
                    text.push_str(&t.text);
                    text.len() - t.text.len()
                }
            };
            records.extend(u16::try_from(start).ok()?.to_le_bytes());
            records.extend(u16::try_from(t.text.len()).ok()?.to_le_bytes());
            records.push(u8::try_from(t.offset_from).ok()?);
            records.push(u8::try_from(t.offset_to).ok()?);
            records.push(tag(t.kind, t.origin));
        }
        let extra = u16::try_from(text.len() - word.len()).ok()?;
        let mut buf = Vec::with_capacity(HEADER + text.len() + records.len());
        buf.push(word.len() as u8);
        buf.push(tokens.len() as u8);
        buf.extend(extra.to_le_bytes());
        buf.extend(text.as_bytes());
        buf.extend(records);
        Some(Entry(buf.into_boxed_slice()))
    }

    /// Append the terms to `out` (see [`WordCache::emit`]).
    fn emit(&self, position: usize, from: usize, out: &mut Analysis) -> bool {
        let b = &self.0;
        let run = HEADER + usize::from(b[0]) + usize::from(u16::from_le_bytes([b[2], b[3]]));
        // Written from a `str` by `encode`; checked once here rather than per term.
        let Ok(text) = std::str::from_utf8(&b[HEADER..run]) else {
            return false;
        };
        for r in b[run..].chunks_exact(RECORD) {
            let start = usize::from(u16::from_le_bytes([r[0], r[1]]));
            let len = usize::from(u16::from_le_bytes([r[2], r[3]]));
            let (kind, origin) = untag(r[6]);
            out.push(
                position,
                &text[start..start + len],
                from + usize::from(r[4]),
                from + usize::from(r[5]),
                origin,
                kind,
            );
        }
        true
    }
}

const KINDS: [FieldKind; 3] = [FieldKind::Main, FieldKind::Parts, FieldKind::Folded];

const ORIGINS: [Origin; 8] = [
    Origin::Word,
    Origin::Stem,
    Origin::Lemma,
    Origin::Inflection,
    Origin::RepairedHyphen,
    Origin::CompoundPart,
    Origin::SuspendedCompound,
    Origin::Folded,
];

fn tag(kind: FieldKind, origin: Origin) -> u8 {
    let k = KINDS.iter().position(|&k| k == kind).unwrap_or(0) as u8;
    let o = ORIGINS.iter().position(|&o| o == origin).unwrap_or(0) as u8;
    k << 4 | o
}

fn untag(tag: u8) -> (FieldKind, Origin) {
    (
        KINDS[usize::from(tag >> 4) % KINDS.len()],
        ORIGINS[usize::from(tag & 15) % ORIGINS.len()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for kind in KINDS {
            for origin in ORIGINS {
                assert_eq!(untag(tag(kind, origin)), (kind, origin));
            }
        }
    }

    #[test]
    fn substrings_of_the_word_cost_no_text() {
        let tok = |text: &str, from, to| AnalyzedToken {
            position: 0,
            text: text.to_string(),
            offset_from: from,
            offset_to: to,
            origin: Origin::CompoundPart,
            kind: FieldKind::Parts,
        };
        let tokens = [
            tok("klimatbudget", 0, 12),
            tok("budget", 6, 12),
            tok("klim", 0, 6),
        ];
        let e = Entry::encode("klimatbudget", &tokens).unwrap();
        assert_eq!(e.0.len(), HEADER + "klimatbudget".len() + 3 * RECORD);
        let mut out = Analysis::default();
        assert!(e.emit(7, 100, &mut out));
        let mut got = Vec::new();
        out.to_tokens(&mut got);
        let want: Vec<AnalyzedToken> = tokens
            .iter()
            .map(|t| AnalyzedToken {
                position: 7,
                offset_from: t.offset_from + 100,
                offset_to: t.offset_to + 100,
                ..t.clone()
            })
            .collect();
        assert_eq!(got, want);
        assert!(Entry::encode(&"x".repeat(MAX_KEY_BYTES + 1), &[]).is_none());
    }
}
