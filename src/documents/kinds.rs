//! The registry of document kinds: each kind says in one place which spans it is made for,
//! its id, its series (numbered or not), what holds it back and how it is made; `KINDS` lists
//! them in the order a build makes them, and every build goes through it.

use super::{Document, Settings};
use crate::checked::Checked;
use crate::error::Result;
use crate::period::{Period, Span};
use crate::render::Engine;
use crate::series::Series;
use crate::status::Board;

/// What a kind is made from: the engine, the checked data and the boards of the build.
pub struct Context<'a> {
    pub engine: &'a Engine,
    pub checked: &'a Checked,
    pub boards: &'a [Board],
}

/// One kind of document.
pub trait Kind: Sync {
    /// The spans a build with these data makes it for: all, or those a build of the month
    /// `only` makes (a document is the same whichever command makes it).
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span>;
    /// Its id, the output path without extension: `2018-03/工作简报-2018年3月`.
    fn id(&self, c: &Checked, span: Span) -> String;
    /// The files whose errors hold it back (asked only of an official build).
    fn held_by(&self, c: &Checked, span: Span) -> Vec<String>;
    /// The series it is numbered in, if it is numbered.
    fn series(&self) -> Option<Series> {
        None
    }
    /// Makes it; `None` when the data make no such document after all.
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Option<Document>>;
}

/// Every kind, in the order a build makes them.
pub const KINDS: &[&dyn Kind] = &[&CheckReport, &MonthTable, &Bulletin, &QuarterSummary, &YearSummary, &PlanReport];

/// Whether a span is of the month a one-month build makes.
fn of(only: Option<Period>, p: Period) -> bool {
    only.is_none_or(|o| o == p)
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
    fn held_by(&self, _: &Checked, _: Span) -> Vec<String> {
        Vec::new()
    }
    fn make(&self, cx: &Context, _: Span, _: Settings) -> Result<Option<Document>> {
        super::validation_report(cx.engine, cx.checked, cx.boards).map(Some)
    }
}

/// The month's 汇总表 (a workbook, no PDF): held back by the workbooks behind its figures.
pub struct MonthTable;

impl Kind for MonthTable {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        super::months(&c.reports).into_iter().filter(|p| of(only, *p)).map(Span::Month).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        span.last_month().map(super::table_id).unwrap_or_default()
    }
    fn held_by(&self, c: &Checked, span: Span) -> Vec<String> {
        c.blocking(&span.last_month().into_iter().collect::<Vec<_>>())
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Option<Document>> {
        let Span::Month(p) = span else { return Ok(None) };
        super::month_table(cx.checked, p, s.draft).map(Some)
    }
}

/// The month's 工作简报: numbered; held back by its workbooks and by the pieces it prints.
pub struct Bulletin;

impl Kind for Bulletin {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        MonthTable.spans(c, only)
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        span.last_month().map(super::bulletin_id).unwrap_or_default()
    }
    fn held_by(&self, c: &Checked, span: Span) -> Vec<String> {
        let mut why = MonthTable.held_by(c, span);
        why.extend(span.last_month().map(|p| c.pieces_blocking(p)).unwrap_or_default());
        why
    }
    fn series(&self) -> Option<Series> {
        Some(Series::Bulletin)
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Option<Document>> {
        let Span::Month(p) = span else { return Ok(None) };
        super::bulletin(cx.engine, cx.checked, p, s).map(Some)
    }
}

/// The quarter's 季度汇总, standing at its last month with a report: numbered; held back by
/// the workbooks of its year to date.
pub struct QuarterSummary;

impl Kind for QuarterSummary {
    fn spans(&self, c: &Checked, only: Option<Period>) -> Vec<Span> {
        super::quarters(&c.reports).into_iter().filter(|(_, as_of)| of(only, *as_of)).map(|(q, as_of)| Span::Quarter(q, as_of)).collect()
    }
    fn id(&self, _: &Checked, span: Span) -> String {
        let Span::Quarter(q, _) = span else { return String::new() };
        super::summary_id(q)
    }
    fn held_by(&self, c: &Checked, span: Span) -> Vec<String> {
        year_to_date(c, span)
    }
    fn series(&self) -> Option<Series> {
        Some(Series::Summary)
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Option<Document>> {
        let Span::Quarter(q, as_of) = span else { return Ok(None) };
        super::summary(cx.engine, cx.checked, q, as_of, s).map(Some)
    }
}

/// What holds back a document standing at a month that shows its year to date.
fn year_to_date(c: &Checked, span: Span) -> Vec<String> {
    span.last_month().map(|p| c.blocking(&p.year_to_date())).unwrap_or_default()
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
    fn held_by(&self, c: &Checked, span: Span) -> Vec<String> {
        year_to_date(c, span)
    }
    fn make(&self, cx: &Context, span: Span, s: Settings) -> Result<Option<Document>> {
        let Span::Year(y) = span else { return Ok(None) };
        super::year_summary(cx.engine, cx.checked, y, s.draft)
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
    fn held_by(&self, c: &Checked, span: Span) -> Vec<String> {
        year_to_date(c, span)
    }
    fn make(&self, cx: &Context, _: Span, s: Settings) -> Result<Option<Document>> {
        super::plan_report(cx.engine, cx.checked, s.draft)
    }
}
