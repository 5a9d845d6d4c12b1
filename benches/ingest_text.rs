//! The measurement behind the README's comparison of PDF readers (issue 13), and a look
//! at what rapportsok reads from a file.
//!
//! `cargo run --example ingest_text -- FILE` prints the text rapportsok extracts from a
//! PDF, DOCX, ODT or HTML file (what the parser then reads).
//! `cargo run --example ingest_text -- --score SOURCE.txt TEXT` compares a reader's text
//! (`TEXT`, a file) with the report's source text: character error rate, å/ä/ö kept,
//! word pairs in order, words lost (often to missing spaces), and whether the parser
//! finds the same assignments. `tests/fixtures/ingest/compare.py` runs it for every
//! candidate reader.

use rapportsok::model::SourceFormat;
use std::collections::HashSet;

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Title, committees, status and period of each document the parser finds.
fn shapes(text: &str) -> Vec<String> {
    rapportsok::parser::parse_file("k/x.txt", text)
        .documents
        .iter()
        .map(|d| {
            format!(
                "{}|{:?}|{:?}|{:?}",
                d.title, d.committees, d.status, d.tertial
            )
        })
        .collect()
}

/// The scores of `cand` against `src`, as one table row's cells.
fn score(src: &str, cand: &str) -> String {
    let (s, c) = (squeeze(src), squeeze(cand));
    let sc: Vec<char> = s.chars().collect();
    let cc: Vec<char> = c.chars().collect();
    let cer = strsim::generic_levenshtein(&sc, &cc) as f64 / sc.len().max(1) as f64;
    let swedish = |t: &str| t.chars().filter(|c| "åäöÅÄÖ".contains(*c)).count();
    let kept = swedish(&c).min(swedish(&s)) as f64 / swedish(&s).max(1) as f64;
    let (sw, cw) = (words(&s), words(&c));
    let pairs = |w: &[String]| -> HashSet<(String, String)> {
        w.windows(2).map(|p| (p[0].clone(), p[1].clone())).collect()
    };
    let cp = pairs(&cw);
    let sp: Vec<_> = sw.windows(2).collect();
    let in_order = sp
        .iter()
        .filter(|p| cp.contains(&(p[0].clone(), p[1].clone())))
        .count() as f64
        / sp.len().max(1) as f64;
    let cset: HashSet<&String> = cw.iter().collect();
    let long: Vec<&String> = sw.iter().filter(|w| w.chars().count() >= 3).collect();
    let lost = long.iter().filter(|w| !cset.contains(*w)).count() as f64 / long.len().max(1) as f64;
    let (want, got) = (shapes(src), shapes(cand));
    let same = if want == got {
        "yes".to_string()
    } else {
        let hit = want.iter().filter(|w| got.contains(w)).count();
        format!("no ({hit} of {})", want.len())
    };
    format!(
        "{:.1} % | {:.0} % | {:.0} % | {:.1} % | {same}",
        cer * 100.0,
        kept * 100.0,
        in_order * 100.0,
        lost * 100.0
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, src, cand] if flag == "--score" => {
            let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            println!("{}", score(&read(src), &read(cand)));
        }
        [file] => {
            let path = std::path::Path::new(file);
            let head = rapportsok::ingest::read_head(path, 1024).expect("readable file");
            let format = rapportsok::ingest::sniff(path, &head, &[]).unwrap_or(SourceFormat::Txt);
            match rapportsok::ingest::extract(path, format) {
                Ok(e) => print!("{}", e.text),
                Err(e) => {
                    eprintln!("{file}: {e}");
                    std::process::exit(1);
                }
            }
        }
        _ => {
            eprintln!("usage: ingest_text FILE | ingest_text --score SOURCE.txt TEXT");
            std::process::exit(2);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_source_scores_perfectly_against_itself() {
        let src = "T3 2022 Uppdrag. Kommentar T3 2022\n.\nÖka barns välbefinnande (KS)\n\nUppdraget är genomfört under året.\n";
        assert_eq!(
            super::score(src, src),
            "0.0 % | 100 % | 100 % | 0.0 % | yes"
        );
        let bad = src.replace('ö', "o").replace(" barns ", "barns");
        assert!(
            super::score(src, &bad).ends_with("no (0 of 1)"),
            "{}",
            super::score(src, &bad)
        );
    }
}
