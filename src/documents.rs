//! The documents a build makes from checked data: the validation report, one bulletin per
//! month (第N期 by month within the year) and one summary per quarter. Each comes with its
//! figures (JSON) and its Typst sources, ready to typeset; nothing here touches the disk.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use crate::aggregate::{self, quarter::Quarter};
use crate::error::Result;
use crate::period::Period;
use crate::render::{self, bulletin, Engine, Prepared};
use crate::submission::Report;
use crate::{report, Checked};

/// One document: where it goes under the output folder, its sources and its other outputs
/// (a bulletin also writes the month's `汇总表.xlsx`).
#[derive(Debug, Clone)]
pub struct Document {
    /// The output path without extension, `/`-separated: `2018-03/工作简报`.
    pub id: String,
    pub title: String,
    pub prepared: Prepared,
    /// Files written beside the PDF (`<id>.json`, `数据校验报告.txt`), by path under `out/`.
    pub files: Vec<(String, Vec<u8>)>,
}

/// How documents are made: draft or official, and for a correction, what they correct.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    pub draft: bool,
    /// Override the document date (a publication date), else the period's last day.
    pub date: Option<(u16, u8, u8)>,
    pub corrects: Option<u32>,
}

/// The validation report, as PDF and text.
pub fn validation_report(engine: &Engine, c: &Checked) -> Document {
    let span = c.reports.iter().map(|r| r.period).min().zip(c.reports.iter().map(|r| r.period).max());
    let prepared = render::report::prepare(engine, &c.diagnostics, c.files_read, span);
    let text = report::text(&c.diagnostics, c.files_read).into_bytes();
    Document { id: "数据校验报告".into(), title: "数据校验报告".into(), prepared, files: vec![("数据校验报告.txt".into(), text)] }
}

/// The months with reports, each with its bulletin number within the year (第N期).
pub fn months(reports: &[Report]) -> Vec<(Period, u32)> {
    let all: BTreeSet<Period> = reports.iter().map(|r| r.period).collect();
    let mut numbered = Vec::new();
    let mut count: BTreeMap<u16, u32> = BTreeMap::new();
    for p in all {
        let n = count.entry(p.year).or_default();
        *n += 1;
        numbered.push((p, *n));
    }
    numbered
}

/// The quarters with reports, each with its last month that has a report.
pub fn quarters(reports: &[Report]) -> Vec<(Quarter, Period)> {
    let mut out: BTreeMap<Quarter, Period> = BTreeMap::new();
    for r in reports {
        let last = out.entry(Quarter::of(r.period)).or_insert(r.period);
        *last = (*last).max(r.period);
    }
    out.into_iter().collect()
}

/// The bulletin of `period`, numbered `issue`.
pub fn bulletin(engine: &Engine, c: &Checked, period: Period, issue: u32, s: Settings) -> Result<Document> {
    let figures = aggregate::month(&c.plan, &c.reports, period, &unverified(c, s));
    let date = s.date.unwrap_or((period.year, period.month, period.last_day()));
    let meta = bulletin::Meta { issue, date, draft: s.draft, corrects: s.corrects };
    let prepared = bulletin::prepare(engine, &c.config, &figures, &meta)?;
    let data = json!({
        "document": "工作简报",
        "title": meta.title(&figures),
        "issue": issue,
        "date": render::format::date(date.0, date.1, date.2),
        "draft": s.draft,
        "corrects": s.corrects,
        "figures": figures,
    });
    let mut doc = with_json(format!("{period}/工作简报"), meta.title(&figures), prepared, &data);
    doc.files.push((format!("{period}/汇总表.xlsx"), crate::excel::month(&figures)?));
    Ok(doc)
}

/// The summary of quarter `q`, with figures up to `as_of`.
pub fn summary(engine: &Engine, c: &Checked, q: Quarter, as_of: Period, s: Settings) -> Result<Document> {
    let figures = aggregate::quarter::quarter(&c.plan, &c.reports, q, as_of, &c.diagnostics, &unverified(c, s));
    let date = s.date.unwrap_or((as_of.year, as_of.month, as_of.last_day()));
    let prepared = render::summary::prepare(engine, &c.config, &figures, date, s.draft, s.corrects)?;
    let data = json!({
        "document": "季度汇总",
        "title": render::summary::title(&figures),
        "date": render::format::date(date.0, date.1, date.2),
        "draft": s.draft,
        "corrects": s.corrects,
        "figures": figures,
    });
    Ok(with_json(format!("{q}/季度汇总"), render::summary::title(&figures), prepared, &data))
}

/// Files whose townships are 数据待核: in a draft, those with errors (an official build has none).
fn unverified(c: &Checked, s: Settings) -> BTreeSet<String> {
    if s.draft {
        c.files_with_errors()
    } else {
        BTreeSet::new()
    }
}

fn with_json(id: String, title: String, prepared: Prepared, data: &serde_json::Value) -> Document {
    let json = serde_json::to_vec_pretty(data).expect("serialisable");
    Document { files: vec![(format!("{id}.json"), json)], id, title, prepared }
}

/// Every document of a build: the report, then (unless the data has errors and this is not a
/// draft) the bulletins and summaries, of one month (and the summary standing at it) or of all.
pub fn all(engine: &Engine, c: &Checked, only: Option<Period>, draft: bool) -> Result<Vec<Document>> {
    let mut docs = vec![validation_report(engine, c)];
    if c.has_errors() && !draft {
        return Ok(docs);
    }
    let s = Settings { draft, ..Settings::default() };
    for (period, issue) in months(&c.reports) {
        if only.is_none_or(|o| o == period) {
            docs.push(bulletin(engine, c, period, issue, s)?);
        }
    }
    // With one period, its quarter's summary only if the quarter stands at that month: the
    // summary is the same document whichever command makes it.
    for (q, as_of) in quarters(&c.reports) {
        if only.is_none_or(|p| p == as_of) {
            docs.push(summary(engine, c, q, as_of, s)?);
        }
    }
    Ok(docs)
}
