//! Human rendering of assignment threads: `history`, `search --group`, `search --by` (a
//! bar chart in unicode blocks) and `slipping`. [`HumanRender`]'s [`super::Render`]
//! methods for those commands call these; their JSON is in [`super::json`], their CSV in
//! [`super::csv`]. Like the rest of `output`, it writes to any `io::Write` and leaves
//! terminal decisions to the CLI.

use super::words;
use super::{mark, meta_line, HumanRender};
use crate::facet::Buckets;
use crate::history::{Grouped, Resolution, Slip, SlipOptions, Timeline, Trend};
use crate::model::Committee;
use std::io::{self, Write};

fn committee_list(c: &[Committee]) -> String {
    c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// Width of the longest bar, in terminal cells.
pub const BAR_WIDTH: usize = 40;

/// A horizontal bar of `count / max` of [`BAR_WIDTH`] cells in eighth-block steps; a
/// non-zero count shows at least one eighth.
pub fn bar(count: u64, max: u64) -> String {
    if max == 0 || count == 0 {
        return String::new();
    }
    let eighths = ((count as f64 / max as f64) * (BAR_WIDTH * 8) as f64).round() as usize;
    let eighths = eighths.max(1);
    let mut s = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    s.push_str(PARTS[eighths % 8]);
    s
}

impl HumanRender {
    fn timeline(&self, out: &mut dyn Write, t: &Timeline) -> io::Result<()> {
        writeln!(out, "{}", self.style.heading(&t.title))?;
        let mut meta = Vec::new();
        if let Some(m) = &t.municipality {
            meta.push(m.clone());
        }
        meta.push(format!("tråd {}", t.thread));
        let n = t.entries.len();
        meta.push(format!("{n} rapport{}", if n == 1 { "" } else { "er" }));
        writeln!(out, "{}", self.style.dim(&meta.join(" · ")))?;
        writeln!(out)?;
        let pw = t
            .entries
            .iter()
            .map(|e| words::period(e).chars().count())
            .max()
            .unwrap_or(0);
        let sw = t
            .entries
            .iter()
            .map(|e| words::state(e).chars().count())
            .max()
            .unwrap_or(0);
        let indent = " ".repeat(2 + pw + 2);
        for e in &t.entries {
            let committees = match &e.committees_changed_from {
                Some(from) => format!(
                    "{} -> {}",
                    committee_list(from),
                    committee_list(&e.committees)
                ),
                None => committee_list(&e.committees),
            };
            let line = format!(
                "  {:<pw$}  {:<sw$}  {committees}",
                words::period(e),
                words::state(e)
            );
            writeln!(out, "{}", line.trim_end())?;
            // Wordings other than the headline's (the newest report's).
            if crate::threads::normalize(&e.title) != crate::threads::normalize(&t.title) {
                writeln!(
                    out,
                    "{indent}{}",
                    self.style.dim(&format!("rubrik: \"{}\"", e.title))
                )?;
            }
            if let Some(c) = &e.comment {
                for l in super::wrap(c, self.text_width(indent.len())) {
                    writeln!(out, "{indent}{l}")?;
                }
            } else if let Some(s) = &e.section {
                writeln!(
                    out,
                    "{indent}{}",
                    self.style.dim(&format!("{s} ({})", e.file))
                )?;
            }
            if !e.also_in.is_empty() {
                let line = format!("också i {}", e.also_in.join(", "));
                writeln!(out, "{indent}{}", self.style.dim(&line))?;
            }
        }
        Ok(())
    }
}

/// The thread commands for people; [`super::Render`] for [`HumanRender`] calls these.
impl HumanRender {
    pub(super) fn no_history_text(&self, out: &mut dyn Write, arg: &str) -> io::Result<()> {
        writeln!(out, "Inga uppdrag matchar \"{arg}\".")?;
        writeln!(
            out,
            "{}",
            self.style.dim(&format!(
                "Sök bland alla dokument: rapportsok search \"{arg}\""
            ))
        )
    }

    pub(super) fn history_text(
        &self,
        out: &mut dyn Write,
        arg: &str,
        r: &Resolution,
    ) -> io::Result<()> {
        self.timeline(out, &r.timeline)?;
        if !r.candidates.is_empty() {
            writeln!(out)?;
            let head = match r.via {
                crate::history::Via::Document => "Dokumentets andra trådar:".to_string(),
                _ => format!("Andra trådar som matchar \"{arg}\":"),
            };
            writeln!(out, "{head}")?;
            for c in &r.candidates {
                writeln!(out, "  {}", c.title)?;
                writeln!(out, "    {}", self.style.dim(&words::one_line(c)))?;
                writeln!(
                    out,
                    "    {}",
                    self.style.dim(&format!("rapportsok history {}", c.thread))
                )?;
            }
        }
        Ok(())
    }

    pub(super) fn grouped_text(&self, out: &mut dyn Write, g: &Grouped) -> io::Result<()> {
        let r = &g.response;
        self.relaxed_notice(out, r)?;
        for (i, gr) in g.groups.iter().enumerate() {
            let h = &gr.hit;
            let d = &h.doc;
            let title = mark(&d.title, &h.title_highlights, self.style);
            writeln!(
                out,
                "{:>2}. {}",
                g.offset + i + 1,
                self.style.heading(&title)
            )?;
            writeln!(out, "    {}", self.style.dim(&meta_line(d)))?;
            for p in &h.passages {
                self.passage(out, p)?;
            }
            if let Some(t) = &gr.timeline {
                writeln!(out, "    historik: {}", words::one_line(t))?;
            } else {
                self.items(out, d, "    ")?;
            }
            let mut tail = format!("{}:{}  {}", d.file, d.line, d.id);
            if let Some(t) = &gr.timeline {
                tail.push_str(&format!("  tråd {}", t.thread));
                if gr.matches > 1 {
                    tail.push_str(&format!(" ({} träffar)", gr.matches));
                }
            }
            writeln!(out, "    {}", self.style.dim(&tail))?;
            writeln!(out)?;
        }
        let summary = format!(
            "{} tråd{} med {} träff{} ({})",
            g.groups_total,
            if g.groups_total == 1 { "" } else { "ar" },
            r.total,
            if r.total == 1 { "" } else { "ar" },
            super::shown_range(g.offset, g.groups.len(), g.groups_total)
        );
        self.footer(out, r, &summary)
    }

    pub(super) fn trend_text(&self, out: &mut dyn Write, t: &Trend) -> io::Result<()> {
        let spec = t.by.spec();
        let per = spec.label;
        let what = if t.query.trim().is_empty() {
            "Dokument".to_string()
        } else {
            format!("Träffar för \"{}\"", t.query)
        };
        writeln!(out, "{what} per {per}: {} dokument", t.total)?;
        if t.relaxed {
            writeln!(
                out,
                "{}",
                self.style
                    .dim("Inga dokument innehöll alla orden; räknar dokument med något av dem.")
            )?;
        }
        let label = spec.display;
        let labels: Vec<String> = t.buckets.iter().map(|(k, _)| label(k)).collect();
        let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let max = t.buckets.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let nw = max.to_string().len();
        for ((_, n), l) in t.buckets.iter().zip(&labels) {
            let line = format!("  {l:<lw$} {n:>nw$} {}", bar(*n, max));
            writeln!(out, "{}", line.trim_end())?;
        }
        if let Some(w) = t.without.filter(|&w| w > 0) {
            let none = spec.by.map_or("utan värde", |(_, none)| none);
            writeln!(out, "  {}", self.style.dim(&format!("{none}: {w}")))?;
        }
        // Only a facet with several values per document (committees, counted as bits)
        // counts a document more than once.
        let multi = matches!(spec.counting, crate::facet::Counting::Bits { .. });
        if multi && matches!(spec.by, Some((Buckets::ByCount, _))) && !t.buckets.is_empty() {
            writeln!(
                out,
                "  {}",
                self.style
                    .dim("ett dokument med flera nämnder räknas en gång per nämnd")
            )?;
        }
        Ok(())
    }

    pub(super) fn slipping_text(
        &self,
        out: &mut dyn Write,
        opts: &SlipOptions,
        s: &[Slip],
    ) -> io::Result<()> {
        for (i, sl) in s.iter().enumerate() {
            let t = &sl.timeline;
            writeln!(
                out,
                "{:>2}. {} ({})",
                i + 1,
                self.style.heading(&t.title),
                committee_list(&sl.latest.committees)
            )?;
            let mut meta = Vec::new();
            if let Some(m) = &t.municipality {
                meta.push(m.clone());
            }
            meta.push(format!("{} rapporter utan att bli genomfört", sl.slipped));
            meta.push(format!(
                "senast {} {}",
                words::period(&sl.latest),
                words::state(&sl.latest)
            ));
            writeln!(out, "    {}", self.style.dim(&meta.join(" · ")))?;
            writeln!(out, "    {}", words::one_line(t))?;
            if let Some(c) = &sl.latest.comment {
                writeln!(out, "    {}", c)?;
            }
            writeln!(out, "    {}", self.style.dim(&format!("tråd {}", t.thread)))?;
            writeln!(out)?;
        }
        let since = opts
            .since
            .map(|y| format!(" sedan {y}"))
            .unwrap_or_default();
        if s.is_empty() {
            writeln!(out, "Inga uppdrag som glider{since}.")?;
        } else {
            writeln!(
                out,
                "{} uppdrag som glider{since}: senaste status ej genomfört, och ej genomfört eller bedömt genomfört i en tidigare rapport",
                s.len()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_bucket() {
        assert_eq!(bar(0, 5), "");
        assert_eq!(bar(5, 5).chars().count(), BAR_WIDTH);
        assert!(bar(5, 5).chars().all(|c| c == '█'));
        // Half of 40 cells.
        assert_eq!(bar(1, 2), "█".repeat(20));
        // 1/3 of 320 eighths = 106.67 -> 107 = 13 full cells and 3/8.
        assert_eq!(bar(1, 3), format!("{}▍", "█".repeat(13)));
        // Tiny but non-zero counts stay visible.
        assert_eq!(bar(1, 10_000), "▏");
    }
}
