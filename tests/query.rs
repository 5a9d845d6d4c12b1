//! The query language as a user meets it (issue 14, items 4-7): an exclusion removes
//! exactly what the word matches; every query example of the README and of `--help`
//! does what its text says (the examples are read out of the README and the help, so
//! the test follows them); the relaxed fallback drops function words and says so;
//! synonyms and committee names at query time; prefix searches.

use crate::util::{shell_words, stderr, Sandbox, ROOT};
use rapportsok::searcher::query::{self, Atom, Scope};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

type Ids = BTreeSet<String>;

/// The ids of a search's hits (all of them: the limit is the cap).
fn ids_of(v: &Value) -> Ids {
    crate::util::ids(v).into_iter().collect()
}

/// `search --json --limit 10000 FLAGS... -- QUERY`.
fn search(s: &Sandbox, q: &str, flags: &[String]) -> Value {
    let mut args: Vec<&str> = vec!["search", "--json", "--limit", "10000"];
    args.extend(flags.iter().map(String::as_str));
    args.push("--");
    if !q.is_empty() {
        args.push(q);
    }
    let out = s.cmd(&args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn ids(s: &Sandbox, q: &str, flags: &[String]) -> Ids {
    ids_of(&search(s, q, flags))
}

/// An atom as it is typed, with its field prefix.
fn typed(a: &Atom) -> String {
    let scope = match a.scope {
        Scope::All => "",
        Scope::Title => "title:",
        Scope::Body => "body:",
    };
    format!("{scope}{}", a.display())
}

/// What a query must find by the rules of the syntax (words AND-ed, `OR` either,
/// `-` removes what the word finds), from the searches of its atoms one by one; `None`
/// when no document matches it whole (then the search is relaxed instead).
fn expected(s: &Sandbox, q: &str, flags: &[String]) -> Option<Ids> {
    let parsed = query::parse(q).unwrap();
    let mut set: Ids = ids(s, "", flags);
    for clause in &parsed.clauses {
        let any: Ids = clause
            .alternatives
            .iter()
            .flat_map(|a| ids(s, &typed(a), flags))
            .collect();
        set = set.intersection(&any).cloned().collect();
    }
    for a in &parsed.excluded {
        for id in ids(s, &typed(a), flags) {
            set.remove(&id);
        }
    }
    (!set.is_empty() || parsed.clauses.len() < 2).then_some(set)
}

/// Check that the query finds exactly what its syntax says; returns a failure message.
fn check_example(s: &Sandbox, q: &str, flags: &[String], origin: &str) -> Option<String> {
    let v = search(s, q, flags);
    match expected(s, q, flags) {
        Some(want) => {
            let got = ids_of(&v);
            (got != want || v["relaxed"] == true).then(|| {
                format!(
                    "{origin}: `{q}` {flags:?}: found {got:?}, the syntax says {want:?} \
                     (relaxed: {})",
                    v["relaxed"]
                )
            })
        }
        // No document matches it whole: relaxed, or nothing at all.
        None => (v["relaxed"] != true && v["total"] != 0)
            .then(|| format!("{origin}: `{q}`: no document matches it whole: {v}")),
    }
}

/// Issue 14 item 4: `klimat -budget`, an example of the README and of `--help`, found
/// "Utred hur en klimatbudget ..." although `budget` finds "klimatbudget".
#[test]
fn an_exclusion_removes_what_the_word_finds() {
    let s = Sandbox::indexed();
    let v = search(&s, "klimat -budget", &[]);
    let titles: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    assert!(
        !titles.iter().any(|t| t.contains("klimatbudget")),
        "{titles:?}"
    );
    let all = ids(&s, "", &[]);
    assert_eq!(all.len(), 36);
    // Word, compound part, folded form, typo, phrase, prefix, field, synonym: what the
    // word finds and what its exclusion leaves are complementary.
    for q in [
        "budget",
        "ohalsa",
        "valdeltgande",
        "arbetsmarknad",
        "\"psykisk ohälsa\"",
        "psyk*",
        "title:budget",
        "Europaparlamentsvalet",
        "kommunstyrelsen",
    ] {
        let found = ids(&s, q, &[]);
        assert!(!found.is_empty(), "{q} finds nothing");
        let rest = ids(&s, &format!("-{q}"), &[]);
        assert!(found.is_disjoint(&rest), "{q}: excluded but found: {:?}", {
            found.intersection(&rest).collect::<Vec<_>>()
        });
        assert_eq!(found.len() + rest.len(), all.len(), "{q}");
    }
    // With --exact the typo is neither found nor excluded.
    let exact = ["--exact".to_string()];
    assert!(ids(&s, "valdeltgande", &exact).is_empty());
    assert_eq!(ids(&s, "-valdeltgande", &exact).len(), 36);
}

/// The query examples of the README's *Query syntax* table (each backticked example of
/// its first column).
fn readme_examples(readme: &str) -> Vec<String> {
    let start = readme
        .find("### Query syntax")
        .expect("README has Query syntax");
    let mut out = Vec::new();
    for line in readme[start..].lines().skip(1) {
        if line.starts_with("##") {
            break;
        }
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        let first = row.split(" | ").next().unwrap();
        for (i, piece) in format!("`{first}").split('`').enumerate() {
            if i % 2 == 1 {
                let q = piece
                    .trim_start_matches("search ")
                    .trim_start_matches("-- ");
                out.push(q.to_string());
            }
        }
    }
    out
}

/// The query examples of `search --help`'s *Query syntax* block (the first column).
fn help_syntax_examples(help: &str) -> Vec<String> {
    let start = help
        .find("Query syntax:")
        .expect("search --help has Query syntax");
    help[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .map(|l| {
            let example = l.trim_start().split("  ").next().unwrap();
            example.trim_start_matches("-- ").to_string()
        })
        .collect()
}

/// The `rapportsok search` examples of a help text: (query, flags), the shell's
/// quoting undone, without a trailing `(comment)`, pipe or redirection; `None` for an
/// example whose output is no search JSON (`--csv`, `--by`, `--group`).
fn help_search_examples(help: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for line in help.lines() {
        let Some(rest) = line.trim_start().strip_prefix("rapportsok search ") else {
            continue;
        };
        let rest = rest.split("  ").next().unwrap();
        let rest = rest.split(['|', '>']).next().unwrap();
        let words = shell_words(rest);
        if words
            .iter()
            .any(|w| ["--csv", "--csv-excel", "--by", "--group"].contains(&w.as_str()))
        {
            continue;
        }
        let mut query = Vec::new();
        let mut flags = Vec::new();
        let mut after_dashes = false;
        let mut it = words.into_iter();
        while let Some(w) = it.next() {
            if w == "--" {
                after_dashes = true;
            } else if after_dashes || !w.starts_with("--") {
                if flags.is_empty() || after_dashes {
                    query.push(w);
                } else {
                    flags.push(w);
                }
            } else if w != "--json" {
                let takes_value = !["--exact", "--explain"].contains(&w.as_str());
                flags.push(w);
                if takes_value {
                    flags.extend(it.next());
                }
            }
        }
        out.push((query.join(" "), flags));
    }
    out
}

/// Issue 14 item 4: every query example of the README and of `--help` does what the
/// text says. The examples are read from the texts, so a new one is checked too.
#[test]
fn the_query_examples_of_the_readme_and_help_do_what_they_say() {
    let s = Sandbox::indexed();
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let mut examples: Vec<(String, Vec<String>, String)> = readme_examples(&readme)
        .into_iter()
        .map(|q| (q, Vec::new(), "README Query syntax".to_string()))
        .collect();
    assert!(examples.len() >= 8, "{examples:?}");
    assert!(examples.iter().any(|(q, _, _)| q == "klimat -budget"));
    let search_help = s.stdout(&["search", "--help"]);
    let syntax = help_syntax_examples(&search_help);
    assert!(syntax.len() >= 6, "{syntax:?}");
    examples.extend(
        syntax
            .into_iter()
            .map(|q| (q, Vec::new(), "search --help Query syntax".to_string())),
    );
    for (help, name) in [
        (search_help.as_str(), "search --help"),
        (&s.stdout(&["--help"]), "--help"),
    ] {
        let found = help_search_examples(help);
        assert!(found.len() >= 3, "{name}: {found:?}");
        examples.extend(found.into_iter().map(|(q, f)| (q, f, name.to_string())));
    }
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|(q, flags, origin)| check_example(&s, q, flags, origin))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn example_parsers_read_the_texts() {
    let readme = "### Query syntax\n\n| you type | it finds |\n|---|---|\n\
                  | `a b` | both |\n| `title:a`, `body:a` | x |\n| `search -- -a` | y |\n## Next\n| `z` | no |\n";
    assert_eq!(readme_examples(readme), ["a b", "title:a", "body:a", "-a"]);
    let help = "Query syntax:\n  a b          both (also\n                  x)\n  -- -a        lone\n\nMore";
    assert_eq!(help_syntax_examples(help), ["a b", "-a"]);
    let ex = help_search_examples(
        "  rapportsok search \"psykisk ohälsa\" --committee BUN\n  rapportsok search budget --csv > x\n  rapportsok search suicid --json | jq x\n  rapportsok search -- -budget   (a dash)\n  rapportsok search --year 2021 --status \"inte genomfört\"  (no query)\n",
    );
    let want: Vec<(String, Vec<String>)> = vec![
        (
            "psykisk ohälsa".into(),
            vec!["--committee".into(), "BUN".into()],
        ),
        ("suicid".into(), vec![]),
        ("-budget".into(), vec![]),
        (
            String::new(),
            vec![
                "--year".into(),
                "2021".into(),
                "--status".into(),
                "inte genomfört".into(),
            ],
        ),
    ];
    assert_eq!(ex, want);
}

/// Issue 14 item 5: `ekonomi i balans` fell back to any word, so "i" returned 31 of 36
/// documents.
#[test]
fn the_fallback_drops_function_words_and_prefers_documents_with_most_words() {
    let s = Sandbox::indexed();
    let v = search(&s, "ekonomi i balans", &[]);
    assert_eq!(v["relaxed"], true, "{v}");
    assert_eq!(
        v["relaxation"],
        serde_json::json!({"words": ["ekonomi", "balans"], "min_match": 1, "dropped": ["i"]})
    );
    let got = ids_of(&v);
    let either: Ids = ids(&s, "ekonomi OR balans", &[]);
    assert_eq!(got, either);
    assert!(got.len() < 31, "{}", got.len());
    let human = s.stdout(&["search", "ekonomi i balans"]);
    assert!(
        human.starts_with(
            "Inga dokument innehöll alla orden; visar dokument med något av orden ekonomi, \
             balans (småord som inte krävs: i)."
        ),
        "{human}"
    );
    // Three words no document holds together: the documents holding two of them, and
    // none holding only one.
    let words = ["suicid", "klimatbudget", "budget"];
    let v = search(&s, &words.join(" "), &[]);
    assert_eq!(v["relaxation"]["min_match"], 2, "{v}");
    let sets: Vec<Ids> = words.iter().map(|w| ids(&s, w, &[])).collect();
    let two: Ids = ids(&s, "", &[])
        .into_iter()
        .filter(|id| sets.iter().filter(|set| set.contains(id)).count() >= 2)
        .collect();
    assert!(!two.is_empty());
    assert_eq!(ids_of(&v), two);
    assert!(s
        .stdout(&["search", "suicid klimatbudget budget"])
        .starts_with("Inga dokument innehöll alla orden; visar dokument med 2 av orden"));
    // A whole match is not relaxed; relaxation is null.
    let v = search(&s, "psykisk ohälsa", &[]);
    assert_eq!(
        (v["relaxed"].clone(), v["relaxation"].clone()),
        (false.into(), Value::Null)
    );
}

/// Issue 14 item 6: the asker's words find the report's.
#[test]
fn synonyms_and_committee_names_widen_a_query_below_the_typed_words() {
    let s = Sandbox::indexed();
    // "EU-valet" is what 2023-T3 #5 says.
    let v = search(&s, "Europaparlamentsvalet", &["--explain".to_string()]);
    assert!(ids_of(&v).contains("ostersund/2023-T3.txt#5"), "{v}");
    assert_eq!(v["expansions"][0]["how"], "synonym", "{v}");
    assert!(v["hits"][0]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["how"] == "synonym"));
    let human = s.stdout(&["search", "Europaparlamentsvalet", "--explain"]);
    assert!(
        human.starts_with("Europaparlamentsvalet -> synonym: EU-valet"),
        "{human}"
    );
    // Committee names match the committee field: KS assignments about budget.
    let v = search(&s, "kommunstyrelsen budget", &[]);
    assert_eq!(v["relaxed"], false, "{v}");
    let hits = v["hits"].as_array().unwrap();
    assert!(hits.len() >= 3, "{v}");
    assert!(hits.iter().all(|h| h["committees"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "KS")));
    assert!(hits
        .iter()
        .any(|h| h["title"].as_str().unwrap().contains("klimatbudget")));
    // A user file in the index folder is used without a rebuild, and ranks the
    // synonym below the typed word.
    std::fs::write(
        s.index().join("synonyms.txt"),
        "# mine\nsuicid, klimatbudget\n",
    )
    .unwrap();
    let v = search(&s, "suicid", &[]);
    let order: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order[..2],
        ["ostersund/2023-T3.txt#2", "ostersund/2021-T3.txt#6"],
        "{v}"
    );
    // ... and replaces the built-in list.
    assert!(ids(&s, "Europaparlamentsvalet", &[]).is_empty());
    // --synonyms wins over the folder's file.
    std::fs::write(s.p("mine.txt"), "Europaparlamentsvalet, EU-valet\n").unwrap();
    let flag = ["--synonyms".to_string(), "mine.txt".to_string()];
    assert_eq!(ids(&s, "Europaparlamentsvalet", &flag).len(), 1);
    assert_eq!(ids(&s, "suicid", &flag).len(), 1);
    // Bad files: the file and line, exit 2 for the flag, 1 for the folder's file.
    std::fs::write(s.p("bad.txt"), "a, b\nensam\n").unwrap();
    let err = s.expect(&["search", "budget", "--synonyms", "bad.txt"], 2);
    assert!(
        err.contains("bad.txt:2: 'ensam' is a group of one"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let err = s.expect(&["search", "budget", "--synonyms", "missing.txt"], 2);
    assert!(
        err.contains("cannot read the synonym file missing.txt"),
        "{err}"
    );
    std::fs::write(s.index().join("synonyms.txt"), "a,, b\n").unwrap();
    let err = s.expect(&["search", "budget"], 1);
    assert!(err.contains("synonyms.txt:1: an empty entry"), "{err}");
}

/// Issue 14 item 7: `psyk*` found nothing and gave no hint.
#[test]
fn prefix_searches_find_words_starting_with_the_prefix() {
    let s = Sandbox::indexed();
    let v = search(&s, "psyk*", &["--explain".to_string()]);
    let found = ids_of(&v);
    assert!(found.len() >= 4, "{v}");
    assert!(found.is_superset(&ids(&s, "psykisk", &[])));
    assert!(found.is_superset(&ids(&s, "psykiatri", &[])));
    // Every hit shows a highlighted word that starts with the prefix (or holds it as
    // a compound part).
    for h in v["hits"].as_array().unwrap() {
        let mut marked = Vec::new();
        let mut mark = |text: &str, ranges: &Value| {
            for r in ranges.as_array().unwrap() {
                let (a, b) = (
                    r[0].as_u64().unwrap() as usize,
                    r[1].as_u64().unwrap() as usize,
                );
                marked.push(text[a..b].to_lowercase());
            }
        };
        mark(h["title"].as_str().unwrap(), &h["title_highlights"]);
        for p in h["passages"].as_array().unwrap() {
            mark(p["text"].as_str().unwrap(), &p["highlights"]);
        }
        assert!(
            !marked.is_empty() && marked.iter().all(|m| m.contains("psyk")),
            "{}: {marked:?}",
            h["id"]
        );
    }
    let e = &v["expansions"][0];
    assert_eq!(
        (e["query"].clone(), e["how"].clone()),
        ("psyk*".into(), "prefix".into())
    );
    assert!(e["terms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "psykisk"));
    let human = s.stdout(&["search", "psyk*", "--explain"]);
    assert!(human.starts_with("psyk* -> prefix: psykisk"), "{human}");
    // In a field, with a word, excluded.
    assert!(!ids(&s, "title:psyk*", &[]).is_empty());
    assert!(ids(&s, "title:psyk*", &[]).is_subset(&found));
    assert!(ids(&s, "psyk* ohälsa", &[]).is_superset(&ids(&s, "psykisk ohälsa", &[])));
    // A prefix nothing starts with finds nothing (it is not dropped).
    assert!(ids(&s, "xyzq*", &[]).is_empty());
    // Too short: a usage error naming the column, before any index is opened.
    let bare = Sandbox::bare();
    let err = bare.expect(&["search", "budget ps*"], 2);
    assert!(
        err.contains("column 8") && err.contains("at least 3 letters before the *"),
        "{err}"
    );
}

/// `--explain` of a query whose proximity phrase first matches after a hit: tantivy's
/// phrase scorer asserted (debug builds) when asked to explain a document before its
/// first match, so `search --explain` panicked on "resultat matematik".
#[test]
fn explain_never_asks_a_phrase_about_a_document_before_its_first_match() {
    let s = Sandbox::of("tests/relevance/corpus");
    s.expect(&["index", "--quiet"], 0);
    let out = s
        .cmd(&["search", "resultat matematik", "--explain", "--json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty(), "{v}");
    assert!(
        hits.iter()
            .all(|h| h["explanation"].as_array().is_some_and(|e| !e.is_empty())),
        "{v}"
    );
}
