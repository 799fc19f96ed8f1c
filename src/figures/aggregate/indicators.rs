//! County indicator figures against the plan's targets and time progress, in exact integer
//! arithmetic (hundredths of the unit).

use super::ratio::{pct, pct_against, wan};
use super::{IndicatorFigures, Seen, Sources};
use crate::base::period::Period;
use crate::setup::plan::{Indicator, IndicatorKind, Plan};

/// County figure of an indicator, in hundredths: Σ over townships of the report each one's
/// figures come from (flow: 本年累计; stock: the level).
fn county_value(sources: &Sources, ind: &Indicator) -> i64 {
    sources.iter().filter_map(|(_, _, r)| (*r)?.indicators.iter().find(|i| i.name == ind.name).map(|i| i.to_date)).sum()
}

/// Every indicator of the plan at the period `seen` stands at, whose townships' reports are `now`.
pub fn indicators(plan: &Plan, seen: &Seen, now: &Sources) -> Vec<IndicatorFigures> {
    plan.indicators.iter().map(|ind| indicator(plan, seen, now, ind)).collect()
}

fn indicator(plan: &Plan, seen: &Seen, now: &Sources, ind: &Indicator) -> IndicatorFigures {
    let period = seen.period;
    let target = ind.target_for(period.year);
    let year_to_date = county_value(now, ind);
    let mut value = year_to_date;
    // A multi-year flow target counts the earlier years' totals too (each year's last reports).
    if let Some(t) = target.filter(|t| t.from < period.year && ind.kind == IndicatorKind::Flow) {
        for december in (t.from..period.year).filter_map(|y| Period::new(y, 12)) {
            value += county_value(&seen.sources(plan, december), ind);
        }
    }
    // Months of the target's span elapsed by the end of the period, of all its months.
    let months = target.map(|t| (i128::from(period.year - t.from) * 12 + i128::from(period.month), i128::from(t.to - t.from + 1) * 12));
    IndicatorFigures {
        name: ind.name.clone(),
        unit: ind.unit.clone(),
        kind: ind.kind,
        section: ind.section.clone(),
        year_to_date: wan(year_to_date),
        value: wan(value),
        target: target.map(|t| t.value),
        target_span: target.map(|t| if t.from == t.to { format!("{}年", t.from) } else { format!("{}—{}年", t.from, t.to) }),
        // Shown beside 滞后/达到: never on the wrong side of the time progress it is judged by.
        completion_pct: target.and_then(|t| match months {
            Some((elapsed, total)) => pct_against(value.into(), t.hundredths().into(), elapsed, total),
            None => pct(value.into(), t.hundredths().into()),
        }),
        time_progress_pct: months.and_then(|(elapsed, total)| pct(elapsed, total)),
        behind_schedule: match (target, months) {
            (Some(t), Some((elapsed, total))) => i128::from(value) * total < elapsed * i128::from(t.hundredths()),
            _ => false,
        },
        year_to_date_hundredths: year_to_date,
    }
}
