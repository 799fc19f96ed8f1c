//! The figures of a 旬报 (project and fund progress every ten days), from the townships' 旬
//! workbooks: each township's projects as they stand at the 旬's end (its own 旬 workbook, else
//! its latest earlier one of the year, carried forward; a township with none has no figures,
//! never 0), summed exactly in 万元 × 100. 支出进度 = 累计拨付 ÷ (计划投资 − 留置资金), judged
//! against 序时进度 = the year's days elapsed at the 旬's end ÷ its days (exact ratios).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::base::period::{Period, Xun};
use crate::reading::submission::{ProjectRow, Report, XunReport, FUND_SOURCES};
use crate::seen::Status;
use crate::setup::plan::Plan;

use super::ratio::cmp_ratio;

/// Sums over projects.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Sums {
    pub projects: u32,
    /// 已开工: 在建 or 已完工.
    pub started: u32,
    pub completed: u32,
    /// 万元 × 100, as every amount here.
    pub planned: i64,
    pub retained: i64,
    pub disbursed: i64,
}

impl Sums {
    fn of<'a>(projects: impl IntoIterator<Item = &'a ProjectRow>) -> Sums {
        let mut s = Sums::default();
        projects.into_iter().for_each(|p| s.add(p));
        s
    }

    fn add(&mut self, p: &ProjectRow) {
        self.projects += 1;
        let status = p.status.as_deref();
        self.started += u32::from(matches!(status, Some("在建" | "已完工")));
        self.completed += u32::from(status == Some("已完工"));
        self.planned += p.planned;
        self.retained += p.retained;
        self.disbursed += p.disbursed;
    }

    /// What the year's goal of 100 % is measured against: 计划投资 less 留置资金.
    pub fn base(&self) -> i64 {
        self.planned - self.retained
    }

    /// 支出进度 as an exact ratio (none when there is nothing to spend).
    pub fn progress(&self) -> Option<(i128, i128)> {
        (self.base() > 0).then(|| (i128::from(self.disbursed), i128::from(self.base())))
    }
}

/// A township at the 旬: where its figures come from, and them.
#[derive(Debug, Clone, Serialize)]
pub struct TownshipXun {
    pub name: String,
    pub status: Status,
    /// The 旬 its figures are carried from (沿用), or its own.
    pub from: Option<(Period, Xun)>,
    pub sums: Option<Sums>,
    /// 本旬拨付: 累计拨付 less the previous 旬's (its 旬 workbook, else for a 下旬 its month's
    /// report), for a township that sent this 旬's workbook.
    pub this_xun: Option<i64>,
    /// Below 序时进度 (judged on exact ratios).
    pub behind: bool,
}

/// A project not started, for the list.
#[derive(Debug, Clone, Serialize)]
pub struct NotStarted {
    pub township: String,
    pub village: Option<String>,
    pub name: String,
    pub planned: i64,
    pub planned_start: Option<crate::base::period::Date>,
}

/// Everything a 旬报 shows.
#[derive(Debug, Clone, Serialize)]
pub struct XunFigures {
    pub period: Period,
    pub xun: Xun,
    /// Every township of the plan: those with figures ranked by 支出进度 (highest first; ties
    /// and townships with nothing to spend in the plan's order), then those without.
    pub townships: Vec<TownshipXun>,
    pub total: Sums,
    /// 本旬拨付 of the county: the sum over the townships that have one.
    pub this_xun: Option<i64>,
    /// By 资金来源, in the workbook's order of sources (未填写 last), each with its sums.
    pub sources: Vec<(String, Sums)>,
    pub not_started: Vec<NotStarted>,
    /// 序时进度: days of the year elapsed at the 旬's end, over the year's days.
    pub schedule: (i128, i128),
}

/// The day of the year of `d` (1 January is 1), and the year's days.
pub fn day_of_year(d: crate::base::period::Date) -> (i128, i128) {
    let days = |months: std::ops::Range<u8>| -> i128 { months.filter_map(|m| Period::new(d.year, m)).map(|p| i128::from(p.last_day())).sum() };
    (days(1..d.month) + i128::from(d.day), days(1..13))
}

/// The figures of the 旬 `at`, from `xun` (the 旬 workbooks; a month's report stands for its
/// 下旬 where a township sent no 下旬 workbook, for 本旬拨付 of the next 上旬), leaving out
/// `unverified` files (with errors, in a draft: 数据待核).
pub fn figures(plan: &Plan, xun: &[XunReport], months: &[Report], at: (Period, Xun), unverified: &BTreeSet<String>) -> XunFigures {
    let schedule = day_of_year(at.1.last_day(at.0));
    let (mut townships, used): (Vec<TownshipXun>, Vec<Option<&XunReport>>) = plan.townships.iter().map(|t| township(xun, months, t, at, unverified)).unzip();
    let used: Vec<&XunReport> = used.into_iter().flatten().collect();
    for t in &mut townships {
        t.behind = t.sums.and_then(|s| s.progress()).is_some_and(|(n, d)| cmp_ratio(n, d, schedule.0, schedule.1).is_lt());
    }
    let total = Sums::of(used.iter().flat_map(|r| &r.projects));
    let this_xun = townships.iter().filter_map(|t| t.this_xun).reduce(|a, b| a + b);
    rank(&mut townships);
    XunFigures { period: at.0, xun: at.1, townships, total, this_xun, sources: sources(&used), not_started: not_started(plan, &used), schedule }
}

/// The 旬 before `at` in the same year (none for 1月上旬).
pub fn previous((p, x): (Period, Xun)) -> Option<(Period, Xun)> {
    match x {
        Xun::Middle => Some((p, Xun::Upper)),
        Xun::Lower => Some((p, Xun::Middle)),
        Xun::Upper => (p.month > 1).then(|| Period::new(p.year, p.month - 1)).flatten().map(|m| (m, Xun::Lower)),
    }
}

/// A township's workbook its figures at `at` come from: its own, else its latest earlier one of
/// the year (`seen::before`); none when that one is unverified.
fn source<'a>(xun: &'a [XunReport], township: &str, at: (Period, Xun), unverified: &BTreeSet<String>) -> Option<&'a XunReport> {
    let own = xun.iter().find(|r| r.township == township && r.at() == at);
    let claims: Vec<(&str, (Period, Xun))> = xun.iter().map(|r| (r.township.as_str(), r.at())).collect();
    let r = own.or_else(|| crate::seen::before(&claims, township, at).and_then(|(t, when)| xun.iter().find(|r| r.township == *t && r.at() == *when)))?;
    (!unverified.contains(&r.file)).then_some(r)
}

/// The month's report that stands for a township's 下旬 before `at` (an 上旬) when it has no 旬
/// workbook of the year up to that 下旬: a month's report tells its last day.
pub fn stand_in<'a>(xun: &[XunReport], months: &'a [Report], township: &str, at: (Period, Xun), unverified: &BTreeSet<String>) -> Option<&'a Report> {
    let prev = previous(at).filter(|(_, x)| *x == Xun::Lower)?;
    if source(xun, township, prev, unverified).is_some() {
        return None;
    }
    months.iter().find(|r| r.township == township && r.period == prev.0)
}

/// 累计拨付 of a township at the 旬 before `at`: its 旬 workbook's (own or carried), else its
/// month's report standing in (`stand_in`).
fn disbursed_before(xun: &[XunReport], months: &[Report], name: &str, at: (Period, Xun), unverified: &BTreeSet<String>) -> Option<i64> {
    let paid = |projects: &[ProjectRow]| projects.iter().map(|p| p.disbursed).sum::<i64>();
    if let Some(r) = previous(at).and_then(|prev| source(xun, name, prev, unverified)) {
        return Some(paid(&r.projects));
    }
    stand_in(xun, months, name, at, unverified).filter(|r| !unverified.contains(&r.file)).map(|r| paid(&r.projects))
}

/// A township at the 旬, with the 旬 workbook its figures come from.
fn township<'a>(xun: &'a [XunReport], months: &[Report], name: &str, at: (Period, Xun), unverified: &BTreeSet<String>) -> (TownshipXun, Option<&'a XunReport>) {
    let r = source(xun, name, at, unverified);
    let own = xun.iter().find(|r| r.township == name && r.at() == at);
    let status = match (own, r) {
        (Some(o), _) if unverified.contains(&o.file) => Status::Unverified,
        (Some(_), Some(_)) => Status::Reported,
        (None, Some(_)) => Status::CarriedForward,
        (_, None) => Status::Missing,
    };
    let sums = r.map(|r| Sums::of(&r.projects));
    let before = disbursed_before(xun, months, name, at, unverified);
    let this_xun = match (status, sums, before) {
        (Status::Reported, Some(s), Some(b)) => Some(s.disbursed - b),
        _ => None,
    };
    (TownshipXun { name: name.to_string(), status, from: r.map(XunReport::at), sums, this_xun, behind: false }, r)
}

/// Highest 支出进度 first (exact ratios); equal ones, and those with nothing to spend, in the
/// plan's order (the sort is stable); townships without figures last.
fn rank(townships: &mut [TownshipXun]) {
    townships.sort_by(|a, b| {
        let key = |t: &TownshipXun| (t.sums.is_none(), t.sums.and_then(|s| s.progress()).is_none());
        key(a).cmp(&key(b)).then_with(|| match (a.sums.and_then(|s| s.progress()), b.sums.and_then(|s| s.progress())) {
            (Some((an, ad)), Some((bn, bd))) => cmp_ratio(bn, bd, an, ad),
            _ => std::cmp::Ordering::Equal,
        })
    });
}

/// Sums by 资金来源, in `FUND_SOURCES` order, then projects with none (未填写).
fn sources(used: &[&XunReport]) -> Vec<(String, Sums)> {
    let names = FUND_SOURCES.iter().map(|s| Some(*s)).chain([None]);
    names
        .filter_map(|name| {
            let s = Sums::of(used.iter().flat_map(|r| &r.projects).filter(|p| p.source.as_deref() == name));
            (s.projects > 0).then(|| (name.unwrap_or("未填写").to_string(), s))
        })
        .collect()
}

/// The projects not started, the oldest planned start first (those without one last), then in
/// the plan's order of townships and their rows.
fn not_started(plan: &Plan, used: &[&XunReport]) -> Vec<NotStarted> {
    let order = |t: &str| plan.townships.iter().position(|x| x == t).unwrap_or(usize::MAX);
    let mut out: Vec<(usize, u32, NotStarted)> = used
        .iter()
        .flat_map(|r| r.projects.iter().map(move |p| (r, p)))
        .filter(|(_, p)| p.status.as_deref() == Some("未开工"))
        .map(|(r, p)| {
            let n = NotStarted {
                township: r.township.clone(),
                village: p.village.clone(),
                name: p.name.clone(),
                planned: p.planned,
                planned_start: p.planned_start,
            };
            (order(&r.township), p.row, n)
        })
        .collect();
    out.sort_by_key(|(township, row, n)| (n.planned_start.is_none(), n.planned_start, *township, *row));
    out.into_iter().map(|(.., n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_of_the_year_and_the_xun_before() {
        let d = |s: &str| s.parse::<crate::base::period::Date>().unwrap();
        assert_eq!(day_of_year(d("2019-01-10")), (10, 365));
        assert_eq!(day_of_year(d("2019-03-31")), (31 + 28 + 31, 365));
        assert_eq!(day_of_year(d("2020-12-31")), (366, 366));
        let m = |s: &str| s.parse::<Period>().unwrap();
        assert_eq!(previous((m("2019-03"), Xun::Upper)), Some((m("2019-02"), Xun::Lower)));
        assert_eq!(previous((m("2019-01"), Xun::Upper)), None);
    }
}
