//! The properties that the fuzz targets check, shared with the property tests
//! (`tests/hostile.rs` includes this file with `#[path]`), so the same checks run on
//! stable in every `cargo test` and under libFuzzer with `cargo +nightly fuzz run`.
//!
//! - [`parser`]: any bytes, decoded as the indexer decodes a corpus file, then parsed:
//!   never a panic, and the documents are well formed.
//! - [`query`]: any string as a query against a small in-memory index of the bundled
//!   corpus: results or a one-line query error, never a panic.

#![allow(dead_code)]

use rapportsok::parser::{self, Parsed};
use rapportsok::searcher::{Request, SearchError, Searcher};

/// The bundled corpus, the seed of the in-memory index and of mutated report texts.
pub const CORPUS: &[(&str, &str)] = &[
    (
        "ostersund/2021-T3.txt",
        include_str!("../corpus/ostersund/2021-T3.txt"),
    ),
    (
        "ostersund/2022-T1.txt",
        include_str!("../corpus/ostersund/2022-T1.txt"),
    ),
    (
        "ostersund/2022-T3.txt",
        include_str!("../corpus/ostersund/2022-T3.txt"),
    ),
    (
        "ostersund/2023-T3.txt",
        include_str!("../corpus/ostersund/2023-T3.txt"),
    ),
    (
        "ostersund/mal-1.txt",
        include_str!("../corpus/ostersund/mal-1.txt"),
    ),
];

/// Decode `bytes` like a corpus file and parse them; panics if a property fails.
pub fn parser(bytes: &[u8]) {
    let mut warnings = Vec::new();
    let Some(text) = rapportsok::indexer::corpus::decode("k/fuzz.txt", bytes, &mut warnings) else {
        return;
    };
    parsed_text("k/fuzz.txt", &text);
}

/// Parse `text` and check what came out; returns it.
pub fn parsed_text(rel: &str, text: &str) -> Parsed {
    let parsed = parser::parse_file(rel, text);
    // Lines end at \n, \r\n or a lone \r, as the parser counts them.
    let lines = parser::normalize::count_breaks(text) + 1;
    for (i, d) in parsed.documents.iter().enumerate() {
        assert_eq!(d.id, format!("{rel}#{}", i + 1));
        assert_eq!(d.file, rel);
        assert!(d.line >= 1 && d.line <= lines, "line {} of {lines}", d.line);
        assert_eq!(d.municipality.as_deref(), Some("k"));
    }
    for w in &parsed.warnings {
        assert_eq!(w.file, rel);
        assert!(w.line <= lines, "warning on line {} of {lines}", w.line);
        assert!(
            !w.message.contains('\n'),
            "one-line warning: {:?}",
            w.message
        );
    }
    parsed
}

/// A searcher over an in-memory index of [`CORPUS`].
pub fn searcher() -> Searcher {
    use rapportsok::analyzer::{self, Analyzer};
    use rapportsok::schema::Fields;
    let fields = Fields::new();
    let index = tantivy::Index::create_in_ram(fields.schema.clone());
    let analyzer = Analyzer::default();
    analyzer::register(&index, &analyzer);
    let mut writer: tantivy::IndexWriter = index.writer(15_000_000).expect("writer");
    for (rel, text) in CORPUS {
        for doc in parser::parse_file(rel, text).documents {
            writer.add_document(fields.to_tantivy(&doc)).expect("add");
        }
    }
    writer.commit().expect("commit");
    Searcher::from_index(index, "fuzz".into(), None).expect("searcher")
}

/// Run `query` through the query parser and the searcher; panics if a property fails.
/// Returns the number of hits, or `None` for a query error.
pub fn query(searcher: &Searcher, query: &str) -> Option<usize> {
    let parsed = rapportsok::searcher::query::parse(query);
    if let Err(e) = &parsed {
        let chars = query.chars().count();
        assert!(
            e.column >= 1 && e.column <= chars + 1,
            "{e} in {chars} chars"
        );
        assert!(!e.to_string().contains('\n'), "one-line error: {e}");
    }
    match searcher.search(&Request::new(query)) {
        Ok(r) => {
            assert!(parsed.is_ok(), "searched a query the parser refused");
            assert!(r.hits.len() <= 10 && r.hits.len() <= r.total);
            for h in &r.hits {
                for p in &h.passages {
                    for [s, e] in &p.highlights {
                        assert!(s <= e && *e <= p.text.len());
                        assert!(p.text.is_char_boundary(*s) && p.text.is_char_boundary(*e));
                    }
                }
            }
            Some(r.total)
        }
        Err(SearchError::Query(e)) => {
            assert_eq!(parsed.err(), Some(e));
            None
        }
        Err(e) => panic!("query {query:?}: not a query error: {e}"),
    }
}
