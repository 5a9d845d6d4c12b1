//! The page's state in the URL: a query string (`q=budget&ar=2021..2023&namnd=BUN&sida=2`)
//! read into typed parameters, and the links of the page (a facet added or removed, another
//! page, another order) written back from them. Filter keys and values are parsed by the
//! library ([`Filters::add`], [`parse_count`]), so the web page accepts exactly what the
//! CLI accepts and its caps are the CLI's. Nothing here does I/O.

use crate::facet::{Facet, FACETS};
use crate::model;
use crate::searcher::query::{self, QueryError};
use crate::searcher::request::parse_count;
use crate::searcher::{Filters, Request, RequestError, MAX_LIMIT, MAX_OFFSET, MAX_PASSAGES};

/// The longest query string taken (a longer one is answered 414): a search needs far less;
/// the query itself is cut to the library's limits ([`query::cut_to_limits`]).
pub const MAX_QUERY_STRING: usize = 8 * 1024;
/// Hits per page of the search page (the CLI's default `--limit`).
pub const PAGE_SIZE: usize = 10;
/// Passages per hit on the search page.
pub const PAGE_PASSAGES: usize = 2;
/// Hits of the JSON API when `limit` is not given (the CLI's default).
pub const API_LIMIT: usize = 10;

/// How hits are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (`sortering=relevans`, the default).
    #[default]
    Relevance,
    /// Newest report first (`sortering=nyast`).
    Newest,
}

/// A parameter that breaks a rule: a 400 with this message.
#[derive(Debug, thiserror::Error)]
pub enum ParamError {
    /// A filter the library refused (unknown key, bad value, over a cap).
    #[error(transparent)]
    Request(#[from] RequestError),
    /// A query that does not parse.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// Another parameter (`sida`, `sortering`, `by`) with a bad value.
    #[error("{key}={value}: {message}")]
    Bad {
        key: String,
        value: String,
        message: String,
    },
}

impl ParamError {
    /// The message in Swedish, for the page.
    pub fn swedish(&self) -> String {
        match self {
            ParamError::Request(e) => request_error_sv(e),
            ParamError::Query(e) => format!(
                "Sökfrågan kunde inte tolkas (tecken {}): {}",
                e.column, e.message
            ),
            ParamError::Bad {
                key,
                value,
                message,
            } => format!("Ogiltigt värde för {key}: '{value}' ({message})."),
        }
    }
}

/// A library request error in Swedish (the library's own words stay in the JSON API).
pub fn request_error_sv(e: &RequestError) -> String {
    match e {
        RequestError::UnknownFilter { key, known } => {
            format!(
                "Okänt filter '{key}'; använd något av {}.",
                known.join(", ")
            )
        }
        RequestError::NotKeyValue(s) => format!("'{s}' är inte nyckel=värde."),
        RequestError::BadValue {
            key,
            value,
            message,
        } => format!("Ogiltigt värde för {key}: '{value}' ({message})."),
        RequestError::OverCap { name, value, max } => {
            format!("{name} {value} är för stort; högst {max}.")
        }
        RequestError::NotInIndex { what, value, known } => {
            let what = match *what {
                "committee" => "nämnd",
                "municipality" => "kommun",
                "unit" => "enhet",
                other => other,
            };
            format!("Okänd {what} '{value}'; indexet har: {}.", known.join(", "))
        }
    }
}

/// The parameters of a search URL (`/sok`, `/sok.csv`, `/api/search`).
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    /// The query, cut to the library's limits.
    pub q: String,
    /// Set when the query was cut ([`query::cut_to_limits`]).
    pub cut: bool,
    pub filters: Filters,
    /// 1-based page of the search page.
    pub page: usize,
    pub sort: Sort,
    /// API: `limit`, `offset`, `passages`, `exact` as the CLI's flags.
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub passages: Option<usize>,
    pub exact: bool,
    /// API: `by=year` answers the trend, as `search --by`.
    pub by: Option<Facet>,
    /// CSV: `;` between fields (`--csv-excel`).
    pub excel: bool,
}

fn bad(key: &str, value: &str, message: impl Into<String>) -> ParamError {
    ParamError::Bad {
        key: key.to_string(),
        value: value.to_string(),
        message: message.into(),
    }
}

fn flag(key: &str, v: &str) -> Result<bool, ParamError> {
    match v.trim().to_lowercase().as_str() {
        "" | "1" | "true" | "ja" | "on" => Ok(true),
        "0" | "false" | "nej" | "off" => Ok(false),
        _ => Err(bad(key, v, "use 1 or 0")),
    }
}

impl SearchParams {
    /// Read a raw query string. Unknown keys are filter keys for the library to judge
    /// (`färg=röd` is an error naming the filters); an empty filter value means "any".
    pub fn parse(raw: &str) -> Result<SearchParams, ParamError> {
        let mut p = SearchParams {
            page: 1,
            ..SearchParams::default()
        };
        let mut words: Vec<String> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            let (k, v) = (k.as_ref(), v.as_ref());
            match k {
                "q" => {
                    if !v.trim().is_empty() {
                        words.push(v.trim().to_string());
                    }
                }
                "sida" => {
                    let max = MAX_OFFSET / PAGE_SIZE + 1;
                    p.page = parse_count(v, max).map_err(|m| bad(k, v, m))?.max(1);
                }
                "sortering" | "sort" => {
                    p.sort = match v.trim() {
                        "" | "relevans" | "relevance" => Sort::Relevance,
                        "nyast" | "newest" => Sort::Newest,
                        _ => return Err(bad(k, v, "use relevans or nyast")),
                    }
                }
                "limit" => p.limit = Some(parse_count(v, MAX_LIMIT).map_err(|m| bad(k, v, m))?),
                "offset" => p.offset = Some(parse_count(v, MAX_OFFSET).map_err(|m| bad(k, v, m))?),
                "passages" => {
                    p.passages = Some(parse_count(v, MAX_PASSAGES).map_err(|m| bad(k, v, m))?)
                }
                "exact" => p.exact = flag(k, v)?,
                "excel" => p.excel = flag(k, v)?,
                "by" => {
                    let by = Facet::parse(v).filter(|f| f.spec().by.is_some());
                    p.by = Some(by.ok_or_else(|| {
                        bad(k, v, format!("use {}", Facet::by_names().join(", ")))
                    })?);
                }
                _ if v.trim().is_empty() => {}
                _ => p.filters.add(k, v)?,
            }
        }
        let cut = query::cut_to_limits(&words.join(" "));
        p.cut = cut.notice.is_some();
        p.q = cut.text;
        query::parse(&p.q)?;
        Ok(p)
    }

    /// The library request of the search page (a page of [`PAGE_SIZE`] hits), or of the
    /// API (the CLI's defaults), checked against the caps.
    pub fn request(&self, passages: usize, limit: usize) -> Result<Request, ParamError> {
        let limit = self.limit.unwrap_or(limit);
        let offset = match self.offset {
            Some(o) => o,
            None => (self.page - 1).saturating_mul(limit),
        };
        let req = Request {
            filters: self.filters.clone(),
            limit,
            offset,
            passages: self.passages.unwrap_or(passages),
            exact: self.exact,
            newest_first: self.sort == Sort::Newest,
            ..Request::new(self.q.clone())
        };
        req.validate()?;
        Ok(req)
    }

    /// The URL of this state at `path` (`/sok`, `/sok.csv`): the query, the filters in
    /// the table's order under their Swedish keys, the order and the page.
    pub fn url(&self, path: &str) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            s.append_pair("q", &self.q);
        }
        for (key, value) in filter_pairs(&self.filters) {
            s.append_pair(key, &value);
        }
        if self.sort == Sort::Newest {
            s.append_pair("sortering", "nyast");
        }
        if self.page > 1 {
            s.append_pair("sida", &self.page.to_string());
        }
        let query = s.finish();
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }

    /// This state on page `page`.
    pub fn with_page(&self, page: usize) -> SearchParams {
        SearchParams {
            page,
            ..self.clone()
        }
    }

    /// This state with another order (from page 1).
    pub fn with_sort(&self, sort: Sort) -> SearchParams {
        SearchParams {
            sort,
            page: 1,
            ..self.clone()
        }
    }

    /// This state with another query (filters kept, from page 1).
    pub fn with_query(&self, q: &str) -> SearchParams {
        SearchParams {
            q: q.to_string(),
            page: 1,
            ..self.clone()
        }
    }

    /// Whether the filter `facet=value` is on (a year: the range is that one year).
    pub fn is_on(&self, facet: Facet, value: &str) -> bool {
        match facet {
            Facet::Year => self.filters.years.map(year_value).as_deref() == Some(value),
            _ => self.filters.values(facet).iter().any(|v| v == value),
        }
    }

    /// This state with the filter `facet=value` switched: off when on, else on (a year
    /// replaces the year range; other facets collect values, any of which matches), from
    /// page 1.
    pub fn toggled(&self, facet: Facet, value: &str) -> SearchParams {
        let mut p = self.with_page(1);
        match facet {
            Facet::Year => {
                p.filters.years = if self.is_on(facet, value) {
                    None
                } else {
                    model::parse_year_range(value).ok()
                };
            }
            _ => {
                let mut values = self.filters.values(facet).to_vec();
                match values.iter().position(|v| v == value) {
                    Some(i) => {
                        values.remove(i);
                    }
                    None => values.push(value.to_string()),
                }
                p.filters.set_values(facet, values);
            }
        }
        p
    }

    /// The active filters, each with the state without it: the removable chips.
    pub fn chips(&self) -> Vec<(Facet, String)> {
        let mut out = Vec::new();
        if let Some(y) = self.filters.years {
            out.push((Facet::Year, year_value(y)));
        }
        for (facet, values) in self.filters.terms() {
            for v in values {
                out.push((facet, v.clone()));
            }
        }
        out
    }
}

/// The key of a facet in the page's URLs: its Swedish label folded (`ar`, `namnd`,
/// `kommun`, `typ`), which the library's filter parser takes as a name of the facet.
pub fn url_key(facet: Facet) -> String {
    model::fold_slug(facet.spec().label)
}

/// A year range as a filter value: `2022` or `2021..2023`.
pub fn year_value((a, b): (u16, u16)) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}..{b}")
    }
}

/// The filters as URL pairs, in the table's order.
pub fn filter_pairs(filters: &Filters) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for spec in &FACETS {
        let key: &'static str = match spec.facet {
            Facet::Year => "ar",
            Facet::Tertial => "tertial",
            Facet::Committee => "namnd",
            Facet::Status => "status",
            Facet::Municipality => "kommun",
            Facet::Kind => "typ",
            Facet::Unit => "enhet",
        };
        debug_assert_eq!(key, url_key(spec.facet));
        if spec.facet == Facet::Year {
            if let Some(y) = filters.years {
                out.push((key, year_value(y)));
            }
            continue;
        }
        for v in filters.values(spec.facet) {
            out.push((key, v.clone()));
        }
    }
    out
}

/// The parameters of `/glider` (`sedan=2021&namnd=KS&kommun=ostersund`), parsed as the
/// `slipping` flags are.
pub fn slipping_options(raw: &str) -> Result<crate::history::SlipOptions, ParamError> {
    use crate::searcher::request::parse_value;
    let mut opts = crate::history::SlipOptions::default();
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        let (k, v) = (k.as_ref(), v.as_ref());
        if v.trim().is_empty() {
            continue;
        }
        match Facet::parse(k) {
            _ if k == "sedan" || k == "since" => {
                opts.since = Some(model::parse_year(v.trim()).map_err(|m| bad(k, v, m))?);
            }
            // The form's text fields may hold several values: "KS, BUN".
            Some(Facet::Committee) => {
                for one in v.split(',').filter(|s| !s.trim().is_empty()) {
                    let c = parse_value(Facet::Committee, one)?;
                    opts.committees.extend(model::Committee::new(&c));
                }
            }
            Some(Facet::Municipality) => {
                for one in v.split(',').filter(|s| !s.trim().is_empty()) {
                    opts.municipalities
                        .push(parse_value(Facet::Municipality, one)?);
                }
            }
            _ => {
                return Err(bad(k, v, "use sedan, namnd or kommun"));
            }
        }
    }
    Ok(opts)
}

/// The URL of `/glider` for these options.
pub fn slipping_url(opts: &crate::history::SlipOptions) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(y) = opts.since {
        s.append_pair("sedan", &y.to_string());
    }
    for c in &opts.committees {
        s.append_pair("namnd", c.as_str());
    }
    for m in &opts.municipalities {
        s.append_pair("kommun", m);
    }
    let q = s.finish();
    if q.is_empty() {
        "/glider".into()
    } else {
        format!("/glider?{q}")
    }
}

/// A path segment percent-encoded: everything but unreserved characters, so that `/`
/// and `#` of an id stay inside one segment (`ostersund%2F2022-T3.txt%236`).
pub fn segment(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// A relative path percent-encoded segment by segment, its `/` kept (`/fil/` links).
pub fn path_segments(s: &str) -> String {
    s.split('/').map(segment).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_url_reads_back_to_the_same_state() {
        let p = SearchParams::parse(
            "q=psykisk+oh%C3%A4lsa&ar=2021..2023&namnd=bun&status=inte+genomf%C3%B6rt&kommun=ostersund&typ=m%C3%A5l&sida=2&sortering=nyast",
        )
        .unwrap();
        assert_eq!(p.q, "psykisk ohälsa");
        assert_eq!(p.filters.years, Some((2021, 2023)));
        assert_eq!(p.filters.values(Facet::Committee), ["BUN"]);
        assert_eq!(p.filters.values(Facet::Status), ["ej_genomfort"]);
        assert_eq!(p.filters.values(Facet::Kind), ["mal"]);
        assert_eq!((p.page, p.sort), (2, Sort::Newest));
        let url = p.url("/sok");
        assert_eq!(
            url,
            "/sok?q=psykisk+oh%C3%A4lsa&ar=2021..2023&namnd=BUN&status=ej_genomfort&kommun=ostersund&typ=mal&sortering=nyast&sida=2"
        );
        let again = SearchParams::parse(url.split_once('?').unwrap().1).unwrap();
        assert_eq!(again.url("/sok"), url);
        let req = p.request(PAGE_PASSAGES, PAGE_SIZE).unwrap();
        assert_eq!((req.offset, req.limit, req.newest_first), (10, 10, true));
        for f in Facet::all() {
            assert_eq!(Facet::parse(&url_key(f)), Some(f));
        }
    }

    #[test]
    fn facet_links_add_and_remove_filters_from_page_one() {
        let p = SearchParams::parse("q=budget&namnd=KS&sida=3").unwrap();
        let with = p.toggled(Facet::Committee, "BUN");
        assert_eq!(with.url("/sok"), "/sok?q=budget&namnd=KS&namnd=BUN");
        let without = p.toggled(Facet::Committee, "KS");
        assert_eq!(without.url("/sok"), "/sok?q=budget");
        let year = p.toggled(Facet::Year, "2022");
        assert!(year.is_on(Facet::Year, "2022"));
        assert_eq!(year.toggled(Facet::Year, "2022").filters.years, None);
        assert_eq!(p.chips(), [(Facet::Committee, "KS".to_string())]);
    }

    #[test]
    fn bad_parameters_are_errors_with_the_library_caps() {
        for (raw, needle) in [
            ("tertial=T4", "tertial"),
            ("f%C3%A4rg=r%C3%B6d", "färg"),
            ("limit=10001", "at most 10000"),
            ("offset=100001", "at most 100000"),
            ("passages=101", "at most 100"),
            ("sida=x", "not a count"),
            ("sida=10002", "at most"),
            ("sortering=slump", "relevans"),
            ("q=%22open", "quote"),
            ("by=kommun", "year"),
        ] {
            let e = SearchParams::parse(raw).unwrap_err();
            assert!(e.to_string().contains(needle), "{raw}: {e}");
            assert!(!e.swedish().is_empty());
        }
        // The last page the caps allow is accepted; the request then holds the cap.
        let p = SearchParams::parse("sida=10001").unwrap();
        assert_eq!(p.request(1, PAGE_SIZE).unwrap().offset, MAX_OFFSET);
        // An empty filter value is "any"; a long query is cut, not refused.
        let long = "ord ".repeat(400);
        let p = SearchParams::parse(&format!("status=&q={long}")).unwrap();
        assert!(p.cut && p.filters.is_empty());
    }

    #[test]
    fn ids_are_one_segment() {
        assert_eq!(
            segment("ostersund/2022-T3.txt#6"),
            "ostersund%2F2022-T3.txt%236"
        );
        assert_eq!(path_segments("a b/c#d.txt"), "a%20b/c%23d.txt");
    }

    #[test]
    fn slipping_parameters() {
        let o = slipping_options("sedan=2021&namnd=ks&kommun=Ostersund").unwrap();
        assert_eq!(o.since, Some(2021));
        assert_eq!(o.committees[0].as_str(), "KS");
        assert_eq!(o.municipalities, ["ostersund"]);
        assert_eq!(
            slipping_url(&o),
            "/glider?sedan=2021&namnd=KS&kommun=ostersund"
        );
        let two = slipping_options("namnd=KS%2C+bun&kommun=").unwrap();
        assert_eq!(two.committees.len(), 2);
        assert!(slipping_options("sedan=2021..2022").is_err());
        assert!(slipping_options("farg=1").is_err());
    }
}
