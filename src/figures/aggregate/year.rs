//! The year's figures (年度总结) and the plan's final accounting (规划完成情况). Both
//! are made of the month and quarter figures the bulletins and summaries show, at each year's
//! December: nothing is computed here its own way.

use std::collections::BTreeSet;

use serde::Serialize;

use super::quarter::{quarter, FundLine, MonthPoint};
use super::ratio::{cmp_ratio, pct, pct_against, pct_line};
use super::{month, CountyFigures, IndicatorFigures, TownshipFigures, VillageFigures};
use crate::base::diag::Diagnostic;
use crate::base::period::Period;
use crate::base::period::Quarter;
use crate::reading::submission::Report;
use crate::setup::plan::Plan;

/// Whether a village's exact incidence (remaining poor ÷ population) is at or above `line`
/// (a percentage as the exact ratio `pct_line` makes of it).
fn still_deep(v: &VillageFigures, (a, b): (i128, i128)) -> bool {
    matches!((v.remaining_poor, v.population), (Some(r), Some(p)) if p > 0 && cmp_ratio(r.into(), p.into(), a, b).is_ge())
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: u16,
    /// December: the year's figures are its year-to-date figures.
    pub as_of: Period,
    pub county: CountyFigures,
    pub townships: Vec<TownshipFigures>,
    pub ranked_by: super::RankedBy,
    pub trend: Vec<MonthPoint>,
    pub deep_villages: Vec<VillageFigures>,
    pub heavy_villages: Vec<VillageFigures>,
    pub indicators: Vec<IndicatorFigures>,
    pub funds_by_category: Vec<FundLine>,
    pub funds_by_source: Vec<FundLine>,
    /// What 存在问题 and 下一步工作 are made of; the sentences are in `year-narrative.typ.j2`.
    pub findings: YearFindings,
}

/// The figures of `year`, as its December bulletin and fourth-quarter summary show them.
/// `slow_pct` is the office's disbursement line (`config.yaml`, 90 by default).
pub fn year(plan: &Plan, reports: &[Report], year: u16, diags: &[Diagnostic], unverified: &BTreeSet<String>, slow_pct: f64) -> Option<YearFigures> {
    let december = Period::new(year, 12)?;
    let m = month(plan, reports, december, unverified);
    let exits_unknown = m.exits_unknown.clone();
    let q = quarter(plan, reports, Quarter { year, q: 4 }, december, diags, unverified);
    let mut f = YearFigures {
        year,
        as_of: december,
        county: m.county,
        townships: m.townships,
        ranked_by: m.ranked_by,
        trend: q.trend,
        deep_villages: m.deep_villages,
        heavy_villages: q.heavy_villages,
        indicators: m.indicators,
        funds_by_category: q.funds_by_category,
        funds_by_source: q.funds_by_source,
        findings: YearFindings::default(),
    };
    f.findings = findings(plan, &f, slow_pct);
    let seen = super::Seen::new(reports, december, unverified);
    let before = |p: &Period| seen.before_start(plan, *p);
    f.findings.unreported = f.trend.iter().filter(|p| p.lifted_this_month.is_none()).map(|p| p.period).filter(|p| !before(p)).collect();
    f.findings.exits_unknown = exits_unknown;
    f.findings.before_start = f.trend.iter().map(|p| p.period).filter(before).collect();
    Some(f)
}

/// The facts behind 存在问题 and 下一步工作 (no prose: the office's template words them).
#[derive(Debug, Clone, Default, Serialize)]
pub struct YearFindings {
    /// The year's target for people, when it was missed.
    pub people_short: Option<Short>,
    /// The year's target for villages, when it was missed.
    pub villages_short: Option<Short>,
    /// Indicators behind time progress: name and completion.
    pub indicators_behind: Vec<Named>,
    /// The line (percent) at or above which a deep-poverty village is still named, if the
    /// plan gives one.
    pub deep_line_pct: Option<f64>,
    /// Deep-poverty villages still at or above the line: township, name, incidence.
    pub still_deep: Vec<Named>,
    /// The disbursement line (percent) below which a township's funds are slow.
    pub slow_line_pct: f64,
    /// Townships below the disbursement line, with their rate.
    pub slow: Vec<Named>,
    /// The share of integrated funds in deep-poverty villages is below the plan's rule.
    pub integrated_short: bool,
    /// The next year's targets, when the plan has them.
    pub next_targets: Option<NextTargets>,
    /// Months of the year, from the office's start, that no township reported: the year's
    /// figures rest on incomplete data, and the document never says every target was met.
    pub unreported: Vec<Period>,
    /// Months of the year before the office started reporting with jianbao.
    pub before_start: Vec<Period>,
    /// Townships whose exits of earlier years are unknown (上年数据缺失): the year's exits
    /// cannot be told from earlier ones.
    pub exits_unknown: Vec<String>,
}

/// A target missed: the target, what was done, and (people) the completion.
#[derive(Debug, Clone, Serialize)]
pub struct Short {
    pub target: i64,
    pub done: i64,
    pub completion_pct: Option<f64>,
}

/// A name (with its township, for villages) and the figure shown beside it.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    pub township: Option<String>,
    pub name: String,
    pub pct: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextTargets {
    pub year: u16,
    pub people: u32,
    pub villages: u32,
}

/// 存在问题 and 下一步工作: targets missed, indicators behind, villages still above the deep
/// line, slow disbursement, the integrated-funds rule; and the next year's targets.
fn findings(plan: &Plan, f: &YearFigures, slow_line: f64) -> YearFindings {
    let c = &f.county;
    let deep_line = plan.deep_poverty_villages.incidence_line_pct;
    let (deep, slow) = (deep_line.map(pct_line), pct_line(slow_line));
    let slow_pct = |t: &TownshipFigures| pct_against(t.disbursed_cents.into(), t.planned_cents.into(), slow.0, slow.1);
    YearFindings {
        people_short: c.year_target.filter(|t| c.completion_pct.is_some() && c.lifted_to_date < *t).map(|t| Short {
            target: t.into(),
            done: c.lifted_to_date.into(),
            completion_pct: c.completion_pct,
        }),
        villages_short: c.village_target.filter(|t| c.village_completion_pct.is_some() && c.exited_this_year < i64::from(*t)).map(|t| Short {
            target: t.into(),
            done: c.exited_this_year,
            completion_pct: None,
        }),
        indicators_behind: f
            .indicators
            .iter()
            .filter(|i| i.behind_schedule)
            .map(|i| Named { township: None, name: i.name.clone(), pct: i.completion_pct })
            .collect(),
        deep_line_pct: deep_line,
        still_deep: deep
            .map(|line| {
                let shown = |v: &VillageFigures| v.remaining_poor.zip(v.population).and_then(|(r, p)| pct_against(r.into(), p.into(), line.0, line.1));
                let deep = f.deep_villages.iter().filter(|v| still_deep(v, line));
                deep.map(|v| Named { township: Some(v.township.clone()), name: v.name.clone(), pct: shown(v) }).collect()
            })
            .unwrap_or_default(),
        slow_line_pct: slow_line,
        slow: f
            .townships
            .iter()
            .filter(|t| t.planned_cents > 0 && cmp_ratio(t.disbursed_cents.into(), t.planned_cents.into(), slow.0, slow.1).is_lt())
            .map(|t| Named { township: None, name: t.name.clone(), pct: slow_pct(t) })
            .collect(),
        integrated_short: c.integrated_rule_met == Some(false),
        next_targets: plan.year_target(f.year + 1).map(|t| NextTargets { year: f.year + 1, people: t.poor_population, villages: t.poor_villages }),
        ..YearFindings::default()
    }
}

/// One year of the plan against its targets. A year without every township's report (at its
/// December, carried forward within the year) shows what the office stated of the years before
/// it started (`plan.yaml`'s `start`), else nothing: never a 0 for a year nobody reported.
#[derive(Debug, Clone, Serialize)]
pub struct PlanYear {
    pub year: u16,
    /// Every township has figures at the year's December.
    pub reported: bool,
    pub target_people: Option<u32>,
    pub lifted: Option<u32>,
    pub completion_pct: Option<f64>,
    pub target_villages: Option<u32>,
    pub exited_this_year: Option<i64>,
    pub exited_total: u32,
    pub village_target_cumulative: Option<u32>,
    pub poor_at_start: Option<u32>,
    pub remaining_poor: Option<u32>,
}

/// The plan's final accounting: every year of it against its targets and the base.
#[derive(Debug, Clone, Serialize)]
pub struct PlanFigures {
    pub first_year: u16,
    pub last_year: u16,
    pub base_people: u32,
    pub base_villages: u32,
    pub years: Vec<PlanYear>,
    /// Lifted over the plan; `None` when a year's is unknown.
    pub lifted_total: Option<u32>,
    /// Lifted over the plan ÷ the base.
    pub completion_pct: Option<f64>,
    pub exited_total: u32,
    pub villages_pct: Option<f64>,
    pub remaining_poor: u32,
    /// The deep-poverty villages and the heavy-task villages at the end.
    pub deep_villages: Vec<VillageFigures>,
    pub deep_exited: usize,
    /// The deep-poverty villages still at or above the plan's incidence line, if it gives one.
    pub deep_line_pct: Option<f64>,
    pub deep_above_line: Option<usize>,
    pub heavy_villages: Vec<VillageFigures>,
}

/// A year of the plan from its December's figures, or what the office stated of it.
fn plan_year(plan: &Plan, m: &super::MonthFigures) -> PlanYear {
    let (c, year) = (&m.county, m.period.year);
    let reported = m.townships.iter().all(|t| t.status.has_figures());
    let stated_exits = |t: &str| {
        let by_year = plan.start.as_ref().filter(|s| year < s.month.year)?.exited.as_ref()?;
        Some(by_year.get(t).and_then(|b| b.get(&year)).map_or(0, |vs| vs.len() as i64))
    };
    let has = |t: &TownshipFigures| t.status.has_figures();
    let lifted: Option<u32> = m.townships.iter().map(|t| if has(t) { Some(t.lifted_to_date) } else { plan.lifted_before_start(&t.name, year) }).sum();
    let exited: Option<i64> = m.townships.iter().map(|t| if has(t) { Some(t.exited_this_year) } else { stated_exits(&t.name) }).sum();
    PlanYear {
        year,
        reported,
        target_people: c.year_target,
        lifted,
        completion_pct: c.year_target.zip(lifted).and_then(|(t, l)| pct_against(l.into(), t.into(), 1, 1)),
        target_villages: c.village_target,
        exited_this_year: exited,
        exited_total: c.exited_total,
        village_target_cumulative: c.village_target_cumulative,
        poor_at_start: reported.then_some(c.poor_at_start),
        remaining_poor: reported.then_some(c.remaining_poor),
    }
}

/// The plan's span (its years) against its base, once its last December has a report.
pub fn plan(plan: &Plan, reports: &[Report], unverified: &BTreeSet<String>) -> Option<PlanFigures> {
    let (first, last) = (*plan.years.first()?, *plan.years.last()?);
    let end = Period::new(last, 12)?;
    if !reports.iter().any(|r| r.period == end) {
        return None;
    }
    let decembers: Vec<super::MonthFigures> = plan.years.iter().filter_map(|&y| Period::new(y, 12)).map(|p| month(plan, reports, p, unverified)).collect();
    let years: Vec<PlanYear> = decembers.iter().map(|m| plan_year(plan, m)).collect();
    let final_month = decembers.last()?;
    let heavy = super::listed_villages(plan, &super::Seen::new(reports, end, unverified).sources(plan, end), &plan.heavy_villages_ordered());
    let base = plan.rolling_plan.base;
    let lifted_total: Option<u32> = years.iter().map(|y| y.lifted).sum();
    let exited_total = final_month.county.exited_total;
    Some(PlanFigures {
        first_year: first,
        last_year: last,
        base_people: base.poor_population,
        base_villages: base.poor_villages,
        lifted_total,
        completion_pct: lifted_total.and_then(|l| pct(l.into(), base.poor_population.into())),
        exited_total,
        villages_pct: pct(exited_total.into(), base.poor_villages.into()),
        remaining_poor: final_month.county.remaining_poor,
        deep_exited: final_month.deep_villages.iter().filter(|v| v.exited).count(),
        deep_line_pct: plan.deep_poverty_villages.incidence_line_pct,
        deep_above_line: plan.deep_poverty_villages.incidence_line_pct.map(|l| final_month.deep_villages.iter().filter(|v| still_deep(v, pct_line(l))).count()),
        deep_villages: final_month.deep_villages.clone(),
        heavy_villages: heavy,
        years,
    })
}
