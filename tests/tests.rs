//! The end-to-end tests, in one test binary as ripgrep keeps them (`tests/tests.rs` and
//! `tests/util.rs`): one link of the library and the binary instead of one per file.
//! Each module is one topic; `cargo test --test tests robustness::` runs one of them.
//! `util` holds the shared [`util::Sandbox`].

mod browser;
mod cli;
mod corpusgen;
mod first_seen;
mod history;
mod hostile;
mod ingest;
mod query;
mod relevance;
mod robustness;
mod safety;
mod util;
mod web;
