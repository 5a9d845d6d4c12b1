//! Thread linking (`threads::Linker`): a realistic corpus (skewed vocabulary, each
//! assignment reported five times with small rewordings) and a degenerate one (one
//! municipality, thousands of reports whose titles are drawn from the same 40 words) at
//! two sizes, to show that linking grows linearly, not quadratically, with the members
//! of one municipality. Each bench asserts its thread count.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rapportsok::model::{Document, Kind, Tertial};
use rapportsok::threads::Linker;

/// A deterministic xorshift generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn doc(
    municipality: &str,
    file: String,
    ordinal: usize,
    year: u16,
    t: Tertial,
    title: String,
) -> Document {
    Document {
        id: format!("{file}#{ordinal}"),
        kind: Kind::Uppdrag,
        municipality: Some(municipality.to_string()),
        file,
        line: ordinal,
        year: Some(year),
        tertial: Some(t),
        title,
        committees: vec![],
        status: None,
        section: None,
        body: String::new(),
        updated: None,
        unit: None,
        items: vec![],
        thread: None,
    }
}

const PERIODS: [(u16, Tertial); 5] = [
    (2021, Tertial::T1),
    (2021, Tertial::T3),
    (2022, Tertial::T1),
    (2022, Tertial::T3),
    (2023, Tertial::T3),
];

/// `municipalities` x 150 assignments, each in five reports; one report in five changes
/// a letter of one word.
fn realistic(municipalities: usize) -> Vec<Document> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let syll = [
        "ut", "veck", "la", "kom", "mun", "plan", "bud", "get", "sä", "ker", "ställ", "skol",
        "vård", "om", "sorg", "ar", "bete", "mark", "nad", "kli", "mat", "för", "stärk", "in",
        "ves", "ter", "ing", "barn", "ung", "dom", "häl", "sa", "väl", "fär", "trygg", "het",
    ];
    let vocab: Vec<String> = (0..5000)
        .map(|_| {
            let n = 2 + (rng.next() % 3) as usize;
            (0..n)
                .map(|_| syll[(rng.next() % syll.len() as u64) as usize])
                .collect()
        })
        .collect();
    let mut docs = Vec::new();
    for m in 0..municipalities {
        let name = format!("m{m}");
        for a in 0..150 {
            let n = 6 + (rng.next() % 8) as usize;
            let words: Vec<String> = (0..n)
                .map(|_| {
                    let r = rng.next() % 1000;
                    vocab[(r * r * r / 200_000) as usize % vocab.len()].clone()
                })
                .collect();
            for (year, t) in PERIODS {
                let mut w = words.clone();
                if rng.next().is_multiple_of(5) {
                    let j = (rng.next() as usize) % w.len();
                    w[j].push('a');
                }
                docs.push(doc(
                    &name,
                    format!("{name}/{year}-{t}.txt"),
                    a + 1,
                    year,
                    t,
                    w.join(" "),
                ));
            }
        }
    }
    docs
}

/// One municipality, `files` reports of 20 assignments whose seven-word titles are drawn
/// from 40 common words: every title shares words with nearly every other.
fn few_words(files: usize) -> Vec<Document> {
    const WORDS: [&str; 40] = [
        "kommunen",
        "arbete",
        "uppdraget",
        "åtgärder",
        "förvaltningen",
        "nämnden",
        "verksamheten",
        "utveckling",
        "samverkan",
        "regionen",
        "barn",
        "unga",
        "skolan",
        "hälsa",
        "ekonomi",
        "budget",
        "klimat",
        "miljö",
        "trafik",
        "bostäder",
        "planering",
        "översyn",
        "resurser",
        "digitalisering",
        "medarbetare",
        "invånare",
        "kvalitet",
        "äldreomsorgen",
        "föreningslivet",
        "näringslivet",
        "integration",
        "trygghet",
        "skolgården",
        "vården",
        "biblioteket",
        "idrotten",
        "kulturen",
        "hamnen",
        "parken",
        "torget",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut docs = Vec::new();
    for f in 0..files {
        let (year, t) = (
            2015 + (f % 10) as u16,
            [Tertial::T1, Tertial::T2, Tertial::T3][f % 3],
        );
        for a in 0..20 {
            let title: Vec<&str> = (0..7)
                .map(|_| WORDS[(rng.next() % WORDS.len() as u64) as usize])
                .collect();
            docs.push(doc(
                "kommun",
                format!("kommun/rapport-{f:05}.txt"),
                a + 1,
                year,
                t,
                title.join(" "),
            ));
        }
    }
    docs
}

fn link(docs: &[Document]) -> usize {
    let mut linker = Linker::default();
    docs.iter().for_each(|d| linker.add(d));
    linker.finish().len()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("linking");
    g.sample_size(10);
    let docs = realistic(20);
    // 3,000 assignments, each in all five reports: one thread each, but for the rare
    // assignment whose one-letter change in a short title falls below the threshold.
    let threads = link(&docs);
    assert!(
        (3000..=3010).contains(&threads),
        "{threads} threads of 3,000 assignments"
    );
    g.bench_function("realistic_20_municipalities", |b| b.iter(|| link(&docs)));
    for files in [250, 1000] {
        let docs = few_words(files);
        // Random titles of common words almost never reach the threshold: (nearly) one
        // thread per member.
        let threads = link(&docs);
        assert!(
            threads * 100 >= docs.len() * 99,
            "{threads} threads of {} members",
            docs.len()
        );
        g.bench_with_input(
            BenchmarkId::new("one_municipality_few_words", docs.len()),
            &docs,
            |b, d| b.iter(|| link(d)),
        );
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
