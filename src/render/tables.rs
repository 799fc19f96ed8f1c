//! The parts the documents' views share, typed: a table (its header kept beside its rows),
//! the fund tables, the masthead and 版记 frame, the PDF metadata, chart points; and one way
//! to show a village, a township, a fund line and an indicator, whichever document shows it.
//!
//! A view is serialised through `serde_json::Value` (`to_data_json`), so `/data.json` lists its
//! keys in order: the same bytes as the archived documents' data, whose keys the templates
//! (the office's own too) and bound volumes read.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use super::format::{amount, count, pct, wan_column};
use crate::figures::aggregate::quarter::{FundLine, MonthPoint};
use crate::figures::aggregate::{CountyFigures, IndicatorFigures, Status, TownshipFigures, VillageFigures};
use crate::setup::config::{Config, Distribution};

/// A view as `/data.json`: keys sorted (see the module).
pub fn to_data_json(view: &impl Serialize) -> Vec<u8> {
    let value = serde_json::to_value(view).expect("serialisable");
    serde_json::to_vec_pretty(&value).expect("serialisable")
}

/// A table of display strings under its name: `<name>_caption`, `<name>_header`,
/// `<name>_rows` and, when it has one, `<name>_total` (flattened into its view).
#[derive(Debug, Clone)]
pub struct Table {
    pub name: &'static str,
    pub caption: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub total: Option<Vec<String>>,
}

impl Table {
    pub fn new(name: &'static str, caption: impl Into<String>, header: &[&str], rows: Vec<Vec<String>>) -> Table {
        Table { name, caption: caption.into(), header: header.iter().map(|h| words(h)).collect(), rows, total: None }
    }

    pub fn with_total(mut self, total: Vec<String>) -> Table {
        self.total = Some(total);
        self
    }
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        map.serialize_entry(&format!("{}_caption", self.name), &self.caption)?;
        map.serialize_entry(&format!("{}_header", self.name), &self.header)?;
        map.serialize_entry(&format!("{}_rows", self.name), &self.rows)?;
        if let Some(total) = &self.total {
            map.serialize_entry(&format!("{}_total", self.name), total)?;
        }
        map.end()
    }
}

/// The words a table header may break between, longest first: a header is set so that a line
/// breaks only between words (户籍|人口, never 户籍人/口).
const HEADER_WORDS: &[&str] = &[
    "本季度",
    "上季度",
    "拨付率",
    "发生率",
    "完成率",
    "已出列",
    "所在村",
    "年初",
    "贫困",
    "人口",
    "本月",
    "本年",
    "累计",
    "脱贫",
    "减贫",
    "进度",
    "出列",
    "资金",
    "户籍",
    "剩余",
    "计划",
    "投资",
    "拨付",
    "项目",
    "名称",
    "时序",
    "全年",
    "目标",
    "人数",
    "村数",
    "年末",
    "增减",
    "排名",
    "备注",
    "状态",
    "指标",
    "单位",
    "乡镇",
    "村名",
    "类别",
    "年度",
    "规模",
    "地点",
];

/// A header with U+200B after each of its words (`gongwen.typ` breaks lines only there; a
/// header with none, as archived documents have, breaks as ordinary text); a character of no
/// known word is a word of its own.
pub fn words(header: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut rest = header;
    while let Some(c) = rest.chars().next() {
        let word = HEADER_WORDS.iter().find(|w| rest.starts_with(**w)).copied().unwrap_or(&rest[..c.len_utf8()]);
        out.push(word);
        rest = &rest[word.len()..];
    }
    out.iter().map(|w| format!("{w}\u{200B}")).collect()
}

/// The masthead and 版记 fields of a document, flattened into its view.
#[derive(Debug, Clone, Serialize)]
pub struct Frame<'a> {
    pub masthead: &'a str,
    pub issue: String,
    pub office: &'a str,
    pub date: String,
    pub distribution: &'a [Distribution],
    /// 共印N份, when the office prints a number.
    pub copies: Option<String>,
}

impl Frame<'_> {
    pub fn new(config: &Config, issue: impl Into<String>, date: String) -> Frame<'_> {
        Frame {
            masthead: &config.masthead,
            issue: issue.into(),
            office: &config.office,
            date,
            distribution: &config.distribution,
            copies: (config.copies > 0).then(|| config.copies.to_string()),
        }
    }
}

/// The PDF metadata of a document (`meta`): title, subject, author (the office), keywords and
/// its number (`第3期`, for a bound volume's 目录); in a bound volume, also `volume` and the
/// document's bookmark.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PdfMeta {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub keywords: Vec<String>,
    pub issue: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub volume: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bookmark: Option<String>,
}

impl PdfMeta {
    pub fn new(title: &str, subject: String, author: &str, keywords: &[&str], issue: &str) -> PdfMeta {
        PdfMeta {
            title: title.into(),
            subject,
            author: author.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            issue: issue.into(),
            ..PdfMeta::default()
        }
    }
}

/// A point of a chart: its label and value (a count, or a percentage); for a bar, its
/// township; for a pair chart, its target.
#[derive(Debug, Clone, Serialize)]
pub struct Point<V> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub label: String,
    pub value: V,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<u32>,
}

/// The month-by-month chart of people lifted out: a month no township reported has no value
/// (the chart marks it 无报表, never draws a 0).
pub fn trend(points: &[MonthPoint]) -> Vec<Point<Option<u32>>> {
    points.iter().map(|m| Point { name: None, label: format!("{}月", m.period.month), value: m.lifted_this_month, target: None }).collect()
}

/// The listed villages: township, name, population, poor at the start of the year, remaining,
/// incidence; with `exited`, also whether each has exited.
pub fn villages(name: &'static str, caption: String, vs: &[VillageFigures], exited: bool) -> Table {
    let header = ["乡镇", "村名", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率", "已出列"];
    let header = if exited { &header[..] } else { &header[..6] };
    Table::new(name, caption, header, vs.iter().map(|v| village(v, exited)).collect())
}

fn village(v: &VillageFigures, exited: bool) -> Vec<String> {
    if v.unverified {
        let mut row = vec![v.township.clone()];
        row.extend(super::format::placeholder_row(&v.name, UNVERIFIED, if exited { 6 } else { 5 }));
        return row;
    }
    let mut row = vec![
        v.township.clone(),
        v.name.clone(),
        v.population.map_or("未报".into(), count),
        v.poor_at_start.map_or("—".into(), count),
        v.remaining_poor.map_or("—".into(), count),
        pct(v.incidence_pct),
    ];
    if exited {
        row.push(if v.exited { "是".into() } else { "否".into() });
    }
    row
}

/// What a table cell of a township whose report has errors says (draft builds): short enough for
/// the narrowest column; the note under the table says 数据待核.
pub const UNVERIFIED: &str = "有误";

/// The townships' year so far, with the county total: name, poor at the start of the year,
/// [lifted this month,] lifted this year, progress (`ranked_by`), exits this year and in all,
/// disbursement, rank. A township without figures shows 未报送 or 数据待核 across the row.
pub fn townships(caption: String, ts: &[TownshipFigures], c: &CountyFigures, ranked_by: &str, this_month: bool) -> Table {
    let lifted = if this_month { "本年累计脱贫" } else { "全年脱贫" };
    let mut header = vec!["乡镇", "年初贫困人口", "本月脱贫", lifted, ranked_by, "本年出列", "累计出列", "资金拨付率", "排名"];
    let mut total = vec!["全县合计".into(), count(c.poor_at_start), count(c.lifted_this_month), count(c.lifted_to_date), pct(c.progress_pct)];
    total.extend([count(c.exited_this_year), count(c.exited_total), pct(c.disbursement_pct), "—".into()]);
    if !this_month {
        header.remove(2);
        total.remove(2);
    }
    Table::new("township", caption, &header, ts.iter().map(|t| township(t, this_month)).collect()).with_total(total)
}

fn township(t: &TownshipFigures, this_month: bool) -> Vec<String> {
    let columns = if this_month { 9 } else { 8 };
    match t.status {
        Status::Missing => return super::format::placeholder_row(&t.name, "未报送", columns),
        Status::Unverified => return super::format::placeholder_row(&t.name, UNVERIFIED, columns),
        Status::Reported | Status::CarriedForward => {}
    }
    let mut row = vec![t.name.clone(), count(t.poor_at_start)];
    if this_month {
        row.push(t.lifted_this_month.map_or("未报送".into(), count));
    }
    row.extend([
        count(t.lifted_to_date),
        pct(t.progress_pct),
        count(t.exited_this_year),
        count(t.exited_total),
        pct(t.disbursement_pct),
        t.rank.map_or("—".into(), |r| r.to_string()),
    ]);
    row
}

/// The two fund tables (by category, by source), one header and the county total under each.
#[derive(Debug, Clone, Serialize)]
pub struct FundTables {
    category_caption: String,
    source_caption: String,
    fund_header: Vec<String>,
    category_rows: Vec<Vec<String>>,
    source_rows: Vec<Vec<String>>,
    fund_total: Vec<String>,
}

/// The fund tables numbered 表`first` and 表`first + 1`.
pub fn fund_tables(by_category: &[FundLine], by_source: &[FundLine], c: &CountyFigures, first: u8) -> FundTables {
    let funds = |lines: &[FundLine]| -> Vec<Vec<String>> {
        lines.iter().map(|l| vec![l.name.clone(), wan_column(l.planned_wan), wan_column(l.disbursed_wan), pct(l.disbursement_pct)]).collect()
    };
    FundTables {
        category_caption: format!("表{first}　扶贫项目资金（按项目类别，单位：万元）"),
        source_caption: format!("表{}　扶贫项目资金（按资金来源，单位：万元）", first + 1),
        fund_header: ["类别", "计划投资", "累计拨付", "拨付率"].into_iter().map(words).collect(),
        category_rows: funds(by_category),
        source_rows: funds(by_source),
        fund_total: vec!["合计".into(), wan_column(c.planned_wan), wan_column(c.disbursed_wan), pct(c.disbursement_pct)],
    }
}

/// The indicators: name, unit, [quarter amount,] year to date, target (`*` for a multi-year
/// one), completion, time progress, status. `quarter` gives each its quarter amount.
pub fn indicators<'a>(caption: &str, items: impl Iterator<Item = (&'a IndicatorFigures, Option<Option<f64>>)>, quarter: bool) -> Table {
    let header: &[&str] = if quarter {
        &["指标", "单位", "本季度", "本年累计", "目标", "完成率", "时序进度", "状态"]
    } else {
        &["指标", "单位", "全年", "目标", "完成率", "时序进度", "状态"]
    };
    Table::new("indicator", caption, header, items.map(|(y, q)| indicator(y, q)).collect())
}

fn indicator(y: &IndicatorFigures, quarter_amount: Option<Option<f64>>) -> Vec<String> {
    let status = match (y.target, y.behind_schedule) {
        (None, _) => "无目标",
        (Some(_), true) => "滞后",
        (Some(_), false) => "正常",
    };
    let mut row = vec![y.name.clone(), y.unit.clone()];
    if let Some(q) = quarter_amount {
        row.push(q.map_or("—".into(), amount));
    }
    row.extend([
        amount(y.year_to_date),
        y.target.map_or("—".into(), |t| format!("{}{}", amount(t), if is_multi_year(y) { "*" } else { "" })),
        pct(y.completion_pct),
        pct(y.time_progress_pct),
        status.into(),
    ]);
    row
}

fn is_multi_year(y: &IndicatorFigures) -> bool {
    y.target_span.as_deref().is_some_and(|s| s.contains('—'))
}

/// The note under an indicator table for the multi-year targets.
pub fn indicator_note<'a>(indicators: impl Iterator<Item = &'a IndicatorFigures>) -> String {
    indicators
        .filter(|y| is_multi_year(y))
        .map(|y| {
            let span = y.target_span.as_deref().unwrap_or_default();
            format!("注：*{}的目标为{span}合计，完成率按{span}累计完成{}{}计算。", y.name, amount(y.value), y.unit)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn headers_break_only_between_words() {
        let shown = |h: &str| words(h).replace('\u{200B}', "|");
        assert_eq!(shown("户籍人口"), "户籍|人口|");
        assert_eq!(shown("年初贫困人口"), "年初|贫困|人口|");
        assert_eq!(shown("资金拨付率"), "资金|拨付率|");
        assert_eq!(shown("贫困发生率"), "贫困|发生率|");
        assert_eq!(shown("已出列"), "已出列|");
        assert_eq!(shown("本季度脱贫"), "本季度|脱贫|");
        // Unknown characters are words of their own.
        assert_eq!(shown("乡镇甲"), "乡镇|甲|");
    }
}
