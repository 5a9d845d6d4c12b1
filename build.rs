//! Precomputes the compound lexicon at compile time: sorted, deduplicated word and stem
//! lists written to OUT_DIR and embedded in the binary, so a search process pays no
//! start-up cost for it (building it at run time took about 30 ms).

use std::collections::BTreeSet;
use std::path::Path;

#[path = "src/analyzer/stemmer.rs"]
#[allow(dead_code)]
mod stemmer;

/// Parts shorter than this are not lexicon words (mirrors `compound::MIN_PART_CHARS`).
const MIN_PART_CHARS: usize = 4;

fn words(path: &str) -> Vec<String> {
    println!("cargo:rerun-if-changed={path}");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

fn write(out: &Path, name: &str, set: &BTreeSet<String>) {
    let text: Vec<&str> = set.iter().map(String::as_str).collect();
    std::fs::write(out.join(name), text.join("\n")).expect("write OUT_DIR");
}

fn main() {
    println!("cargo:rerun-if-changed=src/analyzer/stemmer.rs");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    let out = Path::new(&out);
    let lexicon: BTreeSet<String> = words("data/lexicon/snowball-voc.txt")
        .into_iter()
        .chain(words("data/lexicon/municipal.txt"))
        .filter(|w| w.chars().count() >= MIN_PART_CHARS)
        .collect();
    let stems: BTreeSet<String> = lexicon
        .iter()
        .map(|w| stemmer::stem(w).into_owned())
        .collect();
    let never: BTreeSet<String> = words("data/lexicon/never-split.txt").into_iter().collect();
    write(out, "lexicon-words.txt", &lexicon);
    write(out, "lexicon-stems.txt", &stems);
    write(out, "lexicon-never.txt", &never);
}
