//! Assignment threads: the same assignment ("uppdrag") followed across the reports of one
//! municipality. This module owns title normalisation, the title similarity measure, the
//! threshold, and the assignment of thread ids at index time. It knows nothing of tantivy
//! or the CLI: the indexer feeds it parsed documents ([`Linker::add`]), asks for the
//! assignment ([`Linker::finish`]) and stamps documents with it ([`Threads::apply`]).
//!
//! # Members and slots
//! A *member* is an assignment document ([`Kind::Uppdrag`]) or one traffic-light item of
//! a goal-page section ([`Kind::Mal`]). Its *slot* is the report it appears in: the file,
//! and for goal pages the section's year (one page holds several years). A thread holds
//! at most one member per slot, so two assignments of the same report are never linked.
//!
//! # Similarity
//! Titles are normalised (lower case, committee group and punctuation dropped, spaces
//! collapsed) and compared with the mean of two measures:
//! - the Dice coefficient of their sets of *content stems* (Swedish Snowball stems of the
//!   words that are not function words): "barns"/"barn", "tydligare"/"tydligt" and
//!   "de"/"en" do not count as differences, a different object of the assignment does;
//! - the normalised Levenshtein similarity of the normalised strings (`strsim`): it
//!   keeps the word order and the small words that the stem sets ignore.
//!
//! Two members are the same assignment when the score is at least [`THRESHOLD`]; the
//! threshold comes from the labelled pairs in the tests below (bundled corpus and
//! `tests/fixtures/threads/`).
//!
//! # Assignment
//! Per municipality, slots are taken oldest first (year, then T1 < T2 < T3 < goal page).
//! Within a slot, every (member, existing thread) pair at or above the threshold is
//! ranked by score and taken greedily, one member per thread; a member compares with
//! every distinct wording its candidate thread already holds (titles drift over the
//! years) and the best score counts. Members left over open new threads.
//!
//! Cost: candidates come from an inverted index of stem prefixes, and a thread is a
//! candidate only when it shares enough of them to reach the threshold at all
//! (`MIN_SHARED`), found by visiting the prefix lists rarest first (prefix filtering,
//! with limits that keep a municipality of thousands of look-alike titles linear:
//! `MAX_LIST`, `MAX_VISITED`); the Levenshtein distance is computed only when the stems and the
//! lengths leave the threshold within reach. Only ids, periods and normalised titles are
//! kept in memory, never bodies. The ignored test `scale::linking_a_national_corpus`
//! links 217,500 synthetic titles (290 municipalities) in 4-5 s on one core of the
//! 2-core development machine while other builds ran.
//!
//! # Thread ids
//! `<municipality>/<first words of the earliest title as a slug>-<6 hex digits of a
//! hash of its normalised title>`, e.g. `ostersund/utred-hur-en-klimatbudget-ska-utformas-4c1b2e`;
//! `_` stands for a file at the corpus root. The id is stable as long as the earliest
//! report of the assignment stays the same.

use crate::model::{fold_slug, Document, Kind};
use crate::parser::committee;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Scores at or above this are the same assignment. Set from the labelled pairs in the
/// tests (`PAIRS`): the loosest same-assignment pair scores 0.976 ("Utveckla
/// resursfördelningsmodellen så att den på ett tydligare sätt styr mot de
/// kommunövergripande målen" / "... tydligt sätt styr mot en ..."), the closest pair of
/// different assignments 0.849 ("Utred hur en klimatbudget ska utformas ..." / "Utred hur
/// en koldioxidbudget ska utformas ..."). The threshold sits between them with a margin
/// of at least 0.05 on each side; a reworded title that falls below it starts a new
/// thread, which `history` then lists as a candidate.
pub const THRESHOLD: f64 = 0.90;

/// Words that carry no subject of their own: ignored in the stem sets.
const FUNCTION_WORDS: &[&str] = &[
    "och", "att", "en", "ett", "de", "den", "det", "dem", "denna", "detta", "för", "till", "av",
    "i", "på", "med", "om", "som", "så", "hos", "från", "genom", "samt", "mot", "inom", "vid",
    "är", "ska", "skall", "kan", "bli", "blir", "har", "vara", "sig", "sin", "sitt", "sina", "där",
    "vi", "ut", "efter", "mellan", "även", "eller", "hur", "vad", "alla", "också",
];

/// A title prepared for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleKey {
    /// Lower case, no committee group, letters and digits separated by single spaces.
    pub normalized: String,
    /// Sorted, deduplicated stems of the content words.
    pub stems: Vec<String>,
    /// Characters in `normalized` (bounds the Levenshtein distance from below).
    pub chars: usize,
}

impl TitleKey {
    /// Prepare a title (with or without its trailing committee group).
    pub fn new(title: &str) -> TitleKey {
        let normalized = normalize(title);
        let mut stems: Vec<String> = normalized
            .split(' ')
            .filter(|w| !w.is_empty() && !FUNCTION_WORDS.contains(w))
            .map(|w| crate::analyzer::stem(w).into_owned())
            .collect();
        stems.sort();
        stems.dedup();
        let chars = normalized.chars().count();
        TitleKey {
            normalized,
            stems,
            chars,
        }
    }
}

/// Lower case, drop the trailing committee group, turn everything that is not a letter or
/// digit into a space and collapse spaces: "Utred hur en klimatbudget ska utformas för
/// Östersunds kommun? (KS)" -> "utred hur en klimatbudget ska utformas för östersunds
/// kommun".
pub fn normalize(title: &str) -> String {
    let (core, _) = committee::split_title(title);
    let mut out = String::with_capacity(core.len());
    for c in core.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether two stems are inflections the stemmer left apart: one is the other plus at
/// most [`MAX_SUFFIX`] letters ("beslutsunderlag" / "beslutsunderlaget"), and the shorter
/// has at least [`MIN_STEM`] letters.
fn inflected(a: &str, b: &str) -> bool {
    let (na, nb) = (a.chars().count(), b.chars().count());
    let (short, long, s, l) = if na <= nb {
        (a, b, na, nb)
    } else {
        (b, a, nb, na)
    };
    s >= MIN_STEM && l - s <= MAX_SUFFIX && long.starts_with(short)
}

/// Letters an inflected form may add to a stem in [`inflected`].
const MAX_SUFFIX: usize = 3;
/// Shortest stem [`inflected`] extends.
const MIN_STEM: usize = 4;

/// Dice coefficient of two sorted, deduplicated stem sets, counting equal stems and then
/// [`inflected`] pairs among the rest as shared.
fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    let mut rest_a: Vec<&str> = Vec::new();
    let mut rest_b: Vec<&str> = Vec::new();
    while i < a.len() || j < b.len() {
        let ord = match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match ord {
            std::cmp::Ordering::Less => {
                rest_a.push(&a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                rest_b.push(&b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    for x in rest_a {
        if let Some(k) = rest_b.iter().position(|y| inflected(x, y)) {
            rest_b.swap_remove(k);
            shared += 1;
        }
    }
    2.0 * shared as f64 / (a.len() + b.len()) as f64
}

/// How alike two titles are, from 0 (nothing shared) to 1 (the same after
/// normalisation): the mean of the stem-set Dice coefficient and the normalised
/// Levenshtein similarity (see the module docs).
pub fn similarity(a: &TitleKey, b: &TitleKey) -> f64 {
    if a.normalized == b.normalized {
        return 1.0;
    }
    let d = dice(&a.stems, &b.stems);
    0.5 * d + 0.5 * strsim::normalized_levenshtein(&a.normalized, &b.normalized)
}

/// [`similarity`] when it can reach `min`, else `None`; skips the Levenshtein distance
/// when the stems alone rule the pair out (the Levenshtein part is at most 1).
fn similarity_at_least(a: &TitleKey, b: &TitleKey, min: f64) -> Option<f64> {
    if a.normalized == b.normalized {
        return Some(1.0);
    }
    let d = dice(&a.stems, &b.stems);
    // The Levenshtein distance is at least the difference in length.
    let longest = a.chars.max(b.chars).max(1) as f64;
    let lev_bound = 1.0 - a.chars.abs_diff(b.chars) as f64 / longest;
    if 0.5 * d + 0.5 * lev_bound < min {
        return None;
    }
    let s = 0.5 * d + 0.5 * strsim::normalized_levenshtein(&a.normalized, &b.normalized);
    (s >= min).then_some(s)
}

/// Where a member's thread id goes: a document, or one item of a goal-page document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Target {
    Doc(String),
    Item(String, usize),
}

/// One title to place in a thread.
#[derive(Debug, Clone)]
struct Member {
    /// Oldest first: [`crate::model::Period::key`].
    period: u64,
    /// The report: file and (goal pages) section year.
    /// The report (numbered in `Linker::slots`): file and, for goal pages, the section's
    /// year.
    slot: u32,
    /// Ordinal of the document in its file, then item index: a stable order in a slot.
    order: (usize, usize),
    key: TitleKey,
    target: Target,
}

/// Collects the titles of parsed documents (first pass of a build), then assigns
/// threads.
#[derive(Debug, Default)]
pub struct Linker {
    by_municipality: BTreeMap<String, Vec<Member>>,
    /// Report (file, goal-page year) -> slot number, in the order first seen.
    slots: HashMap<(String, Option<u16>), u32>,
}

/// The municipality part of thread ids for files at the corpus root.
const NO_MUNICIPALITY: &str = "_";

fn ordinal(id: &str) -> usize {
    crate::model::DocId::ordinal_of(id)
}

impl Linker {
    /// Record the members of one parsed document: an assignment, or each traffic-light
    /// item of a goal-page section. Other kinds are ignored. Only the id, period and
    /// title are kept.
    pub fn add(&mut self, doc: &Document) {
        let municipality = doc
            .municipality
            .clone()
            .unwrap_or_else(|| NO_MUNICIPALITY.to_string());
        let period = crate::model::Period::new(doc.year, doc.tertial).key();
        let year = (doc.kind == Kind::Mal).then_some(doc.year).flatten();
        let next = self.slots.len() as u32;
        let slot = *self.slots.entry((doc.file.clone(), year)).or_insert(next);
        let members = self.by_municipality.entry(municipality).or_default();
        match doc.kind {
            Kind::Uppdrag if !doc.title.trim().is_empty() => members.push(Member {
                period,
                slot,
                order: (ordinal(&doc.id), 0),
                key: TitleKey::new(&doc.title),
                target: Target::Doc(doc.id.clone()),
            }),
            Kind::Mal => {
                for (i, item) in doc.items.iter().enumerate() {
                    if item.title.trim().is_empty() {
                        continue;
                    }
                    members.push(Member {
                        period,
                        slot,
                        order: (ordinal(&doc.id), i),
                        key: TitleKey::new(&item.title),
                        target: Target::Item(doc.id.clone(), i),
                    });
                }
            }
            _ => {}
        }
    }

    /// Assign thread ids to everything added.
    pub fn finish(self) -> Threads {
        let mut out = Threads::default();
        for (municipality, members) in self.by_municipality {
            link_municipality(&municipality, members, &mut out);
        }
        out
    }
}

/// A thread being built.
struct Building {
    /// Indexes into the municipality's members, oldest first.
    members: Vec<usize>,
    /// The members with distinct normalised titles: the ones worth comparing with.
    distinct: Vec<usize>,
    slots: HashSet<u32>,
    /// [`prefix`]es of the stems of its titles (interned ids, sorted).
    prefixes: Vec<u32>,
}

/// The first [`MIN_STEM`] letters of a stem: equal stems and [`inflected`] pairs share
/// it, so counting shared prefixes bounds the shared stems from above.
fn prefix(stem: &str) -> &str {
    match stem.char_indices().nth(MIN_STEM) {
        Some((i, _)) => &stem[..i],
        None => stem,
    }
}

/// The share of a title's stems another title must share to reach [`THRESHOLD`]: the
/// Levenshtein part is at most 1, so Dice must reach `d = 2 * THRESHOLD - 1`, and
/// `2s / (a + b) >= d` with `b >= s` gives `s >= a * d / (2 - d)`.
const MIN_SHARED: f64 = (2.0 * THRESHOLD - 1.0) / (2.0 - (2.0 * THRESHOLD - 1.0));

/// Longest prefix list that proposes candidates: a prefix held by more threads than this
/// in one municipality works like a stop word (it is still counted, by lookup, for the
/// threads that rarer prefixes propose).
const MAX_LIST: usize = 4096;
/// Most list entries one member's candidate search visits in all. Lists are visited
/// rarest first. Both limits bind only in a municipality with thousands of threads whose
/// titles share the same few words (a degenerate corpus); there they keep linking linear
/// in the members, at the cost of maybe missing a link between titles made only of such
/// words. Below them, the search is exact.
const MAX_VISITED: usize = 16_384;

/// Threads that may reach [`THRESHOLD`] with a title whose stems have these prefixes
/// (interned ids, one per stem): they hold at least `need` of them. The prefix lists are
/// visited rarest first, counting per thread the stems whose prefix it holds. When
/// [`MAX_LIST`] or [`MAX_VISITED`] stops the visit, a thread that was not visited holds at
/// most the weight of the unvisited prefixes (prefix filtering); the visited ones are
/// then completed by looking the unvisited prefixes up in their own sets. `counts` is all
/// zero on entry and on return.
fn candidates_by_prefix(
    prefixes: &[u32],
    need: u32,
    by_prefix: &[Vec<usize>],
    threads: &[Building],
    counts: &mut [u32],
) -> Vec<usize> {
    let list = |p: u32| by_prefix.get(p as usize).map_or(&[][..], Vec::as_slice);
    // (prefix, stems with it, threads holding it)
    let mut weights: Vec<(u32, u32, usize)> = Vec::new();
    for &p in prefixes {
        match weights.iter_mut().find(|w| w.0 == p) {
            Some(w) => w.1 += 1,
            None => weights.push((p, 1, list(p).len())),
        }
    }
    weights.sort_by_key(|&(_, _, len)| len);
    let mut unvisited = prefixes.len() as u32;
    let mut visited = 0usize;
    let mut probed = 0;
    let mut touched: Vec<usize> = Vec::new();
    for &(p, w, len) in &weights {
        if len > MAX_LIST || visited + len > MAX_VISITED {
            break;
        }
        for &t in list(p) {
            if counts[t] == 0 {
                touched.push(t);
            }
            counts[t] += w;
        }
        visited += len;
        unvisited -= w;
        probed += 1;
    }
    let rest = &weights[probed..];
    touched.retain(|&t| {
        let mut shared = std::mem::take(&mut counts[t]);
        if shared < need && shared + unvisited >= need {
            for &(p, w, _) in rest {
                if threads[t].prefixes.binary_search(&p).is_ok() {
                    shared += w;
                }
            }
        }
        shared >= need
    });
    touched
}

fn link_municipality(municipality: &str, mut members: Vec<Member>, out: &mut Threads) {
    members.sort_by_key(|m| (m.period, m.slot, m.order));
    let mut linking = Linking::new(&members);
    let mut start = 0;
    while start < members.len() {
        // A slot: the members of one report (same period and file).
        let mut end = start + 1;
        while end < members.len()
            && members[end].slot == members[start].slot
            && members[end].period == members[start].period
        {
            end += 1;
        }
        let pairs: Vec<(f64, usize, usize)> = (start..end)
            .flat_map(|m| linking.scored_candidates(&members, m))
            .collect();
        let placed = assign(pairs);
        for m in start..end {
            linking.add(&members, m, placed.get(&m).copied());
        }
        start = end;
    }
    write_ids(municipality, &members, &linking.threads, out);
}

/// The state of linking one municipality's members, oldest first, into threads.
struct Linking {
    threads: Vec<Building>,
    /// Interned stem prefix -> threads holding it.
    by_prefix: Vec<Vec<usize>>,
    /// Per member: the interned prefixes of its title's stems, one per stem.
    prefix_ids: Vec<Vec<u32>>,
    /// Per thread: prefixes shared with the current member (see candidates_by_prefix).
    counts: Vec<u32>,
    /// Normalised title -> threads holding it (titles that are all function words have
    /// no stems).
    by_title: HashMap<String, Vec<usize>>,
}

impl Linking {
    fn new(members: &[Member]) -> Linking {
        let mut interned: HashMap<String, u32> = HashMap::new();
        let mut intern = |stem: &str| -> u32 {
            let p = prefix(stem);
            match interned.get(p) {
                Some(&id) => id,
                None => {
                    let id = interned.len() as u32;
                    interned.insert(p.to_string(), id);
                    id
                }
            }
        };
        let prefix_ids = members
            .iter()
            .map(|m| m.key.stems.iter().map(|s| intern(s)).collect())
            .collect();
        Linking {
            threads: Vec::new(),
            by_prefix: Vec::new(),
            prefix_ids,
            counts: Vec::new(),
            by_title: HashMap::new(),
        }
    }

    /// Every (score, member, thread) pair at or above the threshold for member `m`:
    /// threads that share enough stem prefixes (an upper bound of the shared stems,
    /// inflections included) or the whole normalised title, and have no member in its
    /// report yet. The same wording scores 1; otherwise the thread's wordings are
    /// compared newest first, each further one must beat the best so far.
    fn scored_candidates(&mut self, members: &[Member], m: usize) -> Vec<(f64, usize, usize)> {
        let key = &members[m].key;
        let need = (MIN_SHARED * key.stems.len() as f64 - 1e-9).ceil() as u32;
        let mut candidates = candidates_by_prefix(
            &self.prefix_ids[m],
            need,
            &self.by_prefix,
            &self.threads,
            &mut self.counts,
        );
        candidates.extend(self.by_title.get(&key.normalized).into_iter().flatten());
        candidates.sort_unstable();
        candidates.dedup();
        let mut pairs = Vec::new();
        for t in candidates {
            let thread = &self.threads[t];
            if thread.slots.contains(&members[m].slot) {
                continue;
            }
            let distinct = &thread.distinct;
            if distinct
                .iter()
                .any(|&o| members[o].key.normalized == key.normalized)
            {
                pairs.push((1.0, m, t));
                continue;
            }
            let mut best: Option<f64> = None;
            for &o in distinct.iter().rev() {
                let min = best.map_or(THRESHOLD, |b| b.max(THRESHOLD));
                if let Some(s) = similarity_at_least(key, &members[o].key, min) {
                    best = Some(s);
                    if s >= 1.0 {
                        break;
                    }
                }
            }
            if let Some(score) = best {
                pairs.push((score, m, t));
            }
        }
        pairs
    }

    /// Add member `m` to thread `t`, or to a new thread.
    fn add(&mut self, members: &[Member], m: usize, t: Option<usize>) {
        let member = &members[m];
        let t = t.unwrap_or_else(|| {
            self.threads.push(Building {
                members: Vec::new(),
                distinct: Vec::new(),
                slots: HashSet::new(),
                prefixes: Vec::new(),
            });
            self.counts.push(0);
            self.threads.len() - 1
        });
        let th = &mut self.threads[t];
        th.members.push(m);
        if !th
            .distinct
            .iter()
            .any(|&o| members[o].key.normalized == member.key.normalized)
        {
            th.distinct.push(m);
        }
        th.slots.insert(member.slot);
        for &p in &self.prefix_ids[m] {
            if let Err(i) = th.prefixes.binary_search(&p) {
                th.prefixes.insert(i, p);
                if self.by_prefix.len() <= p as usize {
                    self.by_prefix.resize_with(p as usize + 1, Vec::new);
                }
                self.by_prefix[p as usize].push(t);
            }
        }
        let same = self
            .by_title
            .entry(member.key.normalized.clone())
            .or_default();
        if !same.contains(&t) {
            same.push(t);
        }
    }
}

/// Take the pairs of one report greedily, best score first (ties: member, then thread
/// order), one member per thread and one thread per member: member -> thread.
fn assign(mut pairs: Vec<(f64, usize, usize)>) -> HashMap<usize, usize> {
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut placed: HashMap<usize, usize> = HashMap::new();
    let mut taken: HashSet<usize> = HashSet::new();
    for (_, m, t) in pairs {
        if placed.contains_key(&m) || taken.contains(&t) {
            continue;
        }
        placed.insert(m, t);
        taken.insert(t);
    }
    placed
}

/// Give each thread its id (from its earliest title; `-2`, `-3`, ... when two threads
/// would share one) and record it for every member's document or goal-page item.
fn write_ids(municipality: &str, members: &[Member], threads: &[Building], out: &mut Threads) {
    let mut used: HashSet<String> = HashSet::new();
    // Per base id, the next suffix to try: many threads with one title stay linear.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    for th in threads {
        let first = &members[th.members[0]];
        // normalize() is idempotent: the normalised title gives the same id.
        let base = thread_id(municipality, &first.key.normalized);
        let mut id = base.clone();
        let n = next_suffix.entry(base.clone()).or_insert(2);
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            *n += 1;
        }
        for &m in &th.members {
            match &members[m].target {
                Target::Doc(d) => {
                    out.docs.insert(d.clone(), id.clone());
                }
                Target::Item(d, i) => {
                    out.items.insert((d.clone(), *i), id.clone());
                }
            }
        }
        out.count += 1;
    }
}

/// Words of the earliest title kept in a thread id.
const ID_WORDS: usize = 6;

/// The id of a thread whose earliest title is `title` (see the module docs).
pub fn thread_id(municipality: &str, title: &str) -> String {
    let normalized = normalize(title);
    let slug: Vec<String> = normalized
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(ID_WORDS)
        .map(|w| fold_slug(w).replace('_', "-"))
        .collect();
    // FNV-1a, 64 bits: stable across runs and platforms, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in normalized.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let slug = if slug.is_empty() {
        "uppdrag".to_string()
    } else {
        slug.join("-")
    };
    format!("{municipality}/{slug}-{:06x}", h & 0xff_ffff)
}

/// Whether a string has the shape of a thread id (`<municipality>/<slug>-<6 hex>`), as
/// opposed to a document id (which has a `#`) or a query.
pub fn looks_like_thread_id(s: &str) -> bool {
    let Some((m, rest)) = s.split_once('/') else {
        return false;
    };
    let Some((_, hex)) = rest.rsplit_once('-') else {
        return false;
    };
    !m.is_empty()
        && !s.contains('#')
        && !s.contains(' ')
        && (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit())
            || hex.chars().all(|c| c.is_ascii_digit()))
}

/// The thread of every member, by document id (and item index for goal pages).
#[derive(Debug, Clone, Default)]
pub struct Threads {
    docs: HashMap<String, String>,
    items: HashMap<(String, usize), String>,
    count: usize,
}

impl Threads {
    /// Set the thread of a document (assignments) or of its items (goal pages).
    pub fn apply(&self, doc: &mut Document) {
        doc.thread = self.docs.get(&doc.id).cloned();
        for (i, item) in doc.items.iter_mut().enumerate() {
            item.thread = self.items.get(&(doc.id.clone(), i)).cloned();
        }
    }

    /// The number of threads.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when no thread was made.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser;

    /// Labelled pairs: (same assignment?, title a, title b). From the bundled corpus and
    /// the fixtures in tests/fixtures/threads/.
    const PAIRS: &[(bool, &str, &str)] = &[
        // Same assignment, small wording changes (bundled corpus: 2022-T3 vs mal-1).
        (
            true,
            "Öka barns välbefinnande genom att lägga ökat fokus på friskfaktorer (KS)",
            "Öka barn välbefinnande genom att lägga ökat fokus på friskfaktorer (KS)",
        ),
        (
            true,
            "Utveckla resursfördelningsmodellen så att den på ett tydligare sätt styr mot de kommunövergripande målen (KS)",
            "Utveckla resursfördelningsmodellen så att den på ett tydligt sätt styr mot en kommunövergripande målen (KS)",
        ),
        (
            true,
            "Öka kunskapen om val för förstagångsväljare och grupper med lågt valdeltagande (KS)",
            "Öka kunskapen om val för förstagångsväljare och grupper med lågt valdeltagande (TN)",
        ),
        // Fixtures: ska/kan, a dropped "?", a definite form, a committee change.
        (
            true,
            "Utred hur en klimatbudget ska utformas för Storby kommun? (KS)",
            "Utred hur en klimatbudget kan utformas för Storby kommun (KS)",
        ),
        (
            true,
            "Säkerställ beslutsunderlag för taxor och avgifter utifrån självkostnadsprincipen (KS)",
            "Säkerställ beslutsunderlaget för taxor och avgifter utifrån självkostnadsprincipen (TN)",
        ),
        (
            true,
            "Ta fram en plan för klimatanpassning av kommunens fastigheter (KS)",
            "Ta fram en plan för klimatanpassning av kommunens fastigheter. (KS)",
        ),
        (
            true,
            "Utveckla en modell för att säkerställa att det finns pengar till drift och underhåll av nya områden (KS)",
            "Utveckla en modell för att säkerställa att det finns pengar för drift och underhåll av nya områden (KS)",
        ),
        // Different assignments that share many words (bundled corpus 2021-T3).
        (
            false,
            "Utveckla en modell för att säkerställa att det finns pengar till drift och underhåll av nya områden (KS)",
            "Utveckla en modell för att säkerställa resursfördelning till Barn och utbildningsnämnden (KS)",
        ),
        // Bundled corpus 2023-T3.
        (
            false,
            "Arbeta för att stärka kommunens förutsättningar för att motverka psykisk ohälsa (VON, BUN, SAN, KFN)",
            "Arbeta för att stärka kommunens förutsättningar att förebygga suicid (Alla nämnder)",
        ),
        // Bundled corpus 2022-T3 vs 2023-T3.
        (
            false,
            "Öka kunskapen om val för förstagångsväljare och grupper med lågt valdeltagande (KS)",
            "Öka kunskapen om demokrati i valdistrikt med lägst valdeltagande (KS)",
        ),
        (
            false,
            "Genomför åtgärder för att minska den psykiska ohälsan hos barn- och unga (KS)",
            "Genomför åtgärder för att förbättra kommunens placering i Svensk näringslivs ranking (KS)",
        ),
        // Fixtures: the same assignment for another group, another year's budget.
        (
            false,
            "Genomför åtgärder för att minska den psykiska ohälsan hos barn och unga (KS)",
            "Genomför åtgärder för att minska den psykiska ohälsan hos äldre (VON)",
        ),
        (
            false,
            "Ta fram en plan för klimatanpassning av kommunens fastigheter (KS)",
            "Ta fram en plan för energieffektivisering av kommunens fastigheter (KS)",
        ),
        (
            false,
            "Utred hur en klimatbudget ska utformas för Storby kommun? (KS)",
            "Utred hur en koldioxidbudget ska utformas för Storby kommun (KS)",
        ),
    ];

    #[test]
    fn threshold_separates_the_labelled_pairs() {
        let mut loosest_same = f64::MAX;
        let mut closest_different = f64::MIN;
        for &(same, a, b) in PAIRS {
            let s = similarity(&TitleKey::new(a), &TitleKey::new(b));
            eprintln!("{s:.3} {} | {a} | {b}", if same { "same" } else { "diff" });
            if same {
                loosest_same = loosest_same.min(s);
                assert!(s >= THRESHOLD, "{s:.3} < threshold: {a} / {b}");
            } else {
                closest_different = closest_different.max(s);
                assert!(s < THRESHOLD, "{s:.3} >= threshold: {a} / {b}");
            }
        }
        eprintln!("loosest same {loosest_same:.3}, closest different {closest_different:.3}");
        // Keep a margin on both sides of the threshold.
        assert!(loosest_same - THRESHOLD >= 0.03, "{loosest_same}");
        assert!(THRESHOLD - closest_different >= 0.03, "{closest_different}");
    }

    #[test]
    fn normalisation_drops_case_punctuation_and_committees() {
        for (raw, want) in [
            (
                "Utred hur en klimatbudget ska utformas för Östersunds kommun? (KS)",
                "utred hur en klimatbudget ska utformas för östersunds kommun",
            ),
            (
                "  Genomför   digitaliseringsprojektet  (KS) ",
                "genomför digitaliseringsprojektet",
            ),
            (
                "Säkerställ ... lagen (2009:724) om nationella minoriteter (KS)",
                "säkerställ lagen 2009 724 om nationella minoriteter",
            ),
            ("Öka barn- och ungas hälsa", "öka barn och ungas hälsa"),
        ] {
            assert_eq!(normalize(raw), want, "{raw}");
        }
        let a = TitleKey::new("Öka barns välbefinnande");
        let b = TitleKey::new("öka barn välbefinnande.");
        assert_eq!(a.stems, b.stems);
        assert!(similarity(&a, &b) > 0.95);
    }

    #[test]
    fn thread_ids_are_stable_slugs() {
        let id = thread_id(
            "ostersund",
            "Utred hur en klimatbudget ska utformas för Östersunds kommun? (KS)",
        );
        assert!(
            id.starts_with("ostersund/utred-hur-en-klimatbudget-ska-utformas-"),
            "{id}"
        );
        assert_eq!(
            id,
            thread_id(
                "ostersund",
                "utred hur en klimatbudget ska utformas för östersunds kommun"
            )
        );
        assert!(looks_like_thread_id(&id));
        assert!(!looks_like_thread_id("ostersund/2022-T3.txt#5"));
        assert!(!looks_like_thread_id("klimat budget"));
        assert_eq!(
            thread_id("_", "Övrigt"),
            format!("_/ovrigt-{}", &thread_id("x", "Övrigt")[9..])
        );
    }

    fn corpus_threads() -> Vec<Document> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/ostersund");
        let mut docs = Vec::new();
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            docs.extend(parser::parse_file(&format!("ostersund/{name}"), &text).documents);
        }
        let mut linker = Linker::default();
        docs.iter().for_each(|d| linker.add(d));
        let threads = linker.finish();
        docs.iter_mut().for_each(|d| threads.apply(d));
        docs
    }

    #[test]
    fn bundled_corpus_links_2022_assignments_to_the_goal_page() {
        let docs = corpus_threads();
        let t3: Vec<&Document> = docs
            .iter()
            .filter(|d| d.file == "ostersund/2022-T3.txt")
            .collect();
        assert_eq!(t3.len(), 6);
        let items: Vec<_> = docs
            .iter()
            .filter(|d| d.kind == Kind::Mal)
            .flat_map(|d| d.items.iter())
            .collect();
        assert_eq!(items.len(), 6);
        for d in &t3 {
            let t = d.thread.as_deref().expect("assignments get a thread");
            let linked: Vec<_> = items
                .iter()
                .filter(|i| i.thread.as_deref() == Some(t))
                .collect();
            assert_eq!(linked.len(), 1, "{} has no goal-page light", d.title);
        }
        // Goal-page documents have no thread of their own.
        assert!(docs
            .iter()
            .filter(|d| d.kind == Kind::Mal)
            .all(|d| d.thread.is_none()));
    }

    #[test]
    fn bundled_corpus_keeps_different_assignments_apart() {
        let docs = corpus_threads();
        let uppdrag: Vec<&Document> = docs.iter().filter(|d| d.kind == Kind::Uppdrag).collect();
        let distinct: HashSet<&str> = uppdrag.iter().filter_map(|d| d.thread.as_deref()).collect();
        // 28 assignments, none repeated in another tertial report of the bundled corpus.
        assert_eq!(uppdrag.len(), 28);
        assert_eq!(distinct.len(), 28, "two assignments were linked");
        for pair in uppdrag.windows(2) {
            if pair[0].file == pair[1].file {
                assert_ne!(pair[0].thread, pair[1].thread);
            }
        }
    }

    #[test]
    fn one_member_per_report_even_with_equal_titles() {
        let mk = |id: &str, title: &str| Document {
            year: Some(2022),
            tertial: Some(crate::model::Tertial::T3),
            title: title.into(),
            ..Document::new(id, Kind::Uppdrag)
        };
        let mut docs = [
            mk("m/a.txt#1", "Genomför projektet"),
            mk("m/a.txt#2", "Genomför projektet"),
            mk("m/b.txt#1", "Genomför projektet"),
        ];
        docs[2].year = Some(2023);
        let mut linker = Linker::default();
        docs.iter().for_each(|d| linker.add(d));
        let threads = linker.finish();
        assert_eq!(threads.len(), 2);
        docs.iter_mut().for_each(|d| threads.apply(d));
        assert_ne!(docs[0].thread, docs[1].thread);
        assert_eq!(
            docs[0].thread, docs[2].thread,
            "the first in the file continues"
        );
        assert!(docs[1].thread.as_deref().unwrap().ends_with("-2"));
    }
}

#[cfg(test)]
mod scale {
    use super::*;
    use crate::model::Tertial;

    /// National scale: 290 municipalities, 150 assignments each reported 5 times with
    /// small rewordings = 217,500 members. `cargo test --release --lib threads::scale
    /// -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn linking_a_national_corpus() {
        // A deterministic generator (xorshift) of Swedish-like titles with a skewed
        // vocabulary: common words are shared by many assignments.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let syll = [
            "ut", "veck", "la", "kom", "mun", "plan", "bud", "get", "sä", "ker", "ställ", "skol",
            "vård", "om", "sorg", "ar", "bete", "mark", "nad", "kli", "mat", "för", "stärk", "in",
            "ves", "ter", "ing", "barn", "ung", "dom", "häl", "sa", "väl", "fär", "trygg", "het",
            "bo", "stad", "land", "bygd",
        ];
        let vocab: Vec<String> = (0..5000)
            .map(|_| {
                let n = 2 + (next() % 3) as usize;
                (0..n)
                    .map(|_| syll[(next() % syll.len() as u64) as usize])
                    .collect::<String>()
            })
            .collect();
        let mut docs = Vec::new();
        for m in 0..290 {
            for a in 0..150 {
                let n = 6 + (next() % 8) as usize;
                let words: Vec<String> = (0..n)
                    .map(|_| {
                        // Skewed: a few words are very common.
                        let r = next() % 1000;
                        vocab[(r * r * r / 200_000) as usize % vocab.len()].clone()
                    })
                    .collect();
                for (k, (year, t)) in [
                    (2021, Tertial::T1),
                    (2021, Tertial::T3),
                    (2022, Tertial::T1),
                    (2022, Tertial::T3),
                    (2023, Tertial::T3),
                ]
                .into_iter()
                .enumerate()
                {
                    let mut w = words.clone();
                    if next() % 5 == 0 {
                        let j = (next() as usize) % w.len();
                        w[j].push('a');
                    }
                    let file = format!("m{m}/{year}-{t}.txt");
                    docs.push(Document {
                        line: k,
                        year: Some(year),
                        tertial: Some(t),
                        title: w.join(" "),
                        ..Document::new(format!("{file}#{}", a + 1), Kind::Uppdrag)
                    });
                }
            }
        }
        let started = std::time::Instant::now();
        let mut linker = Linker::default();
        docs.iter().for_each(|d| linker.add(d));
        let added = started.elapsed();
        let threads = linker.finish();
        eprintln!(
            "{} members -> {} threads in {:.2?} (titles prepared in {added:.2?})",
            docs.len(),
            threads.len(),
            started.elapsed()
        );
        assert!(threads.len() >= 290 * 150);
    }
}
