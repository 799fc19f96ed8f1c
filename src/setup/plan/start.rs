//! Where the office starts using jianbao (期初, `plan.yaml`'s `start`): the first month it
//! reports with it, and what stood before, so that an office that starts in the middle of its
//! plan gets true figures: months before the start are nobody's failure, and a village that
//! exited in an earlier year never counts in 本年.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Plan;
use crate::base::period::Period;

/// What the office states about its start.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Start {
    /// The first month the townships report with jianbao. Months before it are not 未报 or
    /// 逾期, nor a call, nor a 0 in a chart.
    pub month: Period,
    /// The villages that exited (出列) in each earlier year of the plan, by township then year.
    /// `None`: not stated (本年出列 of the start's year then rests on history not given); a
    /// township not named under a stated `exited` had no exits before the start.
    #[serde(default)]
    pub exited: Option<BTreeMap<String, BTreeMap<u16, Vec<String>>>>,
    /// People lifted out in each earlier year of the plan (the year's total), by township then
    /// year: what the plan's final accounting shows for years without reports.
    #[serde(default)]
    pub lifted: Option<BTreeMap<String, BTreeMap<u16, u32>>>,
}

impl Plan {
    /// A township's villages that exited before `year` (the base of its 本年出列), as the
    /// office stated them: `None` when `year` is after the start's year (the reports say it)
    /// or the office stated no exits.
    pub fn exits_before_start(&self, township: &str, year: u16) -> Option<u32> {
        let start = self.start.as_ref().filter(|s| year <= s.month.year)?;
        let exited = start.exited.as_ref()?;
        Some(exited.get(township).map_or(0, |by_year| by_year.range(..year).map(|(_, vs)| vs.len() as u32).sum()))
    }

    /// Whether a village of `township` exited in a year before `year`, as the office stated.
    pub fn stated_exit_before(&self, township: &str, name: &str, year: u16) -> bool {
        let by_year = self.start.as_ref().and_then(|s| s.exited.as_ref()).and_then(|e| e.get(township));
        by_year.is_some_and(|b| b.range(..year).any(|(_, vs)| vs.iter().any(|v| super::same_village(v, name))))
    }

    /// The people a township lifted out in `year`, as stated for a year wholly before the start.
    pub fn lifted_before_start(&self, township: &str, year: u16) -> Option<u32> {
        let start = self.start.as_ref().filter(|s| year < s.month.year)?;
        start.lifted.as_ref()?.get(township)?.get(&year).copied()
    }
}

/// The `start` section's own checks: a month within the plan's years, townships of the plan,
/// years before the start.
pub fn check(plan: &Plan) -> Vec<String> {
    let Some(s) = &plan.start else { return Vec::new() };
    let mut out = Vec::new();
    if !plan.years.contains(&s.month.year) {
        out.push(format!("start.month 为 {}，不在规划年份 {} 内。", s.month.chinese(), years(plan)));
    }
    let exited = s.exited.iter().flat_map(|e| e.iter().map(|(t, by)| (t, by.keys().copied().collect::<Vec<_>>())));
    let lifted = s.lifted.iter().flat_map(|l| l.iter().map(|(t, by)| (t, by.keys().copied().collect::<Vec<_>>())));
    for (key, (township, ys)) in exited.map(|e| ("exited", e)).chain(lifted.map(|l| ("lifted", l))) {
        if !plan.is_township(township) {
            out.push(format!("start.{key} 中的乡镇“{township}”不在 townships 列表中。"));
        }
        // Exits of the start's own year before its month may be listed (they count in 本年);
        // a year's people lifted only for years wholly before it.
        let last = if key == "exited" { s.month.year } else { s.month.year - 1 };
        for y in ys.into_iter().filter(|y| !plan.years.contains(y) || *y > last) {
            out.push(format!("start.{key} 中{township}的 {y} 年应是开始使用（{}）以前的规划年份。", s.month.chinese()));
        }
    }
    out
}

fn years(plan: &Plan) -> String {
    match (plan.years.first(), plan.years.last()) {
        (Some(a), Some(b)) => format!("{a}—{b}"),
        _ => String::new(),
    }
}
