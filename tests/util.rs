//! What the end-to-end tests share: a [`Sandbox`] (a temporary folder with a corpus and
//! room for an index, and the real binary run inside it), a generator of reports in the
//! real format for tests that need many or large ones, and [`note`] for a skip that must
//! show. Helpers that one test file needs stay in that file.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_rapportsok");

/// The crate root: the bundled corpus, the fixtures and the README are found from it.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The Storby fixtures: four years of the same assignments with changing statuses and
/// committees.
pub const STORBY: &str = "tests/fixtures/threads";

/// A temp folder holding a corpus in `corpus/` and room for an index in `index/`; the
/// binary runs inside it with an environment that cannot change its answers.
pub struct Sandbox {
    dir: tempfile::TempDir,
    /// Blocks (assignments) per generated report.
    pub blocks: usize,
}

impl Sandbox {
    /// An empty temp folder: no corpus, no index.
    pub fn bare() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
            blocks: 20,
        }
    }

    /// An empty `corpus/` folder.
    pub fn empty() -> Sandbox {
        let s = Sandbox::bare();
        std::fs::create_dir_all(s.corpus()).unwrap();
        s
    }

    /// A copy of `rel` (below the crate root) as `corpus/`, not yet indexed.
    pub fn of(rel: &str) -> Sandbox {
        let s = Sandbox::bare();
        copy_dir(&Path::new(ROOT).join(rel), &s.corpus());
        s
    }

    /// The bundled corpus, not yet indexed.
    pub fn new() -> Sandbox {
        Sandbox::of("corpus")
    }

    /// The bundled corpus, indexed.
    pub fn indexed() -> Sandbox {
        Sandbox::new().index_quietly()
    }

    /// The Storby fixtures ([`STORBY`]), indexed.
    pub fn storby() -> Sandbox {
        Sandbox::of(STORBY).index_quietly()
    }

    /// `files` generated reports ([`report_text`], about 40 KB each) in `corpus/kommun/`,
    /// not yet indexed.
    pub fn generated(files: usize) -> Sandbox {
        let s = Sandbox::empty();
        for i in 0..files {
            s.add_report(i);
        }
        s
    }

    /// Build the index (`index --quiet`, which must succeed).
    fn index_quietly(self) -> Sandbox {
        self.expect(&["index", "--quiet"], 0);
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` inside the sandbox.
    pub fn p(&self, rel: &str) -> PathBuf {
        self.path().join(rel)
    }

    pub fn corpus(&self) -> PathBuf {
        self.p("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.p("index")
    }

    /// Write `corpus/kommun/rapport-<i>.txt`, the generated report of seed `i`.
    pub fn add_report(&self, i: usize) {
        self.write(
            &format!("kommun/rapport-{i:04}.txt"),
            report_text(i as u64, self.blocks),
        );
    }

    /// Write `bytes` to `rel` below `corpus/`, creating its folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let p = self.corpus().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// The binary with `args`, run in the sandbox, with none of the variables that
    /// choose another index or corpus, colours or a width.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.current_dir(self.path())
            .args(args)
            .env_remove("RAPPORTSOK_INDEX")
            .env_remove("RAPPORTSOK_CORPUS")
            .env_remove("NO_COLOR")
            .env_remove("COLUMNS");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Run and expect exit `code`; returns stderr.
    pub fn expect(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        err
    }

    /// The exit code of a run.
    pub fn exit(&self, args: &[&str]) -> i32 {
        self.run(args).status.code().unwrap()
    }

    /// Stdout of a run that must succeed.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run with `--json` added; it must succeed and print one JSON object.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd(args).arg("--json").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
    }

    /// How many documents match `query` (JSON `total`).
    pub fn total(&self, query: &str) -> u64 {
        self.json(&["search", query, "--limit", "1"])["total"]
            .as_u64()
            .unwrap()
    }

    /// Documents in the live generation of the index folder `index`.
    pub fn documents(&self, index: &str) -> u64 {
        self.json(&["stats", "--index", index])["documents"]
            .as_u64()
            .unwrap()
    }

    /// The live generation named by `index/CURRENT`, if there is one.
    pub fn current(&self) -> Option<String> {
        self.current_in("index")
    }

    /// The live generation named by `<index>/CURRENT`, if there is one.
    pub fn current_in(&self, index: &str) -> Option<String> {
        std::fs::read_to_string(self.p(index).join("CURRENT"))
            .ok()
            .map(|s| s.trim().to_string())
    }

    /// The generation folders in `index/`, sorted.
    pub fn generations(&self) -> Vec<String> {
        self.generations_in("index")
    }

    /// The generation folders in `<index>/`, sorted (none when it does not exist).
    pub fn generations_in(&self, index: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.p(index))
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with("gen-"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
}

/// The ids of a search's hits (`search --json`), in order.
pub fn ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// Split a command line as a POSIX shell would for the README's and `--help`'s
/// commands: words, "double" and 'single' quotes.
pub fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Stderr of a run, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A note that shows in every test run (past the harness's capture): say why a test, or
/// a part of one, was skipped.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "note: {text}");
}

/// Copy a folder tree (a corpus or fixtures) into a test's temporary folder.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Generated reports

/// A word that occurs in exactly one document of every generated report file, so a
/// search for it counts the files of the live generation.
pub const MARKER: &str = "stadsbiblioteket";

/// Words of the generated reports.
pub const WORDS: &[&str] = &[
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
    "under",
    "året",
    "har",
    "och",
    "för",
    "att",
    "med",
    "inom",
];

const COMMITTEES: &[&str] = &["KS", "BUN", "VON", "TN", "KFN", "SAN", "BUN, KS"];

const STATUSES: &[&str] = &[
    "Uppdraget är genomfört under året.",
    "Uppdraget är inte genomfört under året.",
];

/// A small deterministic generator (xorshift64*), so every run writes the same corpus.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
    pub fn words(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| self.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One tertial report in the real format: header, blocks separated by `.` lines, a title
/// with committees, a status sentence and body paragraphs. The first block mentions
/// [`MARKER`].
pub fn report_text(seed: u64, blocks: usize) -> String {
    let mut rng = Rng::new(seed);
    // A period of its own for every seed below 450 (years 1950-2099): generated files
    // never repeat a municipality's report period (which the indexer warns about).
    let year = 1950 + (seed / 3) % 150;
    let t = 1 + seed % 3;
    let mut s = format!("T{t} {year} Uppdrag. Kommentar T{t} {year}\n");
    for b in 0..blocks {
        s.push_str(".\n");
        let words = rng.words(7);
        let mut chars = words.chars();
        let first = chars.next().unwrap().to_uppercase();
        let title = first.chain(chars).collect::<String>();
        s.push_str(&format!("{title} ({})\n\n", rng.pick(COMMITTEES)));
        s.push_str(rng.pick(STATUSES));
        s.push_str("\n\n");
        for p in 0..3 {
            let mut para = rng.words(60);
            if b == 0 && p == 0 {
                para.push_str(&format!(" {MARKER}"));
            }
            s.push_str(&para);
            s.push_str(".\n\n");
        }
    }
    s
}
