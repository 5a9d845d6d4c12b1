//! rapportsok: full-text search over the follow-up reports that Swedish municipalities
//! publish on the council's assignments ("uppdrag").
//!
//! Dependencies point one way: `cli -> {indexer, searcher, output} -> {store, analyzer,
//! schema} -> tantivy`, with `store -> analyzer` (the analysis recorded with a
//! generation). The writer and the readers meet only in `store`: `searcher`, `history`
//! and `output` import nothing from `indexer`, nor `indexer` from them. `parser` and
//! `model` need only std and serde.
//!
//! - [`model`]: domain types (documents, statuses, committees, tertials).
//! - [`parser`]: report text -> documents.
//! - [`analyzer`]: the Swedish analysis chain, registered with tantivy.
//! - [`schema`]: fields and the document <-> tantivy conversion.
//! - [`facet`]: the table of facets that drives filters, counts and their rendering.
//! - [`store`]: the index folder shared by writer and readers: generations, `CURRENT`,
//!   build info, atomic write, the writer lock, opening the live generation read-only.
//! - [`indexer`]: corpus walk, decoding, building a generation and making it live.
//! - [`searcher`]: query language, ranking, facet counts, passages and highlights;
//!   moving a long-lived reader to a newer generation ([`searcher::LiveIndex`]).
//! - [`output`]: human and JSON renderers.
//! - [`history`]: timelines of threads, grouped search, trends, slipping assignments.
//! - [`timestamp`]: UTC times in seconds (build times, `first_seen`), RFC 3339.
//! - [`threads`]: the same assignment across reports (title similarity, thread ids).
//! - [`relevance`]: the judged query set and its metrics.
//! - [`web`]: `rapportsok serve`, the web page and JSON API over a live index.
//! - [`cli`]: arguments, terminals, exit codes.

pub mod analyzer;
pub mod cli;
pub mod facet;
pub mod history;
pub mod indexer;
pub mod ingest;
pub mod model;
pub mod output;
pub mod parser;
pub mod relevance;
pub mod schema;
pub mod searcher;
pub mod store;
pub mod threads;
pub mod timestamp;
pub mod web;
