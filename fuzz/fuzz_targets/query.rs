//! Fuzz the query path: `cargo +nightly fuzz run query` (from the repository root).
#![no_main]

#[path = "../checks.rs"]
mod checks;

use std::sync::OnceLock;

static SEARCHER: OnceLock<rapportsok::searcher::Searcher> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let searcher = SEARCHER.get_or_init(checks::searcher);
    if let Ok(q) = std::str::from_utf8(data) {
        checks::query(searcher, q);
    }
});
