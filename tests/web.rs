//! The web page (`rapportsok serve`) over HTTP: the real binary listens on a free port of
//! 127.0.0.1 (`--bind 127.0.0.1:0`, the URL read from its first line), and a small
//! std-only HTTP/1.1 client sends raw requests (so paths like `/fil/../x` reach the
//! server as typed). Every route's status and type, escaping, caps, traversal, the JSON
//! API against the CLI's `--json`, and a rebuild while requests run. Traffic goes only to
//! loopback; every wait is bounded.

use crate::util::Sandbox;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// A running `rapportsok serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
}

impl Server {
    /// `serve --index index --corpus corpus --bind 127.0.0.1:0` in the sandbox.
    fn start(s: &Sandbox) -> Server {
        Server::spawn(s.cmd(&[
            "serve",
            "--index",
            "index",
            "--corpus",
            "corpus",
            "--bind",
            "127.0.0.1:0",
        ]))
    }

    /// Start a `serve` command line and read the URL it prints.
    fn spawn(mut cmd: Command) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("serve printed no URL within 60 s");
            }
        };
        let addr = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .map(|a| a.trim_end_matches('/').to_string())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("no URL in {line:?}")
            });
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        Server { child, addr }
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path)
    }

    fn request(&self, method: &str, path: &str) -> Reply {
        http(&self.addr, method, path)
    }
}

/// One request to `addr` on a fresh connection, the path sent exactly as given.
pub(crate) fn http(addr: &str, method: &str, path: &str) -> Reply {
    http_with(addr, method, path, "")
}

/// [`http`] with extra header lines (each ended by CRLF).
fn http_with(addr: &str, method: &str, path: &str, headers: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n{headers}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    Reply::parse(&raw)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP answer.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete header");
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[end + 4..].to_vec();
        let chunked = headers
            .iter()
            .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
        if chunked {
            body = dechunk(&body);
        }
        Reply {
            status,
            headers,
            body,
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

/// The bundled corpus, indexed, and a server over it.
fn bundled() -> (Sandbox, Server) {
    let s = Sandbox::indexed();
    let server = Server::start(&s);
    (s, server)
}

#[test]
fn every_route_answers_with_its_status_type_and_security_headers() {
    let (_s, server) = bundled();
    let html = "text/html; charset=utf-8";
    let json = "application/json";
    for (path, status, ty) in [
        ("/", 200, html),
        ("/sok?q=budget", 200, html),
        (
            "/sok?q=budget&ar=2021..2023&namnd=KS&sortering=nyast",
            200,
            html,
        ),
        ("/sok?sida=2", 200, html),
        ("/sok.csv?q=budget", 200, "text/csv; charset=utf-8"),
        ("/sok.json?q=budget", 200, json),
        ("/dok/ostersund%2F2022-T3.txt%236", 200, html),
        ("/dok/ostersund%2F2022-T3.txt%23999", 404, html),
        ("/glider", 200, html),
        ("/glider?sedan=2021&namnd=KS", 200, html),
        ("/glider.csv", 200, "text/csv; charset=utf-8"),
        (
            "/fil/ostersund/2022-T3.txt",
            200,
            "text/plain; charset=utf-8",
        ),
        ("/api/search?q=budget", 200, json),
        ("/api/search?q=budget&by=year", 200, json),
        ("/api/doc/ostersund%2F2022-T3.txt%236", 200, json),
        ("/api/doc/nope%231", 404, json),
        ("/api/history/ostersund%2F2022-T3.txt%236", 200, json),
        ("/api/history/ostersund%2F2022-T3.txt%23999", 404, json),
        ("/api/stats", 200, json),
        ("/api/nothing", 404, json),
        ("/trad/ostersund%2Fno-such-thread-000000", 404, html),
        ("/nothing", 404, html),
        ("/static/app-0.1.0.css", 200, "text/css; charset=utf-8"),
        (
            "/static/app-0.1.0.js",
            200,
            "text/javascript; charset=utf-8",
        ),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, status, "{path}: {}", r.text());
        assert_eq!(r.content_type(), ty, "{path}");
        let csp = r.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe"), "{path}: {csp}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        if ty == html {
            let page = r.text();
            assert!(
                page.starts_with("<!DOCTYPE html><html lang=\"sv\">"),
                "{path}"
            );
            // No inline script or style: the policy would block them.
            assert!(
                !page.contains("<script>") && !page.contains("style="),
                "{path}"
            );
            for landmark in ["<header", "<main", "<nav"] {
                assert!(page.contains(landmark), "{path}: {landmark}");
            }
        }
    }
    // The thread page of a document's thread, found through the document's JSON.
    let doc: serde_json::Value =
        serde_json::from_slice(&server.get("/api/doc/ostersund%2F2022-T3.txt%236").body).unwrap();
    let thread = doc["thread"].as_str().unwrap();
    let enc = thread.replace('/', "%2F");
    let r = server.get(&format!("/trad/{enc}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("<table class=\"timeline\""));
}

#[test]
fn only_get_and_head_are_answered() {
    let (_s, server) = bundled();
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/sok", "/api/search", "/dok/ostersund%2F2022-T3.txt%231"] {
            let r = server.request(method, path);
            assert_eq!(r.status, 405, "{method} {path}");
        }
    }
    let head = server.request("HEAD", "/sok?q=budget");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn the_search_page_marks_counts_and_links_its_state() {
    let (_s, server) = bundled();
    let page = server.get("/sok?q=budget").text();
    assert!(page.contains("<mark>budget</mark>"), "{page}");
    assert!(page.contains("Träff 1–"), "{page}");
    // A facet link adds the filter; the filtered page shows it as a removable chip.
    assert!(
        page.contains("href=\"/sok?q=budget&amp;namnd=KS\""),
        "{page}"
    );
    let filtered = server.get("/sok?q=budget&namnd=KS").text();
    assert!(filtered.contains("class=\"chips\""), "{filtered}");
    assert!(filtered.contains("<a class=\"chip\" href=\"/sok?q=budget\">"));
    assert!(filtered.contains("<input type=\"hidden\" name=\"namnd\" value=\"KS\">"));
    // The trend charts, as inline SVG.
    assert!(page.contains("<svg viewBox="), "{page}");
    assert!(
        page.contains("aria-label=\"Träffar per år: 2021: "),
        "{page}"
    );
    // The charts count as `search --by` does, also under a filter and newest first.
    for query in [
        "q=budget",
        "q=budget&status=ej_genomfort&sortering=nyast&sida=2",
        "",
    ] {
        let page = server.get(&format!("/sok?{query}")).text();
        for (by, label) in [("year", "år"), ("committee", "nämnd")] {
            let api = server.get(&format!("/api/search?{query}&by={by}"));
            let v: serde_json::Value = serde_json::from_slice(&api.body).unwrap();
            let buckets: Vec<String> = v["buckets"]
                .as_array()
                .unwrap()
                .iter()
                .take(10)
                .map(|b| format!("{}: {}", b["key"].as_str().unwrap(), b["count"]))
                .collect();
            let want = format!("aria-label=\"Träffar per {label}: {}\"", buckets.join(", "));
            assert!(page.contains(&want), "{query} {by}: {want} in {page}");
        }
    }
    // Paging: the listing of every document has a second page.
    let all = server.get("/").text();
    assert!(all.contains("href=\"/sok?sida=2\""), "{all}");
    let second = server.get("/sok?sida=2").text();
    assert!(second.contains("Träff 11–"), "{second}");
    // "Menade du" for a misspelt word, the relaxed notice for words never together.
    let typo = server.get("/sok?q=valdeltgande&exact=1").text();
    assert!(
        typo.contains("Menade du: <a href=\"/sok?q=valdeltagande\">valdeltagande</a>"),
        "{typo}"
    );
    // "KS" finds the committee's assignments (issue 14); where it still finds nothing,
    // the committee filter is suggested.
    let committee = server.get("/sok?q=KS&ar=2010").text();
    assert!(
        committee.contains("Menade du nämnden <a href=\"/sok?ar=2010&amp;namnd=KS\">KS</a>"),
        "{committee}"
    );
    let relaxed = server.get("/sok?q=suicid+klimatbudget").text();
    assert!(relaxed.contains("id=\"relaxed\""), "{relaxed}");
    // Newest first orders by period.
    let newest = server.get("/sok?q=budget&sortering=nyast").text();
    let first = newest.find("T3 2023").unwrap();
    let older = newest.find("T3 2021").unwrap();
    assert!(first < older);
}

/// The API's bodies are the CLI's `--json` output for the same request, byte for byte;
/// the CSV download is `search --csv`.
#[test]
fn api_bodies_are_the_cli_json_and_csv() {
    let (s, server) = bundled();
    for (path, args) in [
        (
            "/api/search?q=budget&namnd=KS&limit=3",
            &[
                "search",
                "budget",
                "--committee",
                "KS",
                "--limit",
                "3",
                "--json",
            ][..],
        ),
        (
            "/api/search?q=budget&ar=2021..2022&offset=1&passages=2",
            &[
                "search",
                "budget",
                "--year",
                "2021..2022",
                "--offset",
                "1",
                "--passages",
                "2",
                "--json",
            ],
        ),
        (
            "/api/search?q=budget&by=year",
            &["search", "budget", "--by", "year", "--json"],
        ),
        (
            "/api/doc/ostersund%2F2022-T3.txt%236",
            &["show", "ostersund/2022-T3.txt#6", "--json"],
        ),
        (
            "/api/history/ostersund%2F2022-T3.txt%236",
            &["history", "ostersund/2022-T3.txt#6", "--json"],
        ),
        (
            "/api/history/klimatbudget",
            &["history", "klimatbudget", "--json"],
        ),
        ("/api/stats", &["stats", "--json"]),
        ("/sok.json?q=budget", &["search", "budget", "--json"]),
        (
            "/sok.csv?q=budget&status=ej_genomfort",
            &["search", "budget", "--status", "ej_genomfort", "--csv"],
        ),
        (
            "/sok.csv?q=budget&excel=1",
            &["search", "budget", "--csv-excel"],
        ),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        let cli = s.run(args);
        assert!(cli.status.success(), "{args:?}");
        assert_eq!(r.text(), String::from_utf8(cli.stdout).unwrap(), "{path}");
    }
    let csv = server.get("/sok.csv?q=budget").body;
    assert!(csv.starts_with("\u{feff}id,".as_bytes()));
}

#[test]
fn bad_parameters_are_400_in_swedish_on_pages_and_json_on_the_api() {
    let (_s, server) = bundled();
    for (path, needle) in [
        ("/sok?tertial=T4", "Ogiltigt värde för tertial"),
        ("/sok?namnd=XYZ", "Okänd nämnd 'XYZ'"),
        ("/sok?f%C3%A4rg=r%C3%B6d", "Okänt filter"),
        ("/sok?q=%22budget", "Sökfrågan kunde inte tolkas"),
        ("/sok?sida=100000", "Ogiltigt värde för sida"),
        ("/sok?sortering=slump", "Ogiltigt värde för sortering"),
        ("/glider?sedan=2021..2022", "Ogiltigt värde för sedan"),
        ("/sok.csv?limit=10001", "för"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 400, "{path}");
        assert_eq!(r.content_type(), "text/html; charset=utf-8");
        let page = r.text();
        assert!(page.contains(needle), "{path}: {page}");
        assert!(page.contains("<h1>Felaktig sökning</h1>"), "{path}");
    }
    // The caps are the library's (the CLI's): one over is refused, the cap itself not.
    for (path, needle) in [
        ("/api/search?q=budget&limit=10001", "at most 10000"),
        ("/api/search?q=budget&offset=100001", "at most 100000"),
        ("/api/search?q=budget&passages=101", "at most 100"),
        ("/api/search?q=budget&namnd=XYZ", "unknown committee 'XYZ'"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 400, "{path}");
        assert_eq!(r.content_type(), "application/json");
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert!(v["error"].as_str().unwrap().contains(needle), "{path}: {v}");
    }
    assert_eq!(
        server
            .get("/api/search?q=budget&limit=10000&offset=100000")
            .status,
        200
    );
    // A pasted paragraph is cut with a notice; a URL past the cap is 414.
    let long = "ord+".repeat(300);
    let r = server.get(&format!("/sok?q={long}"));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("har kortats"));
    for by in ["", "&by=year"] {
        let v: serde_json::Value =
            serde_json::from_slice(&server.get(&format!("/api/search?q={long}{by}")).body).unwrap();
        assert_eq!(v["truncated"], true, "{by}");
    }
    let huge = "a".repeat(9000);
    assert_eq!(server.get(&format!("/sok?q={huge}")).status, 414);
}

/// Markup in a query and in a report's title is text on the page, never live markup.
#[test]
fn hostile_text_is_escaped() {
    let s = Sandbox::new();
    s.write(
        "ostersund/2024-T1.txt",
        "T1 2024 Uppdrag. Kommentar T1 2024\n.\n\
         Utred <script>alert(1)</script> och \"><img src=x onerror=alert(2)> (KS)\n\n\
         Uppdraget är inte genomfört under året.\n\n\
         Texten nämner <script>alert(3)</script> och zebrafink.\n",
    );
    s.expect(&["index", "--quiet"], 0);
    let server = Server::start(&s);
    let pages = [
        "/sok?q=zebrafink",
        "/sok?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E+zebrafink",
        "/sok?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
        "/sok?q=zebrafink&enhet=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E",
        "/dok/ostersund%2F2024-T1.txt%231",
        "/sok?q=%3Cscript%3E&namnd=%3Cscript%3E",
    ];
    let mut saw_title = false;
    for path in pages {
        let r = server.get(path);
        let page = r.text();
        // One script element: the page's own, from a file.
        assert_eq!(page.matches("<script").count(), 1, "{path}");
        for live in ["<script>", "<img", "onerror=alert"] {
            // `onerror=alert` may only appear as escaped text (`&lt;img src=x onerror=...`).
            if live == "onerror=alert" {
                for (i, _) in page.match_indices(live) {
                    let before = &page[..i];
                    let open = before.rfind('<').unwrap_or(0);
                    let escaped = before.rfind("&lt;").unwrap_or(0);
                    assert!(escaped > open, "{path}: live attribute in {page}");
                }
                continue;
            }
            assert!(!page.contains(live), "{path}: {live} in {page}");
        }
        saw_title |= page.contains("Utred &lt;script&gt;alert(1)&lt;/script&gt;");
    }
    assert!(saw_title, "the hostile title was shown, escaped");
}

#[test]
fn the_file_route_serves_only_files_inside_the_corpus() {
    let (s, server) = bundled();
    let r = server.get("/fil/ostersund/2022-T3.txt");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.body,
        std::fs::read(s.corpus().join("ostersund/2022-T3.txt")).unwrap()
    );
    std::fs::write(s.p("secret.txt"), "hemligt").unwrap();
    std::os::unix::fs::symlink(s.p("secret.txt"), s.corpus().join("ostersund/ut.txt")).unwrap();
    std::os::unix::fs::symlink(s.path(), s.corpus().join("ostersund/upp")).unwrap();
    for path in [
        "/fil/../secret.txt",
        "/fil/ostersund/../../secret.txt",
        "/fil/%2e%2e/secret.txt",
        "/fil/%2E%2E%2Fsecret.txt",
        "/fil/ostersund/%2e%2e/%2e%2e/secret.txt",
        "/fil//etc/passwd",
        "/fil/%2Fetc%2Fpasswd",
        "/fil/ostersund/ut.txt",
        "/fil/ostersund/upp/secret.txt",
        "/fil/ostersund/upp/index/CURRENT",
        "/fil/ostersund",
        "/fil/ostersund%5C..%5C..%5Csecret.txt",
        "/fil/ostersund/2022-T3.txt%00",
        "/dok/..%2F..%2Fsecret.txt",
        "/dok/%2e%2e",
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("hemligt"), "{path}");
    }
}

/// A rebuild while requests run: every request is answered, and once `CURRENT` names
/// the new generation new requests see its documents, without a restart.
#[test]
fn a_rebuild_is_served_without_a_restart() {
    let (s, server) = bundled();
    let addr = server.addr.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..3)
        .map(|i| {
            let (addr, stop, done, failures) = (
                addr.clone(),
                Arc::clone(&stop),
                Arc::clone(&done),
                Arc::clone(&failures),
            );
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(120);
                let path = ["/sok?q=budget", "/api/search?q=zebrafink", "/api/stats"][i];
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let r = http(&addr, "GET", path);
                    if r.status != 200 {
                        failures.lock().unwrap().push((path, r.status));
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let total = |server: &Server| -> u64 {
        let v: serde_json::Value =
            serde_json::from_slice(&server.get("/api/search?q=zebrafink").body).unwrap();
        v["total"].as_u64().unwrap()
    };
    assert_eq!(total(&server), 0);
    let before = s.current().unwrap();
    s.write(
        "ostersund/2024-T1.txt",
        "T1 2024 Uppdrag. Kommentar T1 2024\n.\nInventera zebrafinkar i parken (KS)\n\n\
         Uppdraget är genomfört under året.\n\nZebrafinken häckar i parken.\n",
    );
    s.expect(&["index", "--quiet"], 0);
    assert_ne!(s.current().unwrap(), before);
    let deadline = Instant::now() + Duration::from_secs(20);
    while total(&server) == 0 {
        assert!(
            Instant::now() < deadline,
            "the new generation was not served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    assert!(done.load(Ordering::Relaxed) > 3, "requests ran meanwhile");
    assert_eq!(*failures.lock().unwrap(), vec![]);
    let stats: serde_json::Value = serde_json::from_slice(&server.get("/api/stats").body).unwrap();
    assert_eq!(stats["generation"].as_str(), s.current().as_deref());
}

/// `/glider` lists what `slipping` lists; a thread page shows its changes.
#[test]
fn slipping_and_thread_pages_follow_the_cli() {
    let s = Sandbox::storby();
    let server = Server::start(&s);
    let cli = s.json(&["slipping"]);
    let threads: Vec<&str> = cli["threads"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["thread"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        !threads.is_empty(),
        "storby has slipping assignments: {cli}"
    );
    let page = server.get("/glider").text();
    assert!(
        page.contains(&format!("{} uppdrag glider", threads.len())),
        "{page}"
    );
    for t in &threads {
        let enc = t.replace('/', "%2F");
        assert!(page.contains(&format!("/trad/{enc}")), "{t}");
        let r = server.get(&format!("/trad/{enc}"));
        assert_eq!(r.status, 200);
        assert!(r.text().contains("class=\"badge status-"));
    }
    let csv = server.get("/glider.csv");
    let out = s.run(&["slipping", "--csv"]);
    assert_eq!(csv.body, out.stdout);
    // Somewhere in Storby a committee changes: the thread page shows it.
    let any_change = threads.iter().any(|t| {
        let page = server
            .get(&format!("/trad/{}", t.replace('/', "%2F")))
            .text();
        page.contains("<del>") && page.contains("ändrad")
    }) || {
        let all = s.json(&["search", "--limit", "200"]);
        all["hits"].as_array().unwrap().iter().any(|h| {
            h["thread"].as_str().is_some_and(|t| {
                server
                    .get(&format!("/trad/{}", t.replace('/', "%2F")))
                    .text()
                    .contains("<del>")
            })
        })
    };
    assert!(any_change, "a committee change is shown");
}

/// Wait until the clock is past `t` (RFC 3339, whole seconds), so the next build's time
/// differs from the last.
fn wait_past(t: &str) {
    while rapportsok::timestamp::Timestamp::now().to_string().as_str() <= t {
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The text of `node`'s first child element named `name` (Atom namespace).
fn atom_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", name)))
        .and_then(|c| c.text())
}

#[test]
fn the_atom_feed_lists_matches_newest_first_seen_first_escaped() {
    let s = Sandbox::indexed();
    let t1 = s.json(&["stats"])["built_at"].as_str().unwrap().to_string();
    wait_past(&t1);
    // A new report whose title and text try to break out of the XML: of an old period
    // and a weak match, so only the order by first_seen puts it first.
    let hostile_title = "Utred <script>alert(1)</script> \"><img src=x onerror=alert(2)> & ']]>";
    let filler = "Arbetet fortsätter enligt plan med samråd och uppföljning. ".repeat(40);
    s.write(
        "ostersund/2015-T1.txt",
        format!(
            "T1 2015 Uppdrag. Kommentar T1 2015\n.\n{hostile_title} (KS)\n\n\
             Uppdraget är inte genomfört under året.\n\n\
             {filler}Budgeten <b>prövas</b> \u{1}igen.\n"
        ),
    );
    s.expect(&["index", "--quiet"], 0);
    let t2 = s.json(&["stats"])["built_at"].as_str().unwrap().to_string();
    let server = Server::start(&s);

    let r = server.get("/flode?q=budget&namnd=KS");
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "application/atom+xml; charset=utf-8");
    assert!(r.header("content-security-policy").is_some());
    let body = r.text();
    assert!(!body.contains("<script") && !body.contains("<img") && !body.contains("<b>"));
    let doc = roxmltree::Document::parse(&body).expect("the feed is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name(("http://www.w3.org/2005/Atom", "feed")));
    assert!(atom_text(feed, "id")
        .unwrap()
        .starts_with("urn:rapportsok:flode:"));
    assert!(atom_text(feed, "title").unwrap().contains("budget"));
    assert_eq!(atom_text(feed, "updated"), Some(t2.as_str()));
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
        .collect();
    // As many entries as the search has matches (fewer than the feed's size here).
    let total = s.json(&["search", "budget", "--committee", "KS"])["total"]
        .as_u64()
        .unwrap();
    assert_eq!(entries.len() as u64, total);
    assert!(total > 1);
    // Newest first seen first: the new report, then the rest from the first build.
    let updated: Vec<&str> = entries
        .iter()
        .map(|e| atom_text(*e, "updated").unwrap())
        .collect();
    assert_eq!(updated[0], t2);
    assert!(updated[1..].iter().all(|u| *u == t1), "{updated:?}");
    let first = entries[0];
    assert_eq!(atom_text(first, "title"), Some(hostile_title));
    assert_eq!(
        atom_text(first, "id"),
        Some("urn:rapportsok:dok:ostersund%2F2015-T1.txt%231")
    );
    assert!(atom_text(first, "summary")
        .unwrap()
        .contains("<b>prövas</b> igen."));
    // Every entry links to its document page, which answers.
    let mut ids = std::collections::HashSet::new();
    for e in &entries {
        assert!(ids.insert(atom_text(*e, "id").unwrap()), "ids are unique");
        let link = e
            .children()
            .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "link")))
            .unwrap();
        let href = link.attribute("href").unwrap();
        assert!(href.starts_with("/dok/"), "{href}");
        assert_eq!(server.get(href).status, 200, "{href}");
    }
    // Relative links resolve against the server.
    assert_eq!(
        feed.attribute(("http://www.w3.org/XML/1998/namespace", "base")),
        Some(format!("http://{}/", server.addr).as_str())
    );
    // The search page links to its feed.
    assert!(server
        .get("/sok?q=budget&namnd=KS")
        .text()
        .contains("href=\"/flode?q=budget&amp;namnd=KS\""));
    // Without a query: everything, the new report first; bad filters are a 400.
    let all = server.get("/flode").text();
    let all = roxmltree::Document::parse(&all).unwrap();
    let n = all
        .root_element()
        .children()
        .filter(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
        .count();
    let first = all
        .root_element()
        .children()
        .find(|c| c.has_tag_name(("http://www.w3.org/2005/Atom", "entry")))
        .unwrap();
    assert_eq!(atom_text(first, "title"), Some(hostile_title));
    let documents = s.json(&["stats"])["documents"].as_u64().unwrap();
    assert_eq!(
        n as u64,
        documents.min(50),
        "every document, at most the feed's size"
    );
    assert_eq!(server.get("/flode?namnd=Styrelsen+X").status, 400);
    assert_eq!(server.get("/flode?ar=tjugo").status, 400);
}

#[test]
fn pages_are_compressed_for_clients_that_ask() {
    let (_s, server) = bundled();
    let r = http_with(
        &server.addr,
        "GET",
        "/sok?q=budget",
        "Accept-Encoding: gzip\r\n",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r.body.starts_with(&[0x1f, 0x8b]), "a gzip stream");
    assert_eq!(server.get("/sok?q=budget").header("content-encoding"), None);
}

#[test]
fn serve_fails_clearly_without_an_index_or_a_free_address() {
    let s = Sandbox::new();
    let err = s.expect(&["serve", "--index", "nowhere", "--bind", "127.0.0.1:0"], 1);
    assert!(err.contains("no index in nowhere"), "{err}");
    let s = Sandbox::indexed();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let err = s.expect(&["serve", "--bind", &addr], 1);
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
    let err = s.expect(&["serve", "--bind", "not-an-address"], 1);
    assert!(err.contains("cannot listen on not-an-address"), "{err}");
}

/// SIGTERM (systemd's stop) ends the server cleanly: exit 0, the port released.
#[test]
fn sigterm_stops_the_server_with_exit_0() {
    let (_s, mut server) = bundled();
    assert_eq!(server.get("/api/stats").status, 200);
    let pid = server.child.id() as libc::pid_t;
    // SAFETY: `pid` is our own child, still running (it just answered).
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "the port is closed"
    );
}

/// The index and corpus folders are found as by every command: flag, else
/// `$RAPPORTSOK_INDEX` / `$RAPPORTSOK_CORPUS`, else `./index` and `./corpus`.
#[test]
fn serve_finds_its_folders_as_the_other_commands_do() {
    let s = Sandbox::indexed();
    std::fs::rename(s.index(), s.p("idx")).unwrap();
    std::fs::rename(s.corpus(), s.p("reports")).unwrap();
    let mut cmd = s.cmd(&["serve", "--bind", "127.0.0.1:0"]);
    cmd.env("RAPPORTSOK_INDEX", s.p("idx"))
        .env("RAPPORTSOK_CORPUS", s.p("reports"));
    let server = Server::spawn(cmd);
    let stats: serde_json::Value = serde_json::from_slice(&server.get("/api/stats").body).unwrap();
    assert_eq!(stats["index"].as_str(), s.p("idx").to_str());
    assert_eq!(server.get("/fil/ostersund/2022-T3.txt").status, 200);
    let page = server.get("/dok/ostersund%2F2022-T3.txt%231").text();
    assert!(
        page.contains("href=\"/fil/ostersund/2022-T3.txt\""),
        "{page}"
    );
}
