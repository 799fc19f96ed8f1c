//! The registry of document kinds: each kind says in one place which spans it is made for, its
//! id, the months its figures show and whether it prints pieces (so what holds it back), its
//! series and `publish` option, its templates, and how it is made. `documents::KINDS` lists
//! them in the order a build makes them; builds, numbering, publishing and binding go through it.

use super::{stands_at, Document, Settings};
use crate::base::error::Result;
use crate::base::period::{Period, Span};
use crate::base::series::Series;
use crate::figures::checked::Checked;
use crate::office::status::Board;
use crate::render::{self, Engine};

/// What a kind is made from: the engine, the checked data and the boards of the build.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub checked: &'a Checked,
    pub boards: &'a [Board],
}

/// The templates a kind is set with: its main file, every file it uses (recorded in the
/// archive), and the narrative an office may edit, with the document's name for `init`.
pub struct Templates {
    pub main: &'static str,
    pub files: &'static [&'static str],
    pub narrative: Option<(&'static str, &'static str)>,
}

/// One kind of document.
pub trait Kind: Sync {
    /// The spans a build with these data makes it for: all, or those a build of the month
    /// `only` makes (a document is the same whichever command makes it).
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span>;
    /// Its id, the output path without extension: `2018-03/工作简报-2018年3月`.
    fn id(&self, c: &Checked, span: Span) -> String;
    /// The ids of the documents it makes at `span`: its id, or (a notice posted in each village)
    /// one per place.
    fn ids(&self, c: &Checked, span: Span) -> Vec<String> {
        vec![self.id(c, span)]
    }
    /// The months whose reports its figures show: a workbook with errors among them holds it
    /// back (none: it is never held back).
    fn shows(&self, c: &Checked, span: Span) -> Vec<Period>;
    /// Whether it prints the pieces of the month it stands at (then an error in one holds it back).
    fn prints_pieces(&self) -> bool {
        false
    }
    /// The files whose errors hold it back at `span` (asked only of an official build): the
    /// workbooks behind the months it `shows`, and the pieces it prints.
    fn held_back_by(&self, c: &Checked, span: Span) -> Vec<String> {
        let shows = self.shows(c, span);
        if shows.is_empty() {
            return Vec::new();
        }
        let mut why = c.blocking(&shows);
        if self.prints_pieces() {
            why.extend(stands_at(c, span).map(|p| c.pieces_blocking(p)).unwrap_or_default());
        }
        why
    }
    /// The workbooks its figures are made from (what the archive records of it, and what a
    /// published issue is compared with): the monthly reports feeding the month it stands at.
    fn workbooks(&self, c: &Checked, span: Span) -> Vec<String> {
        let feeding = stands_at(c, span).map(|last| crate::seen::feeding(&c.reports, last)).unwrap_or_default();
        feeding.into_iter().map(|r| r.file.clone()).collect()
    }
    /// Whether a year's 合订本 binds its published issues (asked of published kinds).
    fn in_volume(&self) -> bool {
        true
    }
    /// The series it is numbered in, and the `publish` option naming its period, if published.
    fn published(&self) -> Option<(Series, &'static str)> {
        None
    }
    /// Its templates; none for a document with no typeset part.
    fn templates(&self) -> Option<Templates>;
    /// Makes it: one document, none when the data make no such document after all, or (a
    /// notice posted in each village) one per place.
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>>;
}

/// A registry of kinds: what builds, numbering, publishing, binding and 结果一览 loop over.
pub type Registry = &'static [&'static dyn Kind];

/// The kind of `kinds` numbered in `series`.
pub fn of_series(kinds: Registry, series: Series) -> Option<&'static dyn Kind> {
    kinds.iter().copied().find(|k| k.published().is_some_and(|(s, _)| s == series))
}

/// The narratives an office may edit (what `init` copies), with their documents' names.
pub fn narratives(kinds: Registry) -> Vec<(&'static str, &'static str)> {
    kinds.iter().filter_map(|k| k.templates()?.narrative).collect()
}

/// The kind of `kinds` that `publish` names with `option` (`--period`, `--quarter`, `--xun`).
pub fn published_as(kinds: Registry, option: &str) -> Option<&'static dyn Kind> {
    kinds.iter().copied().find(|k| k.published().is_some_and(|(_, o)| o == option))
}

/// Whether a span is of the month a one-month build makes.
fn of(only: Option<Period>, p: Period) -> bool {
    only.is_none_or(|o| o == p)
}

/// The months with reports, as spans (of the month `only`).
fn month_spans(c: &Checked, only: Option<Period>) -> Vec<Span> {
    super::months(&c.reports).into_iter().filter(|p| of(only, *p)).map(Span::Month).collect()
}

/// A month's document shows its own month.
fn own_month(span: Span) -> Vec<Period> {
    span.end().into_iter().collect()
}

/// January to the month a document stands at.
fn year_to_date(c: &Checked, span: Span) -> Vec<Period> {
    stands_at(c, span).map(Period::year_to_date).unwrap_or_default()
}

/// The Decembers with reports: the year's documents stand at them.
fn decembers(c: &Checked, only: Option<Period>) -> impl Iterator<Item = Period> {
    super::months(&c.reports).into_iter().filter(move |p| p.month == 12 && of(only, *p))
}

/// 数据校验报告: every build's, never held back.
pub struct CheckReport;

impl Kind for CheckReport {
    fn spans(&self, _: &Checked, _: Option<Period>) -> Vec<Span> {
        vec![Span::Whole]
    }
    fn id(&self, _: &Checked, _: Span) -> String {
        super::REPORT_ID.into()
    }
    fn shows(&self, _: &Checked, _: Span) -> Vec<Period> {
        Vec::new()
    }
    fn templates(&self) -> Option<Templates> {
        Some(Templates { main: render::report::MAIN, files: render::report::TEMPLATES, narrative: None })
    }
    fn make(&self, cx: &Context, _: Span, _: Settings) -> Result<Vec<Document>> {
        super::validation_report(cx.engine, cx.checked, cx.boards).map(|d| vec![d])
    }
}

/// The month's 汇总表 (a workbook, no PDF): it prints no pieces.
pub struct MonthTable;

impl Kind for MonthTable {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        month_spans(c, only)
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        span.end().map(super::table_id).unwrap_or_default()
    }
    fn shows(&self, _: &Checked, span: Span) -> Vec<Period> {
        own_month(span)
    }
    fn templates(&self) -> Option<Templates> {
        None
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let Span::Month(p) = span else { return Ok(Vec::new()) };
        super::month_table(cx.checked, p, s.draft).map(|d| vec![d])
    }
}

/// The month's 工作简报: numbered, and it prints the month's pieces.
pub struct Bulletin;

impl Kind for Bulletin {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        month_spans(c, only)
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        span.end().map(super::bulletin_id).unwrap_or_default()
    }
    fn shows(&self, _: &Checked, span: Span) -> Vec<Period> {
        own_month(span)
    }
    fn prints_pieces(&self) -> bool {
        true
    }
    fn published(&self) -> Option<(Series, &'static str)> {
        Some((Series::Bulletin, "--period"))
    }
    fn templates(&self) -> Option<Templates> {
        use render::bulletin::{MAIN, NARRATIVE, TEMPLATES};
        Some(Templates { main: MAIN, files: TEMPLATES, narrative: Some((NARRATIVE, "工作简报")) })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let Span::Month(p) = span else { return Ok(Vec::new()) };
        super::bulletin(cx.engine, cx.checked, p, s).map(|d| vec![d])
    }
}

/// The quarter's 季度汇总, standing at its last month with a report: numbered; it shows the
/// year to date.
pub struct QuarterSummary;

impl Kind for QuarterSummary {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        super::quarters(&c.reports).into_iter().filter(|(_, as_of)| of(only, *as_of)).map(|(q, _)| Span::Quarter(q)).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        let Span::Quarter(q) = span else { return String::new() };
        super::summary_id(q)
    }
    fn shows(&self, c: &Checked, span: Span) -> Vec<Period> {
        year_to_date(c, span)
    }
    fn published(&self) -> Option<(Series, &'static str)> {
        Some((Series::Summary, "--quarter"))
    }
    fn templates(&self) -> Option<Templates> {
        use render::summary::{MAIN, NARRATIVE, TEMPLATES};
        Some(Templates { main: MAIN, files: TEMPLATES, narrative: Some((NARRATIVE, "季度汇总")) })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let (Span::Quarter(q), Some(as_of)) = (span, stands_at(cx.checked, span)) else { return Ok(Vec::new()) };
        super::summary(cx.engine, cx.checked, q, as_of, s).map(|d| vec![d])
    }
}

/// The year's 年度总结, once its December has a report.
pub struct YearSummary;

impl Kind for YearSummary {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        decembers(c, only).map(|p| Span::Year(p.year)).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        let Span::Year(y) = span else { return String::new() };
        super::year_id(y)
    }
    fn shows(&self, c: &Checked, span: Span) -> Vec<Period> {
        year_to_date(c, span)
    }
    fn templates(&self) -> Option<Templates> {
        use render::yearly::{YEAR_MAIN, YEAR_NARRATIVE, YEAR_TEMPLATES};
        Some(Templates { main: YEAR_MAIN, files: YEAR_TEMPLATES, narrative: Some((YEAR_NARRATIVE, "年度总结")) })
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Vec<Document>> {
        let Span::Year(y) = span else { return Ok(Vec::new()) };
        Ok(super::year_summary(cx.engine, cx.checked, y, s.draft)?.into_iter().collect())
    }
}

/// The plan's final accounting, once its last December has a report.
pub struct PlanReport;

impl Kind for PlanReport {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        let (Some(&first), Some(&last)) = (c.plan.years.first(), c.plan.years.last()) else { return Vec::new() };
        decembers(c, only).filter(|p| p.year == last).map(|_| Span::Plan(first, last)).collect()
    }
    fn id(&self, c: &Checked, _: Span) -> String {
        super::plan_report_id(&c.plan)
    }
    fn shows(&self, c: &Checked, span: Span) -> Vec<Period> {
        year_to_date(c, span)
    }
    fn templates(&self) -> Option<Templates> {
        use render::yearly::{PLAN_MAIN, PLAN_NARRATIVE, PLAN_TEMPLATES};
        Some(Templates { main: PLAN_MAIN, files: PLAN_TEMPLATES, narrative: Some((PLAN_NARRATIVE, "规划完成情况")) })
    }
    fn make(&self, cx: &Context, _: Span, s: Settings) -> Result<Vec<Document>> {
        Ok(super::plan_report(cx.engine, cx.checked, s.draft)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::KINDS;

    #[test]
    fn every_template_a_kind_names_is_bundled_and_init_copies_every_narrative() {
        let names: Vec<&str> = narratives(KINDS).iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["bulletin-narrative.typ.j2", "summary-narrative.typ.j2", "year-narrative.typ.j2", "plan-narrative.typ.j2"]);
        for (name, document) in narratives(KINDS) {
            let copy = crate::base::bundled::narrative_copy(name, document).unwrap();
            assert!(copy.contains(&format!("《{document}》")) && crate::base::bundled::is_init_copy(name, copy.as_bytes()));
            assert!(!crate::base::bundled::is_init_copy(name, copy.replacen("本文件", "此文件", 1).as_bytes()));
        }
        for k in KINDS {
            for name in k.templates().iter().flat_map(|t| t.files.iter().chain([&t.main])) {
                assert!(crate::base::bundled::template(name).is_some(), "{name}");
            }
        }
    }

    #[test]
    fn each_series_is_one_kinds() {
        for series in Series::NUMBERED {
            assert_eq!(KINDS.iter().filter(|k| k.published().is_some_and(|(s, _)| s == series)).count(), 1, "{series}");
        }
    }
}
