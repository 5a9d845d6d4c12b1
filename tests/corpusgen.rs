//! The scale generator (`benches/corpusgen`) at a small scale: what it writes is really
//! parsed and indexed, document for document, and it is deterministic from its seed.

#[path = "../benches/corpusgen/mod.rs"]
mod generator;

use generator::{Config, WordSource};
use rapportsok::indexer::{build, BuildOptions, NoProgress};
use std::path::Path;

fn small(seed: u64) -> Config {
    let mut cfg = Config::new(3, 2021, 2022, seed);
    // The bundled corpus alone, as on a fresh clone without wswedish.
    cfg.words = WordSource::Bundled;
    cfg.vocabulary = 20_000;
    cfg
}

fn read_all(root: &Path) -> Vec<(String, String)> {
    let (files, _) = rapportsok::indexer::corpus::walk(root, &[]);
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f.path).unwrap();
            (f.rel, text)
        })
        .collect()
}

#[test]
fn generated_reports_parse_and_index_as_generated() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    let summary = generator::generate(&small(7), &corpus).unwrap();
    // 3 municipalities x 2 years: three T-reports and at least one goal page each.
    assert!(summary.files >= 3 * 2 * 4, "{summary:?}");
    assert!(summary.assignments >= 3 * 2 * 50, "{summary:?}");
    assert!(summary.goal_sections >= 3 * 2 * 3, "{summary:?}");

    // The parser sees exactly what the generator wrote, with no warnings.
    let mut assignments = 0;
    let mut sections = 0;
    for (rel, text) in read_all(&corpus) {
        let parsed = rapportsok::parser::parse_file(&rel, &text);
        assert!(parsed.warnings.is_empty(), "{rel}: {:?}", parsed.warnings);
        for d in &parsed.documents {
            match d.kind {
                rapportsok::model::Kind::Uppdrag => {
                    assignments += 1;
                    assert!(d.status.is_some(), "{}: no status", d.id);
                    assert!(!d.committees.is_empty(), "{}: no committee", d.id);
                    assert!(d.year.is_some() && d.tertial.is_some(), "{}", d.id);
                }
                rapportsok::model::Kind::Mal => sections += 1,
                rapportsok::model::Kind::Text => panic!("{rel} parsed as plain text"),
            }
        }
    }
    assert_eq!(assignments, summary.assignments);
    assert_eq!(sections, summary.goal_sections);

    // And the library indexes every one of them.
    let index = tmp.path().join("index");
    let report = build(&BuildOptions::new(&corpus, &index), &NoProgress).unwrap();
    assert_eq!(report.info.documents, summary.documents());
    assert_eq!(report.info.files, summary.files);
    assert!(report.phases.parse_secs > 0.0 && report.phases.commit_secs > 0.0);
}

#[test]
fn same_seed_same_corpus_other_seed_other_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let a = generator::generate(&small(1), &tmp.path().join("a")).unwrap();
    let b = generator::generate(&small(1), &tmp.path().join("b")).unwrap();
    let c = generator::generate(&small(2), &tmp.path().join("c")).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        read_all(&tmp.path().join("a")),
        read_all(&tmp.path().join("b"))
    );
    assert_ne!(
        read_all(&tmp.path().join("a")),
        read_all(&tmp.path().join("c"))
    );
    assert_ne!(a.bytes, c.bytes);
}

#[test]
fn vocabulary_reaches_its_size_from_the_bundled_corpus_alone() {
    let mut rng = generator::Rng::new(3);
    let v = generator::Vocabulary::build(&WordSource::Bundled, 200_000, &mut rng).unwrap();
    assert_eq!(v.words.len(), 200_000);
    let distinct: std::collections::HashSet<&String> = v.words.iter().collect();
    assert_eq!(distinct.len(), v.words.len());
    // The most frequent words of the bundled corpus lead the ranking.
    assert!(
        v.words[..10].iter().any(|w| w == "och"),
        "{:?}",
        &v.words[..10]
    );
}
