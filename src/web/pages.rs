//! The HTML pages, in Swedish, as compile-time maud templates: the search page (results,
//! facets, chips, paging, trend charts), a document, an assignment's timeline, the
//! slipping list and the error page. maud escapes every value written into a template,
//! so text from queries and the corpus cannot become markup; the only markup that is not
//! escaped is this file's own. No inline script or style (the Content-Security-Policy
//! forbids both): the page's CSS and JavaScript are files ([`super::assets`]).

use super::params::{self, SearchParams, Sort, PAGE_SIZE};
use crate::facet::{Facet, FACETS};
use crate::history::{Entry, Resolution, Slip, SlipOptions, Timeline, Trend};
use crate::model::{Committee, Document, Kind, Light, Status};
use crate::output::words;
use crate::searcher::{Hit, Response, MAX_OFFSET};
use maud::{html, Markup, DOCTYPE};

/// Which item of the navigation is the current page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Search,
    Slipping,
    Other,
}

/// The frame of every page: landmarks (header, nav, main, footer), the stylesheet and
/// the script, a skip link for keyboard users.
pub fn layout(title: &str, nav: Nav, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="sv" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Rapportsök" }
                link rel="stylesheet" href=(super::assets::CSS_PATH);
                script src=(super::assets::JS_PATH) defer {}
            }
            body {
                a.skip href="#main" { "Hoppa till innehållet" }
                header.site {
                    a.brand href="/" { "Rapportsök" }
                    nav aria-label="Huvudmeny" {
                        ul {
                            li { a href="/" aria-current=[(nav == Nav::Search).then_some("page")] { "Sök" } }
                            li { a href="/glider" aria-current=[(nav == Nav::Slipping).then_some("page")] { "Uppdrag som glider" } }
                        }
                    }
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p { "Uppföljningsrapporter om kommunala uppdrag. Data: " a href="/api/stats" { "statistik (JSON)" } "." }
                }
            }
        }
    }
}

/// Text with the byte ranges `ranges` marked (`<mark>`); ranges that do not fall on
/// character boundaries are left unmarked rather than cut.
pub fn marked(text: &str, ranges: &[[usize; 2]]) -> Markup {
    let mut parts: Vec<(bool, &str)> = Vec::new();
    let mut at = 0;
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    for [a, b] in sorted {
        if a < at || b <= a {
            continue;
        }
        let (Some(before), Some(inside)) = (text.get(at..a), text.get(a..b)) else {
            continue;
        };
        parts.push((false, before));
        parts.push((true, inside));
        at = b;
    }
    parts.push((false, text.get(at..).unwrap_or("")));
    html! {
        @for (mark, s) in parts {
            @if mark { mark { (s) } } @else { (s) }
        }
    }
}

/// A status as a coloured badge.
pub fn status_badge(s: Status) -> Markup {
    html! { span class={ "badge status-" (s.as_str()) } { (s.label()) } }
}

fn light_badge(l: Light) -> Markup {
    html! { span class={ "badge light-" (l.as_str()) } { (l.label()) } }
}

fn committees(c: &[Committee]) -> String {
    c.iter()
        .map(Committee::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "T3 2022", "målsida 2022", "2022".
pub fn period(d: &Document) -> String {
    match (d.kind, d.year, d.tertial) {
        (Kind::Mal, Some(y), _) => format!("målsida {y}"),
        (_, Some(y), Some(t)) => format!("{t} {y}"),
        (_, Some(y), None) => y.to_string(),
        (_, None, Some(t)) => t.to_string(),
        (_, None, None) => "okänt år".into(),
    }
}

/// A document's page.
pub fn doc_url(id: &str) -> String {
    format!("/dok/{}", params::segment(id))
}

/// A thread's page.
pub fn thread_url(thread: &str) -> String {
    format!("/trad/{}", params::segment(thread))
}

/// The meta line of a hit or document: municipality · period · committees · status.
fn meta(d: &Document) -> Markup {
    html! {
        p.meta {
            @if let Some(m) = &d.municipality { span { (m) } " · " }
            span { (period(d)) }
            @if !d.committees.is_empty() { " · " span { (committees(&d.committees)) } }
            @if let Some(u) = &d.unit { " · " span { (u) } }
            @if let Some(s) = d.status { " " (status_badge(s)) }
        }
    }
}

/// Everything the search page shows.
pub struct SearchView<'a> {
    pub params: &'a SearchParams,
    pub response: &'a Response,
    /// Matches per year and per committee, as `search --by`.
    pub by_year: &'a Trend,
    pub by_committee: &'a Trend,
}

/// The search form; its hidden inputs keep the filters when a new query is typed.
fn search_form(p: &SearchParams) -> Markup {
    html! {
        form.search role="search" action="/sok" method="get" #search-form {
            label for="q" { "Sök i rapporterna" }
            div.row {
                input #q type="search" name="q" value=(p.q) maxlength="1000" autocomplete="off"
                    placeholder="t.ex. psykisk ohälsa, klimat -budget";
                button type="submit" { "Sök" }
            }
            div #hidden-filters {
                @for (k, v) in params::filter_pairs(&p.filters) {
                    input type="hidden" name=(k) value=(v);
                }
            }
            div.row.sort {
                label for="sortering" { "Ordning" }
                select #sortering name="sortering" {
                    option value="relevans" selected[p.sort == Sort::Relevance] { "Bästa träff först" }
                    option value="nyast" selected[p.sort == Sort::Newest] { "Nyast först" }
                }
                noscript { button type="submit" { "Sortera" } }
            }
        }
    }
}

/// The search page: form, notices, chips, results, paging, facets and trend.
pub fn search_page(v: &SearchView) -> Markup {
    let p = v.params;
    let r = v.response;
    let title = if p.q.is_empty() {
        "Sök".to_string()
    } else {
        format!("{} – sök", p.q)
    };
    let body = html! {
        h1.visually-hidden { "Sök i uppföljningsrapporterna" }
        (search_form(p))
        // Told to screen readers when the script swaps the results in.
        p #live.visually-hidden aria-live="polite" {}
        div #results {
            (notices(p, r))
            (chips(p))
            div.columns {
                div.hits-column {
                    (summary(p, r))
                    @if !r.hits.is_empty() {
                        ol.hits start=(r.offset + 1) {
                            @for h in &r.hits { (hit(h)) }
                        }
                    }
                    (paging(p, r))
                    (trend_section(v))
                }
                aside.facets #filter aria-label="Filter" {
                    h2 { "Filtrera" }
                    @for spec in &FACETS { (facet_list(p, r, spec.facet)) }
                }
            }
        }
    };
    layout(&title, Nav::Search, body)
}

fn notices(p: &SearchParams, r: &Response) -> Markup {
    html! {
        @if p.cut {
            p.notice { "Frågan var för lång och har kortats till 64 ord eller fraser och 1 000 tecken." }
        }
        @if r.relaxed {
            p.notice #relaxed { "Inget dokument innehöll alla orden; visar dokument med något av dem." }
        }
        @for s in &r.suggestions {
            p.notice.suggest { "Menade du: " a href=(p.with_query(s).url("/sok")) { (s) } "?" }
        }
        @for c in &r.suggested_committees {
            p.notice.suggest {
                "Menade du nämnden "
                a href=(p.with_query("").toggled(Facet::Committee, c.as_str()).url("/sok")) { (c.as_str()) }
                "?"
            }
        }
    }
}

fn chips(p: &SearchParams) -> Markup {
    let chips = p.chips();
    html! {
        @if !chips.is_empty() {
            nav.chips aria-label="Aktiva filter" {
                ul {
                    @for (facet, value) in &chips {
                        li {
                            a.chip href=(p.toggled(*facet, value).url("/sok")) {
                                span { (facet.spec().label) ": " ((facet.spec().display)(value)) }
                                span.x aria-hidden="true" { "×" }
                                span.visually-hidden { " (ta bort filtret)" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn summary(p: &SearchParams, r: &Response) -> Markup {
    let first = r.offset + 1;
    let last = r.offset + r.hits.len();
    html! {
        div.summary {
            p #count tabindex="-1" {
                @if r.total == 0 {
                    "Inga träffar."
                } @else if r.hits.is_empty() {
                    (r.total) " träffar; den här sidan är tom."
                } @else {
                    "Träff " (first) "–" (last) " av " (r.total)
                    @if p.q.is_empty() { " (nyast först)" }
                }
            }
            @if r.total > 0 {
                p.to-filters { a href="#filter" { "Filtrera träffarna ↓" } }
                p.downloads {
                    "Ladda ner: "
                    a href=(p.with_page(1).url("/sok.csv")) download { "CSV" }
                    " · "
                    a href=(p.with_page(1).url("/sok.json")) download { "JSON" }
                    " · "
                    a #feed type="application/atom+xml" href=(p.with_page(1).url("/flode")) { "Atom-flöde (nytt i sökningen)" }
                }
            }
        }
    }
}

fn hit(h: &Hit) -> Markup {
    let d = &h.doc;
    html! {
        li.hit {
            article {
                h2 { a href=(doc_url(&d.id)) { (marked(&d.title, &h.title_highlights)) } }
                (meta(d))
                @for passage in &h.passages {
                    p.passage { (marked(&passage.text, &passage.highlights)) }
                }
                p.links {
                    @if let Some(t) = &d.thread { a href=(thread_url(t)) { "Uppdragets historik" } " · " }
                    span.id { (d.id) }
                }
            }
        }
    }
}

fn paging(p: &SearchParams, r: &Response) -> Markup {
    let last_allowed = MAX_OFFSET / PAGE_SIZE + 1;
    let pages = r.total.div_ceil(PAGE_SIZE).clamp(1, last_allowed);
    let current = p.page;
    let window: Vec<usize> = (1..=pages)
        .filter(|&n| n == 1 || n == pages || n.abs_diff(current) <= 2)
        .collect();
    html! {
        @if pages > 1 {
            nav.paging aria-label="Sidor" {
                ul {
                    @if current > 1 {
                        li { a rel="prev" href=(p.with_page(current - 1).url("/sok")) { "‹ Föregående" } }
                    }
                    @for (i, n) in window.iter().enumerate() {
                        @if i > 0 && window[i - 1] + 1 < *n { li.gap { "…" } }
                        li {
                            @if *n == current {
                                span aria-current="page" { (n) }
                            } @else {
                                a href=(p.with_page(*n).url("/sok")) { (n) }
                            }
                        }
                    }
                    @if current < pages {
                        li { a rel="next" href=(p.with_page(current + 1).url("/sok")) { "Nästa ›" } }
                    }
                }
            }
        }
    }
}

/// Most values listed per facet (the active ones are always listed).
const FACET_VALUES: usize = 25;

fn facet_list(p: &SearchParams, r: &Response, facet: Facet) -> Markup {
    let spec = facet.spec();
    let counts = r.facets.get(facet);
    let mut values: Vec<(&String, u64)> = counts.iter().map(|(k, n)| (k, *n)).collect();
    if spec.sort_by_value {
        // Years and tertials: newest first.
        values.reverse();
    } else {
        values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    }
    let shown: Vec<(&String, u64)> = values
        .iter()
        .enumerate()
        .filter(|(i, (v, _))| *i < FACET_VALUES || p.is_on(facet, v))
        .map(|(_, x)| *x)
        .collect();
    html! {
        @if !shown.is_empty() {
            section.facet aria-labelledby={ "facet-" (spec.key) } {
                h3 id={ "facet-" (spec.key) } { (capitalise(spec.label)) }
                ul {
                    @for (value, n) in &shown {
                        @let on = p.is_on(facet, value);
                        li {
                            a.on[on] href=(p.toggled(facet, value).url("/sok"))
                                aria-current=[on.then_some("true")] {
                                span.value { @if on { "✓ " } ((spec.display)(value)) }
                                span.n { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn trend_section(v: &SearchView) -> Markup {
    html! {
        @if v.response.total > 0 {
            section.trend aria-labelledby="trend-h" {
                h2 #trend-h { "Träffar över tid" }
                (year_chart(v.by_year))
                (committee_chart(v.by_committee))
            }
        }
    }
}

/// Matches per year as vertical bars (inline SVG).
fn year_chart(t: &Trend) -> Markup {
    let max = t.buckets.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let n = t.buckets.len().max(1);
    let (w, h, top, bottom) = (600.0_f64, 200.0_f64, 18.0_f64, 22.0_f64);
    let slot = w / n as f64;
    let bar = (slot * 0.7).max(1.0);
    let label: Vec<String> = t.buckets.iter().map(|(y, n)| format!("{y}: {n}")).collect();
    html! {
        figure.chart {
            figcaption { "Träffar per år" }
            svg viewBox={ "0 0 " (w) " " (h) } role="img"
                aria-label={ "Träffar per år: " (label.join(", ")) } {
                @for (i, (year, count)) in t.buckets.iter().enumerate() {
                    @let bh = (h - top - bottom) * (*count as f64) / (max as f64);
                    @let x = slot * i as f64 + (slot - bar) / 2.0;
                    @let y = h - bottom - bh;
                    g {
                        title { (year) ": " (count) }
                        rect.bar x=(fmt(x)) y=(fmt(y)) width=(fmt(bar)) height=(fmt(bh)) {}
                        text.count x=(fmt(x + bar / 2.0)) y=(fmt(y - 4.0)) text-anchor="middle" { (count) }
                        text.axis x=(fmt(x + bar / 2.0)) y=(fmt(h - 6.0)) text-anchor="middle" { (year) }
                    }
                }
            }
        }
    }
}

/// Matches per committee as horizontal bars (the ten largest).
fn committee_chart(t: &Trend) -> Markup {
    let rows: Vec<&(String, u64)> = t.buckets.iter().take(10).collect();
    let max = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let (w, row, left) = (600.0_f64, 22.0_f64, 170.0_f64);
    let h = row * rows.len() as f64 + 4.0;
    let label: Vec<String> = rows.iter().map(|(c, n)| format!("{c}: {n}")).collect();
    html! {
        @if !rows.is_empty() {
            figure.chart {
                figcaption { "Träffar per nämnd" }
                svg viewBox={ "0 0 " (w) " " (fmt(h)) } role="img"
                    aria-label={ "Träffar per nämnd: " (label.join(", ")) } {
                    @for (i, (c, count)) in rows.iter().enumerate() {
                        @let y = row * i as f64 + 2.0;
                        @let bw = (w - left - 50.0) * (*count as f64) / (max as f64);
                        g {
                            title { (c) ": " (count) }
                            text.axis x=(fmt(left - 6.0)) y=(fmt(y + row * 0.7)) text-anchor="end" { (short(c, 24)) }
                            rect.bar x=(fmt(left)) y=(fmt(y)) width=(fmt(bw)) height=(fmt(row - 6.0)) {}
                            text.count x=(fmt(left + bw + 4.0)) y=(fmt(y + row * 0.7)) { (count) }
                        }
                    }
                }
            }
        }
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn fmt(x: f64) -> String {
    format!("{x:.1}")
}

/// A document's page: its text and facts, the goal page's lights, the thread's
/// timeline, and a link to the source file when the corpus is served.
pub fn document_page(d: &Document, history: Option<&Resolution>, file_url: Option<&str>) -> Markup {
    let body = html! {
        article.document {
            h1 { (d.title) }
            (meta(d))
            dl.facts {
                dt { "Id" } dd { code { (d.id) } }
                dt { "Typ" } dd { (d.kind.as_str()) }
                @if let Some(m) = &d.municipality { dt { "Kommun" } dd { (m) } }
                dt { "Period" } dd { (period(d)) }
                @if !d.committees.is_empty() { dt { "Nämnd" } dd { (committees(&d.committees)) } }
                @if let Some(u) = &d.unit { dt { "Enhet" } dd { (u) } }
                @if let Some(s) = d.status { dt { "Status" } dd { (status_badge(s)) } }
                @if let Some(s) = &d.section { dt { "Avsnitt" } dd { (s) } }
                @if let Some(u) = &d.updated { dt { "Uppdaterad" } dd { (u) } }
                dt { "Källa" }
                dd {
                    @match file_url {
                        Some(url) => { a href=(url) { (d.file) ", rad " (d.line) } }
                        None => { span { (d.file) ", rad " (d.line) } }
                    }
                }
                dt { "Data" } dd { a href={ "/api/doc/" (params::segment(&d.id)) } { "JSON" } }
            }
            section.text aria-label="Dokumentets text" {
                @for para in d.body.split("\n\n").filter(|p| !p.trim().is_empty()) {
                    p { (para) }
                }
            }
            @if !d.items.is_empty() {
                section aria-labelledby="items-h" {
                    h2 #items-h { "Uppdragens ljus" }
                    ul.items {
                        @for item in &d.items {
                            li {
                                (light_badge(item.light)) " "
                                @match &item.thread {
                                    Some(t) => { a href=(thread_url(t)) { (item.title) } }
                                    None => { span { (item.title) } }
                                }
                                @if !item.committees.is_empty() { " (" (committees(&item.committees)) ")" }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(r) = history {
            section.history aria-labelledby="history-h" {
                h2 #history-h { "Uppdragets historik" }
                (timeline(&r.timeline, Some(&d.id)))
                @if !r.candidates.is_empty() {
                    h3 { "Dokumentets andra uppdrag" }
                    ul {
                        @for c in &r.candidates {
                            li { a href=(thread_url(&c.thread)) { (c.title) } " – " (words::one_line(c)) }
                        }
                    }
                }
            }
        }
    };
    layout(&d.title, Nav::Other, body)
}

/// A thread's timeline as a table: period, status (or light), committees, comment;
/// status and committee changes marked.
pub fn timeline(t: &Timeline, current: Option<&str>) -> Markup {
    html! {
        p.meta {
            @if let Some(m) = &t.municipality { (m) " · " }
            a href=(thread_url(&t.thread)) { "tråd " (t.thread) }
            " · " (t.entries.len()) " rapporter"
        }
        p.oneline { (words::one_line(t)) }
        div.table-wrap {
            table.timeline {
                caption.visually-hidden { "Rapporter om uppdraget, äldst först" }
                thead { tr { th scope="col" { "Period" } th scope="col" { "Status" } th scope="col" { "Nämnd" } th scope="col" { "Kommentar" } } }
                tbody {
                    @for (i, e) in t.entries.iter().enumerate() {
                        @let changed = i > 0 && state_key(&t.entries[i - 1]) != state_key(e);
                        tr.current[current == Some(e.id.as_str())] {
                            th scope="row" { a href=(doc_url(&e.id)) { (words::period(e)) } }
                            td.changed[changed] {
                                (entry_state(e))
                                @if changed { " " span.change { "ändrad" } }
                            }
                            td.changed[e.committees_changed_from.is_some()] {
                                @if let Some(from) = &e.committees_changed_from {
                                    del { (committees(from)) } " → " ins { (committees(&e.committees)) }
                                } @else {
                                    (committees(&e.committees))
                                }
                            }
                            td {
                                @if e.title_changed { p.retitled { "Rubrik: ”" (e.title) "”" } }
                                @if let Some(c) = &e.comment { (c) }
                                @else if let Some(s) = &e.section { (s) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn state_key(e: &Entry) -> String {
    words::state(e)
}

fn entry_state(e: &Entry) -> Markup {
    match (e.light, e.status) {
        (Some(l), _) => light_badge(l),
        (None, Some(s)) => status_badge(s),
        (None, None) => html! { span.badge { "okänd status" } },
    }
}

/// `/trad/<thread>`.
pub fn thread_page(t: &Timeline) -> Markup {
    let body = html! {
        h1 { (t.title) }
        (timeline(t, None))
        p { a href={ "/api/history/" (params::segment(&t.thread)) } { "Historiken som JSON" } }
    };
    layout(&t.title, Nav::Other, body)
}

/// `/glider`: the assignments that keep slipping.
pub fn slipping_page(opts: &SlipOptions, slips: &[Slip]) -> Markup {
    let csv = params::slipping_url(opts).replacen("/glider", "/glider.csv", 1);
    let body = html! {
        h1 { "Uppdrag som glider" }
        p { "Uppdrag som inte är genomförda nu och inte var det (eller bedömdes bli det) i en tidigare rapport." }
        form.filters action="/glider" method="get" {
            div.field {
                label for="sedan" { "Från år" }
                input #sedan name="sedan" inputmode="numeric" value=[opts.since] size="6";
            }
            div.field {
                label for="namnd" { "Nämnd" }
                input #namnd name="namnd" value=(committees(&opts.committees)) size="10";
            }
            div.field {
                label for="kommun" { "Kommun" }
                input #kommun name="kommun" value=(opts.municipalities.join(", ")) size="14";
            }
            button type="submit" { "Visa" }
        }
        p #count { (slips.len()) " uppdrag glider. " a href=(csv) download { "Ladda ner CSV" } }
        ol.slips {
            @for s in slips {
                li {
                    h2 { a href=(thread_url(&s.timeline.thread)) { (s.timeline.title) } }
                    p.meta {
                        @if let Some(m) = &s.timeline.municipality { (m) " · " }
                        (words::period(&s.latest)) " · " (committees(&s.latest.committees)) " "
                        (entry_state(&s.latest))
                        " · har glidit i " (s.slipped) " rapporter"
                    }
                    p.oneline { (words::one_line(&s.timeline)) }
                }
            }
        }
    };
    layout("Uppdrag som glider", Nav::Slipping, body)
}

/// An error page: what went wrong and what to do, in Swedish.
pub fn error_page(heading: &str, message: &str) -> Markup {
    let body = html! {
        h1 { (heading) }
        p.error { (message) }
        p { a href="/" { "Till sökningen" } }
    };
    layout(heading, Nav::Other, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_fall_on_characters_and_escape() {
        let m = marked("<b>ö</b> budget", &[[10, 16], [4, 5]]).into_string();
        assert_eq!(m, "&lt;b&gt;ö&lt;/b&gt; <mark>budget</mark>");
        let m = marked("åäö", &[[0, 2], [2, 3]]).into_string();
        assert_eq!(m, "<mark>å</mark>äö");
    }

    #[test]
    fn errors_are_escaped() {
        let page = error_page("Fel", "\"><img src=x onerror=alert(1)>").into_string();
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains("&quot;&gt;&lt;img"));
    }
}
