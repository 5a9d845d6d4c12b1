//! Command-line arguments (clap derive), raw as typed, and their conversion into typed
//! library requests. The clap structs double as the `--help` text.

use crate::history::SlipOptions;
use crate::model::Committee;
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
  rapportsok serve                                  (the web page: http://127.0.0.1:7700/)

Exit codes:
  0  success (also a query or filter that matches nothing: an empty answer)
  1  runtime error (missing index, unreadable files, a failed build: the old index stays
     live), or a name that does not exist (show ID, history ID or THREAD)
  2  usage or query error (bad flag, malformed query, a committee or municipality the
     index does not hold)
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
  budget OR ekonomi      either word (also ELLER)
  klimat -budget         klimat but not budget
  title:budget           only in titles (also body:)
  -- -budget             a query that starts with -: put -- before it (a lone
                         exclusion lists every document without the word)
  psyk*                  words starting with psyk (3 letters or more before *)
  Europaparlamentsvalet  also its synonyms (EU-valet), ranked below
  kommunstyrelsen budget  budget in KS's assignments (a committee name or
                         abbreviation also matches the committee)

An exclusion removes all the word finds (compound parts, synonyms, typos too). With no
document holding every word, function words (i, och) are dropped and hits hold as many
of the other words as any document does; the notice names them. Synonyms: a built-in
list, replaced by --synonyms FILE or synonyms.txt in the index folder (one group per
line: äldreboende, särskilt boende). Longer queries are cut to 64 words or phrases and
1,000 characters, with a notice.

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
  rapportsok search budget --csv-excel > b.csv    (the same with ';' for Swedish Excel)
  rapportsok search --new-since 2026-11-01 --sort first-seen   (new since November)

Exit codes: 0 success (also zero hits), 1 runtime error (also a bad synonyms.txt in the
index folder), 2 usage or query error (also a bad --synonyms FILE).")]
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

Exit codes: 0 success (also a query that matches no assignment), 1 runtime error or
a document id or thread id that does not exist, 2 usage or query error."
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
    #[command(after_help = "Example:
  rapportsok show ostersund/2023-T3.txt#1 --json

Exit codes: 0 success, 1 runtime error or an id that does not exist, 2 usage error.")]
    Show(ShowArgs),
    /// Counts of indexed documents per municipality, year, tertial, committee, status, kind.
    #[command(after_help = "Exit codes: 0 success, 1 runtime error (no index), 2 usage error.")]
    Stats(StatsArgs),
    /// Serve the web page (search, documents, histories, slipping, CSV/JSON downloads
    /// and a JSON API) over the live index, read-only.
    #[command(after_help = "Examples:
  rapportsok serve                                  (http://127.0.0.1:7700/)
  rapportsok serve --index /var/lib/rapportsok --corpus /data/rapporter
  rapportsok serve --bind 127.0.0.1:0               (any free port; the URL is printed)

The server follows rebuilds: a new generation made live by `index` is served to new
requests without a restart. Ctrl-C or SIGTERM stops it.

Exit codes: 0 stopped, 1 runtime error (no index, address in use), 2 usage error.")]
    Serve(ServeArgs),
    /// Show the tokens the index holds for a text (how the Swedish analysis sees it).
    #[command(after_help = "Example:
  rapportsok analyze \"Uppdraget är inte genomfört\"

Exit codes: 0 success (also a text without words), 1 runtime error, 2 usage error.")]
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
    /// Corpus folder, searched recursively for reports as .txt, PDF, DOCX, ODT or HTML
    /// (recognised by content) [default: $RAPPORTSOK_CORPUS, else ./corpus].
    pub corpus: Option<PathBuf>,
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Print nothing on success (warnings still go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
    /// Also list on stderr the files skipped as of unknown format (the summary line
    /// counts them).
    #[arg(long)]
    pub verbose: bool,
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
    /// Also read files with this extension as text (repeatable), e.g. --include md.
    #[arg(long, value_name = "EXT")]
    pub include: Vec<String>,
    /// Writer memory budget in MB, 16 per thread at least and 4095 per thread at most
    /// (tantivy may use up to about twice this).
    #[arg(long, default_value_t = 128, value_name = "MB",
          value_parser = clap::value_parser!(u64).range(16..=MAX_MEMORY_MB as u64))]
    pub memory: u64,
    /// Indexing threads (0: one per core, at most 4; at most 64).
    #[arg(long, short = 'j', default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(0..=MAX_THREADS as u64))]
    pub threads: u64,
    /// Make the new build live even when it holds fewer than half the live index's
    /// documents or lacks a municipality the live index has (reports removed on purpose).
    #[arg(long)]
    pub allow_shrink: bool,
}

/// Most indexing threads (each is a tantivy writer thread and a parsing worker).
pub const MAX_THREADS: usize = 64;
/// Most writer memory in MB, for all threads together.
pub const MAX_MEMORY_MB: usize = 65_536;
/// Most writer memory per thread in MB (tantivy's own limit is just under 4 GiB).
pub const MAX_MEMORY_PER_THREAD_MB: usize = 4095;

/// Where an index folder was taken from, for messages that say which path was tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--index DIR` (or a corpus given on the command line).
    Flag,
    /// The environment variable.
    Env(&'static str),
    /// The built-in default, relative to the current folder.
    Default,
}

/// A folder and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub origin: Origin,
}

impl Location {
    /// The flag's value, else the environment variable (when set and not empty), else
    /// the default.
    pub fn resolve(flag: Option<&std::path::Path>, env: &'static str, default: &str) -> Location {
        if let Some(p) = flag {
            return Location {
                path: p.to_path_buf(),
                origin: Origin::Flag,
            };
        }
        match std::env::var_os(env) {
            Some(v) if !v.is_empty() => Location {
                path: PathBuf::from(v),
                origin: Origin::Env(env),
            },
            _ => Location {
                path: PathBuf::from(default),
                origin: Origin::Default,
            },
        }
    }

    /// The index folder of a command.
    pub fn index(flag: Option<&std::path::Path>) -> Location {
        Location::resolve(flag, "RAPPORTSOK_INDEX", "index")
    }

    /// The corpus folder of a command.
    pub fn corpus(flag: Option<&std::path::Path>) -> Location {
        Location::resolve(flag, "RAPPORTSOK_CORPUS", "corpus")
    }

    /// Where the path came from, in words.
    pub fn why(&self) -> String {
        match self.origin {
            Origin::Flag => "given on the command line".into(),
            Origin::Env(var) => format!("from ${var}"),
            Origin::Default => {
                let here = std::env::current_dir()
                    .map(|d| d.display().to_string())
                    .unwrap_or_else(|_| "the current folder".into());
                format!("the default, relative to {here}; set --index or $RAPPORTSOK_INDEX")
            }
        }
    }
}

/// An inclusive year range typed as `2022`, `2021..2023`, `2021-2023`, `2021..` or
/// `..2023` (see [`crate::model::parse_year_range`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange(pub u16, pub u16);

impl std::str::FromStr for YearRange {
    type Err = crate::searcher::RequestError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::searcher::request::parse_years(s).map(|(a, b)| YearRange(a, b))
    }
}

use crate::facet::{Facet, FilterRule, FACETS};
use crate::searcher::request::{parse_count, parse_value};

pub use crate::searcher::{MAX_LIMIT, MAX_OFFSET, MAX_PASSAGES};

/// A count of at most `MAX` (a usage error beyond it).
fn at_most<const MAX: usize>(s: &str) -> Result<usize, String> {
    parse_count(s, MAX)
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query (several words may be given without quotes). Without a query, the
    /// filters list matching documents, newest first. A query starting with - goes
    /// after --: `search -- -budget`.
    pub query: Vec<String>,
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// The filters: one flag per facet of the table (`--year`, `--tertial`,
    /// `--committee`, `--status`, `--municipality`, `--kind`).
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Hits to show [default: 10; with --csv or --csv-excel: all matches; at most 10000].
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
    /// Show which terms matched in which field and what each added to the score, and
    /// what prefix searches, synonyms and committee names were widened to.
    #[arg(long)]
    pub explain: bool,
    /// Synonym list to use instead of the index folder's synonyms.txt or the built-in
    /// one: one group of equivalent words or phrases per line, separated by commas.
    #[arg(long, value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
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
    pub by: Option<Facet>,
    /// Write CSV (RFC 4180, UTF-8 with BOM) for spreadsheets: one row per document.
    #[arg(long)]
    pub csv: bool,
    /// CSV with `;` between fields, for Excel with Swedish settings (UTF-8 with BOM).
    #[arg(long, conflicts_with_all = ["csv", "json", "group", "by"])]
    pub csv_excel: bool,
    /// Only documents first seen in the index at or after DATE (YYYY-MM-DD, midnight
    /// UTC, or an RFC 3339 time): what the nightly builds added or changed since then.
    #[arg(long, value_name = "DATE", value_parser = |s: &str| s.parse::<crate::timestamp::Timestamp>())]
    pub new_since: Option<crate::timestamp::Timestamp>,
    /// Order of hits: relevance (without a query: newest period first) or first-seen
    /// (the most recently first seen first).
    #[arg(long, value_name = "relevance|first-seen", default_value = "relevance", value_parser = parse_sort)]
    pub sort: crate::searcher::Sort,
}

/// `--sort`.
fn parse_sort(s: &str) -> Result<crate::searcher::Sort, String> {
    match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
        "relevance" => Ok(crate::searcher::Sort::Relevance),
        "first-seen" => Ok(crate::searcher::Sort::FirstSeen),
        _ => Err(format!("'{s}' is not a sort; use relevance or first-seen")),
    }
}

/// `--by`: a facet whose row of the table says what `--by` draws.
fn parse_by(s: &str) -> Result<Facet, String> {
    Facet::parse(s)
        .filter(|f| f.spec().by.is_some())
        .ok_or_else(|| {
            let names = Facet::by_names();
            let (last, rest) = names.split_last().unwrap_or((&"year", &[]));
            format!("'{s}' is not a bucket; use {} or {last}", rest.join(", "))
        })
}

impl SearchArgs {
    /// The typed filters.
    pub fn filters(&self) -> Filters {
        let mut f = self.filter.0.clone();
        f.new_since = self.new_since;
        f
    }
}

/// The filter flags of `search`, built from the facet table ([`FACETS`]: each row's
/// key, [`crate::facet::Flag`] and value parser), so a new facet gets its flag without
/// a change here. Values are parsed by the library ([`parse_value`]).
#[derive(Debug, Clone, Default)]
pub struct FilterArgs(pub Filters);

impl clap::FromArgMatches for FilterArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut f = Filters::default();
        for spec in &FACETS {
            match spec.filter {
                FilterRule::YearRange => {
                    f.years = m
                        .get_one::<YearRange>(spec.key)
                        .map(|&YearRange(a, b)| (a, b));
                }
                FilterRule::Terms { .. } => {
                    if let Some(values) = m.get_many::<String>(spec.key) {
                        f.set_values(spec.facet, values.cloned().collect());
                    }
                }
            }
        }
        Ok(FilterArgs(f))
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for FilterArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        FACETS.iter().fold(cmd, |cmd, spec| {
            let flag = &spec.flag;
            let mut arg = clap::Arg::new(spec.key)
                .long(spec.key)
                .help(flag.help)
                .value_name(flag.value_name)
                .visible_aliases(flag.aliases);
            if let Some(c) = flag.short {
                arg = arg.short(c);
            }
            let facet = spec.facet;
            cmd.arg(match spec.filter {
                FilterRule::YearRange => arg
                    .action(clap::ArgAction::Set)
                    .value_parser(|s: &str| s.parse::<YearRange>()),
                FilterRule::Terms { .. } => arg
                    .action(clap::ArgAction::Append)
                    .value_parser(move |s: &str| parse_value(facet, s)),
            })
        })
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// A document id (ostersund/2022-T3.txt#5), a thread id, or a query.
    #[arg(required = true)]
    pub target: Vec<String>,
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
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
    #[arg(long, visible_aliases = ["nämnd", "namnd"], value_parser = |s: &str| parse_value(Facet::Committee, s))]
    pub committee: Vec<String>,
    /// Municipality, e.g. ostersund (repeatable).
    #[arg(long, visible_alias = "kommun", value_parser = |s: &str| parse_value(Facet::Municipality, s))]
    pub municipality: Vec<String>,
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Write CSV (RFC 4180, UTF-8 with BOM): one row per report of each thread.
    #[arg(long)]
    pub csv: bool,
    /// CSV with `;` between fields, for Excel with Swedish settings (UTF-8 with BOM).
    #[arg(long, conflicts_with_all = ["csv", "json"])]
    pub csv_excel: bool,
}

/// `--since`: one year. The message suggests only what this flag accepts.
fn parse_year(s: &str) -> Result<u16, String> {
    match crate::model::parse_year(s) {
        Ok(y) => Ok(y),
        Err(_) if s.parse::<YearRange>().is_ok() => Err(format!(
            "'{s}' is a range; --since takes one year, e.g. 2021"
        )),
        Err(e) => Err(format!("{e}; --since takes one year, e.g. 2021")),
    }
}

impl SlippingArgs {
    /// The typed options.
    pub fn options(&self) -> SlipOptions {
        SlipOptions {
            since: self.since,
            committees: self
                .committee
                .iter()
                .filter_map(|c| Committee::new(c))
                .collect(),
            municipalities: self.municipality.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Document id, e.g. ostersund/2023-T3.txt#1.
    pub id: String,
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Index folder [default: $RAPPORTSOK_INDEX, else ./index].
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Corpus folder whose files the document pages link to (/fil/) [default:
    /// $RAPPORTSOK_CORPUS, else ./corpus].
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Address to listen on, HOST:PORT (port 0: any free port).
    #[arg(long, value_name = "ADDR", default_value = crate::web::DEFAULT_BIND)]
    pub bind: String,
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
        assert_eq!("2021-2022".parse::<YearRange>(), Ok(YearRange(2021, 2022)));
        assert_eq!("2021..".parse::<YearRange>(), Ok(YearRange(2021, 2199)));
        assert_eq!("..2022".parse::<YearRange>(), Ok(YearRange(1900, 2022)));
    }

    #[test]
    fn since_suggests_only_what_it_accepts() {
        for bad in ["abc", "2021..2023", "2021-2022"] {
            let e = parse_year(bad).unwrap_err();
            assert!(e.contains("e.g. 2021"), "{e}");
            let example = e.rsplit("e.g. ").next().unwrap();
            assert!(!example.contains(".."), "{bad}: {e}");
            assert_eq!(parse_year(example), Ok(2021), "{e}");
        }
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

    /// Every facet of the table is a flag of `search`, with its other names, and its
    /// values reach the filters in the index's spelling.
    #[test]
    fn every_facet_is_a_search_flag() {
        let cmd = command();
        let search = cmd.find_subcommand("search").unwrap();
        for spec in &FACETS {
            let arg = search
                .get_arguments()
                .find(|a| a.get_long() == Some(spec.key))
                .unwrap_or_else(|| panic!("no --{}", spec.key));
            let aliases = arg.get_visible_aliases().unwrap_or_default();
            assert_eq!(aliases, spec.flag.aliases, "{}", spec.key);
        }
        let cli = Cli::try_parse_from([
            "rapportsok",
            "search",
            "--tertial",
            "t2",
            "--kind",
            "mål",
            "--kind",
            "text",
        ])
        .unwrap();
        let Command::Search(s) = cli.command else {
            panic!()
        };
        let f = s.filters();
        assert_eq!(f.values(Facet::Tertial), ["T2"]);
        assert_eq!(f.values(Facet::Kind), ["mal", "text"]);
        assert_eq!(f.years, None);
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
        assert_eq!(f.values(Facet::Committee), ["BUN"]);
        assert_eq!(f.values(Facet::Municipality), ["ostersund"]);
        assert_eq!(f.values(Facet::Status), ["ej_genomfort"]);
    }
}
