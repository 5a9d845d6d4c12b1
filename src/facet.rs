//! Facets as data: the one table ([`FACETS`]) of the values a search can filter on and
//! count by (year, tertial, committee, status, municipality, kind, unit). Each row says what
//! the facet is called (JSON key, filter key and its other names, Swedish label), which
//! index field holds it, how a typed filter value is parsed, how a value is shown to
//! people, how the facet is counted over all matches (packed into the per-document facet
//! code, or read from a string fast column), and what `--by` does with it.
//!
//! Filters ([`crate::searcher::Filters`]), facet counts ([`crate::searcher::facets`]),
//! the JSON `facets` object, the human facet lines, `--by` and the CSV facet columns all
//! read this table; none of them names a facet's field or label itself. This module
//! knows the model and the schema's field names, nothing of tantivy or the output.

use crate::model::{self, Committee, Document, Kind, Status, Tertial};
use crate::schema::{self, FacetCode, FacetDictionary};

/// A facet, in the table's order (the order of the JSON `facets` object and of the
/// human facet lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    Year,
    Tertial,
    Committee,
    Status,
    Municipality,
    Kind,
    Unit,
}

/// How a filter on a facet matches.
#[derive(Debug, Clone, Copy)]
pub enum FilterRule {
    /// An inclusive range of years on a numeric field (`2021..2023`).
    YearRange,
    /// Any of the typed values, each parsed to its indexed term; `also` is a term that
    /// every filter on the facet matches as well (`alla`: assignments to all committees).
    Terms {
        parse: fn(&str) -> Result<String, String>,
        also: Option<&'static str>,
    },
}

/// How a facet is counted over all matches (in the hot path of every search: no
/// stored document is read).
#[derive(Debug, Clone, Copy)]
pub enum Counting {
    /// A small number packed into the facet code ([`FacetCode`]) at `shift`, `bits`
    /// wide; `decode` turns it into the value (`None`: the document has none).
    Packed {
        shift: u32,
        bits: u32,
        decode: fn(u64) -> Option<String>,
    },
    /// One bit per value of `known` in the facet code from `shift` on, and the bit
    /// `other` for a value outside `known` (then the field's string column is read).
    Bits {
        shift: u32,
        known: &'static [&'static str],
        other: u64,
    },
    /// A number packed into the facet code at `shift` ([`FacetCode::NUMBER_BITS`]
    /// wide): the value's place in the generation's [`crate::schema::FacetDictionary`]
    /// list that `list` picks. A value the dictionary lacks, and every value in an
    /// index without a dictionary, is read from the field's string fast column.
    Numbered {
        shift: u32,
        list: fn(&FacetDictionary) -> &[String],
    },
}

/// What `--by` draws for a facet.
#[derive(Debug, Clone, Copy)]
pub enum Buckets {
    /// Every year of the index from the first to the last (within the year filter),
    /// zeros included.
    YearSpan,
    /// Every value of the domain in this order, zeros included.
    Domain(fn() -> Vec<&'static str>),
    /// The values found, the most frequent first (a document with several values counts
    /// once for each, so there is no "without" count).
    ByCount,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct FacetSpec {
    pub facet: Facet,
    /// The JSON key, the filter key (`year=2022`, `--year`) and the name `--by` takes.
    pub key: &'static str,
    /// Other names of the filter key and of `--by`, written folded (see
    /// [`model::fold_slug`]): `ar` stands for `år`.
    pub aliases: &'static [&'static str],
    /// Swedish label of the human facet lines and of `--by` (`år`, `nämnd`).
    pub label: &'static str,
    /// The index field ([`schema`]).
    pub field: &'static str,
    pub filter: FilterRule,
    /// A filter value must be one the index holds (the error lists those it holds);
    /// `fold`: a typed value also finds the indexed one that folds to the same slug
    /// ("Östersund" finds `ostersund`).
    pub check_in_index: Option<Fold>,
    /// How a value is shown to people (the status slug as its Swedish label).
    pub display: fn(&str) -> String,
    pub counting: Counting,
    /// Human facet lines: sorted by value (else by count, the largest first).
    pub sort_by_value: bool,
    /// Shown under search results (all facets are shown by `stats`).
    pub in_search: bool,
    /// `--by`: what it draws, and the label of the matches without a value.
    pub by: Option<(Buckets, &'static str)>,
    /// The facet's CSV columns (name, value of a document), in [`CSV_ORDER`].
    pub csv: &'static [CsvColumn],
    /// The filter flag of `search` (`--year`, `--committee`): named by `key`.
    pub flag: Flag,
}

/// A facet's filter flag on the command line (the CLI builds the flag from this; the
/// library never sees a flag).
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    /// A one-letter short form (`-y`).
    pub short: Option<char>,
    /// Other names, shown in `--help` (`--år`, `--nämnd`).
    pub aliases: &'static [&'static str],
    /// The value's name in `--help` (`YEAR[..YEAR]`, `COMMITTEE`).
    pub value_name: &'static str,
    /// The `--help` text.
    pub help: &'static str,
}

/// A CSV column: its name and a document's value.
pub type CsvColumn = (&'static str, fn(&Document) -> String);

/// How a filter value is compared with the index's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// As parsed.
    Exact,
    /// Case and å/ä/ö folded ([`model::fold_slug`]).
    Slug,
}

fn same(s: &str) -> String {
    s.to_string()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// The table. Adding a facet: extract it in the parser (a field of
/// [`Document`]), index it (a field in [`schema`]), and add a row here.
pub const FACETS: [FacetSpec; 7] = [
    FacetSpec {
        facet: Facet::Year,
        key: "year",
        aliases: &["ar", "years"],
        label: "år",
        field: schema::YEAR,
        filter: FilterRule::YearRange,
        check_in_index: None,
        display: same,
        counting: Counting::Packed {
            shift: 0,
            bits: 8,
            decode: |v| FacetCode::year(v).map(|y| y.to_string()),
        },
        sort_by_value: true,
        in_search: true,
        by: Some((Buckets::YearSpan, "utan år")),
        csv: &[("year", |d| opt(d.year))],
        flag: Flag {
            short: Some('y'),
            aliases: &["år"],
            value_name: "YEAR[..YEAR]",
            help: "Year or inclusive range: 2022, 2021..2023 (or 2021-2023), 2021.. or ..2023",
        },
    },
    FacetSpec {
        facet: Facet::Tertial,
        key: "tertial",
        aliases: &[],
        label: "tertial",
        field: schema::TERTIAL,
        filter: FilterRule::Terms {
            parse: |s| {
                Tertial::parse(s)
                    .map(|t| t.as_str().to_string())
                    .ok_or_else(|| format!("'{s}' is not a tertial; use T1, T2 or T3"))
            },
            also: None,
        },
        check_in_index: None,
        display: same,
        counting: Counting::Packed {
            shift: 8,
            bits: 2,
            decode: |v| FacetCode::tertial(v << 8).map(|t| t.as_str().to_string()),
        },
        sort_by_value: true,
        in_search: false,
        by: Some((
            Buckets::Domain(|| Tertial::ALL.map(Tertial::as_str).to_vec()),
            "utan tertial (målsidor, text)",
        )),
        csv: &[("tertial", |d| opt(d.tertial))],
        flag: Flag {
            short: None,
            aliases: &[],
            value_name: "TERTIAL",
            help: "Tertial T1, T2 or T3 (repeatable)",
        },
    },
    FacetSpec {
        facet: Facet::Committee,
        key: "committee",
        aliases: &["namnd", "committees"],
        label: "nämnd",
        field: schema::COMMITTEES,
        filter: FilterRule::Terms {
            parse: |s| {
                Committee::new(s)
                    .map(|c| c.as_str().to_string())
                    .ok_or_else(|| "empty committee; use e.g. KS or BUN".to_string())
            },
            also: Some(Committee::ALL_VALUE),
        },
        check_in_index: Some(Fold::Exact),
        display: same,
        counting: Counting::Bits {
            shift: FacetCode::COMMITTEE_SHIFT,
            known: &FacetCode::COMMITTEES,
            other: FacetCode::OTHER_COMMITTEE,
        },
        sort_by_value: false,
        in_search: true,
        by: Some((Buckets::ByCount, "utan nämnd")),
        csv: &[("committees", |d| {
            d.committees
                .iter()
                .map(Committee::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })],
        flag: Flag {
            short: None,
            aliases: &["nämnd", "namnd"],
            value_name: "COMMITTEE",
            help: "Committee, e.g. KS or BUN (repeatable; also matches assignments to all \
                   committees)",
        },
    },
    FacetSpec {
        facet: Facet::Status,
        key: "status",
        aliases: &[],
        label: "status",
        field: schema::STATUS,
        filter: FilterRule::Terms {
            parse: |s| {
                Status::parse(s)
                    .map(|s| s.as_str().to_string())
                    .ok_or_else(|| {
                        format!(
                            "'{s}' is not a status; use one of {} (or the Swedish labels: {})",
                            Status::ALL.map(|s| s.as_str()).join(", "),
                            Status::ALL.map(|s| format!("\"{}\"", s.label())).join(", ")
                        )
                    })
            },
            also: None,
        },
        check_in_index: None,
        display: |v| Status::parse(v).map_or(v.to_string(), |s| s.label().to_string()),
        counting: Counting::Packed {
            shift: 10,
            bits: 3,
            decode: |v| FacetCode::status(v << 10).map(|s| s.as_str().to_string()),
        },
        sort_by_value: false,
        in_search: true,
        by: Some((
            Buckets::Domain(|| Status::ALL.map(Status::as_str).to_vec()),
            "utan status (målsidor, text)",
        )),
        csv: &[
            ("status", |d| opt(d.status.map(Status::label))),
            ("status_code", |d| opt(d.status.map(Status::as_str))),
        ],
        flag: Flag {
            short: None,
            aliases: &[],
            value_name: "STATUS",
            help: "Status: genomfort, ej_genomfort, bedoms_genomforas, bedoms_ej_genomforas, \
                   delvis_genomfort, or Swedish wording (repeatable)",
        },
    },
    FacetSpec {
        facet: Facet::Municipality,
        key: "municipality",
        aliases: &["kommun"],
        label: "kommun",
        field: schema::MUNICIPALITY,
        filter: FilterRule::Terms {
            parse: |s| {
                let m = s.trim().to_lowercase();
                if m.is_empty() {
                    Err("empty municipality; use e.g. ostersund".to_string())
                } else {
                    Ok(m)
                }
            },
            also: None,
        },
        check_in_index: Some(Fold::Slug),
        display: same,
        counting: Counting::Numbered {
            shift: FacetCode::MUNICIPALITY_SHIFT,
            list: |d| &d.municipalities,
        },
        sort_by_value: false,
        in_search: false,
        by: None,
        csv: &[("municipality", |d| opt(d.municipality.as_deref()))],
        flag: Flag {
            short: None,
            aliases: &["kommun"],
            value_name: "MUNICIPALITY",
            help: "Municipality (first folder below the corpus root), e.g. ostersund \
                   (repeatable)",
        },
    },
    FacetSpec {
        facet: Facet::Kind,
        key: "kind",
        aliases: &["typ"],
        label: "typ",
        field: schema::KIND,
        filter: FilterRule::Terms {
            parse: |s| {
                Kind::parse(s)
                    .map(|k| k.as_str().to_string())
                    .ok_or_else(|| format!("'{s}' is not a kind; use uppdrag, mal or text"))
            },
            also: None,
        },
        check_in_index: None,
        display: same,
        counting: Counting::Packed {
            shift: 13,
            bits: 2,
            decode: |v| Kind::ALL.get(v as usize).map(|k| k.as_str().to_string()),
        },
        sort_by_value: false,
        in_search: false,
        by: None,
        csv: &[("kind", |d| d.kind.as_str().to_string())],
        flag: Flag {
            short: None,
            aliases: &[],
            value_name: "KIND",
            help: "Kind: uppdrag, mal or text (repeatable)",
        },
    },
    FacetSpec {
        facet: Facet::Unit,
        key: "unit",
        aliases: &["enhet", "units"],
        label: "enhet",
        field: schema::UNIT_NAME,
        filter: FilterRule::Terms {
            parse: |s| {
                let u = s.trim();
                if u.is_empty() {
                    Err("empty unit; use e.g. Bibliotek".to_string())
                } else {
                    Ok(u.to_string())
                }
            },
            also: None,
        },
        check_in_index: Some(Fold::Slug),
        display: same,
        counting: Counting::Numbered {
            shift: FacetCode::UNIT_SHIFT,
            list: |d| &d.units,
        },
        sort_by_value: false,
        in_search: true,
        by: Some((Buckets::ByCount, "utan enhet")),
        // The `unit` column comes last in CSV (see `output::csv::TEXT_COLUMNS`), so that
        // the columns before it kept their positions.
        csv: &[],
        flag: Flag {
            short: None,
            aliases: &["enhet"],
            value_name: "UNIT",
            help: "Responsible unit (enhet, verksamhet), e.g. Bibliotek (repeatable; case and \
                   å/ä/ö need not match)",
        },
    },
];

/// The order of the facets' columns in CSV (after `id`). The unit has no column here:
/// its `unit` column comes last (`output::csv::TEXT_COLUMNS`), after the columns it was
/// added behind, so that their positions stayed.
pub const CSV_ORDER: [Facet; 7] = [
    Facet::Kind,
    Facet::Municipality,
    Facet::Year,
    Facet::Tertial,
    Facet::Committee,
    Facet::Status,
    Facet::Unit,
];

impl Facet {
    /// Every facet, in the table's order.
    pub fn all() -> impl Iterator<Item = Facet> {
        FACETS.iter().map(|s| s.facet)
    }

    /// The facet's row of [`FACETS`].
    pub fn spec(self) -> &'static FacetSpec {
        &FACETS[self as usize]
    }

    /// The facet a filter key or `--by` name stands for: its key or one of its other
    /// names, in any case and with or without å/ä/ö (`år`, `Nämnd`, `kommun`).
    pub fn parse(name: &str) -> Option<Facet> {
        let folded = model::fold_slug(name);
        FACETS
            .iter()
            .find(|s| s.key == folded || s.aliases.contains(&folded.as_str()))
            .map(|s| s.facet)
    }

    /// The facets `--by` counts by.
    pub fn by_names() -> Vec<&'static str> {
        FACETS
            .iter()
            .filter(|s| s.by.is_some())
            .map(|s| s.key)
            .collect()
    }

    pub fn key(self) -> &'static str {
        self.spec().key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_enum_order_with_distinct_names() {
        let mut names = Vec::new();
        for (i, s) in FACETS.iter().enumerate() {
            assert_eq!(s.facet as usize, i, "{}", s.key);
            assert_eq!(Facet::parse(s.key), Some(s.facet));
            assert_eq!(Facet::parse(s.label), Some(s.facet), "{}", s.label);
            for a in s.aliases {
                assert_eq!(&model::fold_slug(a), a, "aliases are written folded");
                assert_eq!(Facet::parse(a), Some(s.facet));
            }
            names.push(s.key);
            names.extend(s.aliases);
        }
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n, "a name stands for one facet");
        let mut csv = CSV_ORDER.to_vec();
        csv.sort();
        assert_eq!(
            csv,
            Facet::all().collect::<Vec<_>>(),
            "CSV lists each facet once"
        );
    }

    /// The packed codes decode to what the document holds, through the table.
    #[test]
    fn packed_counting_decodes_the_facet_code() {
        let d = Document {
            year: Some(2023),
            tertial: Some(Tertial::T2),
            status: Some(Status::DelvisGenomfort),
            ..Document::new("a#1", Kind::Mal)
        };
        let code = FacetCode::encode(&d);
        let decoded: Vec<(&str, Option<String>)> = FACETS
            .iter()
            .filter_map(|s| match s.counting {
                Counting::Packed {
                    shift,
                    bits,
                    decode,
                } => Some((s.key, decode((code >> shift) & ((1 << bits) - 1)))),
                _ => None,
            })
            .collect();
        let want = [
            ("year", Some("2023")),
            ("tertial", Some("T2")),
            ("status", Some("delvis_genomfort")),
            ("kind", Some("mal")),
        ];
        assert_eq!(
            decoded,
            want.map(|(k, v)| (k, v.map(str::to_string))).to_vec()
        );
    }

    #[test]
    fn display_and_by_names() {
        assert_eq!(
            (Facet::Status.spec().display)("ej_genomfort"),
            "inte genomfört"
        );
        assert_eq!((Facet::Year.spec().display)("2022"), "2022");
        assert_eq!(
            Facet::by_names(),
            ["year", "tertial", "committee", "status", "unit"]
        );
        assert_eq!(Facet::parse("månad"), None);
    }
}
