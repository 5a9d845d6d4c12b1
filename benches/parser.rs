//! Parser throughput on the bundled corpus: every file read once, parsed on each iteration.
//! Asserts the bundled corpus's 36 documents so a broken parser cannot look fast.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rapportsok::indexer::corpus;
use std::path::Path;

fn bundled() -> Vec<(String, String)> {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let (files, _) = corpus::walk(root, &[]);
    files
        .into_iter()
        .map(|f| {
            (
                f.rel,
                std::fs::read_to_string(&f.path).expect("bundled file"),
            )
        })
        .collect()
}

fn parse_all(files: &[(String, String)]) -> usize {
    files
        .iter()
        .map(|(rel, text)| rapportsok::parser::parse_file(rel, text).documents.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let files = bundled();
    assert_eq!(parse_all(&files), 36, "documents in the bundled corpus");
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut g = c.benchmark_group("parser");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bundled_corpus", |b| b.iter(|| parse_all(&files)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
