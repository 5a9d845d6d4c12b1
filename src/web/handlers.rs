//! The routes and their handlers. Each request takes the searcher of the moment from the
//! [`LiveIndex`] and keeps it until it is answered, so a rebuild meanwhile does not
//! touch it; the search work runs on tokio's blocking pool. Pages answer errors as
//! Swedish HTML pages, `/api/` as JSON `{"error": ...}`. JSON bodies are written by the
//! CLI's own JSON renderer ([`JsonRender`], the [`Render`] of `Format::Json`), so they
//! are the `--json` contract.

use super::pages::{self, SearchView};
use super::params::{self, ParamError, SearchParams, API_LIMIT, PAGE_PASSAGES, PAGE_SIZE};
use super::{assets, files};
use crate::facet::Facet;
use crate::history;
use crate::output::json::JsonRender;
use crate::output::{csv, Render, Stats};
use crate::searcher::{LiveIndex, SearchError, Searcher};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;

/// What every handler shares.
pub struct AppState {
    pub live: Arc<LiveIndex>,
    /// The corpus folder whose files `/fil/` serves.
    pub corpus: PathBuf,
}

type Shared = Arc<AppState>;

/// The router of every page, download, API route and asset (GET and HEAD only: other
/// methods on a route are answered 405).
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/sok", get(search_page))
        .route("/sok.csv", get(search_csv))
        .route("/sok.json", get(search_json_download))
        .route("/dok/{*id}", get(document_page))
        .route("/trad/{*thread}", get(thread_page))
        .route("/flode", get(super::feed::handler))
        .route("/glider", get(slipping_page))
        .route("/glider.csv", get(slipping_csv))
        .route("/fil/{*path}", get(source_file))
        .route("/api/search", get(api_search))
        .route("/api/doc/{*id}", get(api_doc))
        .route("/api/history/{*id}", get(api_history))
        .route("/api/stats", get(api_stats))
        .route(assets::CSS_PATH, get(assets::css))
        .route(assets::JS_PATH, get(assets::js))
        .fallback(not_found)
        .with_state(state)
}

/// An error answered as a page or as JSON.
pub enum Failure {
    /// 400: a bad parameter.
    Param(ParamError),
    /// From the library: a bad request (400), a missing document (404), a broken index
    /// (500).
    Search(SearchError),
    /// 404 with this Swedish message.
    NotFound(String),
    /// 500: the blocking task failed.
    Internal,
}

impl From<ParamError> for Failure {
    fn from(e: ParamError) -> Self {
        Failure::Param(e)
    }
}

impl From<SearchError> for Failure {
    fn from(e: SearchError) -> Self {
        Failure::Search(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(_: std::io::Error) -> Self {
        Failure::Internal
    }
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::Param(_) => StatusCode::BAD_REQUEST,
            Failure::Search(SearchError::Query(_) | SearchError::Request(_)) => {
                StatusCode::BAD_REQUEST
            }
            Failure::Search(SearchError::NotFound(_)) | Failure::NotFound(_) => {
                StatusCode::NOT_FOUND
            }
            Failure::Search(_) | Failure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message in Swedish, for a page.
    fn swedish(&self) -> String {
        match self {
            Failure::Param(e) => e.swedish(),
            Failure::Search(SearchError::Query(e)) => ParamError::Query(e.clone()).swedish(),
            Failure::Search(SearchError::Request(e)) => params::request_error_sv(e),
            Failure::Search(SearchError::NotFound(id)) => format!(
                "Det finns inget dokument med id '{id}'. Id:n ser ut som \
                 ostersund/2023-T3.txt#1; sök efter dokumentet i stället."
            ),
            Failure::NotFound(m) => m.clone(),
            Failure::Search(_) | Failure::Internal => {
                "Indexet kunde inte läsas. Försök igen om en stund; om felet kvarstår, \
                 kontakta den som sköter tjänsten."
                    .into()
            }
        }
    }

    /// The message as the CLI prints it, for JSON.
    fn english(&self) -> String {
        match self {
            Failure::Param(e) => e.to_string(),
            Failure::Search(e) => chain(e),
            Failure::NotFound(m) => m.clone(),
            Failure::Internal => "internal error".into(),
        }
    }

    /// The error as a Swedish HTML page.
    pub fn page(self) -> Response {
        let heading = match self.status() {
            StatusCode::BAD_REQUEST => "Felaktig sökning",
            StatusCode::NOT_FOUND => "Sidan finns inte",
            _ => "Något gick fel",
        };
        let body = pages::error_page(heading, &self.swedish()).into_string();
        (self.status(), html_headers(), body).into_response()
    }

    /// The error as JSON `{"error": message}`.
    pub fn json(self) -> Response {
        let body = serde_json::json!({ "error": self.english() }).to_string() + "\n";
        (self.status(), json_headers(), body).into_response()
    }
}

/// An error and its causes on one line, each cause once (as the CLI prints errors).
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !text.is_empty() && !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = c.source();
    }
    out
}

fn html_headers() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    )]
}

fn json_headers() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )]
}

fn html(markup: maud::Markup) -> Response {
    (html_headers(), markup.into_string()).into_response()
}

fn json_body(body: Vec<u8>) -> Response {
    (json_headers(), body).into_response()
}

/// A download: the body with its type and a file name.
fn download(content_type: &'static str, name: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static(match name {
                    "sok.csv" => "attachment; filename=\"sok.csv\"",
                    "sok.json" => "attachment; filename=\"sok.json\"",
                    _ => "attachment; filename=\"glider.csv\"",
                }),
            ),
        ],
        body,
    )
        .into_response()
}

/// Run `work` with the searcher of the moment on the blocking pool.
async fn with_searcher<T: Send + 'static>(
    state: &Shared,
    work: impl FnOnce(&Searcher) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let searcher = state.live.searcher();
    tokio::task::spawn_blocking(move || work(&searcher))
        .await
        .unwrap_or(Err(Failure::Internal))
}

/// The search parameters with their filters in the index's spelling (so that facet
/// links and chips match the counted values).
fn resolved(s: &Searcher, mut p: SearchParams) -> Result<SearchParams, Failure> {
    p.filters = s.resolve_filters(&p.filters)?;
    Ok(p)
}

async fn search_page(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let result = with_searcher(&state, move |s| {
        let p = resolved(s, SearchParams::parse(&raw)?)?;
        let req = p.request(PAGE_PASSAGES, PAGE_SIZE)?;
        let mut response = s.search(&req)?;
        response.truncated = p.cut;
        // The trends count the same matches: no second search.
        let by_year = history::trend_of(s, &req, &response, Facet::Year)?;
        let by_committee = history::trend_of(s, &req, &response, Facet::Committee)?;
        Ok(pages::search_page(&SearchView {
            params: &p,
            response: &response,
            by_year: &by_year,
            by_committee: &by_committee,
        }))
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => e.page(),
    }
}

/// The CLI's `search --json` (or, with `by=`, `search --by X --json`) for a query
/// string, into a buffer.
fn search_json(s: &Searcher, raw: &str) -> Result<Vec<u8>, Failure> {
    let p = SearchParams::parse(raw)?;
    let req = p.request(1, API_LIMIT)?;
    let mut out = Vec::new();
    if let Some(by) = p.by {
        let mut trend = history::trend(s, &req, by)?;
        trend.truncated = p.cut;
        JsonRender.trend(&mut out, &trend)?;
    } else {
        let mut response = s.search(&req)?;
        response.truncated = p.cut;
        JsonRender.search(&mut out, &response)?;
    }
    Ok(out)
}

async fn api_search(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    match with_searcher(&state, move |s| search_json(s, &raw)).await {
        Ok(body) => json_body(body),
        Err(e) => e.json(),
    }
}

async fn search_json_download(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    match with_searcher(&state, move |s| search_json(s, &raw)).await {
        Ok(body) => download("application/json", "sok.json", body),
        Err(e) => e.json(),
    }
}

/// `search --csv` (every match without `limit`), or `--csv-excel` with `excel=1`.
async fn search_csv(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let result = with_searcher(&state, move |s| {
        let p = SearchParams::parse(&raw)?.with_page(1);
        let req = p.request(1, API_LIMIT)?;
        let response = match p.limit {
            None => s.search_all(&req)?,
            Some(_) => s.search(&req)?,
        };
        let sep = if p.excel {
            csv::Separator::Semicolon
        } else {
            csv::Separator::Comma
        };
        let mut out = Vec::new();
        csv::search(&mut out, sep, &response)?;
        Ok(out)
    })
    .await;
    match result {
        Ok(body) => download("text/csv; charset=utf-8", "sok.csv", body),
        Err(e) => e.page(),
    }
}

async fn document_page(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let corpus = state.corpus.clone();
    let result = with_searcher(&state, move |s| {
        let doc = s.show(&id)?;
        let resolution = history::resolve(s, &doc.id)?;
        let file_url = files::resolve(&corpus, &doc.file)
            .map(|_| format!("/fil/{}", params::path_segments(&doc.file)));
        Ok(pages::document_page(
            &doc,
            resolution.as_ref(),
            file_url.as_deref(),
        ))
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => e.page(),
    }
}

async fn thread_page(State(state): State<Shared>, Path(thread): Path<String>) -> Response {
    let result = with_searcher(&state, move |s| match history::timeline(s, &thread)? {
        Some(t) => Ok(pages::thread_page(&t)),
        None => Err(Failure::NotFound(format!(
            "Det finns ingen uppdragstråd '{thread}' i indexet."
        ))),
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => e.page(),
    }
}

async fn slipping_page(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let result = with_searcher(&state, move |s| {
        let opts = params::slipping_options(&raw)?;
        let slips = history::slipping(s, &opts)?;
        Ok(pages::slipping_page(&opts, &slips))
    })
    .await;
    match result {
        Ok(markup) => html(markup),
        Err(e) => e.page(),
    }
}

async fn slipping_csv(State(state): State<Shared>, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    let result = with_searcher(&state, move |s| {
        let opts = params::slipping_options(&raw)?;
        let slips = history::slipping(s, &opts)?;
        let mut out = Vec::new();
        csv::slipping(&mut out, csv::Separator::Comma, &slips)?;
        Ok(out)
    })
    .await;
    match result {
        Ok(body) => download("text/csv; charset=utf-8", "glider.csv", body),
        Err(e) => e.page(),
    }
}

async fn source_file(State(state): State<Shared>, Path(rel): Path<String>) -> Response {
    let corpus = state.corpus.clone();
    let result = tokio::task::spawn_blocking(move || {
        let path = files::resolve(&corpus, &rel)
            .ok_or_else(|| Failure::NotFound("Filen finns inte i rapportsamlingen.".to_string()))?;
        let bytes = std::fs::read(&path)?;
        Ok::<_, Failure>((files::content_type(&path), bytes))
    })
    .await
    .unwrap_or(Err(Failure::Internal));
    match result {
        Ok((content_type, bytes)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            bytes,
        )
            .into_response(),
        Err(e) => e.page(),
    }
}

async fn api_doc(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let result = with_searcher(&state, move |s| {
        let doc = s.show(&id)?;
        let mut out = Vec::new();
        JsonRender.document(&mut out, &doc)?;
        Ok(out)
    })
    .await;
    match result {
        Ok(body) => json_body(body),
        Err(e) => e.json(),
    }
}

/// `history ARG --json`: a document id, a thread id or a query, resolved as the CLI does
/// (an id that does not exist is a 404, a query that matches nothing an answer).
async fn api_history(State(state): State<Shared>, Path(arg): Path<String>) -> Response {
    let result = with_searcher(&state, move |s| {
        let mut arg = arg;
        if !arg.contains('#') && !crate::threads::looks_like_thread_id(&arg) {
            arg = crate::searcher::query::cut_to_limits(&arg).text;
            crate::searcher::query::parse(&arg).map_err(SearchError::from)?;
        }
        let mut out = Vec::new();
        match history::resolve(s, &arg)? {
            Some(r) => JsonRender.history(&mut out, &arg, &r)?,
            None if arg.contains('#') => {
                return Err(Failure::NotFound(format!(
                    "document {arg} does not exist or belongs to no assignment thread"
                )))
            }
            None if crate::threads::looks_like_thread_id(&arg) => {
                return Err(Failure::NotFound(format!("no thread {arg} in the index")))
            }
            None => JsonRender.no_history(&mut out, &arg)?,
        }
        Ok(out)
    })
    .await;
    match result {
        Ok(body) => json_body(body),
        Err(e) => e.json(),
    }
}

/// `stats --json`.
async fn api_stats(State(state): State<Shared>) -> Response {
    let result = with_searcher(&state, move |s| {
        let (documents, facets) = s.stats()?;
        let mut out = Vec::new();
        let index = s.index_dir.display().to_string();
        let stats = Stats {
            index: &index,
            generation: &s.generation,
            info: s.info.as_ref(),
            documents,
            facets: &facets,
        };
        JsonRender.stats(&mut out, &stats)?;
        Ok(out)
    })
    .await;
    match result {
        Ok(body) => json_body(body),
        Err(e) => e.json(),
    }
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        Failure::NotFound(format!("no route {}", uri.path())).json()
    } else {
        Failure::NotFound("Sidan finns inte. Börja om från sökningen.".into()).page()
    }
}
