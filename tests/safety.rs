//! Data safety end to end (issue 9): the indexer touches only folders and files that are
//! its own, never replaces a live index with an empty or much smaller build, recovers
//! from dead builds and a full disk, rolls back only to known-good builds; readers need
//! no write access and follow a rebuild only once it is live; flags are capped; the index
//! location is explicit.
//!
//! Tests that need root (a tmpfs to fill, a read-only bind mount, another user) print a
//! visible note and skip when they cannot run.

use crate::util::{copy_dir, note, Sandbox};
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

/// Documents of the bundled corpus.
const BUNDLED_DOCS: u64 = 36;

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn index_refuses_a_folder_that_is_not_its_own_and_removes_only_its_own_names() {
    let s = Sandbox::new();
    // The reproduction: a user's folder with names that look like ours.
    std::fs::create_dir_all(s.p("d/gen-7")).unwrap();
    std::fs::write(s.p("d/gen-7/notes.txt"), "x").unwrap();
    std::fs::write(s.p("d/.draft.tmp.md"), "v").unwrap();
    let err = s.expect(&["index", "corpus", "--index", "d"], 1);
    assert!(err.contains("is not a rapportsok index"), "{err}");
    assert!(
        err.contains("gen-7") || err.contains(".draft.tmp.md"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(s.p("d/gen-7/notes.txt")).unwrap(),
        "x"
    );
    assert_eq!(
        std::fs::read_to_string(s.p("d/.draft.tmp.md")).unwrap(),
        "v"
    );
    assert!(!s.p("d/CURRENT").exists() && !s.p("d/.lock").exists());
    assert!(!s.p("d/RAPPORTSOK-INDEX").exists());

    // A new folder gets the marker first, and builds.
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    let marker = std::fs::read_to_string(s.p("idx/RAPPORTSOK-INDEX")).unwrap();
    assert!(marker.contains("format 1"), "{marker}");
    // Inside our own folder, names we never write are left alone by later builds.
    std::fs::create_dir_all(s.p("idx/gen-7")).unwrap();
    std::fs::write(s.p("idx/gen-7/notes.txt"), "x").unwrap();
    std::fs::write(s.p("idx/.draft.tmp.md"), "v").unwrap();
    std::fs::write(s.p("idx/notes.txt"), "n").unwrap();
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    assert!(s.p("idx/gen-7/notes.txt").exists());
    assert!(s.p("idx/.draft.tmp.md").exists());
    assert!(s.p("idx/notes.txt").exists());
    assert_eq!(
        s.generations_in("idx"),
        ["gen-000002", "gen-000003", "gen-7"]
    );

    // A marker of a newer format: refused, untouched.
    std::fs::create_dir_all(s.p("newer")).unwrap();
    std::fs::write(
        s.p("newer/RAPPORTSOK-INDEX"),
        "rapportsok index\nformat 99\n",
    )
    .unwrap();
    let err = s.expect(&["index", "corpus", "--index", "newer"], 1);
    assert!(err.contains("format 99"), "{err}");
    assert!(!s.p("newer/CURRENT").exists());
}

#[test]
fn an_index_of_an_older_rapportsok_is_adopted() {
    let s = Sandbox::new();
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    // What a version before the marker left: the same layout without the marker.
    std::fs::remove_file(s.p("idx/RAPPORTSOK-INDEX")).unwrap();
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    assert!(s.p("idx/RAPPORTSOK-INDEX").is_file());
    assert_eq!(s.current_in("idx").unwrap(), "gen-000002");
}

#[test]
fn the_index_never_goes_inside_the_corpus_or_the_corpus_inside_the_index() {
    let s = Sandbox::new();
    let err = s.expect(&["index", "corpus", "--index", "corpus/idx"], 1);
    assert!(err.contains("inside the corpus folder"), "{err}");
    assert!(!s.p("corpus/idx").exists());
    std::fs::create_dir_all(s.p("outer")).unwrap();
    copy_dir(&s.p("corpus"), &s.p("outer/corpus"));
    let err = s.expect(&["index", "outer/corpus", "--index", "outer"], 1);
    assert!(err.contains("inside the index folder"), "{err}");
    assert!(!s.p("outer/CURRENT").exists() && !s.p("outer/RAPPORTSOK-INDEX").exists());
}

#[test]
fn search_builds_only_the_default_index_and_says_which_path_it_tried() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.p("d")).unwrap();
    std::fs::write(s.p("d/mine.txt"), "x").unwrap();
    for (index, state) in [
        ("d", "holds no built index"),
        ("typo/rapportsk", "does not exist"),
        ("corpus", "holds no built index"),
    ] {
        let err = s.expect(&["search", "budget", "--index", index], 1);
        assert!(err.contains(&format!("no index in {index}")), "{err}");
        assert!(err.contains("given on the command line"), "{err}");
        assert!(err.contains(state), "{err}");
        assert!(err.contains("rapportsok index CORPUS --index"), "{err}");
    }
    assert_eq!(std::fs::read_dir(s.p("d")).unwrap().count(), 1);
    assert!(!s.p("typo").exists());
    assert!(!s.p("corpus/CURRENT").exists() && !s.p("corpus/.lock").exists());
    assert!(!s.p("corpus/RAPPORTSOK-INDEX").exists());

    // $RAPPORTSOK_INDEX is used when --index is not given, and named when it fails.
    let out = s
        .cmd(&["search", "budget"])
        .env("RAPPORTSOK_INDEX", s.p("elsewhere"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("from $RAPPORTSOK_INDEX"), "{err}");
    assert!(!s.p("elsewhere").exists() && !s.p("index").exists());
    // ... and by `index` (with $RAPPORTSOK_CORPUS), from any folder.
    let out = s
        .cmd(&["index", "--quiet"])
        .current_dir("/")
        .env("RAPPORTSOK_INDEX", s.p("elsewhere"))
        .env("RAPPORTSOK_CORPUS", s.p("corpus"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = s
        .cmd(&["search", "budget", "--json"])
        .current_dir("/")
        .env("RAPPORTSOK_INDEX", s.p("elsewhere"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["total"].as_u64().unwrap() > 0);
}

#[test]
fn four_first_searches_at_once_all_answer() {
    let s = Sandbox::new();
    let children: Vec<_> = (0..4)
        .map(|_| {
            s.cmd(&["search", "budget", "--json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["total"].as_u64().unwrap() > 0);
    }
    assert_eq!(s.generations_in("index").len(), 1);
}

#[test]
fn an_empty_or_much_smaller_corpus_never_replaces_the_live_index() {
    let s = Sandbox::new();
    // Two municipalities.
    copy_dir(&s.p("corpus/ostersund"), &s.p("corpus/annan"));
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    let before = s.documents("idx");
    assert_eq!(before, 2 * BUNDLED_DOCS);
    let live = s.current_in("idx").unwrap();

    std::fs::create_dir_all(s.p("empty")).unwrap();
    let err = s.expect(&["index", "empty", "--index", "idx", "--quiet"], 1);
    assert!(err.contains("found no documents in empty"), "{err}");
    assert_eq!(
        (s.current_in("idx").unwrap(), s.documents("idx")),
        (live.clone(), before)
    );

    // One municipality gone: half the documents, and a whole municipality lost.
    std::fs::remove_dir_all(s.p("corpus/annan")).unwrap();
    let err = s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 1);
    assert!(err.contains("annan"), "{err}");
    assert!(err.contains("--allow-shrink"), "{err}");
    assert_eq!(
        (s.current_in("idx").unwrap(), s.documents("idx")),
        (live.clone(), before)
    );
    assert_eq!(
        s.generations_in("idx"),
        std::slice::from_ref(&live),
        "the refused build is removed"
    );

    // Fewer than half the documents.
    copy_dir(&s.p("corpus/ostersund"), &s.p("corpus/annan"));
    for f in ["2021-T3.txt", "2022-T1.txt", "2022-T3.txt", "2023-T3.txt"] {
        std::fs::remove_file(s.p("corpus/annan").join(f)).unwrap();
        std::fs::remove_file(s.p("corpus/ostersund").join(f)).unwrap();
    }
    let err = s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 1);
    assert!(err.contains(&format!("the live index {before}")), "{err}");
    assert_eq!(s.current_in("idx").unwrap(), live);

    // Wanted: --allow-shrink.
    s.expect(
        &[
            "index",
            "corpus",
            "--index",
            "idx",
            "--quiet",
            "--allow-shrink",
        ],
        0,
    );
    assert!(s.documents("idx") < before / 2);
}

#[test]
fn dead_builds_leftovers_are_removed_before_building() {
    let s = Sandbox::new();
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    // What killed builds leave: incomplete generations and a pointer's temp file.
    for g in ["gen-000002", "gen-000003", "gen-000004"] {
        std::fs::create_dir_all(s.p("idx").join(g)).unwrap();
        std::fs::write(s.p("idx").join(g).join("x.store"), vec![0u8; 4096]).unwrap();
    }
    std::fs::write(s.p("idx/.CURRENT.tmp4242"), "gen-000003\n").unwrap();
    // A build that fails (empty corpus) after the lock still removes them: they are dead.
    std::fs::create_dir_all(s.p("empty")).unwrap();
    s.expect(&["index", "empty", "--index", "idx", "--quiet"], 1);
    assert_eq!(s.generations_in("idx"), ["gen-000001"]);
    assert!(!s.p("idx/.CURRENT.tmp4242").exists());
}

/// A tmpfs of `kib` KiB mounted on `dir` (root only); unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, kib: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_named_and_the_next_build_recovers() {
    let s = Sandbox::new();
    let Some(_fs) = is_root()
        .then(|| Tmpfs::mount(&s.p("small"), 2048))
        .flatten()
    else {
        note("skipping a_full_disk_is_named_and_the_next_build_recovers: needs root and tmpfs");
        return;
    };
    s.expect(&["index", "corpus", "--index", "small/idx", "--quiet"], 0);
    let live = s.current_in("small/idx").unwrap();
    // Fill the disk but for a few KiB.
    let mut filler = std::fs::File::create(s.p("small/filler")).unwrap();
    let block = vec![1u8; 16 * 1024];
    while filler.write_all(&block).is_ok() {}
    let _ = filler.sync_all();
    drop(filler);
    for _ in 0..2 {
        let err = s.expect(&["index", "corpus", "--index", "small/idx", "--quiet"], 1);
        assert!(err.contains("no space left"), "{err}");
        assert_eq!(s.current_in("small/idx").unwrap(), live);
        assert_eq!(s.documents("small/idx"), BUNDLED_DOCS);
    }
    std::fs::remove_file(s.p("small/filler")).unwrap();
    s.expect(&["index", "corpus", "--index", "small/idx", "--quiet"], 0);
    assert_eq!(
        s.generations_in("small/idx").len(),
        2,
        "live + one previous"
    );
}

#[test]
fn search_works_as_another_user_and_on_a_read_only_mount() {
    let s = Sandbox::new();
    s.expect(&["index", "corpus", "--index", "idx", "--quiet"], 0);
    // Files in a finished generation are readable by others (umask 022 here).
    let mode = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    };
    let gen = s.p("idx").join(s.current_in("idx").unwrap());
    for e in std::fs::read_dir(&gen).unwrap().flatten() {
        assert_eq!(mode(&e.path()) & 0o044, 0o044, "{}", e.path().display());
    }
    if !is_root() {
        note("skipping the other-user and read-only-mount part: needs root");
        return;
    }
    // Another user, who may not write anywhere in the index.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(s.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = s
        .cmd(&["search", "budget", "--index", "idx", "--json"])
        .uid(65534)
        .gid(65534)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "as nobody: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A read-only bind mount.
    std::fs::create_dir_all(s.p("ro")).unwrap();
    let bind = Command::new("mount")
        .args(["--bind"])
        .arg(s.p("idx"))
        .arg(s.p("ro"))
        .status()
        .is_ok_and(|st| st.success());
    if !bind {
        note("skipping the read-only-mount part: bind mounts are not allowed here");
        return;
    }
    let _umount = Tmpfs(s.p("ro"));
    let ro = Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(s.p("ro"))
        .status()
        .is_ok_and(|st| st.success());
    assert!(ro, "remount read-only");
    assert!(
        std::fs::write(s.p("ro/probe"), "x").is_err(),
        "mount is read-only"
    );
    for args in [
        &["search", "budget", "--index", "ro", "--json"][..],
        &["stats", "--index", "ro"],
        &["show", "ostersund/2023-T3.txt#1", "--index", "ro"],
        &["history", "klimatbudget", "--index", "ro"],
    ] {
        s.expect(args, 0);
    }
}

#[test]
fn rollback_keeps_the_known_good_build_and_checks_its_target() {
    let s = Sandbox::new();
    let index = |extra: &[&str]| {
        let mut a = vec![
            "index", "corpus", "--index", "idx", "--quiet", "--keep", "1",
        ];
        a.extend_from_slice(extra);
        s.expect(&a, 0);
    };
    index(&[]);
    index(&[]);
    s.expect(&["index", "--rollback", "--index", "idx"], 0);
    assert_eq!(s.current_in("idx").unwrap(), "gen-000001");
    index(&[]);
    assert_eq!(s.current_in("idx").unwrap(), "gen-000003");
    assert_eq!(
        s.generations_in("idx"),
        ["gen-000001", "gen-000003"],
        "the known-good gen-1 is kept, the rolled-away gen-2 removed"
    );
    s.expect(&["index", "--rollback", "--index", "idx"], 0);
    assert_eq!(s.current_in("idx").unwrap(), "gen-000001");

    // A damaged target: refused, the live build stays.
    index(&[]);
    assert_eq!(s.current_in("idx").unwrap(), "gen-000004");
    for e in std::fs::read_dir(s.p("idx/gen-000001")).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "store") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    let err = s.expect(&["index", "--rollback", "--index", "idx"], 1);
    assert!(err.contains("damaged"), "{err}");
    assert_eq!(s.current_in("idx").unwrap(), "gen-000004");
    assert_eq!(s.documents("idx"), BUNDLED_DOCS);
}

#[test]
fn thread_and_memory_flags_are_capped_as_usage_errors() {
    let s = Sandbox::new();
    for args in [
        &["--threads", "100000"][..],
        &["--memory", "20000", "--threads", "1"],
        &["--memory", "17592186044416"],
        &["--memory", "1"],
    ] {
        let mut a = vec!["index", "corpus", "--index", "idx"];
        a.extend_from_slice(args);
        let err = s.expect(&a, 2);
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(!s.p("idx").exists(), "nothing written by a usage error");
}

#[test]
fn current_naming_anything_but_a_generation_is_refused() {
    let s = Sandbox::new();
    s.expect(&["index", "corpus", "--index", "a", "--quiet"], 0);
    s.expect(&["index", "corpus", "--index", "b", "--quiet"], 0);
    let other = s.p("b").join(s.current_in("b").unwrap());
    for bad in [other.display().to_string(), "../b/gen-000001".into()] {
        std::fs::write(s.p("a/CURRENT"), format!("{bad}\n")).unwrap();
        let err = s.expect(&["search", "budget", "--index", "a"], 1);
        assert!(err.contains("not a generation of this index"), "{err}");
    }
}

/// What a web server sees across a nightly build (issue 10): a long-lived reader learns
/// that a newer generation is live and moves to it, while a request in flight finishes on
/// the generation it started with, even after the build removed that generation's folder.
/// A build that fails, or that `strict` discards, changes nothing for the reader; a
/// rollback is followed like a build.
#[test]
fn a_long_lived_reader_moves_to_the_generation_made_live_and_only_to_it() {
    use rapportsok::indexer::{self, BuildOptions, NoProgress};
    use rapportsok::searcher::{LiveIndex, Request, Searcher};
    let s = Sandbox::new();
    let index = s.p("idx");
    let build = |corpus: &str, keep: usize, strict: bool| {
        let opts = BuildOptions {
            keep,
            strict,
            ..BuildOptions::new(s.p(corpus), &index)
        };
        indexer::build(&opts, &NoProgress)
    };
    let total =
        |searcher: &Searcher, word: &str| searcher.search(&Request::new(word)).unwrap().total;
    build("corpus", 1, false).unwrap();
    let live = LiveIndex::open(&index).unwrap();
    let first = live.searcher();
    assert!(!first.is_stale().unwrap());
    assert!(!live.refresh().unwrap(), "nothing newer yet");
    let budget = total(&first, "budget");
    assert!(budget > 0);

    std::fs::create_dir_all(s.p("corpus/umea")).unwrap();
    std::fs::write(
        s.p("corpus/umea/2024-T1.txt"),
        "Uppdrag om xylofonorkestern\n\nKulturnämnden utreder xylofonorkestern.\n",
    )
    .unwrap();
    // A failed build and a build discarded by `strict` leave the reader where it is.
    std::fs::create_dir_all(s.p("empty")).unwrap();
    assert!(build("empty", 1, false).is_err());
    std::fs::write(s.p("corpus/umea/tom.txt"), "").unwrap();
    let discarded = build("corpus", 1, true).unwrap();
    assert!(!discarded.switched);
    assert!(!first.is_stale().unwrap());
    assert!(!live.refresh().unwrap());
    assert!(Arc::ptr_eq(&first, &live.searcher()));
    assert_eq!(total(&live.searcher(), "xylofonorkestern"), 0);

    // The nightly build goes live and removes the generation `first` reads (keep 0).
    std::fs::remove_file(s.p("corpus/umea/tom.txt")).unwrap();
    let nightly = build("corpus", 0, false).unwrap();
    assert!(nightly.switched);
    assert_eq!(nightly.removed, std::slice::from_ref(&first.generation));
    assert!(first.is_stale().unwrap());
    assert!(live.refresh().unwrap());
    let second = live.searcher();
    assert_eq!(second.generation, nightly.info.generation);
    assert!(!second.is_stale().unwrap());
    assert!(!live.refresh().unwrap(), "moved once");
    assert_eq!(total(&second, "xylofonorkestern"), 1);
    // The request in flight still reads the old generation, from its open files.
    assert!(!s.p("idx").join(&first.generation).exists());
    assert_eq!(total(&first, "xylofonorkestern"), 0);
    assert_eq!(total(&first, "budget"), budget);

    // A rollback is a move too, back to an older generation.
    let third = build("corpus", 1, false).unwrap();
    assert!(live.refresh().unwrap());
    assert_eq!(live.searcher().generation, third.info.generation);
    let (_, to) = indexer::rollback(&index).unwrap();
    assert_eq!(to, second.generation);
    let reopened = live
        .searcher()
        .reopen()
        .unwrap()
        .expect("the rollback is live");
    assert_eq!(reopened.generation, second.generation);
    assert!(live.refresh().unwrap());
    assert_eq!(live.searcher().generation, second.generation);
}
