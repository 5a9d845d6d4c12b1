//! Swedish text analysis: the one chain that turns text into index terms, used by the
//! indexer, the query builder, the passage highlighter and `rapportsok analyze` alike.
//!
//! The chain is a list of [`Stage`]s over a token buffer. Each token says which index
//! field it belongs to ([`FieldKind`]) and what produced it ([`Origin`]): the word's
//! stem goes to the main fields, compound parts to a lower-weight parts field, folded
//! forms (å/ä/ö -> a/a/o) to a folded field; å, ä and ö stay letters in the main fields.
//! Every token keeps exact byte offsets into the analysed text, so highlights land on
//! the original words (a compound part on its part, a repaired hyphen on both halves).
//! A text given to several fields is analysed once per indexing thread (see
//! [`SwedishTokenizer`]), and each distinct word once per analyzer: after segmentation
//! and the hyphen rule every stage treats a token on its own, so a word's terms are
//! kept in a shared cache (`cache.rs`) and copied from there.

mod cache;
pub mod compound;
mod hyphen;
pub mod lemma;
pub mod stemmer;

use compound::Lexicon;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// The name under which the Swedish analyzer is registered with tantivy.
pub const ANALYZER_NAME: &str = "sv";

/// Tokens longer than this many bytes are dropped (garbage such as base64 or URLs).
///
/// Set from the corpus, not tantivy's 40-byte default: Swedish compounds are long and
/// å/ä/ö take two bytes each. The longest word of the bundled corpus is
/// "planeringsförutsättningarna" (29 bytes); compounds one part longer, such as
/// "arbetsmarknadsförvaltningsövergripande" (40 bytes), reach the default. 120 bytes keeps
/// four times the longest real word and still drops base64 blobs and URLs. The unit tests
/// `no_bundled_word_is_dropped` and `long_compounds_survive` pin it.
pub const MAX_TOKEN_BYTES: usize = 120;

/// Swedish Snowball stem of a lowercased word (the reference algorithm, see
/// [`stemmer`]); words with digits are left as they are. Always a prefix of `word`.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.bytes().any(|b| b.is_ascii_digit()) {
        return Cow::Borrowed(word);
    }
    stemmer::stem(word)
}

/// Fold å/ä/ö and common accents to ASCII ("ohäls" -> "ohals"); `None` when nothing
/// changes.
pub fn fold(word: &str) -> Option<String> {
    if word.is_ascii() {
        return None;
    }
    let mut changed = false;
    let folded: String = word
        .chars()
        .map(|c| {
            let f = match c {
                'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' => 'a',
                'ö' | 'ø' | 'ò' | 'ó' | 'ô' | 'õ' => 'o',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'ü' | 'ù' | 'ú' | 'û' => 'u',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                c => c,
            };
            changed |= f != c;
            f
        })
        .collect();
    changed.then_some(folded)
}

/// Which index field a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Title and body: the words, stemmed.
    Main,
    /// Compound parts and suspended-compound expansions (lower weight).
    Parts,
    /// Diacritics folded away, for queries typed without å/ä/ö (lower weight).
    Folded,
}

/// What produced a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The word itself, lowercased (stemming did not change it).
    Word,
    /// The Snowball stem of the word.
    Stem,
    /// The stem of the word's lemma, in its place: an inflected form mapped to its base
    /// before stemming ("resultatet" -> resultat -> `result`, "bostäder" -> bostad).
    Lemma,
    /// The stem of the word's base form, added beside it: a definite form in -an/-ans
    /// ("ohälsan" -> "ohälsa" -> "ohäls"), which Snowball leaves whole.
    Inflection,
    /// A word broken across a line with a hyphen, joined ("arbetsmarknads- politiken").
    RepairedHyphen,
    /// A part (or run of parts) of a compound ("budget" in "klimatbudget").
    CompoundPart,
    /// The expansion of a suspended compound ("riskanalys" from "risk- och
    /// hållbarhetsanalys").
    SuspendedCompound,
    /// A form with å/ä/ö folded to a/a/o.
    Folded,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Word => "word",
            Origin::Stem => "stem",
            Origin::Lemma => "lemma",
            Origin::Inflection => "inflection",
            Origin::RepairedHyphen => "repaired_hyphen",
            Origin::CompoundPart => "compound_part",
            Origin::SuspendedCompound => "suspended_compound",
            Origin::Folded => "folded",
        }
    }
}

/// One token of the analysed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnalyzedToken {
    /// Word position (several tokens may share one).
    pub position: usize,
    /// The index term.
    pub text: String,
    /// Byte range of the source in the analysed text.
    pub offset_from: usize,
    pub offset_to: usize,
    pub origin: Origin,
    pub kind: FieldKind,
}

/// A step of the analysis chain: reads and rewrites the token buffer.
pub trait Stage: Send + Sync {
    fn apply(&self, text: &str, tokens: &mut Vec<AnalyzedToken>);
}

/// Drops the Snowball Swedish stop words ("och", "inte", "under", ...), keeping the
/// positions of the other words.
struct StopWords;

const STOP_WORDS: &str = include_str!("../../data/lexicon/stopwords-sv.txt");

impl Stage for StopWords {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
            std::sync::OnceLock::new();
        let list = LIST.get_or_init(|| {
            STOP_WORDS
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        });
        tokens.retain(|t| !(t.kind == FieldKind::Main && list.contains(t.text.as_str())));
    }
}

/// Drops tokens longer than a byte limit.
struct RemoveLong(usize);

impl Stage for RemoveLong {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        tokens.retain(|t| t.text.len() <= self.0);
    }
}

/// Adds the base form of definite nouns in -an/-ans beside the word ("ohälsan" ->
/// "ohälsa", "kvinnans" -> "kvinna"): Snowball strips neither, so without this a search
/// for `ohälsa` misses "den psykiska ohälsan". Runs before stemming; the base is then
/// stemmed like any word. Words shorter than 5 letters are left alone ("plan", "man").
struct DefiniteForms;

impl Stage for DefiniteForms {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        if !tokens.iter().any(|t| definite_base(&t.text).is_some()) {
            return;
        }
        let mut out = Vec::with_capacity(tokens.len() + 4);
        for t in tokens.drain(..) {
            let base = (t.kind == FieldKind::Main)
                .then(|| definite_base(&t.text).map(str::to_string))
                .flatten();
            let extra = base.map(|b| AnalyzedToken {
                text: b,
                origin: Origin::Inflection,
                ..t.clone()
            });
            out.push(t);
            out.extend(extra);
        }
        *tokens = out;
    }
}

fn definite_base(word: &str) -> Option<&str> {
    let base = word
        .strip_suffix("ans")
        .or_else(|| word.strip_suffix("an"))?;
    (base.chars().count() >= 3 && !base.ends_with(|c: char| "aeiouyåäö".contains(c)))
        .then(|| &word[..base.len() + 1])
}

/// Compound parts: for a word that splits into lexicon words, each part and each run of
/// two or more parts (not the whole word) go to the parts field at the word's position,
/// with the part's own offsets. The whole word stays in the main field.
struct Compounds(&'static Lexicon);

impl Stage for Compounds {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        let mut extra = Vec::new();
        for t in tokens.iter() {
            if t.kind != FieldKind::Main
                || !matches!(t.origin, Origin::Word | Origin::RepairedHyphen)
            {
                continue;
            }
            let Some((parts, whole)) = split_word(self.0, &t.text) else {
                continue;
            };
            let span = |a: usize, b: usize| -> (usize, usize) {
                if t.origin == Origin::RepairedHyphen {
                    // Offsets of a joined word span the hyphen and the space: keep the
                    // whole span rather than guess where each part sits.
                    (t.offset_from, t.offset_to)
                } else {
                    (t.offset_from + a, t.offset_from + b)
                }
            };
            for (i, p) in parts.iter().enumerate() {
                let (from, to) = span(p.start, p.end);
                extra.push(AnalyzedToken {
                    position: t.position,
                    text: p.word.clone(),
                    offset_from: from,
                    offset_to: to,
                    origin: Origin::CompoundPart,
                    kind: FieldKind::Parts,
                });
                // Runs of parts: "resursfördelning" in "resursfördelningsmodellen".
                for (j, q) in parts.iter().enumerate().skip(i + 1) {
                    if whole && i == 0 && j == parts.len() - 1 {
                        break;
                    }
                    let (from, to) = span(p.start, q.end);
                    extra.push(AnalyzedToken {
                        position: t.position,
                        text: t.text[p.start..q.end].to_string(),
                        offset_from: from,
                        offset_to: to,
                        origin: Origin::CompoundPart,
                        kind: FieldKind::Parts,
                    });
                }
            }
        }
        tokens.extend(extra);
    }
}

/// The parts of a word and whether they cover it whole: its split into lexicon words,
/// or else its known end ([`Lexicon::head`]: "hallen" in "padelhallen").
type Split = Option<(Vec<compound::Part>, bool)>;

/// The split of a word, or of its known end. Not remembered per thread: the
/// analyzer's word cache already runs this once per distinct word.
fn split_word(lexicon: &Lexicon, word: &str) -> Split {
    if word.len() < compound::MIN_COMPOUND_CHARS {
        return None;
    }
    match lexicon.split(word) {
        Some(parts) => Some((parts, true)),
        None => lexicon.head(word).map(|parts| (parts, false)),
    }
}

/// Lemmas of words and compound parts ([`lemma`]), in place of the inflected form, so
/// that Snowball then stems every form of a word to one term. Runs after compound
/// splitting (which needs the surface form) and before stemming.
struct Lemmas(&'static Lexicon);

impl Stage for Lemmas {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        for t in tokens.iter_mut() {
            let eligible = match t.kind {
                FieldKind::Main => matches!(t.origin, Origin::Word | Origin::RepairedHyphen),
                FieldKind::Parts => t.origin == Origin::CompoundPart,
                FieldKind::Folded => false,
            };
            if !eligible {
                continue;
            }
            if let Some(base) = lemma_cached(self.0, &t.text) {
                t.text = base;
                if t.origin == Origin::Word {
                    t.origin = Origin::Lemma;
                }
            }
        }
    }
}

/// [`lemma::lemma`] per thread, remembered (words repeat).
fn lemma_cached(lexicon: &Lexicon, word: &str) -> Option<String> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    const MAX_ENTRIES: usize = 50_000;
    thread_local! {
        static LEMMAS: RefCell<HashMap<String, Option<String>>> = RefCell::new(HashMap::new());
    }
    if word.len() < 3 {
        return None;
    }
    LEMMAS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(hit) = cache.get(word) {
            return hit.clone();
        }
        let base = lemma::lemma(lexicon, word);
        if cache.len() >= MAX_ENTRIES {
            cache.clear();
        }
        cache.insert(word.to_string(), base.clone());
        base
    })
}

/// Swedish Snowball stemming of every token.
struct SnowballStem;

impl Stage for SnowballStem {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        for t in tokens.iter_mut() {
            let len = stem(&t.text).len();
            if len < t.text.len() {
                t.text.truncate(len);
                if t.origin == Origin::Word {
                    t.origin = Origin::Stem;
                }
            }
        }
    }
}

/// Folded forms of main-field terms with å/ä/ö, in the folded field.
struct Fold;

impl Stage for Fold {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        let extra: Vec<AnalyzedToken> = tokens
            .iter()
            .filter(|t| t.kind == FieldKind::Main)
            .filter_map(|t| {
                fold(&t.text).map(|f| AnalyzedToken {
                    text: f,
                    origin: Origin::Folded,
                    kind: FieldKind::Folded,
                    ..t.clone()
                })
            })
            .collect();
        tokens.extend(extra);
    }
}

/// Orders tokens by position (main first) and drops duplicates within a field.
struct Normalize;

impl Stage for Normalize {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        let rank = |k: FieldKind| match k {
            FieldKind::Main => 0,
            FieldKind::Parts => 1,
            FieldKind::Folded => 2,
        };
        if tokens
            .windows(2)
            .any(|w| (w[0].position, rank(w[0].kind)) > (w[1].position, rank(w[1].kind)))
        {
            tokens.sort_by_key(|t| (t.position, rank(t.kind)));
        }
        // Compact in place: a token is dropped when an earlier kept token has the same
        // position, field and text (groups are a few tokens long).
        let mut kept = 0;
        let mut group = 0;
        for i in 0..tokens.len() {
            if kept > 0 && tokens[kept - 1].position != tokens[i].position {
                group = kept;
            }
            let dup = tokens[group..kept]
                .iter()
                .any(|k| k.kind == tokens[i].kind && k.text == tokens[i].text);
            if !dup {
                tokens.swap(kept, i);
                kept += 1;
            }
        }
        tokens.truncate(kept);
    }
}

/// Analysis options; [`AnalyzerOptions::default`] is what the index uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalyzerOptions {
    pub stem: bool,
    /// Compound parts, repaired hyphens, suspended compounds, definite forms, folding.
    pub swedish_extras: bool,
    /// With `swedish_extras`: split compounds into parts (off for highlighting, which
    /// finds parts inside the words themselves).
    pub compound_parts: bool,
    /// Drop the Snowball Swedish stop words (positions are kept, so phrases still
    /// match). Off: measured on the judged set, see the README.
    pub stop_words: bool,
    pub max_token_bytes: usize,
}

impl Default for AnalyzerOptions {
    fn default() -> Self {
        AnalyzerOptions {
            stem: true,
            swedish_extras: true,
            compound_parts: true,
            stop_words: false,
            max_token_bytes: MAX_TOKEN_BYTES,
        }
    }
}

impl AnalyzerOptions {
    /// The chain without compound splitting: what passages are highlighted with.
    pub fn for_highlighting(self) -> Self {
        AnalyzerOptions {
            compound_parts: false,
            ..self
        }
    }

    /// Plain Snowball stemming without the Swedish additions (the quality baseline).
    pub fn baseline() -> Self {
        AnalyzerOptions {
            swedish_extras: false,
            ..Self::default()
        }
    }
}

/// The Swedish analysis chain.
#[derive(Clone)]
pub struct Analyzer {
    chain: Arc<Chain>,
    options: AnalyzerOptions,
}

/// The stages of an [`Analyzer`] and its word cache, shared by its clones.
struct Chain {
    /// The one stage that looks at neighbouring words; it only adds tokens.
    hyphens: Option<hyphen::Hyphens>,
    /// The stages between the hyphen rule and [`Normalize`], in order: each treats every
    /// token on its own, which is what lets a word's analysis be cached.
    stages: Vec<Box<dyn Stage>>,
    cache: cache::WordCache,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Analyzer({:?})", self.options)
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(AnalyzerOptions::default())
    }
}

/// A text's words as segmented: byte ranges, lowercased forms in one buffer.
#[derive(Default)]
struct Words {
    spans: Vec<WordSpan>,
    lower: String,
}

/// One word: its byte range in the text and its lowercased form, either in
/// [`Words::lower`] or (`lower` empty) the source itself, already in lower case.
struct WordSpan {
    from: usize,
    to: usize,
    lower: std::ops::Range<usize>,
}

impl Words {
    fn lower<'a>(&'a self, text: &'a str, w: &WordSpan) -> &'a str {
        if w.lower.is_empty() {
            &text[w.from..w.to]
        } else {
            &self.lower[w.lower.clone()]
        }
    }
}

thread_local! {
    /// Word buffers reused across texts (taken while in use).
    static WORDS: std::cell::Cell<Words> = const {
        std::cell::Cell::new(Words {
            spans: Vec::new(),
            lower: String::new(),
        })
    };
}

impl Analyzer {
    /// The chain for `options`, with a word cache of [`Analyzer::with_cache_limit`]'s
    /// default size.
    pub fn new(options: AnalyzerOptions) -> Analyzer {
        Analyzer::with_cache_limit(options, cache::CACHE_BYTES)
    }

    /// An analyzer whose word cache keeps at most `limit` bytes ([`Analyzer::new`]
    /// allows 64 MiB, enough for every distinct word of a national build; a
    /// long-running process that analyses few texts, such as the web server's
    /// highlighter, may want less). The analysis is the same whatever the limit.
    pub fn with_cache_limit(options: AnalyzerOptions, limit: usize) -> Analyzer {
        let mut stages: Vec<Box<dyn Stage>> = Vec::new();
        stages.push(Box::new(RemoveLong(options.max_token_bytes)));
        if options.stop_words {
            stages.push(Box::new(StopWords));
        }
        if options.swedish_extras && options.compound_parts {
            stages.push(Box::new(Compounds(Lexicon::builtin())));
        }
        if options.swedish_extras && options.stem {
            stages.push(Box::new(Lemmas(Lexicon::builtin())));
        }
        if options.stem {
            if options.swedish_extras {
                stages.push(Box::new(DefiniteForms));
            }
            stages.push(Box::new(SnowballStem));
        }
        if options.swedish_extras {
            stages.push(Box::new(Fold));
        }
        let hyphens = options
            .swedish_extras
            .then(|| hyphen::Hyphens(Lexicon::builtin()));
        Analyzer {
            chain: Arc::new(Chain {
                hyphens,
                stages,
                cache: cache::WordCache::new(limit),
            }),
            options,
        }
    }

    pub fn options(&self) -> AnalyzerOptions {
        self.options
    }

    /// Analyse `text` into `out` (cleared first), reusing its allocation.
    pub fn analyze_into(&self, text: &str, out: &mut Vec<AnalyzedToken>) {
        out.clear();
        let mut analysis = Analysis::default();
        self.analyze_compact(text, &mut analysis);
        analysis.to_tokens(out);
    }

    /// Analyse `text` into a fresh token list (all fields).
    pub fn analyze(&self, text: &str) -> Vec<AnalyzedToken> {
        let mut out = Vec::new();
        self.analyze_into(text, &mut out);
        out
    }

    /// Analyse `text` into `out` (cleared first) in compact form: the same tokens as
    /// [`Analyzer::analyze`], without an allocation per token.
    pub fn analyze_compact(&self, text: &str, out: &mut Analysis) {
        out.clear();
        let mut words = WORDS.take();
        segment(text, &mut words);
        let extras = match &self.chain.hyphens {
            Some(h) => h.extras(text, words.spans.len(), |i| {
                let w = &words.spans[i];
                (words.lower(text, w), w.from, w.to)
            }),
            None => Vec::new(),
        };
        let mut extras = extras.into_iter().peekable();
        for (i, w) in words.spans.iter().enumerate() {
            let lower = words.lower(text, w);
            match extras.next_if(|x| x.position == i) {
                None => self.emit_word(i, lower, w, out),
                Some(x) => self.emit_with_extra(text, i, lower, w, x, out),
            }
        }
        // Keep the buffers of ordinary texts, not those of a huge one.
        if words.spans.capacity() <= 1 << 16 && words.lower.capacity() <= 1 << 20 {
            WORDS.set(words);
        }
    }

    /// Append the terms of one word (lowercased `lower`, source `w`) at `position`:
    /// from the cache, or analysed and cached.
    fn emit_word(&self, position: usize, lower: &str, w: &WordSpan, out: &mut Analysis) {
        let cache = &self.chain.cache;
        // A word whose lowercase differs in length from its source ("İ") has offsets
        // that depend on the source: analysed each time.
        let cacheable = lower.len() == w.to - w.from;
        let hash = cacheable.then(|| cache.hash(lower));
        if let Some(hash) = hash {
            if cache.emit(hash, lower, position, w.from, out) {
                return;
            }
        }
        let tokens = self.word_tokens(lower, w.to - w.from);
        for t in &tokens {
            out.push(
                position,
                &t.text,
                w.from + t.offset_from,
                w.from + t.offset_to,
                t.origin,
                t.kind,
            );
        }
        if let Some(hash) = hash {
            cache.insert(hash, lower, &tokens);
        }
    }

    /// The analysis of one word on its own: position 0, offsets relative to the word
    /// (`len` bytes in the source), normalised.
    fn word_tokens(&self, lower: &str, len: usize) -> Vec<AnalyzedToken> {
        let mut tokens = vec![AnalyzedToken {
            position: 0,
            text: lower.to_string(),
            offset_from: 0,
            offset_to: len,
            origin: Origin::Word,
            kind: FieldKind::Main,
        }];
        for stage in &self.chain.stages {
            stage.apply(lower, &mut tokens);
        }
        Normalize.apply(lower, &mut tokens);
        tokens
    }

    /// Append the terms of a word that the hyphen rule gave an extra token `extra`
    /// (rare: analysed without the cache), merged as the whole chain's [`Normalize`]
    /// orders them: the chain appends the hyphen rule's tokens after all words, compound
    /// parts after those and folded forms last, then sorts by position and field, stably.
    fn emit_with_extra(
        &self,
        text: &str,
        position: usize,
        lower: &str,
        w: &WordSpan,
        extra: AnalyzedToken,
        out: &mut Analysis,
    ) {
        let mut word = self.word_tokens(lower, w.to - w.from);
        for t in &mut word {
            t.position = position;
            t.offset_from += w.from;
            t.offset_to += w.from;
        }
        let mut added = vec![extra];
        for stage in &self.chain.stages {
            stage.apply(text, &mut added);
        }
        let of = |tokens: &[AnalyzedToken], pick: &dyn Fn(&AnalyzedToken) -> bool| {
            tokens
                .iter()
                .filter(|t| pick(t))
                .cloned()
                .collect::<Vec<_>>()
        };
        let suspended = |t: &AnalyzedToken| t.origin == Origin::SuspendedCompound;
        let mut group = Vec::with_capacity(word.len() + added.len());
        group.extend(of(&word, &|t| t.kind == FieldKind::Main));
        group.extend(of(&added, &|t| t.kind == FieldKind::Main));
        group.extend(of(&added, &|t| t.kind == FieldKind::Parts && suspended(t)));
        group.extend(of(&word, &|t| t.kind == FieldKind::Parts));
        group.extend(of(&added, &|t| t.kind == FieldKind::Parts && !suspended(t)));
        group.extend(of(&word, &|t| t.kind == FieldKind::Folded));
        group.extend(of(&added, &|t| t.kind == FieldKind::Folded));
        Normalize.apply(text, &mut group);
        for t in &group {
            out.push_token(t);
        }
    }

    /// The chain as it runs without the word cache: every stage over the whole token
    /// list. The reference the cached analysis is tested against.
    #[cfg(test)]
    fn analyze_uncached(&self, text: &str) -> Vec<AnalyzedToken> {
        let mut out = Vec::new();
        let mut position = 0;
        for (start, word) in text.split_word_bound_indices() {
            if !word.chars().any(char::is_alphanumeric) {
                continue;
            }
            out.push(AnalyzedToken {
                position,
                text: word.to_lowercase(),
                offset_from: start,
                offset_to: start + word.len(),
                origin: Origin::Word,
                kind: FieldKind::Main,
            });
            position += 1;
        }
        if let Some(h) = &self.chain.hyphens {
            h.apply(text, &mut out);
        }
        for stage in &self.chain.stages {
            stage.apply(text, &mut out);
        }
        Normalize.apply(text, &mut out);
        out
    }

    /// The main-field terms of `text` grouped by position, in order (for building
    /// queries): each group holds the word's term first, then any variants at its
    /// position.
    pub fn term_groups(&self, text: &str) -> Vec<(usize, Vec<String>)> {
        let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
        for t in self.analyze(text) {
            if t.kind != FieldKind::Main {
                continue;
            }
            match groups.last_mut() {
                Some((p, g)) if *p == t.position => g.push(t.text),
                _ => groups.push((t.position, vec![t.text])),
            }
        }
        groups
    }

    /// Split a query word into compound parts (stemmed), for meeting a compound written
    /// apart in the text ("näringslivs ranking" for `näringslivsranking`).
    pub fn compound_parts(&self, word: &str) -> Option<Vec<String>> {
        if !self.options.swedish_extras {
            return None;
        }
        let lower = word.to_lowercase();
        let parts = Lexicon::builtin().split(&lower)?;
        Some(
            parts
                .iter()
                .map(|p| {
                    let part = &lower[p.start..p.end];
                    let base = lemma::lemma(Lexicon::builtin(), part);
                    stem(base.as_deref().unwrap_or(part)).into_owned()
                })
                .collect(),
        )
    }
}

/// Splits `text` into words at Unicode word boundaries (UAX #29), keeping only segments
/// that hold a letter or digit, lowercased (into `words`, cleared first).
///
/// The full segmenter looks up every character's word-break class, and most of a report
/// is plain words between spaces. So the text is cut at ASCII whitespace where UAX #29
/// always has boundaries: before it (nothing joins a letter, digit or mark to a
/// following space), and after it when an ASCII character or a Latin-1 letter follows
/// (only Extend, Format and ZWJ attach backwards, WB4). A run of letters and digits is
/// one segment (WB5, WB8-WB10), also after dropping ASCII punctuation at its ends that
/// joins nothing there (a comma, period or colon only joins between letters or digits:
/// WB6-WB7, WB11-WB12); any other run goes through the segmenter. The unit tests compare
/// the result with the segmenter on the whole text.
fn segment(text: &str, words: &mut Words) {
    words.spans.clear();
    words.lower.clear();
    let b = text.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        let space = b[i..]
            .iter()
            .position(|&c| is_space(c))
            .map_or(b.len(), |p| i + p);
        let mut next = space;
        while next < b.len() && is_space(b[next]) {
            next += 1;
        }
        let clean = text[next..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii() || is_latin_letter(c));
        if clean {
            segment_run(text, start, space, words);
            start = next;
        }
        i = next;
    }
}

/// A Latin-1 letter (À-ÿ but × and ÷): word-break class ALetter, like a-z.
fn is_latin_letter(c: char) -> bool {
    ('\u{C0}'..='\u{FF}').contains(&c) && c != '×' && c != '÷'
}

/// The words of `text[from..to]`, a run that [`segment`] cut at boundaries.
fn segment_run(text: &str, from: usize, to: usize, words: &mut Words) {
    const LEAD: &[char] = &['(', '[', '"', '\''];
    const TRAIL: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '"', '\''];
    let run = &text[from..to];
    let core = run.trim_start_matches(LEAD);
    let lead = run.len() - core.len();
    let core = core.trim_end_matches(TRAIL);
    if core.is_empty() {
        return; // Punctuation only.
    }
    if core
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || is_latin_letter(c))
    {
        push_word(words, from + lead, core);
        return;
    }
    for (start, word) in run.split_word_bound_indices() {
        if word.chars().any(char::is_alphanumeric) {
            push_word(words, from + start, word);
        }
    }
}

/// Append a segment (at byte `start` of the text) and its lowercased form.
fn push_word(words: &mut Words, start: usize, word: &str) {
    let lower = if word.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        let at = words.lower.len();
        push_lowercase(word, &mut words.lower);
        at..words.lower.len()
    } else {
        0..0 // Already lowercase: the source itself.
    };
    words.spans.push(WordSpan {
        from: start,
        to: start + word.len(),
        lower,
    });
}

/// Append `word.to_lowercase()` to `buf` without a String of its own.
fn push_lowercase(word: &str, buf: &mut String) {
    if word.is_ascii() {
        buf.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else if word.contains('Σ') {
        // Final sigma depends on the context: std's rule.
        buf.push_str(&word.to_lowercase());
    } else {
        // What `str::to_lowercase` does for every other character.
        for c in word.chars() {
            buf.extend(c.to_lowercase());
        }
    }
}

/// An analysis in compact form: every term's text in one buffer, so that a text costs
/// no allocation per token (what the indexer's tokenizer reads; see
/// [`Analyzer::analyze_compact`]).
#[derive(Debug, Default, Clone)]
pub struct Analysis {
    arena: String,
    terms: Vec<Term>,
}

/// One token of an [`Analysis`]: an [`AnalyzedToken`] whose text lies in the arena.
#[derive(Debug, Clone, Copy)]
struct Term {
    position: usize,
    text_from: usize,
    text_to: usize,
    offset_from: usize,
    offset_to: usize,
    origin: Origin,
    kind: FieldKind,
}

impl Analysis {
    /// Empty it, keeping its buffers.
    pub fn clear(&mut self) {
        self.arena.clear();
        self.terms.clear();
    }

    /// Tokens held.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether it holds no token.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Append the tokens to `out` as [`AnalyzedToken`]s.
    pub fn to_tokens(&self, out: &mut Vec<AnalyzedToken>) {
        out.extend(self.terms.iter().map(|t| AnalyzedToken {
            position: t.position,
            text: self.text(t).to_string(),
            offset_from: t.offset_from,
            offset_to: t.offset_to,
            origin: t.origin,
            kind: t.kind,
        }));
    }

    fn text(&self, t: &Term) -> &str {
        &self.arena[t.text_from..t.text_to]
    }

    fn push(
        &mut self,
        position: usize,
        text: &str,
        offset_from: usize,
        offset_to: usize,
        origin: Origin,
        kind: FieldKind,
    ) {
        let text_from = self.arena.len();
        self.arena.push_str(text);
        self.terms.push(Term {
            position,
            text_from,
            text_to: self.arena.len(),
            offset_from,
            offset_to,
            origin,
            kind,
        });
    }

    fn push_token(&mut self, t: &AnalyzedToken) {
        self.push(
            t.position,
            &t.text,
            t.offset_from,
            t.offset_to,
            t.origin,
            t.kind,
        );
    }
}

/// The analyzer as a tantivy tokenizer for one field kind. The main, parts and folded
/// fields receive the same texts; each indexing thread keeps its last few analyses, so
/// a text is analysed once however many fields take it.
#[derive(Clone)]
pub struct SwedishTokenizer {
    analyzer: Analyzer,
    kind: FieldKind,
    token: tantivy::tokenizer::Token,
}

impl SwedishTokenizer {
    pub fn new(analyzer: Analyzer, kind: FieldKind) -> Self {
        SwedishTokenizer {
            analyzer,
            kind,
            token: tantivy::tokenizer::Token::default(),
        }
    }
}

/// Analyses kept per thread (title, body and a few item titles of one document).
const CACHE_ENTRIES: usize = 8;

/// A kept analysis: the analyzer's chain (by identity; weak, so that the thread does
/// not keep a dropped analyzer's word cache), the text, its analysis.
type Kept = (std::sync::Weak<Chain>, String, std::rc::Rc<Analysis>);

thread_local! {
    static CACHE: std::cell::RefCell<Vec<Kept>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl SwedishTokenizer {
    fn analysed(&self, text: &str) -> std::rc::Rc<Analysis> {
        let chain = Arc::as_ptr(&self.analyzer.chain);
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if let Some((_, _, tokens)) = cache
                .iter()
                .find(|(c, t, _)| std::ptr::eq(c.as_ptr(), chain) && t == text)
            {
                return tokens.clone();
            }
            let mut analysis = Analysis::default();
            self.analyzer.analyze_compact(text, &mut analysis);
            let tokens = std::rc::Rc::new(analysis);
            if cache.len() >= CACHE_ENTRIES {
                cache.remove(0);
            }
            // Huge texts are not kept: they would pin memory in every thread.
            if text.len() <= 1 << 16 {
                let weak = Arc::downgrade(&self.analyzer.chain);
                cache.push((weak, text.to_string(), tokens.clone()));
            }
            tokens
        })
    }
}

/// Token stream over an analysis, yielding one field kind.
pub struct SwedishTokenStream<'a> {
    tokens: std::rc::Rc<Analysis>,
    next: usize,
    kind: FieldKind,
    token: &'a mut tantivy::tokenizer::Token,
}

impl tantivy::tokenizer::Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = SwedishTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SwedishTokenStream<'a> {
        let tokens = self.analysed(text);
        self.token.reset();
        SwedishTokenStream {
            tokens,
            next: 0,
            kind: self.kind,
            token: &mut self.token,
        }
    }
}

impl tantivy::tokenizer::TokenStream for SwedishTokenStream<'_> {
    fn advance(&mut self) -> bool {
        while let Some(t) = self.tokens.terms.get(self.next) {
            self.next += 1;
            if t.kind != self.kind {
                continue;
            }
            self.token.offset_from = t.offset_from;
            self.token.offset_to = t.offset_to;
            self.token.position = t.position;
            self.token.position_length = 1;
            self.token.text.clear();
            self.token.text.push_str(self.tokens.text(t));
            return true;
        }
        false
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.token
    }
}

/// The tantivy analyzer name for a field kind.
pub fn analyzer_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Main => ANALYZER_NAME,
        FieldKind::Parts => "sv_parts",
        FieldKind::Folded => "sv_folded",
    }
}

/// Register the Swedish analyzers on an index. Call after every create and open.
pub fn register(index: &tantivy::Index, analyzer: &Analyzer) {
    for kind in [FieldKind::Main, FieldKind::Parts, FieldKind::Folded] {
        index.tokenizers().register(
            analyzer_name(kind),
            tantivy::tokenizer::TextAnalyzer::from(SwedishTokenizer::new(analyzer.clone(), kind)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn main_texts(s: &str) -> Vec<String> {
        Analyzer::default()
            .analyze(s)
            .into_iter()
            .filter(|t| t.kind == FieldKind::Main)
            .map(|t| t.text)
            .collect()
    }

    fn kind_texts(s: &str, kind: FieldKind) -> Vec<String> {
        Analyzer::default()
            .analyze(s)
            .into_iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn segments_lowercases_and_stems() {
        assert_eq!(
            main_texts("Uppdragen är inte genomförda under året."),
            ["uppdrag", "är", "int", "genomförd", "und", "året"]
        );
        // The current Snowball algorithm, not rust-stemmers' older one.
        assert_eq!(main_texts("Uppdraget arbetet"), ["uppdrag", "arbet"]);
        assert_eq!(main_texts("Psykisk ohälsa"), ["psykisk", "ohäls"]);
        assert_eq!(main_texts("psykiska"), ["psykisk"]);
    }

    #[test]
    fn definite_forms_add_their_base() {
        let toks = Analyzer::default().analyze("ohälsan kvinnans plan");
        let got: Vec<(usize, &str, Origin)> = toks
            .iter()
            .filter(|t| t.kind == FieldKind::Main)
            .map(|t| (t.position, t.text.as_str(), t.origin))
            .collect();
        assert_eq!(
            got,
            [
                (0, "ohälsan", Origin::Word),
                (0, "ohäls", Origin::Inflection),
                (1, "kvinn", Origin::Lemma),
                (2, "plan", Origin::Word),
            ]
        );
        let g = Analyzer::default().term_groups("psykiska ohälsan");
        assert_eq!(g[1], (1, vec!["ohälsan".to_string(), "ohäls".to_string()]));
    }

    #[test]
    fn compound_parts_go_to_the_parts_field_with_their_offsets() {
        let text = "Utred hur en klimatbudget ska utformas";
        let toks = Analyzer::default().analyze(text);
        let parts: Vec<(&str, &str)> = toks
            .iter()
            .filter(|t| t.kind == FieldKind::Parts)
            .map(|t| (t.text.as_str(), &text[t.offset_from..t.offset_to]))
            .collect();
        assert_eq!(parts, [("klim", "klimat"), ("budget", "budget")]);
        assert!(main_texts(text).contains(&"klimatbudget".to_string()));
        let parts = kind_texts("resursfördelningsmodellen", FieldKind::Parts);
        for want in ["resur", "fördelning", "modell", "resursfördelning"] {
            assert!(parts.contains(&want.to_string()), "{want} not in {parts:?}");
        }
    }

    #[test]
    fn folded_forms() {
        assert_eq!(
            kind_texts("ohälsa förebygga", FieldKind::Folded),
            ["ohals", "forebygg"]
        );
        assert!(kind_texts("budget", FieldKind::Folded).is_empty());
        assert_eq!(fold("ohäls").as_deref(), Some("ohals"));
    }

    #[test]
    fn baseline_is_plain_snowball() {
        let a = Analyzer::new(AnalyzerOptions::baseline());
        let toks = a.analyze("klimatbudget ohälsan arbetsmarknads- politiken");
        assert!(toks.iter().all(|t| t.kind == FieldKind::Main));
        let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            ["klimatbudget", "ohälsan", "arbetsmarknad", "politik"]
        );
    }

    #[test]
    fn stop_words_can_be_dropped_keeping_positions() {
        let a = Analyzer::new(AnalyzerOptions {
            stop_words: true,
            ..AnalyzerOptions::default()
        });
        let toks: Vec<(usize, String)> = a
            .analyze("mål och budget")
            .into_iter()
            .filter(|t| t.kind == FieldKind::Main)
            .map(|t| (t.position, t.text))
            .collect();
        assert_eq!(toks, [(0, "mål".to_string()), (2, "budget".to_string())]);
        assert_eq!(main_texts("mål och budget").len(), 3);
    }

    #[test]
    fn numbers_stay_searchable() {
        assert_eq!(
            main_texts("15 400 000 kr 2023"),
            ["15", "400", "000", "kr", "2023"]
        );
        let toks = Analyzer::default().analyze("drygt 15 400 000 kr");
        let positions: Vec<usize> = toks.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn offsets_point_at_the_source_word() {
        let text = "Öka barns välbefinnande";
        let toks: Vec<AnalyzedToken> = Analyzer::default()
            .analyze(text)
            .into_iter()
            .filter(|t| t.kind == FieldKind::Main)
            .collect();
        for t in &toks {
            let word = &text[t.offset_from..t.offset_to];
            let first = t.text.chars().next().unwrap();
            assert!(word.to_lowercase().starts_with(first), "{word} {t:?}");
        }
        assert_eq!(
            &text[toks[2].offset_from..toks[2].offset_to],
            "välbefinnande"
        );
    }

    /// Issue 14: a compound whose modifier is unknown keeps its head in the parts
    /// field, and an explicit hyphen separates words; inflections meet their base.
    #[test]
    fn unknown_compounds_keep_their_head() {
        for (text, head) in [
            ("padelhallen", "hall"),
            ("multifunktionsarenan", "aren"),
            ("ishallen", "hall"),
        ] {
            let parts = kind_texts(text, FieldKind::Parts);
            assert!(parts.contains(&head.to_string()), "{text}: {parts:?}");
            assert_eq!(main_texts(head), [head], "{head}");
        }
        assert!(main_texts("Digiresan-projektet").contains(&main_texts("projekt")[0]));
        // Derived words are not compounds: no head after a prefix, none of 4 letters.
        for text in ["utformas", "utvecklade", "kommunstyrelsen", "uppdraget"] {
            assert_eq!(
                kind_texts(text, FieldKind::Parts),
                Vec::<String>::new(),
                "{text}"
            );
        }
    }

    /// Issue 14: every form of a word is one index term, in words and compound parts.
    #[test]
    fn inflections_share_one_term() {
        for group in [
            &["resultat", "resultatet", "resultaten", "resultats"][..],
            &["projekt", "projektet", "projekten"],
            &["bostad", "bostäder", "bostäderna"],
            &["stad", "städer"],
        ] {
            let terms: Vec<Vec<String>> = group.iter().map(|w| main_texts(w)).collect();
            assert!(terms.iter().all(|t| t == &terms[0]), "{group:?}: {terms:?}");
        }
        let parts = kind_texts("forskningsprojektet", FieldKind::Parts);
        assert!(parts.contains(&main_texts("projekt")[0]), "{parts:?}");
    }

    #[test]
    fn origin_marks_stems() {
        let toks = Analyzer::default().analyze("utvecklade kommunen KS");
        assert_eq!(toks[0].origin, Origin::Stem);
        let main: Vec<_> = toks.iter().filter(|t| t.kind == FieldKind::Main).collect();
        assert_eq!(
            (main[1].text.as_str(), main[1].origin),
            ("kommun", Origin::Lemma)
        );
        let ks = toks.iter().find(|t| t.text == "ks").unwrap();
        assert_eq!(ks.origin, Origin::Word);
    }

    #[test]
    fn no_bundled_word_is_dropped() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ostersund");
        let opts = AnalyzerOptions {
            stem: false,
            swedish_extras: false,
            compound_parts: false,
            stop_words: false,
            max_token_bytes: usize::MAX,
        };
        let unlimited = Analyzer::new(opts);
        let limited = Analyzer::new(AnalyzerOptions {
            max_token_bytes: MAX_TOKEN_BYTES,
            ..opts
        });
        let mut longest = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let all = unlimited.analyze(&text);
            longest = longest.max(all.iter().map(|t| t.text.len()).max().unwrap_or(0));
            assert_eq!(all.len(), limited.analyze(&text).len());
        }
        assert_eq!(longest, "planeringsförutsättningarna".len());
        assert!(longest * 4 <= MAX_TOKEN_BYTES);
    }

    /// Every UTF-8 text file under `dir`, recursively.
    fn texts_under(dir: &str, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                texts_under(path.to_str().unwrap(), out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(text);
            }
        }
    }

    /// The chain variants the program builds, and two that stress the cache's edges.
    fn all_options() -> Vec<AnalyzerOptions> {
        let d = AnalyzerOptions::default();
        vec![
            d,
            d.for_highlighting(),
            AnalyzerOptions::baseline(),
            AnalyzerOptions {
                stop_words: true,
                ..d
            },
            AnalyzerOptions {
                max_token_bytes: 9,
                ..d
            },
            AnalyzerOptions {
                max_token_bytes: usize::MAX,
                ..d
            },
        ]
    }

    /// The word cache's contract: the cached analysis is exactly the whole chain's, on
    /// the bundled corpus, the judged corpus and the parser's fixtures, the first time
    /// (words analysed and cached) and the second (words from the cache).
    #[test]
    fn cached_analysis_equals_the_chain() {
        let mut texts = Vec::new();
        for dir in ["corpus", "tests/relevance/corpus", "tests/fixtures"] {
            texts_under(&format!("{}/{dir}", env!("CARGO_MANIFEST_DIR")), &mut texts);
        }
        assert!(texts.len() >= 20, "{} texts", texts.len());
        for options in all_options() {
            let a = Analyzer::new(options);
            for text in &texts {
                let want = a.analyze_uncached(text);
                for run in ["first", "cached"] {
                    assert!(a.analyze(text) == want, "{options:?}, {run} run of {text}");
                }
            }
            assert!(a.chain.cache.len() > 1000, "{options:?}: words cached");
        }
    }

    /// A full cache stops taking words and still analyses them exactly.
    #[test]
    fn a_full_cache_stays_exact() {
        let text = "Uppdraget om klimatbudget och ohälsan genomfördes 2023; ÅRETS resultat.";
        for limit in [0, 300] {
            let a = Analyzer::with_cache_limit(AnalyzerOptions::default(), limit);
            let want = a.analyze_uncached(text);
            assert_eq!(a.analyze(text), want);
            assert_eq!(a.analyze(text), want);
            assert!(a.chain.cache.len() < if limit == 0 { 1 } else { 8 });
        }
        // Clones share one cache.
        let a = Analyzer::default();
        a.clone().analyze(text);
        assert_eq!(a.chain.cache.len(), 9);
    }

    /// The tokenizer yields each field's share of the compact analysis.
    #[test]
    fn the_tokenizer_yields_the_analysis() {
        use tantivy::tokenizer::{TokenStream, Tokenizer};
        let text = "Risk- och hållbarhetsanalysen av arbetsmarknads-\npolitiken, ÖVERSYN";
        let a = Analyzer::default();
        let want = a.analyze_uncached(text);
        for kind in [FieldKind::Main, FieldKind::Parts, FieldKind::Folded] {
            let mut tokenizer = SwedishTokenizer::new(a.clone(), kind);
            let mut stream = tokenizer.token_stream(text);
            let mut got = Vec::new();
            while stream.advance() {
                let t = stream.token();
                got.push((t.position, t.text.clone(), t.offset_from, t.offset_to));
            }
            let want: Vec<_> = want
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| (t.position, t.text.clone(), t.offset_from, t.offset_to))
                .collect();
            assert!(!want.is_empty());
            assert_eq!(got, want, "{kind:?}");
        }
    }

    mod cache_exactness {
        use super::super::*;
        use proptest::prelude::*;

        /// Pieces of Swedish report text that exercise the chain: hyphens (broken words,
        /// suspended compounds, names), conjunctions, compounds, definite forms, å/ä/ö,
        /// digits, case that changes byte length (with twins whose lowercase is the same
        /// text: "\u{212A}elvin" and "Kelvin"), final sigma, overlong tokens.
        const PIECES: &[&str] = &[
            "risk",
            "och",
            "samt",
            "hållbarhetsanalys",
            "arbetsmarknads",
            "politiken",
            "Social",
            "arbetsmarknadsnämnden",
            "klimatbudget",
            "resursfördelningsmodellen",
            "ohälsan",
            "kvinnans",
            "Uppdraget",
            "bostäder",
            "padelhallen",
            "ÅÄÖ",
            "året",
            "Östersund",
            "UF",
            "företag",
            "Jämtland",
            "Härjedalen",
            "2023",
            "15",
            "T1",
            "İstanbul",
            "i\u{307}stanbul",
            "ΣΟΦΟΣ",
            "\u{212A}elvin",
            "Kelvin",
            "x1y2",
            "e-post",
            "planeringsförutsättningarna",
            "arbetsmarknadsförvaltningsövergripandeutvecklingsinsatserna",
            "t.ex.",
            "S:t",
            "15,5",
            "(KS)",
            "\"citat\"",
            "it's",
            "[2]",
            "snake_case",
            "ord_",
            "_",
            "ß",
            "×",
            "Ÿ",
            "\u{301}",
            "\u{903}",
            "\u{200D}",
            "\u{3000}",
            "\u{1F1F8}\u{1F1EA}",
            "a\u{AD}b",
            "...",
            "(",
            ")",
            "'",
            "½",
            "١٢",
        ];
        const GAPS: &[&str] = &[
            " ",
            "- ",
            "-\n",
            "\u{00AD} ",
            "\u{2010}\n",
            "-",
            "\n",
            ", ",
            ". ",
            "  ",
            "/",
            "",
            "\t",
            "\r\n",
            " \u{301}",
            " \u{903}",
            "\u{3000}",
            ": ",
            "' ",
            ".",
            ",",
            ":",
            "'",
        ];

        fn text() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                8 => prop::sample::select(PIECES).prop_map(str::to_string),
                1 => "[a-zåäöA-ZÅÄÖ]{1,12}",
                1 => "x{100,140}",
                1 => "\\PC{1,6}",
            ];
            prop::collection::vec((piece, prop::sample::select(GAPS)), 0..14).prop_map(|v| {
                v.into_iter()
                    .map(|(p, g)| format!("{p}{g}"))
                    .collect::<String>()
            })
        }

        fn analyzers() -> &'static [Analyzer] {
            static ALL: std::sync::OnceLock<Vec<Analyzer>> = std::sync::OnceLock::new();
            ALL.get_or_init(|| {
                super::all_options()
                    .into_iter()
                    .map(Analyzer::new)
                    .collect()
            })
        }

        proptest! {
            #[test]
            fn cached_equals_uncached(text in text()) {
                // One analyzer per chain across all cases: later cases hit words that
                // earlier ones cached, in other contexts.
                for a in analyzers() {
                    let want = a.analyze_uncached(&text);
                    prop_assert_eq!(&a.analyze(&text), &want, "{:?}", a.options());
                    prop_assert_eq!(&a.analyze(&text), &want, "{:?} cached", a.options());
                }
            }
        }
    }

    #[test]
    fn long_compounds_survive() {
        let word = "arbetsmarknadsförvaltningsövergripandeutvecklingsinsatserna";
        assert!(word.len() > 60);
        assert_eq!(main_texts(word).len(), 1);
        assert!(main_texts(&"x".repeat(MAX_TOKEN_BYTES + 1)).is_empty());
    }
}
