//! The plan's own identities: sums, counts, lists. Findings are diagnostics on `plan.yaml`.

use super::{same_village, Plan, VillageList};
use crate::base::diag::Diagnostic;

const FILE: &str = "plan.yaml";

/// Checks the plan data against itself and reports whatever it finds.
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_rolling_plan(plan, &mut out);
    for list in [&plan.deep_poverty_villages, &plan.heavy_task_villages] {
        check_list(plan, list, &mut out);
    }
    check_across_lists(plan, &mut out);
    check_focus(plan, &mut out);
    check_indicators(plan, &mut out);
    check_funding(plan, &mut out);
    out.extend(super::start::check(plan).into_iter().map(|m| Diagnostic::error("P-START", FILE, m)));
    out
}

fn check_rolling_plan(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let rp = &plan.rolling_plan;
    let people: u32 = rp.targets.iter().map(|t| t.poor_population).sum();
    let villages: u32 = rp.targets.iter().map(|t| t.poor_villages).sum();
    if people != rp.base.poor_population {
        out.push(Diagnostic::error(
            "P-SUM-PEOPLE",
            FILE,
            format!(
                "{}：各年度脱贫人口目标之和为 {people} 人，与{}年底基数 {} 人不符。请对照规划原文核对。",
                rp.section, rp.base_year, rp.base.poor_population
            ),
        ));
    }
    if villages != rp.base.poor_villages {
        out.push(Diagnostic::error(
            "P-SUM-VILLAGES",
            FILE,
            format!(
                "{}：各年度贫困村出列目标之和为 {villages} 个，与{}年底基数 {} 个不符。请对照规划原文核对。",
                rp.section, rp.base_year, rp.base.poor_villages
            ),
        ));
    }
    for y in &plan.years {
        if plan.year_target(*y).is_none() {
            out.push(Diagnostic::error("P-YEAR-TARGET", FILE, format!("{}：缺少{y}年的年度目标。", rp.section)));
        }
    }
}

fn check_list(plan: &Plan, list: &VillageList, out: &mut Vec<Diagnostic>) {
    let count: usize = list.by_township.values().map(Vec::len).sum();
    if count != list.stated_count {
        out.push(Diagnostic::warning("P-LIST-COUNT", FILE, format!("{}：名单共列出 {count} 个村，标题所述为 {} 个。", list.section, list.stated_count)));
    }
    for (township, villages) in &list.by_township {
        if !plan.is_township(township) {
            out.push(Diagnostic::error("P-TOWNSHIP", FILE, format!("{}：乡镇“{township}”不在 townships 列表中。", list.section)));
        }
        for (i, v) in villages.iter().enumerate() {
            if let Some(prev) = villages[..i].iter().find(|p| same_village(p, v)) {
                out.push(Diagnostic::warning("P-VILLAGE-TWICE", FILE, format!("{}：{township}“{v}”与“{prev}”重复列出。", list.section)));
            }
        }
    }
}

fn check_across_lists(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let (deep, heavy) = (&plan.deep_poverty_villages, &plan.heavy_task_villages);
    for (township, villages) in &heavy.by_township {
        for v in villages {
            let twin = deep.by_township.get(township).into_iter().flatten().find(|d| same_village(d, v));
            if let Some(d) = twin {
                out.push(Diagnostic::warning(
                    "P-VILLAGE-BOTH-LISTS",
                    FILE,
                    format!(
                        "{township}“{v}”（{}，非贫困村）与“{d}”（{}，深度贫困村）疑为同一村，一村不能同时是贫困村和非贫困村。\
                         本工具按深度贫困村统计该村；请向规划编制部门核实。",
                        heavy.section, deep.section
                    ),
                ));
            }
        }
    }
}

fn check_focus(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let deep = &plan.deep_poverty_villages;
    for f in &deep.focus {
        if !deep.by_township.values().flatten().any(|v| same_village(v, f)) {
            out.push(Diagnostic::error("P-FOCUS", FILE, format!("重点剖析村“{f}”不在{}深度贫困村名单中。", deep.section)));
        }
    }
}

fn check_indicators(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for (i, ind) in plan.indicators.iter().enumerate() {
        if plan.indicators[..i].iter().any(|p| p.name == ind.name) {
            out.push(Diagnostic::error("P-INDICATOR-TWICE", FILE, format!("指标“{}”重复定义。", ind.name)));
        }
        for t in &ind.targets {
            let first = plan.years.first().copied().unwrap_or(t.from);
            let last = plan.years.last().copied().unwrap_or(t.to);
            if t.from > t.to || t.from < first || t.to > last || t.value <= 0.0 {
                out.push(Diagnostic::error(
                    "P-INDICATOR-TARGET",
                    FILE,
                    format!("指标“{}”的目标（{}—{}年，{}）不在规划期内或数值不为正。", ind.name, t.from, t.to, t.value),
                ));
            }
        }
    }
}

fn check_funding(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let f = &plan.funding;
    let base = plan.rolling_plan.base.poor_villages;
    if f.poverty_villages_stated != base {
        out.push(Diagnostic::note(
            "P-POVERTY-VILLAGES",
            FILE,
            format!(
                "{}按 {} 个贫困村安排资金，{}所列{}年底贫困村基数为 {base} 个（未出列村）。两处口径不同（前者含已出列的贫困村），引用时请注明口径。",
                f.section, f.poverty_villages_stated, plan.rolling_plan.section, plan.rolling_plan.base_year
            ),
        ));
    }
    if !(0.0..=1.0).contains(&f.integrated_funds_to_deep_min_share) {
        out.push(Diagnostic::error("P-SHARE", FILE, "统筹整合资金投向深度贫困村的比例应在 0 与 1 之间。"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Plan {
        Plan::parse(include_str!("../../../data/plan.yaml")).expect("bundled plan parses")
    }

    #[test]
    fn bundled_plan_identities() {
        let plan = bundled();
        let codes: Vec<String> = check(&plan).into_iter().map(|d| d.code).collect();
        // The plan's own text lists 周家山 on both lists, and funds 37 poverty villages against a base of 32.
        assert_eq!(codes, ["P-VILLAGE-BOTH-LISTS", "P-POVERTY-VILLAGES"]);
        assert_eq!(plan.deep_villages_ordered().len(), 18);
        assert_eq!(plan.heavy_villages_ordered().len(), 38);
    }

    #[test]
    fn broken_sum_is_reported() {
        let mut plan = bundled();
        plan.rolling_plan.targets[0].poor_population = 5400;
        let d = check(&plan);
        assert!(d.iter().any(|d| d.code == "P-SUM-PEOPLE" && d.message.contains("13219")), "{d:?}");
    }

    #[test]
    fn unknown_key_names_its_line() {
        let text = include_str!("../../../data/plan.yaml").replace("county: 渑池县", "county: 渑池县\ncountry: 中国");
        let err = Plan::parse(&text).unwrap_err();
        assert!(err.starts_with("第7行第1列：不认识的项“country”"), "{err}");
    }

    #[test]
    fn trailing_cun_is_tolerated() {
        let plan = bundled();
        assert_eq!(plan.listed_village("段村乡", "赵沟"), Some(("赵沟村", crate::setup::plan::ListedAs::DeepPoverty)));
        assert_eq!(plan.listed_village("英豪镇", "周家山"), Some(("周家山村", crate::setup::plan::ListedAs::DeepPoverty)));
        assert_eq!(plan.listed_village("段村乡", "段村"), Some(("段村村", crate::setup::plan::ListedAs::HeavyTask)));
        assert_eq!(plan.listed_village("南村乡", "赵沟村"), None);
    }
}
