//! The four sheets of the contract, each read into typed rows.

use super::file_name::{month_in_name, NamedMonth};
use super::grid::{Cell, Grid};
use super::normalize::{clean_text, closest, fold_width, header_key, parse_month_text};
use super::table::{Column, Table};
use super::{Cover, IndicatorRow, NoticeFields, ProjectCells, ProjectRow, VillageCells, VillageRow, VillageType, NOTICE_COLUMNS};
use crate::base::diag::{quote, Diagnostic};
use crate::base::period::Period;
use crate::setup::plan::Plan;

pub const PROJECT_CATEGORIES: &[&str] =
    &["产业扶贫", "就业扶贫", "生态扶贫", "金融扶贫", "健康扶贫", "教育扶贫", "易地扶贫搬迁", "危房改造", "社保兜底", "基础设施", "其他"];
pub const FUND_SOURCES: &[&str] = &["中央", "省级", "市级", "县级专项", "统筹整合", "其他"];
pub const PROJECT_STATUSES: &[&str] = &["未开工", "在建", "已完工"];
pub const VILLAGE_TYPES: &[&str] = &VillageType::LABELS;
/// Village cells that mark a total row rather than a village.
pub const TOTAL_MARKERS: &[&str] = &["合计", "总计", "小计"];

const TOWNSHIP_LABELS: &[&str] = &["乡镇", "乡镇名称", "乡(镇)", "填报单位"];
const MONTH_LABELS: &[&str] = &["统计月份", "月份", "报告期", "统计期"];

/// What the cover says, as far as it can be read: the township (a plan township, else as
/// typed), the month, and the contact details.
#[derive(Debug, Clone, Default)]
pub struct CoverRead {
    pub township: Option<String>,
    pub typed_township: Option<String>,
    pub period: Option<Period>,
    pub cover: Cover,
}

/// Reads the cover: township and month are required; the rest is optional.
pub fn read_cover(g: &Grid, file: &str, plan: &Plan, diags: &mut Vec<Diagnostic>) -> CoverRead {
    let find = |labels: &[&str]| -> Option<(usize, usize)> {
        (0..g.rows.len()).find_map(|r| {
            (0..g.rows[r].len()).find_map(|c| {
                let text = g.cell(r, c).as_text();
                // 乡（镇） is a label, not 乡 with a unit: compare with and without brackets.
                let plain: String = fold_width(&text).chars().filter(|c| !c.is_whitespace()).collect();
                let found = labels.contains(&plain.as_str()) || labels.contains(&header_key(&text).as_str());
                found.then(|| value_right_of(g, r, c))
            })
        })
    };
    let text_at = |labels: &[&str], diags: &mut Vec<Diagnostic>| find(labels).and_then(|(r, c)| cover_text(g, r, c, file, diags));
    let typed_township = text_at(TOWNSHIP_LABELS, &mut Vec::new());
    let township = match find(TOWNSHIP_LABELS) {
        Some((r, c)) => resolve_township(g, r, c, file, plan, diags),
        None => {
            let example = plan.townships.first().map_or("某某乡", String::as_str);
            let msg = format!("封面找不到“乡镇”一栏。请在“基本信息”表中填写：乡镇 | {example}。");
            diags.push(Diagnostic::error("E-TOWNSHIP", file, msg).at_sheet(&g.name));
            None
        }
    };
    let period = match find(MONTH_LABELS) {
        Some((r, c)) => resolve_month(g, (r, c), file, plan.first_year(), diags).and_then(|p| within_plan(p, plan, file, g, (r, c), diags)),
        None => {
            let msg = format!("封面找不到“统计月份”一栏。请在“基本信息”表中填写：统计月份 | {}-03。", plan.first_year());
            diags.push(Diagnostic::error("E-MONTH", file, msg).at_sheet(&g.name));
            None
        }
    };
    let cover = Cover {
        filled_by: text_at(&["填报人"], diags),
        phone: text_at(&["联系电话"], diags),
        approver: text_at(&["审核人", "分管领导"], diags),
        filled_on: find(&["填报日期"]).map(|(r, c)| date_text(g, r, c)).filter(|t| !t.is_empty()),
    };
    CoverRead { township, typed_township, period, cover }
}

/// A cover field's text; longer than a cover field takes (`table::text_limit`), an error at
/// its cell and not taken.
fn cover_text(g: &Grid, r: usize, c: usize, file: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let text = g.cell(r, c).as_text();
    let (chars, limit) = (text.chars().count(), super::table::text_limit(""));
    if chars > limit {
        let msg = format!("此栏有{chars}个字，超过上限{limit}个字。请检查是否粘贴了多余的内容。");
        diags.push(Diagnostic::error("E-TEXT-LONG", file, msg).at_cell(&g.name, g.a1(r, c)));
        return None;
    }
    (!text.is_empty()).then_some(text)
}

/// A month outside the plan's years (a slip such as 2031年3月 in a 2018—2020 plan) is an
/// error at its cell: it would otherwise make documents for a year the plan does not have.
fn within_plan(p: Period, plan: &Plan, file: &str, g: &Grid, (r, c): (usize, usize), diags: &mut Vec<Diagnostic>) -> Option<Period> {
    let (Some(&first), Some(&last)) = (plan.years.first(), plan.years.last()) else { return Some(p) };
    if plan.years.contains(&p.year) {
        return Some(p);
    }
    let msg = format!("统计月份{}不在规划年度（{first}—{last}年）内。请核对统计月份是否填错。", p.chinese());
    diags.push(Diagnostic::error("E-MONTH-RANGE", file, msg).at_cell(&g.name, g.a1(r, c)));
    None
}

/// The first non-blank cell to the right of a label (a merged label spans several cells).
fn value_right_of(g: &Grid, r: usize, c: usize) -> (usize, usize) {
    let width = g.rows[r].len();
    let col = (c + 1..width).find(|&x| !g.cell(r, x).is_blank()).unwrap_or(c + 1);
    (r, col)
}

/// 填报日期 as a person reads it: a date (or a date serial) as 2018年3月31日, else the text.
fn date_text(g: &Grid, r: usize, c: usize) -> String {
    match g.date(r, c) {
        Some((y, m, d)) => format!("{y}年{m}月{d}日"),
        None => g.cell(r, c).as_text(),
    }
}

fn resolve_township(g: &Grid, r: usize, c: usize, file: &str, plan: &Plan, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let at = g.a1(r, c);
    let typed = g.cell(r, c).as_text();
    let name = if plan.is_township(&typed) {
        typed.clone()
    } else if let Some(full) = plan.township_from_short(&typed) {
        let msg = format!("乡镇名称“{typed}”不完整，已按“{full}”处理。请填写全称“{full}”。");
        diags.push(Diagnostic::warning("W-TOWNSHIP-SHORT", file, msg).at_cell(&g.name, at.clone()));
        full.clone()
    } else {
        let hint = closest(&typed, plan.townships.iter().map(String::as_str), 2).map(|t| format!("是否为“{t}”？")).unwrap_or_default();
        let msg = format!("乡镇“{}”不是规划中的乡镇。{hint}应为以下之一：{}。", quote(&typed), plan.townships.join("、"));
        diags.push(Diagnostic::error("E-TOWNSHIP", file, msg).at_cell(&g.name, at));
        return None;
    };
    let stem = file.rsplit('/').next().unwrap_or(file);
    if let Some(other) = plan.townships.iter().find(|t| stem.contains(t.as_str()) && **t != name) {
        let msg = format!("文件名写的是“{other}”，封面乡镇却是“{name}”。请确认是哪个乡镇的报表，改正文件名或封面。");
        diags.push(Diagnostic::error("E-FILE-TOWNSHIP", file, msg).at_cell(&g.name, g.a1(r, c)));
        return None;
    }
    Some(name)
}

/// A month that cannot be read, with the spellings that can.
fn unreadable_month(file: &str, typed: &str, year: u16) -> Diagnostic {
    let msg = format!("统计月份“{typed}”无法识别。请写成 {year}-03、{year}年3月 或 {year}03 这样的格式。");
    Diagnostic::error("E-MONTH", file, msg)
}

fn resolve_month(g: &Grid, (r, c): (usize, usize), file: &str, year: u16, diags: &mut Vec<Diagnostic>) -> Option<Period> {
    let cell = g.cell(r, c);
    let at = || g.a1(r, c);
    let named = month_in_name(file);
    let period = match cell {
        _ if g.date(r, c).is_some() => g.date(r, c).and_then(|(y, m, _)| Period::new(y, m)),
        Cell::Number(n) if n.fract() != 0.0 => {
            let (p, ds) = numeric_month(*n, named, file, year);
            diags.extend(ds.into_iter().map(|d| d.at_cell(&g.name, at())));
            return p;
        }
        other => parse_month_text(&other.as_text()),
    };
    let Some(p) = period else {
        diags.push(unreadable_month(file, &quote(&cell.as_text()), year).at_cell(&g.name, at()));
        return None;
    };
    match named {
        Some(n) if !n.is(p.year, p.month) => {
            diags.push(file_month_mismatch(file, n, &p.chinese()).at_cell(&g.name, at()));
            None
        }
        _ => Some(p),
    }
}

/// A month typed as a number (`2018.1` in a General cell). Excel keeps `2018.10` as 2018.1,
/// so `.1` may be January or October: the file name decides (with a note), or it is an error.
fn numeric_month(n: f64, named: Option<NamedMonth>, file: &str, example: u16) -> (Option<Period>, Option<Diagnostic>) {
    let typed = super::grid::format_number(n);
    let (year, digits) = typed.split_once('.').unwrap_or((&typed, ""));
    let year: Option<u16> = year.parse().ok();
    let candidates: Vec<Period> = match digits {
        "1" => vec![1, 10],
        d => d.parse().map(|m| vec![m]).unwrap_or_default(),
    }
    .into_iter()
    .filter_map(|m| Period::new(year?, m))
    .collect();
    let unreadable = || unreadable_month(file, &typed, example);
    let Some(&first) = candidates.first() else { return (None, Some(unreadable())) };
    let ambiguous = candidates.len() > 1;
    match named {
        Some(name) => {
            let Some(p) = candidates.iter().find(|p| name.is(p.year, p.month)).copied() else {
                return (None, Some(file_month_mismatch(file, name, &format!("数字 {typed}"))));
            };
            if ambiguous {
                let msg = format!(
                    "统计月份填的是数字 {typed}（Excel 会把 {}.10 存成 {typed}），已按文件名中的“{}”读作{}。请把统计月份改为文本“{}”。",
                    p.year,
                    name.chinese(),
                    p.chinese(),
                    p.chinese()
                );
                return (Some(p), Some(Diagnostic::note("N-MONTH-NUMBER", file, msg)));
            }
            (Some(p), None)
        }
        None if ambiguous => {
            let msg = format!(
                "统计月份是数字 {typed}，无法区分{}年1月和{}年10月（Excel 会把 {}.10 存成 {typed}）。请写成文本“{}年10月”或“{}年1月”。",
                first.year, first.year, first.year, first.year, first.year
            );
            (None, Some(Diagnostic::error("E-MONTH", file, msg)))
        }
        None => (Some(first), None),
    }
}

fn file_month_mismatch(file: &str, named: NamedMonth, cover: &str) -> Diagnostic {
    let msg = format!("文件名写的是“{}”，封面统计月份却是{cover}。请确认是哪个月的报表，改正文件名或封面。", named.chinese());
    Diagnostic::error("E-FILE-MONTH", file, msg)
}

const VILLAGE_COLUMNS: &[Column] = &[
    Column { name: "村名", aliases: &["行政村", "村名称", "村"], required: true },
    Column { name: "村类型", aliases: &["类别", "村类别"], required: false },
    Column { name: "户籍人口", aliases: &["总人口"], required: true },
    Column { name: "年初贫困人口", aliases: &["年初建档立卡贫困人口"], required: true },
    Column { name: "本月脱贫人数", aliases: &["当月脱贫"], required: false },
    Column { name: "累计脱贫人数", aliases: &["本年累计脱贫", "年度累计脱贫"], required: true },
    Column { name: "是否出列", aliases: &["出列"], required: false },
    Column { name: "因病因残致贫人数", aliases: &[], required: false },
    Column { name: "备注", aliases: &[], required: false },
];

/// Reads 村级进度: one row per village; total rows are cross-checked, not kept.
/// The village rows that could be read, and the names of those that could not (each with an
/// error at its cell): such a row is not also missing, and a total row over it is not checked.
pub fn read_villages(g: &Grid, file: &str, diags: &mut Vec<Diagnostic>) -> (Vec<VillageRow>, Vec<String>) {
    let Some(t) = Table::locate(g, file, VILLAGE_COLUMNS, diags) else { return (Vec::new(), Vec::new()) };
    let (mut villages, mut unread) = (Vec::new(), Vec::new());
    let mut totals = Vec::new();
    for r in t.rows() {
        let name = t.text(r, "村名", &mut Vec::new()).unwrap_or_default();
        if TOTAL_MARKERS.contains(&header_key(&name).as_str()) {
            totals.push(r);
            continue;
        }
        match read_village(&t, r, diags) {
            Some(v) => villages.push(v),
            None if !name.is_empty() => unread.push(name),
            None => {}
        }
    }
    if unread.is_empty() {
        for r in totals {
            check_total_row(&t, r, &villages, diags);
        }
    }
    (villages, unread)
}

fn read_village(t: &Table, r: usize, diags: &mut Vec<Diagnostic>) -> Option<VillageRow> {
    let name = t.required_text(r, "村名", diags);
    let village_type = t.choice(r, "村类型", VILLAGE_TYPES, diags).and_then(|s| s.parse().ok());
    let population = t.required_count(r, "户籍人口", diags);
    let poor_at_start = t.required_count(r, "年初贫困人口", diags);
    let lifted_this_month = t.count(r, "本月脱贫人数", diags).unwrap_or(0);
    let lifted_to_date = t.required_count(r, "累计脱贫人数", diags);
    let exited = t.yes_no(r, "是否出列", diags);
    let ill_or_disabled = t.count(r, "因病因残致贫人数", diags);
    let remark = t.text(r, "备注", diags).unwrap_or_default();
    if population == Some(0) {
        diags.push(t.diag(Diagnostic::error("E-RANGE", t.file, "“户籍人口”应大于 0。"), r, "户籍人口"));
    }
    if let (Some(start), Some(done)) = (poor_at_start, lifted_to_date) {
        if done > start {
            let msg = format!("“累计脱贫人数”{done} 大于“年初贫困人口”{start}。累计脱贫不能超过年初贫困人口，请核对。");
            diags.push(t.diag(Diagnostic::error("E-RANGE", t.file, msg), r, "累计脱贫人数"));
        }
    }
    let (poor_at_start, lifted_to_date) = (poor_at_start?, lifted_to_date?);
    if lifted_to_date > poor_at_start {
        return None;
    }
    Some(VillageRow {
        name: name?,
        row: t.grid.row_number(r),
        cells: VillageCells {
            name: t.a1(r, "村名"),
            village_type: t.a1(r, "村类型"),
            poor_at_start: t.a1(r, "年初贫困人口"),
            lifted_to_date: t.a1(r, "累计脱贫人数"),
            exited: t.a1(r, "是否出列"),
            remark: t.a1(r, "备注"),
        },
        village_type,
        population: population.filter(|&p| p > 0)?,
        poor_at_start,
        lifted_this_month,
        lifted_to_date,
        exited,
        ill_or_disabled,
        remark,
    })
}

fn check_total_row(t: &Table, r: usize, villages: &[VillageRow], diags: &mut Vec<Diagnostic>) {
    type Field = fn(&VillageRow) -> u32;
    let fields: [(&str, Field); 4] = [
        ("户籍人口", |v| v.population),
        ("年初贫困人口", |v| v.poor_at_start),
        ("本月脱贫人数", |v| v.lifted_this_month),
        ("累计脱贫人数", |v| v.lifted_to_date),
    ];
    let mut scratch = Vec::new();
    for (column, get) in fields {
        let Some(stated) = t.number(r, column, &mut scratch) else { continue };
        let sum: u64 = villages.iter().map(|v| u64::from(get(v))).sum();
        if (stated - sum as f64).abs() > 1e-9 {
            let msg = format!("合计行“{column}”为 {stated}，各村之和为 {sum}。统计以各村数据为准，请核对合计行。");
            diags.push(t.diag(Diagnostic::warning("W-TOTAL", t.file, msg), r, column));
        }
    }
}

const PROJECT_COLUMNS: &[Column] = &[
    Column { name: "项目名称", aliases: &[], required: true },
    Column { name: "项目类别", aliases: &[], required: false },
    Column { name: "所在村", aliases: &[], required: false },
    Column { name: "资金来源", aliases: &[], required: false },
    Column { name: "计划投资", aliases: &[], required: true },
    Column { name: "累计拨付", aliases: &[], required: false },
    Column { name: "项目状态", aliases: &[], required: false },
    Column { name: "带贫人数", aliases: &[], required: false },
    Column { name: "留置资金", aliases: &["留存资金", "预留资金"], required: false },
    Column { name: "计划开工", aliases: &["计划开工日期", "计划开工时间"], required: false },
    Column { name: "建设内容", aliases: &["建设内容及规模", "建设任务", "建设规模及内容"], required: false },
    Column { name: "实施单位", aliases: &["责任单位", "实施主体"], required: false },
    Column { name: "责任人", aliases: &["项目责任人"], required: false },
    Column { name: "计划完工", aliases: &["计划完工日期", "计划完工时间", "计划竣工日期"], required: false },
    Column { name: "完工日期", aliases: &["完工时间", "竣工日期", "实际完工日期"], required: false },
    Column { name: "验收日期", aliases: &["验收时间"], required: false },
    Column { name: "验收结果", aliases: &["验收结论"], required: false },
    Column { name: "实际投资", aliases: &["实际完成投资", "完成投资"], required: false },
];

/// What a project's row says for its 公示 and 公告 (the optional columns), and where each
/// column is (A1, where the sheet has it).
fn notice_fields(t: &Table, r: usize, diags: &mut Vec<Diagnostic>) -> NoticeFields {
    let read = NOTICE_COLUMNS.iter().chain(&["带贫人数", "资金来源"]);
    let cells = read.filter(|c| t.has(c)).map(|c| (*c, t.a1(r, c))).collect();
    NoticeFields {
        content: t.text(r, "建设内容", diags),
        unit: t.text(r, "实施单位", diags),
        person: t.text(r, "责任人", diags),
        planned_end: t.date(r, "计划完工", diags),
        completed_on: t.date(r, "完工日期", diags),
        accepted_on: t.date(r, "验收日期", diags),
        acceptance: t.text(r, "验收结果", diags),
        actual: t.money(r, "实际投资", diags),
        cells,
    }
}

/// Reads 项目资金: every project of the year as it stands at month end (or the 旬's end).
pub fn read_projects(g: &Grid, file: &str, diags: &mut Vec<Diagnostic>) -> Vec<ProjectRow> {
    let Some(t) = Table::locate(g, file, PROJECT_COLUMNS, diags) else { return Vec::new() };
    let mut out = Vec::new();
    for r in t.rows() {
        let name = t.required_text(r, "项目名称", diags);
        if name.as_deref().map(header_key).is_some_and(|n| TOTAL_MARKERS.contains(&n.as_str())) {
            continue;
        }
        let category = t.choice(r, "项目类别", PROJECT_CATEGORIES, diags);
        let village = t.text(r, "所在村", diags);
        let source = t.choice(r, "资金来源", FUND_SOURCES, diags);
        let planned = if t.cell(r, "计划投资").is_blank() {
            diags.push(t.diag(Diagnostic::error("E-REQUIRED", file, "“计划投资”不能为空。请填写万元数，没有请填 0。"), r, "计划投资"));
            None
        } else {
            t.money(r, "计划投资", diags)
        };
        let disbursed = t.money(r, "累计拨付", diags).unwrap_or(0);
        let status = t.choice(r, "项目状态", PROJECT_STATUSES, diags);
        let beneficiaries = t.count(r, "带贫人数", diags);
        let retained = t.money(r, "留置资金", diags).unwrap_or(0);
        let planned_start = t.date(r, "计划开工", diags);
        let notice = notice_fields(&t, r, diags);
        if let Some(p) = planned.filter(|&p| disbursed > p) {
            let msg = format!("“累计拨付”{} 万元超过“计划投资”{} 万元。拨付不能超过计划投资，请核对。", disbursed as f64 / 100.0, p as f64 / 100.0);
            diags.push(t.diag(Diagnostic::error("E-RANGE", file, msg), r, "累计拨付"));
            continue;
        }
        if let Some(p) = planned.filter(|&p| retained > p) {
            let msg = format!(
                "“留置资金”{} 万元超过“计划投资”{} 万元。留置资金是计划投资中暂不支付的部分（质保金等），请核对。",
                retained as f64 / 100.0,
                p as f64 / 100.0
            );
            diags.push(t.diag(Diagnostic::error("E-RANGE", file, msg), r, "留置资金"));
            continue;
        }
        if let (Some(name), Some(planned)) = (name, planned) {
            let row = t.grid.row_number(r);
            let (name_cell, village_cell) = (t.a1(r, "项目名称"), t.a1(r, "所在村"));
            let at = |column: &str| if t.has(column) { t.a1(r, column) } else { String::new() };
            let cells = ProjectCells { sheet: g.name.clone(), planned: at("计划投资"), disbursed: at("累计拨付"), status: at("项目状态") };
            out.push(ProjectRow {
                name,
                row,
                name_cell,
                village_cell,
                cells,
                category,
                village,
                source,
                planned,
                disbursed,
                retained,
                planned_start,
                status,
                beneficiaries,
                notice,
            });
        }
    }
    out
}

const INDICATOR_COLUMNS: &[Column] = &[
    Column { name: "指标名称", aliases: &[], required: true },
    Column { name: "本月完成", aliases: &[], required: false },
    Column { name: "本年累计", aliases: &[], required: true },
    Column { name: "备注", aliases: &[], required: false },
];

/// Reads 专项指标: one row per indicator of the plan.
pub fn read_indicators(g: &Grid, file: &str, plan: &Plan, diags: &mut Vec<Diagnostic>) -> Vec<IndicatorRow> {
    let Some(t) = Table::locate(g, file, INDICATOR_COLUMNS, diags) else { return Vec::new() };
    let mut out = Vec::new();
    for r in t.rows() {
        let Some(name) = t.required_text(r, "指标名称", diags) else { continue };
        let name = clean_text(&name);
        if plan.indicator(&name).is_none() {
            let hint = closest(&name, plan.indicators.iter().map(|i| i.name.as_str()), 4).map(|n| format!("是否为“{n}”？")).unwrap_or_default();
            let msg = format!("指标“{name}”不是规划中的指标。{hint}请使用模板中的指标名称。");
            diags.push(t.diag(Diagnostic::error("E-INDICATOR", file, msg), r, "指标名称"));
            continue;
        }
        let this_month = t.hundredths(r, "本月完成", diags).unwrap_or(0);
        let Some(to_date) = (if t.cell(r, "本年累计").is_blank() {
            diags.push(t.diag(Diagnostic::error("E-REQUIRED", file, "“本年累计”不能为空。没有请填 0。"), r, "本年累计"));
            None
        } else {
            t.hundredths(r, "本年累计", diags)
        }) else {
            continue;
        };
        let remark = t.text(r, "备注", diags).unwrap_or_default();
        out.push(IndicatorRow { name, row: t.grid.row_number(r), this_month, to_date, remark });
    }
    out
}
