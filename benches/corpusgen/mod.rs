//! A synthetic national corpus of follow-up reports, deterministic from a seed, for the
//! scale benchmarks (`benches/gen_corpus.rs`) and the generator's own test
//! (`tests/corpusgen.rs`). Std only; included by `#[path]` from both.
//!
//! What it writes, per municipality folder (`<slug>/`) and year:
//! - `<year>-T1.txt`, `<year>-T2.txt`, `<year>-T3.txt`: assignment reports in the real
//!   format (`T3 2022 Uppdrag. Kommentar T3 2022`, blocks separated by `.` lines, a title
//!   ending in its committee group, a status sentence, 1–5 body paragraphs of 20–120
//!   words). Some municipalities use the committee-prefixed header
//!   (`Nämnd T1 2024 Uppdrag Kommentar T1 2024`).
//! - now and then `<year>-T3-<committee>.txt`: a committee's own report, its header
//!   prefixed with the committee's full name.
//! - `<year>-mal-<n>.txt`, one or two goal pages (`Mål 1 - ...`, section headings, traffic
//!   lights followed by assignment titles, `Sidan uppdaterad ...`).
//!
//! Assignments recur: a year's assignments are reported in each tertial with small title
//! changes, and unfinished ones carry over to the next year.
//!
//! Words: a ranked vocabulary drawn with a Zipf distribution (exponent 1). Rank order: the
//! words of the bundled corpus by frequency (so "och", "att", "för" lead), then the words
//! of a word list (Debian's `wswedish`, `/usr/share/dict/swedish`, ISO-8859-1) when one is
//! given or installed, then inflected (`-en`, `-et`, `-erna`, `-ande`, ...) and compounded
//! (`skol` + `s` + `plan`) forms of both until the vocabulary has the requested size.
//! Without a word list the bundled corpus alone seeds it, so a fresh clone works; the
//! output then differs from a run with the list (the summary says which source was used).
//! Sentences also copy short runs of words from the bundled corpus, so real phrases
//! ("psykisk ohälsa", "under året") occur as they do in real reports.

#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The bundled corpus, compiled in so the generator does not depend on the working
/// directory.
const BUNDLED: &[&str] = &[
    include_str!("../../corpus/ostersund/2021-T3.txt"),
    include_str!("../../corpus/ostersund/2022-T1.txt"),
    include_str!("../../corpus/ostersund/2022-T3.txt"),
    include_str!("../../corpus/ostersund/2023-T3.txt"),
    include_str!("../../corpus/ostersund/mal-1.txt"),
];

/// Where Debian's `wswedish` puts its list.
pub const SYSTEM_WORD_LIST: &str = "/usr/share/dict/swedish";

/// Where the vocabulary's words come from beyond the bundled corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordSource {
    /// [`SYSTEM_WORD_LIST`] if it exists, else the bundled corpus only.
    Auto,
    /// The bundled corpus only.
    Bundled,
    /// A word list, one word a line, UTF-8 or ISO-8859-1.
    File(PathBuf),
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    pub municipalities: usize,
    /// Inclusive.
    pub first_year: u16,
    pub last_year: u16,
    pub seed: u64,
    pub words: WordSource,
    /// Distinct word forms in the vocabulary.
    pub vocabulary: usize,
}

impl Config {
    pub fn new(municipalities: usize, first_year: u16, last_year: u16, seed: u64) -> Self {
        Config {
            municipalities,
            first_year,
            last_year,
            seed,
            words: WordSource::Auto,
            vocabulary: 400_000,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    /// Assignment documents (one per block of a T-report).
    pub assignments: usize,
    /// Goal-page documents (one per non-empty section).
    pub goal_sections: usize,
    pub bytes: u64,
    /// Distinct word forms in the vocabulary.
    pub vocabulary: usize,
    /// "bundled corpus" or "bundled corpus + <path> (<n> words)".
    pub word_source: String,
}

impl Summary {
    /// Documents the parser should find: assignments plus goal sections.
    pub fn documents(&self) -> usize {
        self.assignments + self.goal_sections
    }
}

/// SplitMix64: small, fast, and good enough for text.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Pick by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.below(total as usize) as u32;
        for (item, w) in items {
            if x < *w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].0
    }

    /// A generator for a sub-stream, so one part's draws do not shift another's.
    pub fn fork(&mut self, salt: u64) -> Rng {
        Rng::new(self.next_u64() ^ salt.wrapping_mul(0xA24B_AED4_963E_E407))
    }
}

/// A ranked vocabulary and its Zipf sampler.
pub struct Vocabulary {
    pub words: Vec<String>,
    /// Cumulative Zipf weights, `cdf[i]` = P(rank <= i).
    cdf: Vec<f64>,
    /// Runs of consecutive words of the bundled corpus's sentences.
    sentences: Vec<Vec<String>>,
    pub source: String,
}

/// Words of a text: runs of letters (hyphens inside a word kept), lowercased.
fn words_of(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphabetic() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.chars().count() >= 2 && !w.contains('-'))
        .map(str::to_lowercase)
}

fn plain_word(w: &str) -> bool {
    let n = w.chars().count();
    (2..=24).contains(&n)
        && w.chars()
            .all(|c| c.is_ascii_lowercase() || matches!(c, 'å' | 'ä' | 'ö' | 'é'))
}

const SUFFIXES: &[&str] = &[
    "en", "et", "er", "erna", "ar", "arna", "or", "orna", "ande", "ade", "s", "ens", "ets", "na",
    "ns", "ning", "ningen", "ningar", "lig", "liga", "het", "heten", "isk", "iska", "t", "are",
    "aren",
];

fn inflect(base: &str, suffix: &str) -> String {
    let starts_vowel = suffix.starts_with(['a', 'e', 'i', 'o']);
    let trimmed = if starts_vowel && base.ends_with(['a', 'e']) && base.chars().count() > 3 {
        &base[..base.len() - 1]
    } else {
        base
    };
    format!("{trimmed}{suffix}")
}

fn compound(a: &str, b: &str, linking_s: bool) -> String {
    let first = if a.ends_with('a') && a.chars().count() > 4 && !linking_s {
        &a[..a.len() - 1]
    } else {
        a
    };
    if linking_s && !first.ends_with('s') {
        format!("{first}s{b}")
    } else {
        format!("{first}{b}")
    }
}

impl Vocabulary {
    /// Build the vocabulary: bundled words by frequency, then the word list's (shuffled),
    /// then derived forms until `size` distinct forms.
    pub fn build(source: &WordSource, size: usize, rng: &mut Rng) -> io::Result<Vocabulary> {
        let mut counts: std::collections::HashMap<String, usize> = Default::default();
        let mut first_seen: Vec<String> = Vec::new();
        let mut sentences = Vec::new();
        for text in BUNDLED {
            for w in words_of(text) {
                let e = counts.entry(w.clone()).or_insert(0);
                if *e == 0 {
                    first_seen.push(w);
                }
                *e += 1;
            }
            for s in text.split(['.', '\n', ':', ';', '?']) {
                let ws: Vec<String> = s
                    .split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                    .filter(|w| !w.is_empty())
                    .collect();
                if ws.len() >= 4 && ws.iter().all(|w| w.chars().all(char::is_alphabetic)) {
                    sentences.push(ws);
                }
            }
        }
        let mut bundled = first_seen;
        bundled.sort_by(|a, b| counts[b].cmp(&counts[a]).then_with(|| a.cmp(b)));
        let mut seen: HashSet<String> = bundled.iter().cloned().collect();
        let mut words = bundled;
        let mut described = format!("bundled corpus ({} words)", words.len());

        let list = match source {
            WordSource::Bundled => None,
            WordSource::Auto => {
                let p = Path::new(SYSTEM_WORD_LIST);
                p.is_file().then(|| p.to_path_buf())
            }
            WordSource::File(p) => Some(p.clone()),
        };
        if let Some(path) = list {
            let bytes = fs::read(&path)?;
            let text = match String::from_utf8(bytes) {
                Ok(s) => s,
                // ISO-8859-1: every byte is the code point of the same value.
                Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
            };
            let mut extra: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|w| plain_word(w))
                .filter(|w| !seen.contains(*w))
                .map(str::to_string)
                .collect();
            extra.sort();
            extra.dedup();
            // Fisher–Yates: the list's rank order is the seed's, not the alphabet's.
            for i in (1..extra.len()).rev() {
                extra.swap(i, rng.below(i + 1));
            }
            described.push_str(&format!(" + {} ({} words)", path.display(), extra.len()));
            for w in extra {
                seen.insert(w.clone());
                words.push(w);
            }
        }

        // Derived forms from content words (not the most frequent function words).
        let bases: Vec<String> = words
            .iter()
            .skip(60)
            .filter(|w| plain_word(w) && w.chars().count() >= 4)
            .cloned()
            .collect();
        let mut tries = 0usize;
        while words.len() < size && !bases.is_empty() && tries < size * 20 {
            tries += 1;
            // Favour frequent bases, as real inflections and compounds do.
            let a = &bases[skewed(rng, bases.len())];
            let form = if rng.chance(0.45) {
                inflect(a, rng.pick::<&str>(SUFFIXES))
            } else {
                // Compounds of short words: real first elements are stems, not long forms.
                let b = &bases[skewed(rng, bases.len())];
                if a.chars().count() > 10 || b.chars().count() > 12 {
                    continue;
                }
                let mut f = compound(a, b, rng.chance(0.4));
                if rng.chance(0.3) {
                    f = inflect(&f, rng.pick::<&str>(SUFFIXES));
                }
                f
            };
            if form.chars().count() <= 32 && seen.insert(form.clone()) {
                words.push(form);
            }
        }
        described.push_str(&format!(
            ", {} forms with inflections and compounds",
            words.len()
        ));

        let mut cdf = Vec::with_capacity(words.len());
        let mut acc = 0.0;
        for rank in 1..=words.len() {
            acc += 1.0 / rank as f64;
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Ok(Vocabulary {
            words,
            cdf,
            sentences,
            source: described,
        })
    }

    /// A word by Zipf rank.
    pub fn zipf(&self, rng: &mut Rng) -> &str {
        let x = rng.unit();
        let i = self
            .cdf
            .partition_point(|&c| c < x)
            .min(self.words.len() - 1);
        &self.words[i]
    }

    /// A content word: Zipf-drawn, skipping the most frequent ranks.
    pub fn content(&self, rng: &mut Rng) -> &str {
        loop {
            let x = rng.unit();
            let i = self
                .cdf
                .partition_point(|&c| c < x)
                .min(self.words.len() - 1);
            if i >= 150 && self.words[i].chars().count() >= 4 {
                return &self.words[i];
            }
        }
    }

    /// A run of 2–5 consecutive words of a bundled sentence.
    pub fn phrase(&self, rng: &mut Rng) -> Vec<&str> {
        let s = rng.pick(&self.sentences);
        let n = rng.range(2, 5.min(s.len()));
        let start = rng.below(s.len() - n + 1);
        s[start..start + n].iter().map(String::as_str).collect()
    }
}

/// An index in `0..n` biased toward small values (about log-uniform).
fn skewed(rng: &mut Rng, n: usize) -> usize {
    let x = rng.unit();
    ((n as f64).powf(x) as usize).saturating_sub(1).min(n - 1)
}

const REAL_MUNICIPALITIES: &[&str] = &[
    "Östersund",
    "Stockholm",
    "Göteborg",
    "Malmö",
    "Uppsala",
    "Umeå",
    "Luleå",
    "Sundsvall",
    "Jönköping",
    "Växjö",
    "Örebro",
    "Västerås",
    "Linköping",
    "Norrköping",
    "Gävle",
    "Karlstad",
    "Falun",
    "Kiruna",
    "Visby",
    "Kalmar",
    "Halmstad",
    "Borås",
    "Eskilstuna",
    "Skellefteå",
    "Härnösand",
    "Krokom",
    "Strömsund",
    "Berg",
    "Härjedalen",
    "Åre",
];
const NAME_HEADS: &[&str] = &[
    "Norr", "Söder", "Öster", "Väster", "Sjö", "Berg", "Ek", "Björk", "Lind", "Hög", "Stor",
    "Lill", "Å", "Strand", "Skog", "Häll", "Sand", "Mal", "Torp", "Kungs", "Ny", "Gran", "Rå",
    "Fors", "Dal", "Hed", "Mo", "Ljus", "Frö", "Öre",
];
const NAME_TAILS: &[&str] = &[
    "by", "vik", "köping", "hamn", "sund", "holm", "dal", "berg", "ås", "näs", "torp", "fors",
    "ryd", "stad", "lunda", "ö", "sjö", "hult", "mark", "bo",
];

/// Municipality names: real ones first, then made-up ones, all distinct.
pub fn municipality_names(n: usize, rng: &mut Rng) -> Vec<String> {
    let mut names: Vec<String> = REAL_MUNICIPALITIES
        .iter()
        .take(n)
        .map(|s| s.to_string())
        .collect();
    let mut seen: HashSet<String> = names.iter().map(|n| slug(n)).collect();
    let mut attempt = 0;
    while names.len() < n {
        attempt += 1;
        let head = rng.pick(NAME_HEADS);
        let tail = rng.pick(NAME_TAILS);
        let mut name = format!("{head}{tail}");
        if attempt > 400 {
            name = format!("{name}{}", rng.pick(NAME_TAILS));
        }
        if seen.insert(slug(&name)) {
            names.push(name);
        }
    }
    names
}

/// Folder name: lower case ASCII (å, ä -> a; ö -> o).
pub fn slug(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' | 'ä' => 'a',
            'ö' => 'o',
            'é' => 'e',
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// Committees with their full names and how often an assignment is addressed to them.
const COMMITTEES: &[((&str, &str), u32)] = &[
    (("KS", "Kommunstyrelsen"), 40),
    (("BUN", "Barn- och utbildningsnämnden"), 14),
    (("VON", "Vård- och omsorgsnämnden"), 11),
    (("SAN", "Social- och arbetsmarknadsnämnden"), 10),
    (("TN", "Tekniska nämnden"), 9),
    (("KFN", "Kultur- och fritidsnämnden"), 7),
    (("MSN", "Miljö- och samhällsnämnden"), 7),
    (("ÖFN", "Överförmyndarnämnden"), 1),
    (("VAL", "Valnämnden"), 1),
];

fn committee_group(rng: &mut Rng) -> String {
    if rng.chance(0.03) {
        return if rng.chance(0.7) {
            "Alla nämnder".into()
        } else {
            "Samtliga nämnder".into()
        };
    }
    let n = *rng.weighted(&[(1usize, 70), (2, 18), (3, 6), (4, 6)]);
    let mut picked: Vec<&str> = Vec::new();
    while picked.len() < n {
        let (abbr, _) = rng.weighted(COMMITTEES);
        if !picked.contains(abbr) {
            picked.push(abbr);
        }
    }
    picked.join(", ")
}

const VERBS: &[&str] = &[
    "Utred",
    "Genomför",
    "Ta fram",
    "Utveckla",
    "Säkerställ",
    "Öka",
    "Förstärk",
    "Arbeta för att stärka",
    "Skapa",
    "Inför",
    "Se över",
    "Minska",
    "Förbättra",
    "Verka för",
    "Kartlägg",
    "Stärk",
    "Planera för",
    "Följ upp",
];
const LINKS: &[&str] = &[
    "för", "inom", "i", "av", "med", "kring", "till", "genom", "vid", "mot",
];

/// One assignment as it recurs through a year's reports.
#[derive(Debug, Clone)]
struct Assignment {
    verb: &'static str,
    object: Vec<String>,
    committees: String,
    /// Words the body keeps coming back to.
    topic: Vec<String>,
    /// Reported done: not carried over to the next year.
    done: bool,
}

impl Assignment {
    fn new(v: &Vocabulary, rng: &mut Rng) -> Self {
        let mut object = Vec::new();
        if rng.chance(0.25) {
            object.extend(v.phrase(rng).iter().map(|w| w.to_lowercase()));
        } else {
            object.push(v.content(rng).to_string());
            if rng.chance(0.5) {
                object.push("och".into());
                object.push(v.content(rng).to_string());
            }
        }
        if rng.chance(0.6) {
            object.push(rng.pick(LINKS).to_string());
            object.push(v.content(rng).to_string());
            if rng.chance(0.3) {
                object.push(v.zipf(rng).to_string());
            }
        }
        let mut topic: Vec<String> = object
            .iter()
            .filter(|w| w.chars().count() >= 4)
            .cloned()
            .collect();
        for _ in 0..rng.range(2, 5) {
            topic.push(v.content(rng).to_string());
        }
        Assignment {
            verb: rng.pick::<&str>(VERBS),
            object,
            committees: committee_group(rng),
            topic,
            done: false,
        }
    }

    /// The title as reported this time: mostly as before, now and then reworded.
    fn title(&self, rng: &mut Rng, v: &Vocabulary) -> String {
        let mut verb = self.verb;
        let mut object = self.object.clone();
        if rng.chance(0.08) {
            verb = rng.pick::<&str>(VERBS);
        }
        if rng.chance(0.06) {
            let i = rng.below(object.len());
            object[i] = v.content(rng).to_string();
        }
        let mut t = format!("{verb} {}", object.join(" "));
        if rng.chance(0.04) {
            t.push_str(" i kommunen");
        }
        if rng.chance(0.02) {
            t.push('?');
        }
        t
    }
}

/// A sentence: Zipf words, topic words and runs of real phrases.
fn sentence(out: &mut String, v: &Vocabulary, topic: &[String], rng: &mut Rng, words: usize) {
    let start = out.len();
    let mut n = 0;
    while n < words {
        if n > 0 {
            out.push(' ');
        }
        let r = rng.unit();
        if r < 0.12 && !topic.is_empty() {
            out.push_str(rng.pick::<String>(topic));
            n += 1;
        } else if r < 0.20 {
            let p = v.phrase(rng);
            n += p.len();
            for (i, w) in p.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(w);
            }
        } else if r < 0.205 {
            let _ = write!(out, "{}", rng.range(2, 2500));
            n += 1;
        } else {
            out.push_str(v.zipf(rng));
            n += 1;
        }
        if n > 3 && n + 3 < words && rng.chance(0.04) {
            out.push(',');
        }
    }
    // Capitalise the first letter.
    if let Some(c) = out[start..].chars().next() {
        if c.is_lowercase() {
            let up: String = c.to_uppercase().collect();
            out.replace_range(start..start + c.len_utf8(), &up);
        }
    }
    out.push('.');
}

/// A paragraph of `words` words in sentences of 6–20 words, ending with a newline.
fn paragraph(out: &mut String, v: &Vocabulary, topic: &[String], rng: &mut Rng, words: usize) {
    let mut left = words;
    let mut first = true;
    while left > 0 {
        let n = rng.range(6, 20).min(left);
        let n = if left - n < 4 { left } else { n };
        if !first {
            out.push(' ');
        }
        sentence(out, v, topic, rng, n);
        left -= n;
        first = false;
    }
    out.push('\n');
}

/// Body paragraphs: 1–5 (mostly 1–3), 20–120 words each.
fn body(out: &mut String, v: &Vocabulary, topic: &[String], rng: &mut Rng) {
    let paras = *rng.weighted(&[(1usize, 30), (2, 30), (3, 20), (4, 12), (5, 8)]);
    for _ in 0..paras {
        out.push('\n');
        let words = if rng.chance(0.7) {
            rng.range(20, 80)
        } else {
            rng.range(60, 120)
        };
        paragraph(out, v, topic, rng, words);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Period {
    T1,
    T2,
    T3,
}

fn status_sentence(period: Period, rng: &mut Rng, done: &mut bool) -> &'static str {
    if period == Period::T3 {
        let s = *rng.weighted(&[(0u8, 40), (1, 15), (2, 25), (3, 12), (4, 8)]);
        *done = s <= 1;
        match s {
            0 => "Uppdraget är genomfört under året.",
            1 => "Uppdraget är genomfört.",
            2 => "Uppdraget är inte genomfört under året.",
            3 => "Uppdraget är delvis genomfört.",
            _ => "Uppdraget är inte genomfört.",
        }
    } else {
        match *rng.weighted(&[(0u8, 65), (1, 15), (2, 12), (3, 8)]) {
            0 => "Uppdraget bedöms bli genomfört under året.",
            1 => "Uppdraget bedöms inte bli genomfört under året.",
            2 => "Uppdraget är genomfört.",
            _ => "Uppdraget bedöms bli genomfört.",
        }
    }
}

/// Write one assignment report; returns the number of assignments in it.
fn t_report(
    out: &mut String,
    header: &str,
    items: &mut [&mut Assignment],
    period: Period,
    v: &Vocabulary,
    rng: &mut Rng,
) -> usize {
    out.push_str(header);
    out.push('\n');
    for a in items.iter_mut() {
        out.push_str(".\n");
        let title = a.title(rng, v);
        let _ = writeln!(out, "{title} ({})", a.committees);
        out.push('\n');
        let mut done = false;
        out.push_str(status_sentence(period, rng, &mut done));
        out.push('\n');
        if period == Period::T3 {
            a.done = done;
        }
        let topic = a.topic.clone();
        body(out, v, &topic, rng);
        out.push('\n');
    }
    items.len()
}

const GOAL_THEMES: &[&str] = &[
    "har vi en tillväxt som är jämställd och ekonomiskt hållbar",
    "ska alla barn och unga ha goda förutsättningar att lyckas i skolan",
    "är det tryggt att leva och bo i alla delar av kommunen",
    "minskar vi klimatpåverkan och använder resurserna klokt",
    "får äldre en god vård och omsorg med hög kvalitet",
    "är kultur och fritid tillgängligt för alla",
    "har företagen goda villkor att starta och växa",
    "är kommunen en attraktiv arbetsgivare",
];

/// Write one goal page; returns its number of non-empty sections (= documents).
fn goal_page(
    out: &mut String,
    n: usize,
    place: &str,
    year: u16,
    pool: &[Assignment],
    v: &Vocabulary,
    rng: &mut Rng,
) -> usize {
    let theme = rng.pick(GOAL_THEMES);
    let _ = writeln!(out, "Mål {n} - I {place} {theme}\n");
    let topic: Vec<String> = (0..6).map(|_| v.content(rng).to_string()).collect();
    let mut sections = 1; // the introduction
    for _ in 0..rng.range(1, 3) {
        let n = rng.range(30, 110);
        paragraph(out, v, &topic, rng, n);
        out.push('\n');
    }
    let verb = if rng.chance(0.5) { "gjorde" } else { "gör" };
    let _ = writeln!(out, "Så här {verb} vi för att nå målet {year}\n");
    sections += 1;
    for _ in 0..rng.range(1, 3) {
        let n = rng.range(30, 110);
        paragraph(out, v, &topic, rng, n);
        out.push('\n');
    }
    let _ = writeln!(out, "Uppdrag från fullmäktige {year}\n");
    sections += 1;
    for _ in 0..rng.range(2, 5) {
        let light = *rng.weighted(&[("Grön", 50), ("Gul", 30), ("Röd", 20)]);
        let a = if pool.is_empty() {
            Assignment::new(v, rng)
        } else {
            rng.pick(pool).clone()
        };
        let title = a.title(rng, v);
        let _ = writeln!(out, "{light}\n\n{title} ({})\n", a.committees);
    }
    if rng.chance(0.7) {
        let _ = writeln!(out, "Nyckeltal {year}\n");
        sections += 1;
        let n = rng.range(20, 60);
        paragraph(out, v, &topic, rng, n);
        out.push('\n');
    }
    if rng.chance(0.8) {
        out.push_str("Helhetsbedömning\n\n");
        sections += 1;
        let n = rng.range(30, 90);
        paragraph(out, v, &topic, rng, n);
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Sidan uppdaterad {}-{:02}-{:02}",
        year + 1,
        rng.range(1, 3),
        rng.range(1, 28)
    );
    sections
}

/// The genitive form of a place name for "I Östersunds kommun".
fn genitive(name: &str) -> String {
    if name.ends_with(['s', 'x', 'z']) {
        format!("{name} kommun")
    } else {
        format!("{name}s kommun")
    }
}

/// Generate the corpus into `out` (created if missing; existing files are overwritten).
pub fn generate(cfg: &Config, out: &Path) -> io::Result<Summary> {
    let mut rng = Rng::new(cfg.seed);
    let vocab = Vocabulary::build(&cfg.words, cfg.vocabulary, &mut rng.fork(1))?;
    let names = municipality_names(cfg.municipalities, &mut rng.fork(2));
    let mut summary = Summary {
        vocabulary: vocab.words.len(),
        word_source: vocab.source.clone(),
        ..Summary::default()
    };
    fs::create_dir_all(out)?;
    let mut text = String::new();
    for (m, name) in names.iter().enumerate() {
        // Each municipality has its own stream: its text does not depend on the others.
        let mut rng = Rng::new(cfg.seed ^ (m as u64 + 1).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let dir = out.join(slug(name));
        fs::create_dir_all(&dir)?;
        let prefixed_header = rng.chance(0.15);
        let mut carried: Vec<Assignment> = Vec::new();
        for year in cfg.first_year..=cfg.last_year {
            let target = rng.range(21, 31);
            let mut year_set: Vec<Assignment> = carried
                .drain(..)
                .filter(|_| rng.chance(0.6))
                .take(target / 2)
                .collect();
            while year_set.len() < target {
                year_set.push(Assignment::new(&vocab, &mut rng));
            }
            for (period, tname, share) in [
                (Period::T1, "T1", 0.9),
                (Period::T2, "T2", 0.95),
                (Period::T3, "T3", 1.0),
            ] {
                let mut items: Vec<&mut Assignment> = year_set
                    .iter_mut()
                    .filter(|_| period == Period::T3 || rng.chance(share))
                    .collect();
                let header = if prefixed_header {
                    format!("Nämnd {tname} {year} Uppdrag Kommentar {tname} {year}")
                } else if rng.chance(0.5) {
                    format!("{tname} {year} Uppdrag. Kommentar {tname} {year}")
                } else {
                    format!("{tname} {year} Uppdrag Kommentar {tname} {year}")
                };
                text.clear();
                summary.assignments +=
                    t_report(&mut text, &header, &mut items, period, &vocab, &mut rng);
                write_file(
                    &dir.join(format!("{year}-{tname}.txt")),
                    &text,
                    &mut summary,
                )?;
            }
            if rng.chance(0.2) {
                let ((abbr, full), _) = rng.pick(&COMMITTEES[1..7]);
                let mut own: Vec<Assignment> = (0..rng.range(4, 11))
                    .map(|_| {
                        let mut a = Assignment::new(&vocab, &mut rng);
                        a.committees = abbr.to_string();
                        a
                    })
                    .collect();
                let mut items: Vec<&mut Assignment> = own.iter_mut().collect();
                let header = format!("{full} T3 {year} Uppdrag. Kommentar T3 {year}");
                text.clear();
                summary.assignments +=
                    t_report(&mut text, &header, &mut items, Period::T3, &vocab, &mut rng);
                let file = format!("{year}-T3-{}.txt", slug(abbr));
                write_file(&dir.join(file), &text, &mut summary)?;
            }
            for g in 1..=rng.range(1, 2) {
                text.clear();
                summary.goal_sections += goal_page(
                    &mut text,
                    g,
                    &genitive(name),
                    year,
                    &year_set,
                    &vocab,
                    &mut rng,
                );
                write_file(
                    &dir.join(format!("{year}-mal-{g}.txt")),
                    &text,
                    &mut summary,
                )?;
            }
            carried = year_set.into_iter().filter(|a| !a.done).collect();
        }
    }
    Ok(summary)
}

fn write_file(path: &Path, text: &str, summary: &mut Summary) -> io::Result<()> {
    fs::write(path, text)?;
    summary.files += 1;
    summary.bytes += text.len() as u64;
    Ok(())
}
