//! Aggregation (pure: reports in, figures out): township and county figures
//! for a month, with carry-forward of missing reports within the year. The rules: README.md here.

pub mod ratio;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::base::period::Period;
use crate::reading::submission::Report;
use crate::setup::plan::{IndicatorKind, ListedAs, Plan};
use crate::validate::{canonical_name, village_type};
use ratio::{pct, pct_against, pp_diff, wan};

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
    /// 累计出列村数: its poverty villages marked 是 (an exit of an earlier year stays 是).
    pub exited_total: u32,
    /// 本年出列村数: `exited_total` less the count at its last report of the previous year.
    pub exited_this_year: i64,
    /// That count at the end of the previous year; `None`: no report of that year (上年数据缺失),
    /// and every village marked 是 counts as this year's.
    pub exited_before_year: Option<u32>,
    pub planned_wan: f64,
    pub disbursed_wan: f64,
    pub disbursement_pct: Option<f64>,
    pub rank: Option<u32>,
    #[serde(skip)]
    pub(crate) planned_cents: i64,
    #[serde(skip)]
    pub(crate) disbursed_cents: i64,
    /// The exact ratio the progress column shows and the ranking uses.
    #[serde(skip)]
    pub(crate) progress: Option<(u32, u32)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountyFigures {
    pub poor_at_start: u32,
    pub lifted_this_month: u32,
    pub lifted_to_date: u32,
    /// The townships' progress figure (减贫进度 or 完成率, as they are ranked) for the county:
    /// the sum of their numerators over the sum of their denominators.
    pub progress_pct: Option<f64>,
    pub year_target: Option<u32>,
    pub completion_pct: Option<f64>,
    pub time_progress_pct: f64,
    /// 年度目标完成率 − 时序进度, percentage points (positive: ahead).
    pub schedule_gap_pp: Option<f64>,
    /// 累计出列村数 and 本年出列村数 (see `TownshipFigures`).
    pub exited_total: u32,
    pub exited_this_year: i64,
    /// The year's village target (附件1) and this year's exits against it.
    pub village_target: Option<u32>,
    pub village_completion_pct: Option<f64>,
    /// The villages to exit from the plan's start to the end of this year, and all exits so far against it.
    pub village_target_cumulative: Option<u32>,
    pub village_cumulative_pct: Option<f64>,
    pub planned_wan: f64,
    pub disbursed_wan: f64,
    pub disbursement_pct: Option<f64>,
    pub integrated_wan: f64,
    pub integrated_to_deep_wan: f64,
    pub integrated_to_deep_pct: Option<f64>,
    /// The plan's minimum share (70 %), and whether the exact share meets it.
    pub integrated_rule_pct: f64,
    pub integrated_rule_met: Option<bool>,
    pub remaining_poor: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct VillageFigures {
    pub township: String,
    pub name: String,
    /// One of the four villages above 30 % (解剖麻雀).
    pub focus: bool,
    pub reported: bool,
    /// Its township's report has errors (draft builds): 有误, never 未报 or 否.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unverified: bool,
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
    /// County figure of the year: year to date (flow) or level (stock).
    pub year_to_date: f64,
    /// The figure compared with the target: for a multi-year flow target, the running total
    /// since the target's first year; otherwise `year_to_date`.
    pub value: f64,
    pub target: Option<f64>,
    pub target_span: Option<String>,
    pub completion_pct: Option<f64>,
    pub time_progress_pct: Option<f64>,
    /// `value` ÷ target below the share of the target's months elapsed (exact).
    pub behind_schedule: bool,
    #[serde(skip)]
    pub(crate) year_to_date_hundredths: i64,
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
    /// Townships with no report of the previous year (上年数据缺失): their 本年出列村数 counts
    /// every village marked 是.
    pub exits_unknown: Vec<String>,
    pub ranked_by: RankedBy,
}

/// Computes the month's figures from the reports that feed it (see `seen`). `reports` are the
/// validated reports of any months; those whose file is in `unverified` (data errors, draft
/// builds) are shown as 数据待核.
pub fn month(plan: &Plan, reports: &[Report], period: Period, unverified: &BTreeSet<String>) -> MonthFigures {
    let seen = Seen::new(reports, period, unverified);
    let sources = seen.sources(plan, period);
    let ranked_by = ranking(plan, period.year);
    let mut townships: Vec<TownshipFigures> = sources.iter().map(|(t, s, r)| township(plan, &seen, t, *s, *r, ranked_by)).collect();
    rank(&mut townships);
    let county = county(plan, &townships, &sources, period);
    MonthFigures {
        period,
        county,
        deep_villages: listed_villages(plan, &sources, &plan.deep_villages_ordered()),
        deep_projects: deep_projects(plan, &sources),
        indicators: indicators(plan, &seen, &sources),
        not_reported: sources.iter().filter(|(_, s, _)| matches!(s, Status::CarriedForward | Status::Missing)).map(|(t, ..)| t.to_string()).collect(),
        unverified: sources.iter().filter(|(_, s, _)| *s == Status::Unverified).map(|(t, ..)| t.to_string()).collect(),
        exits_unknown: townships.iter().filter(|t| t.exited_before_year.is_none() && t.status.has_figures()).map(|t| t.name.clone()).collect(),
        townships,
        ranked_by,
    }
}

/// What townships are ranked by: 完成率 against their own targets when the plan gives every
/// township one for the year, else 减贫进度. The column and the ranking use the same figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankedBy {
    Completion,
    Progress,
}

/// Written as its label, as the figures' JSON and the templates have always had it.
impl Serialize for RankedBy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

impl std::fmt::Display for RankedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl RankedBy {
    pub fn label(self) -> &'static str {
        match self {
            RankedBy::Completion => "完成率",
            RankedBy::Progress => "减贫进度",
        }
    }
}

fn ranking(plan: &Plan, year: u16) -> RankedBy {
    let all = !plan.townships.is_empty() && plan.townships.iter().all(|t| plan.township_target(t, year).is_some());
    if all {
        RankedBy::Completion
    } else {
        RankedBy::Progress
    }
}

/// Whether a village's 是 counts as an exit of the plan: a poverty village that had not
/// exited before the plan's first year.
pub fn counts_as_exit(plan: &Plan, township: &str, v: &crate::reading::submission::VillageRow) -> bool {
    v.exited && village_type(plan, township, v).is_poverty_village() && !plan.exited_before_plan(township, &v.name)
}

/// Poverty villages a report marks as exited (累计出列村数).
fn exited(plan: &Plan, township: &str, r: &Report) -> u32 {
    r.villages.iter().filter(|v| counts_as_exit(plan, township, v)).count() as u32
}

/// A township's 累计出列村数 at the end of the year before `year`: none in the plan's first
/// year (its base has no exits); else its last report of that year, else what the office
/// stated of the years before it started (`plan.yaml`'s `start.exited`); `None` when neither
/// says (上年数据缺失).
fn exits_before(plan: &Plan, seen: &Seen, township: &str, year: u16) -> Option<u32> {
    if year <= plan.rolling_plan.base_year + 1 {
        return Some(0);
    }
    let december = Period::new(year - 1, 12)?;
    match seen.source(township, december).1 {
        Some(r) => Some(exited(plan, township, r)),
        None => plan.exits_before_start(township, year),
    }
}

fn township(plan: &Plan, seen: &Seen, name: &str, status: Status, r: Option<&Report>, ranked_by: RankedBy) -> TownshipFigures {
    let period = seen.period;
    let villages = r.map(|r| r.villages.as_slice()).unwrap_or_default();
    let projects = r.map(|r| r.projects.as_slice()).unwrap_or_default();
    let poor_at_start: u32 = villages.iter().map(|v| v.poor_at_start).sum();
    let lifted_to_date: u32 = villages.iter().map(|v| v.lifted_to_date).sum();
    let planned: i64 = projects.iter().map(|p| p.planned).sum();
    let disbursed: i64 = projects.iter().map(|p| p.disbursed).sum();
    let target = plan.township_target(name, period.year);
    let progress_den = match ranked_by {
        RankedBy::Completion => target.unwrap_or(0),
        RankedBy::Progress => poor_at_start,
    };
    let exited_total = r.map_or(0, |r| exited(plan, name, r));
    let before = r.and(exits_before(plan, seen, name, period.year));
    TownshipFigures {
        name: name.to_string(),
        status,
        carried_from: r.filter(|_| status == Status::CarriedForward).map(|r| r.period),
        poor_at_start,
        lifted_this_month: (status == Status::Reported).then(|| villages.iter().map(|v| v.lifted_this_month).sum()),
        lifted_to_date,
        progress_pct: if r.is_some() { pct(lifted_to_date.into(), progress_den.into()) } else { None },
        township_target: target,
        exited_total,
        exited_this_year: i64::from(exited_total) - i64::from(before.unwrap_or(0)),
        exited_before_year: before,
        planned_wan: wan(planned),
        disbursed_wan: wan(disbursed),
        disbursement_pct: pct(disbursed.into(), planned.into()),
        rank: None,
        planned_cents: planned,
        disbursed_cents: disbursed,
        progress: (r.is_some() && progress_den > 0).then_some((lifted_to_date, progress_den)),
    }
}

/// Ranks by the exact ratio the progress column shows; ties share a rank.
fn rank(townships: &mut [TownshipFigures]) {
    let keys: Vec<Option<(u32, u32)>> = townships.iter().map(|t| t.progress.filter(|_| t.status.has_figures())).collect();
    for (i, t) in townships.iter_mut().enumerate() {
        if let Some((a, b)) = keys[i] {
            let better = keys.iter().flatten().filter(|(c, d)| ratio::cmp_ratio((*c).into(), (*d).into(), a.into(), b.into()).is_gt()).count();
            t.rank = Some(better as u32 + 1);
        }
    }
}

fn county(plan: &Plan, ts: &[TownshipFigures], sources: &[(&str, Status, Option<&Report>)], period: Period) -> CountyFigures {
    let target = plan.year_target(period.year);
    let lifted_to_date: u32 = ts.iter().map(|t| t.lifted_to_date).sum();
    let poor_at_start: u32 = ts.iter().map(|t| t.poor_at_start).sum();
    let exited_total: u32 = ts.iter().map(|t| t.exited_total).sum();
    let exited_this_year: i64 = ts.iter().map(|t| t.exited_this_year).sum();
    let planned: i64 = ts.iter().map(|t| t.planned_cents).sum();
    let disbursed: i64 = ts.iter().map(|t| t.disbursed_cents).sum();
    let (integrated, to_deep) = integrated_funds(plan, sources);
    let share = plan.funding.integrated_share_ten_thousandths();
    let m = i128::from(period.month);
    let cumulative_target = plan.village_target_through(period.year);
    CountyFigures {
        poor_at_start,
        lifted_this_month: ts.iter().filter_map(|t| t.lifted_this_month).sum(),
        lifted_to_date,
        progress_pct: {
            let (num, den) = ts.iter().filter_map(|t| t.progress).fold((0u64, 0u64), |(a, b), (c, d)| (a + u64::from(c), b + u64::from(d)));
            pct(num.into(), den.into())
        },
        year_target: target.map(|t| t.poor_population),
        completion_pct: target.and_then(|t| pct_against(lifted_to_date.into(), t.poor_population.into(), 1, 1)),
        time_progress_pct: pct(m, 12).unwrap_or(0.0),
        schedule_gap_pp: target.and_then(|t| pp_diff(lifted_to_date.into(), t.poor_population.into(), m, 12)),
        exited_total,
        exited_this_year,
        village_target: target.map(|t| t.poor_villages),
        // Against the year's target only when every township's base of 本年 is known.
        village_completion_pct: target
            .filter(|_| ts.iter().all(|t| t.exited_before_year.is_some() || !t.status.has_figures()))
            .and_then(|t| pct_against(exited_this_year.into(), t.poor_villages.into(), 1, 1)),
        village_target_cumulative: cumulative_target,
        village_cumulative_pct: cumulative_target.and_then(|t| pct_against(exited_total.into(), t.into(), 1, 1)),
        planned_wan: wan(planned),
        disbursed_wan: wan(disbursed),
        disbursement_pct: pct(disbursed.into(), planned.into()),
        integrated_wan: wan(integrated),
        integrated_to_deep_wan: wan(to_deep),
        integrated_to_deep_pct: pct_against(to_deep.into(), integrated.into(), share.into(), 10_000),
        integrated_rule_pct: share as f64 / 100.0,
        integrated_rule_met: (integrated > 0).then(|| i128::from(to_deep) * 10_000 >= i128::from(integrated) * i128::from(share)),
        remaining_poor: poor_at_start - lifted_to_date,
    }
}

/// Whether a project's funds are 统筹整合 (the plan's 70 % rule is about them).
fn is_integrated(p: &crate::reading::submission::ProjectRow) -> bool {
    p.source.as_deref() == Some("统筹整合")
}

/// The deep-poverty village (the plan's spelling) a project is located in, if any.
fn deep_village_of<'p>(plan: &'p Plan, township: &str, p: &crate::reading::submission::ProjectRow) -> Option<&'p str> {
    match p.village.as_deref().and_then(|v| plan.listed_village(township, v)) {
        Some((village, ListedAs::DeepPoverty)) => Some(village),
        _ => None,
    }
}

/// The 统筹整合 projects located in deep-poverty villages, in township order.
fn deep_projects(plan: &Plan, sources: &[(&str, Status, Option<&Report>)]) -> Vec<ProjectFigures> {
    let mut out = Vec::new();
    for (t, _, r) in sources {
        for p in r.map(|r| r.projects.as_slice()).unwrap_or_default() {
            let Some(village) = deep_village_of(plan, t, p).filter(|_| is_integrated(p)) else { continue };
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
        for p in r.map(|r| r.projects.as_slice()).unwrap_or_default().iter().filter(|p| is_integrated(p)) {
            all += p.planned;
            if deep_village_of(plan, t, p).is_some() {
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
            let source = sources.iter().find(|(s, ..)| *s == t);
            let report = source.and_then(|(_, _, r)| *r);
            let row = report.and_then(|r| r.villages.iter().find(|v| crate::setup::plan::same_village(canonical_name(plan, t, v), name)));
            VillageFigures {
                township: t.to_string(),
                name: name.to_string(),
                focus: focus.iter().any(|f| f == name),
                reported: row.is_some(),
                unverified: source.is_some_and(|(_, s, _)| *s == Status::Unverified),
                population: row.map(|v| v.population),
                poor_at_start: row.map(|v| v.poor_at_start),
                remaining_poor: row.map(|v| v.remaining_poor()),
                incidence_pct: row.and_then(|v| pct(v.remaining_poor().into(), v.population.into())),
                exited: row.is_some_and(|v| v.exited && village_type(plan, t, v).is_poverty_village()),
                remark: row.map(|v| v.remark.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

mod indicators;
pub mod notices;
pub mod quarter;
pub mod xun;
pub mod year;
pub use crate::seen::{feeding, Dated, Seen, Sources, Status};
use indicators::indicators;
