//! Swedish text analysis: the one chain that turns text into index terms, used by the
//! indexer, the query builder, the passage highlighter and `rapportsok analyze` alike.
//!
//! The chain is a list of [`Stage`]s over a token buffer, so later stages (compound
//! parts, folded forms, repaired hyphens) can add tokens at the same position without
//! touching the others. Every token keeps exact byte offsets into the analysed text, so
//! highlights land on the original words. Register it on every index open with
//! [`register`]: tantivy does not store custom analyzers with the index.

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
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

/// What produced a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The word itself, lowercased (stemming did not change it).
    Word,
    /// The Snowball stem of the word.
    Stem,
    /// The stem of the word's base form, added beside it: a definite form in -an/-ans
    /// ("ohälsan" -> "ohälsa" -> "ohäls"), which Snowball leaves whole.
    Inflection,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Word => "word",
            Origin::Stem => "stem",
            Origin::Inflection => "inflection",
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
    /// Byte range of the source word in the analysed text.
    pub offset_from: usize,
    pub offset_to: usize,
    pub origin: Origin,
}

/// A step of the analysis chain: reads and rewrites the token buffer.
pub trait Stage: Send + Sync {
    fn apply(&self, text: &str, tokens: &mut Vec<AnalyzedToken>);
}

/// Lowercases every token (the segmenter already lowercases; kept for chains built from
/// other segmenters).
struct LowerCase;

impl Stage for LowerCase {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        for t in tokens.iter_mut() {
            if t.text.chars().any(char::is_uppercase) {
                t.text = t.text.to_lowercase();
            }
        }
    }
}

/// Drops tokens longer than a byte limit.
struct RemoveLong(usize);

impl Stage for RemoveLong {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        tokens.retain(|t| t.text.len() <= self.0);
    }
}

/// Swedish Snowball stemming (the reference algorithm, via rust-stemmers).
struct SnowballStem(Stemmer);

impl Stage for SnowballStem {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        for t in tokens.iter_mut() {
            if t.text.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let stemmed = self.0.stem(&t.text);
            if stemmed != t.text.as_str() {
                t.text = stemmed.into_owned();
                if t.origin == Origin::Word {
                    t.origin = Origin::Stem;
                }
            }
        }
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
            let base = definite_base(&t.text).map(str::to_string);
            let (position, from, to) = (t.position, t.offset_from, t.offset_to);
            out.push(t);
            if let Some(base) = base {
                out.push(AnalyzedToken {
                    position,
                    text: base,
                    offset_from: from,
                    offset_to: to,
                    origin: Origin::Inflection,
                });
            }
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

/// Drops a token identical to the one before it at the same position (a base form
/// that stems like the word itself).
struct Dedup;

impl Stage for Dedup {
    fn apply(&self, _text: &str, tokens: &mut Vec<AnalyzedToken>) {
        tokens.dedup_by(|b, a| a.position == b.position && a.text == b.text);
    }
}

/// Analysis options; [`AnalyzerOptions::default`] is what the index uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalyzerOptions {
    pub stem: bool,
    pub max_token_bytes: usize,
}

impl Default for AnalyzerOptions {
    fn default() -> Self {
        AnalyzerOptions {
            stem: true,
            max_token_bytes: MAX_TOKEN_BYTES,
        }
    }
}

/// The Swedish analysis chain.
#[derive(Clone)]
pub struct Analyzer {
    stages: Arc<Vec<Box<dyn Stage>>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Analyzer({} stages)", self.stages.len())
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new(AnalyzerOptions::default())
    }
}

impl Analyzer {
    pub fn new(options: AnalyzerOptions) -> Analyzer {
        let mut stages: Vec<Box<dyn Stage>> = vec![
            Box::new(LowerCase),
            Box::new(RemoveLong(options.max_token_bytes)),
        ];
        if options.stem {
            stages.push(Box::new(DefiniteForms));
            stages.push(Box::new(SnowballStem(Stemmer::create(Algorithm::Swedish))));
            stages.push(Box::new(Dedup));
        }
        Analyzer {
            stages: Arc::new(stages),
        }
    }

    /// Analyse `text` into `out` (cleared first), reusing its allocation.
    pub fn analyze_into(&self, text: &str, out: &mut Vec<AnalyzedToken>) {
        out.clear();
        segment(text, out);
        for stage in self.stages.iter() {
            stage.apply(text, out);
        }
    }

    /// Analyse `text` into a fresh token list.
    pub fn analyze(&self, text: &str) -> Vec<AnalyzedToken> {
        let mut out = Vec::new();
        self.analyze_into(text, &mut out);
        out
    }

    /// The index terms of `text` grouped by position, in order (for building queries):
    /// each group holds the word's term first, then any variants at its position.
    pub fn term_groups(&self, text: &str) -> Vec<(usize, Vec<String>)> {
        let mut groups: Vec<(usize, Vec<String>)> = Vec::new();
        for t in self.analyze(text) {
            match groups.last_mut() {
                Some((p, g)) if *p == t.position => g.push(t.text),
                _ => groups.push((t.position, vec![t.text])),
            }
        }
        groups
    }
}

/// Splits `text` into words at Unicode word boundaries (UAX #29), keeping only segments
/// that hold a letter or digit, lowercased.
fn segment(text: &str, out: &mut Vec<AnalyzedToken>) {
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
        });
        position += 1;
    }
}

/// The analyzer as a tantivy tokenizer.
#[derive(Clone)]
pub struct SwedishTokenizer {
    analyzer: Analyzer,
    buffer: Vec<AnalyzedToken>,
    token: tantivy::tokenizer::Token,
}

impl SwedishTokenizer {
    pub fn new(analyzer: Analyzer) -> Self {
        SwedishTokenizer {
            analyzer,
            buffer: Vec::new(),
            token: tantivy::tokenizer::Token::default(),
        }
    }
}

/// Token stream over the analysed buffer.
pub struct SwedishTokenStream<'a> {
    tokens: std::slice::Iter<'a, AnalyzedToken>,
    token: &'a mut tantivy::tokenizer::Token,
}

impl tantivy::tokenizer::Tokenizer for SwedishTokenizer {
    type TokenStream<'a> = SwedishTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> SwedishTokenStream<'a> {
        self.analyzer.analyze_into(text, &mut self.buffer);
        self.token.reset();
        SwedishTokenStream {
            tokens: self.buffer.iter(),
            token: &mut self.token,
        }
    }
}

impl tantivy::tokenizer::TokenStream for SwedishTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token.offset_from = t.offset_from;
                self.token.offset_to = t.offset_to;
                self.token.position = t.position;
                self.token.position_length = 1;
                self.token.text.clear();
                self.token.text.push_str(&t.text);
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.token
    }
}

/// Register the Swedish analyzer on an index. Call after every create and open.
pub fn register(index: &tantivy::Index, analyzer: &Analyzer) {
    index.tokenizers().register(
        ANALYZER_NAME,
        tantivy::tokenizer::TextAnalyzer::from(SwedishTokenizer::new(analyzer.clone())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        Analyzer::default()
            .analyze(s)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn segments_lowercases_and_stems() {
        assert_eq!(
            texts("Uppdragen är inte genomförda under året."),
            ["uppdrag", "är", "int", "genomförd", "und", "året"]
        );
        assert_eq!(texts("Psykisk ohälsa"), ["psykisk", "ohäls"]);
        assert_eq!(texts("psykiska"), ["psykisk"]);
    }

    #[test]
    fn definite_forms_add_their_base() {
        let toks = Analyzer::default().analyze("ohälsan kvinnans plan");
        let got: Vec<(usize, &str, Origin)> = toks
            .iter()
            .map(|t| (t.position, t.text.as_str(), t.origin))
            .collect();
        assert_eq!(
            got,
            [
                (0, "ohälsan", Origin::Word),
                (0, "ohäls", Origin::Inflection),
                (1, "kvinnan", Origin::Stem),
                (1, "kvinn", Origin::Inflection),
                (2, "plan", Origin::Word),
            ]
        );
        let g = Analyzer::default().term_groups("psykiska ohälsan");
        assert_eq!(g[1], (1, vec!["ohälsan".to_string(), "ohäls".to_string()]));
    }

    #[test]
    fn numbers_stay_searchable() {
        assert_eq!(
            texts("15 400 000 kr 2023"),
            ["15", "400", "000", "kr", "2023"]
        );
        let toks = Analyzer::default().analyze("drygt 15 400 000 kr");
        let positions: Vec<usize> = toks.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn offsets_point_at_the_source_word() {
        let text = "Öka barns välbefinnande";
        for t in Analyzer::default().analyze(text) {
            let word = &text[t.offset_from..t.offset_to];
            let first = t.text.chars().next().unwrap();
            assert!(word.to_lowercase().starts_with(first), "{word} {t:?}");
        }
        let toks = Analyzer::default().analyze(text);
        assert_eq!(
            &text[toks[2].offset_from..toks[2].offset_to],
            "välbefinnande"
        );
    }

    #[test]
    fn origin_marks_stems() {
        let toks = Analyzer::default().analyze("kommunen KS");
        assert_eq!(toks[0].origin, Origin::Stem);
        assert_eq!(toks[1].origin, Origin::Word);
        assert_eq!(toks[1].text, "ks");
    }

    #[test]
    fn no_bundled_word_is_dropped() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ostersund");
        let unlimited = Analyzer::new(AnalyzerOptions {
            stem: false,
            max_token_bytes: usize::MAX,
        });
        let limited = Analyzer::new(AnalyzerOptions {
            stem: false,
            ..AnalyzerOptions::default()
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

    #[test]
    fn long_compounds_survive() {
        let word = "arbetsmarknadsförvaltningsövergripandeutvecklingsinsatserna";
        assert!(word.len() > 60);
        assert_eq!(texts(word).len(), 1);
        assert!(texts(&"x".repeat(MAX_TOKEN_BYTES + 1)).is_empty());
    }
}
