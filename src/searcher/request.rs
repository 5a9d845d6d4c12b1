//! The rules of a search request, the same for every front end (the CLI, the relevance
//! harness, the benches, a web server): filter values parsed from `key=value` pairs, the
//! caps on `limit`, `offset` and `passages`, and typed errors that name the bad value.
//!
//! Rules that need the index (a committee or municipality must be one the index holds)
//! are checked by [`Searcher::resolve`](super::Searcher::resolve); everything here is
//! checked without I/O, so a front end can refuse a bad request before opening an index.

use crate::model::{self, Committee, Kind, Status, Tertial};

/// Most hits one search returns: the top-hits collector allocates room for
/// `offset + limit` hits up front, so a huge value would exhaust memory.
pub const MAX_LIMIT: usize = 10_000;
/// Most hits one search skips (see [`MAX_LIMIT`]).
pub const MAX_OFFSET: usize = 100_000;
/// Most passages per hit.
pub const MAX_PASSAGES: usize = 100;

/// A request that breaks a rule. Each message names the value and says what to write.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A filter key that is no facet (`färg=röd`).
    #[error("unknown filter '{key}'; use one of {}", known.join(", "))]
    UnknownFilter { key: String, known: Vec<String> },
    /// A word of a filter list without `=`.
    #[error("'{0}' is not key=value")]
    NotKeyValue(String),
    /// A filter value that does not parse for its facet (`tertial=T4`); `message` says
    /// what the facet accepts.
    #[error("{message}")]
    BadValue {
        /// The facet's filter key (`tertial`).
        key: &'static str,
        value: String,
        message: String,
    },
    /// `limit`, `offset` or `passages` over its cap.
    #[error("{name} {value} is too large; at most {max}")]
    OverCap {
        name: &'static str,
        value: usize,
        max: usize,
    },
    /// A committee or municipality that no document of the index has: it would silently
    /// find nothing (or, for a committee, only the assignments to all committees).
    #[error("unknown {what} '{value}'; the index has: {}", known.join(", "))]
    NotInIndex {
        /// `committee` or `municipality`.
        what: &'static str,
        value: String,
        /// The values the index holds, sorted.
        known: Vec<String>,
    },
}

/// Filters on facet fields. Empty vectors mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Inclusive year range.
    pub years: Option<(u16, u16)>,
    pub tertials: Vec<Tertial>,
    /// A committee filter also matches assignments addressed to all committees.
    pub committees: Vec<Committee>,
    pub statuses: Vec<Status>,
    /// As typed or as indexed; [`Searcher::resolve`](super::Searcher::resolve) turns a
    /// display name ("Östersund") into the indexed value (`ostersund`).
    pub municipalities: Vec<String>,
    pub kinds: Vec<Kind>,
}

/// The filter keys, each with the names it is also written as.
pub const FILTER_KEYS: &[(&str, &[&str])] = &[
    ("year", &["år", "ar"]),
    ("tertial", &[]),
    ("committee", &["nämnd", "namnd"]),
    ("status", &[]),
    ("municipality", &["kommun"]),
    ("kind", &["typ"]),
];

fn bad(key: &'static str, value: &str, message: String) -> RequestError {
    RequestError::BadValue {
        key,
        value: value.to_string(),
        message,
    }
}

/// `--year` and `year=`: a year or an inclusive range (see [`model::parse_year_range`]).
pub fn parse_years(s: &str) -> Result<(u16, u16), RequestError> {
    model::parse_year_range(s).map_err(|m| bad("year", s, m))
}

/// `--tertial` and `tertial=`.
pub fn parse_tertial(s: &str) -> Result<Tertial, RequestError> {
    Tertial::parse(s).ok_or_else(|| {
        bad(
            "tertial",
            s,
            format!("'{s}' is not a tertial; use T1, T2 or T3"),
        )
    })
}

/// `--status` and `status=`: a slug or Swedish wording.
pub fn parse_status(s: &str) -> Result<Status, RequestError> {
    Status::parse(s).ok_or_else(|| {
        let message = format!(
            "'{s}' is not a status; use one of {} (or the Swedish labels: {})",
            Status::ALL.map(|s| s.as_str()).join(", "),
            Status::ALL.map(|s| format!("\"{}\"", s.label())).join(", ")
        );
        bad("status", s, message)
    })
}

/// `--kind` and `kind=`.
pub fn parse_kind(s: &str) -> Result<Kind, RequestError> {
    Kind::parse(s).ok_or_else(|| {
        bad(
            "kind",
            s,
            format!("'{s}' is not a kind; use uppdrag, mal or text"),
        )
    })
}

/// `--committee` and `committee=`: a name or abbreviation, normalised ([`Committee::new`]).
pub fn parse_committee(s: &str) -> Result<Committee, RequestError> {
    Committee::new(s).ok_or_else(|| {
        bad(
            "committee",
            s,
            "empty committee; use e.g. KS or BUN".to_string(),
        )
    })
}

/// `--municipality` and `municipality=`: trimmed and lower-cased (the index values are
/// matched with å/ä/ö folded by [`Searcher::resolve`](super::Searcher::resolve)).
pub fn parse_municipality(s: &str) -> Result<String, RequestError> {
    let m = s.trim().to_lowercase();
    if m.is_empty() {
        return Err(bad(
            "municipality",
            s,
            "empty municipality; use e.g. ostersund".to_string(),
        ));
    }
    Ok(m)
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// Add one filter: `key` is a facet's filter key or one of its other names (see
    /// [`FILTER_KEYS`]: `år`, `nämnd`, `kommun`, `typ`); a second year replaces the
    /// first, every other facet collects its values (any of them matches).
    pub fn add(&mut self, key: &str, value: &str) -> Result<(), RequestError> {
        let canonical = FILTER_KEYS
            .iter()
            .find(|(k, aliases)| *k == key || aliases.contains(&key))
            .map(|(k, _)| *k)
            .ok_or_else(|| RequestError::UnknownFilter {
                key: key.to_string(),
                known: FILTER_KEYS.iter().map(|(k, _)| k.to_string()).collect(),
            })?;
        match canonical {
            "year" => self.years = Some(parse_years(value)?),
            "tertial" => self.tertials.push(parse_tertial(value)?),
            "committee" => self.committees.push(parse_committee(value)?),
            "status" => self.statuses.push(parse_status(value)?),
            "municipality" => self.municipalities.push(parse_municipality(value)?),
            _ => self.kinds.push(parse_kind(value)?),
        }
        Ok(())
    }

    /// Filters from `(key, value)` pairs, as a web form or a script gives them:
    /// `Filters::parse_pairs([("year", "2021..2023"), ("committee", "BUN")])`.
    pub fn parse_pairs<K, V>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Filters, RequestError>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut f = Filters::default();
        for (k, v) in pairs {
            f.add(k.as_ref(), v.as_ref())?;
        }
        Ok(f)
    }

    /// Filters from `key=value` words separated by spaces, `_` standing for a space
    /// in a value (`status=inte_genomfört kommun=ostersund`): the relevance judgments
    /// and the benchmark's query file.
    pub fn parse_words(words: &str) -> Result<Filters, RequestError> {
        let pairs = words
            .split_whitespace()
            .map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.replace('_', " ")))
                    .ok_or_else(|| RequestError::NotKeyValue(kv.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Filters::parse_pairs(pairs)
    }
}

/// A search request.
#[derive(Debug, Clone)]
pub struct Request {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// Passages per hit.
    pub passages: usize,
    /// No typo tolerance.
    pub exact: bool,
    /// Report what each hit's score is made of.
    pub explain: bool,
}

impl Request {
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            passages: 1,
            exact: false,
            explain: false,
        }
    }

    /// Check the caps ([`MAX_LIMIT`], [`MAX_OFFSET`], [`MAX_PASSAGES`]). The query
    /// itself is checked when it is parsed ([`super::query::parse`]: its length and
    /// number of words), the filter values against the index by
    /// [`Searcher::resolve`](super::Searcher::resolve).
    pub fn validate(&self) -> Result<(), RequestError> {
        for (name, value, max) in [
            ("limit", self.limit, MAX_LIMIT),
            ("offset", self.offset, MAX_OFFSET),
            ("passages", self.passages, MAX_PASSAGES),
        ] {
            if value > max {
                return Err(RequestError::OverCap { name, value, max });
            }
        }
        Ok(())
    }
}

/// A count typed by a user, at most `max` (`--limit`, `--offset`, `--passages`).
pub fn parse_count(s: &str, max: usize) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n <= max => Ok(n),
        Ok(_) => Err(format!("at most {max}")),
        Err(_) => Err(format!("'{s}' is not a count (0 to {max})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_parse_with_every_key_name() {
        let f = Filters::parse_pairs([
            ("år", "2021..2023"),
            ("tertial", "t3"),
            ("nämnd", "bun"),
            ("committee", "Kommunstyrelsen"),
            ("status", "inte genomfört"),
            ("kommun", " Östersund "),
            ("typ", "mål"),
        ])
        .unwrap();
        assert_eq!(f.years, Some((2021, 2023)));
        assert_eq!(f.tertials, [Tertial::T3]);
        let c: Vec<&str> = f.committees.iter().map(Committee::as_str).collect();
        assert_eq!(c, ["BUN", "KS"]);
        assert_eq!(f.statuses, [Status::EjGenomfort]);
        assert_eq!(f.municipalities, ["östersund"]);
        assert_eq!(f.kinds, [Kind::Mal]);
        assert_eq!(
            Filters::parse_words("status=inte_genomfört år=2022").unwrap(),
            Filters {
                years: Some((2022, 2022)),
                statuses: vec![Status::EjGenomfort],
                ..Filters::default()
            }
        );
    }

    #[test]
    fn bad_filters_name_the_value() {
        for (k, v, needle) in [
            ("tertial", "T4", "'T4' is not a tertial; use T1, T2 or T3"),
            ("status", "kanske", "'kanske' is not a status"),
            ("kind", "bild", "'bild' is not a kind"),
            ("year", "tjugo", "'tjugo' is not a year"),
            ("committee", " ", "empty committee"),
            ("municipality", "", "empty municipality"),
            (
                "färg",
                "röd",
                "unknown filter 'färg'; use one of year, tertial",
            ),
        ] {
            let e = Filters::parse_pairs([(k, v)]).unwrap_err();
            assert!(e.to_string().contains(needle), "{k}={v}: {e}");
        }
        let e = Filters::parse_words("år2022").unwrap_err();
        assert_eq!(e, RequestError::NotKeyValue("år2022".into()));
    }

    #[test]
    fn caps_are_checked() {
        let ok = Request {
            limit: MAX_LIMIT,
            offset: MAX_OFFSET,
            passages: MAX_PASSAGES,
            ..Request::new("x")
        };
        assert_eq!(ok.validate(), Ok(()));
        for (req, name) in [
            (
                Request {
                    limit: MAX_LIMIT + 1,
                    ..ok.clone()
                },
                "limit",
            ),
            (
                Request {
                    offset: usize::MAX,
                    ..ok.clone()
                },
                "offset",
            ),
            (
                Request {
                    passages: MAX_PASSAGES + 1,
                    ..ok.clone()
                },
                "passages",
            ),
        ] {
            let e = req.validate().unwrap_err();
            assert!(
                matches!(e, RequestError::OverCap { name: n, .. } if n == name),
                "{e}"
            );
            assert!(e.to_string().starts_with(name), "{e}");
        }
        assert_eq!(parse_count("7", 10), Ok(7));
        assert_eq!(parse_count("11", 10), Err("at most 10".into()));
        assert!(parse_count("-1", 10)
            .unwrap_err()
            .contains("'-1' is not a count"));
    }
}
