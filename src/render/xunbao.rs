//! The 旬报 (扶贫项目实施和资金支出进度旬报): its view of the figures and its sources. Every
//! value is a display string in `/data.json` (data, never markup); the summary paragraph is
//! written here from the figures.

use serde::Serialize;

use super::format::{pct, wan, wan_column};
use super::tables::{self, Frame, PdfMeta, Table};
use super::{Meta, Prepared};
use crate::figures::aggregate::ratio;
use crate::figures::aggregate::xun::{Sums, TownshipXun, XunFigures};
use crate::figures::aggregate::Status;
use crate::setup::config::Config;

pub const MAIN: &str = "xunbao.typ";
/// The Typst templates a 旬报 is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "xunbao.typ"];
/// The masthead of the series (红头).
pub const MASTHEAD: &str = "扶贫项目实施和资金支出进度旬报";

/// `2019年3月上旬全县扶贫项目实施和资金支出进度`
pub fn title(f: &XunFigures) -> String {
    format!("{}{}全县扶贫项目实施和资金支出进度", f.period.chinese(), f.xun.chinese())
}

/// The 旬报's sources.
pub fn prepare(config: &Config, f: &XunFigures, meta: &Meta) -> Prepared {
    let data = tables::to_data_json(&view(config, f, meta));
    Prepared::new(format!("{}{} 旬报", f.period, f.xun.chinese()), MAIN, TEMPLATES, vec![("/data.json".to_string(), data)], meta.date)
}

/// Everything the Typst template shows, as display strings (`/data.json`).
#[derive(Serialize)]
struct View<'a> {
    draft: bool,
    meta: PdfMeta,
    corrects: Option<String>,
    title: String,
    /// The opening paragraphs.
    summary: Vec<String>,
    #[serde(flatten)]
    funds: Table,
    funds_note: String,
    #[serde(flatten)]
    works: Table,
    #[serde(flatten)]
    sources: Table,
    #[serde(flatten)]
    idle: Table,
    #[serde(flatten)]
    frame: Frame<'a>,
}

fn view<'a>(config: &'a Config, f: &XunFigures, meta: &Meta) -> View<'a> {
    let when = format!("{}{}", f.period.chinese(), f.xun.chinese());
    let subject = format!("{MASTHEAD}　{when}　{}", meta.issue());
    let keywords = [config.work.as_str(), crate::base::series::Series::Xunbao.name(), &when, &config.office];
    let mut frame = Frame::new(config, meta.issue(), meta.date_cn());
    frame.masthead = MASTHEAD;
    View {
        draft: meta.draft,
        meta: PdfMeta::new(&title(f), subject, &config.office, &keywords, &meta.issue()),
        corrects: meta.correction(),
        title: title(f),
        summary: summary(f),
        funds: funds(f),
        funds_note: funds_note(f),
        works: works(f),
        sources: sources(f),
        idle: idle(f),
        frame,
    }
}

/// 万元 from hundredths.
fn money(v: i64) -> f64 {
    v as f64 / 100.0
}

/// 支出进度 shown beside the judgment against 序时进度.
fn progress(s: &Sums, schedule: (i128, i128)) -> Option<f64> {
    s.progress().and_then(|(n, d)| ratio::pct_against(n, d, schedule.0, schedule.1))
}

fn rate(n: u32, d: u32) -> Option<f64> {
    ratio::pct(i128::from(n), i128::from(d))
}

/// The last day of the 旬, in words: `3月10日`.
fn day_word(f: &XunFigures) -> String {
    let d = f.xun.last_day(f.period);
    format!("{}月{}日", d.month, d.day)
}

/// The opening paragraphs: the county's figures, the judgment against 序时进度, and what the
/// figures rest on.
fn summary(f: &XunFigures) -> Vec<String> {
    let t = &f.total;
    let schedule = ratio::pct(f.schedule.0 * 100, f.schedule.1 * 100);
    let mut first = format!(
        "截至{}，全县共有扶贫项目{}个，已开工{}个（开工率{}），已完工{}个（完工率{}）；计划投资{}万元",
        day_word(f),
        t.projects,
        t.started,
        pct(rate(t.started, t.projects)),
        t.completed,
        pct(rate(t.completed, t.projects)),
        wan(money(t.planned))
    );
    if t.retained > 0 {
        first.push_str(&format!("，其中留置资金{}万元", wan(money(t.retained))));
    }
    first.push_str(&format!("；累计拨付{}万元", wan(money(t.disbursed))));
    match f.this_xun {
        Some(v) => first.push_str(&format!("，本旬拨付{}万元", wan(money(v)))),
        None if crate::figures::aggregate::xun::previous((f.period, f.xun)).is_some() => first.push_str("，本旬拨付无可比数据"),
        None => {}
    }
    let judged = t.progress().map(|(n, d)| ratio::cmp_ratio(n, d, f.schedule.0, f.schedule.1));
    let against = match judged {
        Some(std::cmp::Ordering::Less) => "，低于序时进度",
        Some(std::cmp::Ordering::Greater) => "，高于序时进度",
        Some(std::cmp::Ordering::Equal) => "，与序时进度持平",
        None => "",
    };
    first.push_str(&format!("。支出进度{}（累计拨付÷扣除留置资金后的计划投资），序时进度{}{against}。", pct(progress(t, f.schedule)), pct(schedule)));
    let mut out = vec![first];
    let behind: Vec<&str> = f.townships.iter().filter(|t| t.behind).map(|t| t.name.as_str()).collect();
    if !behind.is_empty() {
        out.push(format!("支出进度低于序时进度的乡镇：{}。请加快项目实施和资金拨付。", behind.join("、")));
    }
    out.extend(rests_on(f));
    out
}

/// What the figures rest on: townships carried from an earlier 旬, without any, unverified.
fn rests_on(f: &XunFigures) -> Option<String> {
    let of = |s: Status| f.townships.iter().filter(move |t| t.status == s);
    let carried: Vec<String> = of(Status::CarriedForward).map(|t| format!("{}（沿用{}）", t.name, from_word(t))).collect();
    let missing: Vec<&str> = of(Status::Missing).map(|t| t.name.as_str()).collect();
    let unverified: Vec<&str> = of(Status::Unverified).map(|t| t.name.as_str()).collect();
    let mut parts = Vec::new();
    if !carried.is_empty() {
        parts.push(format!("本旬未报送、沿用此前旬报数据的乡镇：{}", carried.join("、")));
    }
    if !missing.is_empty() {
        parts.push(format!("本年尚无旬报表的乡镇：{}（不计入全县数）", missing.join("、")));
    }
    if !unverified.is_empty() {
        parts.push(format!("旬报表有误、数据待核的乡镇：{}（不计入全县数）", unverified.join("、")));
    }
    (!parts.is_empty()).then(|| format!("{}。", parts.join("；")))
}

/// `3月上旬`
fn from_word(t: &TownshipXun) -> String {
    t.from.map(|(p, x)| format!("{}月{}", p.month, x.chinese())).unwrap_or_default()
}

/// 表1: each township's funds, ranked by 支出进度.
fn funds(f: &XunFigures) -> Table {
    let mut rank = 0;
    let rows = f
        .townships
        .iter()
        .map(|t| {
            let Some(s) = t.sums.filter(|_| t.status.has_figures()) else {
                let word = if t.status == Status::Unverified { tables::UNVERIFIED } else { "未报送" };
                return std::iter::once("—".to_string()).chain(super::format::placeholder_row(&t.name, word, 7)).collect();
            };
            let shown = progress(&s, f.schedule);
            let place = if s.progress().is_some() {
                rank += 1;
                rank.to_string()
            } else {
                "—".into()
            };
            let name = if t.status == Status::CarriedForward { format!("{}*", t.name) } else { t.name.clone() };
            let behind = if t.behind {
                "低于"
            } else if shown.is_some() {
                "不低于"
            } else {
                "—"
            };
            vec![
                place,
                name,
                wan_column(money(s.planned)),
                wan_column(money(s.retained)),
                wan_column(money(s.disbursed)),
                this_xun(t.this_xun),
                pct(shown),
                behind.into(),
            ]
        })
        .collect();
    let t = &f.total;
    let total = vec![
        String::new(),
        "全县".into(),
        wan_column(money(t.planned)),
        wan_column(money(t.retained)),
        wan_column(money(t.disbursed)),
        this_xun(f.this_xun),
        pct(progress(t, f.schedule)),
        String::new(),
    ];
    let caption = format!("表1　各乡镇资金支出进度（截至{}，单位：万元）", day_word(f));
    Table::new("funds", caption, &["排名", "乡镇", "计划投资", "留置资金", "累计拨付", "本旬拨付", "支出进度", "与序时进度比"], rows).with_total(total)
}

fn this_xun(v: Option<i64>) -> String {
    v.map_or("—".into(), |v| wan_column(money(v)))
}

/// The note under table 1: how 支出进度 is computed, and what * means.
fn funds_note(f: &XunFigures) -> String {
    let schedule = pct(ratio::pct(f.schedule.0 * 100, f.schedule.1 * 100));
    let mut note =
        format!("注：支出进度＝累计拨付÷（计划投资－留置资金）；序时进度为本年已过天数占全年天数的比例（{}/{}，{schedule}）。", f.schedule.0, f.schedule.1);
    let carried: Vec<String> = f.townships.iter().filter(|t| t.status == Status::CarriedForward).map(|t| format!("{}沿用{}", t.name, from_word(t))).collect();
    if !carried.is_empty() {
        note.push_str(&format!("*为本旬未报送、沿用此前旬报数据：{}。", carried.join("、")));
    }
    note
}

/// 表2: each township's projects started and completed, in table 1's order.
fn works(f: &XunFigures) -> Table {
    let rows = f
        .townships
        .iter()
        .map(|t| match t.sums.filter(|_| t.status.has_figures()) {
            None => super::format::placeholder_row(&t.name, if t.status == Status::Unverified { tables::UNVERIFIED } else { "未报送" }, 6),
            Some(s) => vec![
                t.name.clone(),
                s.projects.to_string(),
                s.started.to_string(),
                pct(rate(s.started, s.projects)),
                s.completed.to_string(),
                pct(rate(s.completed, s.projects)),
            ],
        })
        .collect();
    let t = &f.total;
    let total = vec![
        "全县".into(),
        t.projects.to_string(),
        t.started.to_string(),
        pct(rate(t.started, t.projects)),
        t.completed.to_string(),
        pct(rate(t.completed, t.projects)),
    ];
    Table::new("works", "表2　各乡镇项目实施进度（单位：个）", &["乡镇", "项目个数", "已开工", "开工率", "已完工", "完工率"], rows).with_total(total)
}

/// 表3: by 资金来源.
fn sources(f: &XunFigures) -> Table {
    let rows = f
        .sources
        .iter()
        .map(|(name, s)| {
            vec![
                name.clone(),
                s.projects.to_string(),
                wan_column(money(s.planned)),
                wan_column(money(s.retained)),
                wan_column(money(s.disbursed)),
                pct(progress(s, f.schedule)),
            ]
        })
        .collect();
    Table::new("sources", "表3　按资金来源分（单位：万元）", &["资金来源", "项目个数", "计划投资", "留置资金", "累计拨付", "支出进度"], rows)
}

/// 表4: the projects not started, the oldest planned start first.
fn idle(f: &XunFigures) -> Table {
    let rows = f
        .not_started
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let start = p.planned_start.map_or("未填写".into(), |d| d.to_string());
            vec![(i + 1).to_string(), p.township.clone(), p.village.clone().unwrap_or_default(), p.name.clone(), wan_column(money(p.planned)), start]
        })
        .collect();
    Table::new("idle", "表4　未开工项目", &["序号", "乡镇", "所在村", "项目名称", "计划投资（万元）", "计划开工"], rows)
}
