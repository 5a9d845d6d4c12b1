//! The benchmark's peer (`bench --peer fts5`): the same documents in SQLite FTS5, loaded
//! and queried the way a competent user of FTS5 would, so that our figures stand beside a
//! well-known engine's measured in the same run on the same machine.
//!
//! Documents come from the library's own reader and parser (`indexer::corpus::read_pieces`
//! and `parser::parse_file`, as the indexer uses them), so both engines see identical
//! text: the title, the comment text and the goal items' titles, one FTS5 column each,
//! tokenized by `unicode61 remove_diacritics 0` (å, ä and ö stay letters). FTS5 has no
//! Swedish stemming, compounds or typo tolerance: its hit counts differ from ours.
//!
//! The load: WAL journal, `synchronous=OFF`, one transaction, parsing on one worker per
//! core while the main thread inserts, the metadata indexes created after the rows, then
//! FTS5's `optimize` (one b-tree per column set, as for a read-only index) and a WAL
//! checkpoint. The metadata (year, tertial, status, municipality, kind) lives in an
//! ordinary table keyed by the FTS5 rowid, committees (several per document) in a second.
//!
//! A query: `MATCH` with the words AND-ed, phrases as phrases, `OR` groups and exclusions
//! as FTS5 operators ([`translate`]); filters as `WHERE` clauses on the metadata columns
//! (a committee filter also takes assignments addressed to all committees, as ours does);
//! the top 10 by `bm25()` (titles weigh twice) with `snippet()`; and the facet counts over
//! all matches by `GROUP BY` over one materialised set of matches. A line with filters
//! only lists the newest matching documents. Every statement is a cached prepared
//! statement, one per query shape, its values bound as parameters.
//!
//! This module must not use the library's internals beyond `parser`, `indexer::corpus`
//! and the public search types (`Filters`).

use rapportsok::facet::Facet;
use rapportsok::indexer::corpus::{self, CorpusFile};
use rapportsok::model::{Committee, Document};
use rapportsok::parser;
use rapportsok::searcher::Filters;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The schema: metadata by rowid, committees by document, the text in FTS5.
const SCHEMA: &str = "
    CREATE TABLE doc(
        id INTEGER PRIMARY KEY,
        year INTEGER, tertial TEXT, status TEXT, municipality TEXT, kind TEXT NOT NULL);
    CREATE TABLE doc_committee(
        doc INTEGER NOT NULL, committee TEXT NOT NULL,
        PRIMARY KEY(doc, committee)) WITHOUT ROWID;
    CREATE VIRTUAL TABLE text USING fts5(
        title, body, items, tokenize = 'unicode61 remove_diacritics 0');
";

/// Indexes for the filters, created after the bulk load.
const INDEXES: &str = "
    CREATE INDEX doc_period ON doc(year, tertial);
    CREATE INDEX doc_status ON doc(status);
    CREATE INDEX doc_municipality ON doc(municipality);
    CREATE INDEX doc_kind ON doc(kind);
    CREATE INDEX committee_doc ON doc_committee(committee, doc);
";

/// What the FTS5 build measured.
#[derive(Debug, Clone)]
pub struct BuildStats {
    pub documents: usize,
    pub secs: f64,
    /// The database file (and what is left of its WAL) after the build.
    pub bytes: u64,
}

/// An FTS5 database built by [`build`], ready for queries.
pub struct Peer {
    conn: Connection,
}

/// The documents of one file, made by the library's reader and parser as the indexer
/// makes them: a file read in pieces is put together and parsed whole (a parser panic
/// drops the file; the indexer would index it as plain text, which no generated file
/// needs).
pub fn file_documents(file: &CorpusFile) -> Vec<Document> {
    let parse = |text: &str| {
        std::panic::catch_unwind(|| parser::parse_file(&file.rel, text))
            .map(|p| p.documents)
            .unwrap_or_default()
    };
    let mut warnings = Vec::new();
    let mut whole = String::new();
    let mut docs = Vec::new();
    let _ = corpus::read_pieces(file, &mut warnings, |piece, _| -> Result<(), ()> {
        if piece.whole {
            docs = parse(piece.text);
        } else {
            whole.push_str(piece.text);
            if piece.last {
                docs = parse(&whole);
            }
        }
        Ok(())
    });
    docs
}

fn sql_err(what: &str) -> impl Fn(rusqlite::Error) -> String + '_ {
    move |e| format!("fts5 {what}: {e}")
}

/// Load every document of `files` into a new FTS5 database at `path` (an old one there
/// is removed first) and time it from the first file read to the checkpointed database.
pub fn build(path: &Path, files: &[CorpusFile]) -> Result<(Peer, BuildStats), String> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
    let started = Instant::now();
    let mut conn = Connection::open(path).map_err(sql_err("open"))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;",
    )
    .map_err(sql_err("pragmas"))?;
    conn.execute_batch(SCHEMA).map_err(sql_err("schema"))?;
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Document>>(64);
    let mut documents = 0usize;
    std::thread::scope(|s| -> Result<(), String> {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                if tx.send(file_documents(file)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let t = conn.transaction().map_err(sql_err("begin"))?;
        {
            let mut doc = t
                .prepare("INSERT INTO doc VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .map_err(sql_err("prepare"))?;
            let mut committee = t
                .prepare("INSERT OR IGNORE INTO doc_committee VALUES (?1, ?2)")
                .map_err(sql_err("prepare"))?;
            let mut text = t
                .prepare("INSERT INTO text(rowid, title, body, items) VALUES (?1, ?2, ?3, ?4)")
                .map_err(sql_err("prepare"))?;
            for batch in rx {
                for d in batch {
                    documents += 1;
                    let id = documents as i64;
                    doc.execute(rusqlite::params![
                        id,
                        d.year,
                        d.tertial.map(|t| t.as_str()),
                        d.status.map(|s| s.as_str()),
                        d.municipality,
                        d.kind.as_str(),
                    ])
                    .map_err(sql_err("insert"))?;
                    for c in &d.committees {
                        committee
                            .execute(rusqlite::params![id, c.as_str()])
                            .map_err(sql_err("insert"))?;
                    }
                    let items: Vec<&str> = d.items.iter().map(|i| i.title.as_str()).collect();
                    text.execute(rusqlite::params![id, d.title, d.body, items.join("\n")])
                        .map_err(sql_err("insert"))?;
                }
            }
        }
        t.execute_batch(INDEXES).map_err(sql_err("indexes"))?;
        t.execute_batch("INSERT INTO text(text) VALUES ('optimize');")
            .map_err(sql_err("optimize"))?;
        t.commit().map_err(sql_err("commit"))
    })?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(sql_err("checkpoint"))?;
    let secs = started.elapsed().as_secs_f64();
    let bytes = ["", "-wal"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::metadata(PathBuf::from(p)).map_or(0, |m| m.len())
        })
        .sum();
    conn.set_prepared_statement_cache_capacity(128);
    Ok((
        Peer { conn },
        BuildStats {
            documents,
            secs,
            bytes,
        },
    ))
}

/// A query of the query file in FTS5 terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The MATCH expression, when the query has a word or phrase to find.
    pub matching: Option<String>,
    /// For a query of exclusions only: the documents to leave out (`rowid NOT IN`).
    pub excluding: Option<String>,
}

/// One FTS5 phrase: a quoted string with `"` doubled, `column : ` before it when the
/// word had a field prefix.
fn phrase(text: &str, column: Option<&str>) -> String {
    let quoted = format!("\"{}\"", text.replace('"', "\"\""));
    match column {
        Some(c) => format!("{c} : {quoted}"),
        None => quoted,
    }
}

/// Translate our query syntax (README, *Query syntax*) to an FTS5 MATCH expression:
/// words and `"phrases"` AND-ed, `a OR b` (`ELLER`) as an OR group, `AND`/`OCH` dropped,
/// `-word` and `-"phrase"` excluded with `NOT`, `title:`/`titel:` and `body:`/`text:` as
/// column filters. Every word is quoted, so FTS5's own operators and punctuation in a
/// word are taken literally.
pub fn translate(query: &str) -> Result<Translated, String> {
    // Terms in order: (excluded, FTS5 phrase), with OR joining neighbours.
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut excluded: Vec<String> = Vec::new();
    let mut pending_or = false;
    let mut rest = query.trim_start();
    while !rest.is_empty() {
        let negate = rest.starts_with('-') && rest.len() > 1;
        if negate {
            rest = &rest[1..];
        }
        let mut column = None;
        for (prefix, c) in [
            ("title:", "title"),
            ("titel:", "title"),
            ("body:", "body"),
            ("text:", "body"),
        ] {
            if let Some(r) = rest.strip_prefix(prefix) {
                column = Some(c);
                rest = r;
                break;
            }
        }
        let term;
        if let Some(r) = rest.strip_prefix('"') {
            let end = r
                .find('"')
                .ok_or_else(|| format!("unclosed quote in `{query}`"))?;
            term = phrase(r[..end].trim(), column);
            rest = &r[end + 1..];
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            if column.is_none() && !negate {
                match word {
                    "OR" | "ELLER" => {
                        if groups.is_empty() || pending_or {
                            return Err(format!("`{word}` without a word before it in `{query}`"));
                        }
                        pending_or = true;
                        rest = rest.trim_start();
                        continue;
                    }
                    "AND" | "OCH" => {
                        rest = rest.trim_start();
                        continue;
                    }
                    _ => {}
                }
            }
            term = phrase(word, column);
        }
        rest = rest.trim_start();
        if negate {
            excluded.push(term);
        } else if pending_or {
            pending_or = false;
            if let Some(last) = groups.last_mut() {
                last.push(term);
            }
        } else {
            groups.push(vec![term]);
        }
    }
    if pending_or {
        return Err(format!("`OR` without a word after it in `{query}`"));
    }
    let positive: Vec<String> = groups
        .into_iter()
        .map(|g| {
            if g.len() == 1 {
                g.into_iter().next().unwrap_or_default()
            } else {
                format!("({})", g.join(" OR "))
            }
        })
        .collect();
    let negative = match excluded.len() {
        0 => None,
        1 => excluded.pop(),
        _ => Some(format!("({})", excluded.join(" OR "))),
    };
    Ok(match (positive.is_empty(), negative) {
        (true, negative) => Translated {
            matching: None,
            excluding: negative,
        },
        (false, None) => Translated {
            matching: Some(positive.join(" AND ")),
            excluding: None,
        },
        (false, Some(n)) => {
            let p = if positive.len() == 1 {
                positive.join("")
            } else {
                format!("({})", positive.join(" AND "))
            };
            Translated {
                matching: Some(format!("{p} NOT {n}")),
                excluding: None,
            }
        }
    })
}

/// The WHERE clauses of a query's filters on `doc`, with their values in order.
pub fn filter_clauses(f: &Filters) -> (Vec<String>, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    let mut any_of = |column: &str, vals: Vec<String>, clauses: &mut Vec<String>| {
        if vals.is_empty() {
            return;
        }
        let marks = vec!["?"; vals.len()].join(", ");
        clauses.push(format!("{column} IN ({marks})"));
        values.extend(vals.into_iter().map(Value::Text));
    };
    // Filter values are already in the index's spelling (`T3`, `ej_genomfort`).
    for (facet, column) in [
        (Facet::Tertial, "doc.tertial"),
        (Facet::Status, "doc.status"),
        (Facet::Municipality, "doc.municipality"),
        (Facet::Kind, "doc.kind"),
    ] {
        any_of(column, f.values(facet).to_vec(), &mut clauses);
    }
    let committees = f.values(Facet::Committee);
    if !committees.is_empty() {
        let mut names: Vec<String> = committees.to_vec();
        names.push(Committee::ALL_VALUE.to_string());
        let marks = vec!["?"; names.len()].join(", ");
        clauses.push(format!(
            "doc.id IN (SELECT doc FROM doc_committee WHERE committee IN ({marks}))"
        ));
        values.extend(names.into_iter().map(Value::Text));
    }
    if let Some((from, to)) = f.years {
        clauses.push("doc.year BETWEEN ? AND ?".into());
        values.push(Value::Integer(from.into()));
        values.push(Value::Integer(to.into()));
    }
    (clauses, values)
}

/// The two statements of one query and their parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Statements {
    /// Top 10 (by `bm25()` with a snippet, or newest first for a listing).
    pub top: String,
    /// Facet counts over all matches: rows of (facet number, value, count), the facets
    /// numbered 0 year, 1 tertial, 2 status, 3 municipality, 4 kind (which sums to the
    /// total), 5 committee.
    pub facets: String,
    pub params: Vec<Value>,
}

/// The SQL of a query line: words through [`translate`], filters through
/// [`filter_clauses`].
pub fn statements(query: &str, filters: &Filters) -> Result<Statements, String> {
    let t = translate(query)?;
    let (mut clauses, filter_values) = filter_clauses(filters);
    let mut params = Vec::new();
    let listing = t.matching.is_none();
    if let Some(m) = &t.matching {
        clauses.insert(0, "text MATCH ?".into());
        params.push(Value::Text(m.clone()));
    } else if let Some(n) = &t.excluding {
        clauses.insert(
            0,
            "doc.id NOT IN (SELECT rowid FROM text WHERE text MATCH ?)".into(),
        );
        params.push(Value::Text(n.clone()));
    }
    params.extend(filter_values);
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    let columns = "doc.id, doc.year, doc.tertial, doc.status, doc.municipality, doc.kind, \
         (SELECT group_concat(committee, ', ') FROM doc_committee WHERE doc = doc.id), \
         text.title";
    // A listing picks its 10 newest rows from the metadata alone, then reads their text.
    let newest = "doc.year DESC, doc.tertial DESC, doc.id";
    let (top, matches) = if listing {
        (
            format!(
                "SELECT {columns}, substr(text.body, 1, 160) FROM \
                 (SELECT * FROM doc{filter} ORDER BY {newest} LIMIT 10) AS doc \
                 JOIN text ON text.rowid = doc.id ORDER BY {newest}"
            ),
            format!("doc{filter}"),
        )
    } else {
        let from = format!("text JOIN doc ON doc.id = text.rowid{filter}");
        (
            format!(
                "SELECT {columns}, snippet(text, -1, '**', '**', '…', 24) FROM {from} \
                 ORDER BY bm25(text, 2.0, 1.0, 1.0) LIMIT 10"
            ),
            from,
        )
    };
    let facets = format!(
        "WITH m AS MATERIALIZED (SELECT doc.id, doc.year, doc.tertial, doc.status, \
         doc.municipality, doc.kind FROM {matches}) \
         SELECT 0, year, count(*) FROM m GROUP BY year \
         UNION ALL SELECT 1, tertial, count(*) FROM m GROUP BY tertial \
         UNION ALL SELECT 2, status, count(*) FROM m GROUP BY status \
         UNION ALL SELECT 3, municipality, count(*) FROM m GROUP BY municipality \
         UNION ALL SELECT 4, kind, count(*) FROM m GROUP BY kind \
         UNION ALL SELECT 5, c.committee, count(*) FROM m \
         JOIN doc_committee c ON c.doc = m.id GROUP BY c.committee"
    );
    Ok(Statements {
        top,
        facets,
        params,
    })
}

/// One hit of the top 10.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub passage: String,
}

/// The answer to one query: the top 10, the total and the facet counts.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub total: u64,
    pub hits: Vec<Hit>,
    /// (facet number as in [`Statements::facets`], value, count).
    pub facets: Vec<(usize, String, u64)>,
}

impl Peer {
    /// Answer one query: both statements run and every row is read into owned values,
    /// as an application would before rendering.
    pub fn search(&self, s: &Statements) -> Result<Answer, String> {
        let mut answer = Answer::default();
        let mut top = self
            .conn
            .prepare_cached(&s.top)
            .map_err(sql_err("prepare"))?;
        let mut rows = top
            .query(params_from_iter(s.params.iter()))
            .map_err(sql_err("query"))?;
        while let Some(row) = rows.next().map_err(sql_err("query"))? {
            let _meta: (Option<i64>, Option<String>, Option<String>, Option<String>) = (
                row.get(1).map_err(sql_err("row"))?,
                row.get(2).map_err(sql_err("row"))?,
                row.get(3).map_err(sql_err("row"))?,
                row.get(4).map_err(sql_err("row"))?,
            );
            let _more: (String, Option<String>) = (
                row.get(5).map_err(sql_err("row"))?,
                row.get(6).map_err(sql_err("row"))?,
            );
            answer.hits.push(Hit {
                id: row.get(0).map_err(sql_err("row"))?,
                title: row.get(7).map_err(sql_err("row"))?,
                passage: row.get(8).map_err(sql_err("row"))?,
            });
        }
        let mut facets = self
            .conn
            .prepare_cached(&s.facets)
            .map_err(sql_err("prepare"))?;
        let mut rows = facets
            .query(params_from_iter(s.params.iter()))
            .map_err(sql_err("query"))?;
        while let Some(row) = rows.next().map_err(sql_err("query"))? {
            let facet: i64 = row.get(0).map_err(sql_err("row"))?;
            let value: Value = row.get(1).map_err(sql_err("row"))?;
            let count: i64 = row.get(2).map_err(sql_err("row"))?;
            if facet == 4 {
                answer.total += count as u64;
            }
            let value = match value {
                Value::Null => continue,
                Value::Integer(i) => i.to_string(),
                Value::Text(t) => t,
                other => format!("{other:?}"),
            };
            answer.facets.push((facet as usize, value, count as u64));
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapportsok::relevance::parse_filters;

    fn matching(q: &str) -> Option<String> {
        translate(q).unwrap().matching
    }

    #[test]
    fn translates_the_query_syntax_to_match_expressions() {
        let cases: &[(&str, &str)] = &[
            ("kommunen", r#""kommunen""#),
            (
                "psykisk ohälsa unga",
                r#""psykisk" AND "ohälsa" AND "unga""#,
            ),
            (r#""under året""#, r#""under året""#),
            (
                r#"risk "politiska beslut" hållbarhet"#,
                r#""risk" AND "politiska beslut" AND "hållbarhet""#,
            ),
            (
                "budget OR ekonomi klimat",
                r#"("budget" OR "ekonomi") AND "klimat""#,
            ),
            ("budget ELLER ekonomi", r#"("budget" OR "ekonomi")"#),
            (
                "ohälsa AND unga OCH barn",
                r#""ohälsa" AND "unga" AND "barn""#,
            ),
            ("klimat -budget", r#""klimat" NOT "budget""#),
            (
                r#"klimat skola -budget -"under året""#,
                r#"("klimat" AND "skola") NOT ("budget" OR "under året")"#,
            ),
            (
                "title:budget text:klimat",
                r#"title : "budget" AND body : "klimat""#,
            ),
            // FTS5's own operators and syntax inside a word are taken literally.
            ("NOT NEAR(x) a*b", r#""NOT" AND "NEAR(x)" AND "a*b""#),
        ];
        for (query, want) in cases {
            assert_eq!(matching(query).as_deref(), Some(*want), "{query}");
        }
    }

    #[test]
    fn exclusions_alone_and_malformed_queries() {
        let t = translate("-budget").unwrap();
        assert_eq!(t.matching, None);
        assert_eq!(t.excluding.as_deref(), Some(r#""budget""#));
        assert_eq!(translate("").unwrap().matching, None);
        assert!(translate(r#""psykisk ohälsa"#).is_err());
        assert!(translate("OR budget").is_err());
        assert!(translate("budget OR").is_err());
    }

    #[test]
    fn filters_become_where_clauses_with_bound_values() {
        let f =
            parse_filters("år=2021..2023 nämnd=BUN status=ej_genomfort kommun=ostersund").unwrap();
        let (clauses, values) = filter_clauses(&f);
        assert_eq!(
            clauses,
            [
                "doc.status IN (?)",
                "doc.municipality IN (?)",
                "doc.id IN (SELECT doc FROM doc_committee WHERE committee IN (?, ?))",
                "doc.year BETWEEN ? AND ?",
            ]
        );
        assert_eq!(
            values,
            [
                Value::Text("ej_genomfort".into()),
                Value::Text("ostersund".into()),
                Value::Text("BUN".into()),
                Value::Text("alla".into()),
                Value::Integer(2021),
                Value::Integer(2023),
            ]
        );
    }

    /// A tiny database answers the translated statements: the words AND-ed, a phrase,
    /// a filter, a listing, and facet counts over all matches.
    #[test]
    fn answers_queries_on_a_small_database() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        conn.execute_batch(INDEXES).unwrap();
        let rows = [
            (
                1,
                2021,
                "BUN",
                "Psykisk ohälsa bland unga",
                "arbetet med psykisk ohälsa",
            ),
            (2, 2022, "KS", "Ohälsa och psykisk hälsa", "ohälsa minskar"),
            (3, 2022, "alla", "Budget", "kommunens budget för året"),
        ];
        for (id, year, c, title, body) in rows {
            conn.execute(
                "INSERT INTO doc VALUES (?1, ?2, 'T3', 'genomfort', 'ostersund', 'uppdrag')",
                rusqlite::params![id, year],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO doc_committee VALUES (?1, ?2)",
                rusqlite::params![id, c],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO text(rowid, title, body, items) VALUES (?1, ?2, ?3, '')",
                rusqlite::params![id, title, body],
            )
            .unwrap();
        }
        let peer = Peer { conn };
        let ask = |q: &str, f: &str| {
            let s = statements(q, &parse_filters(f).unwrap()).unwrap();
            peer.search(&s).unwrap()
        };
        let a = ask("psykisk ohälsa", "");
        assert_eq!(a.total, 2);
        assert!(a.facets.contains(&(0, "2021".into(), 1)));
        assert!(a.facets.contains(&(5, "KS".into(), 1)));
        assert!(a.hits[0].passage.contains("**"), "{:?}", a.hits[0]);
        assert_eq!(ask(r#""psykisk ohälsa""#, "").total, 1);
        assert_eq!(ask("psykisk ohälsa", "år=2022").total, 1);
        // The committee filter also takes assignments addressed to all committees.
        let listing = ask("", "nämnd=BUN");
        assert_eq!(listing.total, 2);
        assert_eq!(listing.hits[0].id, 3, "newest first");
        assert_eq!(ask("-budget", "").total, 2);
        // å, ä and ö are letters: "ohalsa" is another word.
        assert_eq!(ask("ohalsa", "").total, 0);
    }
}
