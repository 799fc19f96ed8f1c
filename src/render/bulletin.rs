//! The monthly bulletin (工作简报): its view of the figures, its narrative, its PDF.

use minijinja::context;
use serde::Serialize;

use super::format::{pct, wan_column};
use super::tables::{self, Frame, PdfMeta, Point, Table};
use super::{markup, Engine, Meta, Prepared};
use crate::base::error::Result;
use crate::figures::aggregate::{IndicatorFigures, MonthFigures, Status, TownshipFigures};
use crate::reading::pieces::{Kind, Piece};
use crate::setup::config::Config;
use crate::setup::plan::Plan;

pub const MAIN: &str = "bulletin.typ";
/// The Typst templates a bulletin is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "bulletin.typ"];
pub const NARRATIVE: &str = "bulletin-narrative.typ.j2";

/// The bulletin's title: `全县2018年3月脱贫攻坚工作进展情况`.
pub fn title(config: &Config, f: &MonthFigures) -> String {
    format!("全县{}{}工作进展情况", f.period.chinese(), config.work)
}

/// The bulletin's sources, ready to typeset.
pub fn prepare(engine: &Engine, config: &Config, plan: &Plan, figures: &MonthFigures, pieces: &[&Piece], meta: &Meta) -> Result<Prepared> {
    let data = tables::to_data_json(&view(config, plan, figures, pieces, meta));
    let narrative = narrative(engine, figures)?;
    let mut generated = vec![("/data.json".to_string(), data), ("/narrative.typ".to_string(), narrative.into_bytes())];
    // The pieces' photos, by the paths data.json names (their content's hash).
    for photo in pieces.iter().flat_map(|p| p.photos()) {
        if !generated.iter().any(|(path, _)| *path == photo.path) {
            generated.push((photo.path.clone(), photo.bytes.to_vec()));
        }
    }
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
    let behind: Vec<Behind> = f.indicators.iter().filter(|i| i.behind_schedule).map(Behind::from).collect();
    let carried: Vec<String> = f.townships.iter().filter_map(|t| t.carried_from.map(|p| format!("{}沿用{}月数据", t.name, p.month))).collect();
    let ctx = context! {
        period_cn => f.period.chinese(),
        year => f.period.year,
        county => minijinja::Value::from(minijinja::value::Serde(&f.county)),
        ranked_by => f.ranked_by.label(),
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

/// An indicator behind time progress, as the narrative template names its fields.
#[derive(Serialize)]
struct Behind<'a> {
    name: &'a str,
    unit: &'a str,
    span: Option<&'a str>,
    target: Option<f64>,
    value: f64,
    completion_pct: Option<f64>,
}

impl<'a> From<&'a IndicatorFigures> for Behind<'a> {
    fn from(i: &'a IndicatorFigures) -> Behind<'a> {
        Behind { name: &i.name, unit: &i.unit, span: i.target_span.as_deref(), target: i.target, value: i.value, completion_pct: i.completion_pct }
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
    township_notes: Vec<String>,
    #[serde(flatten)]
    village: Table,
    village_focus_rows: Vec<usize>,
    village_note: String,
    #[serde(flatten)]
    project: Table,
    chart_caption: String,
    chart: Vec<Point<Option<f64>>>,
    chart_marker: Option<f64>,
    chart_marker_label: String,
    news: Vec<PieceView<'a>>,
    practice: Vec<PieceView<'a>>,
    #[serde(flatten)]
    frame: Frame<'a>,
}

/// A piece as the template sets it: title, paragraphs, source. Its text is data, set literally.
#[derive(Serialize)]
struct PieceView<'a> {
    title: &'a str,
    body: &'a [crate::reading::pieces::Block],
    source: Option<&'a str>,
}

fn view<'a>(config: &'a Config, plan: &Plan, f: &MonthFigures, pieces: &[&'a Piece], meta: &Meta) -> View<'a> {
    let c = &f.county;
    let section = |kind: Kind| -> Vec<PieceView<'a>> {
        pieces.iter().filter(|p| p.kind == kind).map(|p| PieceView { title: &p.title, body: &p.body, source: p.source.as_deref() }).collect()
    };
    let subject = format!("{}　{}　{}", config.masthead, f.period.chinese(), meta.issue());
    let keywords = [config.work.as_str(), crate::base::series::Series::Bulletin.name(), &f.period.chinese(), &config.office];
    View {
        draft: meta.draft,
        meta: PdfMeta::new(&title(config, f), subject, &config.office, &keywords, &meta.issue()),
        corrects: meta.correction(),
        title: title(config, f),
        township: tables::townships(format!("表1　各乡镇{}脱贫进展（单位：人、个、万元）", f.period.chinese()), &f.townships, c, f.ranked_by.label(), true),
        township_notes: township_notes(f),
        village: deep_villages(f),
        village_focus_rows: f.deep_villages.iter().enumerate().filter(|(_, v)| v.focus).map(|(i, _)| i).collect(),
        village_note: village_note(plan),
        project: projects(f),
        chart_caption: format!("图1　各乡镇{}（截至{}）", f.ranked_by, f.period.chinese()),
        chart: f.townships.iter().map(|t| Point { name: Some(t.name.clone()), label: pct(t.progress_pct), value: t.progress_pct, target: None }).collect(),
        chart_marker: c.progress_pct,
        chart_marker_label: format!("红色虚线为全县平均{}{}", f.ranked_by, pct(c.progress_pct)),
        news: section(Kind::News),
        practice: section(Kind::Practice),
        frame: Frame::new(config, meta.issue(), meta.date_cn()),
    }
}

/// The notes under table 1: townships carried forward, missing or unverified, and exits unknown.
fn township_notes(f: &MonthFigures) -> Vec<String> {
    f.townships
        .iter()
        .filter_map(|t| match t.status {
            Status::CarriedForward => Some(format!("注：{}本月未报送，沿用{}月数据。", t.name, t.carried_from?.month)),
            Status::Missing => Some(format!("注：{}本月未报送，本年无数据。", t.name)),
            Status::Unverified => Some(format!("注：{}报表有错误（表中“有误”），数据待核，未计入全县合计。", t.name)),
            Status::Reported => None,
        })
        .chain((!f.exits_unknown.is_empty()).then(|| {
            let who = f.exits_unknown.join("、");
            format!("注：{who}没有{}年的报表（上年数据缺失），本年出列村数按本年报表中填“是”的村计算，不计算出列目标完成率。", f.period.year - 1)
        }))
        .collect()
}

/// The note under table 2: what ★ marks, as the plan says it, and how incidence is computed.
fn village_note(plan: &Plan) -> String {
    let list = &plan.deep_poverty_villages;
    let star = (!list.focus.is_empty()).then(|| {
        let what = list.focus_criterion.as_deref().map_or_else(|| "规划确定的".to_string(), |c| format!("{c}的"));
        let section = list.focus_section.as_deref().map(|s| format!("（规划{s}）")).unwrap_or_default();
        format!("★为{what}{}个深度贫困村{section}。", list.focus.len())
    });
    format!("注：{}贫困发生率＝剩余贫困人口÷户籍人口。", star.unwrap_or_default())
}

/// The deep-poverty villages: the plan's focus villages marked ★, and the township's 备注.
fn deep_villages(f: &MonthFigures) -> Table {
    let mut t = tables::villages("village", "表2　深度贫困村脱贫进展（单位：人）".into(), &f.deep_villages, true);
    t.header.push(tables::words("备注"));
    for (row, v) in t.rows.iter_mut().zip(&f.deep_villages) {
        if v.focus {
            row[1].push('★');
        }
        row.push(v.remark.clone());
    }
    t
}

/// The projects of integrated funds in deep-poverty villages.
fn projects(f: &MonthFigures) -> Table {
    let rows = f
        .deep_projects
        .iter()
        .map(|p| {
            let status = p.status.clone().unwrap_or_else(|| "—".into());
            vec![p.township.clone(), p.name.clone(), p.village.clone(), wan_column(p.planned_wan), wan_column(p.disbursed_wan), pct(p.disbursement_pct), status]
        })
        .collect();
    let header = ["乡镇", "项目名称", "所在村", "计划投资", "累计拨付", "拨付率", "状态"];
    Table::new("project", "表3　统筹整合资金投向深度贫困村的项目（单位：万元）", &header, rows)
}
