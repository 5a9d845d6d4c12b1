//! Command-line arguments (clap derive), raw as typed, and their conversion into typed
//! library requests. The clap structs double as the `--help` text.

use crate::history::{By, SlipOptions};
use crate::model::{Committee, Kind, Status, Tertial};
use crate::searcher::Filters;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::sync::LazyLock;

const AFTER_HELP: &str = "\
Examples:
  rapportsok search \"psykisk ohälsa\"
  rapportsok search budget --committee KS --year 2021..2023
  rapportsok search --år 2021 --status \"inte genomfört\"      (no query: newest first)
  rapportsok search 'klimat -budget title:\"omvärldsbild\" OR strategi' --json
  rapportsok search -- -budget                              (a query starting with -)
  rapportsok index corpus --index index --quiet              (nightly, from cron)
  rapportsok show ostersund/2023-T3.txt#1
  rapportsok history klimatbudget                          (one assignment through the years)
  rapportsok search \"psykisk ohälsa\" --by year             (a trend as a bar chart)
  rapportsok slipping --since 2021 --committee KS --csv > glider.csv
  rapportsok stats

Exit codes:
  0  success (also a search with zero hits)
  1  runtime error (missing index, unreadable files, a failed build: the old index stays live)
  2  usage or query error (bad flag, malformed query)
  3  index only: success with warnings (the new index is live; warnings are on stderr)";

/// What `--version` prints after the name: the package version, the git commit it was
/// built from (`unknown` outside a git checkout) and the index format it reads and writes.
pub static VERSION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{} (commit {}, index format {})",
        env!("CARGO_PKG_VERSION"),
        env!("RAPPORTSOK_COMMIT"),
        crate::schema::INDEX_FORMAT_VERSION
    )
});

/// The clap command with the full version line: what `main`, `completions` and `man`
/// use.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().version(VERSION.as_str())
}

/// Full-text search over Swedish municipalities' follow-up reports on council assignments.
#[derive(Debug, Parser)]
#[command(name = "rapportsok", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// When to colour human output: auto (on a terminal, unless NO_COLOR is set),
    /// always, or never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`, as ripgrep spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even when piped or with NO_COLOR.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build (or rebuild) the index from a corpus folder of reports.
    #[command(after_help = "Examples:
  rapportsok index                       (corpus/ into index/)
  rapportsok index /data/rapporter --index /var/lib/rapportsok --quiet
  rapportsok index --rollback            (make the previous build live again)
  rapportsok index /data/rapporter --index /var/lib/rapportsok --quiet --log /var/log/rapportsok.jsonl

Warnings are printed as `file:line: message` on stderr; the new index replaces the old
one only when it is complete and has passed a self-check. Searches running meanwhile
finish on the old index. A second `index` on the same index folder fails at once.

Exit codes:
  0  success: the new index is live
  1  failure: nothing changed, the old index stays live (also: another index is running,
     or --strict found warnings)
  2  usage error
  3  success with warnings: the new index is live, the warnings are on stderr")]
    Index(IndexArgs),
    /// Search the index: ranked passages with highlights and facet counts.
    #[command(after_help = "Query syntax:
  ohälsa budget          both words (in any inflection; also inside compounds,
                         without å/ä/ö, and with a typo in words of 5+ letters)
  \"psykisk ohälsa\"       the phrase
  budget OR ekonomi      either word
  klimat -budget         klimat but not budget
  title:budget           only in titles (also body:)
  -- -budget             a query that starts with -: put -- before it (a lone
                         exclusion lists every document without the word)

Longer queries are cut to 64 words or phrases and 1,000 characters, with a notice.

Examples:
  rapportsok search \"psykisk ohälsa\"
  rapportsok search \"psykisk ohälsa\" --committee BUN
  rapportsok search --year 2021 --status ej_genomfort
  rapportsok search suicid --json | jq '.hits[].id'
  rapportsok search budget --explain              (why each hit matched)
  rapportsok search valdeltgande --exact          (no typo tolerance)
  rapportsok search klimat --group                (one hit per assignment, with its history)
  rapportsok search \"psykisk ohälsa\" --by year    (matches per year as a bar chart)
  rapportsok search budget --csv > budget.csv     (all matches; UTF-8 with BOM)

Exit codes: 0 success (also zero hits), 1 runtime error, 2 usage or query error.")]
    Search(SearchArgs),
    /// Follow one assignment through the reports: a timeline, oldest first.
    #[command(
        after_help = "The argument is a document id, a thread id (from search --json or
--group), or a query: then the best-matching assignment is shown and the other
matching ones are listed under it.

Examples:
  rapportsok history klimatbudget
  rapportsok history ostersund/2022-T3.txt#5
  rapportsok history 'välbefinnande friskfaktorer' --json

Exit codes: 0 success, 1 runtime error or nothing found, 2 usage or query error."
    )]
    History(HistoryArgs),
    /// Assignments that keep slipping: not done now, and not done (or forecast done and
    /// then not done) in an earlier report.
    #[command(after_help = "Examples:
  rapportsok slipping
  rapportsok slipping --since 2022 --committee KS
  rapportsok slipping --csv > glider.csv       (UTF-8 with BOM, opens in Excel)

Exit codes: 0 success (also when nothing slips), 1 runtime error, 2 usage error.")]
    Slipping(SlippingArgs),
    /// Show one document in full.
    #[command(after_help = "Example:\n  rapportsok show ostersund/2023-T3.txt#1 --json")]
    Show(ShowArgs),
    /// Counts of indexed documents per municipality, year, tertial, committee, status, kind.
    Stats(StatsArgs),
    /// Show the tokens the index holds for a text (how the Swedish analysis sees it).
    #[command(after_help = "Example:\n  rapportsok analyze \"Uppdraget är inte genomfört\"")]
    Analyze(AnalyzeArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:
  rapportsok completions bash > ~/.local/share/bash-completion/completions/rapportsok
  rapportsok completions zsh > ~/.zfunc/_rapportsok
  rapportsok completions fish > ~/.config/fish/completions/rapportsok.fish")]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `rapportsok man | man -l -`.
    #[command(after_help = "Example:
  rapportsok man > /usr/local/share/man/man1/rapportsok.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Corpus folder (searched recursively for .txt files).
    #[arg(default_value = "corpus")]
    pub corpus: PathBuf,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Print nothing on success (warnings still go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat warnings about corpus files as failure: build, but keep the old index live
    /// (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Append one JSON line per run to FILE (start, end, files, documents, warnings,
    /// generation, outcome, exit code).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Previous complete builds to keep for --rollback.
    #[arg(long, default_value_t = 1)]
    pub keep: usize,
    /// Switch back to the previous build instead of building.
    #[arg(long)]
    pub rollback: bool,
    /// Also read files with this extension (repeatable), e.g. --include md.
    #[arg(long, value_name = "EXT")]
    pub include: Vec<String>,
    /// Writer memory budget in MB (tantivy may use up to about twice this).
    #[arg(long, default_value_t = 128, value_name = "MB")]
    pub memory: usize,
    /// Indexing threads (0: one per core, at most 4).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
}

/// An inclusive year range typed as `2022` or `2021..2023`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange(pub u16, pub u16);

impl std::str::FromStr for YearRange {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parse = |y: &str| -> Result<u16, String> {
            let y = y.trim();
            match y.parse::<u16>() {
                Ok(n) if (1900..=2199).contains(&n) => Ok(n),
                _ => Err(format!("'{y}' is not a year; use e.g. 2022 or 2021..2023")),
            }
        };
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (parse(a)?, parse(b.trim_start_matches('='))?),
            None => {
                let y = parse(s)?;
                (y, y)
            }
        };
        if a > b {
            return Err(format!(
                "year range {a}..{b} is empty; write the earlier year first"
            ));
        }
        Ok(YearRange(a, b))
    }
}

/// Most hits one search returns: the top-hits collector allocates room for
/// `offset + limit` hits up front, so a huge value would exhaust memory.
pub const MAX_LIMIT: usize = 10_000;
/// Most hits one search skips (see [`MAX_LIMIT`]).
pub const MAX_OFFSET: usize = 100_000;
/// Most passages per hit.
pub const MAX_PASSAGES: usize = 100;

/// A count of at most `MAX` (a usage error beyond it).
fn at_most<const MAX: usize>(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n <= MAX => Ok(n),
        Ok(_) => Err(format!("at most {MAX}")),
        Err(_) => Err(format!("'{s}' is not a count (0 to {MAX})")),
    }
}

fn parse_tertial(s: &str) -> Result<Tertial, String> {
    Tertial::parse(s).ok_or_else(|| format!("'{s}' is not a tertial; use T1, T2 or T3"))
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        format!(
            "'{s}' is not a status; use one of {} (or Swedish wording such as \"inte genomfört\")",
            Status::ALL.map(|s| s.as_str()).join(", ")
        )
    })
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("'{s}' is not a kind; use uppdrag, mal or text"))
}

fn parse_committee(s: &str) -> Result<Committee, String> {
    Committee::new(s).ok_or_else(|| "empty committee; use e.g. KS or BUN".to_string())
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several words may be given without quotes). Without a query, the
    /// filters list matching documents, newest first. A query starting with - goes
    /// after --: `search -- -budget`.
    pub query: Vec<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Year or inclusive range: 2022 or 2021..2023.
    #[arg(long, short, visible_alias = "år", value_name = "YEAR[..YEAR]")]
    pub year: Option<YearRange>,
    /// Tertial T1, T2 or T3 (repeatable).
    #[arg(long, value_parser = parse_tertial)]
    pub tertial: Vec<Tertial>,
    /// Committee, e.g. KS or BUN (repeatable; also matches assignments to all committees).
    #[arg(long, visible_aliases = ["nämnd", "namnd"], value_parser = parse_committee)]
    pub committee: Vec<Committee>,
    /// Status: genomfort, ej_genomfort, bedoms_genomforas, bedoms_ej_genomforas,
    /// delvis_genomfort, or Swedish wording (repeatable).
    #[arg(long, value_parser = parse_status)]
    pub status: Vec<Status>,
    /// Municipality (first folder below the corpus root), e.g. ostersund (repeatable).
    #[arg(long, visible_alias = "kommun")]
    pub municipality: Vec<String>,
    /// Kind: uppdrag, mal or text (repeatable).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Vec<Kind>,
    /// Hits to show [default: 10; with --csv: all matches; at most 10000].
    #[arg(long, short = 'n', value_parser = at_most::<MAX_LIMIT>)]
    pub limit: Option<usize>,
    /// Hits to skip (for paging; at most 100000).
    #[arg(long, default_value_t = 0, value_parser = at_most::<MAX_OFFSET>)]
    pub offset: usize,
    /// Passages per hit (at most 100).
    #[arg(long, default_value_t = 1, value_parser = at_most::<MAX_PASSAGES>)]
    pub passages: usize,
    /// No typo tolerance (by default words of 5+ letters match one edit away, 9+ two).
    #[arg(long)]
    pub exact: bool,
    /// Show which terms matched in which field and what each added to the score.
    #[arg(long)]
    pub explain: bool,
    /// Print one JSON object instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// One hit per assignment thread (its newest matching report) with the thread's
    /// history on one line; --limit counts threads.
    #[arg(long, conflicts_with_all = ["by", "csv"])]
    pub group: bool,
    /// Count matches per year, tertial, committee or status and draw a bar chart
    /// (--json: the counts).
    #[arg(long, value_name = "year|tertial|committee|status", value_parser = parse_by, conflicts_with = "csv")]
    pub by: Option<By>,
    /// Write CSV (RFC 4180, UTF-8 with BOM) for spreadsheets: one row per document.
    #[arg(long)]
    pub csv: bool,
}

fn parse_by(s: &str) -> Result<By, String> {
    By::parse(s)
        .ok_or_else(|| format!("'{s}' is not a bucket; use year, tertial, committee or status"))
}

impl SearchArgs {
    /// The typed filters.
    pub fn filters(&self) -> Filters {
        Filters {
            years: self.year.map(|YearRange(a, b)| (a, b)),
            tertials: self.tertial.clone(),
            committees: self.committee.clone(),
            statuses: self.status.clone(),
            municipalities: self
                .municipality
                .iter()
                .map(|m| m.trim().to_lowercase())
                .collect(),
            kinds: self.kind.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A document id (ostersund/2022-T3.txt#5), a thread id, or a query.
    #[arg(required = true)]
    pub target: Vec<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SlippingArgs {
    /// Only reports from this year on count.
    #[arg(long, visible_alias = "sedan", value_name = "YEAR", value_parser = parse_year)]
    pub since: Option<u16>,
    /// The latest report is addressed to this committee (repeatable; also matches
    /// assignments to all committees).
    #[arg(long, visible_aliases = ["nämnd", "namnd"], value_parser = parse_committee)]
    pub committee: Vec<Committee>,
    /// Municipality, e.g. ostersund (repeatable).
    #[arg(long, visible_alias = "kommun")]
    pub municipality: Vec<String>,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Write CSV (RFC 4180, UTF-8 with BOM): one row per report of each thread.
    #[arg(long)]
    pub csv: bool,
}

fn parse_year(s: &str) -> Result<u16, String> {
    match s.parse::<YearRange>()? {
        YearRange(a, b) if a == b => Ok(a),
        _ => Err(format!(
            "'{s}' is a range; --since takes one year, e.g. 2021"
        )),
    }
}

impl SlippingArgs {
    /// The typed options.
    pub fn options(&self) -> SlipOptions {
        SlipOptions {
            since: self.since,
            committees: self.committee.clone(),
            municipalities: self
                .municipality
                .iter()
                .map(|m| m.trim().to_lowercase())
                .collect(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id, e.g. ostersund/2023-T3.txt#1.
    pub id: String,
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Index folder.
    #[arg(long, default_value = "index")]
    pub index: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The text to analyse.
    pub text: Vec<String>,
    /// Field whose analysis to show (title and body use the same Swedish chain).
    #[arg(long, default_value = "body", value_parser = ["body", "title"])]
    pub field: String,
    /// Plain Snowball stemming without compounds, hyphen repair and folding (the
    /// quality baseline).
    #[arg(long)]
    pub baseline: bool,
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
        command().debug_assert();
    }

    #[test]
    fn year_ranges() {
        assert_eq!("2022".parse::<YearRange>(), Ok(YearRange(2022, 2022)));
        assert_eq!("2021..2023".parse::<YearRange>(), Ok(YearRange(2021, 2023)));
        assert_eq!(
            "2021..=2023".parse::<YearRange>(),
            Ok(YearRange(2021, 2023))
        );
        assert!("2023..2021".parse::<YearRange>().is_err());
        assert!("tjugo".parse::<YearRange>().is_err());
    }

    #[test]
    fn paging_limits_are_bounded() {
        let parse =
            |args: &[&str]| Cli::try_parse_from([&["rapportsok", "search", "x"], args].concat());
        assert!(parse(&["--limit", "10000", "--offset", "100000"]).is_ok());
        for bad in [
            &["--limit", "10001"][..],
            &["--limit", "18446744073709551615"],
            &["--offset", "100001"],
            &["--passages", "101"],
            &["--limit", "-1"],
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn swedish_aliases() {
        let cli = Cli::try_parse_from([
            "rapportsok",
            "search",
            "x",
            "--år",
            "2022",
            "--nämnd",
            "bun",
            "--kommun",
            "Ostersund",
            "--status",
            "inte genomfört",
        ])
        .unwrap();
        let Command::Search(s) = cli.command else {
            panic!()
        };
        let f = s.filters();
        assert_eq!(f.years, Some((2022, 2022)));
        assert_eq!(f.committees[0].as_str(), "BUN");
        assert_eq!(f.municipalities, ["ostersund"]);
        assert_eq!(f.statuses, [Status::EjGenomfort]);
    }
}
