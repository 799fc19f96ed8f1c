//! What the reports cover, said once for the whole folder: months nobody reported, a
//! township's missing months, history the figures need that the office did not state, and the
//! same warning repeated month after month.

use std::collections::{BTreeMap, BTreeSet};

use crate::base::diag::Diagnostic;
use crate::base::period::{months_cn, Period};
use crate::reading::submission::Report;
use crate::seen;
use crate::setup::plan::Plan;

/// The same warning (code, sheet, cell and words) in a township's reports of several months is
/// said once, on the latest of them, with the months: a village name typed the same way every
/// month is one thing to fix, not one per file. Errors stay on every file (each holds back
/// what uses it).
pub fn once_across_months(diags: Vec<Diagnostic>, reports: &[Report]) -> Vec<Diagnostic> {
    use crate::base::diag::Severity;
    let of: BTreeMap<&str, (&str, Period)> = reports.iter().map(|r| (r.file.as_str(), (r.township.as_str(), r.period))).collect();
    type Key = (String, Option<String>, Option<String>, String, String);
    let key = |d: &Diagnostic| -> Option<Key> {
        let (t, _) = of.get(d.file.as_str())?;
        (d.severity != Severity::Error && !d.changes_figures()).then(|| (d.code.clone(), d.sheet.clone(), d.cell.clone(), d.message.clone(), t.to_string()))
    };
    let mut months: BTreeMap<Key, Vec<Period>> = BTreeMap::new();
    for d in &diags {
        if let Some(k) = key(d) {
            months.entry(k).or_default().push(of[d.file.as_str()].1);
        }
    }
    diags
        .into_iter()
        .filter_map(|mut d| {
            let Some(ms) = key(&d).and_then(|k| months.get(&k)) else { return Some(d) };
            let here = of[d.file.as_str()].1;
            if ms.len() > 1 {
                if Some(&here) != ms.iter().max() {
                    return None;
                }
                d.message.push_str(&format!("（{}各月报表相同，只列一次）", months_cn(ms, true)));
            }
            Some(d)
        })
        .collect()
}

/// Where the coverage warnings stand: they are about the folder's reports as a whole.
pub const ALL_REPORTS: &str = "各乡镇报表";

/// What the figures rest on, said once: months from the office's start to the latest report
/// that no township reported (W-NO-REPORTS, as runs of months); each township's months between
/// its own reports (W-TOWNSHIP-GAP); each year's townships whose 本年出列 rests on exits the
/// office never stated (W-START-EXITS); and, when `plan.yaml` states no start, where the reports
/// begin (N-START).
pub fn check(plan: &Plan, reports: &[Report], diags: &mut Vec<Diagnostic>) {
    let months: BTreeSet<Period> = reports.iter().map(|r| r.period).collect();
    let (Some(&first), Some(&last)) = (months.first(), months.last()) else { return };
    let start = seen::start(plan, reports).unwrap_or(first);
    let gaps = seen::unreported(plan, reports, std::iter::successors(Some(start), |p| p.next()).take_while(|p| *p <= last));
    if !gaps.is_empty() {
        let msg = format!(
            "{}没有任何乡镇的报表。这些月份的数字按其后报表的本年累计数计算，季度汇总和年度总结写明无报表的月份、不与之比较。报表已收到的，请放入数据文件夹。",
            months_cn(&gaps, true)
        );
        diags.push(Diagnostic::warning("W-NO-REPORTS", ALL_REPORTS, msg));
    }
    township_gaps(plan, reports, &months, diags);
    unknown_exits(plan, reports, &months, diags);
    let plan_start = plan.years.first().and_then(|y| Period::new(*y, 1));
    if plan.start.is_none() && plan_start.is_some_and(|p| first > p) {
        let msg = format!(
            "第一份报表是{}，此前的月份按开始使用本系统以前处理（报送情况中为“启用前”），不算未报、逾期。实际开始使用的月份不同，或以前年度已有贫困村出列的，请在 plan.yaml 的 start 中写明（见“规划数据”说明）。",
            first.chinese()
        );
        diags.push(Diagnostic::note("N-START", "plan.yaml", msg));
    }
}

/// Months between two of a township's own reports that other townships reported: the later
/// report's cumulative columns hold them. (Months after its last report are the board's 逾期;
/// a township that never reported is on the board as 未报.)
fn township_gaps(plan: &Plan, reports: &[Report], months: &BTreeSet<Period>, diags: &mut Vec<Diagnostic>) {
    for t in &plan.townships {
        let own: Vec<Period> = reports.iter().filter(|r| r.township == *t).map(|r| r.period).collect();
        let (Some(a), Some(b)) = (own.iter().min(), own.iter().max()) else { continue };
        let missing: Vec<Period> = months.iter().copied().filter(|p| p > a && p < b && !own.contains(p)).collect();
        if !missing.is_empty() {
            let msg = format!(
                "{t}没有{}的报表（其他乡镇已报）。其后报表的本年累计数包含这些月份，季度汇总中注明；报表已收到的，请放入数据文件夹。",
                months_cn(&missing, true)
            );
            diags.push(Diagnostic::warning("W-TOWNSHIP-GAP", ALL_REPORTS, msg));
        }
    }
}

/// Each year whose 本年出列 some township can tell only from this year's 是: no report of the
/// year before, and no exits stated in `start.exited`.
fn unknown_exits(plan: &Plan, reports: &[Report], months: &BTreeSet<Period>, diags: &mut Vec<Diagnostic>) {
    let years: BTreeSet<u16> = months.iter().map(|p| p.year).collect();
    let has = |t: &str, year: u16| reports.iter().any(|r| r.township == t && r.period.year == year);
    for &y in years.iter().filter(|y| **y > plan.rolling_plan.base_year + 1) {
        let unknown: Vec<&str> =
            plan.townships.iter().map(String::as_str).filter(|t| has(t, y) && !has(t, y - 1) && plan.exits_before_start(t, y).is_none()).collect();
        if !unknown.is_empty() {
            let msg = format!(
                "{y}年的本年出列村数：{}没有{}年的报表，plan.yaml 也没有写明此前已出列的村，本年出列村数只能按本年报表中填“是”的村计算（可能包含以前年度已出列的村），文件中不计算出列目标完成率。请在 plan.yaml 的 start.exited 中按乡镇、按年份写明开始使用本系统以前已出列的村（见“规划数据”说明）。",
                unknown.join("、"),
                y - 1
            );
            diags.push(Diagnostic::warning("W-START-EXITS", "plan.yaml", msg));
        }
    }
}
