//! The quarterly summary (季度汇总): its view of the figures, its narrative, its PDF.

use minijinja::context;
use minijinja::value::Serde;
use serde::Serialize;

use super::format::{count, pct};
use super::tables::{self, Frame, FundTables, PdfMeta, Point, Table};
use super::{markup, Engine, Meta, Prepared};
use crate::base::error::Result;
use crate::figures::aggregate::quarter::QuarterFigures;
use crate::figures::aggregate::Status;
use crate::setup::config::Config;
use crate::setup::plan::Plan;

pub const MAIN: &str = "summary.typ";
/// The Typst templates a summary is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "summary.typ"];
pub const NARRATIVE: &str = "summary-narrative.typ.j2";

pub fn title(config: &Config, f: &QuarterFigures) -> String {
    format!("{}{}工作汇总", f.quarter.chinese(), config.work)
}

/// The summary's sources.
pub fn prepare(engine: &Engine, config: &Config, plan: &Plan, f: &QuarterFigures, meta: &Meta) -> Result<Prepared> {
    let data = tables::to_data_json(&view(config, plan, f, meta));
    let narrative = narrative(engine, f)?;
    let generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    Ok(Prepared::new(format!("{} 季度汇总", f.quarter), MAIN, TEMPLATES, generated, meta.date))
}

pub fn narrative(engine: &Engine, f: &QuarterFigures) -> Result<String> {
    let behind: Vec<_> = f.indicators.iter().filter(|i| i.year_to_date.behind_schedule).map(|i| i.year_to_date.name.clone()).collect();
    let ctx = context! {
        quarter_cn => f.quarter.chinese(),
        as_of => f.as_of.to_string(),
        year => f.quarter.year,
        f => Serde(f),
        behind => behind,
    };
    markup::render_template(&engine.template(NARRATIVE)?, NARRATIVE, ctx)
}

fn signed(v: Option<i64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if v > 0 => format!("+{v}"),
        Some(v) => v.to_string(),
    }
}

/// Everything the Typst template shows, as display strings (`/data.json`).
#[derive(Serialize)]
struct View<'a> {
    draft: bool,
    meta: PdfMeta,
    corrects: Option<String>,
    title: String,
    #[serde(flatten)]
    township: Table,
    #[serde(flatten)]
    indicator: Table,
    /// What a * in table 1 means: the townships whose amounts span other months, with them.
    township_note: String,
    indicator_note: String,
    #[serde(flatten)]
    heavy: Table,
    trend_caption: String,
    trend: Vec<Point<Option<u32>>>,
    #[serde(flatten)]
    funds: FundTables,
    #[serde(flatten)]
    frame: Frame<'a>,
}

fn view<'a>(config: &'a Config, plan: &Plan, f: &QuarterFigures, meta: &Meta) -> View<'a> {
    let subject = format!("{}　季度汇总　{}　{}", config.masthead, f.quarter.chinese(), meta.issue());
    let keywords = [config.work.as_str(), crate::base::series::Series::Summary.name(), &f.quarter.chinese(), &config.office];
    let caption = format!("表5　{}进展（{}，单位：人）", plan.heavy_name(), plan.heavy_task_villages.section);
    let heavy = tables::villages("heavy", caption, &f.heavy_villages, false);
    View {
        draft: meta.draft,
        meta: PdfMeta::new(&title(config, f), subject, &config.office, &keywords, &meta.issue()),
        corrects: meta.correction(),
        title: title(config, f),
        township: townships(f),
        indicator: tables::indicators("表2　专项指标完成情况", f.indicators.iter().map(|i| (&i.year_to_date, Some(i.quarter_amount))), true),
        township_note: township_note(f),
        indicator_note: tables::indicator_note(f.indicators.iter().map(|i| &i.year_to_date)),
        heavy,
        trend_caption: format!("图1　{}年各月脱贫人数（截至{}）", f.quarter.year, f.as_of.chinese()),
        trend: tables::trend(&f.trend),
        funds: tables::fund_tables(&f.funds_by_category, &f.funds_by_source, &f.county, 3),
        frame: Frame::new(config, meta.issue(), meta.date_cn()),
    }
}

/// `注：*为含本季度以前没有报表的月份的数字：石门镇5月至12月、柳溪乡3月至4月。`, or nothing.
fn township_note(f: &QuarterFigures) -> String {
    let spans: Vec<String> = f.coverage.spanning.iter().map(|s| format!("{}{}", s.township, s.months)).collect();
    if spans.is_empty() {
        return String::new();
    }
    format!("注：*为含本季度以前没有报表的月份的数字（按本年累计数计算）：{}。", spans.join("、"))
}

/// The townships' quarter against the previous one, with the county total.
fn townships(f: &QuarterFigures) -> Table {
    let rows = f
        .townships
        .iter()
        .map(|t| {
            match t.status {
                Status::Missing => return super::format::placeholder_row(&t.name, "未报送", 7),
                Status::Unverified => return super::format::placeholder_row(&t.name, tables::UNVERIFIED, 7),
                Status::Reported | Status::CarriedForward => {}
            }
            // A quarter without the township's own report says so; an amount that spans other
            // months says which.
            let quarter = match (t.lifted_quarter, t.spans) {
                (None, _) => "无报表".to_string(),
                (Some(a), Some(_)) => format!("{}*", count(a)),
                (Some(a), None) => count(a),
            };
            let previous = match (f.quarter.q, t.lifted_previous_quarter) {
                (1, _) => "—".into(),
                (_, None) => "无报表".into(),
                (_, Some(p)) => count(p),
            };
            let rank = t.rank.map_or("—".into(), |r| r.to_string());
            vec![t.name.clone(), quarter, previous, signed(t.change), count(t.lifted_to_date), pct(t.progress_pct), rank]
        })
        .collect();
    let header = ["乡镇", "本季度脱贫", "上季度脱贫", "增减", "本年累计脱贫", f.ranked_by.label(), "排名"];
    let change = signed(f.lifted_previous_quarter.zip(f.lifted_quarter).map(|(p, q)| q - p));
    let previous = match (f.quarter.q, f.lifted_previous_quarter) {
        (1, _) => "—".into(),
        (_, Some(p)) => count(p),
        (_, None) if !f.coverage.previous_reported => "无报表".into(),
        (_, None) => "不可比".into(),
    };
    let total = vec!["全县合计".into(), f.lifted_quarter.map_or("无报表".into(), count), previous, change];
    let total = [total, vec![count(f.county.lifted_to_date), pct(f.county.progress_pct), "—".into()]].concat();
    Table::new("township", format!("表1　各乡镇{}脱贫进展（单位：人）", f.quarter.chinese()), &header, rows).with_total(total)
}
