//! End-to-end tests of the `rapportsok` binary on a copy of the bundled corpus in a
//! temporary folder: what a user types, what a script parses.

use crate::util::{ids, shell_words, Sandbox, ROOT, STORBY};
use assert_cmd::prelude::*;
use serde_json::Value;
use std::path::Path;

#[test]
fn first_search_builds_the_index_and_says_so() {
    let s = Sandbox::new();
    let out = s.cmd(&["search", "psykisk ohälsa"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("building it from corpus/"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("ostersund/2023-T3.txt#1"), "{stdout}");
    assert!(s.path().join("index/CURRENT").exists());
}

#[test]
fn psykisk_ohalsa_across_years() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "psykisk ohälsa"]);
    let ids = ids(&v);
    assert!(
        ids.contains(&"ostersund/2023-T3.txt#1".to_string()),
        "{ids:?}"
    );
    assert!(
        ids.iter().any(|i| i.starts_with("ostersund/2022-T3.txt#")),
        "{ids:?}"
    );
    assert!(
        ids.iter().any(|i| i.starts_with("ostersund/2023-T3.txt#")),
        "{ids:?}"
    );
    // The 2022 assignments that discuss it: "Öka barns välbefinnande" and "Genomför
    // åtgärder för att minska den psykiska ohälsan".
    for id in ["ostersund/2022-T3.txt#2", "ostersund/2022-T3.txt#3"] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    // Assignments that never mention it are not returned.
    assert!(
        !ids.iter().any(|i| i.starts_with("ostersund/2021-T3.txt#")),
        "{ids:?}"
    );
    assert_eq!(v["total"].as_u64().unwrap() as usize, ids.len());
}

#[test]
fn committee_filter_leaves_only_bun() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "psykisk ohälsa", "--committee", "BUN"]);
    assert_eq!(ids(&v), ["ostersund/2023-T3.txt#1"]);
    // Swedish alias, lower case.
    let v = s.json(&["search", "psykisk ohälsa", "--nämnd", "bun"]);
    assert_eq!(ids(&v), ["ostersund/2023-T3.txt#1"]);
}

#[test]
fn committee_filter_includes_assignments_to_all_committees() {
    let s = Sandbox::indexed();
    // TN is a committee of the index; none of its own assignments mentions suicid.
    let v = s.json(&["search", "suicid", "--committee", "TN"]);
    assert_eq!(ids(&v), ["ostersund/2023-T3.txt#2"]);
    assert_eq!(v["hits"][0]["committees"][0], "alla");
}

/// Issue 10, item 2: a committee or municipality the index does not hold is a usage
/// error that lists the ones it holds (a committee found only the assignments to all
/// committees, a municipality nothing); a municipality's display name is accepted.
#[test]
fn unknown_committee_or_municipality_lists_the_known_ones() {
    let s = Sandbox::indexed();
    for (args, want) in [
        (
            &["search", "suicid", "--committee", "XYZ"][..],
            "rapportsok: unknown committee 'XYZ'; the index has: BUN, KFN, KS, SAN, TN, VON, alla\n",
        ),
        (
            &["search", "budget", "--kommun", "Umeå", "--csv"],
            "rapportsok: unknown municipality 'umeå'; the index has: ostersund\n",
        ),
        (
            &["search", "--by", "year", "--nämnd", "MSN"],
            "rapportsok: unknown committee 'MSN'; the index has: BUN, KFN, KS, SAN, TN, VON, alla\n",
        ),
        (
            &["slipping", "--kommun", "storby"],
            "rapportsok: unknown municipality 'storby'; the index has: ostersund\n",
        ),
    ] {
        let out = s.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), want, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let folder = s.json(&["search", "budget", "--kommun", "ostersund"]);
    for name in ["Östersund", "ÖSTERSUND", "Ostersund"] {
        let v = s.json(&["search", "budget", "--kommun", name]);
        assert_eq!(ids(&v), ids(&folder), "{name}");
        let slips = |kommun: &str| {
            let mut c = s.cmd(&["slipping", "--kommun", kommun]);
            c.assert().success().get_output().stdout.clone()
        };
        assert_eq!(slips(name), slips("ostersund"), "{name}");
    }
    assert!(folder["total"].as_u64().unwrap() > 0);
}

#[test]
fn filters_without_query_list_the_four_2021_not_done() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "--year", "2021", "--status", "ej_genomfort"]);
    let ids = ids(&v);
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert_eq!(v["total"], 4);
    for h in v["hits"].as_array().unwrap() {
        assert_eq!(h["year"], 2021);
        assert_eq!(h["status"], "ej_genomfort");
        assert!(h["score"].is_null());
    }
    // Swedish wording and the year alias give the same.
    let v2 = s.json(&["search", "--år", "2021", "--status", "inte genomfört"]);
    assert_eq!(self::ids(&v2), ids);
    // The labels history, --group and slipping print are accepted too, in both genders.
    for label in ["ej genomfört", "ej genomförd", "inte genomförd"] {
        let v3 = s.json(&["search", "--år", "2021", "--status", label]);
        assert_eq!(self::ids(&v3), ids, "{label}");
    }
    for label in [
        "bedöms genomfört",
        "bedöms ej genomfört",
        "genomförd",
        "delvis genomförd",
    ] {
        s.cmd(&["search", "--status", label]).assert().success();
    }
}

#[test]
fn filter_only_lists_newest_first() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "--kind", "uppdrag", "--limit", "100"]);
    let years: Vec<u64> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["year"].as_u64().unwrap())
        .collect();
    assert_eq!(years.len(), 28);
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");
    assert_eq!(years[0], 2023);
}

#[test]
fn paging_numbers_from_the_offset_and_says_the_range() {
    let s = Sandbox::indexed();
    let out = s
        .cmd(&["search", "--year", "2023", "--limit", "2", "--offset", "2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().split_once(". ").map(|(n, _)| n))
        .filter(|n| n.parse::<usize>().is_ok())
        .collect();
    assert_eq!(numbers, ["3", "4"], "{text}");
    assert!(text.contains("6 träffar (visar 3–4 av 6)"), "{text}");
    // Grouped by thread: the groups are numbered from the offset too.
    let out = s
        .cmd(&[
            "search", "psykisk", "--group", "--limit", "1", "--offset", "1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(" 2. "), "{text}");
    assert!(text.contains("(visar 2 av "), "{text}");
}

#[test]
fn filter_only_listing_of_one_report_comes_in_file_order() {
    let s = Sandbox::indexed();
    // Several indexing threads spread one file's documents over segments; the listing
    // must still follow the report: newest period first, then file, then position.
    for threads in ["1", "4"] {
        s.cmd(&["index", "--quiet", "--threads", threads])
            .assert()
            .success();
        let v = s.json(&["search", "--year", "2023", "--kind", "uppdrag"]);
        assert_eq!(
            ids(&v),
            (1..=5)
                .map(|n| format!("ostersund/2023-T3.txt#{n}"))
                .collect::<Vec<_>>(),
            "--threads {threads}"
        );
        // A page of the listing is the same slice of that order.
        let v = s.json(&[
            "search", "--year", "2023", "--kind", "uppdrag", "--limit", "2", "--offset", "1",
        ]);
        assert_eq!(
            ids(&v),
            ["ostersund/2023-T3.txt#2", "ostersund/2023-T3.txt#3"],
            "--threads {threads}"
        );
    }
    // Across periods: newest first, and within a period by file and position.
    let v = s.json(&["search", "--kind", "uppdrag", "--limit", "100"]);
    let keys: Vec<(u64, u64, String, u64)> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let t = h["tertial"].as_str().unwrap_or("T9");
            (
                h["year"].as_u64().unwrap(),
                t[1..].parse().unwrap(),
                h["file"].as_str().unwrap().to_string(),
                h["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| {
        (b.0, b.1)
            .cmp(&(a.0, a.1))
            .then((&a.2, a.3).cmp(&(&b.2, b.3)))
    });
    assert_eq!(keys, sorted);
}

#[test]
fn highlights_are_only_words_that_matched() {
    let s = Sandbox::indexed();
    // Lower-case "eller" is a word (stem "ell"); "ideella" holds those letters but no
    // document matched it, so it must not be highlighted in a passage or a title.
    let v = s.json(&["search", "psykisk eller suicid", "--limit", "50"]);
    let mut marked = Vec::new();
    for h in v["hits"].as_array().unwrap() {
        let title = h["title"].as_str().unwrap();
        for r in h["title_highlights"].as_array().unwrap() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            marked.push(title[a..b].to_lowercase());
        }
        for p in h["passages"].as_array().unwrap() {
            let text = p["text"].as_str().unwrap();
            for r in p["highlights"].as_array().unwrap() {
                let (a, b) = (
                    r[0].as_u64().unwrap() as usize,
                    r[1].as_u64().unwrap() as usize,
                );
                marked.push(text[a..b].to_lowercase());
            }
        }
    }
    assert!(marked.iter().any(|m| m == "suicid"), "{marked:?}");
    assert!(!marked.iter().any(|m| m.starts_with("ideel")), "{marked:?}");
    // Upper-case ELLER is OR: the same documents as OR.
    let or = s.json(&["search", "psykisk OR suicid", "--limit", "50"]);
    let eller = s.json(&["search", "psykisk ELLER suicid", "--limit", "50"]);
    assert_eq!(ids(&or), ids(&eller));
    assert_eq!(eller["relaxed"], false);
    // A word searched only in bodies is not highlighted in titles, and the reverse.
    let v = s.json(&["search", "body:psykisk"]);
    let hit = &v["hits"][0];
    assert!(hit["title"].as_str().unwrap().contains("psykisk"));
    assert_eq!(hit["title_highlights"], serde_json::json!([]), "{hit}");
    assert_ne!(hit["passages"][0]["highlights"], serde_json::json!([]));
    let v = s.json(&["search", "title:psykisk"]);
    let hit = &v["hits"][0];
    assert_ne!(hit["title_highlights"], serde_json::json!([]));
    for p in hit["passages"].as_array().unwrap() {
        assert_eq!(p["highlights"], serde_json::json!([]), "{hit}");
    }
    // A real compound part is still highlighted whole.
    let v = s.json(&["search", "budget"]);
    let text = v.to_string();
    assert!(text.contains("klimatbudget"), "{text}");
}

#[test]
fn short_words_get_no_typo_suggestion_and_committees_the_filter() {
    let s = Sandbox::indexed();
    // "KS" is no typo of "kan": it is a committee, and finds its assignments (issue 14).
    let v = s.json(&["search", "KS"]);
    assert!(v["total"].as_u64().unwrap() > 0, "{v}");
    for h in v["hits"].as_array().unwrap() {
        assert!(
            h["committees"].as_array().unwrap().contains(&"KS".into()),
            "{h}"
        );
    }
    // When it still finds nothing (a year without reports), the filter is suggested.
    let out = s.cmd(&["search", "KS", "--year", "2010"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Menade du"), "{text}");
    assert!(text.contains("--committee KS"), "{text}");
    let v = s.json(&["search", "KS", "--year", "2010"]);
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["suggested_committees"], serde_json::json!(["KS"]));
    // A short word that is no committee: nothing to suggest.
    let v = s.json(&["search", "zq"]);
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 0, "{v}");
    assert_eq!(v["suggested_committees"].as_array().unwrap().len(), 0);
    // A longer typo still gets its suggestion.
    let v = s.json(&["search", "valdeltgande", "--exact"]);
    assert_eq!(v["suggestions"][0], "valdeltagande");
}

#[test]
fn messages_agree_in_number_and_name_a_cause_once() {
    let s = Sandbox::new();
    // One file: "indexed 1 file", not "1 files".
    std::fs::create_dir_all(s.path().join("one/ostersund")).unwrap();
    std::fs::copy(
        s.path().join("corpus/ostersund/2021-T3.txt"),
        s.path().join("one/ostersund/2021-T3.txt"),
    )
    .unwrap();
    let out = s
        .cmd(&["index", "one", "--index", "one-index"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("indexed 1 file: "), "{stdout}");
    // An error with an OS cause names it once.
    std::fs::write(s.path().join("afile"), "x").unwrap();
    let out = s
        .cmd(&["index", "corpus", "--index", "afile/sub"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("(os error").count(), 1, "{stderr}");
    // --since suggests only what it accepts.
    let out = s.cmd(&["slipping", "--since", "abc"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("2021..2023"), "{stderr}");
    assert!(stderr.contains("e.g. 2021"), "{stderr}");
}

#[test]
fn year_ranges_as_people_write_them() {
    let s = Sandbox::indexed();
    let total = |y: &str| s.json(&["search", "--year", y])["total"].as_u64().unwrap();
    let want = total("2022..2023");
    assert!(want > 0);
    for y in ["2022-2023", "2022..", "2022..=2023"] {
        assert_eq!(total(y), want, "{y}");
    }
    assert_eq!(total("..2021"), total("2021"));
    for bad in ["2023-2021", "..", "tjugo"] {
        let out = s.cmd(&["search", "--year", bad]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

#[test]
fn year_range_and_tertial() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "--year", "2022..2023", "--tertial", "T1"]);
    assert_eq!(v["total"], 5);
    assert_eq!(v["facets"]["tertial"]["T1"], 5);
}

#[test]
fn json_has_the_contract_fields() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "psykisk ohälsa"]);
    assert_eq!(v["query"], "psykisk ohälsa");
    // Both words (any inflection) stand in four documents of the bundled corpus.
    assert_eq!(v["total"], 4);
    let hit = &v["hits"][0];
    for field in [
        "id",
        "score",
        "kind",
        "municipality",
        "year",
        "tertial",
        "committees",
        "status",
        "title",
        "section",
        "file",
        "line",
        "passages",
    ] {
        assert!(hit.get(field).is_some(), "hit lacks {field}: {hit}");
    }
    let first = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "ostersund/2023-T3.txt#1")
        .unwrap();
    assert_eq!(first["kind"], "uppdrag");
    assert_eq!(first["municipality"], "ostersund");
    assert_eq!(first["year"], 2023);
    assert_eq!(first["tertial"], "T3");
    assert_eq!(
        first["committees"],
        serde_json::json!(["VON", "BUN", "SAN", "KFN"])
    );
    assert_eq!(first["status"], "genomfort");
    assert_eq!(first["file"], "ostersund/2023-T3.txt");
    assert_eq!(first["line"], 3);
    // Highlights are byte ranges into the passage text, on the matched words.
    let p = &first["passages"][0];
    let text = p["text"].as_str().unwrap();
    let hl = p["highlights"].as_array().unwrap();
    assert!(!hl.is_empty());
    for r in hl {
        let (a, b) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        let word = text[a..b].to_lowercase();
        assert!(
            word.starts_with("psykisk") || word.starts_with("ohälsa"),
            "highlighted {word:?}"
        );
    }
    for facet in [
        "year",
        "tertial",
        "committee",
        "status",
        "municipality",
        "kind",
    ] {
        assert!(v["facets"][facet].is_object(), "facet {facet}");
    }
    // Facet counts cover all matches, not only the returned hits.
    let v1 = s.json(&["search", "psykisk ohälsa", "--limit", "1"]);
    assert_eq!(v1["hits"].as_array().unwrap().len(), 1);
    assert_eq!(v1["facets"], v["facets"]);
    let year_sum: u64 = v1["facets"]["year"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(year_sum, v1["total"].as_u64().unwrap());
}

#[test]
fn goal_page_hits_carry_updated_and_items() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "omvärldsbild", "--kind", "mal"]);
    let hit = &v["hits"][0];
    assert_eq!(hit["kind"], "mal");
    assert_eq!(hit["updated"], "2024-01-18");
    assert!(hit["committees"].as_array().unwrap().is_empty());
    assert!(hit["status"].is_null());
    let items = hit["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[0]["light"], "rod");
}

#[test]
fn malformed_query_exits_2_with_one_line() {
    let s = Sandbox::indexed();
    for q in ["\"psykisk ohälsa", "budget OR", "nosuchfield:x"] {
        let out = s.cmd(&["search", q]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{q}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("column"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn zero_hits_exit_0() {
    let s = Sandbox::indexed();
    let out = s.cmd(&["search", "xyzzyplugh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Inga träffar"));
    let v = s.json(&["search", "xyzzyplugh"]);
    assert_eq!(v["total"], 0);
}

#[test]
fn bad_flag_values_exit_2() {
    let s = Sandbox::indexed();
    for args in [
        &["search", "x", "--year", "tjugo"][..],
        &["search", "x", "--status", "kanske"],
        &["search", "x", "--tertial", "T4"],
    ] {
        let out = s.cmd(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn missing_index_without_corpus_exits_1() {
    let out = Sandbox::bare().run(&["search", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no index"));
}

#[test]
fn human_output_marks_matches_without_a_terminal() {
    let s = Sandbox::indexed();
    let out = s.cmd(&["search", "klimatbudget"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("**klimatbudget**"), "{text}");
    assert!(
        text.contains("ostersund · 2021 T3 · KS · inte genomfört"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no escape codes when piped");
    assert!(text.contains("år: 2021 1"), "{text}");
}

#[test]
fn show_and_stats() {
    let s = Sandbox::indexed();
    let v = s.json(&["show", "ostersund/2021-T3.txt#1"]);
    assert_eq!(v["status"], "genomfort");
    assert!(v["body"]
        .as_str()
        .unwrap()
        .starts_with("Ett förslag till metodik"));
    let out = s.cmd(&["show", "nope#1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));

    let v = s.json(&["stats"]);
    assert_eq!(v["facets"]["kind"]["uppdrag"], 28);
    assert_eq!(v["facets"]["municipality"]["ostersund"], v["documents"]);
    assert_eq!(v["files"], 5);
    assert!(v["built_at"].as_str().unwrap().starts_with("20"));
    assert!(v["generation"].as_str().unwrap().starts_with("gen-"));
}

#[test]
fn rebuild_replaces_the_index_and_keeps_one_previous() {
    let s = Sandbox::indexed();
    let out = s.cmd(&["index"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("indexed 5 files"), "{stdout}");
    let gens: Vec<String> = std::fs::read_dir(s.path().join("index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    assert_eq!(gens.len(), 2, "{gens:?}");
    s.cmd(&["index", "--rollback", "--quiet"])
        .assert()
        .success();
    let v = s.json(&["stats"]);
    assert_eq!(v["generation"], "gen-000001");
}

#[test]
fn unrecognised_file_is_indexed_as_text_with_a_warning() {
    let s = Sandbox::new();
    std::fs::write(
        s.path().join("corpus/ostersund/protokoll-2020.txt"),
        "Protokoll från sammanträde 2020\n\nNågot helt annat om vattenledningar.\n",
    )
    .unwrap();
    let out = s.cmd(&["index"]).output().unwrap();
    // 3: success with warnings, the new index is live.
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("protokoll-2020.txt:1:"), "{err}");
    let v = s.json(&["search", "vattenledningar"]);
    assert_eq!(v["hits"][0]["kind"], "text");
    assert_eq!(v["hits"][0]["year"], 2020);
}

#[test]
fn help_has_examples_and_exit_codes() {
    let out = Sandbox::bare().run(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Examples:") && text.contains("Exit codes:"),
        "{text}"
    );
}

#[test]
fn compounds_are_found_and_highlighted_whole() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "budget", "--limit", "20"]);
    let ids = ids(&v);
    // klimatbudget, investeringsbudget, mål- och budgetprocessen.
    for id in [
        "ostersund/2021-T3.txt#6",
        "ostersund/2022-T3.txt#4",
        "ostersund/2023-T3.txt#3",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} missing from {ids:?}");
    }
    let hit = |id: &str| {
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap()
            .clone()
    };
    let marked = |h: &Value| -> Vec<String> {
        let p = &h["passages"][0];
        let text = p["text"].as_str().unwrap();
        p["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize].to_string()
            })
            .collect()
    };
    assert!(marked(&hit("ostersund/2022-T3.txt#4")).contains(&"investeringsbudget".to_string()));
    assert!(marked(&hit("ostersund/2023-T3.txt#3")).contains(&"budgetprocessen".to_string()));
    let klimat = hit("ostersund/2021-T3.txt#6");
    let title = klimat["title"].as_str().unwrap();
    let r = &klimat["title_highlights"][0];
    assert_eq!(
        &title[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize],
        "klimatbudget"
    );
    // An exact word outranks a compound part.
    assert_eq!(ids[0], "ostersund/2023-T3.txt#3");
}

#[test]
fn broken_hyphens_are_repaired() {
    let s = Sandbox::indexed();
    for (q, id, marked) in [
        (
            "arbetsmarknadspolitiken",
            "ostersund/2022-T1.txt#3",
            "arbetsmarknads- politiken",
        ),
        (
            "arbetsmarknadsenheten",
            "ostersund/2022-T1.txt#5",
            "arbets- marknadsenheten",
        ),
        (
            "samverkansperspektiv",
            "ostersund/2022-T1.txt#3",
            "samverkans- perspektiv",
        ),
    ] {
        let v = s.json(&["search", q]);
        assert_eq!(ids(&v)[0], id, "{q}");
        let p = &v["hits"][0]["passages"][0];
        let text = p["text"].as_str().unwrap();
        let got: Vec<&str> = p["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
            .collect();
        assert!(got.contains(&marked), "{q}: {got:?}");
    }
}

#[test]
fn missing_diacritics_and_typos() {
    let s = Sandbox::indexed();
    let with = ids(&s.json(&["search", "ohälsa"]));
    let without = ids(&s.json(&["search", "ohalsa"]));
    let mut a = with.clone();
    let mut b = without.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let v = s.json(&["search", "valdeltgande"]);
    assert!(ids(&v).contains(&"ostersund/2022-T3.txt#6".to_string()));
    // --exact turns typo tolerance off, and a zero-hit query suggests the right word.
    let v = s.json(&["search", "valdeltgande", "--exact"]);
    assert_eq!(v["total"], 0);
    assert_eq!(v["suggestions"][0], "valdeltagande");
    let out = s
        .cmd(&["search", "valdeltgande", "--exact"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Menade du: **valdeltagande**"));
    // One edit from five letters; none for shorter words.
    // "suicid" stands in one document of the corpus only (`grep -i suicid corpus`).
    let v = s.json(&["search", "sucid"]);
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(ids(&v), ["ostersund/2023-T3.txt#2"]);
    assert_eq!(s.json(&["search", "taxr"])["total"], 0);
}

/// Three assignments alike but for one word in their comments: `sjöräddning`, its
/// folded form `sjoraddning` and a typo `sjöräddnimg`. Whichever is typed, the one that
/// holds it as written ranks first, above the folded and the fuzzy matches.
#[test]
fn exact_forms_rank_above_folded_and_fuzzy() {
    let s = Sandbox::new();
    let block = |place: &str, word: &str| {
        format!(
            ".\nStärk beredskapen vid {place} (KS)\n\nUppdraget är genomfört under året.\n\n\
             Arbetet med {word} har fortsatt under året.\n"
        )
    };
    let report = format!(
        "T1 2024 Uppdrag. Kommentar T1 2024\n{}{}{}",
        block("kusten", "sjoraddning"),
        block("sjöarna", "sjöräddnimg"),
        block("älvarna", "sjöräddning")
    );
    std::fs::create_dir_all(s.path().join("corpus/kustby")).unwrap();
    std::fs::write(s.path().join("corpus/kustby/2024-T1.txt"), report).unwrap();
    s.cmd(&["index", "--quiet"]).assert().success();
    let (folded, typo, exact) = (
        "kustby/2024-T1.txt#1",
        "kustby/2024-T1.txt#2",
        "kustby/2024-T1.txt#3",
    );
    // (typed, expected ranking, how the top hit and the others matched)
    for (q, ranking, hows) in [
        (
            "sjöräddning",
            vec![exact, folded, typo],
            vec!["word", "typo", "typo"],
        ),
        ("sjoraddning", vec![folded, exact], vec!["word", "folded"]),
        ("sjöräddnimg", vec![typo, exact], vec!["word", "typo"]),
    ] {
        let v = s.json(&["search", q, "--explain"]);
        let got = ids(&v);
        assert_eq!(got[0], ranking[0], "{q}: {v}");
        let mut rest = got[1..].to_vec();
        rest.sort();
        let mut want: Vec<String> = ranking[1..].iter().map(|s| s.to_string()).collect();
        want.sort();
        assert_eq!(rest, want, "{q}: {v}");
        let hits = v["hits"].as_array().unwrap();
        let score = |h: &Value| h["score"].as_f64().unwrap();
        for (h, how) in hits.iter().zip(&hows) {
            let found: Vec<&str> = h["explanation"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["how"].as_str().unwrap())
                .collect();
            assert!(found.contains(how), "{q}: {how} in {found:?}");
        }
        // The exact form first, by a clear margin, not by a tie-break.
        assert!(
            hits[1..].iter().all(|h| score(h) < score(&hits[0]) * 0.75),
            "{q}: {v}"
        );
    }
    // On the corpus: the typed form explained as a word, the folded one as folded.
    let v = s.json(&["search", "ohälsa", "--explain"]);
    let hows: Vec<&str> = v["hits"][0]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["how"].as_str().unwrap())
        .collect();
    assert!(hows.contains(&"word"), "{hows:?}");
    let v = s.json(&["search", "ohalsa", "--explain"]);
    let top: Vec<&str> = v["hits"][0]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["how"].as_str().unwrap())
        .collect();
    assert!(top.contains(&"folded"), "{top:?}");
}

#[test]
fn analyze_shows_tokens_and_their_origin() {
    let s = Sandbox::new();
    let v = s.json(&["analyze", "Social- och arbetsmarknadsnämnden"]);
    let tokens = v["tokens"].as_array().unwrap();
    assert!(tokens
        .iter()
        .all(|t| !t["token"].as_str().unwrap().starts_with("socialoch")));
    assert!(tokens
        .iter()
        .any(|t| t["origin"] == "suspended_compound" && t["source"] == "Social"));
    let v = s.json(&["analyze", "arbetsmarknads- politiken"]);
    assert!(v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["origin"] == "repaired_hyphen" && t["source"] == "arbetsmarknads- politiken"));
    let out = s.cmd(&["analyze", "klimatbudget"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("compound_part"), "{text}");
}

#[test]
fn excluded_words_and_phrases() {
    let s = Sandbox::indexed();
    let all = ids(&s.json(&["search", "budget", "--limit", "50"]));
    assert!(all.contains(&"ostersund/2023-T3.txt#3".to_string()));
    let v = s.json(&["search", "budget -\"mål och budget\"", "--limit", "50"]);
    let rest = ids(&v);
    assert!(
        !rest.contains(&"ostersund/2023-T3.txt#3".to_string()),
        "{rest:?}"
    );
    assert_eq!(rest.len(), all.len() - 1, "{rest:?}");
    let v = s.json(&["search", "budget -klimatbudget", "--limit", "50"]);
    assert!(!ids(&v).contains(&"ostersund/2021-T3.txt#6".to_string()));
    // Excluding a phrase whose words never meet removes nothing (and does not panic).
    let v = s.json(&["search", "psykisk -\"ohälsa budget\""]);
    assert_eq!(v["total"], 4);
}

#[test]
fn rollback_without_an_earlier_build_says_so() {
    let s = Sandbox::indexed();
    let out = s.cmd(&["index", "--rollback"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot roll back") && !err.contains("self-check"),
        "{err}"
    );
}

#[test]
fn no_document_with_every_word_relaxes_the_query_and_says_so() {
    let s = Sandbox::indexed();
    // "suicid" stands only in 2023-T3 #2, "klimatbudget" only in 2021-T3 #6.
    let v = s.json(&["search", "suicid klimatbudget"]);
    assert_eq!(v["relaxed"], true, "{v}");
    assert_eq!(v["total"], 2);
    let mut got = ids(&v);
    got.sort();
    assert_eq!(got, ["ostersund/2021-T3.txt#6", "ostersund/2023-T3.txt#2"]);
    let out = s.cmd(&["search", "suicid klimatbudget"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.starts_with(
            "Inga dokument innehöll alla orden; visar dokument med något av orden suicid, \
             klimatbudget."
        ),
        "{human}"
    );
    // Not relaxed when a document holds both words, nor when no word is found at all.
    let v = s.json(&["search", "psykisk ohälsa"]);
    assert_eq!(
        (v["relaxed"].clone(), v["total"].clone()),
        (false.into(), 4.into())
    );
    let v = s.json(&["search", "xyzzy plugh"]);
    assert_eq!(
        (v["relaxed"].clone(), v["total"].clone()),
        (false.into(), 0.into())
    );
    let out = s.cmd(&["search", "psykisk ohälsa"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Inga dokument innehöll"));
}

#[test]
fn offset_pages_through_the_same_ranking() {
    let s = Sandbox::indexed();
    let all = s.json(&["search", "budget", "--limit", "100"]);
    let all_ids = ids(&all);
    assert_eq!(all_ids.len() as u64, all["total"].as_u64().unwrap());
    assert!(all_ids.len() >= 6, "{all_ids:?}");
    for (offset, limit) in [(0, 2), (2, 3), (5, 100)] {
        let page = s.json(&[
            "search",
            "budget",
            "--offset",
            &offset.to_string(),
            "--limit",
            &limit.to_string(),
        ]);
        let end = (offset + limit).min(all_ids.len());
        assert_eq!(ids(&page), all_ids[offset..end], "offset {offset}");
        assert_eq!(page["total"], all["total"], "total counts every match");
    }
    let past = s.json(&["search", "budget", "--offset", "1000"]);
    assert!(ids(&past).is_empty());
    assert_eq!(past["total"], all["total"]);
}

#[test]
fn passages_sets_how_many_passages_each_hit_shows() {
    let s = Sandbox::indexed();
    let counts = |n: &str| -> Vec<Vec<String>> {
        s.json(&["search", "psykisk ohälsa", "--passages", n])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                h["passages"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p["text"].as_str().unwrap().to_string())
                    .collect()
            })
            .collect()
    };
    let lens = |v: &[Vec<String>]| v.iter().map(Vec::len).collect::<Vec<_>>();
    // The top hit (2023-T3 #1) has seven lines with a match in its comment, the others
    // one each.
    let every = counts("100");
    assert_eq!(lens(&every), [7, 1, 1, 1]);
    assert_eq!(lens(&counts("0")), [0, 0, 0, 0]);
    assert_eq!(lens(&counts("1")), [1, 1, 1, 1]);
    let three = counts("3");
    assert_eq!(lens(&three), [3, 1, 1, 1]);
    assert!(three[0].iter().all(|p| every[0].contains(p)), "{three:?}");
    // The human output shows them too: the default one, or none.
    let none = s
        .cmd(&["search", "suicid", "--passages", "0"])
        .output()
        .unwrap();
    let one = s.cmd(&["search", "suicid"]).output().unwrap();
    let (none, one) = (
        String::from_utf8_lossy(&none.stdout),
        String::from_utf8_lossy(&one.stdout),
    );
    assert!(one.contains("**suicid**") && one.lines().count() > none.lines().count());
}

#[test]
fn municipality_and_kommun_filter_by_the_first_folder() {
    let s = Sandbox::new();
    std::fs::create_dir_all(s.path().join("corpus/storby")).unwrap();
    std::fs::copy(
        s.path().join("corpus/ostersund/2022-T1.txt"),
        s.path().join("corpus/storby/2022-T1.txt"),
    )
    .unwrap();
    s.cmd(&["index", "--quiet"]).assert().success();
    let both = s.json(&["search", "näringsliv"]);
    let only = s.json(&["search", "näringsliv", "--municipality", "storby"]);
    let alias = s.json(&["search", "näringsliv", "--kommun", "storby"]);
    let ost = s.json(&["search", "näringsliv", "--kommun", "ostersund"]);
    assert_eq!(both["facets"]["municipality"]["storby"], only["total"]);
    assert_eq!(ids(&only), ids(&alias));
    assert!(only["total"].as_u64().unwrap() >= 2, "{only}");
    assert!(ids(&only)
        .iter()
        .all(|id| id.starts_with("storby/2022-T1.txt#")));
    assert!(ids(&ost).iter().all(|id| id.starts_with("ostersund/")));
    assert_eq!(
        only["total"].as_u64().unwrap() + ost["total"].as_u64().unwrap(),
        both["total"].as_u64().unwrap()
    );
    // The same report in both folders: the same hits but for the folder.
    let copies: Vec<String> = ids(&ost)
        .iter()
        .filter(|id| id.starts_with("ostersund/2022-T1.txt#"))
        .map(|id| id.replace("ostersund/", "storby/"))
        .collect();
    let mut a = copies.clone();
    a.sort();
    let mut b = ids(&only);
    b.sort();
    assert_eq!(a, b);
    // Repeatable: both folders.
    let two = s.json(&[
        "search",
        "näringsliv",
        "--kommun",
        "storby",
        "--municipality",
        "ostersund",
    ]);
    assert_eq!(two["total"], both["total"]);
    // An unknown municipality is a usage error that names the known ones.
    let out = s
        .cmd(&["search", "näringsliv", "--kommun", "umea"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the index has: ostersund, storby"), "{err}");
}

/// Item 10 of issue 9: a query, a title or a file name holding escape codes must not
/// reach the terminal raw (no retitled window, no hidden text, no cursor moves).
#[test]
fn control_characters_from_queries_titles_and_file_names_are_escaped() {
    let s = Sandbox::new();
    let evil = s
        .path()
        .join("corpus/ostersund/ond\x1b[2J\x1b]0;pwned\x07.txt");
    std::fs::write(
        &evil,
        "T3 2023 Uppdrag. Kommentar T3 2023\n\
         Rensa \x1b[8mdold\x1b[0m text\u{9b}31m om klorofyll (Kommunstyrelsen)\n\n\
         Genomfört\n\nKlorofyll \x1b]8;;http://x\x07länk\x1b]8;;\x07 i texten.\n\n.\n",
    )
    .unwrap();
    std::fs::write(
        s.path().join("corpus/ostersund/annat\x1b[31m.txt"),
        "Något helt annat om vattenledningar.\n",
    )
    .unwrap();
    let out = s.cmd(&["index"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b'), "raw ESC in warnings: {err:?}");
    assert!(err.contains("annat\\x1b[31m.txt"), "{err}");

    for args in [
        &["search", "klorofyll"][..],
        &["--color", "always", "search", "klorofyll"],
        &["search", "klorofyll", "--group"],
    ] {
        let out = s.cmd(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {text}");
        // The parser drops control characters from titles and bodies; file names keep
        // them and are escaped.
        assert!(text.contains("Rensa"), "{args:?}: {text}");
        assert!(text.contains("\\x1b]0;pwned\\x07.txt"), "{args:?}: {text}");
        let raw: Vec<&str> = text.split('\x1b').skip(1).collect();
        for seq in raw {
            assert!(
                ["[0m", "[1;31m", "[2m", "[1;36m"]
                    .iter()
                    .any(|own| seq.starts_with(own)),
                "{args:?}: a raw escape that is not our styling: {seq:?}"
            );
        }
        assert!(!text.contains('\u{9b}'), "{args:?}: raw C1 CSI");
        assert!(!text.contains('\x07'), "{args:?}: raw BEL");
    }

    // The query echoed back when nothing is found, and in errors.
    let out = s
        .cmd(&["search", "\x1b]0;pwned\x07zzyzx"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\\x1b]0;pwned\\x07zzyzx"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    // `history QUERY` that matches nothing answers on stdout (exit 0).
    let out = s.cmd(&["history", "\x1b[2Jzzyzx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\x1b'), "{text:?}");
    assert!(text.contains("\\x1b[2Jzzyzx"), "{text}");
    // An unknown document id is an error on stderr (exit 1).
    let out = s
        .cmd(&["history", "ostersund/\x1b[2J.txt#1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("\\x1b[2J"), "{err}");
    // Usage errors quote the bad value: escaped too, still exit 2.
    let out = s
        .cmd(&["search", "x", "--color", "\u{9b}2J\x1b[2Jnever"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("\\u{9b}2J"), "{err:?}");
    assert!(!err.contains('\x1b') && !err.contains('\u{9b}'), "{err:?}");
    // JSON escapes control characters itself and stays valid JSON.
    let v = s.json(&["search", "klorofyll"]);
    assert!(v["hits"][0]["file"].as_str().unwrap().contains('\x1b'));
}

/// Item 28: a highlight inside the bold-cyan title ends with a reset; the rest of the
/// title gets its style back.
#[test]
fn a_highlight_in_a_title_restores_the_title_style() {
    let s = Sandbox::indexed();
    let out = s
        .cmd(&["--color", "always", "search", "klimatbudget"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let title = text.lines().next().unwrap();
    assert!(title.contains("\x1b[1;36m"), "{title:?}");
    assert!(
        title.contains("klimatbudget\x1b[0m\x1b[1;36m"),
        "the title's style must come back after the highlight: {title:?}"
    );
}

/// Item 28: text wraps to the terminal's width (COLUMNS when piped), 100 columns
/// without one.
#[test]
fn text_wraps_to_the_width() {
    let s = Sandbox::indexed();
    let widest = |columns: Option<&str>| {
        let mut c = s.cmd(&["show", "ostersund/2022-T3.txt#2"]);
        if let Some(n) = columns {
            c.env("COLUMNS", n);
        }
        let out = c.output().unwrap();
        // The body's lines, after the title, meta and id lines and a blank one.
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .skip(4)
            .map(|l| l.chars().count())
            .max()
            .unwrap()
    };
    let piped = widest(None);
    assert!((90..=100).contains(&piped), "{piped}");
    let narrow = widest(Some("60"));
    assert!((50..=60).contains(&narrow), "{narrow}");
    assert!(widest(Some("160")) > 100);
}

/// Item 29: --color auto|always|never beside NO_COLOR.
#[test]
fn color_flag_and_no_color() {
    let s = Sandbox::indexed();
    let has_esc = |args: &[&str], no_color: bool| {
        let mut c = s.cmd(args);
        if no_color {
            c.env("NO_COLOR", "1");
        }
        let out = c.output().unwrap();
        assert!(out.status.success());
        out.stdout.contains(&0x1b)
    };
    assert!(!has_esc(&["search", "budget"], false), "auto, piped");
    assert!(has_esc(&["search", "budget", "--color", "always"], false));
    assert!(has_esc(&["--color=always", "search", "budget"], true));
    assert!(!has_esc(&["search", "budget", "--color", "never"], false));
    assert!(!has_esc(&["search", "budget", "--color", "auto"], true));
    let out = s
        .cmd(&["search", "x", "--color", "sometimes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Item 29: short flags, completions, the man page and a version with the commit and
/// the index format.
#[test]
fn short_flags_completions_man_and_version() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "-n", "2", "-y", "2021..2022", "budget"]);
    assert_eq!(v["hits"].as_array().unwrap().len(), 2);
    assert!(v["facets"]["year"].get("2023").is_none(), "{}", v["facets"]);
    s.cmd(&["index", "-q", "-j", "1"]).assert().success();

    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = s.cmd(&["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("rapportsok") && text.contains("committee"),
            "{shell}"
        );
    }
    let out = s.cmd(&["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    let out = s.cmd(&["man"]).output().unwrap();
    let roff = String::from_utf8_lossy(&out.stdout);
    assert!(
        roff.starts_with(".ie") || roff.contains(".TH rapportsok 1"),
        "{roff}"
    );
    assert!(
        roff.contains(".SH SUBCOMMANDS") || roff.contains("slipping"),
        "{roff}"
    );

    let out = s.cmd(&["--version"]).output().unwrap();
    let version = String::from_utf8_lossy(&out.stdout);
    let format = rapportsok::schema::INDEX_FORMAT_VERSION;
    assert!(
        version.starts_with(&format!(
            "rapportsok {} (commit ",
            env!("CARGO_PKG_VERSION")
        )) && version
            .trim_end()
            .ends_with(&format!(", index format {format})")),
        "{version}"
    );
    let commit = version
        .split("commit ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
}

/// Item 30: a query that starts with `-` goes after `--`; alone, an exclusion lists
/// every document without the word (newest first, like an empty query).
#[test]
fn a_query_starting_with_a_dash_after_double_dash() {
    let s = Sandbox::indexed();
    let out = s
        .cmd(&["search", "--json", "--", "-budget"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // An exclusion removes exactly the documents the word finds (issue 14: compounds
    // such as "klimatbudget" too).
    let all = s.json(&["stats"])["documents"].as_u64().unwrap();
    let with = s.json(&["search", "budget"])["total"].as_u64().unwrap();
    assert!(with > 0);
    assert_eq!(v["total"].as_u64().unwrap(), all - with);
    assert!(v["hits"][0]["score"].is_null());
    // Without --, clap reads it as flags: a usage error that points at --.
    let out = s.cmd(&["search", "-budget"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-- -b"));
}

/// Item 30: a pasted paragraph is cut to the limits with a notice, not refused.
#[test]
fn an_over_long_query_is_cut_with_a_notice() {
    let s = Sandbox::indexed();
    let paragraph = "Inom Barn- och utbildningsförvaltningen har flera insatser för att \
        uppmärksamma och motverka psykisk ohälsa genomförts. "
        .repeat(8);
    let out = s.cmd(&["search", "--json", &paragraph]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("cut to its first 64 words"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["truncated"], true);
    assert_eq!(v["query"].as_str().unwrap().split_whitespace().count(), 64);
    let v = s.json(&["search", "psykisk ohälsa"]);
    assert_eq!(v["truncated"], false);
    // The trend and the grouped list say so too.
    for extra in [&["--by", "year"][..], &["--group"]] {
        let mut args = vec!["search", &paragraph];
        args.extend(extra);
        let v = s.json(&args);
        assert_eq!(v["truncated"], true, "{extra:?}");
    }
    assert_eq!(
        s.json(&["search", "budget", "--by", "year"])["truncated"],
        false
    );
    // Over 1,000 characters: cut at a word boundary.
    let long = "ohälsa ".repeat(200);
    let out = s.cmd(&["search", &long]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("1000 characters at a word boundary"), "{err}");
    // history QUERY cuts the same way.
    let out = s.cmd(&["history", &paragraph]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cut to its first 64 words"), "{err}");
}

/// One `$ rapportsok ...` command of a README sample block and the output shown under
/// it.
struct ReadmeSample {
    /// 1-based line of the command in README.md.
    line: usize,
    command: String,
    /// Whether the text before the block says it runs on the test fixtures
    /// (`tests/fixtures/threads`) rather than the bundled corpus.
    fixtures: bool,
    expected: Vec<String>,
}

/// The `$ rapportsok` commands of README.md's fenced blocks, with their sample output.
fn readme_samples(readme: &str) -> Vec<ReadmeSample> {
    let mut samples = Vec::new();
    let mut in_block = false;
    let mut prose = String::new();
    let mut fixtures = false;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            if !in_block {
                fixtures = prose.contains("fixtures");
            } else {
                prose.clear();
            }
            in_block = !in_block;
            continue;
        }
        if !in_block {
            prose.push_str(line);
            prose.push('\n');
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ rapportsok ") {
            samples.push(ReadmeSample {
                line: i + 1,
                command: cmd.to_string(),
                fixtures,
                expected: Vec::new(),
            });
        } else if let Some(s) = samples.last_mut().filter(|_| !line.starts_with("$ ")) {
            if s.line + s.expected.len() == i {
                s.expected.push(line.to_string());
            }
        }
    }
    samples
}

/// What may differ between runs: timings (`0.29 s`) and generation names.
fn normalise(line: &str) -> String {
    let mut out = String::new();
    let words: Vec<&str> = line.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let number = !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.');
        let unit = words
            .get(i + 1)
            .map(|n| n.trim_end_matches([';', ',', ')']));
        if number && unit == Some("s") {
            out.push_str("<secs>");
        } else if w.starts_with("gen-") && w[4..].chars().all(|c| c.is_ascii_digit()) {
            out.push_str("gen-<n>");
        } else {
            out.push_str(w);
        }
    }
    out.trim_end().to_string()
}

/// Done-when of issue 9: every `$ rapportsok ...` sample in README.md is run against an
/// index of the bundled corpus (or of `tests/fixtures/threads` where the text says so)
/// and its output compared line by line, as ripgrep's doc tests do. A sample ending in a
/// `...` line shows only the first lines of the output.
#[test]
fn readme_samples_match_the_program() {
    let root = Path::new(ROOT);
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let samples = readme_samples(&readme);
    assert!(samples.len() >= 7, "found only {} samples", samples.len());
    let bundled = Sandbox::indexed();
    let fixtures = Sandbox::new();
    fixtures
        .cmd(&["index", "--quiet"])
        .arg(root.join(STORBY))
        .assert()
        .success();
    let mut failures = Vec::new();
    for s in &samples {
        let sandbox = if s.fixtures { &fixtures } else { &bundled };
        let args = shell_words(&s.command);
        let out = sandbox
            .cmd(&args.iter().map(String::as_str).collect::<Vec<_>>())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let mut actual: Vec<String> = stdout.lines().map(normalise).collect();
        let mut expected: Vec<String> = s.expected.iter().map(|l| normalise(l)).collect();
        if expected.last().is_some_and(|l| l.trim() == "...") {
            expected.pop();
            actual.truncate(expected.len());
        }
        while actual.last().is_some_and(|l| l.is_empty()) {
            actual.pop();
        }
        while expected.last().is_some_and(|l| l.is_empty()) {
            expected.pop();
        }
        if !out.status.success() || actual != expected {
            failures.push(format!(
                "README.md:{}: $ rapportsok {} (on {}; exit {:?})\n\
                 --- expected (README) ---\n{}\n--- actual (program) ---\n{}\n{}",
                s.line,
                s.command,
                if s.fixtures { STORBY } else { "corpus/" },
                out.status.code(),
                expected.join("\n"),
                actual.join("\n"),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} README samples differ from the program's output:\n\n{}",
        failures.len(),
        samples.len(),
        failures.join("\n")
    );
}

#[test]
fn readme_sample_helpers() {
    assert_eq!(
        shell_words(r#"search "psykisk ohälsa" --committee 'B UN' x"#),
        ["search", "psykisk ohälsa", "--committee", "B UN", "x"]
    );
    assert_eq!(
        normalise("indexed 5 files; 0.29 s; generation gen-000001  "),
        "indexed 5 files; <secs> s; generation gen-<n>"
    );
    let samples = readme_samples(
        "On the fixtures:\n\n```\n$ rapportsok a\nx\n\n$ rapportsok b\ny\n```\nMore.\n```\n$ rapportsok c\n```\n",
    );
    let got: Vec<(&str, bool, Vec<String>)> = samples
        .iter()
        .map(|s| (s.command.as_str(), s.fixtures, s.expected.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("a", true, vec!["x".to_string(), String::new()]),
            ("b", true, vec!["y".to_string()]),
            ("c", false, vec![]),
        ]
    );
}

/// Issue 15: a committee view whose assignments name the unit that answers for them,
/// added to the bundled corpus (in a folder of its own: in `ostersund/` it would be a
/// second report for T3 2022 beside the council's).
fn with_committee_view() -> Sandbox {
    let s = Sandbox::new();
    let dir = s.path().join("corpus/ostersund-kfn");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unit-lines-committee-view.txt"),
        dir.join("2022-T3.txt"),
    )
    .unwrap();
    s
}

#[test]
fn unit_lines_are_indexed_searchable_and_shown() {
    let s = with_committee_view();
    // The view has no status sentences: one warning for the file, none per assignment.
    let out = s.cmd(&["index"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(
        stderr.matches("ostersund-kfn/2022-T3.txt").count(),
        1,
        "one warning for the file: {stderr}"
    );
    assert!(
        stderr.contains("the report carries no statuses"),
        "{stderr}"
    );
    assert!(!stderr.contains("no status sentence;"), "{stderr}");

    // A word that stands only in a unit line finds its assignment.
    let v = s.json(&["search", "fritidsenheten"]);
    assert_eq!(ids(&v), ["ostersund-kfn/2022-T3.txt#2"], "{v}");
    assert_eq!(v["hits"][0]["unit"], "Fritidsenheten");
    let v = s.json(&["search", "bibliotek"]);
    assert_eq!(v["hits"][0]["id"], "ostersund-kfn/2022-T3.txt#1", "{v}");
    assert_eq!(v["hits"][0]["unit"], "Bibliotek");
    // Documents without a unit say so with null.
    let v = s.json(&["search", "psykisk ohälsa"]);
    let hit = &v["hits"][0];
    assert!(hit.get("unit").is_some_and(Value::is_null), "{hit}");

    // show: in the meta line, and in the JSON (null when absent).
    let human = String::from_utf8(
        s.cmd(&["show", "ostersund-kfn/2022-T3.txt#1"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let meta = human.lines().nth(1).unwrap();
    assert_eq!(meta, "ostersund-kfn · 2022 T3 · KFN · Bibliotek", "{human}");
    let v = s.json(&["show", "ostersund-kfn/2022-T3.txt#4"]);
    assert_eq!(v["unit"], "Kultur- och fritidsförvaltningen");
    assert_eq!(v["committees"], serde_json::json!(["KS"]));
    let v = s.json(&["show", "ostersund-kfn/2022-T3.txt#5"]);
    assert!(v.get("unit").is_some_and(Value::is_null), "{v}");
    assert!(v["body"].as_str().unwrap().starts_with("Pågår"), "{v}");

    // CSV: the last column.
    let csv = String::from_utf8(
        s.cmd(&["search", "fritidsenheten", "--csv"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].ends_with(",file,line,unit"), "{csv}");
    assert!(
        lines[1].ends_with(",ostersund-kfn/2022-T3.txt,10,Fritidsenheten"),
        "{csv}"
    );
}

/// Issue 15: the unit is a facet through the facet table: a filter (`--unit`,
/// `--enhet`, case and å/ä/ö folded), counts in `facets`, `--by unit`, and an unknown
/// unit is a usage error that lists the units of the index.
#[test]
fn the_unit_is_a_facet_to_filter_count_and_trend_by() {
    let s = with_committee_view();
    s.cmd(&["index", "--quiet"]).output().unwrap();
    let v = s.json(&["search", "bibliotek", "--unit", "Bibliotek"]);
    assert_eq!(ids(&v), ["ostersund-kfn/2022-T3.txt#1"], "{v}");
    let v = s.json(&["search", "--enhet", "kultur- och fritidsforvaltningen"]);
    assert_eq!(ids(&v), ["ostersund-kfn/2022-T3.txt#4"], "{v}");
    // Two units at once: either.
    let v = s.json(&[
        "search",
        "--unit",
        "kulturskolan",
        "--unit",
        "FRITIDSENHETEN",
    ]);
    assert_eq!(v["total"], 2, "{v}");
    // Counts over all matches: the four units of the view, once each.
    let v = s.json(&["search", "--kommun", "ostersund-kfn"]);
    let units = v["facets"]["unit"].as_object().unwrap();
    let mut names: Vec<(&str, u64)> = units
        .iter()
        .map(|(k, n)| (k.as_str(), n.as_u64().unwrap()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("Bibliotek", 1),
            ("Fritidsenheten", 1),
            ("Kultur- och fritidsförvaltningen", 1),
            ("Kulturskolan", 1)
        ]
    );
    // The bundled reports have no unit lines: no unit counts for them.
    let v = s.json(&["search", "psykisk ohälsa"]);
    assert!(v["facets"]["unit"].as_object().unwrap().is_empty(), "{v}");
    // --by unit draws the same four.
    let out = s.cmd(&["search", "--by", "enhet"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.starts_with("Dokument per enhet"), "{text}");
    for unit in ["Bibliotek", "Fritidsenheten", "Kulturskolan"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(unit)),
            "{text}"
        );
    }
    assert!(!text.contains("flera nämnder"), "{text}");
    // An unknown unit: exit 2, naming the ones the index has.
    let err = s.expect(&["search", "x", "--unit", "Simhallen"], 2);
    assert!(
        err.contains("Simhallen") && err.contains("Kulturskolan"),
        "{err}"
    );
}

/// Every JSON answer starts with the contract's version (README, *JSON output*), and
/// `show --json` keeps its keys: its own wire type, not the domain document.
#[test]
fn every_json_answer_starts_with_its_version() {
    let s = Sandbox::indexed();
    let id = "ostersund/2021-T3.txt#1";
    for args in [
        vec!["search", "budget"],
        vec!["search", "budget", "--group"],
        vec!["search", "budget", "--by", "year"],
        vec!["show", id],
        vec!["stats"],
        vec!["history", id],
        vec!["history", "xyzzyplugh"],
        vec!["slipping"],
        vec!["analyze", "klimatbudgeten"],
    ] {
        let mut with_json = args.clone();
        with_json.push("--json");
        let out = s.stdout(&with_json);
        assert!(out.starts_with("{\"version\":1,"), "{args:?}: {out}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["version"], 1, "{args:?}");
    }
    let v = s.json(&["show", id]);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let mut want = vec![
        "version",
        "id",
        "kind",
        "municipality",
        "file",
        "line",
        "year",
        "tertial",
        "title",
        "committees",
        "unit",
        "status",
        "section",
        "body",
        "updated",
        "items",
        "thread",
        "format",
        "page",
        "first_seen",
    ];
    want.sort_unstable();
    assert_eq!(keys, want);
}

/// Issue 14, item 1: every form of a word finds the others, in words and in compound
/// parts ("forskningsprojektet" for `forskningsprojekt`, "bostäder" for `bostad`).
#[test]
fn inflected_forms_and_umlaut_plurals_find_each_other() {
    let s = Sandbox::of("tests/relevance/corpus");
    s.expect(&["index", "--quiet"], 0);
    for (query, want) in [
        ("resultat", "storby/2024-T1.txt#1"),
        ("resultatet", "havsvik/2023-T2.txt#5"),
        ("projekt", "skogsa/2025-T3.txt#7"),
        ("forskningsprojektet", "havsvik/2023-T2.txt#6"),
        ("bostad", "storby/2024-T1.txt#5"),
        ("bostäderna", "havsvik/2023-T2.txt#3"),
        ("stad", "skogsa/2025-T3.txt#8"),
        ("bok", "skogsa/2025-T3.txt#1"),
        ("brand", "havsvik/2023-T2.txt#4"),
    ] {
        let got = ids(&s.json(&["search", query, "--exact"]));
        assert!(got.contains(&want.to_string()), "{query}: {got:?}");
    }
    // On the bundled corpus: the parts of "-projektet" compounds meet the query's parts.
    let s = Sandbox::indexed();
    for query in ["forskningsprojekt", "digitaliseringsprojekt"] {
        assert!(s.total(query) > 0, "{query} finds nothing");
    }
}

/// Issue 14, item 2: the head of a compound whose first part is unknown is found, and a
/// hyphen separates words ("Digiresan-projekt").
#[test]
fn heads_of_unknown_compounds_are_found() {
    let s = Sandbox::of("tests/relevance/corpus");
    s.expect(&["index", "--quiet"], 0);
    for (query, want) in [
        ("hall", "storby/2024-T1.txt#2"),
        ("hall", "skogsa/2025-T3.txt#4"),
        ("arena", "storby/2024-T1.txt#3"),
        ("projekt", "storby/2024-T1.txt#4"),
    ] {
        let got = ids(&s.json(&["search", query, "--exact"]));
        assert!(got.contains(&want.to_string()), "{query}: {got:?}");
    }
}

/// An index built by the analysis before lemmas would silently miss: it is refused with
/// the command that rebuilds it.
#[test]
fn an_index_of_the_analysis_before_lemmas_is_refused() {
    let s = Sandbox::indexed();
    let gen = s.current().unwrap();
    let info = s.index().join(&gen).join("build.json");
    let text = std::fs::read_to_string(&info).unwrap();
    assert!(text.contains("\"swedish-lemma\""), "{text}");
    std::fs::write(&info, text.replace("\"swedish-lemma\"", "\"swedish\"")).unwrap();
    let err = s.expect(&["search", "budget"], 1);
    assert!(
        err.contains("older analysis ('swedish'") && err.contains("rapportsok index"),
        "{err}"
    );
    s.expect(&["index", "--quiet"], 0);
    assert!(s.total("budget") > 0);
}

/// Issue 14, item 3: a typo inside a long compound finds the compound (through its
/// parts, or a word only a title holds), and "Menade du" suggests the right word.
#[test]
fn typos_inside_compounds_find_them_and_are_suggested() {
    let s = Sandbox::indexed();
    for (typo, want, suggestion) in [
        (
            "digitalisring",
            "ostersund/2021-T3.txt#10",
            "digitalisering",
        ),
        (
            "digitaliserng",
            "ostersund/2021-T3.txt#10",
            "digitalisering",
        ),
        ("klimatbudgt", "ostersund/2021-T3.txt#6", "klimatbudget"),
    ] {
        let got = ids(&s.json(&["search", typo]));
        assert_eq!(got, [want], "{typo}");
        let exact = s.json(&["search", typo, "--exact"]);
        assert_eq!(
            exact["suggestions"],
            serde_json::json!([suggestion]),
            "{typo}"
        );
    }
    let human = s.stdout(&["search", "klimatbudgt", "--exact"]);
    assert!(human.contains("klimatbudget"), "{human}");
}
