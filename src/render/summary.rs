//! The quarterly summary (季度汇总): its view of the figures, its narrative, its PDF.

use minijinja::context;
use minijinja::value::Serde;
use serde_json::json;

use super::format::{count, pct};
use super::tables;
use super::{markup, Engine, Meta, Prepared};
use crate::aggregate::quarter::QuarterFigures;
use crate::aggregate::Status;
use crate::config::Config;
use crate::error::Result;

pub const MAIN: &str = "summary.typ";
/// The Typst templates a summary is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "summary.typ"];
pub const NARRATIVE: &str = "summary-narrative.typ.j2";

pub fn title(f: &QuarterFigures) -> String {
    format!("{}脱贫攻坚工作汇总", f.quarter.chinese())
}

/// The summary's sources.
pub fn prepare(engine: &Engine, config: &Config, f: &QuarterFigures, meta: &Meta) -> Result<Prepared> {
    let data = serde_json::to_vec_pretty(&view(config, f, meta)).expect("serialisable");
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

fn view(config: &Config, f: &QuarterFigures, meta: &Meta) -> serde_json::Value {
    let towns: Vec<Vec<String>> = f
        .townships
        .iter()
        .map(|t| {
            match t.status {
                Status::Missing => return super::format::placeholder_row(&t.name, "未报送", 7),
                Status::Unverified => return super::format::placeholder_row(&t.name, "数据待核", 7),
                Status::Reported | Status::CarriedForward => {}
            }
            vec![
                t.name.clone(),
                count(t.lifted_quarter),
                t.lifted_previous_quarter.map_or("—".into(), count),
                signed(t.change),
                count(t.lifted_to_date),
                pct(t.progress_pct),
                t.rank.map_or("—".into(), |r| r.to_string()),
            ]
        })
        .collect();
    let indicators: Vec<Vec<String>> = f.indicators.iter().map(|i| tables::indicator(&i.year_to_date, Some(i.quarter_amount))).collect();
    let heavy: Vec<Vec<String>> = f.heavy_villages.iter().map(|v| tables::village(v, false)).collect();
    let c = &f.county;
    let view = json!({
        "draft": meta.draft,
        "meta": super::pdf_meta(&title(f), &format!("{}　季度汇总　{}　{}", config.masthead, f.quarter.chinese(), meta.issue()),
            &config.office, &["脱贫攻坚", crate::series::Series::Summary.name(), &f.quarter.chinese(), &config.office], &meta.issue()),
        "corrects": meta.correction(),
        "title": title(f),
        "township_caption": format!("表1　各乡镇{}脱贫进展（单位：人）", f.quarter.chinese()),
        "township_header": ["乡镇", "本季度脱贫", "上季度脱贫", "增减", "本年累计脱贫", f.ranked_by, "排名"],
        "township_rows": towns,
        "township_total": ["全县合计", count(f.lifted_quarter), f.lifted_previous_quarter.map_or("—".into(), count),
            signed(f.lifted_previous_quarter.map(|p| f.lifted_quarter - p)), count(c.lifted_to_date),
            pct(c.progress_pct), "—"],
        "indicator_caption": "表2　专项指标完成情况",
        "indicator_header": ["指标", "单位", "本季度", "本年累计", "目标", "完成率", "时序进度", "状态"],
        "indicator_rows": indicators,
        "indicator_note": tables::indicator_note(f.indicators.iter().map(|i| &i.year_to_date)),
        "heavy_caption": "表5　脱贫攻坚任务较重的非贫困村进展（附件3，单位：人）",
        "heavy_header": ["乡镇", "村名", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率"],
        "heavy_rows": heavy,
        "trend_caption": format!("图1　{}年各月脱贫人数（截至{}）", f.quarter.year, f.as_of.chinese()),
        "trend": tables::trend(&f.trend),
    });
    let view = tables::merged(view, tables::fund_tables(&f.funds_by_category, &f.funds_by_source, &f.county, 3));
    tables::merged(view, tables::frame(config, &meta.issue(), &meta.date_cn()))
}
