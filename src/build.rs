//! The build: check, then aggregate and typeset every document, and write them atomically.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Result;
use crate::period::Period;
use crate::render::{self, bulletin};
use crate::submission::Report;
use crate::{aggregate, check_with, output, report, Checked, Options};

/// What a build wrote.
#[derive(Debug)]
pub struct Built {
    pub checked: Checked,
    pub written: Vec<PathBuf>,
}

/// The typesetting engine for a run: fonts (bundled, plus installed ones if asked for) and templates.
pub(crate) fn engine(opts: &Options, config: &Config) -> Result<render::Engine> {
    let system = opts.system_fonts || config.fonts.system;
    render::Engine::with_fonts(&opts.fonts, &opts.templates, &config.fonts, system)
}

/// The whole pipeline: check, then (unless data errors stop it, or `draft` is set) aggregate
/// and typeset each month's bulletin and each quarter's summary. The validation report, as
/// text and PDF, is written on every build.
pub fn build(opts: &Options) -> Result<Built> {
    let config = Config::load(&opts.data.join("config.yaml"))?;
    let engine = engine(opts, &config)?;
    let checked = check_with(opts, config, &engine)?;
    let mut written = Vec::new();
    let report_path = opts.out.join("数据校验报告.txt");
    output::write_atomic(&report_path, report::text(&checked.diagnostics, checked.files_read).as_bytes())?;
    written.push(report_path);
    let span = checked.reports.iter().map(|r| r.period).min().zip(checked.reports.iter().map(|r| r.period).max());
    let report_pdf = opts.out.join("数据校验报告.pdf");
    output::write_atomic(&report_pdf, &render::report::render(&engine, &checked.diagnostics, checked.files_read, span)?)?;
    written.push(report_pdf);
    if checked.has_errors() && !opts.draft {
        return Ok(Built { checked, written });
    }
    // Only a draft gets here with errors: the townships of those files are 数据待核.
    let unverified = checked.files_with_errors();
    for (period, issue) in periods(&checked.reports, opts.period) {
        written.extend(build_bulletin(&engine, &checked, &unverified, period, issue, opts)?);
    }
    for (quarter, as_of) in quarters(&checked.reports, opts.period) {
        written.extend(build_summary(&engine, &checked, &unverified, quarter, as_of, opts)?);
    }
    // Typst memoises across compilations; keep only recent entries so that repeated builds in
    // one process (tests, a future watch mode) do not grow without bound.
    comemo::evict(4);
    Ok(Built { checked, written })
}

/// The months to build with their bulletin number within the year (第N期).
fn periods(reports: &[Report], only: Option<Period>) -> Vec<(Period, u32)> {
    let mut all: Vec<Period> = reports.iter().map(|r| r.period).collect();
    all.sort();
    all.dedup();
    let mut out = Vec::new();
    for (i, p) in all.iter().enumerate() {
        let issue = all[..i].iter().filter(|q| q.year == p.year).count() as u32 + 1;
        if only.is_none_or(|o| o == *p) {
            out.push((*p, issue));
        }
    }
    out
}

/// The quarters to summarise, each with its last month that has a report.
fn quarters(reports: &[Report], only: Option<Period>) -> Vec<(aggregate::quarter::Quarter, Period)> {
    let mut out: std::collections::BTreeMap<aggregate::quarter::Quarter, Period> = Default::default();
    for r in reports {
        let q = aggregate::quarter::Quarter::of(r.period);
        let last = out.entry(q).or_insert(r.period);
        *last = (*last).max(r.period);
    }
    out.into_iter().filter(|(q, _)| only.is_none_or(|p| aggregate::quarter::Quarter::of(p) == *q)).collect()
}

fn build_summary(
    engine: &render::Engine,
    c: &Checked,
    unverified: &BTreeSet<String>,
    q: aggregate::quarter::Quarter,
    as_of: Period,
    opts: &Options,
) -> Result<Vec<PathBuf>> {
    let figures = aggregate::quarter::quarter(&c.plan, &c.reports, q, as_of, &c.diagnostics, unverified);
    let date = (as_of.year, as_of.month, as_of.last_day());
    let rendered = render::summary::render(engine, &c.config, &figures, date, opts.draft)?;
    let data = serde_json::json!({
        "document": "季度汇总",
        "title": render::summary::title(&figures),
        "date": render::format::date(date.0, date.1, date.2),
        "draft": opts.draft,
        "figures": figures,
    });
    write_document(engine, &opts.out.join(q.to_string()), "季度汇总", &data, &rendered, opts.keep_typst)
}

/// Writes `<name>.json`, `<name>.pdf` and, on request, the `<name>.typst/` sources.
fn write_document(engine: &render::Engine, dir: &Path, name: &str, data: &serde_json::Value, rendered: &render::Rendered, keep_typst: bool) -> Result<Vec<PathBuf>> {
    let pdf = dir.join(format!("{name}.pdf"));
    let json = dir.join(format!("{name}.json"));
    output::write_atomic(&json, &serde_json::to_vec_pretty(data).expect("serialisable"))?;
    output::write_atomic(&pdf, &rendered.pdf)?;
    let mut written = vec![pdf, json];
    if keep_typst {
        // `typst compile --font-path fonts <dir>/<name>.typst/<main>.typ` reproduces the PDF.
        let src = dir.join(format!("{name}.typst"));
        for (path, bytes) in engine.sources(&rendered.generated) {
            output::write_atomic(&src.join(path.trim_start_matches('/')), &bytes)?;
        }
        written.push(src);
    }
    Ok(written)
}

fn build_bulletin(
    engine: &render::Engine,
    c: &Checked,
    unverified: &BTreeSet<String>,
    period: Period,
    issue: u32,
    opts: &Options,
) -> Result<Vec<PathBuf>> {
    let figures = aggregate::month(&c.plan, &c.reports, period, unverified);
    let meta = bulletin::Meta { issue, date: (period.year, period.month, period.last_day()), draft: opts.draft };
    let rendered = bulletin::render(engine, &c.config, &figures, &meta)?;
    let data = serde_json::json!({
        "document": "工作简报",
        "title": meta.title(&figures),
        "issue": issue,
        "date": render::format::date(meta.date.0, meta.date.1, meta.date.2),
        "draft": opts.draft,
        "figures": figures,
    });
    write_document(engine, &opts.out.join(period.to_string()), "工作简报", &data, &rendered, opts.keep_typst)
}
