//! The rules of a search request, the same for every front end (the CLI, the relevance
//! harness, the benches, a web server): filter values parsed from `key=value` pairs, the
//! caps on `limit`, `offset` and `passages`, and typed errors that name the bad value.
//!
//! Rules that need the index (a committee or municipality must be one the index holds)
//! are checked by [`Searcher::resolve`](super::Searcher::resolve); everything here is
//! checked without I/O, so a front end can refuse a bad request before opening an index.

use crate::facet::{Facet, FilterRule, FACETS};
use crate::model;
use std::collections::BTreeMap;

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

/// Filters on the facets of the table ([`crate::facet::FACETS`]): a year range, and for
/// every other facet the indexed values of which any matches. No value means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Inclusive year range.
    pub years: Option<(u16, u16)>,
    /// Per facet filtered by terms, the values in the index's spelling (as parsed; a
    /// municipality is put in the index's spelling by
    /// [`Searcher::resolve`](super::Searcher::resolve): "östersund" -> `ostersund`).
    terms: BTreeMap<Facet, Vec<String>>,
    /// Only documents first seen at or after this time (`--new-since`; see
    /// [`crate::model::Document::first_seen`]).
    pub new_since: Option<crate::timestamp::Timestamp>,
}

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

/// A filter value of a facet filtered by terms, parsed as the facet's row says
/// (`inte genomfört` -> `ej_genomfort`, `bun` -> `BUN`): the one parser of filter
/// values, for flags, `key=value` pairs and every front end.
pub fn parse_value(facet: Facet, s: &str) -> Result<String, RequestError> {
    let spec = facet.spec();
    match spec.filter {
        FilterRule::Terms { parse, .. } => parse(s).map_err(|m| bad(spec.key, s, m)),
        FilterRule::YearRange => parse_years(s).map(|(a, b)| format!("{a}..{b}")),
    }
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.years.is_none() && self.terms().next().is_none() && self.new_since.is_none()
    }

    /// The values a facet is filtered by (empty: any; the year is in [`Filters::years`]).
    pub fn values(&self, facet: Facet) -> &[String] {
        self.terms.get(&facet).map_or(&[], Vec::as_slice)
    }

    /// Every facet filtered by terms, with its values.
    pub fn terms(&self) -> impl Iterator<Item = (Facet, &[String])> {
        self.terms
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(f, v)| (*f, v.as_slice()))
    }

    /// Replace a facet's values (values already in the index's spelling).
    pub fn set_values(&mut self, facet: Facet, values: Vec<String>) {
        self.terms.insert(facet, values);
    }

    /// Add one value to a facet's filter, parsed by the facet's row ([`parse_value`]);
    /// a second year replaces the first, every other facet collects its values (any of
    /// them matches).
    pub fn add_value(&mut self, facet: Facet, value: &str) -> Result<(), RequestError> {
        match facet.spec().filter {
            FilterRule::YearRange => self.years = Some(parse_years(value)?),
            FilterRule::Terms { .. } => {
                let v = parse_value(facet, value)?;
                self.terms.entry(facet).or_default().push(v);
            }
        }
        Ok(())
    }

    /// Add one filter by key: a facet's key or one of its other names, in any case and
    /// with or without å/ä/ö (`year`, `år`, `nämnd`, `kommun`, `typ`; see
    /// [`Facet::parse`]).
    pub fn add(&mut self, key: &str, value: &str) -> Result<(), RequestError> {
        let facet = Facet::parse(key).ok_or_else(|| RequestError::UnknownFilter {
            key: key.to_string(),
            known: FACETS.iter().map(|s| s.key.to_string()).collect(),
        })?;
        self.add_value(facet, value)
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

/// The order of hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (a listing without a query: newest period first).
    #[default]
    Relevance,
    /// Most recently first seen first ([`crate::model::Document::first_seen`]), then
    /// newest period; hits have no score.
    FirstSeen,
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
    /// The order of hits ([`Sort::FirstSeen`] goes before `newest_first`).
    pub sort: Sort,
    /// Order the hits of a query newest first (as a listing without a query is) instead
    /// of by relevance; the matches and counts are the same.
    pub newest_first: bool,
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
            sort: Sort::Relevance,
            newest_first: false,
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
        assert_eq!(f.values(Facet::Tertial), ["T3"]);
        assert_eq!(f.values(Facet::Committee), ["BUN", "KS"]);
        assert_eq!(f.values(Facet::Status), ["ej_genomfort"]);
        assert_eq!(f.values(Facet::Municipality), ["östersund"]);
        assert_eq!(f.values(Facet::Kind), ["mal"]);
        assert!(!f.is_empty() && Filters::default().is_empty());
        assert_eq!(
            Filters::parse_words("status=inte_genomfört år=2022").unwrap(),
            Filters::parse_pairs([("year", "2022"), ("status", "ej_genomfort")]).unwrap()
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
