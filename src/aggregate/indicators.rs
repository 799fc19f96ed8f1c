//! County indicator figures against the plan's targets and time progress.

use std::collections::BTreeSet;

use super::{sources, IndicatorFigures, Sources};
use crate::period::Period;
use crate::plan::{Indicator, Plan};
use crate::submission::Report;

/// County value of an indicator: Σ over townships of the report each one's figures come
/// from (flow: 本年累计; stock: the level).
fn county_value(sources: &Sources, ind: &Indicator) -> f64 {
    sources
        .iter()
        .filter_map(|(_, _, r)| (*r)?.indicators.iter().find(|i| i.name == ind.name).map(|i| i.to_date))
        .sum::<f64>()
        + 0.0 // an empty f64 sum is −0.0
}

/// The indicators at `period`, whose townships' reports are `now`.
pub fn indicators(plan: &Plan, reports: &[Report], now: &Sources, period: Period, unverified: &BTreeSet<String>) -> Vec<IndicatorFigures> {
    plan.indicators.iter().map(|ind| indicator(plan, reports, now, ind, period, unverified)).collect()
}

fn indicator(plan: &Plan, reports: &[Report], now: &Sources, ind: &Indicator, period: Period, unverified: &BTreeSet<String>) -> IndicatorFigures {
    let target = ind.target_for(period.year);
    let mut value = county_value(now, ind);
    // A multi-year flow target counts the earlier years' totals too.
    if let Some(t) = target.filter(|t| t.from < period.year && ind.kind == crate::plan::IndicatorKind::Flow) {
        for dec in (t.from..period.year).filter_map(|y| Period::new(y, 12)) {
            value += county_value(&sources(plan, reports, dec, unverified), ind);
        }
    }
    let time = target.map(|t| {
        let elapsed = f64::from(period.year - t.from) * 12.0 + f64::from(period.month);
        let total = f64::from(t.to - t.from + 1) * 12.0;
        elapsed / total
    });
    let completion = target.map(|t| value / t.value);
    IndicatorFigures {
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        kind: ind.kind,
        section: ind.section.clone(),
        value: (value * 100.0).round() / 100.0,
        target: target.map(|t| t.value),
        target_span: target.map(|t| if t.from == t.to { format!("{}年", t.from) } else { format!("{}—{}年", t.from, t.to) }),
        completion_pct: completion.map(round1),
        time_progress_pct: time.map(round1),
        behind_schedule: matches!((completion, time), (Some(c), Some(t)) if c < t),
    }
}

/// Percentage with one decimal, half away from zero.
fn round1(ratio: f64) -> f64 {
    (ratio * 1000.0).round() / 10.0
}
