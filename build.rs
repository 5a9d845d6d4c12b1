//! Precomputes the compound lexicon at compile time: sorted, deduplicated word and stem
//! lists written to OUT_DIR and embedded in the binary, so a search process pays no
//! start-up cost for it (building it at run time took about 30 ms). Also records the git
//! commit being built (`RAPPORTSOK_COMMIT`, for `--version`): `unknown` without git or
//! outside the repository, so a build from a tarball works.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

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

/// `git` in the package's folder: its trimmed stdout, or `None` when git is missing or fails.
fn git(args: &[&str]) -> Option<String> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// The commit being built, when the package is the top of a git work tree (not a crate
/// unpacked inside some other repository); rebuilt when HEAD moves.
fn commit() -> Option<String> {
    let top = std::fs::canonicalize(git(&["rev-parse", "--show-toplevel"])?).ok()?;
    let here = std::fs::canonicalize(std::env::var("CARGO_MANIFEST_DIR").ok()?).ok()?;
    if top != here {
        return None;
    }
    let mut watch = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(head_ref) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.extend(git(&["rev-parse", "--git-path", &head_ref]));
    }
    watch.extend(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watch {
        // Paths are relative to the package folder; watch only those that exist, since a
        // missing one would rerun this script on every build.
        let path = here.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    git(&["rev-parse", "--short=12", "HEAD"])
}

fn main() {
    let commit = commit().unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=RAPPORTSOK_COMMIT={commit}");
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
