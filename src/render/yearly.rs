//! The year's documents: 年度总结 (one per year with a December report) and
//! 三年行动计划完成情况 (the plan's final accounting): views, narratives, sources.

use minijinja::context;
use minijinja::value::Serde;
use serde_json::json;

use super::format::{count, pct};
use super::{markup, tables, Engine, Prepared};
use crate::aggregate::year::{PlanFigures, YearFigures, SLOW_DISBURSEMENT_PCT};
use crate::config::Config;
use crate::error::Result;
use crate::plan::Plan;

pub const YEAR_MAIN: &str = "year.typ";
pub const YEAR_TEMPLATES: &[&str] = &["gongwen.typ", "year.typ"];
pub const YEAR_NARRATIVE: &str = "year-narrative.typ.j2";
pub const PLAN_MAIN: &str = "plan-report.typ";
pub const PLAN_TEMPLATES: &[&str] = &["gongwen.typ", "plan-report.typ"];
pub const PLAN_NARRATIVE: &str = "plan-narrative.typ.j2";

/// `全县2018年脱贫攻坚工作总结`
pub fn year_title(f: &YearFigures) -> String {
    format!("全县{}年脱贫攻坚工作总结", f.year)
}

/// `《渑池县…三年行动计划（2018—2020年）》完成情况`
pub fn plan_title(plan: &Plan) -> String {
    format!("《{}》完成情况", plan.title)
}

/// The year summary's sources; its date is the year's last day.
pub fn prepare_year(engine: &Engine, config: &Config, f: &YearFigures, draft: bool) -> Result<Prepared> {
    let ctx = context! { year => f.year, f => Serde(f), slow_pct => SLOW_DISBURSEMENT_PCT };
    let narrative = markup::render_template(&engine.template(YEAR_NARRATIVE)?, YEAR_NARRATIVE, ctx)?;
    let data = serde_json::to_vec_pretty(&year_view(config, f, draft)).expect("serialisable");
    let generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    Ok(Prepared::new(format!("{} 年度总结", f.year), YEAR_MAIN, YEAR_TEMPLATES, generated, (f.year, 12, 31)))
}

fn year_view(config: &Config, f: &YearFigures, draft: bool) -> serde_json::Value {
    let c = &f.county;
    let towns: Vec<Vec<String>> = f.townships.iter().map(|t| tables::township(t, false)).collect();
    let view = json!({
        "draft": draft,
        "meta": super::pdf_meta(&year_title(f), &format!("{}　{}年度总结", config.masthead, f.year), &config.office, &["脱贫攻坚", "年度总结", &format!("{}年", f.year), &config.office], ""),
        "title": year_title(f),
        "trend_caption": format!("图1　{}年各月脱贫人数", f.year),
        "trend": tables::trend(&f.trend),
        "township_caption": format!("表1　各乡镇{}年脱贫攻坚进展（单位：人、个）", f.year),
        "township_header": ["乡镇", "年初贫困人口", "全年脱贫", f.ranked_by, "本年出列", "累计出列", "资金拨付率", "排名"],
        "township_rows": towns,
        "township_total": ["全县合计", count(c.poor_at_start), count(c.lifted_to_date), pct(c.progress_pct), count(c.exited_this_year), count(c.exited_total), pct(c.disbursement_pct), "—"],
        "village_caption": format!("表2　深度贫困村{}年末情况（附件2，单位：人）", f.year),
        "village_header": ["乡镇", "村名", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率", "已出列"],
        "village_rows": f.deep_villages.iter().map(|v| tables::village(v, true)).collect::<Vec<_>>(),
        "indicator_caption": "表3　专项指标全年完成情况",
        "indicator_header": ["指标", "单位", "全年", "目标", "完成率", "时序进度", "状态"],
        "indicator_rows": f.indicators.iter().map(|i| tables::indicator(i, None)).collect::<Vec<_>>(),
        "indicator_note": tables::indicator_note(f.indicators.iter()),
    });
    let view = tables::merged(view, tables::fund_tables(&f.funds_by_category, &f.funds_by_source, c, 4));
    tables::merged(view, tables::frame(config, &format!("{}年度", f.year), &super::format::date(f.year, 12, 31)))
}

/// The plan report's sources; its date is the last day of the plan.
pub fn prepare_plan(engine: &Engine, config: &Config, plan: &Plan, f: &PlanFigures, draft: bool) -> Result<Prepared> {
    let ctx = context! { f => Serde(f), base_year => plan.rolling_plan.base_year, county => &plan.county };
    let narrative = markup::render_template(&engine.template(PLAN_NARRATIVE)?, PLAN_NARRATIVE, ctx)?;
    let data = serde_json::to_vec_pretty(&plan_view(config, plan, f, draft)).expect("serialisable");
    let generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    Ok(Prepared::new("三年行动计划完成情况", PLAN_MAIN, PLAN_TEMPLATES, generated, (f.last_year, 12, 31)))
}

fn plan_view(config: &Config, plan: &Plan, f: &PlanFigures, draft: bool) -> serde_json::Value {
    let opt = |v: Option<u32>| v.map_or("—".into(), count);
    let years: Vec<Vec<String>> = f
        .years
        .iter()
        .map(|y| {
            vec![
                format!("{}年", y.year),
                count(y.poor_at_start),
                opt(y.target_people),
                count(y.lifted),
                pct(y.completion_pct),
                opt(y.target_villages),
                count(y.exited_this_year),
                count(y.remaining_poor),
            ]
        })
        .collect();
    let span = format!("{}—{}年", f.first_year, f.last_year);
    let view = json!({
        "draft": draft,
        "meta": super::pdf_meta(&plan_title(plan), &format!("{}　{span}完成情况", config.masthead), &config.office, &["脱贫攻坚", "三年行动计划", &span, &config.office], ""),
        "title": plan_title(plan),
        "chart_caption": format!("图1　{span}各年脱贫人数与目标（单位：人）"),
        "chart": f.years.iter().map(|y| json!({"label": format!("{}年", y.year), "target": y.target_people.unwrap_or(0), "value": y.lifted})).collect::<Vec<_>>(),
        "year_caption": format!("表1　{span}分年度完成情况（单位：人、个）"),
        "year_header": ["年度", "年初贫困人口", "脱贫目标", "脱贫人数", "完成率", "出列目标", "出列村数", "年末贫困人口"],
        "year_rows": years,
        "year_total": ["合计", count(f.base_people), count(f.years.iter().filter_map(|y| y.target_people).sum::<u32>()), count(f.lifted_total), pct(f.completion_pct),
            count(f.years.iter().filter_map(|y| y.target_villages).sum::<u32>()), count(f.exited_total), count(f.remaining_poor)],
        "village_caption": format!("表2　深度贫困村{}年末情况（附件2，单位：人）", f.last_year),
        "village_header": ["乡镇", "村名", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率", "已出列"],
        "village_rows": f.deep_villages.iter().map(|v| tables::village(v, true)).collect::<Vec<_>>(),
        "heavy_caption": format!("表3　脱贫攻坚任务较重的非贫困村{}年末情况（附件3，单位：人）", f.last_year),
        "heavy_header": ["乡镇", "村名", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率"],
        "heavy_rows": f.heavy_villages.iter().map(|v| tables::village(v, false)).collect::<Vec<_>>(),
    });
    tables::merged(view, tables::frame(config, &span, &super::format::date(f.last_year, 12, 31)))
}
