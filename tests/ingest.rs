//! Reading PDF, DOCX, ODT and HTML (issue 13): a corpus holding the fixtures made from the
//! bundled reports (`tests/fixtures/ingest/make.py`) beside the reports' text indexes the
//! same assignments from every format, hits lead back to their page, and bad files
//! (encrypted, scanned, broken, corrupt) are warnings naming the file and why.

use crate::util::{stderr, Sandbox, ROOT};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(ROOT)
            .join("tests/fixtures/ingest")
            .join(name),
    )
    .unwrap()
}

/// A corpus with one municipality per format, each holding the reports as that format.
fn formats() -> Sandbox {
    let s = Sandbox::empty();
    let txt = |n: &str| fixture(&format!("../../../corpus/ostersund/{n}"));
    for n in ["2021-T3.txt", "2022-T1.txt", "2022-T3.txt", "2023-T3.txt"] {
        s.write(&format!("txt/{n}"), txt(n));
    }
    s.write("pdf/2021-T3.pdf", fixture("rl-2021-T3-columns.pdf"));
    s.write("pdf/2022-T3.pdf", fixture("lo-2022-T3.pdf"));
    s.write("docx/2022-T1.docx", fixture("lo-2022-T1.docx"));
    s.write("odt/2022-T1.odt", fixture("lo-2022-T1.odt"));
    s.write("html/2023-T3.html", fixture("stratsys-2023-T3.html"));
    s
}

/// Title, committees, status and period of every document of a file, by `show`.
fn documents(s: &Sandbox, file: &str) -> Vec<String> {
    let mut out = Vec::new();
    for n in 1.. {
        let o = s
            .cmd(&["show", &format!("{file}#{n}"), "--json"])
            .output()
            .unwrap();
        if !o.status.success() {
            break;
        }
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let d = if v.get("document").is_some() {
            &v["document"]
        } else {
            &v
        };
        out.push(format!(
            "{} | {} | {} | {} {}",
            d["title"], d["committees"], d["status"], d["year"], d["tertial"]
        ));
    }
    out
}

#[test]
fn every_format_yields_the_documents_of_its_text_and_leads_back_to_the_page() {
    let s = formats();
    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("indexed 9 files"), "{stdout}");
    for (file, txt) in [
        ("pdf/2021-T3.pdf", "txt/2021-T3.txt"),
        ("pdf/2022-T3.pdf", "txt/2022-T3.txt"),
        ("docx/2022-T1.docx", "txt/2022-T1.txt"),
        ("odt/2022-T1.odt", "txt/2022-T1.txt"),
        ("html/2023-T3.html", "txt/2023-T3.txt"),
    ] {
        let want = documents(&s, txt);
        assert!(want.len() >= 5, "{txt}: {want:?}");
        assert_eq!(documents(&s, file), want, "{file}");
    }
    // The way back: JSON `page`, the human `fil.pdf s. N`, `show`; HTML anchors.
    let v = s.json(&[
        "search",
        "digitaliseringsprojektet",
        "--municipality",
        "pdf",
    ]);
    let hit = &v["hits"][0];
    assert_eq!(hit["file"], "pdf/2021-T3.pdf", "{v}");
    assert_eq!(hit["page"], 1, "{v}");
    let v = s.json(&[
        "search",
        "taxor avgifter självkostnadsprincipen",
        "--municipality",
        "pdf",
    ]);
    assert_eq!(v["hits"][0]["page"], 2, "{v}");
    let human = s.stdout(&[
        "search",
        "taxor avgifter självkostnadsprincipen",
        "--municipality",
        "pdf",
    ]);
    assert!(human.contains("pdf/2021-T3.pdf s. 2"), "{human}");
    let id = v["hits"][0]["id"].as_str().unwrap().to_string();
    let shown = s.stdout(&["show", &id]);
    assert!(shown.contains("pdf/2021-T3.pdf s. 2"), "{shown}");
    let v = s.json(&[
        "search",
        "uppdraget",
        "--municipality",
        "txt",
        "--limit",
        "1",
    ]);
    assert_eq!(v["hits"][0]["page"], serde_json::Value::Null, "{v}");
    let v = s.json(&[
        "search",
        "uppdraget",
        "--municipality",
        "html",
        "--limit",
        "1",
    ]);
    assert!(
        v["hits"][0]["anchor"]
            .as_str()
            .unwrap()
            .starts_with("uppdrag-"),
        "{v}"
    );
}

#[test]
fn bad_files_are_warnings_and_the_rest_is_indexed() {
    let s = Sandbox::empty();
    s.write("k/2022-T3.pdf", fixture("lo-2022-T3.pdf"));
    s.write("k/hemlig.pdf", fixture("encrypted.pdf"));
    s.write("k/skannad.pdf", fixture("scanned.pdf"));
    let pdf = fixture("lo-2022-T3.pdf");
    s.write("k/avbruten.pdf", &pdf[..pdf.len() / 3]);
    s.write("k/trasig.docx", b"PK\x03\x04 inte en zip alls");
    // A PDF renamed to .txt is read as the PDF it is, not as PDF syntax.
    s.write("k/2021-T3.txt", fixture("rl-2021-T3-columns.pdf"));
    let mut script = b"<html><head><script>".to_vec();
    script.extend(b"var skriptvariabel = 1;\n".repeat(100_000));
    script.extend(b"</script></head><body><p>Skriptsidans ord.</p></body></html>");
    s.write("k/skript.html", script);
    s.write("k/tabell.xlsx", b"PK\x03\x04");
    s.write("k/bild.png", b"\x89PNG\r\n\x1a\n\x00\x00");
    let out = s.run(&["index"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    for expected in [
        "corpus/k/hemlig.pdf: encrypted (password-protected) PDF",
        "corpus/k/skannad.pdf: no text layer",
        "OCR is out of scope",
        "corpus/k/avbruten.pdf: ",
        "corpus/k/trasig.docx: broken DOCX file",
        "MiB of scripts, styles and navigation dropped",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("skipped 2 files of unknown format (.png 1, .xlsx 1)"),
        "{stdout}"
    );
    assert_eq!(s.total("skriptsidans"), 1);
    assert_eq!(s.total("skriptvariabel"), 0);
    let v = s.json(&["search", "digitaliseringsprojektet"]);
    assert_eq!(v["hits"][0]["id"], "k/2021-T3.txt#10", "{v}");
    assert_eq!(s.total("FlateDecode"), 0);
    assert!(s.total("omvärldsbild") >= 1);
    // --verbose lists the files of unknown format.
    let out = s.run(&["index", "--verbose"]);
    let err = stderr(&out);
    assert!(
        err.contains("corpus/k/tabell.xlsx: skipped: unknown format"),
        "{err}"
    );
}
