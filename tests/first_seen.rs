//! `first_seen` across rebuilds and `search --new-since` / `--sort first-seen`: a
//! document keeps the build time of the generation where its id and text first
//! appeared; an edited text or a new file gets the new build's time.

use crate::util::{ids, Sandbox};

/// `built_at` of the live generation.
fn built_at(s: &Sandbox) -> String {
    s.json(&["stats"])["built_at"].as_str().unwrap().to_string()
}

/// `first_seen` of document `id` (`show --json`).
fn first_seen(s: &Sandbox, id: &str) -> String {
    s.json(&["show", id])["first_seen"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Wait until the clock is past `t` (whole seconds), so the next build's time differs.
fn wait_past(t: &str) {
    while rapportsok::timestamp::Timestamp::now().to_string().as_str() <= t {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_rebuild_keeps_first_seen_of_unchanged_documents_and_stamps_changed_and_new_ones() {
    let s = Sandbox::indexed();
    let t1 = built_at(&s);
    let unchanged = "ostersund/2023-T3.txt#1";
    let edited = "ostersund/2023-T3.txt#3";
    assert_eq!(first_seen(&s, unchanged), t1);
    assert_eq!(first_seen(&s, edited), t1);
    // Every hit carries it.
    let all = s.json(&["search", "--limit", "1000"]);
    let n = all["total"].as_u64().unwrap();
    assert!(all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["first_seen"] == t1.as_str()));

    wait_past(&t1);
    // A rebuild with nothing changed keeps every first_seen.
    s.expect(&["index", "--quiet"], 0);
    let t2 = built_at(&s);
    assert!(t2 > t1, "{t1} {t2}");
    assert_eq!(first_seen(&s, edited), t1);
    assert_eq!(
        s.json(&["search", "--new-since", &t2])["total"],
        0,
        "nothing is new"
    );

    // Edit one assignment's text and add a report.
    wait_past(&t2);
    let path = s.corpus().join("ostersund/2023-T3.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen(
        "effektivisera och konkretisera mål- och budgetprocessen",
        "effektivisera mål- och budgetprocessen",
        1,
    );
    assert_ne!(changed, text);
    std::fs::write(&path, changed).unwrap();
    s.write(
        "ostersund/2024-T1.txt",
        "T1 2024 Uppdrag. Kommentar T1 2024\n.\n\
         Utred nattbussar till ytterområdena (TN)\n\n\
         Uppdraget bedöms bli genomfört under året.\n\n\
         Nattbussarna går nu varje helg.\n",
    );
    s.expect(&["index", "--quiet"], 0);
    let t3 = built_at(&s);
    assert!(t3 > t2, "{t2} {t3}");
    assert_eq!(first_seen(&s, unchanged), t1);
    assert_eq!(first_seen(&s, edited), t3);
    assert_eq!(first_seen(&s, "ostersund/2024-T1.txt#1"), t3);

    // --new-since: a time, the same instant with an offset, and a date.
    let new = s.json(&["search", "--new-since", &t3]);
    let mut got = ids(&new);
    got.sort();
    assert_eq!(got, [edited, "ostersund/2024-T1.txt#1"]);
    let t3_plus_one = format!("{}+01:00", &t3[..t3.len() - 1]);
    assert_eq!(
        s.json(&["search", "--new-since", &t3_plus_one])["total"],
        n + 1,
        "an hour earlier: everything"
    );
    assert_eq!(
        s.json(&["search", "--new-since", "1999-12-31"])["total"],
        n + 1
    );
    // With a query and the other filters.
    assert_eq!(
        ids(&s.json(&["search", "budget", "--new-since", &t3])),
        [edited]
    );
    assert_eq!(
        s.json(&["search", "budget", "--new-since", &t3, "--year", "2022"])["total"],
        0
    );
    // --sort first-seen: the newest first, with or without a query.
    let sorted = s.json(&["search", "--sort", "first-seen", "--limit", "3"]);
    assert!(sorted["hits"][0]["first_seen"] == t3.as_str(), "{sorted}");
    assert!(sorted["hits"][1]["first_seen"] == t3.as_str(), "{sorted}");
    assert!(sorted["hits"][2]["first_seen"] == t1.as_str(), "{sorted}");
    let sorted = s.json(&["search", "budget", "--sort", "first-seen"]);
    assert_eq!(ids(&sorted)[0], edited);
    assert!(sorted["hits"][0]["score"].is_null());
}

#[test]
fn a_bad_new_since_date_is_a_usage_error() {
    let s = Sandbox::indexed();
    for bad in ["2024-13-01", "yesterday", "2024-05-31T08:00", "31.05.2024"] {
        let err = s.expect(&["search", "budget", "--new-since", bad], 2);
        assert!(
            err.contains(&format!("'{bad}' is not a date"))
                && err.contains("YYYY-MM-DD")
                && err.contains("RFC 3339"),
            "{bad}: {err}"
        );
    }
    let err = s.expect(&["search", "budget", "--sort", "newest"], 2);
    assert!(err.contains("relevance or first-seen"), "{err}");
}
