//! 公告公示 of projects and funds, from the townships' own monthly reports of a year (never
//! carried forward: a notice is posted when a report says so):
//! - each project's 项目公示 is due in the first month its report gives every column a 公示 needs
//!   (`Need::Before`), its 项目公告 in the first month it is 已完工 with every column a 公告 needs
//!   (`Need::After`); a project that never gives them is listed with what it lacks;
//! - the county's 资金分配使用情况公示 of a year lists each township's projects as its latest
//!   report of the year gives them, with sums by 资金来源 (exact, 万元 × 100).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::period::{Date, Period};
use crate::reading::submission::{Need, ProjectRow, Report, FUND_SOURCES};
use crate::setup::plan::Plan;

/// Where a notice is posted: a village's 公开栏, or the township's for a project of no single
/// village (所在村 blank, 全乡, or not a village the township's report lists).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Place {
    pub township: String,
    pub village: Option<String>,
}

impl Place {
    /// `南村乡东村`, or `南村乡` for the township's own board.
    pub fn name(&self) -> String {
        format!("{}{}", self.township, self.village.as_deref().unwrap_or(""))
    }

    fn of(r: &Report, p: &ProjectRow) -> Place {
        let village = p.village.as_ref().filter(|v| r.villages.iter().any(|x| &x.name == *v)).cloned();
        Place { township: r.township.clone(), village }
    }
}

/// A project through the year's reports of its township.
#[derive(Debug, Clone)]
pub struct Tracked<'a> {
    pub place: Place,
    pub first: Period,
    /// Its latest report's file, and its row there.
    pub latest: &'a str,
    pub row: &'a ProjectRow,
    /// The month its 项目公示 is made, and its row then.
    pub before: Option<(Period, &'a ProjectRow)>,
    /// The first month it is reported 已完工.
    pub completed: Option<Period>,
    /// The month its 项目公告 is made, and its row then.
    pub after: Option<(Period, &'a ProjectRow)>,
}

impl<'a> Tracked<'a> {
    /// The notice of `need` made for it: its month and row.
    pub fn made(&self, need: Need) -> Option<(Period, &'a ProjectRow)> {
        match need {
            Need::Before => self.before,
            Need::After => self.after,
            Need::Funds => None,
        }
    }
}

/// The own reports of `year`, by township in the plan's order and then by month.
fn of_year<'a>(plan: &Plan, reports: &'a [Report], year: u16) -> Vec<&'a Report> {
    let mut out: Vec<&Report> = reports.iter().filter(|r| r.period.year == year).collect();
    let rank = |t: &str| plan.townships.iter().position(|x| x == t).unwrap_or(usize::MAX);
    out.sort_by(|a, b| (rank(&a.township), &a.township, a.period).cmp(&(rank(&b.township), &b.township, b.period)));
    out
}

/// Every project of `year`, in township order, then as first reported.
pub fn track<'a>(plan: &Plan, reports: &'a [Report], year: u16) -> Vec<Tracked<'a>> {
    let mut order: Vec<(Place, String)> = Vec::new();
    let mut by_key: BTreeMap<(Place, String), Tracked<'a>> = BTreeMap::new();
    for r in of_year(plan, reports, year) {
        for p in &r.projects {
            let key = (Place::of(r, p), p.name.clone());
            let t = by_key.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                Tracked { place: key.0.clone(), first: r.period, latest: &r.file, row: p, before: None, completed: None, after: None }
            });
            (t.latest, t.row) = (&r.file, p);
            if t.before.is_none() && p.missing(Need::Before).is_empty() {
                t.before = Some((r.period, p));
            }
            if p.status.as_deref() == Some("已完工") {
                t.completed.get_or_insert(r.period);
                if t.after.is_none() && p.missing(Need::After).is_empty() {
                    t.after = Some((r.period, p));
                }
            }
        }
    }
    order.into_iter().filter_map(|k| by_key.remove(&k)).collect()
}

/// The months of `year` in which some notice of `need` is made.
pub fn months(tracked: &[Tracked], need: Need) -> Vec<Period> {
    let all: std::collections::BTreeSet<Period> = tracked.iter().filter_map(|t| t.made(need).map(|(p, _)| p)).collect();
    all.into_iter().collect()
}

/// The notices of `need` made in month `p`: one per place, its projects as reported then; the
/// township's board shows every project of the township (its villages' too), a village's its own.
pub fn posted<'a>(tracked: &[Tracked<'a>], need: Need, p: Period) -> Vec<(Place, Vec<&'a ProjectRow>)> {
    let mut out: Vec<(Place, Vec<&ProjectRow>)> = Vec::new();
    for t in tracked {
        let Some((_, row)) = t.made(need).filter(|(at, _)| *at == p) else { continue };
        let township = Place { township: t.place.township.clone(), village: None };
        let boards = if t.place.village.is_some() { vec![township, t.place.clone()] } else { vec![township] };
        for place in boards {
            match out.iter_mut().find(|(x, _)| *x == place) {
                Some((_, rows)) => rows.push(row),
                None => out.push((place, vec![row])),
            }
        }
    }
    out
}

/// The day a notice of month `p` is posted (the day the month's reports are due, else the first
/// of the next month) and the last day of its 公示期 of `days` days.
pub fn posting(p: Period, deadline_day: Option<u8>, days: u16) -> (Date, Date) {
    let from = p.deadline(deadline_day.or(Some(1))).unwrap_or(Date::last_of(p));
    let to = (1..days).fold(from, |d, _| d.next());
    (from, to)
}

/// A township in the county 公示: its latest report of the year, or none.
#[derive(Debug, Clone, Serialize)]
pub struct FundsTownship {
    pub name: String,
    pub from: Option<Period>,
}

/// Sums of one 资金来源.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceSum {
    pub source: String,
    pub projects: u32,
    /// 万元 × 100.
    pub planned: i64,
}

/// The county's 资金分配使用情况公示 of a year.
#[derive(Debug, Clone, Serialize)]
pub struct Funds {
    pub year: u16,
    /// The latest month with a report in the year.
    pub as_of: Period,
    pub townships: Vec<FundsTownship>,
    /// Each township's projects as its latest report of the year gives them, in plan order.
    #[serde(skip)]
    pub projects: Vec<(String, ProjectRow)>,
    pub by_source: Vec<SourceSum>,
    pub total: SourceSum,
    /// Projects lacking a column the 公示 prints: (township, file, project, columns).
    pub gaps: Vec<(String, String, String, Vec<&'static str>)>,
}

/// The county 公示 of `year`, when the year has reports.
pub fn funds(plan: &Plan, reports: &[Report], year: u16) -> Option<Funds> {
    let as_of = reports.iter().map(|r| r.period).filter(|p| p.year == year).max()?;
    // A township's latest report of the year: the one the next year would start from.
    let latest = |t: &str| crate::seen::year_start(reports, t, year + 1);
    let mut f = Funds { year, as_of, townships: Vec::new(), projects: Vec::new(), by_source: Vec::new(), total: SourceSum::default(), gaps: Vec::new() };
    for t in &plan.townships {
        let r = latest(t);
        f.townships.push(FundsTownship { name: t.clone(), from: r.map(|r| r.period) });
        for p in r.iter().flat_map(|r| &r.projects) {
            let missing = p.missing(Need::Funds);
            if !missing.is_empty() {
                f.gaps.push((t.clone(), r.map(|r| r.file.clone()).unwrap_or_default(), p.name.clone(), missing));
            }
            f.projects.push((t.clone(), p.clone()));
        }
    }
    for source in FUND_SOURCES {
        let rows = f.projects.iter().filter(|(_, p)| p.source.as_deref() == Some(source));
        let sum = rows.fold(SourceSum { source: source.to_string(), ..Default::default() }, |mut s, (_, p)| {
            s.projects += 1;
            s.planned += p.planned;
            s
        });
        if sum.projects > 0 {
            f.total.projects += sum.projects;
            f.total.planned += sum.planned;
            f.by_source.push(sum);
        }
    }
    f.total.source = "合计".into();
    Some(f)
}

/// A project as a notice shows it, in its figures file (`<id>.json`): amounts in 万元 × 100,
/// dates `YYYY-MM-DD`.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub township: String,
    pub village: Option<String>,
    pub name: String,
    pub content: Option<String>,
    pub unit: Option<String>,
    pub person: Option<String>,
    pub source: Option<String>,
    pub planned: i64,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub beneficiaries: Option<u32>,
    pub status: Option<String>,
    pub actual: Option<i64>,
    pub completed_on: Option<String>,
    pub accepted_on: Option<String>,
    pub acceptance: Option<String>,
}

impl Entry {
    pub fn of(township: &str, p: &ProjectRow) -> Entry {
        let day = |d: Option<Date>| d.map(|d| d.to_string());
        let n = &p.notice;
        Entry {
            township: township.to_string(),
            village: p.village.clone(),
            name: p.name.clone(),
            content: n.content.clone(),
            unit: n.unit.clone(),
            person: n.person.clone(),
            source: p.source.clone(),
            planned: p.planned,
            planned_start: day(p.planned_start),
            planned_end: day(n.planned_end),
            beneficiaries: p.beneficiaries,
            status: p.status.clone(),
            actual: n.actual,
            completed_on: day(n.completed_on),
            accepted_on: day(n.accepted_on),
            acceptance: n.acceptance.clone(),
        }
    }
}
