//! End-to-end tests of assignment threads: `history`, `search --group`, `search --by`,
//! `slipping` and CSV export, on a copy of the bundled corpus and of the Storby fixtures
//! (tests/fixtures/threads/: four years of the same assignments with changing statuses
//! and committees) in temporary folders.

use crate::util::{Sandbox, STORBY};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// (period, status or light) of each entry.
fn steps(history: &Value) -> Vec<(String, String)> {
    history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let state = e["status"].as_str().or(e["light"].as_str()).unwrap();
            (e["period"].as_str().unwrap().into(), state.into())
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

// ---- threads on the bundled corpus ----

#[test]
fn bundled_2022_t3_assignments_are_linked_to_goal_page_lights() {
    let s = Sandbox::indexed();
    let v = s.json(&[
        "search",
        "--year",
        "2022",
        "--tertial",
        "T3",
        "--limit",
        "50",
    ]);
    assert_eq!(v["total"], 6);
    let threads: BTreeSet<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            h["thread"]
                .as_str()
                .expect("every assignment has a thread")
                .into()
        })
        .collect();
    assert_eq!(threads.len(), 6);
    let goal = s.json(&["show", "ostersund/mal-1.txt#3"]);
    let lights: BTreeSet<String> = goal["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["thread"]
                .as_str()
                .expect("every light has a thread")
                .into()
        })
        .collect();
    assert_eq!(lights, threads);
    // "Öka barns välbefinnande" (T3) and "Öka barn välbefinnande" (the light) are one.
    let h = s.json(&["history", "ostersund/2022-T3.txt#2"]);
    assert_eq!(
        steps(&h),
        pairs(&[("T3 2022", "genomfort"), ("målsida 2022", "gron")])
    );
    assert_eq!(
        h["entries"][1]["title"],
        "Öka barn välbefinnande genom att lägga ökat fokus på friskfaktorer"
    );
}

#[test]
fn bundled_2021_assignments_are_never_linked_to_each_other() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "--year", "2021", "--limit", "50"]);
    assert_eq!(v["total"], 12);
    let threads: BTreeSet<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["thread"].as_str().unwrap())
        .collect();
    assert_eq!(threads.len(), 12, "{threads:?}");
    // The two "Utveckla en modell för att säkerställa ..." are separate one-report threads.
    for id in ["ostersund/2021-T3.txt#7", "ostersund/2021-T3.txt#8"] {
        let h = s.json(&["history", id]);
        assert_eq!(h["reports"], 1, "{id}: {h}");
        assert_eq!(h["entries"][0]["id"], id);
    }
}

#[test]
fn bundled_history_shows_the_committee_change_ks_to_tn() {
    let s = Sandbox::indexed();
    let h = s.json(&["history", "ostersund/2022-T3.txt#6"]);
    assert_eq!(h["matched_by"], "document");
    assert_eq!(
        steps(&h),
        pairs(&[("T3 2022", "genomfort"), ("målsida 2022", "gron")])
    );
    assert_eq!(strs(&h["entries"][1]["committees"]), ["TN"]);
    assert_eq!(strs(&h["entries"][1]["committees_changed_from"]), ["KS"]);
    assert!(h["entries"][0]["committees_changed_from"].is_null());
    let text = s.stdout(&["history", "ostersund/2022-T3.txt#6"]);
    assert!(text.contains("KS -> TN"), "{text}");
    assert!(text.contains("målsida 2022"), "{text}");
}

// ---- threads and history on the fixtures ----

#[test]
fn fixture_carried_over_assignment_reads_as_a_timeline() {
    let s = Sandbox::storby();
    let h = s.json(&["history", "klimatanpassning"]);
    assert_eq!(h["matched_by"], "query");
    assert_eq!(
        steps(&h),
        pairs(&[
            ("T1 2021", "bedoms_genomforas"),
            ("T3 2021", "ej_genomfort"),
            ("T1 2022", "bedoms_ej_genomforas"),
            ("T3 2022", "ej_genomfort"),
            ("målsida 2022", "rod"),
            ("T3 2023", "genomfort"),
            ("målsida 2023", "gron"),
        ])
    );
    assert_eq!(
        h["entries"][1]["comment"],
        "Inventeringen tog längre tid än beräknat eftersom konsulten avslutade sitt uppdrag i augusti."
    );
    let thread = h["thread"].as_str().unwrap();
    assert!(
        thread.starts_with("storby/ta-fram-en-plan-for-klimatanpassning-"),
        "{thread}"
    );
    // The same timeline by thread id.
    let by_id = s.json(&["history", thread]);
    assert_eq!(by_id["matched_by"], "thread");
    assert_eq!(steps(&by_id), steps(&h));
    // Human output: oldest first, one line per report with its first sentence.
    let text = s.stdout(&["history", "klimatanpassning"]);
    let t1 = text.find("T1 2021").unwrap();
    let t3 = text.find("T3 2023").unwrap();
    assert!(t1 < t3, "{text}");
    assert!(text.contains("bedöms genomfört"), "{text}");
    assert!(
        text.contains("Planen antogs av kommunfullmäktige i september."),
        "{text}"
    );
}

#[test]
fn fixture_history_by_query_lists_other_candidate_threads() {
    let s = Sandbox::storby();
    let h = s.json(&["history", "plan fastigheter"]);
    let candidates: Vec<&str> = h["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = std::iter::once(h["title"].as_str().unwrap())
        .chain(candidates.iter().copied())
        .collect();
    assert!(
        all.iter().any(|t| t.contains("klimatanpassning")),
        "{all:?}"
    );
    assert!(
        all.iter().any(|t| t.contains("energieffektivisering")),
        "{all:?}"
    );
    let text = s.stdout(&["history", "plan fastigheter"]);
    assert!(text.contains("Andra trådar som matchar"), "{text}");
}

#[test]
fn fixture_committee_change_and_reworded_titles_stay_one_thread() {
    let s = Sandbox::storby();
    let h = s.json(&["history", "storby/2023-T3.txt#3"]);
    assert_eq!(
        steps(&h),
        pairs(&[
            ("T3 2021", "ej_genomfort"),
            ("T3 2022", "ej_genomfort"),
            ("målsida 2022", "rod"),
            ("T3 2023", "genomfort"),
        ])
    );
    let committees: Vec<Vec<String>> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| strs(&e["committees"]))
        .collect();
    assert_eq!(committees, [["KS"], ["TN"], ["TN"], ["TN"]]);
    assert_eq!(strs(&h["entries"][1]["committees_changed_from"]), ["KS"]);
    // "beslutsunderlag" -> "beslutsunderlaget".
    assert_eq!(h["entries"][1]["title_changed"], true);
}

#[test]
fn fixture_near_duplicate_titles_stay_apart() {
    let s = Sandbox::storby();
    let v = s.json(&["search", "--limit", "100"]);
    let mut by_thread: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for h in v["hits"].as_array().unwrap() {
        if let Some(t) = h["thread"].as_str() {
            by_thread
                .entry(t.into())
                .or_default()
                .push(h["id"].as_str().unwrap().into());
        }
    }
    by_thread.values_mut().for_each(|ids| ids.sort());
    let thread_of = |id: &str| {
        by_thread
            .iter()
            .find(|(_, ids)| ids.iter().any(|i| i == id))
            .map(|(t, _)| t.clone())
            .unwrap()
    };
    // drift/underhåll vs resursfördelning: two threads of two reports each, even though
    // 2022 lists them in the other order.
    assert_eq!(
        by_thread[&thread_of("storby/2021-T3.txt#4")],
        ["storby/2021-T3.txt#4", "storby/2022-T3.txt#5"]
    );
    assert_eq!(
        by_thread[&thread_of("storby/2021-T3.txt#5")],
        ["storby/2021-T3.txt#5", "storby/2022-T3.txt#4"]
    );
    for (a, b) in [
        // psykisk ohälsa hos barn och unga / hos äldre
        ("storby/2022-T3.txt#7", "storby/2023-T3.txt#4"),
        // klimatanpassning / energieffektivisering av kommunens fastigheter
        ("storby/2022-T3.txt#1", "storby/2022-T3.txt#6"),
        ("storby/2021-T3.txt#1", "storby/2022-T3.txt#6"),
        // klimatbudget / koldioxidbudget
        ("storby/2023-T3.txt#2", "storby/2024-T1.txt#1"),
    ] {
        assert_ne!(thread_of(a), thread_of(b), "{a} and {b} were linked");
    }
    assert_eq!(by_thread[&thread_of("storby/2024-T1.txt#1")].len(), 1);
}

#[test]
fn history_errors_and_usage() {
    let s = Sandbox::storby();
    assert_eq!(s.exit(&["history"]), 2);
    assert_eq!(s.exit(&["history", "\"unclosed"]), 2);
    // A name that does not resolve is an error (exit 1, message on stderr).
    assert_eq!(s.exit(&["history", "storby/2021-T3.txt#99"]), 1);
    assert_eq!(s.exit(&["history", "storby/no-such-thread-abc123"]), 1);
    // A goal page's intro has no lights, so no thread.
    assert_eq!(s.exit(&["history", "storby/mal-1.txt#1"]), 1);
    let err = s
        .cmd(&["history", "storby/2021-T3.txt#99"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&err.stderr).contains("does not exist"));
    assert!(err.stdout.is_empty());
}

/// The exit-code rule for "nothing found", command by command: a query or filter that
/// matches nothing is an answer (exit 0, said on stdout, an empty JSON result); a name
/// that does not resolve is an error (exit 1, stderr).
#[test]
fn nothing_found_is_exit_0_and_a_missing_name_exit_1_in_every_command() {
    let s = Sandbox::storby();
    // search, in every form.
    for args in [
        &["search", "zzyzx"][..],
        &["search", "zzyzx", "--group"],
        &["search", "zzyzx", "--by", "year"],
        &["search", "zzyzx", "--csv"],
        &["search", "--year", "1999"],
    ] {
        assert_eq!(s.exit(args), 0, "{args:?}");
    }
    assert_eq!(s.json(&["search", "zzyzx"])["total"], 0);
    assert_eq!(s.json(&["search", "zzyzx", "--group"])["total"], 0);
    // history QUERY: an answer.
    let out = s.cmd(&["history", "zzyzx"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Inga uppdrag matchar \"zzyzx\""),
        "{out:?}"
    );
    let v = s.json(&["history", "zzyzx"]);
    assert_eq!(v["query"], "zzyzx");
    assert!(v["matched_by"].is_null());
    assert_eq!(v["entries"].as_array().unwrap().len(), 0);
    assert_eq!(v["reports"], 0);
    // slipping with nothing slipping, stats and analyze.
    assert_eq!(s.exit(&["slipping", "--since", "2199"]), 0);
    assert_eq!(s.json(&["slipping", "--since", "2199"])["total"], 0);
    assert_eq!(s.exit(&["stats"]), 0);
    assert_eq!(s.exit(&["analyze", "..."]), 0);
    // show: a missing id is an error.
    let out = s.cmd(&["show", "storby/2021-T3.txt#99"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("storby/2021-T3.txt#99"), "{stderr}");
    assert!(
        stderr.contains("rapportsok search"),
        "says where ids come from: {stderr}"
    );
}

// ---- grouped search ----

#[test]
fn group_shows_one_hit_per_thread_with_its_history() {
    let s = Sandbox::storby();
    let v = s.json(&["search", "klimatanpassning", "--group"]);
    // Five reports and two goal-page sections match; the sections' lights belong to the
    // same thread, so there is one group.
    assert_eq!(v["total"], 7);
    assert_eq!(v["groups"], 1, "{v}");
    let h = &v["hits"][0];
    // The newest assignment report stands for the thread.
    assert_eq!(h["id"], "storby/2023-T3.txt#1");
    assert_eq!(h["thread_matches"], 7);
    assert!(h["thread"]
        .as_str()
        .unwrap()
        .starts_with("storby/ta-fram-en-plan-for-klimatanpassning-"));
    assert_eq!(
        h["history_line"],
        "T1 2021 bedöms genomfört -> T3 2021 ej genomfört -> T1 2022 bedöms ej genomfört -> \
         T3 2022 ej genomfört -> målsida 2022 röd -> T3 2023 genomfört -> målsida 2023 grön"
    );
    assert_eq!(h["history"].as_array().unwrap().len(), 7);
    let text = s.stdout(&["search", "klimatanpassning", "--group"]);
    assert!(
        text.contains("historik: T1 2021 bedöms genomfört -> T3 2021 ej genomfört"),
        "{text}"
    );
    assert!(text.contains("1 tråd med 7 träffar"), "{text}");
    // Two threads share "fastigheter"; each shows once, best first.
    let v = s.json(&["search", "fastigheter", "--group", "--kind", "uppdrag"]);
    assert_eq!(v["total"], 6);
    assert_eq!(v["groups"], 2);
    let ids: Vec<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"storby/2023-T3.txt#1"), "{ids:?}");
    assert!(ids.contains(&"storby/2022-T3.txt#6"), "{ids:?}");
}

#[test]
fn group_on_the_bundled_corpus_keeps_ranking_and_limit_counts_threads() {
    let s = Sandbox::indexed();
    let plain = s.json(&["search", "välbefinnande friskfaktorer"]);
    let grouped = s.json(&["search", "välbefinnande friskfaktorer", "--group"]);
    assert_eq!(grouped["total"], plain["total"]);
    let first = &grouped["hits"][0];
    assert_eq!(first["id"], "ostersund/2022-T3.txt#2");
    assert_eq!(
        first["history_line"],
        "T3 2022 genomfört -> målsida 2022 grön"
    );
    let one = s.json(&["search", "--group", "--limit", "1", "--year", "2021"]);
    assert_eq!(one["hits"].as_array().unwrap().len(), 1);
    assert_eq!(one["groups"], 12);
}

// ---- trends ----

#[test]
fn trend_by_year_counts_matches_and_draws_bars() {
    let s = Sandbox::indexed();
    let v = s.json(&["search", "psykisk ohälsa", "--by", "year"]);
    assert_eq!(v["by"], "year");
    assert_eq!(v["total"], 4);
    let buckets: Vec<(String, u64)> = v["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["key"].as_str().unwrap().into(),
                b["count"].as_u64().unwrap(),
            )
        })
        .collect();
    // Every year of the index, zeros included.
    assert_eq!(
        buckets,
        [("2021".into(), 0), ("2022".into(), 3), ("2023".into(), 1)]
    );
    let text = s.stdout(&["search", "psykisk ohälsa", "--by", "år"]);
    assert!(text.contains("per år: 4 dokument"), "{text}");
    let line_2022 = text
        .lines()
        .find(|l| l.trim_start().starts_with("2022"))
        .unwrap();
    assert_eq!(line_2022.matches('█').count(), 40, "{text}");
    // Same filters as search.
    let bun = s.json(&[
        "search",
        "psykisk ohälsa",
        "--by",
        "year",
        "--committee",
        "BUN",
    ]);
    assert_eq!(bun["total"], 1);
    assert_eq!(bun["buckets"][2]["count"], 1);
    assert_eq!(bun["buckets"][1]["count"], 0);
}

#[test]
fn trend_by_tertial_committee_and_status() {
    let s = Sandbox::storby();
    let all = s.json(&["search", "--limit", "1"]);
    let total = all["total"].as_u64().unwrap();
    let t = s.json(&["search", "--by", "tertial"]);
    let keys: Vec<&str> = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["T1", "T2", "T3"]);
    let counted: u64 = t["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted + t["without"].as_u64().unwrap(), total);
    assert_eq!(t["buckets"][0]["count"], 5);
    let st = s.json(&["search", "--by", "status", "--year", "2022"]);
    let ej = st["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["key"] == "ej_genomfort")
        .unwrap();
    assert_eq!(ej["count"], 5);
    let c = s.json(&["search", "--by", "committee"]);
    assert_eq!(c["buckets"][0]["key"], "KS", "most common first");
    assert!(c["without"].is_null());
    let text = s.stdout(&["search", "--by", "status"]);
    assert!(text.contains("inte genomfört"), "{text}");
}

// ---- slipping ----

fn slipping_titles(v: &Value) -> Vec<(String, u64)> {
    v["threads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["title"].as_str().unwrap().into(),
                t["slipped"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn slipping_lists_threads_by_reports_slipped() {
    let s = Sandbox::storby();
    let v = s.json(&["slipping"]);
    assert_eq!(
        slipping_titles(&v),
        [
            ("Utred hur en klimatbudget kan utformas för Storby kommun".to_string(), 4),
            ("Inför en e-tjänst för ansökan om bygglov".to_string(), 2),
            (
                "Utveckla en modell för att säkerställa resursfördelning till barn- och utbildningsnämnden"
                    .to_string(),
                2
            ),
        ]
    );
    let first = &v["threads"][0];
    assert_eq!(first["latest_period"], "T3 2023");
    assert_eq!(first["latest_status"], "ej_genomfort");
    // The carried-over assignment that was finally done does not slip.
    assert!(!v.to_string().contains("klimatanpassning"));

    let since = s.json(&["slipping", "--since", "2022"]);
    assert_eq!(
        slipping_titles(&since),
        [
            (
                "Utred hur en klimatbudget kan utformas för Storby kommun".to_string(),
                3
            ),
            ("Inför en e-tjänst för ansökan om bygglov".to_string(), 2),
        ]
    );
    assert!(since["threads"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["year"].as_u64().unwrap() >= 2022));

    let msn = s.json(&["slipping", "--committee", "msn"]);
    assert_eq!(msn["total"], 1);
    let tn = s.json(&["slipping", "--nämnd", "TN"]);
    assert_eq!(tn["total"], 0);
    let text = s.stdout(&["slipping", "--committee", "TN"]);
    assert!(text.contains("Inga uppdrag som glider"), "{text}");
    let text = s.stdout(&["slipping"]);
    assert!(
        text.contains("4 rapporter utan att bli genomfört"),
        "{text}"
    );
    assert!(
        text.contains("T1 2022 bedöms genomfört -> T3 2022 ej genomfört"),
        "{text}"
    );
    assert_eq!(s.exit(&["slipping", "--since", "2021..2022"]), 2);
}

/// The same report twice (a copy of a file, or the same period in two files of one
/// municipality) counted as two reports; one period counts once now, and the build
/// warns about the second file.
#[test]
fn a_duplicated_report_counts_once_and_is_warned_about() {
    let s = Sandbox::of(STORBY);
    let storby = s.p("corpus/storby");
    for copy in ["2023-T3-kopia.txt", "2023-T3 (1).txt"] {
        std::fs::copy(storby.join("2023-T3.txt"), storby.join(copy)).unwrap();
    }
    let out = s.cmd(&["index", "--quiet"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 2, "{err}");
    // Files are read in path order: "2023-T3 (1).txt" is the first of the three.
    for copy in ["2023-T3-kopia.txt", "2023-T3.txt"] {
        let want = format!(
            "corpus/storby/{copy}:3: the report for T3 2023 of storby is also in \
             storby/2023-T3 (1).txt: the same report twice? `slipping` counts the period \
             once; remove one of the files"
        );
        assert!(err.contains(&want), "missing {want:?} in\n{err}");
    }
    let v = s.json(&["slipping"]);
    let titles = slipping_titles(&v);
    assert_eq!(
        titles[0],
        (
            "Utred hur en klimatbudget kan utformas för Storby kommun".to_string(),
            4
        ),
        "{v}"
    );
    assert_eq!(titles.len(), 3, "{v}");
}

/// A committee's view of a period (its own assignments) beside the council's whole
/// report of the same period is not "the same report twice": no warning, exit 0. A view
/// that holds every assignment of the report is.
#[test]
fn a_committee_view_beside_the_whole_report_is_not_a_duplicate() {
    let s = Sandbox::indexed();
    let v = s.json(&[
        "search",
        "--year",
        "2022",
        "--tertial",
        "T3",
        "--kind",
        "uppdrag",
        "--limit",
        "100",
    ]);
    let titles: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["file"] == "ostersund/2022-T3.txt")
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    assert!(titles.len() >= 4, "{v}");
    let view = |titles: &[String]| {
        let mut text =
            String::from("Kultur- och fritidsnämnden T3 2022 Uppdrag. Kommentar T3 2022\n");
        for t in titles {
            text.push_str(&format!(
                ".\n(Kultur- och fritidsnämnden) .\n{t}\n\nBibliotek\n\nUppdraget är genomfört.\n"
            ));
        }
        text
    };
    s.write("ostersund/2022-T3-KFN.txt", view(&titles[..2]));
    let out = s.cmd(&["index", "--quiet"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "{err}");
    let v = s.json(&[
        "search",
        "--kommun",
        "ostersund",
        "--year",
        "2022",
        "--limit",
        "100",
    ]);
    let in_view = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["file"] == "ostersund/2022-T3-KFN.txt")
        .count();
    assert_eq!(in_view, 2, "{v}");
    // The history of a viewed assignment shows T3 2022 once, naming the view.
    let first = "ostersund/2022-T3-KFN.txt#1";
    let h = s.json(&["history", first]);
    let periods: Vec<&str> = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["period"].as_str().unwrap())
        .collect();
    let t3 = periods.iter().filter(|p| **p == "T3 2022").count();
    assert_eq!(t3, 1, "{h}");
    let entry = h["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["period"] == "T3 2022")
        .unwrap();
    assert_eq!(entry["also_in"].as_array().unwrap().len(), 1, "{h}");
    let text = s.stdout(&["history", first]);
    assert!(text.contains("också i ostersund/2022-T3"), "{text}");
    // The whole report again, in the committee's layout: the same report twice.
    s.write("ostersund/2022-T3-KFN.txt", view(&titles));
    let out = s.cmd(&["index", "--quiet"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("the report for T3 2022 of ostersund is also in ostersund/2022-T3-KFN.txt"),
        "{err}"
    );
}

#[test]
fn slipping_on_the_bundled_corpus_is_empty() {
    // No assignment of the bundled reports was reported twice in tertial reports.
    let s = Sandbox::indexed();
    assert_eq!(s.json(&["slipping"])["total"], 0);
}

// ---- CSV ----

/// A minimal RFC 4180 reader for checking the output.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    parse_csv_with(text, ',')
}

/// The same reader with another separator (`;` for `--csv-excel`).
fn parse_csv_with(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, c) if c == sep => row.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF");
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("bare LF ends a record"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "last record not ended by CRLF"
    );
    rows
}

#[test]
fn search_csv_has_bom_header_and_one_row_per_match() {
    let s = Sandbox::indexed();
    let out = s
        .cmd(&["search", "psykisk ohälsa", "--csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let body = text.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
    let rows = parse_csv(body);
    assert_eq!(
        rows[0],
        [
            "id",
            "kind",
            "municipality",
            "year",
            "tertial",
            "committees",
            "status",
            "status_code",
            "title",
            "thread",
            "passage",
            "file",
            "line",
            "unit"
        ]
    );
    assert_eq!(rows.len(), 1 + 4, "all matches, not a page");
    assert!(rows.iter().all(|r| r.len() == 14));
    let first = &rows[1];
    assert_eq!(first[0], "ostersund/2023-T3.txt#1");
    assert_eq!(first[5], "VON, BUN, SAN, KFN");
    assert!(
        body.contains("\"VON, BUN, SAN, KFN\""),
        "a comma field is quoted"
    );
    assert_eq!(first[6], "genomfört", "the Swedish label for people");
    assert_eq!(first[7], "genomfort", "the slug for scripts");
    assert!(first[9].starts_with("ostersund/arbeta-for-att-starka-"));
    assert!(first[10].contains("psykisk ohälsa"), "{}", first[10]);
    assert_eq!(first[13], "", "the corpus names no unit");
    // The workshop title in quotes survives quoting.
    let workshop = rows
        .iter()
        .find(|r| r[0] == "ostersund/2022-T3.txt#3")
        .unwrap();
    assert!(
        workshop[10].contains("\"En dag om psykisk (o)hälsa hos unga\""),
        "{}",
        workshop[10]
    );
    // --csv-excel: the same rows with ';' between fields, the same BOM.
    let excel = s.stdout(&["search", "psykisk ohälsa", "--csv-excel"]);
    let excel_body = excel.strip_prefix('\u{feff}').expect("UTF-8 BOM first");
    assert!(
        excel_body.starts_with("id;kind;municipality;"),
        "{excel_body}"
    );
    assert!(
        excel_body.contains(";VON, BUN, SAN, KFN;"),
        "a comma needs no quotes"
    );
    assert_eq!(parse_csv_with(excel_body, ';'), rows);
    assert_eq!(s.exit(&["search", "x", "--csv-excel", "--csv"]), 2);
    // --limit still pages.
    let two = s.stdout(&["search", "psykisk ohälsa", "--csv", "--limit", "2"]);
    assert_eq!(parse_csv(two.trim_start_matches('\u{feff}')).len(), 3);
    assert_eq!(s.exit(&["search", "x", "--csv", "--json"]), 2);
    assert_eq!(s.exit(&["search", "x", "--group", "--by", "year"]), 2);
    assert_eq!(s.exit(&["search", "x", "--by", "month"]), 2);
}

#[test]
fn slipping_csv_has_one_row_per_report() {
    let s = Sandbox::storby();
    let text = s.stdout(&["slipping", "--csv"]);
    let rows = parse_csv(text.strip_prefix('\u{feff}').unwrap());
    assert_eq!(rows[0][0], "slipped");
    assert_eq!(rows[0].len(), 15);
    assert_eq!(rows[0][7..9], ["status", "status_code"]);
    assert_eq!(rows[0][14], "unit");
    assert!(rows.iter().all(|r| r.len() == 15));
    // 4 reports of the climate budget, 2 + 2 of the others.
    assert_eq!(rows.len(), 1 + 4 + 2 + 2);
    let climate: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "4").collect();
    assert_eq!(climate.len(), 4);
    let periods: Vec<(String, String, String, String)> = climate
        .iter()
        .map(|r| (r[4].clone(), r[5].clone(), r[7].clone(), r[8].clone()))
        .collect();
    assert_eq!(
        periods[1],
        (
            "2022".into(),
            "T1".into(),
            "bedöms bli genomfört".into(),
            "bedoms_genomforas".into()
        )
    );
    assert!(
        climate.iter().all(|r| r[10] == climate[0][10]),
        "one thread"
    );
    let excel = s.stdout(&["slipping", "--csv-excel"]);
    assert_eq!(
        parse_csv_with(excel.strip_prefix('\u{feff}').unwrap(), ';'),
        rows
    );
}
