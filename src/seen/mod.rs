//! Which reports the figures of a period are made from: the one place that decides it, for
//! every command (build, build of one period, publish, watch) and for what an archived
//! document records as its inputs, and which earlier report a check compares a report with.
//! See `aggregate/README.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::base::period::{Period, Xun};
use crate::reading::submission::Report;
use crate::setup::plan::Plan;

/// How a township's figures for the month were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Reported,
    /// 未报送, latest report of the year carried forward (沿用X月数据).
    CarriedForward,
    /// 未报送, and no report earlier in the year.
    Missing,
    /// 数据待核: the report has errors (draft builds only); its figures are left out.
    Unverified,
}

impl Status {
    /// Whether the township's figures come from a report (its own or carried forward).
    pub fn has_figures(self) -> bool {
        matches!(self, Status::Reported | Status::CarriedForward)
    }
}

/// What a report is for, in time: a month (the monthly report), or a 旬 of a month. Ordered by
/// time; a report never carries across years.
pub trait At: Copy + Ord {
    fn year(self) -> u16;
    /// The first of its kind in the month `p` (where `plan.yaml`'s start month puts it).
    fn first_in(p: Period) -> Self;
}

impl At for Period {
    fn year(self) -> u16 {
        self.year
    }

    fn first_in(p: Period) -> Self {
        p
    }
}

/// A 旬 of a month.
impl At for (Period, Xun) {
    fn year(self) -> u16 {
        self.0.year
    }

    fn first_in(p: Period) -> Self {
        (p, Xun::Upper)
    }
}

/// Something for a township and a time: a report, or a workbook that says which township and
/// month it is for but could not be read (whether it would feed a period is the same rule).
pub trait Dated {
    type At: At;
    fn township(&self) -> &str;
    fn period(&self) -> Self::At;
}

impl Dated for Report {
    type At = Period;

    fn township(&self) -> &str {
        &self.township
    }

    fn period(&self) -> Period {
        self.period
    }
}

/// A township (or none) and a time: what a file names, for rules over files.
impl<A: At> Dated for (&str, A) {
    type At = A;

    fn township(&self) -> &str {
        self.0
    }

    fn period(&self) -> A {
        self.1
    }
}

impl<T: Dated> Dated for &T {
    type At = T::At;

    fn township(&self) -> &str {
        (*self).township()
    }

    fn period(&self) -> T::At {
        (*self).period()
    }
}

/// The report a township's figures at `at` are carried forward from when it has none of its
/// own: its latest report before `at` in the same year. A report never carries across years.
/// Also the report a month is checked against (E-MONTH and the like).
pub fn before<'a, T: Dated>(reports: &'a [T], township: &str, at: T::At) -> Option<&'a T> {
    reports.iter().filter(|r| r.township() == township && r.period().year() == at.year() && r.period() < at).max_by_key(|r| r.period())
}

/// The report a township's `year` starts from: its last report of the year before (its
/// remaining poor are the new year's 年初贫困人口, its exits the base of 本年出列).
pub fn year_start<'a, T: Dated>(reports: &'a [T], township: &str, year: u16) -> Option<&'a T> {
    reports.iter().filter(|r| r.township() == township && r.period().year() + 1 == year).max_by_key(|r| r.period())
}

/// The reports the figures of `period` are made from: every report of its year up to and
/// including it, and each township's last report of every earlier year (the year-start count
/// of exited villages, and the running totals of multi-year targets). Never a later report.
pub fn feeding<T: Dated>(reports: &[T], period: T::At) -> Vec<&T> {
    let mut last_of_year: BTreeMap<(&str, u16), &T> = BTreeMap::new();
    let mut out = Vec::new();
    for r in reports {
        let p = r.period();
        if p.year() == period.year() && p <= period {
            out.push(r);
        } else if p.year() < period.year() {
            let last = last_of_year.entry((r.township(), p.year())).or_insert(r);
            if p > last.period() {
                *last = r;
            }
        }
    }
    out.extend(last_of_year.into_values());
    out.sort_by(|a, b| (a.period(), a.township()).cmp(&(b.period(), b.township())));
    out
}

/// The first month reports are expected: `plan.yaml`'s `start.month`, else the first month any
/// claim is for. Months before it are nobody's failure: not 未报, 逾期 or a call, no gap in a
/// document (启用前). For a document, `claims` are the reports that feed it: the first of them
/// is in its year only when no earlier year has any, so the answer never depends on later files.
pub fn start<T: Dated>(plan: &Plan, claims: &[T]) -> Option<T::At> {
    plan.start.as_ref().map(|s| T::At::first_in(s.month)).or_else(|| claims.iter().map(|c| c.period()).min())
}

/// Of `months`, those from `start` on that no claim is for: the months no township reported
/// (the board's gaps, W-NO-REPORTS).
pub fn unreported<T: Dated>(plan: &Plan, claims: &[T], months: impl IntoIterator<Item = T::At>) -> Vec<T::At> {
    let from = start(plan, claims);
    months.into_iter().filter(|p| from.is_some_and(|s| *p >= s) && !claims.iter().any(|c| c.period() == *p)).collect()
}

/// How a township's month that has a file but no readable report is named among the held-out
/// files of a draft build (`Seen::source` then says 数据待核, never 未报送).
pub fn unread_key(township: &str, period: Period) -> String {
    format!("{township}\u{1f}{period}")
}

/// What the figures of a document showing `months` are made from, and so what an error holds
/// back: each township's source at each of those months (its reports or unreadable files of
/// that month, else of its latest earlier month of the same year, carried forward), and its
/// last ones of every year before the first month's (the year-start count of exited villages,
/// the running totals of multi-year targets). A report of an earlier month that a later one
/// does not carry forward is not used by it: a bad March file does not hold back May when May
/// has its own report.
pub fn used<'a, T: Dated>(claims: &'a [T], months: &[T::At]) -> Vec<&'a T> {
    let Some(first) = months.iter().min() else { return Vec::new() };
    let mut latest: BTreeMap<(&str, T::At), T::At> = BTreeMap::new();
    let mut last_of_year: BTreeMap<(&str, u16), T::At> = BTreeMap::new();
    for c in claims {
        let (t, p) = (c.township(), c.period());
        for &m in months.iter().filter(|m| m.year() == p.year() && p <= **m) {
            let e = latest.entry((t, m)).or_insert(p);
            *e = (*e).max(p);
        }
        if p.year() < first.year() {
            let e = last_of_year.entry((t, p.year())).or_insert(p);
            *e = (*e).max(p);
        }
    }
    let sources: BTreeSet<(&str, T::At)> = latest.iter().map(|((t, _), p)| (*t, *p)).chain(last_of_year.iter().map(|((t, _), p)| (*t, *p))).collect();
    claims.iter().filter(|c| sources.contains(&(c.township(), c.period()))).collect()
}

/// Each township of the plan with the report its figures come from.
pub type Sources<'a> = Vec<(&'a str, Status, Option<&'a Report>)>;

/// What the figures of one period see: the reports that feed it, and the files held out as
/// 数据待核 (draft builds).
pub struct Seen<'a> {
    pub period: Period,
    reports: Vec<&'a Report>,
    unverified: &'a BTreeSet<String>,
}

impl<'a> Seen<'a> {
    pub fn new(reports: &'a [Report], period: Period, unverified: &'a BTreeSet<String>) -> Seen<'a> {
        Seen { period, reports: feeding(reports, period), unverified }
    }

    /// The report a township's figures at `at` come from: its report of that month, else its
    /// latest earlier one of the same year (carried forward); a report never carries across years.
    pub fn source(&self, township: &str, at: Period) -> (Status, Option<&'a Report>) {
        debug_assert!(at <= self.period, "{at} is after {}", self.period);
        // A file for the month that could not be read: its figures are unknown, never "not sent".
        if self.unverified.contains(&unread_key(township, at)) {
            return (Status::Unverified, None);
        }
        let own = self.reports.iter().copied().find(|r| r.township == township && r.period == at);
        let (status, report) = match (own, before(&self.reports, township, at)) {
            (Some(r), _) => (Status::Reported, Some(r)),
            (None, Some(r)) => (Status::CarriedForward, Some(*r)),
            (None, None) => (Status::Missing, None),
        };
        match report {
            Some(r) if self.unverified.contains(&r.file) => (Status::Unverified, None),
            _ => (status, report),
        }
    }

    /// Every township of the plan with its source at `at`.
    pub fn sources(&self, plan: &'a Plan, at: Period) -> Sources<'a> {
        plan.townships
            .iter()
            .map(|t| {
                let (s, r) = self.source(t, at);
                (t.as_str(), s, r)
            })
            .collect()
    }

    /// Whether `p` lies before the first month reports are expected (`start`).
    pub fn before_start(&self, plan: &Plan, p: Period) -> bool {
        start(plan, &self.reports).is_some_and(|s| p < s)
    }

    /// The reports of the period's own year, in time order.
    pub fn of_year(&self) -> impl Iterator<Item = &'a Report> + '_ {
        self.reports.iter().copied().filter(|r| r.period.year == self.period.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::submission::Cover;

    fn report(township: &str, period: &str) -> Report {
        Report {
            file: format!("{township}{period}"),
            township: township.into(),
            period: period.parse().unwrap(),
            cover: Cover::default(),
            villages: vec![],
            unread_villages: vec![],
            projects: vec![],
            indicators: vec![],
        }
    }

    #[test]
    fn a_period_sees_its_year_so_far_and_the_last_report_of_earlier_years() {
        let all: Vec<Report> = [("A", "2018-11"), ("A", "2018-12"), ("B", "2018-10"), ("A", "2019-01"), ("A", "2019-03"), ("B", "2019-02"), ("A", "2019-04")]
            .iter()
            .map(|(t, p)| report(t, p))
            .collect();
        let files = |p: &str| feeding(&all, p.parse().unwrap()).iter().map(|r| r.file.clone()).collect::<Vec<_>>();
        assert_eq!(files("2019-03"), ["B2018-10", "A2018-12", "A2019-01", "B2019-02", "A2019-03"]);
        assert_eq!(files("2019-01"), ["B2018-10", "A2018-12", "A2019-01"]);
        assert_eq!(files("2018-11"), ["B2018-10", "A2018-11"]);
        let none = BTreeSet::new();
        let seen = Seen::new(&all, "2019-03".parse().unwrap(), &none);
        let (status, r) = seen.source("B", "2019-03".parse().unwrap());
        assert_eq!((status, r.map(|r| r.file.as_str())), (Status::CarriedForward, Some("B2019-02")));
        let (status, r) = seen.source("B", "2018-12".parse().unwrap());
        assert_eq!((status, r.map(|r| r.file.as_str())), (Status::CarriedForward, Some("B2018-10")));
        assert_eq!(seen.source("A", "2019-02".parse().unwrap()).0, Status::CarriedForward);
    }

    #[test]
    fn a_document_uses_the_sources_of_its_months_and_the_last_reports_of_earlier_years() {
        let all: Vec<Report> = [("A", "2018-03"), ("A", "2018-11"), ("B", "2018-10"), ("A", "2019-01"), ("A", "2019-03"), ("B", "2019-02"), ("A", "2019-05")]
            .iter()
            .map(|(t, p)| report(t, p))
            .collect();
        let files = |months: &[&str]| {
            let months: Vec<Period> = months.iter().map(|m| m.parse().unwrap()).collect();
            used(&all, &months).iter().map(|r| r.file.clone()).collect::<Vec<_>>()
        };
        // March 2019: A's own March; B carries February; the last of 2018 of each.
        assert_eq!(files(&["2019-03"]), ["A2018-11", "B2018-10", "A2019-03", "B2019-02"]);
        // April carries A's March forward; May has its own report and does not use March.
        assert_eq!(files(&["2019-04"]), ["A2018-11", "B2018-10", "A2019-03", "B2019-02"]);
        assert_eq!(files(&["2019-05"]), ["A2018-11", "B2018-10", "B2019-02", "A2019-05"]);
        // A year-to-date summary uses every month's source.
        assert_eq!(files(&["2019-01", "2019-02", "2019-03"]), ["A2018-11", "B2018-10", "A2019-01", "A2019-03", "B2019-02"]);
        // 2018's March is carried to October 2018, and no further.
        assert!(files(&["2018-10"]).contains(&"A2018-03".to_string()));
        assert!(!files(&["2018-11"]).contains(&"A2018-03".to_string()));
    }

    #[test]
    fn the_same_rules_hold_for_reports_of_a_xun() {
        let m = |s: &str| s.parse::<Period>().unwrap();
        let (feb, mar) = (m("2019-02"), m("2019-03"));
        let claims =
            [("A", (m("2018-12"), Xun::Lower)), ("A", (feb, Xun::Middle)), ("B", (mar, Xun::Upper)), ("A", (mar, Xun::Middle)), ("A", (mar, Xun::Lower))];
        let at = (mar, Xun::Middle);
        // 三月中旬 sees this year's 旬 up to it and each township's last of 2018; never 下旬.
        let fed: Vec<_> = feeding(&claims, at).into_iter().copied().collect();
        assert_eq!(fed, [("A", (m("2018-12"), Xun::Lower)), ("A", (feb, Xun::Middle)), ("B", (mar, Xun::Upper)), ("A", (mar, Xun::Middle))]);
        // B's 中旬 is carried from its 上旬; A's 上旬 from February's 中旬.
        assert_eq!(before(&claims, "B", at), Some(&("B", (mar, Xun::Upper))));
        assert_eq!(before(&claims, "A", (mar, Xun::Upper)), Some(&("A", (feb, Xun::Middle))));
        let plan = Plan::parse(include_str!("../../data/plan.yaml")).unwrap();
        assert_eq!(
            unreported(&plan, &claims, [(feb, Xun::Upper), (feb, Xun::Middle), (feb, Xun::Lower), (mar, Xun::Upper)]),
            [(feb, Xun::Upper), (feb, Xun::Lower)]
        );
        assert_eq!(used(&claims, &[at]).len(), 3);
    }
}
