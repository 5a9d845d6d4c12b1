//! Following assignments through time, on an opened index: a thread's timeline
//! ([`timeline`], [`resolve`]), search results grouped one per thread ([`group`]), match
//! counts per year, tertial, committee or status ([`trend`]), and the assignments that
//! keep slipping ([`slipping`]). Threads themselves are made at index time by
//! [`crate::threads`]; this module only reads them. Nothing here prints.

use crate::facet::{Buckets, Facet};
use crate::model::{Committee, DocId, Document, Kind, Light, Period, Status, Tertial};
use crate::searcher::{Hit, Request, Response, SearchError, Searcher};
use crate::threads;
use std::collections::{HashMap, HashSet};

/// One report in a thread's timeline: an assignment document, or a goal page's traffic
/// light for the assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The document id (for a light: the goal-page section's document).
    pub id: String,
    pub kind: Kind,
    pub year: Option<u16>,
    pub tertial: Option<Tertial>,
    pub status: Option<Status>,
    /// Goal pages: the light of the assignment's item.
    pub light: Option<Light>,
    pub committees: Vec<Committee>,
    /// The committees of the previous entry, when they differ from these (KS -> TN).
    pub committees_changed_from: Option<Vec<Committee>>,
    /// The title as written in this report.
    pub title: String,
    /// True when the title differs from the previous entry's (after normalisation).
    pub title_changed: bool,
    /// The first sentence of the comment (assignments; `None` when there is no comment).
    pub comment: Option<String>,
    /// Goal pages: the section heading.
    pub section: Option<String>,
    /// The unit that answers for the assignment in this report (`None` for lights).
    pub unit: Option<String>,
    pub file: String,
    pub line: usize,
    /// Other documents of the same period that say the same (the same report in a
    /// second file, or a committee's view beside the council's report): shown once.
    pub also_in: Vec<String>,
}

impl Entry {
    /// [`Period::key`]: oldest first, goal pages after T3 of their year.
    pub fn period_key(&self) -> u64 {
        Period::new(self.year, self.tertial).key()
    }
}

/// Whether a status says the assignment is not (fully) done.
pub fn not_done(s: Status) -> bool {
    matches!(
        s,
        Status::EjGenomfort | Status::BedomsEjGenomforas | Status::DelvisGenomfort
    )
}

/// A thread as a timeline, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub thread: String,
    pub municipality: Option<String>,
    /// The newest title.
    pub title: String,
    pub entries: Vec<Entry>,
}

impl Timeline {
    /// The newest entry.
    pub fn latest(&self) -> Option<&Entry> {
        self.entries.last()
    }
}

/// The first sentence of a comment: up to the first ".", "!" or "?" followed by a space
/// and a capital letter or digit (so "ex. internationell" does not end it), at most
/// [`SENTENCE_MAX`] characters (cut at a word, with "…").
pub fn first_sentence(body: &str) -> Option<String> {
    let para = body.split("\n\n").map(str::trim).find(|p| !p.is_empty())?;
    let para: String = para.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let mut end = para.len();
    for w in chars.windows(3) {
        let [(i, c), (_, sp), (_, next)] = [w[0], w[1], w[2]];
        if matches!(c, '.' | '!' | '?')
            && sp == ' '
            && (next.is_uppercase() || next.is_ascii_digit())
        {
            end = i + c.len_utf8();
            break;
        }
    }
    let sentence = &para[..end];
    if sentence.chars().count() <= SENTENCE_MAX {
        return Some(sentence.to_string());
    }
    let mut cut = String::new();
    for word in sentence.split(' ') {
        if cut.chars().count() + word.chars().count() + 1 > SENTENCE_MAX {
            break;
        }
        if !cut.is_empty() {
            cut.push(' ');
        }
        cut.push_str(word);
    }
    Some(format!("{}…", cut.trim_end_matches([',', ';', ':'])))
}

/// Longest first sentence shown in a timeline.
pub const SENTENCE_MAX: usize = 200;

/// The timeline of a thread; `None` when no document holds it.
pub fn timeline(searcher: &Searcher, thread: &str) -> Result<Option<Timeline>, SearchError> {
    let docs = searcher.thread_documents(thread)?;
    let mut entries: Vec<(u64, u8, usize, Entry)> = Vec::new();
    let mut municipality = None;
    for d in docs {
        municipality = municipality.or_else(|| d.municipality.clone());
        entries.extend(entries_of(d, thread));
    }
    if entries.is_empty() {
        return Ok(None);
    }
    entries.sort_by(|a, b| (a.0, a.1, &a.3.file, a.2).cmp(&(b.0, b.1, &b.3.file, b.2)));
    let mut entries = one_per_period(entries.into_iter().map(|(_, _, _, e)| e));
    mark_changes(&mut entries);
    let title = entries
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Uppdrag)
        .or(entries.last())
        .map(|e| e.title.clone())
        .unwrap_or_default();
    Ok(Some(Timeline {
        thread: thread.to_string(),
        municipality,
        title,
        entries,
    }))
}

/// Sorted entries with one per period and kind: a period reported in two files (the
/// same report twice, or a committee's view beside the council's report) is one entry,
/// the first that has a status (or light), naming the others in `also_in`.
fn one_per_period(sorted: impl Iterator<Item = Entry>) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for e in sorted {
        let Some(last) = out.last_mut() else {
            out.push(e);
            continue;
        };
        if last.period_key() != e.period_key() || last.kind != e.kind || last.year.is_none() {
            out.push(e);
            continue;
        }
        let has_state = |x: &Entry| x.status.is_some() || x.light.is_some();
        if !has_state(last) && has_state(&e) {
            let earlier = std::mem::replace(last, e);
            last.also_in.extend(earlier.also_in);
            last.also_in.insert(0, earlier.id);
        } else {
            last.also_in.push(e.id);
        }
    }
    out
}

/// The timeline entries a document gives a thread, with their sort key (period, the
/// assignment before goal-page lights, ordinal in the file): the assignment itself, or
/// the goal page's traffic lights that belong to the thread.
fn entries_of(d: Document, thread: &str) -> Vec<(u64, u8, usize, Entry)> {
    let ordinal = DocId::ordinal_of(&d.id);
    let period = Period::new(d.year, d.tertial).key();
    if d.thread.as_deref() == Some(thread) {
        return vec![(
            period,
            0,
            ordinal,
            Entry {
                comment: first_sentence(&d.body),
                id: d.id,
                kind: d.kind,
                year: d.year,
                tertial: d.tertial,
                status: d.status,
                light: None,
                committees: d.committees,
                committees_changed_from: None,
                title: d.title,
                title_changed: false,
                section: d.section,
                unit: d.unit,
                file: d.file,
                line: d.line,
                also_in: Vec::new(),
            },
        )];
    }
    d.items
        .iter()
        .filter(|i| i.thread.as_deref() == Some(thread))
        .map(|item| {
            (
                period,
                1,
                ordinal,
                Entry {
                    id: d.id.clone(),
                    kind: d.kind,
                    year: d.year,
                    tertial: d.tertial,
                    status: None,
                    light: Some(item.light),
                    committees: item.committees.clone(),
                    committees_changed_from: None,
                    title: item.title.clone(),
                    title_changed: false,
                    comment: None,
                    section: d.section.clone(),
                    unit: None,
                    file: d.file.clone(),
                    line: d.line,
                    also_in: Vec::new(),
                },
            )
        })
        .collect()
}

/// Mark, on each entry after the first, a change of committees (the earlier ones kept)
/// and a change of wording from the entry before it.
fn mark_changes(entries: &mut [Entry]) {
    for i in 1..entries.len() {
        let (before, after) = entries.split_at_mut(i);
        let (prev, cur) = (&before[i - 1], &mut after[0]);
        let mut a = prev.committees.clone();
        let mut b = cur.committees.clone();
        a.sort();
        b.sort();
        if a != b && !prev.committees.is_empty() && !cur.committees.is_empty() {
            cur.committees_changed_from = Some(prev.committees.clone());
        }
        cur.title_changed = threads::normalize(&prev.title) != threads::normalize(&cur.title);
    }
}

/// How `history` found its thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A document id was given.
    Document,
    /// A thread id was given.
    Thread,
    /// A query was given; the best-matching thread was taken.
    Query,
}

/// What `history ARG` resolved to: the thread, and other threads that matched.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub via: Via,
    pub timeline: Timeline,
    /// Other threads that matched the query (or the other lights of a goal-page
    /// document), best first, with their timelines.
    pub candidates: Vec<Timeline>,
}

/// Threads listed under a query's best thread.
pub const MAX_CANDIDATES: usize = 5;
/// Hits looked at to find a query's threads.
const QUERY_HITS: usize = 50;

/// Resolve `history`'s argument: a document id (`ostersund/2022-T3.txt#5`), a thread id,
/// or a query (best-matching thread first). `Ok(None)` when nothing matches, or the
/// document belongs to no thread.
pub fn resolve(searcher: &Searcher, arg: &str) -> Result<Option<Resolution>, SearchError> {
    let arg = arg.trim();
    if arg.contains('#') && !arg.contains(' ') {
        let doc = match searcher.show(arg) {
            Ok(d) => d,
            Err(SearchError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut ids: Vec<String> = doc.thread.iter().cloned().collect();
        for t in doc.items.iter().filter_map(|i| i.thread.clone()) {
            if !ids.contains(&t) {
                ids.push(t);
            }
        }
        return with_candidates(searcher, Via::Document, ids);
    }
    if threads::looks_like_thread_id(arg) {
        if let Some(t) = timeline(searcher, arg)? {
            return Ok(Some(Resolution {
                via: Via::Thread,
                timeline: t,
                candidates: Vec::new(),
            }));
        }
    }
    let response = searcher.search(&Request {
        limit: QUERY_HITS,
        passages: 0,
        ..Request::new(arg)
    })?;
    let terms = query_terms(searcher, arg);
    let mut ids: Vec<String> = Vec::new();
    for h in &response.hits {
        let own = h.doc.thread.as_deref().into_iter();
        for t in own.chain(matching_item_threads(searcher, &h.doc, &terms)) {
            if !ids.iter().any(|i| i == t) {
                ids.push(t.to_string());
            }
        }
    }
    with_candidates(searcher, Via::Query, ids)
}

/// The analysed terms of a query's words (every variant), to match light titles.
fn query_terms(searcher: &Searcher, query: &str) -> HashSet<String> {
    searcher
        .analyzer
        .term_groups(query)
        .into_iter()
        .flat_map(|(_, v)| v)
        .collect()
}

/// The threads of a goal-page document's lights whose titles hold a query word: what a
/// goal-page hit stands for.
fn matching_item_threads<'a>(
    searcher: &Searcher,
    doc: &'a Document,
    terms: &HashSet<String>,
) -> Vec<&'a str> {
    doc.items
        .iter()
        .filter(|item| {
            searcher
                .analyzer
                .term_groups(&item.title)
                .into_iter()
                .flat_map(|(_, v)| v)
                .any(|w| terms.contains(&w))
        })
        .filter_map(|item| item.thread.as_deref())
        .collect()
}

fn with_candidates(
    searcher: &Searcher,
    via: Via,
    ids: Vec<String>,
) -> Result<Option<Resolution>, SearchError> {
    let mut timelines = Vec::new();
    for id in ids.iter().take(MAX_CANDIDATES + 1) {
        if let Some(t) = timeline(searcher, id)? {
            timelines.push(t);
        }
    }
    if timelines.is_empty() {
        return Ok(None);
    }
    let timeline = timelines.remove(0);
    Ok(Some(Resolution {
        via,
        timeline,
        candidates: timelines,
    }))
}

/// One thread in grouped results.
#[derive(Debug, Clone)]
pub struct Group {
    /// The thread's newest matching assignment report (a goal-page section when only
    /// lights matched), with its passages.
    pub hit: Hit,
    /// Matching documents of the thread.
    pub matches: usize,
    /// The whole thread (`None` for a document without a thread: goal pages, text).
    pub timeline: Option<Timeline>,
}

/// Search results grouped one per thread.
#[derive(Debug, Clone)]
pub struct Grouped {
    /// The underlying search (its hits are the scanned matches; `total` and `facets`
    /// count all matching documents).
    pub response: Response,
    /// Groups among the scanned matches.
    pub groups_total: usize,
    /// Groups skipped before the first one shown (the request's offset).
    pub offset: usize,
    /// The groups shown (after offset and limit), best first.
    pub groups: Vec<Group>,
}

/// Matches looked at when grouping (ranked, or newest first without a query).
pub const GROUP_SCAN: usize = 1000;

/// Run a search and keep one hit per thread: the groups are ordered by their best hit,
/// and each shows the thread's newest matching assignment report. A goal-page hit counts
/// for the thread of its first light whose title holds a query word. `req.limit` and
/// `req.offset` count groups.
pub fn group(searcher: &Searcher, req: &Request) -> Result<Grouped, SearchError> {
    let scan = Request {
        limit: GROUP_SCAN,
        offset: 0,
        ..req.clone()
    };
    let response = searcher.search(&scan)?;
    let terms = query_terms(searcher, &req.query);
    // Group key: the thread, or the document id for a document without one. A goal-page
    // hit joins the thread of its first light whose title holds a query word.
    let mut order: Vec<(String, bool)> = Vec::new();
    let mut members: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, h) in response.hits.iter().enumerate() {
        let key = match &h.doc.thread {
            Some(t) => (t.clone(), true),
            None => match matching_item_threads(searcher, &h.doc, &terms).first() {
                Some(t) => (t.to_string(), true),
                None => (h.doc.id.clone(), false),
            },
        };
        let slot = members.entry(key.0.clone()).or_default();
        if slot.is_empty() {
            order.push(key);
        }
        slot.push(i);
    }
    let groups_total = order.len();
    let mut groups = Vec::new();
    for (key, is_thread) in order.iter().skip(req.offset).take(req.limit) {
        let idx = &members[key];
        // The newest assignment report; a goal page only when the group has nothing else.
        let newest = idx
            .iter()
            .copied()
            .max_by_key(|&i| {
                let d = &response.hits[i].doc;
                (
                    d.kind == Kind::Uppdrag,
                    Period::new(d.year, d.tertial).key(),
                    std::cmp::Reverse(i),
                )
            })
            .expect("a group has a member");
        let timeline = if *is_thread {
            timeline(searcher, key)?
        } else {
            None
        };
        groups.push(Group {
            hit: response.hits[newest].clone(),
            matches: idx.len(),
            timeline,
        });
    }
    Ok(Grouped {
        response,
        groups_total,
        offset: req.offset,
        groups,
    })
}

/// Match counts per bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub query: String,
    /// A facet whose row of the table has `by` ([`crate::facet::FacetSpec::by`]).
    pub by: Facet,
    /// Matching documents.
    pub total: usize,
    /// Buckets in display order: years and tertials ascending (every year of the index
    /// in range, zeros included), statuses in [`Status::ALL`] order, committees by
    /// count. A document with several committees counts once for each.
    pub buckets: Vec<(String, u64)>,
    /// Matching documents without a value (no year, tertial or status: goal pages,
    /// text); `None` for committees.
    pub without: Option<u64>,
    pub relaxed: bool,
    /// The query was over the limits and was cut (the front end sets it; see
    /// [`crate::searcher::query::cut_to_limits`]).
    pub truncated: bool,
}

/// Count a search's matches per value of a facet (year, tertial, committee, status),
/// with the same matching and filters as the search itself; the facet's row of the table
/// says which buckets to draw ([`Buckets`]). A facet without `by` in its row draws the
/// values found, the most frequent first.
pub fn trend(searcher: &Searcher, req: &Request, by: Facet) -> Result<Trend, SearchError> {
    let response = searcher.search(&Request {
        limit: 0,
        offset: 0,
        passages: 0,
        ..req.clone()
    })?;
    trend_of(searcher, req, &response, by)
}

/// [`trend`] from the response of a search already run for `req` (any limit, offset or
/// order: the facet counts are over all matches), so that a page showing hits and
/// trends searches once.
pub fn trend_of(
    searcher: &Searcher,
    req: &Request,
    response: &Response,
    by: Facet,
) -> Result<Trend, SearchError> {
    let counts = response.facets.get(by);
    let total = response.total as u64;
    let count = |k: &str| counts.get(k).copied().unwrap_or(0);
    let without = Some(total.saturating_sub(counts.values().sum::<u64>()));
    let (buckets, without): (Vec<(String, u64)>, Option<u64>) =
        match by.spec().by.map_or(Buckets::ByCount, |(b, _)| b) {
            Buckets::YearSpan => {
                let (_, all) = searcher.stats()?;
                let mut years: Vec<u64> =
                    all.get(by).keys().filter_map(|y| y.parse().ok()).collect();
                years.sort_unstable();
                if let Some((from, to)) = req.filters.years {
                    years.retain(|y| (u64::from(from)..=u64::from(to)).contains(y));
                }
                let buckets = match (years.first(), years.last()) {
                    (Some(&a), Some(&b)) => (a..=b)
                        .map(|y| (y.to_string(), count(&y.to_string())))
                        .collect(),
                    _ => Vec::new(),
                };
                (buckets, without)
            }
            Buckets::Domain(values) => (
                values()
                    .into_iter()
                    .map(|v| (v.to_string(), count(v)))
                    .collect(),
                without,
            ),
            Buckets::ByCount => {
                let mut v: Vec<(String, u64)> =
                    counts.iter().map(|(k, n)| (k.clone(), *n)).collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                (v, None)
            }
        };
    Ok(Trend {
        query: req.query.clone(),
        by,
        total: response.total,
        buckets,
        without,
        relaxed: response.relaxed,
        truncated: response.truncated,
    })
}

/// Which threads `slipping` considers.
#[derive(Debug, Clone, Default)]
pub struct SlipOptions {
    /// Only reports from this year on count (and are shown).
    pub since: Option<u16>,
    /// The latest report's committees must include one of these (or "alla").
    pub committees: Vec<Committee>,
    pub municipalities: Vec<String>,
}

/// A thread that keeps slipping.
#[derive(Debug, Clone)]
pub struct Slip {
    /// Reports it has slipped through: the reports since it was last done that said
    /// "not done", "partly done" or forecast "done" (a forecast the next report broke).
    pub slipped: usize,
    /// The thread (goal-page lights included, from `since` on).
    pub timeline: Timeline,
    /// The latest assignment report.
    pub latest: Entry,
}

/// Threads whose latest status is not done ([`not_done`]) and that were already not
/// done, or forecast as done and then not done, in an earlier report; most slipped
/// first, then newest. Only tertial reports count (a goal page's light repeats the T3
/// report of its year); the timelines show the lights too.
pub fn slipping(searcher: &Searcher, opts: &SlipOptions) -> Result<Vec<Slip>, SearchError> {
    // Committees and municipalities the index does not hold are an error, as in search.
    let mut filters = crate::searcher::Filters::default();
    filters.set_values(
        Facet::Committee,
        opts.committees
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
    );
    filters.set_values(Facet::Municipality, opts.municipalities.clone());
    let resolved = searcher.resolve_filters(&filters)?;
    let opts = &SlipOptions {
        since: opts.since,
        committees: opts.committees.clone(),
        municipalities: resolved.values(Facet::Municipality).to_vec(),
    };
    let since_key = opts.since.map_or(0, Period::first_key_of);
    let mut out = Vec::new();
    for (id, mut reports) in searcher.thread_reports(since_key)? {
        reports.sort_by_key(|r| r.0);
        let Some(slipped) = slipped_through(&reports) else {
            continue;
        };
        if let Some(slip) = slip_of(searcher, opts, &id, slipped, since_key)? {
            out.push(slip);
        }
    }
    out.sort_by(|a, b| {
        b.slipped
            .cmp(&a.slipped)
            .then(b.latest.period_key().cmp(&a.latest.period_key()))
            .then(a.timeline.title.cmp(&b.timeline.title))
            .then(a.timeline.thread.cmp(&b.timeline.thread))
    });
    Ok(out)
}

/// The slipping assignment of thread `id` (slipped `slipped` times), when its latest
/// report since the period key `since_key` passes the options' committee and
/// municipality filters.
fn slip_of(
    searcher: &Searcher,
    opts: &SlipOptions,
    id: &str,
    slipped: usize,
    since_key: u64,
) -> Result<Option<Slip>, SearchError> {
    let Some(mut timeline) = timeline(searcher, id)? else {
        return Ok(None);
    };
    timeline.entries.retain(|e| e.period_key() >= since_key);
    let Some(latest) = timeline
        .entries
        .iter()
        .rev()
        .find(|e| e.kind == Kind::Uppdrag)
        .cloned()
    else {
        return Ok(None);
    };
    if !opts.committees.is_empty()
        && !latest
            .committees
            .iter()
            .any(|c| c.is_all() || opts.committees.contains(c))
    {
        return Ok(None);
    }
    if !opts.municipalities.is_empty()
        && !timeline
            .municipality
            .as_ref()
            .is_some_and(|m| opts.municipalities.contains(m))
    {
        return Ok(None);
    }
    Ok(Some(Slip {
        slipped,
        timeline,
        latest,
    }))
}

/// Reports slipped through, oldest first: `None` unless the latest status is not done
/// and an earlier report since the last "done" was not done or forecast done. Reports
/// without a status neither count nor break the run. One period counts once: of the
/// reports of one period (the same report twice in the corpus), the last one that has a
/// status is used.
pub fn slipped_through(reports: &[(u64, Option<Status>)]) -> Option<usize> {
    let mut one_per_period: Vec<(u64, Option<Status>)> = Vec::with_capacity(reports.len());
    for &(period, status) in reports {
        match one_per_period.last_mut() {
            Some(last) if last.0 == period => {
                if status.is_some() {
                    last.1 = status;
                }
            }
            _ => one_per_period.push((period, status)),
        }
    }
    let with_status: Vec<Status> = one_per_period.iter().filter_map(|r| r.1).collect();
    let latest = *with_status.last()?;
    if !not_done(latest) {
        return None;
    }
    let run = with_status
        .iter()
        .rev()
        .take_while(|&&s| s != Status::Genomfort)
        .count();
    (run >= 2).then_some(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn slipping_needs_an_earlier_miss_or_broken_forecast() {
        let r = |v: &[Option<Status>]| -> Vec<(u64, Option<Status>)> {
            v.iter().enumerate().map(|(i, s)| (i as u64, *s)).collect()
        };
        for (reports, want) in [
            (r(&[Some(EjGenomfort), Some(EjGenomfort)]), Some(2)),
            (r(&[Some(BedomsGenomforas), Some(EjGenomfort)]), Some(2)),
            (
                r(&[
                    Some(EjGenomfort),
                    Some(BedomsGenomforas),
                    Some(EjGenomfort),
                    None,
                    Some(DelvisGenomfort),
                ]),
                Some(4),
            ),
            (r(&[Some(EjGenomfort)]), None),
            (r(&[Some(EjGenomfort), Some(Genomfort)]), None),
            (r(&[Some(EjGenomfort), Some(BedomsGenomforas)]), None),
            (
                r(&[Some(EjGenomfort), Some(Genomfort), Some(EjGenomfort)]),
                None,
            ),
            (
                r(&[Some(Genomfort), Some(BedomsEjGenomforas), Some(EjGenomfort)]),
                Some(2),
            ),
            (r(&[None]), None),
        ] {
            assert_eq!(slipped_through(&reports), want, "{reports:?}");
        }
        // The same period twice (the same report in two files) counts once.
        for (reports, want) in [
            (vec![(5, Some(EjGenomfort)), (5, Some(EjGenomfort))], None),
            (
                vec![
                    (4, Some(EjGenomfort)),
                    (5, Some(EjGenomfort)),
                    (5, Some(EjGenomfort)),
                ],
                Some(2),
            ),
            (
                vec![(4, Some(EjGenomfort)), (5, None), (5, Some(EjGenomfort))],
                Some(2),
            ),
        ] {
            assert_eq!(slipped_through(&reports), want, "{reports:?}");
        }
    }

    #[test]
    fn first_sentence_of_a_comment() {
        for (body, want) in [
            (
                "Domen kom i oktober. En ny konsult är anlitad.",
                "Domen kom i oktober.",
            ),
            (
                "Det finns dokument som ex. internationell strategi. Mer text.",
                "Det finns dokument som ex. internationell strategi.",
            ),
            (
                "Första stycket utan punkt\n\nAndra stycket.",
                "Första stycket utan punkt",
            ),
            (
                "Till och med 2021-12-31 har 16 idéer beviljats. 2022 fler.",
                "Till och med 2021-12-31 har 16 idéer beviljats.",
            ),
        ] {
            assert_eq!(first_sentence(body).as_deref(), Some(want));
        }
        assert_eq!(first_sentence(""), None);
        let long = "ord ".repeat(100);
        let s = first_sentence(&long).unwrap();
        assert!(
            s.ends_with('…') && s.chars().count() <= SENTENCE_MAX + 1,
            "{s}"
        );
    }

    #[test]
    fn by_parses_english_and_swedish() {
        assert_eq!(Facet::parse("år"), Some(Facet::Year));
        assert_eq!(Facet::parse("Nämnd"), Some(Facet::Committee));
        assert_eq!(Facet::parse("status"), Some(Facet::Status));
        assert_eq!(Facet::parse("månad"), None);
    }
}
