//! Checks of the reports against the plan and against each other (duplicates, months).

use std::collections::BTreeMap;

use crate::base::diag::Diagnostic;
use crate::seen;
use crate::setup::config::Config;
use crate::setup::plan::Plan;

mod coverage;
pub mod notices;
pub mod xun;
use crate::reading::submission::{Report, VillageRow, VillageType, VILLAGES};
pub use coverage::{once_across_months, ALL_REPORTS};

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
    coverage::check(plan, reports, &mut diags);
    notices::check(reports, &mut diags);
    diags
}

fn remove_duplicates(reports: &mut Vec<Report>) -> Vec<Diagnostic> {
    drop_duplicates(reports, |r| (r.township.clone(), r.period.chinese(), "报表"), |r| &r.file)
}

/// E-DUPLICATE on every file of a township and time that has more than one (`key`: township,
/// the time in words, what the files are), and none of them kept: never one picked silently.
pub(crate) fn drop_duplicates<T>(items: &mut Vec<T>, key: impl Fn(&T) -> (String, String, &'static str), file: impl Fn(&T) -> &String) -> Vec<Diagnostic> {
    let mut by_key: BTreeMap<(String, String, &'static str), Vec<String>> = BTreeMap::new();
    for x in items.iter() {
        by_key.entry(key(x)).or_default().push(file(x).clone());
    }
    let mut diags = Vec::new();
    for ((township, when, what), files) in by_key.iter().filter(|(_, files)| files.len() > 1) {
        for f in files {
            let others: Vec<&str> = files.iter().filter(|o| *o != f).map(String::as_str).collect();
            let msg = format!("{township}{when}有多份{what}：本文件与 {}。不会自动选用其中一份，请删除多余的文件后重新生成。", others.join("、"));
            diags.push(Diagnostic::error("E-DUPLICATE", f, msg));
        }
    }
    items.retain(|x| by_key[&key(x)].len() == 1);
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
        if !named.into_iter().any(|v| crate::setup::plan::same_village(listed, v)) {
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
