//! Domain vocabulary at query time: groups of equivalent words and phrases of
//! municipal reporting ("äldreboende" / "särskilt boende", "VA" / "vatten och avlopp"),
//! so a query in the asker's words also finds the report's. The built-in list
//! (`data/synonyms.txt`) is compiled into the binary; a user file replaces it
//! (`--synonyms FILE`, else `synonyms.txt` in the index folder). Only queries use it:
//! nothing of it is in the index, so editing it needs no rebuild.
//!
//! This module reads and checks the text of a list ([`SynonymList`]); the searcher
//! compiles it with its analyzer into a lookup by analysed terms ([`Vocabulary`]), so
//! an inflected query word ("äldreboenden") finds its group. It must not touch the
//! index.

use crate::analyzer::Analyzer;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The built-in list.
pub const BUILTIN: &str = include_str!("../../data/synonyms.txt");

/// The name of a user list in the index folder.
pub const FILE_NAME: &str = "synonyms.txt";

/// A line of a user file that includes the built-in list at that point.
pub const INCLUDE_BUILTIN: &str = "@builtin";

/// Longest entry, in characters (an entry is searched as a phrase).
const MAX_ENTRY_CHARS: usize = 200;

/// A synonym list that cannot be used. Each message names the file (and line) and says
/// what to write.
#[derive(Debug, thiserror::Error)]
pub enum SynonymError {
    /// The file cannot be read.
    #[error("cannot read the synonym file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A line breaks the format.
    #[error("{source_name}:{line}: {message}")]
    Line {
        /// The file's path, or `built-in synonyms`.
        source_name: String,
        /// 1-based.
        line: usize,
        message: String,
    },
}

/// Groups of equivalent words or phrases, as written, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynonymList {
    /// The file's path, or `built-in`.
    pub source: String,
    /// Each group's entries, in the order written.
    pub groups: Vec<Vec<String>>,
}

impl SynonymList {
    /// The list compiled into the binary.
    pub fn builtin() -> SynonymList {
        Self::parse(BUILTIN, "built-in synonyms", false)
            .expect("the built-in synonym list parses (checked by a test)")
    }

    /// No synonyms at all.
    pub fn empty(source: &str) -> SynonymList {
        SynonymList {
            source: source.to_string(),
            groups: Vec::new(),
        }
    }

    /// Read a user file.
    pub fn load(path: &Path) -> Result<SynonymList, SynonymError> {
        let bytes = std::fs::read(path).map_err(|source| SynonymError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path.display().to_string();
        let text = String::from_utf8(bytes).map_err(|e| {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            SynonymError::Line {
                source_name: name.clone(),
                line: good.iter().filter(|&&b| b == b'\n').count() + 1,
                message: "not valid UTF-8; save the file as UTF-8".into(),
            }
        })?;
        Self::parse(&text, &name, true)
    }

    /// The list a search of `index_dir` uses without `--synonyms`: the folder's
    /// `synonyms.txt` when there is one, else the built-in list.
    pub fn for_index(index_dir: &Path) -> Result<SynonymList, SynonymError> {
        let path = index_dir.join(FILE_NAME);
        if path.is_file() {
            Self::load(&path)
        } else {
            Ok(Self::builtin())
        }
    }

    /// Parse the text of a list; `user` allows the [`INCLUDE_BUILTIN`] line.
    pub fn parse(text: &str, source: &str, user: bool) -> Result<SynonymList, SynonymError> {
        let mut groups = Vec::new();
        let err = |line: usize, message: String| SynonymError::Line {
            source_name: source.to_string(),
            line,
            message,
        };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line == INCLUDE_BUILTIN {
                if !user {
                    return Err(err(i + 1, "@builtin is only for user files".into()));
                }
                groups.extend(Self::builtin().groups);
                continue;
            }
            let mut group: Vec<String> = Vec::new();
            for entry in line.split(',') {
                let entry = entry.split_whitespace().collect::<Vec<_>>().join(" ");
                if entry.is_empty() {
                    return Err(err(
                        i + 1,
                        "an empty entry (two commas in a row, or one at an end); \
                         write words or phrases separated by commas"
                            .into(),
                    ));
                }
                if let Some(c) = entry.chars().find(|c| matches!(c, '"' | '*' | '=')) {
                    return Err(err(
                        i + 1,
                        format!("'{entry}': '{c}' is not allowed in an entry; write plain words"),
                    ));
                }
                if !entry.chars().any(char::is_alphanumeric) {
                    return Err(err(i + 1, format!("'{entry}' holds no word")));
                }
                if entry.chars().count() > MAX_ENTRY_CHARS {
                    return Err(err(
                        i + 1,
                        format!("an entry is longer than {MAX_ENTRY_CHARS} characters"),
                    ));
                }
                if !group
                    .iter()
                    .any(|e| e.to_lowercase() == entry.to_lowercase())
                {
                    group.push(entry);
                }
            }
            if group.len() < 2 {
                return Err(err(
                    i + 1,
                    format!(
                        "'{line}' is a group of one; write two or more equivalent words or \
                         phrases separated by commas (äldreboende, särskilt boende)"
                    ),
                ));
            }
            groups.push(group);
        }
        Ok(SynonymList {
            source: source.to_string(),
            groups,
        })
    }
}

/// One entry of a group, analysed: its text and its terms by position (as
/// [`Analyzer::term_groups`] gives them).
#[derive(Debug, Clone)]
pub struct Entry {
    pub text: String,
    pub terms: Vec<(usize, Vec<String>)>,
}

/// A synonym list and the committee names compiled for lookups by analysed terms.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Where the list came from (`built-in`, a path).
    pub source: String,
    groups: Vec<Vec<Entry>>,
    /// Key (the most normalised term at each position) -> groups holding it.
    by_key: HashMap<Vec<String>, Vec<usize>>,
    /// Key of a committee's name or abbreviation -> the abbreviation.
    committees: HashMap<Vec<String>, String>,
}

/// The lookup key of analysed terms: the last (most normalised) variant at each
/// position, the term a phrase uses.
pub fn key(terms: &[(usize, Vec<String>)]) -> Vec<String> {
    terms
        .iter()
        .filter_map(|(_, v)| v.last().cloned())
        .collect()
}

impl Vocabulary {
    /// Compile a list and the committee table ([`crate::model::COMMITTEE_NAMES`]) with
    /// the analyzer the index was built with.
    pub fn new(list: &SynonymList, analyzer: &Analyzer) -> Vocabulary {
        let mut v = Vocabulary {
            source: list.source.clone(),
            ..Vocabulary::default()
        };
        for group in &list.groups {
            let entries: Vec<Entry> = group
                .iter()
                .map(|text| Entry {
                    text: text.clone(),
                    terms: analyzer.term_groups(text),
                })
                .filter(|e| !e.terms.is_empty())
                .collect();
            if entries.len() < 2 {
                continue;
            }
            let id = v.groups.len();
            for e in &entries {
                let ids = v.by_key.entry(key(&e.terms)).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            v.groups.push(entries);
        }
        for (name, abbr) in crate::model::COMMITTEE_NAMES {
            if *abbr == crate::model::Committee::ALL_VALUE {
                continue;
            }
            for text in [*name, *abbr] {
                let k = key(&analyzer.term_groups(text));
                if !k.is_empty() {
                    v.committees.insert(k, abbr.to_string());
                }
            }
        }
        v
    }

    /// The other entries of every group that holds the analysed `terms`.
    pub fn synonyms(&self, terms: &[(usize, Vec<String>)]) -> Vec<&Entry> {
        let k = key(terms);
        let mut out: Vec<&Entry> = Vec::new();
        for &id in self.by_key.get(&k).map_or(&[][..], Vec::as_slice) {
            for e in &self.groups[id] {
                if key(&e.terms) != k && !out.iter().any(|o| o.text == e.text) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// The committee (abbreviation) that the analysed `terms` name, if any
    /// (`kommunstyrelsen`, `KS` -> `KS`).
    pub fn committee(&self, terms: &[(usize, Vec<String>)]) -> Option<&str> {
        self.committees.get(&key(terms)).map(String::as_str)
    }

    /// How many groups the vocabulary holds.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether it holds no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_parses_and_holds_the_domain_words() {
        let list = SynonymList::parse(BUILTIN, "built-in", false).unwrap();
        assert!(list.groups.len() >= 20, "{}", list.groups.len());
        let v = Vocabulary::new(&list, &Analyzer::new(Default::default()));
        let a = Analyzer::new(Default::default());
        let texts = |q: &str| -> Vec<String> {
            v.synonyms(&a.term_groups(q))
                .iter()
                .map(|e| e.text.clone())
                .collect()
        };
        assert!(texts("äldreboende").contains(&"särskilt boende".to_string()));
        // Inflected forms find the group.
        assert!(texts("äldreboenden").contains(&"särskilt boende".to_string()));
        assert!(texts("EU-valet").contains(&"Europaparlamentsvalet".to_string()));
        assert!(texts("va").contains(&"vatten och avlopp".to_string()));
        assert!(texts("vatten och avlopp").contains(&"VA".to_string()));
        assert!(texts("budget").is_empty());
        assert_eq!(v.committee(&a.term_groups("kommunstyrelsen")), Some("KS"));
        assert_eq!(v.committee(&a.term_groups("ks")), Some("KS"));
        assert_eq!(
            v.committee(&a.term_groups("barn- och utbildningsnämnden")),
            Some("BUN")
        );
        assert_eq!(v.committee(&a.term_groups("alla nämnder")), None);
        assert_eq!(v.committee(&a.term_groups("budget")), None);
    }

    #[test]
    fn bad_lines_are_errors_naming_the_line() {
        for (text, line, msg) in [
            ("a, b\nensam\n", 2, "group of one"),
            ("# c\n\na,, b\n", 3, "empty entry"),
            ("a, b,\n", 1, "empty entry"),
            ("\"a\", b\n", 1, "not allowed"),
            ("psyk*, b\n", 1, "not allowed"),
            ("a, !!!\n", 1, "holds no word"),
        ] {
            match SynonymList::parse(text, "my.txt", true) {
                Err(SynonymError::Line {
                    source_name,
                    line: l,
                    message,
                }) => {
                    assert_eq!((source_name.as_str(), l), ("my.txt", line), "{text}");
                    assert!(message.contains(msg), "{text}: {message}");
                }
                other => panic!("{text}: {other:?}"),
            }
        }
        // @builtin only in a user file.
        assert!(SynonymList::parse("@builtin\n", "x", false).is_err());
        let with = SynonymList::parse("@builtin\nfoo, bar\n", "x", true).unwrap();
        assert_eq!(with.groups.len(), SynonymList::builtin().groups.len() + 1);
    }

    #[test]
    fn a_user_file_is_read_and_its_errors_name_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, "skola, grundskola\n").unwrap();
        assert_eq!(SynonymList::for_index(dir.path()).unwrap().groups.len(), 1);
        std::fs::write(&p, b"a, b\n\xff\xfe, c\n").unwrap();
        let e = SynonymList::load(&p).unwrap_err().to_string();
        assert!(e.contains(&format!("{}:2:", p.display())), "{e}");
        assert!(e.contains("UTF-8"), "{e}");
        let other = tempfile::tempdir().unwrap();
        assert_eq!(
            SynonymList::for_index(other.path()).unwrap(),
            SynonymList::builtin()
        );
    }
}
