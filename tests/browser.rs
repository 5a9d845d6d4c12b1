//! The web page in a real browser: Debian's `chromium`, headless, driven over WebDriver
//! by Debian's `chromedriver` through the `fantoccini` crate. The real binary serves the
//! bundled corpus on a free port of 127.0.0.1; chromedriver listens on another. A test
//! types a query and sees highlighted results, clicks a facet and sees the counts and the
//! URL change, opens a document and its history, downloads the CSV, and does the same
//! with JavaScript off. Without chromium or chromedriver on the PATH the tests print a
//! visible note and pass (`.ci/run` installs both, so CI always runs them).
//!
//! `cargo test --test tests browser::screenshots -- --ignored` writes the README's
//! screenshots (`docs/screenshots/*.png`, desktop 1280 px and phone 360 px wide).
//! Every wait is bounded; only loopback is contacted.

use crate::util::{note, Sandbox, ROOT};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long any one thing may take to appear in the browser.
const WAIT: Duration = Duration::from_secs(20);

/// The first of `names` found on the PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver, or `None` with a note saying why the test is skipped.
fn tools(test: &str) -> Option<(PathBuf, PathBuf)> {
    let browser = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let driver = on_path(&["chromedriver"]);
    match (browser, driver) {
        (Some(b), Some(d)) => Some((b, d)),
        _ => {
            note(&format!(
                "browser::{test} skipped: chromium and chromedriver are not both on the PATH \
                 (apt-get install chromium chromium-driver)"
            ));
            None
        }
    }
}

/// A child process killed and reaped when dropped.
struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `rapportsok serve` on a free port of 127.0.0.1 over the sandbox's index and corpus;
/// returns the process and `http://127.0.0.1:PORT`.
fn serve(s: &Sandbox) -> (Process, String) {
    let mut child = s
        .cmd(&[
            "serve",
            "--index",
            "index",
            "--corpus",
            "corpus",
            "--bind",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let process = Process(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("serve printed its URL");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {line:?}"))
        .trim_end_matches('/')
        .to_string();
    (process, url)
}

/// chromedriver on a free port of 127.0.0.1, once it accepts connections; returns the
/// process and its URL.
fn chromedriver(driver: &Path) -> (Process, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let process = Process(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < WAIT, "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(100));
    }
    (process, format!("http://127.0.0.1:{port}"))
}

/// How a browser session looks.
#[derive(Clone, Copy)]
enum Screen {
    /// A desktop window, 1280 x 900.
    Desktop,
    /// A 360 px wide phone.
    Phone,
}

/// The capabilities of a headless session of `browser` (as root: no sandbox) with a
/// fresh profile in `profile`, JavaScript on or off.
fn capabilities(browser: &Path, profile: &Path, javascript: bool, screen: Screen) -> Value {
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-dev-shm-usage".to_string(),
        "--no-first-run".to_string(),
        "--hide-scrollbars".to_string(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut options = json!({ "binary": browser.display().to_string() });
    match screen {
        Screen::Desktop => args.push("--window-size=1280,900".into()),
        Screen::Phone => {
            args.push("--window-size=360,780".into());
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": 360, "height": 780, "pixelRatio": 2.0, "touch": true }
            });
        }
    }
    if !javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    options["args"] = json!(args);
    json!({ "browserName": "chrome", "goog:chromeOptions": options })
}

/// Run `body` in a new browser session on a runtime of its own, then end the session
/// whatever happened (a failed assertion in `body` is raised after the browser is
/// closed).
fn with_browser<F, Fut>(driver_url: &str, caps: Value, body: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(driver_url)
            .await
            .expect("a WebDriver session");
        let outcome = tokio::spawn(body(client.clone())).await;
        let _ = client.close().await;
        outcome
    });
    if let Err(e) = outcome {
        if e.is_panic() {
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("browser test: {e}");
    }
}

/// Poll `probe` until it gives a value (at most [`WAIT`]); `what` names it on failure.
async fn until<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(started.elapsed() < WAIT, "waited in vain for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The text of the first element matching `css`, if there is one now.
async fn text_of(c: &Client, css: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

/// The current URL.
async fn url(c: &Client) -> String {
    c.current_url().await.unwrap().to_string()
}

/// The count line's "av N" (the total of matches), if it says one.
fn total_in(count: &str) -> Option<u64> {
    count
        .split(" av ")
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The search page with JavaScript: results as the query is typed, a facet click that
/// swaps the results in place and updates the URL, a document, its history, the CSV.
#[test]
fn search_facet_document_history_and_csv_with_javascript() {
    let Some((browser, driver)) = tools("search_facet_document_history_and_csv_with_javascript")
    else {
        return;
    };
    let s = Sandbox::indexed();
    let cli_csv = s.stdout(&["search", "budget", "--csv"]);
    let (_server, base) = serve(&s);
    let (_driver, driver_url) = chromedriver(&driver);
    let profile = tempfile::tempdir().unwrap();
    let caps = capabilities(&browser, profile.path(), true, Screen::Desktop);
    with_browser(&driver_url, caps, move |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        // Type: the results follow without a submit, the URL keeps the query.
        c.find(Locator::Id("q"))
            .await
            .unwrap()
            .send_keys("budget")
            .await
            .unwrap();
        // (Before, the page lists every document, with nothing marked.)
        let count = until("results for the typed query", || async {
            let marked = text_of(&c, "ol.hits mark").await?;
            let t = text_of(&c, "#count").await?;
            (marked.to_lowercase().contains("budget") && total_in(&t).is_some()).then_some(t)
        })
        .await;
        let total = total_in(&count).unwrap();
        assert!(total > 1, "{count}");
        assert!(url(&c).await.contains("q=budget"), "{}", url(&c).await);
        let marks = c.find_all(Locator::Css("ol.hits mark")).await.unwrap();
        assert!(!marks.is_empty(), "highlighted words");
        let marked = marks[0].text().await.unwrap().to_lowercase();
        assert!(marked.contains("budget"), "{marked}");

        // Click a year whose count is below the total: counts and URL change in place.
        let links = c
            .find_all(Locator::Css(
                "section.facet[aria-labelledby='facet-year'] a",
            ))
            .await
            .unwrap();
        let mut chosen = None;
        for a in links {
            let n: u64 = a
                .find(Locator::Css("span.n"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .parse()
                .unwrap();
            if n < total {
                let year = a
                    .find(Locator::Css("span.value"))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                chosen = Some((a, n, year));
                break;
            }
        }
        let (link, n, year) = chosen.expect("a year with fewer matches than all");
        link.click().await.unwrap();
        until("the year filter's counts", || async {
            let t = text_of(&c, "#count").await?;
            (total_in(&t) == Some(n)).then_some(())
        })
        .await;
        let after = url(&c).await;
        assert!(
            after.contains("q=budget") && after.contains(&year),
            "{after}"
        );
        let chip = text_of(&c, "nav.chips")
            .await
            .expect("a chip for the filter");
        assert!(chip.contains(&year), "{chip}");
        let on = c
            .find(Locator::Css(
                "section.facet[aria-labelledby='facet-year'] a[aria-current='true']",
            ))
            .await
            .expect("the chosen year is marked");
        assert!(on.text().await.unwrap().contains(&year));

        // The CSV link of the page: the CLI's `search --csv`, BOM and all.
        c.goto(&format!("{base}/sok?q=budget")).await.unwrap();
        let href = c
            .find(Locator::Css("p.downloads a[href^='/sok.csv']"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let addr = base.strip_prefix("http://").unwrap();
        let reply = crate::web::http(addr, "GET", &href);
        assert_eq!(reply.status, 200, "{:?}", reply.headers);
        assert!(reply.body.starts_with(b"\xEF\xBB\xBF"), "a BOM");
        let csv = String::from_utf8(reply.body).unwrap();
        assert_eq!(csv.lines().next(), cli_csv.lines().next(), "the header");
        assert_eq!(csv, cli_csv);

        // A document and its history.
        let first = c.find(Locator::Css("ol.hits li.hit h2 a")).await.unwrap();
        let title = first.text().await.unwrap();
        first.click().await.unwrap();
        until("the document page", || async {
            url(&c).await.contains("/dok/").then_some(())
        })
        .await;
        assert_eq!(text_of(&c, "h1").await.as_deref(), Some(title.as_str()));
        let history = text_of(&c, "section.history").await.expect("its history");
        assert!(history.contains("Uppdragets historik"), "{history}");
        c.find(Locator::Css("section.history a[href^='/trad/']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the history page", || async {
            url(&c).await.contains("/trad/").then_some(())
        })
        .await;
        let rows = c
            .find_all(Locator::Css("table.timeline tbody tr"))
            .await
            .unwrap();
        assert!(!rows.is_empty(), "the timeline has rows");
    });
}

/// The same page with JavaScript off: typing does nothing until the form is sent, and
/// facet and document links are plain links that load whole pages.
#[test]
fn the_page_works_without_javascript() {
    let Some((browser, driver)) = tools("the_page_works_without_javascript") else {
        return;
    };
    let s = Sandbox::indexed();
    let (_server, base) = serve(&s);
    let (_driver, driver_url) = chromedriver(&driver);
    let profile = tempfile::tempdir().unwrap();
    let caps = capabilities(&browser, profile.path(), false, Screen::Desktop);
    with_browser(&driver_url, caps, move |c| async move {
        c.goto(&format!("{base}/")).await.unwrap();
        let q = c.find(Locator::Id("q")).await.unwrap();
        q.send_keys("budget").await.unwrap();
        // With the script off, nothing follows the typing (with it on, results would
        // come within a quarter of a second).
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(!url(&c).await.contains("q=budget"), "{}", url(&c).await);
        assert!(c
            .find_all(Locator::Css("ol.hits mark"))
            .await
            .unwrap()
            .is_empty());
        // Sending the form loads the results page.
        c.find(Locator::Css("#search-form button[type='submit']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let count = until("the results page", || async {
            let t = text_of(&c, "#count").await?;
            total_in(&t).map(|_| t)
        })
        .await;
        let total = total_in(&count).unwrap();
        assert!(url(&c).await.contains("/sok?q=budget"), "{}", url(&c).await);
        assert!(!c
            .find_all(Locator::Css("ol.hits mark"))
            .await
            .unwrap()
            .is_empty());

        // A committee facet link loads the filtered page.
        let link = c
            .find(Locator::Css(
                "section.facet[aria-labelledby='facet-committee'] a",
            ))
            .await
            .unwrap();
        let n: u64 = link
            .find(Locator::Css("span.n"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
            .parse()
            .unwrap();
        link.click().await.unwrap();
        until("the committee filter's page", || async {
            url(&c).await.contains("namnd=").then_some(())
        })
        .await;
        let count = text_of(&c, "#count").await.unwrap();
        assert_eq!(total_in(&count), Some(n), "{count} (of {total} before)");
        assert!(text_of(&c, "nav.chips").await.is_some(), "a chip");

        // A document, then its history, as plain links.
        c.find(Locator::Css("ol.hits li.hit h2 a"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the document page", || async {
            url(&c).await.contains("/dok/").then_some(())
        })
        .await;
        c.find(Locator::Css("section.history a[href^='/trad/']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until("the history page", || async {
            url(&c).await.contains("/trad/").then_some(())
        })
        .await;
        assert!(!c
            .find_all(Locator::Css("table.timeline tbody tr"))
            .await
            .unwrap()
            .is_empty());
    });
}

/// Keyboard only, and the slipping page: from the top of the page, Tab reaches the skip
/// link first and then the search field; typing and Enter search; the slipping page
/// lists the Storby fixture's slipping assignments and its form works from the
/// keyboard too. On a 360 px wide phone neither page scrolls sideways.
#[test]
fn keyboard_only_the_slipping_page_and_a_phone_screen() {
    let Some((browser, driver)) = tools("keyboard_only_the_slipping_page_and_a_phone_screen")
    else {
        return;
    };
    let s = Sandbox::storby();
    let (_server, base) = serve(&s);
    let (_driver, driver_url) = chromedriver(&driver);
    let profile = tempfile::tempdir().unwrap();
    let caps = capabilities(&browser, profile.path(), true, Screen::Desktop);
    let desktop = base.clone();
    with_browser(&driver_url, caps, move |c| async move {
        use fantoccini::key::Key;
        let base = desktop;
        c.goto(&format!("{base}/")).await.unwrap();
        let body = c.find(Locator::Css("body")).await.unwrap();
        body.send_keys(&Key::Tab.to_string()).await.unwrap();
        let first = c.active_element().await.unwrap();
        assert_eq!(first.attr("class").await.unwrap().as_deref(), Some("skip"));
        let mut field = None;
        for _ in 0..12 {
            let active = c.active_element().await.unwrap();
            if active.attr("id").await.unwrap().as_deref() == Some("q") {
                field = Some(active);
                break;
            }
            active.send_keys(&Key::Tab.to_string()).await.unwrap();
        }
        let field = field.expect("Tab reaches the search field");
        field
            .send_keys(&format!("klimatanpassning{}", Key::Enter))
            .await
            .unwrap();
        until("the search in the URL after Enter", || async {
            url(&c).await.contains("q=klimatanpassning").then_some(())
        })
        .await;
        let count = until("results after Enter", || async {
            let t = text_of(&c, "#count").await?;
            total_in(&t)
        })
        .await;
        assert!(count > 0);

        // The slipping page, its form sent with Enter from the year field.
        c.goto(&format!("{base}/glider")).await.unwrap();
        let all = c
            .find_all(Locator::Css("ol.slips > li"))
            .await
            .unwrap()
            .len();
        assert!(all > 0, "the Storby fixture has slipping assignments");
        let since = c.find(Locator::Id("sedan")).await.unwrap();
        since
            .send_keys(&format!("2030{}", Key::Enter))
            .await
            .unwrap();
        until("the slipping page since 2030", || async {
            url(&c).await.contains("sedan=2030").then_some(())
        })
        .await;
        let later = c
            .find_all(Locator::Css("ol.slips > li"))
            .await
            .unwrap()
            .len();
        assert_eq!(later, 0, "nothing slips after the last report");
        assert!(text_of(&c, "#count")
            .await
            .unwrap()
            .starts_with("0 uppdrag"));
    });

    let profile = tempfile::tempdir().unwrap();
    let caps = capabilities(&browser, profile.path(), true, Screen::Phone);
    with_browser(&driver_url, caps, move |c| async move {
        c.goto(&format!("{base}/sok?q=klimatanpassning"))
            .await
            .unwrap();
        let history = c
            .find(Locator::Css("ol.hits a[href^='/trad/']"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        for path in ["/sok?q=klimatanpassning", "/glider", history.as_str()] {
            c.goto(&format!("{base}{path}")).await.unwrap();
            let widths = c
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth];",
                    vec![],
                )
                .await
                .unwrap();
            let (scroll, inner) = (widths[0].as_f64().unwrap(), widths[1].as_f64().unwrap());
            assert!(
                scroll <= inner,
                "{path}: {scroll} px wide in a {inner} px window"
            );
            // Nor does a table scroll inside the page (the timeline stacks instead).
            let wraps = c
                .execute(
                    "return [...document.querySelectorAll('.table-wrap')]\
                     .map(w => w.scrollWidth - w.clientWidth);",
                    vec![],
                )
                .await
                .unwrap();
            for over in wraps.as_array().unwrap() {
                let over = over.as_f64().unwrap();
                assert!(over <= 0.0, "{path}: a table {over} px too wide");
            }
        }
    });
}

/// The README's screenshots: the search page and a history page, desktop (1280 px) and
/// phone (360 px) wide, into `docs/screenshots/`. Run on purpose:
/// `cargo test --test tests browser::screenshots -- --ignored`.
#[test]
#[ignore = "writes docs/screenshots/*.png; run with --ignored"]
fn screenshots() {
    let Some((browser, driver)) = tools("screenshots") else {
        return;
    };
    let s = Sandbox::indexed();
    // The history shown: the Storby fixtures' thread with the most reports (the bundled
    // corpus's threads are short), served by a second server.
    let storby = Sandbox::storby();
    let grouped = storby.json(&["search", "--group", "--limit", "1000"]);
    let thread = grouped["hits"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|h| h["history"].as_array().map_or(0, Vec::len))
        .and_then(|h| h["thread"].as_str())
        .unwrap()
        .to_string();
    let (_server, base) = serve(&s);
    let (_storby_server, storby_base) = serve(&storby);
    let (_driver, driver_url) = chromedriver(&driver);
    let out = Path::new(ROOT).join("docs/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    for (screen, name) in [(Screen::Desktop, "desktop"), (Screen::Phone, "phone")] {
        let profile = tempfile::tempdir().unwrap();
        let caps = capabilities(&browser, profile.path(), true, screen);
        let (base, storby_base) = (base.clone(), storby_base.clone());
        let (out, thread) = (out.clone(), thread.clone());
        with_browser(&driver_url, caps, move |c| async move {
            c.goto(&format!("{base}/sok?q=psykisk+oh%C3%A4lsa"))
                .await
                .unwrap();
            c.find(Locator::Css("ol.hits mark")).await.unwrap();
            let png = c.screenshot().await.unwrap();
            assert!(png.starts_with(b"\x89PNG"));
            std::fs::write(out.join(format!("search-{name}.png")), png).unwrap();
            c.goto(&format!(
                "{storby_base}/trad/{}",
                thread.replace('/', "%2F")
            ))
            .await
            .unwrap();
            c.find(Locator::Css("table.timeline")).await.unwrap();
            let png = c.screenshot().await.unwrap();
            std::fs::write(out.join(format!("history-{name}.png")), png).unwrap();
        });
    }
}
