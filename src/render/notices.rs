//! 公告公示: the views and sources of a village's (or township's) 项目公示 and 项目公告, set for
//! its 公开栏 (A4 portrait, or A3 where `config.yaml` says so; the body in 四号 or larger), and of
//! the county's 资金分配使用情况公示 (A4, a table). Every value is a display string in
//! `/data.json`: data, never markup.

use serde::Serialize;

use super::format::{date, wan, wan_column};
use super::tables::{self, PdfMeta, Table};
use super::Prepared;
use crate::base::period::{Date, Period};
use crate::figures::aggregate::notices::{Funds, Place};
use crate::reading::submission::{Need, ProjectRow};
use crate::setup::config::{Config, Paper};

/// The village and township notices' template.
pub const NOTICE_MAIN: &str = "notice.typ";
pub const NOTICE_TEMPLATES: &[&str] = &["gongwen.typ", "notice.typ"];
/// The county 公示's template.
pub const FUNDS_MAIN: &str = "funds-notice.typ";
pub const FUNDS_TEMPLATES: &[&str] = &["gongwen.typ", "funds-notice.typ"];

/// The national poverty-alleviation hotline, printed on every notice.
pub const HOTLINE: &str = "12317";

/// When a notice is posted and for how long: its date and its 公示期.
#[derive(Debug, Clone, Copy)]
pub struct Posting {
    pub from: Date,
    pub to: Date,
    pub days: u16,
    pub draft: bool,
}

impl Posting {
    fn line(&self) -> String {
        let (f, t) = (self.from, self.to);
        format!("公示期：{}至{}（{}天）。", date(f.year, f.month, f.day), date(t.year, t.month, t.day), self.days)
    }

    /// The day it is posted, in words: the notice's date.
    pub fn dated(&self) -> String {
        date(self.from.year, self.from.month, self.from.day)
    }

    /// The 公示期's first and last day, `YYYY-MM-DD`.
    pub fn span(&self) -> [String; 2] {
        [self.from, self.to].map(|d| d.to_string())
    }
}

/// `南村乡东村2019年项目公示`
pub fn notice_title(place: &Place, need: Need, p: Period) -> String {
    format!("{}{}年扶贫{}", place.name(), p.year, need.name())
}

/// `渑池县2019年度扶贫资金分配使用情况公示`
pub fn funds_title(county: &str, year: u16) -> String {
    format!("{county}{year}年度扶贫{}", Need::Funds.name())
}

/// The 监督电话 line: 12317, then the county's own.
fn phones(config: &Config) -> String {
    let own: Vec<&str> = config.notices.phones.iter().map(String::as_str).filter(|p| !p.trim().is_empty()).collect();
    let county = if own.is_empty() { String::new() } else { format!("；县级监督电话：{}", own.join("、")) };
    format!("监督电话：{HOTLINE}（全国扶贫监督举报电话）{county}。")
}

fn money(v: i64) -> String {
    format!("{}万元", wan(v as f64 / 100.0))
}

fn day(d: Option<Date>) -> String {
    d.map(|d| date(d.year, d.month, d.day)).unwrap_or_default()
}

/// Where a project is carried out: the township and its 所在村 as typed (`南村乡石门村`,
/// `南村乡（全乡）`), the township alone when it names none.
fn site(township: &str, p: &ProjectRow) -> String {
    match p.village.as_deref() {
        None => township.to_string(),
        Some(v) if v.starts_with('全') => format!("{township}（{v}）"),
        Some(v) => format!("{township}{v}"),
    }
}

/// One project of a village notice: its heading and its (label, value) rows.
#[derive(Serialize)]
struct Card {
    heading: String,
    rows: Vec<[String; 2]>,
}

fn card(i: usize, place: &Place, p: &ProjectRow, need: Need) -> Card {
    let n = &p.notice;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut rows = vec![
        ["项目名称".to_string(), p.name.clone()],
        ["实施地点".into(), site(&place.township, p)],
        ["建设内容".into(), text(&n.content)],
        ["资金来源及规模".into(), format!("{}，计划投资{}", text(&p.source), money(p.planned))],
        ["实施期限".into(), format!("{}至{}", day(p.planned_start), day(n.planned_end))],
        ["实施单位".into(), text(&n.unit)],
        ["责任人".into(), text(&n.person)],
    ];
    let people = p.beneficiaries.map(|b| b.to_string()).unwrap_or_default();
    if need == Need::After {
        rows.push(["实际投资".into(), n.actual.map(money).unwrap_or_default()]);
        rows.push(["完工日期".into(), day(n.completed_on)]);
        rows.push(["验收日期及结果".into(), format!("{}，{}", day(n.accepted_on), text(&n.acceptance))]);
        rows.push(["带贫减贫成效".into(), format!("带动贫困人口{people}人")]);
    } else {
        rows.push(["带贫减贫机制".into(), format!("计划带动贫困人口{people}人")]);
    }
    Card { heading: format!("{}、{}", crate::base::format::cn_num(i as u32 + 1), p.name), rows }
}

/// A village notice's view (`/data.json` of `notice.typ`).
#[derive(Serialize)]
struct NoticeView {
    draft: bool,
    meta: PdfMeta,
    a3: bool,
    title: String,
    intro: String,
    cards: Vec<Card>,
    closing: Vec<String>,
    signers: Vec<String>,
    date: String,
}

/// The sources of the 项目公示 or 项目公告 (`need`) of `place` made in month `p`.
pub fn notice(config: &Config, place: &Place, projects: &[&ProjectRow], need: Need, p: Period, posting: Posting) -> Prepared {
    let title = notice_title(place, need, p);
    let what = if need == Need::After { "已竣工验收的扶贫项目完成情况公告" } else { "扶贫项目实施计划公示" };
    let intro = format!("根据扶贫资金项目公告公示制度，现将{}{}年{what}如下：", place.name(), p.year);
    let mut signers = vec![format!("{}人民政府", place.township)];
    if let Some(v) = &place.village {
        signers.push(format!("{v}村民委员会"));
    }
    let closing = vec![posting.line(), format!("公示期间，对以上项目如有异议，请向{}或县扶贫开发领导小组办公室反映。", signers.join("、")), phones(config)];
    let keywords = [need.name(), &place.township, place.village.as_deref().unwrap_or(""), &config.office];
    let meta = PdfMeta::new(&title, format!("{}　{}", need.name(), p.chinese()), &config.office, &keywords, "");
    let cards = projects.iter().enumerate().map(|(i, r)| card(i, place, r, need)).collect();
    let view = NoticeView { draft: posting.draft, meta, a3: config.notices.paper == Paper::A3, title, intro, cards, closing, signers, date: posting.dated() };
    let data = tables::to_data_json(&view);
    let d = posting.from;
    Prepared::new(format!("{} {}", place.name(), need.name()), NOTICE_MAIN, NOTICE_TEMPLATES, vec![("/data.json".into(), data)], (d.year, d.month, d.day))
}

/// The county 公示's view (`/data.json` of `funds-notice.typ`).
#[derive(Serialize)]
struct FundsView<'a> {
    draft: bool,
    meta: PdfMeta,
    title: String,
    intro: Vec<String>,
    #[serde(flatten)]
    sources: Table,
    #[serde(flatten)]
    projects: Table,
    closing: Vec<String>,
    office: &'a str,
    date: String,
}

/// The sources of the county's 资金分配使用情况公示 of `f.year`.
pub fn funds(config: &Config, county: &str, f: &Funds, posting: Posting) -> Prepared {
    let title = funds_title(county, f.year);
    let meta = PdfMeta::new(&title, format!("{}　{}年", Need::Funds.name(), f.year), &config.office, &[Need::Funds.name(), &config.office], "");
    let view = FundsView {
        draft: posting.draft,
        meta,
        title,
        intro: funds_intro(county, f),
        sources: sources_table(f),
        projects: projects_table(f),
        closing: vec![posting.line(), format!("公示期间如有异议，请向{}反映。", config.office), phones(config)],
        office: &config.office,
        date: posting.dated(),
    };
    let d = posting.from;
    let data = tables::to_data_json(&view);
    Prepared::new(format!("{} 资金公示", f.year), FUNDS_MAIN, FUNDS_TEMPLATES, vec![("/data.json".into(), data)], (d.year, d.month, d.day))
}

/// What the county 公示 rests on: each township's latest report of the year.
fn funds_intro(county: &str, f: &Funds) -> Vec<String> {
    let mut first = format!(
        "根据扶贫资金项目公告公示制度，现将{county}{}年度扶贫项目资金分配和使用计划予以公示。全县共安排扶贫项目{}个，计划投资{}。",
        f.year,
        f.total.projects,
        money(f.total.planned)
    );
    let missing: Vec<&str> = f.townships.iter().filter(|t| t.from.is_none()).map(|t| t.name.as_str()).collect();
    let earlier: Vec<String> = f.townships.iter().filter_map(|t| t.from.filter(|p| *p < f.as_of).map(|p| format!("{}（{}）", t.name, p.chinese()))).collect();
    first.push_str(&format!("项目依据各乡镇截至{}报送的项目资金表", f.as_of.chinese()));
    if !earlier.is_empty() {
        first.push_str(&format!("，其中{}为其本年最近一期报表", earlier.join("、")));
    }
    first.push('。');
    if !missing.is_empty() {
        first.push_str(&format!("{}本年未报送项目资金表，未列入本公示。", missing.join("、")));
    }
    vec![first]
}

fn sources_table(f: &Funds) -> Table {
    let rows = f.by_source.iter().map(|s| vec![s.source.clone(), s.projects.to_string(), wan_column(s.planned as f64 / 100.0)]).collect();
    let total = vec!["合计".to_string(), f.total.projects.to_string(), wan_column(f.total.planned as f64 / 100.0)];
    Table::new("sources", "表1　按资金来源分（单位：万元）", &["资金来源", "项目个数", "投资规模"], rows).with_total(total)
}

fn projects_table(f: &Funds) -> Table {
    let rows = f
        .projects
        .iter()
        .enumerate()
        .map(|(i, (township, p))| {
            let place = site(township, p);
            let text = |v: &Option<String>| v.clone().unwrap_or_default();
            vec![
                (i + 1).to_string(),
                p.name.clone(),
                place,
                text(&p.notice.content),
                wan_column(p.planned as f64 / 100.0),
                text(&p.source),
                text(&p.notice.unit),
            ]
        })
        .collect();
    Table::new("projects", "表2　项目明细（单位：万元）", &["序号", "项目名称", "建设地点", "建设内容", "投资规模", "资金来源", "责任单位"], rows)
}
