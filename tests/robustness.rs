//! The nightly rebuild under stress (issue 3), end to end on the real binary in temporary
//! folders: rebuilds killed with SIGKILL at different moments, searches running while
//! the index is rebuilt, two writers at once, hostile corpus files, huge files with
//! bounded memory, and what cron sees (exit codes, `--quiet`, `--strict`, `--log`).
//!
//! The default tests keep CI fast. Longer variants are `#[ignore]`d:
//! `cargo test --test tests robustness:: -- --ignored --nocapture` (more kills, a 100 MB
//! file).
//! `RAPPORTSOK_KILLS=N` sets the number of kills of the long crash test.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{report_text, stderr, Rng, Sandbox, BIN, MARKER, WORDS};

/// What only the rebuild tests need: a build in the background, checks of the index
/// folder.
impl Sandbox {
    fn spawn_index(&self, extra: &[&str]) -> Child {
        let mut args = vec!["index", "--quiet"];
        args.extend_from_slice(extra);
        self.cmd(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    }

    fn complete(&self, gen: &str) -> bool {
        self.index().join(gen).join("build.json").is_file()
    }

    /// The live generation is complete, `stats` agrees with it, and a search answers
    /// from it: the number of files it was built from is one of `allowed`. Returns it.
    fn check_live(&self, allowed: &[usize]) -> usize {
        let live = self.current().expect("CURRENT exists");
        assert!(self.complete(&live), "live {live} has no build.json");
        let stats = self.json(&["stats"]);
        assert_eq!(stats["generation"], live.as_str(), "{stats}");
        let files = stats["files"].as_u64().expect("stats shows files") as usize;
        assert!(
            allowed.contains(&files),
            "{files} files, expected {allowed:?}"
        );
        assert_eq!(
            stats["documents"].as_u64().unwrap() as usize,
            files * self.blocks
        );
        assert!(stats["built_at"].is_string());
        assert_eq!(self.total(MARKER) as usize, files, "search vs stats");
        files
    }

    /// After a successful build: every generation left is complete, at most `keep`
    /// besides the live one, and no temp file of a pointer write is left.
    fn check_clean(&self, keep: usize) {
        let gens = self.generations();
        assert!(gens.len() <= keep + 1, "{gens:?}");
        for g in &gens {
            assert!(self.complete(g), "leftover {g} in {gens:?}");
        }
        for e in std::fs::read_dir(self.index()).unwrap().flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            assert!(!n.contains(".tmp"), "leftover temp file {n}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Crash safety

/// When to send SIGKILL to a rebuild.
#[derive(Debug, Clone, Copy)]
enum Moment {
    /// At a named moment of the build (`src/indexer/test_hook.rs`), where the build
    /// pauses (`RAPPORTSOK_TEST_PAUSE`) until it is killed.
    Paused(&'static str),
    /// This long after the new generation's folder appeared (parsing and indexing).
    GenerationPlus(Duration),
    /// At this fraction of a full build's duration.
    Fraction(f64),
    /// When tantivy starts writing segment files (the commit).
    Commit,
    /// When `build.json` appears: right before the switch of `CURRENT`.
    Switch,
}

/// Where the killed build was, read from the index folder after the kill.
fn phase(s: &Sandbox, before: &[String], exited_by_itself: bool) -> &'static str {
    let new: Vec<String> = s
        .generations()
        .into_iter()
        .filter(|g| !before.contains(g))
        .collect();
    if exited_by_itself {
        return "finished before the kill";
    }
    let Some(g) = new.last() else {
        return "before the generation folder (lock, walk)";
    };
    if s.current().as_deref() == Some(g.as_str()) {
        return "after the switch";
    }
    if s.complete(g) {
        return "complete, before the switch";
    }
    if has_segment_files(&s.index().join(g)) {
        return "commit (segment files written)";
    }
    "parsing and indexing"
}

/// Whether tantivy has begun serializing a segment: while documents are added only the
/// doc store grows (the other segment files exist but are empty); the commit writes
/// postings, terms, fast fields and norms.
fn has_segment_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten().any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                [".idx", ".term", ".pos", ".fast", ".fieldnorm"]
                    .iter()
                    .any(|x| n.ends_with(x))
                    && e.metadata().is_ok_and(|m| m.len() > 0)
            })
        })
        .unwrap_or(false)
}

/// The named moments the build has reached, from its `RAPPORTSOK_TEST_PHASES` file.
fn hook_phases(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// What one kill hit: the state of the index folder after it, and the last named moment
/// the build had reached (`None` before the lock).
#[derive(Debug)]
struct Killed {
    on_disk: &'static str,
    last_moment: Option<String>,
}

/// Start a rebuild, kill it at `moment`, and return where it was.
fn kill_rebuild(s: &Sandbox, moment: Moment, full: Duration) -> Killed {
    let before = s.generations();
    let started = Instant::now();
    let phases = s.path().join("phases.txt");
    let _ = std::fs::remove_file(&phases);
    let mut cmd = s.cmd(&["index", "--quiet"]);
    cmd.env("RAPPORTSOK_TEST_PHASES", &phases)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Moment::Paused(name) = moment {
        cmd.env("RAPPORTSOK_TEST_PAUSE", name);
    }
    let mut child = cmd.spawn().unwrap();
    let killed = |on_disk| Killed {
        on_disk,
        last_moment: hook_phases(&phases).pop(),
    };
    let mut gen_seen: Option<Instant> = None;
    let deadline = started + full * 10 + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.code().is_some_and(|c| c == 0 || c == 3), "{status}");
            return killed(phase(s, &before, true));
        }
        assert!(
            Instant::now() < deadline,
            "rebuild never reached {moment:?}"
        );
        let new_gen = s.generations().into_iter().find(|g| !before.contains(g));
        if gen_seen.is_none() && new_gen.is_some() {
            gen_seen = Some(Instant::now());
        }
        let now = started.elapsed();
        let fire = match moment {
            Moment::Paused(name) => hook_phases(&phases).last().is_some_and(|p| p == name),
            Moment::GenerationPlus(d) => gen_seen.is_some_and(|t| t.elapsed() >= d),
            Moment::Fraction(f) => now >= full.mul_f64(f),
            Moment::Commit => new_gen.is_some_and(|g| has_segment_files(&s.index().join(g))),
            Moment::Switch => new_gen.is_some_and(|g| s.complete(&g)),
        };
        if fire {
            // SIGKILL on Unix: no destructor, no cleanup.
            child.kill().unwrap();
            child.wait().unwrap();
            return killed(phase(s, &before, false));
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Kill rebuilds at each moment; after every kill the live index answers from the old
/// or the new generation, `stats` agrees, and the next `index` succeeds and cleans up.
/// Returns where each kill landed.
fn crash_rounds(moments: &[Moment], files: usize) -> Vec<(Moment, Killed)> {
    let s = Sandbox::generated(files);
    let t = Instant::now();
    let out = s.run(&["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let full = t.elapsed();
    eprintln!("crash test: a full build of {files} files takes {full:?}");
    let mut live_files = s.check_live(&[files]);
    let mut seen = Vec::new();
    for (round, &moment) in moments.iter().enumerate() {
        // Each round's corpus differs from the live one by one file.
        s.add_report(files + round);
        let new_files = files + round + 1;
        let killed = kill_rebuild(&s, moment, full);
        let phase = killed.on_disk;
        seen.push((moment, killed));
        let now = s.check_live(&[live_files, new_files]);
        match phase {
            "after the switch" | "finished before the kill" => assert_eq!(now, new_files),
            _ => assert_eq!(now, live_files, "{phase}: the old generation stays live"),
        }
        // The next run succeeds, takes over the dead writer's lock (if it had taken it
        // yet: its pid is in the lock file) and cleans up.
        let held = std::fs::read_to_string(s.index().join(".lock")).unwrap_or_default();
        let out = s.run(&["index", "--quiet"]);
        let err = stderr(&out);
        if held.trim().is_empty() {
            assert_eq!(out.status.code(), Some(0), "{err}");
        } else {
            assert_eq!(out.status.code(), Some(3), "{err}");
            assert!(err.contains("took over the index lock"), "{err}");
        }
        assert!(
            err.lines().all(|l| l.contains("took over the index lock")),
            "{err}"
        );
        live_files = s.check_live(&[new_files]);
        s.check_clean(1);
    }
    eprintln!("crash test: {} kills", seen.len());
    for (m, k) in &seen {
        eprintln!("  {m:?}: {k:?}");
    }
    seen
}

/// The named moments of a build, and what a kill there leaves in the index folder.
const KILL_POINTS: [(&str, &str); 6] = [
    ("locked", "before the generation folder (lock, walk)"),
    ("parsing", "parsing and indexing"),
    ("indexing", "parsing and indexing"),
    ("commit", "parsing and indexing"),
    ("switch", "complete, before the switch"),
    ("switched", "after the switch"),
];

/// One kill at each named moment: the build pauses there (a test hook), so the kill
/// lands there every time, and the test checks that it did, by the moments the build
/// wrote down and by what the index folder holds.
#[test]
fn sigkill_at_any_moment_leaves_a_working_index() {
    let moments = KILL_POINTS.map(|(name, _)| Moment::Paused(name));
    let seen = crash_rounds(&moments, 40);
    for ((name, on_disk), (_, killed)) in KILL_POINTS.iter().zip(&seen) {
        assert_eq!(
            killed.last_moment.as_deref(),
            Some(*name),
            "the kill meant for {name} hit {killed:?}"
        );
        assert_eq!(killed.on_disk, *on_disk, "killed at {name}");
    }
}

#[test]
#[ignore = "long: dozens of kills over a larger corpus"]
fn sigkill_many_times_long() {
    let kills: usize = std::env::var("RAPPORTSOK_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    // Every other kill at a named moment, in turn; the rest at times and events seen
    // from outside (which land wherever the build happens to be).
    let moments: Vec<Moment> = (0..kills)
        .map(|i| match i % 8 {
            0 | 2 | 4 | 6 => Moment::Paused(KILL_POINTS[(i / 2) % KILL_POINTS.len()].0),
            1 => Moment::Commit,
            3 => Moment::Switch,
            5 => Moment::GenerationPlus(Duration::from_millis(10 + 37 * i as u64)),
            _ => Moment::Fraction((i as f64 * 0.618).fract() * 1.1),
        })
        .collect();
    let seen = crash_rounds(&moments, 120);
    for (moment, killed) in &seen {
        if let Moment::Paused(name) = moment {
            let on_disk = KILL_POINTS.iter().find(|(n, _)| n == name).unwrap().1;
            assert_eq!(killed.last_moment.as_deref(), Some(*name), "{killed:?}");
            assert_eq!(killed.on_disk, on_disk, "killed at {name}");
        }
    }
}

/// Searches in separate processes, in a loop, while three rebuilds switch generations
/// (two of them with `--keep 0`, which removes the generation just replaced): no search
/// fails, each answers from a complete generation, and a reader never goes back.
#[test]
fn searches_never_fail_during_rebuilds() {
    let files = 40;
    let s = Arc::new(Sandbox::generated(files));
    let out = s.run(&["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stop = Arc::new(AtomicBool::new(false));
    let searches = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (s, stop, searches, failures) =
                (s.clone(), stop.clone(), searches.clone(), failures.clone());
            std::thread::spawn(move || {
                let mut last = 0;
                while !stop.load(Ordering::Relaxed) {
                    let out = s.run(&["search", MARKER, "--json", "--limit", "3"]);
                    searches.fetch_add(1, Ordering::Relaxed);
                    let total = serde_json::from_slice::<Value>(&out.stdout)
                        .ok()
                        .and_then(|v| v["total"].as_u64());
                    match (out.status.code(), total) {
                        (Some(0), Some(t))
                            if (files..=files + 3).contains(&(t as usize)) && t >= last =>
                        {
                            last = t
                        }
                        (code, total) => failures.lock().unwrap().push(format!(
                            "exit {code:?}, total {total:?} after {last}: {}",
                            stderr(&out)
                        )),
                    }
                }
            })
        })
        .collect();
    let mut during = Vec::new();
    for (round, keep) in ["1", "0", "0"].iter().enumerate() {
        s.add_report(files + round);
        let before = searches.load(Ordering::Relaxed);
        let out = s.run(&["index", "--quiet", "--keep", keep]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        during.push(searches.load(Ordering::Relaxed) - before);
    }
    // A few more searches on the final generation.
    let settle = searches.load(Ordering::Relaxed) + 4;
    let t = Instant::now();
    while searches.load(Ordering::Relaxed) < settle && t.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    let n = searches.load(Ordering::Relaxed);
    eprintln!(
        "concurrency test: {n} searches, {during:?} of them during the three rebuilds, {} failed",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(during.iter().all(|&d| d > 0), "{during:?}");
    assert_eq!(s.check_live(&[files + 3]), files + 3);
    s.check_clean(0);
}

// ---------------------------------------------------------------------------------------
// One writer

#[test]
fn a_second_writer_fails_at_once_naming_the_first() {
    let s = Sandbox::generated(40);
    let mut first = s.spawn_index(&[]);
    // The first writer holds the lock once its pid is in the lock file.
    let lock = s.index().join(".lock");
    let t = Instant::now();
    while std::fs::read_to_string(&lock).unwrap_or_default().trim() != first.id().to_string() {
        assert!(
            t.elapsed() < Duration::from_secs(60),
            "first writer never locked"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let t = Instant::now();
    let second = s.run(&["index", "--quiet", "--log", "runs.jsonl"]);
    let waited = t.elapsed();
    let still_running = first.try_wait().unwrap().is_none();
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("pid {}", first.id())) && err.contains("another rapportsok index"),
        "{err}"
    );
    // The running writer's command line, as the system shows it.
    assert!(
        err.contains(&format!("(pid {}: {BIN} index --quiet)", first.id())),
        "names the running command: {err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(waited < Duration::from_secs(10), "took {waited:?}");
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("runs.jsonl")).unwrap())
            .unwrap();
    assert_eq!(log["outcome"], "failure");
    assert_eq!(log["exit"], 1);
    assert!(log["error"]
        .as_str()
        .unwrap()
        .contains("another rapportsok index"));
    // The first build is not disturbed.
    assert!(first.wait().unwrap().success());
    assert!(
        still_running,
        "the first build ended before the second started"
    );
    s.check_live(&[40]);
}

#[test]
fn a_dead_writers_lock_is_taken_over_with_a_warning() {
    let s = Sandbox::generated(3);
    assert_eq!(s.run(&["index", "--quiet"]).status.code(), Some(0));
    // A pid that surely no longer runs: a child that has exited and been reaped.
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    std::fs::write(s.index().join(".lock"), pid.to_string()).unwrap();
    let out = s.run(&["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("took over the index lock left by process {pid}")),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty());
    // Released cleanly: the next run has nothing to report.
    let out = s.run(&["index", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty() && out.stdout.is_empty());
}

// ---------------------------------------------------------------------------------------
// Bad input

fn windows_1252(s: &str) -> Vec<u8> {
    let (b, _, unmappable) = encoding_rs::WINDOWS_1252.encode(s);
    assert!(!unmappable);
    b.into_owned()
}

fn utf16le_with_bom(s: &str) -> Vec<u8> {
    let mut b = vec![0xFF, 0xFE];
    for u in s.encode_utf16() {
        b.extend(u.to_le_bytes());
    }
    b
}

const SMALL_REPORT: &str = "T1 2021 Uppdrag. Kommentar T1 2021
.
Utveckla äldreomsorgen i Östersund (VON)

Uppdraget är genomfört under året.

Nya arbetssätt för hemtjänsten och WORD har införts.
";

#[test]
fn bad_files_are_warned_about_and_the_rest_is_indexed() {
    let s = Sandbox::generated(3);
    s.write(
        "kommun/latin1.txt",
        windows_1252(&SMALL_REPORT.replace("WORD", "latinordet")),
    );
    s.write(
        "kommun/utf16.txt",
        utf16le_with_bom(
            &SMALL_REPORT
                .replace("WORD", "utfsextonord")
                .replace("T1 2021", "T2 2021"),
        ),
    );
    s.write("kommun/binary.txt", b"PK\x03\x04\x00\x00binaryord\x00\x01");
    s.write("kommun/empty.txt", "");
    s.write("kommun/blank.txt", "\n\n   \n");
    s.write(
        "kommun/header-only.txt",
        "T3 2022 Uppdrag. Kommentar T3 2022\n",
    );
    s.write(
        "kommun/truncated.txt",
        "T3 2022 Uppdrag. Kommentar T3 2022\n.\nStärk trygghetsarbetet i centrum (KS)\n\nUppdraget är genomf",
    );
    s.write(
        "kommun/protokoll.txt",
        "Protokoll från sammanträdet\n\nInget om uppdrag, men protokollordet.\n",
    );
    s.write("kommun/bild.png", b"\x89PNG\r\n\x1a\n\x00\x00pngord");
    s.write(
        "kommun/anteckningar.md",
        "Anteckningar med markdownordet.\n",
    );
    // Links are not followed: a loop, and a file outside the corpus.
    std::fs::create_dir_all(s.path().join("outside")).unwrap();
    std::fs::write(s.path().join("outside/hemlig.txt"), "hemligordet\n").unwrap();
    std::os::unix::fs::symlink("..", s.corpus().join("kommun/loop")).unwrap();
    std::os::unix::fs::symlink(
        s.path().join("outside/hemlig.txt"),
        s.corpus().join("kommun/lank.txt"),
    )
    .unwrap();

    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("indexed 11 files"), "{stdout}");
    assert!(
        stdout.contains("); skipped 2 files of unknown format (.md 1, .png 1); 10 warnings;"),
        "{stdout}"
    );
    for expected in [
        "corpus/kommun/latin1.txt:3: not valid UTF-8; decoded as Windows-1252",
        "corpus/kommun/utf16.txt: decoded as UTF-16LE",
        "corpus/kommun/binary.txt: binary file (NUL bytes); skipped",
        "corpus/kommun/empty.txt: empty file",
        "corpus/kommun/blank.txt: empty file",
        "corpus/kommun/header-only.txt:1: no assignment",
        "corpus/kommun/truncated.txt:5: no status sentence",
        "corpus/kommun/protokoll.txt:1: format not recognised",
        "corpus/kommun/loop: symbolic link not followed",
        "corpus/kommun/lank.txt: symbolic link not followed",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    // Files that are not .txt are counted in the summary, not warned about.
    assert!(
        !err.contains("bild.png") && !err.contains("anteckningar.md"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 10, "{err}");

    assert_eq!(s.total(MARKER), 3, "the good reports");
    for (word, file) in [
        ("latinordet", "kommun/latin1.txt#1"),
        ("utfsextonord", "kommun/utf16.txt#1"),
        ("protokollordet", "kommun/protokoll.txt#1"),
        ("trygghetsarbetet", "kommun/truncated.txt#1"),
    ] {
        let v = s.json(&["search", word]);
        assert_eq!(v["hits"][0]["id"], file, "{word}: {v}");
    }
    // Decoded text keeps its letters.
    let v = s.json(&["search", "latinordet"]);
    assert!(v["hits"][0]["title"]
        .as_str()
        .unwrap()
        .contains("Östersund"));
    for word in ["binaryord", "hemligordet", "pngord", "markdownordet"] {
        assert_eq!(s.total(word), 0, "{word}");
    }
    // --include reads other extensions.
    let out = s.run(&["index", "--quiet", "--include", "md"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("anteckningar.md:1: format not recognised"));
    assert_eq!(s.total("markdownordet"), 1);
    // --verbose lists the skipped files.
    let out = s.run(&["index", "--include", "md", "--verbose"]);
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("; skipped 1 file of unknown format (.png 1); "),
        "{stdout}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("corpus/kommun/bild.png: skipped: unknown format"),
        "{err}"
    );
    assert_eq!(err.matches("skipped: unknown format").count(), 1, "{err}");
}

/// UTF-16 without a byte-order mark (a whole goal page used to be called binary and lost),
/// UTF-32 with one (read as UTF-16 garbage), and CR-only line endings (old Mac exports,
/// indexed as one line of plain text) are read as the reports they are.
#[test]
fn utf16_without_bom_utf32_and_cr_line_endings_are_read_as_reports() {
    let s = Sandbox::empty();
    // Each file a period of its own (the same period twice is warned about).
    let report = |word: &str, period: &str| {
        SMALL_REPORT
            .replace("WORD", word)
            .replace("T1 2021", period)
    };
    let utf16 = |text: &str, be: bool| -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect()
    };
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    for c in report("utftrettiotvaord", "T2 2021").chars() {
        utf32.extend((c as u32).to_le_bytes());
    }
    s.write(
        "kommun/le.txt",
        utf16(&report("lillaendianord", "T3 2021"), false),
    );
    s.write(
        "kommun/be.txt",
        utf16(&report("storaendianord", "T1 2022"), true),
    );
    s.write("kommun/utf32.txt", utf32);
    s.write(
        "kommun/mac.txt",
        report("macintoshordet", "T2 2022").replace('\n', "\r"),
    );
    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    for expected in [
        "corpus/kommun/le.txt: no byte-order mark, but NUL bytes in every other byte: decoded as UTF-16LE",
        "corpus/kommun/be.txt: no byte-order mark, but NUL bytes in every other byte: decoded as UTF-16BE",
        "corpus/kommun/utf32.txt: decoded as UTF-32LE (byte-order mark)",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    assert_eq!(err.lines().count(), 3, "{err}");
    for (word, id) in [
        ("lillaendianord", "kommun/le.txt#1"),
        ("storaendianord", "kommun/be.txt#1"),
        ("utftrettiotvaord", "kommun/utf32.txt#1"),
        ("macintoshordet", "kommun/mac.txt#1"),
    ] {
        let v = s.json(&["search", word]);
        let hit = &v["hits"][0];
        assert_eq!(hit["id"], id, "{word}: {v}");
        assert_eq!(hit["kind"], "uppdrag", "{word}: {v}");
        assert_eq!(hit["status"], "genomfort", "{word}: {v}");
        assert_eq!(hit["line"], 3, "{word}: {v}");
        assert_eq!(
            hit["title"], "Utveckla äldreomsorgen i Östersund",
            "{word}: {v}"
        );
    }
}

/// File and folder names that are not UTF-8 used to lose their odd bytes to U+FFFD, so
/// `inv\xff\xfe.txt` and `inv\xfe\xff.txt` got the same ids and two municipality folders
/// were merged. The bytes are escaped as `%XX` now, with a warning, and `show` finds each.
#[test]
fn names_that_are_not_utf8_get_distinct_ids_that_show_finds() {
    use std::os::unix::ffi::OsStrExt;
    let s = Sandbox::empty();
    let os = |b: &[u8]| std::ffi::OsStr::from_bytes(b).to_owned();
    let files: [(&[u8], &[u8], &str, &str); 4] = [
        (
            b"kommun",
            b"inv\xff\xfe.txt",
            "forstaordet",
            "kommun/inv%FF%FE.txt#1",
        ),
        (
            b"kommun",
            b"inv\xfe\xff.txt",
            "andraordet",
            "kommun/inv%FE%FF.txt#1",
        ),
        (
            b"m\xff",
            b"2021-T1.txt",
            "tredjeordet",
            "m%FF/2021-T1.txt#1",
        ),
        (
            b"m\xfe",
            b"2021-T1.txt",
            "fjardeordet",
            "m%FE/2021-T1.txt#1",
        ),
    ];
    for (dir, file, word, _) in files {
        let dir = s.corpus().join(os(dir));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(os(file)), SMALL_REPORT.replace("WORD", word)).unwrap();
    }
    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    for expected in [
        "corpus/kommun/inv%FF%FE.txt: file name is not valid UTF-8",
        "corpus/kommun/inv%FE%FF.txt: file name is not valid UTF-8",
        "corpus/m%FF: folder name is not valid UTF-8",
        "corpus/m%FE: folder name is not valid UTF-8",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    let v = s.json(&["stats"]);
    assert_eq!(v["documents"], 4, "{v}");
    for (dir, _, word, id) in files {
        let v = s.json(&["show", id]);
        let text = v.to_string();
        assert!(text.contains(word), "{id}: {v}");
        assert!(text.contains(&format!("\"{id}\"")), "{id}: {v}");
        let municipality = String::from_utf8_lossy(dir).replace('\u{fffd}', "");
        assert!(
            text.contains(&format!("\"municipality\":\"{municipality}")),
            "{id}: {v}"
        );
        // Search finds the same id.
        let v = s.json(&["search", word]);
        assert_eq!(v["hits"][0]["id"], id, "{word}: {v}");
    }
}

/// A file directly in the corpus folder has no municipality: a warning says where it
/// belongs.
#[test]
fn a_file_in_the_corpus_root_is_warned_about_with_the_layout() {
    let s = Sandbox::empty();
    s.write("2022-T1.txt", SMALL_REPORT.replace("WORD", "rotordet"));
    s.write(
        "kommun/2022-T1.txt",
        SMALL_REPORT.replace("WORD", "kommunordet"),
    );
    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(
        err.trim(),
        "corpus/2022-T1.txt: file directly in the corpus folder: its documents have no \
         municipality; put it in the municipality's folder (corpus/<kommun>/<år>-T<n>.txt, \
         e.g. corpus/ostersund/2022-T3.txt)"
    );
    let v = s.json(&["search", "rotordet"]);
    assert_eq!(v["hits"][0]["municipality"], Value::Null, "{v}");
}

/// Root reads files whatever their mode, so as root (CI) the indexer runs as `nobody`,
/// from a copy of the binary in the test's folder that `nobody` can run: the check runs
/// everywhere and is never skipped.
#[test]
fn unreadable_files_and_folders_are_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let s = Sandbox::generated(2);
    s.write("kommun/lasbar.txt", "Läsbar text med lasbarordet.\n");
    s.write("kommun/hemlig.txt", "Hemlig text med hemligordet.\n");
    s.write("stangd/inne.txt", "Text med stangdordet.\n");
    let mode = |p: PathBuf, m: u32| std::fs::set_permissions(p, PermissionsExt::from_mode(m));
    mode(s.corpus().join("kommun/hemlig.txt"), 0o000).unwrap();
    mode(s.corpus().join("stangd"), 0o000).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = s.cmd(&["index"]);
    if root {
        // Everything but the two closed entries must be reachable for `nobody`.
        for p in [
            s.path().to_path_buf(),
            s.corpus(),
            s.corpus().join("kommun"),
        ] {
            mode(p, 0o777).unwrap();
        }
        for e in std::fs::read_dir(s.corpus().join("kommun"))
            .unwrap()
            .flatten()
        {
            if !e.path().ends_with("hemlig.txt") {
                mode(e.path(), 0o644).unwrap();
            }
        }
        // The test's folder is reachable (the temp folder is world-writable), the
        // target folder may not be.
        let bin = s.path().join("rapportsok");
        std::fs::copy(BIN, &bin).unwrap();
        mode(bin.clone(), 0o755).unwrap();
        cmd = Command::new(&bin);
        cmd.current_dir(s.path()).arg("index").uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("corpus/kommun/hemlig.txt: cannot read: Permission denied"),
        "{err}"
    );
    assert!(
        err.contains("corpus/stangd: cannot read directory: Permission denied"),
        "{err}"
    );
    // Read back as whoever we are: the rest is indexed.
    assert_eq!(s.total("lasbarordet"), 1);
    assert_eq!(s.total(MARKER), 2);
    assert_eq!(s.total("hemligordet"), 0);
}

/// Files that disappear between the walk and their reading: the library's progress hook
/// runs right after the walk, which makes the race deterministic.
#[test]
fn files_that_vanish_during_the_build_are_warned_about() {
    use rapportsok::indexer::{build, BuildOptions, Progress};
    struct Vanish {
        at_start: PathBuf,
        after_first: PathBuf,
    }
    impl Progress for Vanish {
        fn start(&self, _files: u64) {
            std::fs::remove_file(&self.at_start).unwrap();
        }
        fn file_done(&self, _rel: &str) {
            let _ = std::fs::remove_file(&self.after_first);
        }
    }
    let s = Sandbox::generated(4);
    let progress = Vanish {
        at_start: s.corpus().join("kommun/rapport-0001.txt"),
        after_first: s.corpus().join("kommun/rapport-0003.txt"),
    };
    let report = build(&BuildOptions::new(s.corpus(), s.index()), &progress).unwrap();
    let vanished: Vec<&str> = report
        .warnings
        .iter()
        .filter(|w| w.message.starts_with("cannot read"))
        .map(|w| w.file.as_str())
        .collect();
    assert_eq!(
        vanished,
        ["kommun/rapport-0001.txt", "kommun/rapport-0003.txt"]
    );
    assert!(report.switched);
    assert_eq!(report.info.files, 4);
    assert_eq!(report.info.documents, 2 * s.blocks);
    assert_eq!(s.total(MARKER), 2);
}

// ---------------------------------------------------------------------------------------
// Huge files, bounded memory

/// Writer budget for the memory tests, in MB (two threads: the indexer's minimum).
const MEMORY_MB: u64 = 32;
/// The documented bound: peak RSS at most twice the writer budget plus 160 MiB, whatever
/// the size of the largest file (segment merges add to the budget: 136 MiB was measured
/// for 100 MiB at `--memory 16 --threads 1`).
const RSS_BOUND_KB: u64 = (2 * MEMORY_MB + 160) * 1024;

/// Index `s` with the test budget and `--log`; returns the logged run.
fn index_logged(s: &Sandbox) -> Value {
    let mb = MEMORY_MB.to_string();
    let out = s.run(&[
        "index",
        "--quiet",
        "--threads",
        "2",
        "--memory",
        &mb,
        "--log",
        "run.jsonl",
    ]);
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
    let log = std::fs::read_to_string(s.path().join("run.jsonl")).unwrap();
    serde_json::from_str(log.lines().last().unwrap()).unwrap()
}

/// Words without line breaks, `bytes` long, with `marker` at the very end.
fn one_line(bytes: usize, marker: &str) -> String {
    let mut rng = Rng::new(7);
    let mut s = String::with_capacity(bytes + 64);
    while s.len() < bytes {
        s.push_str(rng.pick(WORDS));
        s.push(' ');
    }
    s.push_str(marker);
    s
}

/// Reports one after another, over `bytes` long, ending with the line `marker`.
fn many_reports(bytes: usize, marker: &str) -> String {
    let mut text = String::with_capacity(bytes + (1 << 20));
    let mut i = 0u64;
    while text.len() < bytes {
        text.push_str(&report_text(1000 + i, 20));
        i += 1;
    }
    text.push_str(marker);
    text.push('\n');
    text
}

/// The one document holding `marker` (the last line of `text`) starts on the line the
/// index says: line numbers count from the start of the file across pieces. In a report
/// read in pieces it is the last assignment, whose title is on that line.
fn check_last_line(s: &Sandbox, text: &str, marker: &str) {
    let v = s.json(&["search", marker]);
    assert_eq!(v["total"], 1, "{v}");
    let hit = &v["hits"][0];
    let line = hit["line"].as_u64().unwrap() as usize;
    let doc = s.json(&["show", hit["id"].as_str().unwrap()]);
    let body = doc["body"].as_str().unwrap();
    let first = text.lines().nth(line - 1).unwrap().trim();
    if hit["kind"] == "uppdrag" {
        let title = hit["title"].as_str().unwrap();
        assert!(
            !title.is_empty() && first.starts_with(title),
            "line {line}: {first:?} vs {title:?}"
        );
    } else {
        assert!(
            !first.is_empty() && body.starts_with(first),
            "line {line}: {first:?} vs {body:?}"
        );
    }
    assert!(body.ends_with(marker), "{body:?}");
}

#[test]
fn a_10_mb_line_is_indexed_whole_in_bounded_memory() {
    let s = Sandbox::generated(1);
    s.write("kommun/en-rad.txt", one_line(10 << 20, "slutordet"));
    // Just over the size read whole: five pieces of report text.
    let reports = many_reports(9 << 19, "sistaordet");
    s.write("kommun/stor.txt", &reports);
    let log = index_logged(&s);
    let rss = log["peak_rss_kb"].as_u64().unwrap();
    eprintln!("memory test: 10 MiB line: peak RSS {} MiB", rss / 1024);
    assert_eq!(log["outcome"], "warnings", "{log}");
    assert!(rss < RSS_BOUND_KB, "peak RSS {rss} KiB over {RSS_BOUND_KB}");
    // Nothing is lost: the last word and words from every piece are found.
    let v = s.json(&["search", "slutordet"]);
    assert_eq!(v["total"], 1);
    assert_eq!(v["hits"][0]["file"], "kommun/en-rad.txt");
    assert_eq!(v["hits"][0]["line"], 1);
    let line_pieces = s.json(&["search", "--kind", "text", "--limit", "100"])["facets"]["kind"]
        ["text"]
        .as_u64()
        .unwrap();
    assert!(line_pieces >= 10, "{line_pieces} text documents");
    check_last_line(&s, &reports, "sistaordet");
    // The reports file is parsed as reports to its end, across its pieces: one
    // assignment per block (the generated report has 20 more).
    let blocks = reports.lines().filter(|l| *l == ".").count() as u64;
    assert!(blocks > 400, "{blocks}");
    let v = s.json(&["search", "--kind", "uppdrag", "--limit", "1"]);
    assert_eq!(
        v["facets"]["kind"]["uppdrag"],
        blocks + 20,
        "{}",
        v["facets"]
    );
    let v = s.json(&["search", "sistaordet"]);
    assert_eq!(v["hits"][0]["kind"], "uppdrag", "{v}");
}

/// Memory stays flat as the largest file grows: the same 5 MiB of reports, once as
/// four files of 1.25 MiB and once as one file four times that size (over the 4 MiB
/// read whole, so read in pieces), indexed with the smallest writer budget (one thread,
/// 16 MB) peak within a few MiB of each other: the same index work, a larger file.
/// Measured in a debug build: 58 and 57 MiB; 69 MiB when the large file is read whole
/// (now, least of three runs: about 62 and 64 MiB; single runs spread 62-74 MiB).
/// Seconds, where the 100 MB test below takes minutes.
#[test]
fn peak_memory_is_flat_as_the_largest_file_grows() {
    let mut reports = Vec::new();
    let mut bytes = 0;
    while bytes < 5 << 20 {
        let r = report_text(1000 + reports.len() as u64, 20);
        bytes += r.len();
        reports.push(r);
    }
    let peak = |files: &[String]| {
        let s = Sandbox::empty();
        for (i, f) in files.iter().enumerate() {
            s.write(&format!("kommun/del-{i}.txt"), f);
        }
        let out = s.run(&[
            "index",
            "--quiet",
            "--threads",
            "1",
            "--memory",
            "16",
            "--log",
            "run.jsonl",
        ]);
        assert!(matches!(out.status.code(), Some(0 | 3)), "{}", stderr(&out));
        let log = std::fs::read_to_string(s.path().join("run.jsonl")).unwrap();
        let log: Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
        assert_eq!(s.total("sistaordet"), 1);
        let largest = files.iter().map(String::len).max().unwrap();
        let rss = log["peak_rss_kb"].as_u64().unwrap();
        eprintln!(
            "memory test: largest file {} KiB: peak RSS {} MiB",
            largest >> 10,
            rss / 1024
        );
        rss
    };
    let quarter = reports.len().div_ceil(4);
    let mut small: Vec<String> = reports.chunks(quarter).map(|c| c.concat()).collect();
    small.last_mut().unwrap().push_str("sistaordet\n");
    let large = [small.concat()];
    // Peak RSS varies from run to run by several MiB (when tantivy's threads allocate
    // against the reading), always upwards: the least of three runs is what the files
    // need.
    let least = |files: &[String]| (0..3).map(|_| peak(files)).min().unwrap();
    let (small_kb, large_kb) = (least(&small), least(&large));
    assert!(
        large_kb <= small_kb + FLAT_MARGIN_KB,
        "peak RSS {large_kb} KiB for one 5 MiB file, {small_kb} KiB for four 1.25 MiB files"
    );
}

/// How much more one file four times larger may take (the text read whole adds about
/// 11 MiB). 8 MiB since the shared word cache: a CI run on a fresh clone measured 68.9
/// against 61.9 MiB (least of three each), a local run 63 against 60.
const FLAT_MARGIN_KB: u64 = 8 * 1024;

#[test]
#[ignore = "long: writes and indexes a 100 MB file (minutes in a debug build)"]
fn a_100_mb_file_is_indexed_in_bounded_memory() {
    let s = Sandbox::generated(1);
    let text = many_reports(100 << 20, "slutordet");
    s.write("kommun/jattefil.txt", &text);
    let log = index_logged(&s);
    let rss = log["peak_rss_kb"].as_u64().unwrap();
    eprintln!(
        "memory test: 100 MiB file: peak RSS {} MiB, {} documents, {:.0} s",
        rss / 1024,
        log["documents"],
        log["seconds"].as_f64().unwrap()
    );
    assert!(rss < RSS_BOUND_KB, "peak RSS {rss} KiB over {RSS_BOUND_KB}");
    check_last_line(&s, &text, "slutordet");
}

// ---------------------------------------------------------------------------------------
// For cron

/// A file over 4 MiB is read in pieces: a note on stderr, not a warning. The build
/// exits 0 (a nightly job stays green), counts no warning, passes `--strict`, and
/// `--quiet` leaves the note out.
#[test]
fn a_large_file_is_a_note_not_a_warning() {
    // One report (one header) of enough assignments to pass 4 MiB.
    let mut blocks = 1000;
    let mut text = report_text(2000, blocks);
    while text.len() < (4 << 20) + (64 << 10) {
        blocks *= 2;
        text = report_text(2000, blocks);
    }
    let s = Sandbox::empty();
    s.write("kommun/stor.txt", &text);
    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("corpus/kommun/stor.txt: note: large file ("),
        "{err}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("; 0 warnings;"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = s.run(&["index", "--quiet", "--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn quiet_strict_and_log_for_cron() {
    let s = Sandbox::generated(2);
    // Success: nothing printed, exit 0.
    let out = s.run(&["index", "--quiet", "--log", "runs.jsonl"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let live = s.current().unwrap();

    // Warnings: on stderr only, exit 3, the new index is live.
    s.write("kommun/tom.txt", "");
    let out = s.run(&["index", "--quiet", "--log", "runs.jsonl"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty());
    assert_eq!(stderr(&out).trim(), "corpus/kommun/tom.txt: empty file");
    assert_ne!(s.current().unwrap(), live);
    let live = s.current().unwrap();
    let gens = s.generations();

    // --strict: the same warnings are a failure and nothing is switched or left behind.
    s.add_report(2);
    let out = s.run(&["index", "--quiet", "--strict", "--log", "runs.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("tom.txt: empty file"), "{err}");
    assert!(err.contains("--strict") && err.contains(&live), "{err}");
    assert_eq!(s.current().unwrap(), live);
    assert_eq!(s.generations(), gens);
    // The old index answers: two reports and tom.txt.
    assert_eq!(s.json(&["stats"])["files"], 3);
    assert_eq!(s.total(MARKER), 2);

    // Without the bad file --strict switches.
    std::fs::remove_file(s.corpus().join("kommun/tom.txt")).unwrap();
    let out = s.run(&["index", "--quiet", "--strict", "--log", "runs.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let log = std::fs::read_to_string(s.path().join("runs.jsonl")).unwrap();
    let runs: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let outcomes: Vec<(&str, u64)> = runs
        .iter()
        .map(|r| (r["outcome"].as_str().unwrap(), r["exit"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("success", 0),
            ("warnings", 3),
            ("failure", 1),
            ("success", 0)
        ]
    );
    for r in &runs {
        for key in [
            "start",
            "end",
            "files",
            "documents",
            "warnings",
            "generation",
            "outcome",
        ] {
            assert!(!r[key].is_null(), "{key} in {r}");
        }
    }
    assert_eq!(runs[1]["warnings"], 1);
    assert_eq!(
        runs[2]["generation"],
        live.as_str(),
        "still live after --strict"
    );
    assert_ne!(runs[2]["built"], live.as_str());
    assert_eq!(runs[3]["files"], 3);
}

#[test]
fn rollback_switches_back_and_stats_tells_which_build_is_live() {
    let s = Sandbox::generated(2);
    assert_eq!(s.run(&["index", "--quiet"]).status.code(), Some(0));
    let first = s.current().unwrap();
    s.add_report(2);
    assert_eq!(s.run(&["index", "--quiet"]).status.code(), Some(0));
    assert_eq!(s.check_live(&[3]), 3);
    let out = s.run(&["index", "--rollback"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.current().unwrap(), first);
    assert_eq!(s.check_live(&[2]), 2);
    let human = String::from_utf8_lossy(&s.run(&["stats"]).stdout).into_owned();
    assert!(
        human.contains(&format!("generation {first}")) && human.contains("(2 files)"),
        "{human}"
    );
}

#[test]
fn help_documents_the_index_exit_codes_strict_and_log() {
    let out = Command::new(BIN)
        .args(["index", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--strict",
        "--log <FILE>",
        "--quiet",
        "  3  success with warnings",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from\n{help}");
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("3  index only"));
}

/// A self-check that fails (forced through the test hook: one document more expected
/// than the index holds) stops the build: exit 1 naming the check, the previous
/// generation stays live and answers, and the failed one is removed.
#[test]
fn a_failed_self_check_keeps_the_previous_index_live() {
    let s = Sandbox::generated(2);
    assert_eq!(s.run(&["index", "--quiet"]).status.code(), Some(0));
    let live = s.current().unwrap();
    let gens = s.generations();
    s.add_report(2);
    let out = s
        .cmd(&["index", "--quiet", "--log", "runs.jsonl"])
        .env("RAPPORTSOK_TEST_FAIL", "self-check")
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let documents = 3 * s.blocks;
    assert!(
        err.contains(&format!(
            "self-check of the new index failed: {documents} documents in the index, {} added; \
             the previous index stays live",
            documents + 1
        )),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(s.current().unwrap(), live);
    assert_eq!(s.generations(), gens, "the failed generation is removed");
    assert_eq!(s.check_live(&[2]), 2);
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("runs.jsonl")).unwrap())
            .unwrap();
    assert_eq!(
        (&log["outcome"], &log["exit"]),
        (&"failure".into(), &1.into())
    );
    // Without the hook the same corpus builds and switches.
    assert_eq!(s.run(&["index", "--quiet"]).status.code(), Some(0));
    assert_eq!(s.check_live(&[3]), 3);
}

/// A search that reads `CURRENT`, finds the generation it names gone (a rebuild
/// switched and removed it in between) reads `CURRENT` once more. `CURRENT` is a named
/// pipe here, so the first read gets a removed generation and the second the live one.
#[test]
fn a_search_rereads_current_when_its_generation_vanished() {
    use rapportsok::searcher::{Request, Searcher};
    use std::os::unix::fs::OpenOptionsExt;
    let s = Sandbox::generated(2);
    assert_eq!(s.run(&["index", "--quiet"]).status.code(), Some(0));
    let live = s.current().unwrap();
    let current = s.index().join("CURRENT");
    std::fs::remove_file(&current).unwrap();
    let fifo = std::ffi::CString::new(current.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    // Each open of the pipe by the searcher gets one answer: first a generation that
    // no longer exists, then the live one. The writer gives up after a few seconds so
    // that a searcher that never reads again fails the test instead of hanging it.
    let answers = ["gen-000999\n".to_string(), format!("{live}\n")];
    let writer = {
        let current = current.clone();
        std::thread::spawn(move || {
            let mut served = 0;
            for answer in answers {
                let t = Instant::now();
                let mut f = loop {
                    // Opening for writing without a reader fails at once (ENXIO).
                    match std::fs::OpenOptions::new()
                        .write(true)
                        .custom_flags(libc::O_NONBLOCK)
                        .open(&current)
                    {
                        Ok(f) => break f,
                        Err(_) if t.elapsed() < Duration::from_secs(5) => {
                            std::thread::sleep(Duration::from_millis(1))
                        }
                        Err(_) => return served,
                    }
                };
                use std::io::Write;
                f.write_all(answer.as_bytes()).unwrap();
                drop(f);
                served += 1;
                // Let the reader see the end of this answer before the next open.
                std::thread::sleep(Duration::from_millis(200));
            }
            served
        })
    };
    let searcher = Searcher::open(&s.index());
    let served = writer.join().unwrap();
    let searcher = searcher.expect("opened the live generation on the second read");
    assert_eq!(served, 2, "CURRENT was read {served} times");
    assert_eq!(searcher.generation, live);
    assert_eq!(searcher.search(&Request::new(MARKER)).unwrap().total, 2);
}
