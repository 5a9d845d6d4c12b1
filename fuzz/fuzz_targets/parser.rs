//! Fuzz the report parser: `cargo +nightly fuzz run parser` (from the repository root).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::parser(data));
