//! The monthly bulletin (工作简报): its view of the figures, its narrative, its PDF.

use minijinja::context;
use serde_json::json;

use super::format::{count, pct};
use super::{markup, tables, Engine, Meta, Prepared};
use crate::aggregate::{MonthFigures, Status, TownshipFigures};
use crate::config::Config;
use crate::error::Result;
use crate::pieces::{Kind, Piece};

pub const MAIN: &str = "bulletin.typ";
/// The Typst templates a bulletin is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "bulletin.typ"];
pub const NARRATIVE: &str = "bulletin-narrative.typ.j2";

/// The bulletin's title: `全县2018年3月脱贫攻坚工作进展情况`.
pub fn title(f: &MonthFigures) -> String {
    format!("全县{}脱贫攻坚工作进展情况", f.period.chinese())
}

/// The bulletin's sources, ready to typeset.
pub fn prepare(engine: &Engine, config: &Config, figures: &MonthFigures, pieces: &[&Piece], meta: &Meta) -> Result<Prepared> {
    let mut view = view(config, figures, meta);
    view["news"] = pieces_view(pieces, Kind::News);
    view["practice"] = pieces_view(pieces, Kind::Practice);
    let data = serde_json::to_vec_pretty(&view).expect("serialisable");
    let narrative = narrative(engine, figures)?;
    let generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    Ok(Prepared::new(format!("{} 工作简报", figures.period), MAIN, TEMPLATES, generated, meta.date))
}

/// The prose, from the office-editable template.
pub fn narrative(engine: &Engine, f: &MonthFigures) -> Result<String> {
    let ranked: Vec<&TownshipFigures> = {
        let mut r: Vec<&TownshipFigures> = f.townships.iter().filter(|t| t.rank.is_some()).collect();
        r.sort_by_key(|t| t.rank);
        r
    };
    let names = |ts: &[&TownshipFigures]| ts.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    let n = (ranked.len() / 4).clamp(1, 3).min(ranked.len() / 2);
    let behind: Vec<_> = f
        .indicators
        .iter()
        .filter(|i| i.behind_schedule)
        .map(|i| json!({"name": i.name, "unit": i.unit, "span": i.target_span, "target": i.target, "value": i.value, "completion_pct": i.completion_pct}))
        .collect();
    let carried: Vec<String> = f
        .townships
        .iter()
        .filter_map(|t| t.carried_from.map(|p| format!("{}沿用{}月数据", t.name, p.month)))
        .collect();
    let ctx = context! {
        period_cn => f.period.chinese(),
        year => f.period.year,
        county => minijinja::Value::from(minijinja::value::Serde(&f.county)),
        ranked_by => f.ranked_by,
        top => names(&ranked[..n]),
        bottom => names(&ranked[ranked.len() - n..]),
        not_reported => &f.not_reported,
        unverified => &f.unverified,
        carried => carried,
        exits_unknown => &f.exits_unknown,
        behind => minijinja::Value::from(minijinja::value::Serde(&behind)),
    };
    markup::render_template(&engine.template(NARRATIVE)?, NARRATIVE, ctx)
}

/// Everything the Typst template shows, as display strings.
fn view(config: &Config, f: &MonthFigures, meta: &Meta) -> serde_json::Value {
    let c = &f.county;
    let township_rows: Vec<Vec<String>> = f.townships.iter().map(|t| tables::township(t, true)).collect();
    let notes: Vec<String> = f
        .townships
        .iter()
        .filter_map(|t| match t.status {
            Status::CarriedForward => Some(format!("注：{}本月未报送，沿用{}月数据。", t.name, t.carried_from?.month)),
            Status::Missing => Some(format!("注：{}本月未报送，本年无数据。", t.name)),
            Status::Unverified => Some(format!("注：{}报表有错误，数据待核，未计入全县合计。", t.name)),
            Status::Reported => None,
        })
        .chain(f.exits_unknown.iter().map(|t| {
            format!("注：{t}没有{}年的报表（上年数据缺失），本年出列村数按本年报表中填“是”的村计算。", f.period.year - 1)
        }))
        .collect();
    // The deep-poverty villages: the four of 解剖麻雀 marked ★, and the township's 备注.
    let villages: Vec<Vec<String>> = f
        .deep_villages
        .iter()
        .map(|v| {
            let mut row = tables::village(v, true);
            if v.focus {
                row[1].push('★');
            }
            row.push(v.remark.clone());
            row
        })
        .collect();
    let county_progress = c.progress_pct;
    let focus_rows: Vec<usize> = f.deep_villages.iter().enumerate().filter(|(_, v)| v.focus).map(|(i, _)| i).collect();
    let view = json!({
        "draft": meta.draft,
        "meta": super::pdf_meta(&title(f), &format!("{}　{}　{}", config.masthead, f.period.chinese(), meta.issue()),
            &config.office, &["脱贫攻坚", crate::series::Series::Bulletin.name(), &f.period.chinese(), &config.office], &meta.issue()),
        "corrects": meta.correction(),
        "title": title(f),
        "township_caption": format!("表1　各乡镇{}脱贫进展（单位：人、个、万元）", f.period.chinese()),
        "township_header": ["乡镇", "年初贫困人口", "本月脱贫", "本年累计脱贫", f.ranked_by, "本年出列", "累计出列", "资金拨付率", "排名"],
        "township_rows": township_rows,
        "township_total": ["全县合计", count(c.poor_at_start), count(c.lifted_this_month), count(c.lifted_to_date),
            pct(county_progress),
            count(c.exited_this_year), count(c.exited_total), pct(c.disbursement_pct), "—"],
        "township_notes": notes,
        "village_caption": "表2　深度贫困村脱贫进展（单位：人）",
        "village_header": ["乡镇", "村名", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率", "已出列", "备注"],
        "village_rows": villages,
        "village_focus_rows": focus_rows,
        "village_note": "注：★为贫困发生率高于30%、开展“解剖麻雀”式分析的4个深度贫困村（规划二(一)1）。贫困发生率＝剩余贫困人口÷户籍人口。",
        "project_caption": "表3　统筹整合资金投向深度贫困村的项目（单位：万元）",
        "project_header": ["乡镇", "项目名称", "所在村", "计划投资", "累计拨付", "拨付率", "状态"],
        "project_rows": f.deep_projects.iter().map(|p| vec![
            p.township.clone(), p.name.clone(), p.village.clone(), super::format::wan(p.planned_wan),
            super::format::wan(p.disbursed_wan), pct(p.disbursement_pct), p.status.clone().unwrap_or_else(|| "—".into()),
        ]).collect::<Vec<_>>(),
        "chart_caption": format!("图1　各乡镇{}（截至{}）", f.ranked_by, f.period.chinese()),
        "chart": f.townships.iter().map(|t| json!({"name": t.name, "value": t.progress_pct, "label": pct(t.progress_pct)})).collect::<Vec<_>>(),
        "chart_marker": county_progress,
        "chart_marker_label": format!("红色虚线为全县平均{}{}", f.ranked_by, pct(county_progress)),
    });
    tables::merged(view, tables::frame(config, &meta.issue(), &meta.date_cn()))
}

/// The pieces of one section as the template sets them: title, paragraphs, source. Their
/// text is data, set literally.
fn pieces_view(pieces: &[&Piece], kind: Kind) -> serde_json::Value {
    pieces.iter().filter(|p| p.kind == kind).map(|p| json!({"title": p.title, "body": p.body, "source": p.source})).collect()
}
