//! Aggregation (pure: reports in, figures out) per figures.md: township and county figures
//! for a month, with carry-forward of missing reports within the year.

pub mod ratio;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::period::Period;
use crate::plan::{IndicatorKind, ListedAs, Plan};
use crate::submission::{Report, VillageType};
use crate::validate::{canonical_name, village_type};
use ratio::{pct, pp_diff, wan};

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

#[derive(Debug, Clone, Serialize)]
pub struct TownshipFigures {
    pub name: String,
    pub status: Status,
    pub carried_from: Option<Period>,
    pub poor_at_start: u32,
    /// `None` when not reported this month.
    pub lifted_this_month: Option<u32>,
    pub lifted_to_date: u32,
    /// 减贫进度 (or 完成率 against a township target), percent.
    pub progress_pct: Option<f64>,
    pub township_target: Option<u32>,
    pub exited_villages: u32,
    pub planned_wan: f64,
    pub disbursed_wan: f64,
    pub disbursement_pct: Option<f64>,
    pub rank: Option<u32>,
    #[serde(skip)]
    pub(crate) planned_cents: i64,
    #[serde(skip)]
    pub(crate) disbursed_cents: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountyFigures {
    pub poor_at_start: u32,
    pub lifted_this_month: u32,
    pub lifted_to_date: u32,
    pub year_target: Option<u32>,
    pub completion_pct: Option<f64>,
    pub time_progress_pct: f64,
    /// 年度目标完成率 − 时序进度, percentage points (positive: ahead).
    pub schedule_gap_pp: Option<f64>,
    pub exited_villages: u32,
    pub village_target: Option<u32>,
    pub village_completion_pct: Option<f64>,
    pub planned_wan: f64,
    pub disbursed_wan: f64,
    pub disbursement_pct: Option<f64>,
    pub integrated_wan: f64,
    pub integrated_to_deep_wan: f64,
    pub integrated_to_deep_pct: Option<f64>,
    pub integrated_rule_pct: f64,
    pub remaining_poor: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct VillageFigures {
    pub township: String,
    pub name: String,
    /// One of the four villages above 30 % (解剖麻雀).
    pub focus: bool,
    pub reported: bool,
    pub population: Option<u32>,
    pub poor_at_start: Option<u32>,
    pub remaining_poor: Option<u32>,
    pub incidence_pct: Option<f64>,
    pub exited: bool,
    /// 备注 as the township typed it.
    pub remark: String,
}

/// A project of 统筹整合 funds located in a deep-poverty village.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectFigures {
    pub township: String,
    pub name: String,
    pub village: String,
    pub category: Option<String>,
    pub planned_wan: f64,
    pub disbursed_wan: f64,
    pub disbursement_pct: Option<f64>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorFigures {
    pub name: String,
    pub unit: String,
    pub kind: IndicatorKind,
    pub section: String,
    /// County figure: year to date (flow) or level (stock); for a multi-year target, the
    /// running total since the target's first year.
    pub value: f64,
    pub target: Option<f64>,
    pub target_span: Option<String>,
    pub completion_pct: Option<f64>,
    pub time_progress_pct: Option<f64>,
    pub behind_schedule: bool,
}

/// Everything the monthly bulletin shows.
#[derive(Debug, Clone, Serialize)]
pub struct MonthFigures {
    pub period: Period,
    pub county: CountyFigures,
    pub townships: Vec<TownshipFigures>,
    pub deep_villages: Vec<VillageFigures>,
    pub deep_projects: Vec<ProjectFigures>,
    pub indicators: Vec<IndicatorFigures>,
    /// Townships with no report for the month (未报送).
    pub not_reported: Vec<String>,
    /// Townships whose report has errors, left out of the figures (数据待核, draft builds).
    pub unverified: Vec<String>,
    pub ranked_by: &'static str,
}

/// The report a township's figures for `period` come from: its own, or the latest earlier one of the year.
fn source_report<'a>(reports: &'a [Report], township: &str, period: Period, unverified: &BTreeSet<String>) -> (Status, Option<&'a Report>) {
    let (status, report) = latest_report(reports, township, period);
    match report {
        Some(r) if unverified.contains(&r.file) => (Status::Unverified, None),
        _ => (status, report),
    }
}

fn latest_report<'a>(reports: &'a [Report], township: &str, period: Period) -> (Status, Option<&'a Report>) {
    let same_year = reports.iter().filter(|r| r.township == township && r.period.year == period.year);
    if let Some(r) = same_year.clone().find(|r| r.period == period) {
        return (Status::Reported, Some(r));
    }
    match same_year.filter(|r| r.period < period).max_by_key(|r| r.period) {
        Some(r) => (Status::CarriedForward, Some(r)),
        None => (Status::Missing, None),
    }
}

/// Each township of the plan with the report its figures for a month come from.
type Sources<'a> = Vec<(&'a str, Status, Option<&'a Report>)>;

fn sources<'a>(plan: &'a Plan, reports: &'a [Report], period: Period, unverified: &BTreeSet<String>) -> Sources<'a> {
    plan.townships
        .iter()
        .map(|t| {
            let (s, r) = source_report(reports, t, period, unverified);
            (t.as_str(), s, r)
        })
        .collect()
}

/// Computes the month's figures. `reports` are the validated reports of any months;
/// reports whose file is in `unverified` (data errors, draft builds) are shown as 数据待核.
pub fn month(plan: &Plan, reports: &[Report], period: Period, unverified: &BTreeSet<String>) -> MonthFigures {
    let sources = sources(plan, reports, period, unverified);
    let mut townships: Vec<TownshipFigures> =
        sources.iter().map(|(t, s, r)| township(plan, t, *s, *r, period)).collect();
    let ranked_by = rank(&mut townships);
    let county = county(plan, &townships, &sources, period);
    MonthFigures {
        period,
        county,
        deep_villages: listed_villages(plan, &sources, &plan.deep_villages_ordered()),
        deep_projects: deep_projects(plan, &sources),
        indicators: indicators(plan, reports, &sources, period, unverified),
        not_reported: sources
            .iter()
            .filter(|(_, s, _)| matches!(s, Status::CarriedForward | Status::Missing))
            .map(|(t, ..)| t.to_string())
            .collect(),
        unverified: sources.iter().filter(|(_, s, _)| *s == Status::Unverified).map(|(t, ..)| t.to_string()).collect(),
        townships,
        ranked_by,
    }
}

fn township(plan: &Plan, name: &str, status: Status, r: Option<&Report>, period: Period) -> TownshipFigures {
    let villages = r.map(|r| r.villages.as_slice()).unwrap_or_default();
    let projects = r.map(|r| r.projects.as_slice()).unwrap_or_default();
    let poor_at_start: u32 = villages.iter().map(|v| v.poor_at_start).sum();
    let lifted_to_date: u32 = villages.iter().map(|v| v.lifted_to_date).sum();
    let planned: i64 = projects.iter().map(|p| p.planned).sum();
    let disbursed: i64 = projects.iter().map(|p| p.disbursed).sum();
    let target = plan.township_target(name, period.year);
    let progress_den = target.unwrap_or(poor_at_start);
    TownshipFigures {
        name: name.to_string(),
        status,
        carried_from: r.filter(|_| status == Status::CarriedForward).map(|r| r.period),
        poor_at_start,
        lifted_this_month: (status == Status::Reported).then(|| villages.iter().map(|v| v.lifted_this_month).sum()),
        lifted_to_date,
        progress_pct: if r.is_some() { pct(lifted_to_date.into(), progress_den.into()) } else { None },
        township_target: target,
        exited_villages: villages
            .iter()
            .filter(|v| v.exited && village_type(plan, name, v).is_poverty_village())
            .count() as u32,
        planned_wan: wan(planned),
        disbursed_wan: wan(disbursed),
        disbursement_pct: pct(disbursed.into(), planned.into()),
        rank: None,
        planned_cents: planned,
        disbursed_cents: disbursed,
    }
}

/// Ranks by 完成率 where every ranked township has a target, else by 减贫进度; ties share a rank.
fn rank(townships: &mut [TownshipFigures]) -> &'static str {
    let by_target = townships.iter().any(|t| t.township_target.is_some());
    let key = |t: &TownshipFigures| -> Option<(u64, u64)> {
        let den = if by_target { t.township_target? } else { t.poor_at_start };
        (matches!(t.status, Status::Reported | Status::CarriedForward) && den > 0).then_some((u64::from(t.lifted_to_date), u64::from(den)))
    };
    let keys: Vec<Option<(u64, u64)>> = townships.iter().map(key).collect();
    for (i, t) in townships.iter_mut().enumerate() {
        if let Some((a, b)) = keys[i] {
            let better = keys.iter().flatten().filter(|(c, d)| ratio::cmp(*c, *d, a, b).is_gt()).count();
            t.rank = Some(better as u32 + 1);
        }
    }
    if by_target { "完成率" } else { "减贫进度" }
}

fn county(plan: &Plan, ts: &[TownshipFigures], sources: &[(&str, Status, Option<&Report>)], period: Period) -> CountyFigures {
    let target = plan.year_target(period.year);
    let lifted_to_date: u32 = ts.iter().map(|t| t.lifted_to_date).sum();
    let poor_at_start: u32 = ts.iter().map(|t| t.poor_at_start).sum();
    let exited: u32 = ts.iter().map(|t| t.exited_villages).sum();
    let planned: i64 = ts.iter().map(|t| t.planned_cents).sum();
    let disbursed: i64 = ts.iter().map(|t| t.disbursed_cents).sum();
    let (integrated, to_deep) = integrated_funds(plan, sources);
    let m = i128::from(period.month);
    CountyFigures {
        poor_at_start,
        lifted_this_month: ts.iter().filter_map(|t| t.lifted_this_month).sum(),
        lifted_to_date,
        year_target: target.map(|t| t.poor_population),
        completion_pct: target.and_then(|t| pct(lifted_to_date.into(), t.poor_population.into())),
        time_progress_pct: pct(m, 12).unwrap_or(0.0),
        schedule_gap_pp: target.and_then(|t| pp_diff(lifted_to_date.into(), t.poor_population.into(), m, 12)),
        exited_villages: exited,
        village_target: target.map(|t| t.poor_villages),
        village_completion_pct: target.and_then(|t| pct(exited.into(), t.poor_villages.into())),
        planned_wan: wan(planned),
        disbursed_wan: wan(disbursed),
        disbursement_pct: pct(disbursed.into(), planned.into()),
        integrated_wan: wan(integrated),
        integrated_to_deep_wan: wan(to_deep),
        integrated_to_deep_pct: pct(to_deep.into(), integrated.into()),
        integrated_rule_pct: (plan.funding.integrated_funds_to_deep_min_share * 1000.0).round() / 10.0,
        remaining_poor: poor_at_start - lifted_to_date,
    }
}

/// The 统筹整合 projects located in deep-poverty villages, in township order.
fn deep_projects(plan: &Plan, sources: &[(&str, Status, Option<&Report>)]) -> Vec<ProjectFigures> {
    let mut out = Vec::new();
    for (t, _, r) in sources {
        for p in r.map(|r| r.projects.as_slice()).unwrap_or_default() {
            let at = p.village.as_deref().and_then(|v| plan.listed_village(t, v));
            let Some((village, ListedAs::DeepPoverty)) = at else { continue };
            if p.source.as_deref() != Some("统筹整合") {
                continue;
            }
            out.push(ProjectFigures {
                township: t.to_string(),
                name: p.name.clone(),
                village: village.to_string(),
                category: p.category.clone(),
                planned_wan: wan(p.planned),
                disbursed_wan: wan(p.disbursed),
                disbursement_pct: pct(p.disbursed.into(), p.planned.into()),
                status: p.status.clone(),
            });
        }
    }
    out
}

/// Σ 计划投资 of 统筹整合 projects, and of those located in a deep-poverty village.
fn integrated_funds(plan: &Plan, sources: &[(&str, Status, Option<&Report>)]) -> (i64, i64) {
    let mut all = 0;
    let mut deep = 0;
    for (t, _, r) in sources {
        for p in r.map(|r| r.projects.as_slice()).unwrap_or_default() {
            if p.source.as_deref() != Some("统筹整合") {
                continue;
            }
            all += p.planned;
            let at = p.village.as_deref().and_then(|v| plan.listed_village(t, v));
            if matches!(at, Some((_, ListedAs::DeepPoverty))) {
                deep += p.planned;
            }
        }
    }
    (all, deep)
}

/// Figures of the listed villages (附件2 or 附件3), in the plan's order.
fn listed_villages(plan: &Plan, sources: &[(&str, Status, Option<&Report>)], list: &[(&str, &str)]) -> Vec<VillageFigures> {
    let focus = &plan.deep_poverty_villages.focus;
    list.iter()
        .map(|&(t, name)| {
            let report = sources.iter().find(|(s, ..)| *s == t).and_then(|(_, _, r)| *r);
            let row = report.and_then(|r| r.villages.iter().find(|v| crate::plan::same_village(canonical_name(plan, t, v), name)));
            VillageFigures {
                township: t.to_string(),
                name: name.to_string(),
                focus: focus.iter().any(|f| f == name),
                reported: row.is_some(),
                population: row.map(|v| v.population),
                poor_at_start: row.map(|v| v.poor_at_start),
                remaining_poor: row.map(|v| v.remaining_poor()),
                incidence_pct: row.and_then(|v| pct(v.remaining_poor().into(), v.population.into())),
                exited: row.is_some_and(|v| v.exited && village_type(plan, t, v) != VillageType::非贫困村),
                remark: row.map(|v| v.remark.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

mod indicators;
pub mod quarter;
use indicators::indicators;
