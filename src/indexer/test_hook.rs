//! Test hooks in the build: named moments that end-to-end tests can observe, pause at
//! and fail at, so a kill or a failure lands exactly where a test says
//! (`tests/robustness.rs`). They are driven by environment variables and do nothing
//! when these are unset (one `env::var_os` look-up per moment, a handful per build):
//!
//! - `RAPPORTSOK_TEST_PHASES=FILE`: append each moment's name, one per line, to `FILE`
//!   as the build reaches it.
//! - `RAPPORTSOK_TEST_PAUSE=NAME`: at moment `NAME`, after appending it, sleep (up to
//!   a minute) so that a test can kill the process there.
//! - `RAPPORTSOK_TEST_FAIL=NAME`: [`fail`]`(NAME)` is true; the build pretends the
//!   check named `NAME` went wrong (only `self-check`: one document more is expected
//!   than was added).
//!
//! The moments of `indexer::build`, in order: `locked` (the writer lock is taken),
//! `parsing` (the thread-linking pass parses the corpus), `indexing` (the first file's
//! documents are in the writer, nothing committed), `commit` (right before the tantivy
//! commit), `switch` (`build.json` written, right before `CURRENT` is switched),
//! `switched` (`CURRENT` names the new generation, before old ones are removed).

use std::io::Write;
use std::time::Duration;

/// The build reached moment `name`.
pub fn phase(name: &str) {
    if let Some(path) = std::env::var_os("RAPPORTSOK_TEST_PHASES") {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(f, "{name}");
            let _ = f.sync_all();
        }
    }
    if std::env::var_os("RAPPORTSOK_TEST_PAUSE").is_some_and(|p| p == name) {
        std::thread::sleep(Duration::from_secs(60));
    }
}

/// Whether a test asks the check named `name` to fail.
pub fn fail(name: &str) -> bool {
    std::env::var_os("RAPPORTSOK_TEST_FAIL").is_some_and(|p| p == name)
}
