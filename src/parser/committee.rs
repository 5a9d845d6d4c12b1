//! Committee groups: the parenthesised committee list at the end of an assignment title
//! ("... (VON, BUN, SAN, KFN)") and a committee written as a line of its own before a
//! title ("(Kommunstyrelsen) ."). Names are normalised with [`Committee::new`], which
//! holds the one table of full names and abbreviations.

use crate::model::Committee;
use std::collections::HashSet;

/// Split a committee list ("VON, BUN" or "Alla nämnder") on commas and semicolons into
/// normalised committees, dropping empty parts and duplicates (first occurrence wins).
pub fn parse_list(inner: &str) -> Vec<Committee> {
    let mut out = Vec::new();
    merge(&mut out, inner.split([',', ';']).filter_map(Committee::new));
    out
}

/// Add `more` to `into`, skipping committees already present (linear time).
pub fn merge(into: &mut Vec<Committee>, more: impl IntoIterator<Item = Committee>) {
    let mut seen: HashSet<Committee> = into.iter().cloned().collect();
    for c in more {
        if seen.insert(c.clone()) {
            into.push(c);
        }
    }
}

/// Split the trailing committee group off a title.
///
/// Only the last parenthesised group at the very end counts (a final `.` after it is
/// ignored); groups earlier in the title ("lagen (2009:724) om ...") stay. A final group
/// containing a digit is not a committee list ("(2009:724)") and stays in the title.
/// Returns the title without the group (trimmed; a "?" before the group is kept) and the
/// committees (empty when there was no group).
pub fn split_title(title: &str) -> (String, Vec<Committee>) {
    let t = title.trim();
    let core = {
        let stripped = t.trim_end_matches(['.', ' ']);
        if stripped.ends_with(')') {
            stripped
        } else {
            t
        }
    };
    if !core.ends_with(')') {
        return (t.to_string(), Vec::new());
    }
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in core.char_indices().rev() {
        if c == ')' {
            depth += 1;
        } else if c == '(' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                open = Some(i);
                break;
            }
        }
    }
    let Some(open) = open else {
        return (t.to_string(), Vec::new());
    };
    // `(` and `)` are one byte each, so these bounds are char boundaries.
    let inner = core.get(open + 1..core.len() - 1).unwrap_or("");
    let before = core.get(..open).unwrap_or("").trim_end();
    if before.is_empty() || inner.chars().any(|c| c.is_ascii_digit()) {
        return (t.to_string(), Vec::new());
    }
    (before.to_string(), parse_list(inner))
}

/// Whether one part of a committee line plausibly names a committee on its own (without
/// the tell-tale final period): a known full name, a word like "nämnd"/"styrelse", or a
/// short upper-case abbreviation ("KS", "ÖFN").
fn plausible_committee(part: &str) -> bool {
    let p = part.trim();
    if p.is_empty() {
        return false;
    }
    let lower = p.to_lowercase();
    Committee::is_known_full_name(p)
        || lower.contains("nämnd")
        || lower.contains("styrelse")
        || lower.contains("fullmäktige")
        || (p.chars().count() <= 6 && p.chars().all(|c| c.is_uppercase()))
}

/// A committee written as a line of its own: `(Kommunstyrelsen) .`, `(Tekniska nämnden)`,
/// `(KS, SAN).`. The whole line must be one parenthesised group without digits or inner
/// parentheses, of at most eight words, optionally followed by a period. With the period
/// any name is accepted (kept as written when unknown); without it every part must look
/// like a committee (`plausible_committee`). Returns the committees and whether the
/// line ended in a period.
pub fn committee_line(line: &str) -> Option<(Vec<Committee>, bool)> {
    let t = line.trim();
    let (core, dotted) = match t.strip_suffix('.') {
        Some(s) => (s.trim_end(), true),
        None => (t, false),
    };
    if core.len() < 2 || !core.starts_with('(') || !core.ends_with(')') {
        return None;
    }
    let inner = core.get(1..core.len() - 1)?;
    if inner.contains(['(', ')']) || inner.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let words = inner.split_whitespace().count();
    if words == 0 || words > 8 {
        return None;
    }
    if !dotted && !inner.split([',', ';']).all(plausible_committee) {
        return None;
    }
    let list = parse_list(inner);
    if list.is_empty() {
        None
    } else {
        Some((list, dotted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cs: &[Committee]) -> Vec<&str> {
        cs.iter().map(Committee::as_str).collect()
    }

    #[test]
    fn split_title_table() {
        for (title, want_title, want) in [
            (
                "Genomför digitaliseringsprojektet (KS)",
                "Genomför digitaliseringsprojektet",
                vec!["KS"],
            ),
            (
                "Utred hur en klimatbudget ska utformas? (KS)",
                "Utred hur en klimatbudget ska utformas?",
                vec!["KS"],
            ),
            (
                "Arbeta mot psykisk ohälsa (VON, BUN, SAN, KFN)",
                "Arbeta mot psykisk ohälsa",
                vec!["VON", "BUN", "SAN", "KFN"],
            ),
            (
                "Förebygg suicid (Alla nämnder)",
                "Förebygg suicid",
                vec!["alla"],
            ),
            (
                "lagen (2009:724) om nationella minoriteter (KS)",
                "lagen (2009:724) om nationella minoriteter",
                vec!["KS"],
            ),
            ("lagen (2009:724)", "lagen (2009:724)", vec![]),
            ("Titel utan nämnd", "Titel utan nämnd", vec![]),
            ("Titel (Tekniska nämnden) .", "Titel", vec!["TN"]),
            ("Titel (KS, KS)", "Titel", vec!["KS"]),
            ("Titel ()", "Titel", vec![]),
            ("(KS)", "(KS)", vec![]),
            ("Obalanserad )", "Obalanserad )", vec![]),
            ("", "", vec![]),
        ] {
            let (t, cs) = split_title(title);
            assert_eq!((t.as_str(), names(&cs)), (want_title, want), "{title}");
        }
    }

    #[test]
    fn committee_lines() {
        for (line, want) in [
            ("(Kommunstyrelsen) .", Some((vec!["KS"], true))),
            ("(Tekniska nämnden).", Some((vec!["TN"], true))),
            ("(Tekniska  nämnden)", Some((vec!["TN"], false))),
            ("(KS, SAN)", Some((vec!["KS", "SAN"], false))),
            (
                "(Region Jämtland Härjedalen) .",
                Some((vec!["Region Jämtland Härjedalen"], true)),
            ),
            ("(se bilaga)", None),
            ("(2009:724) .", None),
            ("() .", None),
            ("(", None),
            (".", None),
            ("Titel (KS)", None),
            ("(ett två tre fyra fem sex sju åtta nio) .", None),
        ] {
            let got = committee_line(line);
            let got = got.as_ref().map(|(cs, d)| (names(cs), *d));
            assert_eq!(got, want, "{line}");
        }
    }
}
