//! The user's query language, parsed into a small syntax tree before any index is
//! touched: words, "quoted phrases", `-excluded` words or phrases, `OR` (or Swedish
//! `ELLER`) between alternatives, `title:` / `body:` field prefixes, and `psyk*` prefix
//! searches. Words are AND-ed (`AND`/`OCH` may be written). The operators are upper
//! case: `eller` is a word. Function words (a Swedish stop list) are known here, for the
//! fallback that drops them ([`is_function_word`]).
//!
//! A malformed query is a [`QueryError`] that names the column of the problem; the CLI
//! turns it into a one-line message and exit code 2. Limits keep hostile input cheap.

/// Longest accepted query, in characters.
pub const MAX_QUERY_CHARS: usize = 1_000;
/// Most words and phrases in one query.
pub const MAX_ATOMS: usize = 64;
/// Fewest letters before the `*` of a prefix search (`psy*`): a shorter prefix would
/// expand to a large share of the vocabulary.
pub const MIN_PREFIX_CHARS: usize = 3;

/// The Snowball project's Swedish stop list (BSD, `data/lexicon/snowball-COPYING`).
const FUNCTION_WORDS: &str = include_str!("../../data/lexicon/stopwords-sv.txt");

/// Whether a word (any case) is a Swedish function word ("i", "och", "att", ...): the
/// words the relaxed fallback does not require.
pub fn is_function_word(word: &str) -> bool {
    static LIST: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        FUNCTION_WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    });
    list.contains(word.to_lowercase().as_str())
}

/// Which fields an atom searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Title, body and goal-page items.
    All,
    Title,
    Body,
}

/// A word or a phrase, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// The word or phrase (without quotes, a field prefix or a prefix search's `*`).
    pub text: String,
    pub phrase: bool,
    pub scope: Scope,
    /// A prefix search (`psyk*`): words starting with `text`.
    pub prefix: bool,
}

impl Atom {
    /// The atom as it would be typed (without its field prefix): `"a b"`, `psyk*`.
    pub fn display(&self) -> String {
        if self.phrase {
            format!("\"{}\"", self.text)
        } else if self.prefix {
            format!("{}*", self.text)
        } else {
            self.text.clone()
        }
    }
}

/// Alternatives joined by `OR`; a document must match at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Atom>,
}

/// A parsed query: every clause must match, no excluded atom may.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
    pub excluded: Vec<Atom>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty() && self.excluded.is_empty()
    }
}

/// A malformed query, with the 1-based character column of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("query error at column {column}: {message}")]
pub struct QueryError {
    pub column: usize,
    pub message: String,
}

const FIELDS: &[(&str, Scope)] = &[
    ("title", Scope::Title),
    ("titel", Scope::Title),
    ("body", Scope::Body),
    ("text", Scope::Body),
];

#[derive(Debug)]
enum Lexeme {
    Or,
    Atom { atom: Atom, negated: bool },
}

/// Parse a query string.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError {
            column: MAX_QUERY_CHARS + 1,
            message: format!(
                "query too long ({} characters; at most {MAX_QUERY_CHARS})",
                chars.len()
            ),
        });
    }
    let lexemes = lex(&chars)?;
    let mut query = Query::default();
    let mut pending_or = false;
    let mut atoms = 0;
    for (col, lexeme) in lexemes {
        match lexeme {
            Lexeme::Or => {
                let last_is_positive = query.clauses.last().is_some();
                if !last_is_positive || pending_or {
                    return Err(QueryError {
                        column: col,
                        message: "OR needs a word or phrase on both sides".into(),
                    });
                }
                pending_or = true;
            }
            Lexeme::Atom { atom, negated } => {
                atoms += 1;
                if atoms > MAX_ATOMS {
                    return Err(QueryError {
                        column: col,
                        message: format!("too many words (at most {MAX_ATOMS})"),
                    });
                }
                if negated {
                    if pending_or {
                        return Err(QueryError {
                            column: col,
                            message: "OR cannot be followed by an excluded (-) term".into(),
                        });
                    }
                    query.excluded.push(atom);
                } else if pending_or {
                    if let Some(last) = query.clauses.last_mut() {
                        last.alternatives.push(atom);
                    }
                    pending_or = false;
                } else {
                    query.clauses.push(Clause {
                        alternatives: vec![atom],
                    });
                }
            }
        }
    }
    if pending_or {
        return Err(QueryError {
            column: chars.len() + 1,
            message: "OR at the end needs a word or phrase after it".into(),
        });
    }
    Ok(query)
}

/// Split the query's characters into words, phrases and operators, each with the
/// column (1-based, in characters) where it starts. `AND`/`OCH` are dropped (words are
/// AND-ed already).
fn lex(chars: &[(usize, char)]) -> Result<Vec<(usize, Lexeme)>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start_col = i + 1;
        let mut negated = false;
        if c == '-' {
            negated = true;
            i += 1;
            if i >= chars.len() || chars[i].1.is_whitespace() {
                return Err(QueryError {
                    column: start_col,
                    message: "'-' must stand directly before the word or phrase to exclude".into(),
                });
            }
        }
        let scope;
        (scope, i) = lex_scope(chars, i)?;
        if i < chars.len() && chars[i].1 == '"' {
            let text;
            (text, i) = lex_phrase(chars, i)?;
            out.push((
                start_col,
                Lexeme::Atom {
                    atom: Atom {
                        text,
                        phrase: true,
                        scope,
                        prefix: false,
                    },
                    negated,
                },
            ));
            continue;
        }
        let text;
        (text, i) = lex_word(chars, i)?;
        if matches!(text.as_str(), "OR" | "ELLER") && !negated && scope == Scope::All {
            out.push((start_col, Lexeme::Or));
        } else if matches!(text.as_str(), "AND" | "OCH") && !negated && scope == Scope::All {
            // Words are AND-ed already.
        } else {
            let (text, prefix) = prefix_of(text, start_col + usize::from(negated))?;
            out.push((
                start_col,
                Lexeme::Atom {
                    atom: Atom {
                        text,
                        phrase: false,
                        scope,
                        prefix,
                    },
                    negated,
                },
            ));
        }
    }
    Ok(out)
}

/// An optional field prefix at `i` (lowercase letters then ':', e.g. `title:`): the
/// scope it names and where the word or phrase after it starts; without a prefix,
/// [`Scope::All`] and `i` itself.
fn lex_scope(chars: &[(usize, char)], i: usize) -> Result<(Scope, usize), QueryError> {
    let mut j = i;
    while j < chars.len() && chars[j].1.is_lowercase() {
        j += 1;
    }
    if j > i && j < chars.len() && chars[j].1 == ':' {
        let name: String = chars[i..j].iter().map(|(_, c)| c).collect();
        let rest_starts = j + 1 < chars.len() && !chars[j + 1].1.is_whitespace();
        return match FIELDS.iter().find(|(n, _)| *n == name) {
            Some((_, s)) if rest_starts => Ok((*s, j + 1)),
            Some(_) => Err(QueryError {
                column: j + 2,
                message: format!("'{name}:' must be followed by a word or phrase"),
            }),
            None => Err(QueryError {
                column: i + 1,
                message: format!("unknown field '{name}:'; known fields are title: and body:"),
            }),
        };
    }
    Ok((Scope::All, i))
}

/// The phrase whose opening quote is at `i`: its text and the index after the closing
/// quote.
fn lex_phrase(chars: &[(usize, char)], i: usize) -> Result<(String, usize), QueryError> {
    let open_col = i + 1;
    let mut k = i + 1;
    let mut text = String::new();
    while k < chars.len() && chars[k].1 != '"' {
        text.push(chars[k].1);
        k += 1;
    }
    if k >= chars.len() {
        return Err(QueryError {
            column: open_col,
            message: "unclosed quote: add the closing \"".into(),
        });
    }
    Ok((text, k + 1))
}

/// The word starting at `i` (up to the next whitespace) and the index after it; a quote
/// inside a word is an error.
fn lex_word(chars: &[(usize, char)], i: usize) -> Result<(String, usize), QueryError> {
    let mut k = i;
    let mut text = String::new();
    while k < chars.len() && !chars[k].1.is_whitespace() {
        if chars[k].1 == '"' {
            return Err(QueryError {
                column: k + 1,
                message: "a quote must start a phrase: put a space before it".into(),
            });
        }
        text.push(chars[k].1);
        k += 1;
    }
    Ok((text, k))
}

/// A word with a final `*` is a prefix search: the word without it, and whether it was
/// one. `col` is the word's column, for errors: a `*` elsewhere in a word, or one to
/// [`MIN_PREFIX_CHARS`] - 1 letters before it (a `*` without letters is punctuation).
fn prefix_of(text: String, col: usize) -> Result<(String, bool), QueryError> {
    let Some(stem) = text.strip_suffix('*') else {
        return Ok((text, false));
    };
    if let Some(at) = stem.chars().position(|c| c == '*') {
        return Err(QueryError {
            column: col + at,
            message: "'*' may only end a word, as in psyk* (words starting with psyk)".into(),
        });
    }
    let letters = stem.chars().filter(|c| c.is_alphanumeric()).count();
    if letters == 0 {
        // Only punctuation (`*`, `-*`): no word, as any punctuation.
        return Ok((text, false));
    }
    if letters < MIN_PREFIX_CHARS {
        return Err(QueryError {
            column: col,
            message: format!(
                "'{text}' is too short for a prefix search: write at least \
                 {MIN_PREFIX_CHARS} letters before the * (psyk*)"
            ),
        });
    }
    Ok((stem.to_string(), true))
}

/// A query brought within the limits by [`cut_to_limits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The query, whole or cut.
    pub text: String,
    /// What was cut, as a sentence for the user; `None` when nothing was.
    pub notice: Option<String>,
}

/// Cut a query that is over the limits (a pasted paragraph) instead of refusing it: to
/// at most [`MAX_QUERY_CHARS`] characters at a word boundary (a phrase cut open is
/// closed again), then to its first [`MAX_ATOMS`] words or phrases (a dangling `OR` is
/// dropped). A malformed query is left as it is, for [`parse`] to report.
pub fn cut_to_limits(input: &str) -> Cut {
    let mut text = input.to_string();
    let mut notes = Vec::new();
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        // One character is kept free for the quote that closes a phrase cut open.
        let end = input
            .char_indices()
            .nth(MAX_QUERY_CHARS - 1)
            .map_or(input.len(), |(i, _)| i);
        let head = &input[..end];
        // At a word boundary, unless the first word alone is over the limit.
        let cut = if input[end..].starts_with(char::is_whitespace) {
            end
        } else {
            match head.rfind(char::is_whitespace) {
                Some(i) if !head[..i].trim().is_empty() => i,
                _ => end,
            }
        };
        text = head[..cut].trim_end().to_string();
        if text.matches('"').count() % 2 == 1 {
            text.push('"');
        }
        notes.push(format!(
            "cut to {MAX_QUERY_CHARS} characters at a word boundary (it had {chars})"
        ));
    }
    if let Ok(lexemes) = lex(&text.char_indices().collect::<Vec<_>>()) {
        let atoms: Vec<usize> = lexemes
            .iter()
            .filter(|(_, l)| matches!(l, Lexeme::Atom { .. }))
            .map(|(col, _)| *col)
            .collect();
        if let Some(&col) = atoms.get(MAX_ATOMS) {
            let at = text
                .char_indices()
                .nth(col - 1)
                .map_or(text.len(), |(i, _)| i);
            let mut kept = text[..at].trim_end();
            if let Some(rest) = kept.strip_suffix(" OR") {
                kept = rest.trim_end();
            }
            text = kept.to_string();
            notes.push(format!(
                "cut to its first {MAX_ATOMS} words or phrases (it had {})",
                atoms.len()
            ));
        }
    }
    Cut {
        notice: (!notes.is_empty()).then(|| format!("the query was {}", notes.join(", then "))),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_long_queries_are_cut_not_refused() {
        // 64 words pass as they are.
        let ok = "a ".repeat(MAX_ATOMS);
        assert_eq!(cut_to_limits(&ok).text, ok);
        assert_eq!(cut_to_limits(&ok).notice, None);
        // A pasted paragraph: its first 64 words.
        let words: Vec<String> = (0..100).map(|i| format!("ord{i}")).collect();
        let cut = cut_to_limits(&words.join(" "));
        assert_eq!(cut.text, words[..MAX_ATOMS].join(" "));
        assert!(cut.notice.unwrap().contains("(it had 100)"));
        assert_eq!(parse(&cut.text).unwrap().clauses.len(), MAX_ATOMS);
        // A phrase counts once; a dangling OR goes.
        let q = format!("\"a b c\" {} OR x", "y ".repeat(MAX_ATOMS - 1));
        assert!(parse(&cut_to_limits(&q).text).is_ok());
        assert_eq!(
            cut_to_limits(&q).text,
            format!("\"a b c\" {}", "y ".repeat(MAX_ATOMS - 1).trim_end())
        );
        // Too many characters: cut at a word boundary, within the limit.
        let long = "långa ".repeat(300);
        let cut = cut_to_limits(&long);
        assert!(cut.text.chars().count() <= MAX_QUERY_CHARS);
        assert!(
            cut.text.ends_with("långa"),
            "{:?}",
            &cut.text[cut.text.len() - 20..]
        );
        assert!(cut.notice.unwrap().contains("1000 characters"));
        // A phrase cut open is closed again; one huge word is cut inside.
        let phrase = format!("\"{}\"", "ord ".repeat(400));
        let p = cut_to_limits(&phrase).text;
        assert!(parse(&p).is_ok(), "{:?} {}", parse(&p), p.chars().count());
        let word = "x".repeat(5000);
        assert_eq!(cut_to_limits(&word).text.len(), MAX_QUERY_CHARS - 1);
        // Malformed queries are left for parse to report.
        assert_eq!(cut_to_limits("\"open").text, "\"open");
    }

    fn word(t: &str) -> Atom {
        Atom {
            text: t.into(),
            phrase: false,
            scope: Scope::All,
            prefix: false,
        }
    }

    #[test]
    fn a_final_star_is_a_prefix_search_of_three_letters_or_more() {
        let q = parse("psyk* -title:ohäls* \"psyk* x\"").unwrap();
        let a = &q.clauses[0].alternatives[0];
        assert_eq!((a.text.as_str(), a.prefix), ("psyk", true));
        assert_eq!(a.display(), "psyk*");
        let e = &q.excluded[0];
        assert_eq!(
            (e.text.as_str(), e.prefix, e.scope),
            ("ohäls", true, Scope::Title)
        );
        // In a phrase a * is only punctuation.
        assert!(!q.clauses[1].alternatives[0].prefix);
        assert!(parse("psy*").is_ok());
        // A * without letters is punctuation, as before.
        assert!(!parse("*").unwrap().clauses[0].alternatives[0].prefix);
        for (q, col, msg) in [
            ("ps*", 1, "too short"),
            ("budget -p*", 9, "too short"),
            ("a*", 1, "too short"),
            ("ps*k*", 3, "may only end"),
        ] {
            let e = parse(q).unwrap_err();
            assert_eq!(e.column, col, "{q}: {e}");
            assert!(e.message.contains(msg), "{q}: {e}");
        }
    }

    #[test]
    fn function_words_are_known() {
        for w in ["i", "och", "att", "I", "Och"] {
            assert!(is_function_word(w), "{w}");
        }
        for w in ["ekonomi", "balans", "budget"] {
            assert!(!is_function_word(w), "{w}");
        }
    }

    #[test]
    fn words_phrases_or_and_negation() {
        let q = parse(r#"psykisk "ohälsa hos unga" budget OR ekonomi -suicid title:mål"#).unwrap();
        assert_eq!(q.clauses.len(), 4);
        assert_eq!(q.clauses[0].alternatives, [word("psykisk")]);
        assert!(q.clauses[1].alternatives[0].phrase);
        assert_eq!(q.clauses[1].alternatives[0].text, "ohälsa hos unga");
        assert_eq!(q.clauses[2].alternatives, [word("budget"), word("ekonomi")]);
        assert_eq!(q.clauses[3].alternatives[0].scope, Scope::Title);
        assert_eq!(q.excluded, [word("suicid")]);
    }

    #[test]
    fn a_field_prefix_takes_the_word_or_phrase_after_it() {
        let q = parse(r#"title:mål -body:"psykisk ohälsa""#).unwrap();
        let title = &q.clauses[0].alternatives[0];
        assert_eq!((title.text.as_str(), title.scope), ("mål", Scope::Title));
        assert!(!title.phrase);
        let body = &q.excluded[0];
        assert_eq!(
            (body.text.as_str(), body.scope),
            ("psykisk ohälsa", Scope::Body)
        );
        assert!(body.phrase);
    }

    #[test]
    fn swedish_eller_and_och_are_operators_in_upper_case() {
        let q = parse("psykisk ELLER suicid").unwrap();
        assert_eq!(q.clauses.len(), 1);
        assert_eq!(q.clauses[0].alternatives, [word("psykisk"), word("suicid")]);
        assert_eq!(parse("budget OCH ekonomi").unwrap().clauses.len(), 2);
        let q = parse("psykisk eller suicid").unwrap();
        assert_eq!(q.clauses.len(), 3, "lower case is a word");
    }

    #[test]
    fn malformed_queries_point_at_the_problem() {
        for (q, col, msg) in [
            ("psykisk \"ohälsa", 9, "unclosed quote"),
            ("OR budget", 1, "OR needs"),
            ("budget OR", 10, "OR at the end"),
            ("budget OR OR x", 11, "OR needs"),
            ("foo:bar", 1, "unknown field"),
            ("budget - x", 8, "'-' must"),
            ("title: x", 7, "must be followed"),
            ("ab\"c\"", 3, "quote must start"),
        ] {
            let e = parse(q).unwrap_err();
            assert_eq!(e.column, col, "{q}: {e}");
            assert!(e.message.contains(msg), "{q}: {e}");
        }
    }

    #[test]
    fn limits() {
        assert!(parse(&"a ".repeat(MAX_ATOMS)).is_ok());
        assert!(parse(&"a ".repeat(MAX_ATOMS + 1)).is_err());
        assert!(parse(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn colons_in_words_and_empty_query() {
        let q = parse("FN:s 2009:724").unwrap();
        assert_eq!(q.clauses.len(), 2);
        assert!(parse("   ").unwrap().is_empty());
    }
}
