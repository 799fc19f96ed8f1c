//! The year's figures (年度总结) and the plan's final accounting (三年行动计划完成情况). Both
//! are made of the month and quarter figures the bulletins and summaries show, at each year's
//! December: nothing is computed here its own way.

use std::collections::BTreeSet;

use serde::Serialize;

use super::quarter::{quarter, FundLine, MonthPoint, Quarter};
use super::ratio::{cmp_ratio, pct, pct_against};
use super::{month, CountyFigures, IndicatorFigures, TownshipFigures, VillageFigures};
use crate::diag::Diagnostic;
use crate::format as fmt;
use crate::period::Period;
use crate::plan::Plan;
use crate::submission::Report;

/// Incidence at or above which a village is still "deep" (贫困发生率20%以上, the plan's 附件2), percent.
const DEEP_INCIDENCE_PCT: i128 = 20;
/// Disbursement at year end below which a township's funds are slow (资金拨付率), percent.
pub const SLOW_DISBURSEMENT_PCT: i128 = 90;

/// Whether a village's exact incidence (remaining poor ÷ population) is at or above the line.
fn still_deep(v: &VillageFigures) -> bool {
    matches!((v.remaining_poor, v.population), (Some(r), Some(p)) if p > 0 && cmp_ratio(r.into(), p.into(), DEEP_INCIDENCE_PCT, 100).is_ge())
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: u16,
    /// December: the year's figures are its year-to-date figures.
    pub as_of: Period,
    pub county: CountyFigures,
    pub townships: Vec<TownshipFigures>,
    pub ranked_by: &'static str,
    pub trend: Vec<MonthPoint>,
    pub deep_villages: Vec<VillageFigures>,
    pub heavy_villages: Vec<VillageFigures>,
    pub indicators: Vec<IndicatorFigures>,
    pub funds_by_category: Vec<FundLine>,
    pub funds_by_source: Vec<FundLine>,
    /// 存在问题 and 下一步工作, from the figures.
    pub problems: Vec<String>,
    pub next_steps: Vec<String>,
}

/// The figures of `year`, as its December bulletin and fourth-quarter summary show them.
pub fn year(plan: &Plan, reports: &[Report], year: u16, diags: &[Diagnostic], unverified: &BTreeSet<String>) -> Option<YearFigures> {
    let december = Period::new(year, 12)?;
    let m = month(plan, reports, december, unverified);
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
        problems: Vec::new(),
        next_steps: Vec::new(),
    };
    (f.problems, f.next_steps) = problems(plan, &f);
    Some(f)
}

/// 存在问题 and 下一步工作: targets missed, indicators behind, villages still above 20 %,
/// slow disbursement, the 70 % rule; and the next year's targets.
fn problems(plan: &Plan, f: &YearFigures) -> (Vec<String>, Vec<String>) {
    let (mut problems, mut next) = (Vec::new(), Vec::new());
    let c = &f.county;
    if let (Some(target), Some(done)) = (c.year_target, c.completion_pct) {
        if c.lifted_to_date < target {
            problems.push(format!("全年脱贫{}人，未完成年度目标{target}人（完成{}），尚差{}人。", c.lifted_to_date, fmt::pct(Some(done)), target - c.lifted_to_date));
            next.push(format!("对未完成的{}人逐户分析原因，纳入下一年度优先帮扶。", target - c.lifted_to_date));
        }
    }
    if let Some(target) = c.village_target.filter(|t| c.exited_this_year < i64::from(*t)) {
        problems.push(format!("全年出列贫困村{}个，未完成年度目标{target}个。", c.exited_this_year));
    }
    let behind: Vec<&IndicatorFigures> = f.indicators.iter().filter(|i| i.behind_schedule).collect();
    if !behind.is_empty() {
        let names: Vec<String> = behind.iter().map(|i| format!("{}（完成{}）", i.name, fmt::pct(i.completion_pct))).collect();
        problems.push(format!("以下专项指标未达到进度要求：{}。", names.join("、")));
        next.push("滞后的专项指标逐项明确责任单位和完成时限，按月调度。".into());
    }
    let deep: Vec<String> = f
        .deep_villages
        .iter()
        .filter(|v| still_deep(v))
        .map(|v| {
            let shown = v.remaining_poor.zip(v.population).and_then(|(r, p)| pct_against(r.into(), p.into(), DEEP_INCIDENCE_PCT, 100));
            format!("{}{}（{}）", v.township, v.name, fmt::pct(shown))
        })
        .collect();
    if !deep.is_empty() {
        problems.push(format!("{}个深度贫困村年末贫困发生率仍在{DEEP_INCIDENCE_PCT}%以上：{}。", deep.len(), deep.join("、")));
        next.push(format!("贫困发生率仍在{DEEP_INCIDENCE_PCT}%以上的深度贫困村，统筹整合资金继续优先投入，逐村制定脱贫措施。"));
    }
    let slow: Vec<String> = f
        .townships
        .iter()
        .filter(|t| t.planned_cents > 0 && cmp_ratio(t.disbursed_cents.into(), t.planned_cents.into(), SLOW_DISBURSEMENT_PCT, 100).is_lt())
        .map(|t| format!("{}（{}）", t.name, fmt::pct(pct_against(t.disbursed_cents.into(), t.planned_cents.into(), SLOW_DISBURSEMENT_PCT, 100))))
        .collect();
    if !slow.is_empty() {
        problems.push(format!("部分乡镇资金拨付较慢，年末拨付率低于{SLOW_DISBURSEMENT_PCT}%：{}。", slow.join("、")));
        next.push("加快项目建设和资金拨付，年末未拨付资金逐项说明原因。".into());
    }
    if c.integrated_rule_met == Some(false) {
        problems.push(format!("统筹整合资金投向深度贫困村的比例为{}，未达到规划{}%的要求。", fmt::pct(c.integrated_to_deep_pct), fmt::wan(c.integrated_rule_pct)));
    }
    if let Some(t) = plan.year_target(f.year + 1) {
        next.push(format!("{}年目标：脱贫{}人，出列贫困村{}个。", f.year + 1, t.poor_population, t.poor_villages));
    }
    (problems, next)
}

/// One year of the plan against its targets.
#[derive(Debug, Clone, Serialize)]
pub struct PlanYear {
    pub year: u16,
    pub target_people: Option<u32>,
    pub lifted: u32,
    pub completion_pct: Option<f64>,
    pub target_villages: Option<u32>,
    pub exited_this_year: i64,
    pub exited_total: u32,
    pub village_target_cumulative: Option<u32>,
    pub poor_at_start: u32,
    pub remaining_poor: u32,
}

/// The plan's final accounting: every year of it against its targets and the base.
#[derive(Debug, Clone, Serialize)]
pub struct PlanFigures {
    pub first_year: u16,
    pub last_year: u16,
    pub base_people: u32,
    pub base_villages: u32,
    pub years: Vec<PlanYear>,
    pub lifted_total: u32,
    /// Lifted over the plan ÷ the base.
    pub completion_pct: Option<f64>,
    pub exited_total: u32,
    pub villages_pct: Option<f64>,
    pub remaining_poor: u32,
    /// The deep-poverty villages (附件2) and the heavy-task villages (附件3) at the end.
    pub deep_villages: Vec<VillageFigures>,
    pub deep_exited: usize,
    pub deep_above_20: usize,
    pub heavy_villages: Vec<VillageFigures>,
}

/// The plan's span (its years) against its base, once its last December has a report.
pub fn plan(plan: &Plan, reports: &[Report], unverified: &BTreeSet<String>) -> Option<PlanFigures> {
    let (first, last) = (*plan.years.first()?, *plan.years.last()?);
    let end = Period::new(last, 12)?;
    if !reports.iter().any(|r| r.period == end) {
        return None;
    }
    let decembers: Vec<super::MonthFigures> = plan.years.iter().filter_map(|&y| Period::new(y, 12)).map(|p| month(plan, reports, p, unverified)).collect();
    let years: Vec<PlanYear> = decembers
        .iter()
        .map(|m| {
            let c = &m.county;
            PlanYear {
                year: m.period.year,
                target_people: c.year_target,
                lifted: c.lifted_to_date,
                completion_pct: c.completion_pct,
                target_villages: c.village_target,
                exited_this_year: c.exited_this_year,
                exited_total: c.exited_total,
                village_target_cumulative: c.village_target_cumulative,
                poor_at_start: c.poor_at_start,
                remaining_poor: c.remaining_poor,
            }
        })
        .collect();
    let final_month = decembers.last()?;
    let heavy = super::listed_villages(plan, &super::Seen::new(reports, end, unverified).sources(plan, end), &plan.heavy_villages_ordered());
    let base = plan.rolling_plan.base;
    let lifted_total: u32 = years.iter().map(|y| y.lifted).sum();
    let exited_total = final_month.county.exited_total;
    Some(PlanFigures {
        first_year: first,
        last_year: last,
        base_people: base.poor_population,
        base_villages: base.poor_villages,
        lifted_total,
        completion_pct: pct(lifted_total.into(), base.poor_population.into()),
        exited_total,
        villages_pct: pct(exited_total.into(), base.poor_villages.into()),
        remaining_poor: final_month.county.remaining_poor,
        deep_exited: final_month.deep_villages.iter().filter(|v| v.exited).count(),
        deep_above_20: final_month.deep_villages.iter().filter(|v| still_deep(v)).count(),
        deep_villages: final_month.deep_villages.clone(),
        heavy_villages: heavy,
        years,
    })
}
