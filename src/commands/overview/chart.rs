//! The year's progress on 结果一览: the county's cumulative 脱贫人数 month by month against the
//! year's target and the time schedule (时序进度), from the figures the bulletins print
//! (`aggregate::month`), drawn as inline SVG with the same numbers in a table beside it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::base::period::Period;
use crate::figures::checked::Checked;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 36.0;

#[derive(Serialize)]
pub struct Chart {
    year: u16,
    target: Option<u32>,
    width: f64,
    height: f64,
    months: Vec<Month>,
    /// The time schedule as an SVG polyline (`x,y x,y …`), when there is a target.
    schedule: String,
    /// The target's height, when there is one.
    target_y: Option<f64>,
    ticks: Vec<Tick>,
    axis_y: f64,
    left: f64,
    right: f64,
}

#[derive(Serialize)]
struct Month {
    label: String,
    /// The cumulative figure; `None` for a month with no bulletin (held back, or no data yet).
    value: Option<u32>,
    schedule: Option<u32>,
    held: bool,
    x: f64,
    bar_x: f64,
    bar_width: f64,
    y: f64,
    bar_height: f64,
}

#[derive(Serialize)]
struct Tick {
    label: String,
    y: f64,
}

/// The chart of `latest`'s year, if the plan has figures for it.
pub fn chart(c: &Checked, latest: Period, held: &BTreeMap<String, Vec<String>>) -> Option<Chart> {
    let none = BTreeSet::new();
    let figures: Vec<(Period, u32, Option<u32>, u32)> = latest
        .year_to_date()
        .into_iter()
        .filter_map(|p| {
            // A month no township reported has no figure of its own to show (never a 0, nor
            // the figure of an earlier month carried forward).
            c.reports.iter().any(|r| r.period == p).then_some(())?;
            let f = crate::figures::aggregate::month(&c.plan, &c.reports, p, &none).county;
            let schedule = f.year_target.map(|t| (f64::from(t) * f.time_progress_pct / 100.0).round() as u32);
            Some((p, f.lifted_to_date, f.year_target, schedule.unwrap_or(0)))
        })
        .collect();
    let target = figures.iter().find_map(|f| f.2);
    let top = figures.iter().map(|f| f.1).chain(target).max().filter(|m| *m > 0)?;
    let top = nice(top);
    let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    let slot = plot_w / 12.0;
    let y = |v: f64| TOP + plot_h * (1.0 - v / f64::from(top));
    let months = (1..=12u8)
        .map(|m| {
            let f = figures.iter().find(|f| f.0.month == m);
            let is_held = f.is_some_and(|f| held.contains_key(&crate::documents::bulletin_id(f.0)));
            let value = f.filter(|_| !is_held).map(|f| f.1);
            let v = f64::from(value.unwrap_or(0));
            Month {
                label: format!("{m}月"),
                value,
                schedule: f.filter(|f| f.2.is_some()).map(|f| f.3),
                held: is_held,
                x: round(LEFT + slot * (f64::from(m) - 0.5)),
                bar_x: round(LEFT + slot * (f64::from(m) - 1.0) + slot * 0.2),
                bar_width: round(slot * 0.6),
                y: round(y(v)),
                bar_height: round(TOP + plot_h - y(v)),
            }
        })
        .collect();
    // 时序进度 runs from 0 at the year's start to the target at its end.
    let schedule = target.map_or(String::new(), |t| format!("{},{} {},{}", round(LEFT), round(y(0.0)), round(LEFT + plot_w), round(y(f64::from(t)))));
    let ticks = [0, top / 2, top].into_iter().map(|v| Tick { label: v.to_string(), y: round(y(f64::from(v))) }).collect();
    Some(Chart {
        year: latest.year,
        target,
        width: WIDTH,
        height: HEIGHT,
        months,
        schedule,
        target_y: target.map(|t| round(y(f64::from(t)))),
        ticks,
        axis_y: round(y(0.0)),
        left: LEFT,
        right: WIDTH - RIGHT,
    })
}

/// The axis top: `n` rounded up to 1, 2, 3, 4, 5, 6 or 8 times a power of ten.
fn nice(n: u32) -> u32 {
    let mut step = 1u32;
    loop {
        for k in [1, 2, 3, 4, 5, 6, 8] {
            if step.saturating_mul(k) >= n {
                return step * k;
            }
        }
        step = step.saturating_mul(10);
    }
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::nice;

    #[test]
    fn the_axis_ends_at_a_round_number() {
        assert_eq!([nice(1), nice(3), nice(7), nice(5437), nice(10_000), nice(10_001)], [1, 3, 8, 6_000, 10_000, 20_000]);
    }
}
