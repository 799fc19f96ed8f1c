//! Checks of the reports against the plan and against each other (duplicates, months).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::period::Period;
use crate::plan::Plan;
use crate::seen;
use crate::submission::{Report, VillageRow, VillageType, VILLAGES};

/// A reported village's type as the figures use it (`Plan::village_type`).
pub fn village_type(plan: &Plan, township: &str, v: &VillageRow) -> VillageType {
    plan.village_type(township, &v.name, v.village_type)
}

/// The village's name as the plan spells it, or as typed.
pub fn canonical_name<'a>(plan: &'a Plan, township: &str, v: &'a VillageRow) -> &'a str {
    plan.listed_village(township, &v.name).map_or(v.name.as_str(), |(n, _)| n)
}

/// Runs every cross-check; removes duplicate reports (both of them) from `reports`. Villages
/// the office confirmed (`config.yaml`) are not questioned as near-misses of listed ones.
pub fn validate(plan: &Plan, config: &Config, reports: &mut Vec<Report>) -> Vec<Diagnostic> {
    let mut diags = remove_duplicates(reports);
    for r in reports.iter() {
        check_villages(plan, config, r, &mut diags);
    }
    check_months(plan, reports, &mut diags);
    check_year_starts(plan, reports, &mut diags);
    check_coverage(plan, reports, &mut diags);
    diags
}

/// The same warning (code, sheet, cell and words) in a township's reports of several months is
/// said once, on the latest of them, with the months: a village name typed the same way every
/// month is one thing to fix, not one per file. Errors stay on every file (each holds back
/// what uses it).
pub fn once_across_months(diags: Vec<Diagnostic>, reports: &[Report]) -> Vec<Diagnostic> {
    use crate::diag::Severity;
    let of: BTreeMap<&str, (&str, Period)> = reports.iter().map(|r| (r.file.as_str(), (r.township.as_str(), r.period))).collect();
    type Key = (String, Option<String>, Option<String>, String, String);
    let key = |d: &Diagnostic| -> Option<Key> {
        let (t, _) = of.get(d.file.as_str())?;
        (d.severity != Severity::Error).then(|| (d.code.clone(), d.sheet.clone(), d.cell.clone(), d.message.clone(), t.to_string()))
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
                d.message.push_str(&format!("（{}各月报表相同，只列一次）", crate::period::months_cn(ms, true)));
            }
            Some(d)
        })
        .collect()
}

/// Where the coverage warnings stand: they are about the folder's reports as a whole.
pub const ALL_REPORTS: &str = "各乡镇报表";

/// What the figures rest on, said once: months from the office's start to the latest report
/// that no township reported (W-NO-REPORTS, as runs of months); each year's townships whose
/// 本年出列 rests on exits the office never stated (W-START-EXITS); and, when `plan.yaml`
/// states no start, where the reports begin (N-START).
fn check_coverage(plan: &Plan, reports: &[Report], diags: &mut Vec<Diagnostic>) {
    let months: std::collections::BTreeSet<Period> = reports.iter().map(|r| r.period).collect();
    let (Some(&first), Some(&last)) = (months.first(), months.last()) else { return };
    let start = seen::start(plan, reports).unwrap_or(first);
    let gaps: Vec<Period> = std::iter::successors(Some(start), |p| p.next()).take_while(|p| *p <= last).filter(|p| !months.contains(p)).collect();
    if !gaps.is_empty() {
        let msg = format!(
            "{}没有任何乡镇的报表。这些月份的数字按其后报表的本年累计数计算，季度汇总和年度总结写明无报表的月份、不与之比较。报表已收到的，请放入数据文件夹。",
            crate::period::months_cn(&gaps, true)
        );
        diags.push(Diagnostic::warning("W-NO-REPORTS", ALL_REPORTS, msg));
    }
    for t in &plan.townships {
        // Months between two of its own reports that other townships reported: the later
        // report's cumulative columns hold them. (Months after its last report are the board's
        // 逾期; a township that never reported is on the board as 未报.)
        let own: Vec<Period> = reports.iter().filter(|r| r.township == *t).map(|r| r.period).collect();
        let (Some(a), Some(b)) = (own.iter().min(), own.iter().max()) else { continue };
        let own: Vec<Period> = months.iter().copied().filter(|p| p > a && p < b && !own.contains(p)).collect();
        if !own.is_empty() {
            let msg = format!(
                "{t}没有{}的报表（其他乡镇已报）。其后报表的本年累计数包含这些月份，季度汇总中注明；报表已收到的，请放入数据文件夹。",
                crate::period::months_cn(&own, true)
            );
            diags.push(Diagnostic::warning("W-TOWNSHIP-GAP", ALL_REPORTS, msg));
        }
    }
    let years: std::collections::BTreeSet<u16> = months.iter().map(|p| p.year).collect();
    for &y in years.iter().filter(|y| **y > plan.rolling_plan.base_year + 1) {
        let has = |t: &str, year: u16| reports.iter().any(|r| r.township == t && r.period.year == year);
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
    let plan_start = plan.years.first().and_then(|y| Period::new(*y, 1));
    if plan.start.is_none() && plan_start.is_some_and(|p| first > p) {
        let msg = format!(
            "第一份报表是{}，此前的月份按开始使用本系统以前处理（报送情况中为“启用前”），不算未报、逾期。实际开始使用的月份不同，或以前年度已有贫困村出列的，请在 plan.yaml 的 start 中写明（见“规划数据”说明）。",
            first.chinese()
        );
        diags.push(Diagnostic::note("N-START", "plan.yaml", msg));
    }
}

fn remove_duplicates(reports: &mut Vec<Report>) -> Vec<Diagnostic> {
    let mut by_key: BTreeMap<(String, crate::period::Period), Vec<String>> = BTreeMap::new();
    for r in reports.iter() {
        by_key.entry((r.township.clone(), r.period)).or_default().push(r.file.clone());
    }
    let mut diags = Vec::new();
    for ((township, period), files) in &by_key {
        if files.len() > 1 {
            for f in files {
                let others: Vec<&str> = files.iter().filter(|o| *o != f).map(String::as_str).collect();
                let msg =
                    format!("{township}{}有多份报表：本文件与 {}。不会自动选用其中一份，请删除多余的文件后重新生成。", period.chinese(), others.join("、"));
                diags.push(Diagnostic::error("E-DUPLICATE", f, msg));
            }
        }
    }
    reports.retain(|r| by_key[&(r.township.clone(), r.period)].len() == 1);
    diags
}

fn at(d: Diagnostic, cell: &str) -> Diagnostic {
    d.at_cell(VILLAGES, cell.to_string())
}

fn check_villages(plan: &Plan, config: &Config, r: &Report, diags: &mut Vec<Diagnostic>) {
    let file = r.file.as_str();
    for (i, v) in r.villages.iter().enumerate() {
        let listed = plan.listed_village(&r.township, &v.name);
        if listed.is_none() && !config.confirmed(&r.township, &v.name) {
            let near = plan.listed_villages(&r.township).into_iter().find(|(n, _)| strsim::hamming(n, &v.name) == Ok(1));
            if let Some((n, _)) = near {
                let msg = format!(
                    "“{}”不在规划名单中。是否为“{n}”？如是，请改正村名；如确是另一个村，请在 config.yaml 的 confirmed_villages 中登记“{}: [{}]”，以后不再提示。",
                    v.name, r.township, v.name
                );
                diags.push(at(Diagnostic::warning("W-VILLAGE-NEAR", file, msg), &v.cells.name));
            }
        }
        let vtype = village_type(plan, &r.township, v);
        if let (Some(typed), Some(_)) = (v.village_type, listed) {
            if typed != vtype {
                let msg = format!("“{}”填为{typed}，规划名单中为{vtype}。统计按规划名单处理。", v.name);
                diags.push(at(Diagnostic::warning("W-VILLAGE-TYPE", file, msg), &v.cells.village_type));
            }
        }
        if v.exited && !vtype.is_poverty_village() {
            let msg = format!("“{}”是非贫困村，不存在出列；“是否出列”应为“否”。", v.name);
            diags.push(at(Diagnostic::warning("W-EXIT-NONPOOR", file, msg), &v.cells.exited));
        }
        if v.exited && vtype.is_poverty_village() && incidence_at_least_2pct(v) {
            let msg = format!(
                "“{}”已报出列，但剩余贫困人口 {} 人、户籍人口 {} 人，贫困发生率仍不低于 2%，不符合出列标准。请核实。",
                v.name,
                v.remaining_poor(),
                v.population
            );
            diags.push(at(Diagnostic::warning("W-EXIT-INCIDENCE", file, msg), &v.cells.exited));
        }
        let name = canonical_name(plan, &r.township, v);
        if r.villages[..i].iter().any(|o| canonical_name(plan, &r.township, o) == name) {
            let msg = format!("“{name}”在本表中出现了不止一次。每个村只填一行。");
            diags.push(at(Diagnostic::error("E-VILLAGE-TWICE", file, msg), &v.cells.name));
        }
    }
    for (listed, _) in plan.listed_villages(&r.township) {
        let named = r.villages.iter().map(|v| v.name.as_str()).chain(r.unread_villages.iter().map(String::as_str));
        if !named.into_iter().any(|v| crate::plan::same_village(listed, v)) {
            let msg = format!("规划名单中的“{listed}”没有出现在村级进度表中。请补报该村。");
            diags.push(Diagnostic::warning("W-VILLAGE-MISSING", file, msg).at_sheet(VILLAGES));
        }
    }
}

/// remaining ÷ population ≥ 2 %, in exact integer arithmetic.
pub fn incidence_at_least_2pct(v: &VillageRow) -> bool {
    u64::from(v.remaining_poor()) * 50 >= u64::from(v.population)
}

/// Each report against the township's latest earlier report of the same year, whether or
/// not the month just before it is there (figures.md, Consistency across months).
fn check_months(plan: &Plan, reports: &[Report], diags: &mut Vec<Diagnostic>) {
    for r in reports {
        let Some(prev) = seen::before(reports, &r.township, r.period) else { continue };
        for v in &r.villages {
            let name = canonical_name(plan, &r.township, v);
            if let Some(before) = prev.villages.iter().find(|o| canonical_name(plan, &prev.township, o) == name) {
                compare_village(r, prev, v, before, diags);
            }
        }
    }
}

/// A new year starts where the last one ended: every report of a year gives each village the
/// 年初贫困人口 that its township's December report left as remaining poor (E-YEAR-START).
/// Without a December report the year's last report is short by what December lifted: the
/// township's first report of the new year gets a warning naming the missing December and
/// both numbers (W-YEAR-START-DEC), and nothing is held back.
fn check_year_starts(plan: &Plan, reports: &[Report], diags: &mut Vec<Diagnostic>) {
    for r in reports {
        let Some(prev) = seen::year_start(reports, &r.township, r.period.year) else { continue };
        let december = prev.period.month == 12;
        // Against a missing December only the year's first report is compared.
        if !december && seen::before(reports, &r.township, r.period).is_some() {
            continue;
        }
        for v in &r.villages {
            let name = canonical_name(plan, &r.township, v);
            let Some(before) = prev.villages.iter().find(|o| canonical_name(plan, &prev.township, o) == name) else { continue };
            if v.poor_at_start != before.remaining_poor() {
                diags.push(at(year_start(r, prev, v, before, december), &v.cells.poor_at_start));
            }
        }
    }
}

/// E-YEAR-START against December, or W-YEAR-START-DEC against the year's last report when
/// December's is missing.
fn year_start(r: &Report, prev: &Report, v: &VillageRow, before: &VillageRow, december: bool) -> Diagnostic {
    let (year, start) = (r.period.year, v.poor_at_start);
    let (left, at_start, lifted) = (before.remaining_poor(), before.poor_at_start, before.lifted_to_date);
    if december {
        let msg = format!(
            "“{}”{year}年年初贫困人口为 {start}，但上年12月报表（{}）的剩余贫困人口为 {left}（{at_start} − {lifted}）。年初数应等于上年末剩余贫困人口，请核对。",
            v.name, prev.file
        );
        return Diagnostic::error("E-YEAR-START", &r.file, msg);
    }
    let msg = format!(
        "没有收到{}{}年12月的报表，无法核对“{}”{year}年年初贫困人口 {start}：上年最后一次报送（{}，{}）的剩余贫困人口为 {left}（{at_start} − {lifted}），差数可能是12月脱贫的人数。请补报12月报表。",
        r.township,
        year - 1,
        v.name,
        prev.period.chinese(),
        prev.file
    );
    Diagnostic::warning("W-YEAR-START-DEC", &r.file, msg)
}

fn compare_village(r: &Report, prev: &Report, v: &VillageRow, before: &VillageRow, diags: &mut Vec<Diagnostic>) {
    let file = r.file.as_str();
    let month = prev.period.chinese();
    // The sum rule holds from one month to the next; across a missing month the earlier
    // month's people are not in this month's 本月脱贫.
    let consecutive = r.period.prev_in_year() == Some(prev.period);
    if v.lifted_to_date < before.lifted_to_date {
        let msg = format!(
            "“{}”累计脱贫人数 {} 少于上次报送（{month}，{}）的 {}。本年累计数只增不减，请核对。",
            v.name, v.lifted_to_date, prev.file, before.lifted_to_date
        );
        diags.push(at(Diagnostic::error("E-CUMULATIVE-DOWN", file, msg), &v.cells.lifted_to_date));
    } else if consecutive && v.lifted_to_date != before.lifted_to_date + v.lifted_this_month {
        let msg = format!(
            "“{}”累计脱贫人数 {} 不等于上月累计 {} 加本月脱贫 {}。请核对本月脱贫或累计数。",
            v.name, v.lifted_to_date, before.lifted_to_date, v.lifted_this_month
        );
        diags.push(at(Diagnostic::warning("W-CUMULATIVE", file, msg), &v.cells.lifted_to_date));
    }
    if v.poor_at_start != before.poor_at_start {
        let msg = format!("“{}”年初贫困人口为 {}，上次报送（{month}）为 {}。年初数全年不变，请核对。", v.name, v.poor_at_start, before.poor_at_start);
        diags.push(at(Diagnostic::warning("W-POOR-START", file, msg), &v.cells.poor_at_start));
    }
    if before.exited && !v.exited {
        let msg = format!("“{}”上次报送（{month}）已报出列，本月却为未出列。请核实。", v.name);
        diags.push(at(Diagnostic::warning("W-EXIT-REVERTED", file, msg), &v.cells.exited));
    }
}
