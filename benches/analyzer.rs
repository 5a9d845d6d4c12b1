//! Analyzer throughput: the Swedish chain over the whole bundled corpus as one text,
//! with every word new to the analyzer (`analyze_cold`) and with every word in its word
//! cache (the others; `analyze_compact_cached` is the index build's hit path).
//! Asserts the token count so a chain that drops tokens cannot look fast.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use rapportsok::analyzer::{Analysis, AnalyzedToken, Analyzer};
use std::path::Path;

/// Tokens the default chain makes of the bundled corpus (words, stems and added forms:
/// folded forms, compound parts). It was 3,231 before those forms were added and went
/// stale unnoticed while CI did not run the benches; `.ci/run` runs them in test mode now.
/// 5,064 before issue 14; lemmas and the heads of unknown compounds add 182.
const TOKENS: usize = 5246;

fn bundled_text() -> String {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let (files, _) = rapportsok::indexer::corpus::walk(root, &[]);
    files
        .iter()
        .map(|f| std::fs::read_to_string(&f.path).expect("bundled file"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn bench(c: &mut Criterion) {
    let text = bundled_text();
    let analyzer = Analyzer::default();
    assert_eq!(
        analyzer.analyze(&text).len(),
        TOKENS,
        "tokens of the bundled corpus"
    );
    let mut g = c.benchmark_group("analyzer");
    g.throughput(Throughput::Bytes(text.len() as u64));
    // A fresh analyzer each time: every distinct word goes through the whole chain.
    g.bench_function("analyze_cold", |b| {
        b.iter_batched(
            Analyzer::default,
            |fresh| fresh.analyze(&text).len(),
            BatchSize::SmallInput,
        )
    });
    // From here on every word of the text is in `analyzer`'s cache.
    let mut analysis = Analysis::default();
    analyzer.analyze_compact(&text, &mut analysis);
    assert_eq!(
        analysis.len(),
        TOKENS,
        "cached tokens of the bundled corpus"
    );
    g.bench_function("analyze_compact_cached", |b| {
        b.iter(|| {
            analyzer.analyze_compact(&text, &mut analysis);
            analysis.len()
        })
    });
    g.bench_function("analyze", |b| b.iter(|| analyzer.analyze(&text).len()));
    let mut buf: Vec<AnalyzedToken> = Vec::new();
    g.bench_function("analyze_into_reused_buffer", |b| {
        b.iter(|| {
            buf.clear();
            analyzer.analyze_into(&text, &mut buf);
            buf.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
