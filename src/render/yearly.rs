//! The year's documents: 年度总结 (one per year with a December report) and
//! the plan's final accounting (`三年行动计划完成情况`, named from the plan): views, narratives, sources.

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use super::format::{count, pct};
use super::tables::{self, Frame, FundTables, PdfMeta, Point, Table};
use super::{markup, Engine, Prepared};
use crate::base::error::Result;
use crate::figures::aggregate::year::{PlanFigures, YearFigures};
use crate::setup::config::Config;
use crate::setup::plan::Plan;

pub const YEAR_MAIN: &str = "year.typ";
pub const YEAR_TEMPLATES: &[&str] = &["gongwen.typ", "year.typ"];
pub const YEAR_NARRATIVE: &str = "year-narrative.typ.j2";
pub const PLAN_MAIN: &str = "plan-report.typ";
pub const PLAN_TEMPLATES: &[&str] = &["gongwen.typ", "plan-report.typ"];
pub const PLAN_NARRATIVE: &str = "plan-narrative.typ.j2";

/// `全县2018年脱贫攻坚工作总结`
pub fn year_title(config: &Config, f: &YearFigures) -> String {
    format!("全县{}年{}工作总结", f.year, config.work)
}

/// `《渑池县…三年行动计划（2018—2020年）》完成情况`
pub fn plan_title(plan: &Plan) -> String {
    format!("《{}》完成情况", plan.title)
}

/// What the plan report is called in file names, messages and its figures file:
/// `三年行动计划完成情况` (from `Plan::short_title`).
pub fn plan_document(plan: &Plan) -> String {
    format!("{}完成情况", plan.short_title())
}

/// The year summary's sources; its date is the year's last day.
pub fn prepare_year(engine: &Engine, config: &Config, plan: &Plan, f: &YearFigures, draft: bool) -> Result<Prepared> {
    let narrative = year_narrative(engine, plan, f)?;
    let data = tables::to_data_json(&year_view(config, plan, f, draft));
    let generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    Ok(Prepared::new(format!("{} 年度总结", f.year), YEAR_MAIN, YEAR_TEMPLATES, generated, (f.year, 12, 31)))
}

/// The year summary's prose, from the office-editable template.
pub fn year_narrative(engine: &Engine, plan: &Plan, f: &YearFigures) -> Result<String> {
    let ctx =
        context! { year => f.year, f => Serde(f), deep_section => &plan.deep_poverty_villages.section, heavy_section => &plan.heavy_task_villages.section };
    markup::render_template(&engine.template(YEAR_NARRATIVE)?, YEAR_NARRATIVE, ctx)
}

/// The year summary's view (`/data.json`).
#[derive(Serialize)]
struct YearView<'a> {
    draft: bool,
    meta: PdfMeta,
    title: String,
    trend_caption: String,
    trend: Vec<Point<Option<u32>>>,
    #[serde(flatten)]
    township: Table,
    #[serde(flatten)]
    village: Table,
    #[serde(flatten)]
    indicator: Table,
    indicator_note: String,
    #[serde(flatten)]
    funds: FundTables,
    #[serde(flatten)]
    frame: Frame<'a>,
}

fn year_view<'a>(config: &'a Config, plan: &Plan, f: &YearFigures, draft: bool) -> YearView<'a> {
    let c = &f.county;
    let year = format!("{}年", f.year);
    YearView {
        draft,
        meta: PdfMeta::new(
            &year_title(config, f),
            format!("{}　{}年度总结", config.masthead, f.year),
            &config.office,
            &[&config.work, "年度总结", &year, &config.office],
            "",
        ),
        title: year_title(config, f),
        trend_caption: format!("图1　{}年各月脱贫人数", f.year),
        trend: tables::trend(&f.trend),
        township: tables::townships(format!("表1　各乡镇{}年{}进展（单位：人、个）", f.year, config.work), &f.townships, c, f.ranked_by.label(), false),
        village: tables::villages(
            "village",
            format!("表2　深度贫困村{}年末情况（{}，单位：人）", f.year, plan.deep_poverty_villages.section),
            &f.deep_villages,
            true,
        ),
        indicator: tables::indicators("表3　专项指标全年完成情况", f.indicators.iter().map(|i| (i, None)), false),
        indicator_note: tables::indicator_note(f.indicators.iter()),
        funds: tables::fund_tables(&f.funds_by_category, &f.funds_by_source, c, 4),
        frame: Frame::new(config, format!("{}年度", f.year), super::format::date(f.year, 12, 31)),
    }
}

/// The plan report's sources; its date is the last day of the plan.
pub fn prepare_plan(engine: &Engine, config: &Config, plan: &Plan, f: &PlanFigures, draft: bool) -> Result<Prepared> {
    let ctx = context! {
        f => Serde(f),
        base_year => plan.rolling_plan.base_year,
        county => &plan.county,
        deep_section => &plan.deep_poverty_villages.section,
        heavy_section => &plan.heavy_task_villages.section,
        heavy_name => plan.heavy_name(),
    };
    let narrative = markup::render_template(&engine.template(PLAN_NARRATIVE)?, PLAN_NARRATIVE, ctx)?;
    let data = tables::to_data_json(&plan_view(config, plan, f, draft));
    let generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    Ok(Prepared::new(plan_document(plan), PLAN_MAIN, PLAN_TEMPLATES, generated, (f.last_year, 12, 31)))
}

/// The plan report's view (`/data.json`).
#[derive(Serialize)]
struct PlanView<'a> {
    draft: bool,
    meta: PdfMeta,
    title: String,
    chart_caption: String,
    chart: Vec<Point<Option<u32>>>,
    #[serde(flatten)]
    year: Table,
    #[serde(flatten)]
    village: Table,
    #[serde(flatten)]
    heavy: Table,
    #[serde(flatten)]
    frame: Frame<'a>,
}

fn plan_view<'a>(config: &'a Config, plan: &Plan, f: &PlanFigures, draft: bool) -> PlanView<'a> {
    let span = format!("{}—{}年", f.first_year, f.last_year);
    let chart = f.years.iter().map(|y| Point { name: None, label: format!("{}年", y.year), value: y.lifted, target: Some(y.target_people.unwrap_or(0)) });
    PlanView {
        draft,
        meta: PdfMeta::new(
            &plan_title(plan),
            format!("{}　{span}完成情况", config.masthead),
            &config.office,
            &[&config.work, &plan.short_title(), &span, &config.office],
            "",
        ),
        title: plan_title(plan),
        chart_caption: format!("图1　{span}各年脱贫人数与目标（单位：人）"),
        chart: chart.collect(),
        year: plan_years(f, &span),
        village: tables::villages(
            "village",
            format!("表2　深度贫困村{}年末情况（{}，单位：人）", f.last_year, plan.deep_poverty_villages.section),
            &f.deep_villages,
            true,
        ),
        heavy: tables::villages(
            "heavy",
            format!("表3　{}{}年末情况（{}，单位：人）", plan.heavy_name(), f.last_year, plan.heavy_task_villages.section),
            &f.heavy_villages,
            false,
        ),
        frame: Frame::new(config, span.clone(), super::format::date(f.last_year, 12, 31)),
    }
}

/// Each year of the plan against its targets, with the plan's total.
fn plan_years(f: &PlanFigures, span: &str) -> Table {
    let opt = |v: Option<u32>| v.map_or("—".into(), count);
    let known = |v: Option<u32>| v.map_or("无报表".into(), count);
    let rows = f
        .years
        .iter()
        .map(|y| {
            let year = format!("{}年", y.year);
            vec![
                year,
                known(y.poor_at_start),
                opt(y.target_people),
                known(y.lifted),
                pct(y.completion_pct),
                opt(y.target_villages),
                y.exited_this_year.map_or("无报表".into(), count),
                known(y.remaining_poor),
            ]
        })
        .collect();
    let header = ["年度", "年初贫困人口", "脱贫目标", "脱贫人数", "完成率", "出列目标", "出列村数", "年末贫困人口"];
    let targets = |t: fn(&crate::figures::aggregate::year::PlanYear) -> Option<u32>| count(f.years.iter().filter_map(t).sum::<u32>());
    let total = vec![
        "合计".into(),
        count(f.base_people),
        targets(|y| y.target_people),
        known(f.lifted_total),
        pct(f.completion_pct),
        targets(|y| y.target_villages),
        count(f.exited_total),
        count(f.remaining_poor),
    ];
    Table::new("year", format!("表1　{span}分年度完成情况（单位：人、个）"), &header, rows).with_total(total)
}
