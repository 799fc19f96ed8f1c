//! One township's monthly workbook (乡镇月报): opened with calamine, read sheet by sheet into
//! a typed `Report`, with every problem found reported as a diagnostic at its cell.

mod bounds;
pub mod file_name;
pub mod grid;
pub mod normalize;
mod notice;
pub use notice::{Need, NoticeFields, NOTICE_COLUMNS};
mod sheets;
pub use sheets::{CoverRead, FUND_SOURCES, PROJECT_CATEGORIES, PROJECT_STATUSES, VILLAGE_TYPES};
pub mod table;
mod xls_guard;

use serde::Serialize;

use crate::base::diag::Diagnostic;
use crate::base::period::{Period, Span, Xun};
use crate::setup::inputs::discover::{archive_stem, extension};
use crate::setup::inputs::kind::Kind;
use crate::setup::plan::Plan;
use grid::Grid;
use normalize::header_key;

/// Sheet names of the contract.
pub const COVER: &str = "基本信息";
pub const VILLAGES: &str = "村级进度";
pub const PROJECTS: &str = "项目资金";
pub const INDICATORS: &str = "专项指标";

/// A form of workbook the townships send, told by its sheets: those it must have (else E-SHEET)
/// and those it should have (else W-SHEET).
#[derive(Debug)]
pub struct Form {
    pub name: &'static str,
    pub required: &'static [&'static str],
    pub optional: &'static [&'static str],
    /// What a township sends one for in a year (the reporting board's columns).
    pub times: fn(u16) -> Vec<Span>,
}

/// The monthly report (村级进度, 项目资金, 专项指标 under a 基本信息 cover).
pub const MONTHLY: Form = Form { name: "月报表", required: &[COVER, VILLAGES], optional: &[PROJECTS, INDICATORS], times: months_of };

/// The twelve months of a year.
fn months_of(year: u16) -> Vec<Span> {
    (1..=12).filter_map(|m| Period::new(year, m)).map(Span::Month).collect()
}

/// The 旬 workbook: 项目资金 alone, for the 旬 its file name gives (`南村乡2019年3月上旬.xlsx`).
pub const XUN: Form = Form { name: "旬报表", required: &[PROJECTS], optional: &[], times: xuns_of };

/// The 36 旬 of a year.
fn xuns_of(year: u16) -> Vec<Span> {
    months_of(year).into_iter().filter_map(|s| s.end()).flat_map(|p| Xun::ALL.map(|x| Span::Xun(p, x))).collect()
}

/// Every form a workbook can be of, the first that fits winning (a monthly report also has
/// 项目资金). The first is what a workbook that fits none is read as (its missing sheets are
/// named).
pub const FORMS: &[&Form] = &[&MONTHLY, &XUN];

/// A form is known by its name.
impl PartialEq for Form {
    fn eq(&self, other: &Form) -> bool {
        self.name == other.name
    }
}

impl Eq for Form {}

impl Form {
    /// The form of a workbook that has the sheets `has` says it has: the first whose required
    /// sheets are all there, else the first form.
    pub fn of(has: impl Fn(&str) -> bool) -> &'static Form {
        FORMS.iter().copied().find(|f| f.required.iter().all(|s| has(s))).unwrap_or(FORMS[0])
    }

    /// Whether a sheet (by its normalised name) belongs to some form: only those are read.
    fn wanted(name: &str) -> bool {
        FORMS.iter().any(|f| f.required.iter().chain(f.optional).any(|s| *s == name))
    }
}

/// A township's report for one month, as read from its workbook.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Path relative to the data folder.
    pub file: String,
    pub township: String,
    pub period: Period,
    pub cover: Cover,
    pub villages: Vec<VillageRow>,
    /// Village rows that could not be read (an error at their cells), by the name typed.
    pub unread_villages: Vec<String>,
    pub projects: Vec<ProjectRow>,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cover {
    pub filled_by: Option<String>,
    pub phone: Option<String>,
    pub approver: Option<String>,
    pub filled_on: Option<String>,
}

pub use crate::setup::plan::VillageType;

#[derive(Debug, Clone, Serialize)]
pub struct VillageRow {
    /// The name as typed.
    pub name: String,
    /// Excel row number, for diagnostics.
    pub row: u32,
    /// A1 references of the cells later checks point at.
    pub cells: VillageCells,
    pub village_type: Option<VillageType>,
    pub population: u32,
    pub poor_at_start: u32,
    pub lifted_this_month: u32,
    pub lifted_to_date: u32,
    pub exited: bool,
    pub ill_or_disabled: Option<u32>,
    pub remark: String,
}

/// Where a village row's checked values stand in the sheet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VillageCells {
    pub name: String,
    pub village_type: String,
    pub poor_at_start: String,
    pub lifted_to_date: String,
    pub exited: String,
    pub remark: String,
}

impl VillageRow {
    pub fn remaining_poor(&self) -> u32 {
        self.poor_at_start.saturating_sub(self.lifted_to_date)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectRow {
    pub name: String,
    pub row: u32,
    /// A1 references of the name and village cells.
    pub name_cell: String,
    pub village_cell: String,
    pub category: Option<String>,
    pub village: Option<String>,
    pub source: Option<String>,
    /// 万元 × 100.
    pub planned: i64,
    /// 万元 × 100.
    pub disbursed: i64,
    pub status: Option<String>,
    pub beneficiaries: Option<u32>,
    /// 留置资金 (万元 × 100): the part of 计划投资 held back on purpose (质保金, money kept
    /// until 验收); 0 where the column is absent.
    #[serde(skip)]
    pub retained: i64,
    /// 计划开工, where the column is given.
    #[serde(skip)]
    pub planned_start: Option<crate::base::period::Date>,
    #[serde(skip)]
    pub cells: ProjectCells,
    /// What its 公示 and 公告 read, where the optional columns are given.
    #[serde(skip)]
    pub notice: NoticeFields,
}

/// Where a project's figures are: its sheet as named in the workbook, and the A1 references of
/// its figures (empty where the column is absent).
#[derive(Debug, Clone, Default)]
pub struct ProjectCells {
    pub sheet: String,
    pub planned: String,
    pub disbursed: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub name: String,
    pub row: u32,
    /// Hundredths of the indicator's unit.
    pub this_month: i64,
    /// Hundredths: the year to date (flow) or the level at month end (stock).
    pub to_date: i64,
    pub remark: String,
}

/// A township's 旬 workbook: its projects as they stand at the 旬's end.
#[derive(Debug, Clone)]
pub struct XunReport {
    /// Path relative to the data folder.
    pub file: String,
    pub township: String,
    pub period: Period,
    pub xun: Xun,
    pub projects: Vec<ProjectRow>,
}

impl XunReport {
    /// The 旬 it is for.
    pub fn at(&self) -> (Period, Xun) {
        (self.period, self.xun)
    }
}

/// What reading one workbook gave: its report when it could be read well enough to aggregate,
/// what it says about itself (from its cover, else from its file name and folder), and every
/// diagnostic found either way.
#[derive(Debug)]
pub struct Read {
    pub report: Option<Report>,
    /// The 旬 workbook's report, for a workbook of that form.
    pub xun: Option<XunReport>,
    /// Its form, when it could be opened.
    pub form: Option<&'static Form>,
    pub identity: Identity,
    pub diagnostics: Vec<Diagnostic>,
}

/// Which township and month a workbook is for, as far as it says: from its cover, else from
/// its path (`2019-03/南村乡.xlsx`). Unreadable files still show up where a clerk looks.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Identity {
    pub file: String,
    /// A township of the plan.
    pub township: Option<String>,
    /// The township as typed when it is not one of the plan's.
    pub typed_township: Option<String>,
    pub period: Option<Period>,
    /// The 旬, for a 旬 workbook (its form; its file name says which).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub xun: Option<Xun>,
    /// Township or month taken from the file's path, not its cover.
    pub from_path: bool,
    pub cover: Cover,
    /// Why it could not be read at all (it is on the board as 已收到·无法读取).
    pub unreadable: Option<String>,
}

impl Identity {
    /// What the path says: a plan township named in it, and a month of the plan's years named
    /// in the file name or in a folder named like `2019-03`.
    pub fn from_path(file: &str, plan: &Plan) -> Identity {
        let name = file.rsplit('/').next().unwrap_or(file);
        let township = plan.townships.iter().find(|t| name.contains(t.as_str())).cloned();
        // A folder, or an archive standing for one (`2019-03.zip/南村乡.xlsx`).
        let folder = file.rsplit('/').nth(1).and_then(|f| archive_stem(f).parse::<Period>().ok());
        let named = file_name::month_in_name(file).and_then(|m| Period::new(m.year.or(folder.map(|f| f.year))?, m.month));
        // A month outside the plan's years is no month the plan knows (E-MONTH-RANGE on the cover).
        let period = named.or(folder).filter(|p| plan.years.is_empty() || plan.years.contains(&p.year));
        Identity { file: file.into(), township, period, from_path: true, ..Identity::default() }
    }
}

/// Reads one workbook from its bytes, whatever its name says it is.
pub fn read(bytes: &[u8], file: &str, plan: &Plan) -> Read {
    read_as(Kind::of(bytes), bytes, file, plan)
}

/// `read`, for bytes whose kind is already told.
pub fn read_as(kind: Kind, bytes: &[u8], file: &str, plan: &Plan) -> Read {
    let mut diags = Vec::new();
    let mut identity = Identity::from_path(file, plan);
    let unreadable = |d: Diagnostic, identity: Identity| {
        let identity = Identity { unreadable: Some(d.message.clone()), ..identity };
        Read { report: None, xun: None, form: None, identity, diagnostics: vec![d] }
    };
    if !kind.is_workbook() {
        return unreadable(not_a_workbook(file, kind), identity);
    }
    let wanted = |name: &str| Form::wanted(&header_key(name));
    let book = match grid::open(bytes, &wanted) {
        Ok(b) => b,
        Err(grid::OpenError::Unreadable(e)) => {
            let wps = if ["et", "ett"].contains(&extension(file).as_str()) { "这是 WPS 表格文件（.et），" } else { "" };
            let msg = format!("{wps}无法打开此文件（{e}）。请在 Excel 或 WPS 中打开它，另存为 .xlsx 后重新放入；打不开时请乡镇重新发送。");
            return unreadable(Diagnostic::error("E-OPEN", file, msg), identity);
        }
        Err(grid::OpenError::TooLarge(what)) => {
            let msg = format!("文件过大，未读取：{what}。乡镇月报通常只有几十KB，请检查是否发错了文件。");
            return unreadable(Diagnostic::error("E-TOO-LARGE", file, msg), identity);
        }
    };
    for (sheet, what) in &book.truncated {
        let msg = format!("工作表过大，超出部分未读取：{what}。请删除表格下方或右侧多余的内容。");
        diags.push(Diagnostic::error("E-TOO-LARGE", file, msg).at_sheet(sheet));
    }
    for g in &book.sheets {
        report_formulas_without_values(g, file, &mut diags);
    }
    let sheet = |name: &str| book.sheets.iter().find(|g| header_key(&g.name) == name);
    // A workbook of 项目资金 alone is a 旬's when its name says which 旬; otherwise it is a
    // monthly report that lost its other sheets (and they are named).
    let form = Form::of(|name| sheet(name).is_some());
    let named = file_name::xun_in_name(file);
    let as_xun = form == &XUN && named.is_some();
    let form = if form == &XUN && !as_xun { FORMS[0] } else { form };
    if as_xun {
        let projects = sheet(PROJECTS).map(|g| sheets::read_projects(g, file, &mut diags)).unwrap_or_default();
        let example = xun_example(&identity, plan);
        return xun_read(Identity { xun: named, ..identity }, projects, diags, &example);
    }
    let cover = sheet(COVER).map(|g| sheets::read_cover(g, file, plan, &mut diags));
    if let Some(c) = &cover {
        identity.cover = c.cover.clone();
        identity.typed_township = c.typed_township.clone().filter(|_| c.township.is_none());
        if c.township.is_some() || c.period.is_some() {
            identity.from_path = c.township.is_none() || c.period.is_none();
        }
        identity.township = c.township.clone().or(identity.township.take());
        identity.period = c.period.or(identity.period);
    }
    let (Some(cover), Some(villages)) = (cover, sheet(VILLAGES)) else {
        for name in form.required.iter().filter(|name| sheet(name).is_none()) {
            diags.push(missing_sheet(file, name, &book.sheets, true));
        }
        if sheet(PROJECTS).is_some() && Form::of(|name| sheet(name).is_some()) == &XUN {
            let msg = format!("本文件只有“项目资金”工作表。如果这是旬报表，请在文件名中写明乡镇、月份和旬，如“{}”。", xun_example(&identity, plan));
            diags.push(Diagnostic::note("N-XUN-NAME", file, msg));
        }
        return Read { report: None, xun: None, form: Some(form), identity, diagnostics: diags };
    };
    let (villages, unread_villages) = sheets::read_villages(villages, file, &mut diags);
    for name in form.optional.iter().filter(|name| sheet(name).is_none()) {
        diags.push(missing_sheet(file, name, &book.sheets, false));
    }
    let projects = sheet(PROJECTS).map(|g| sheets::read_projects(g, file, &mut diags)).unwrap_or_default();
    let indicators = sheet(INDICATORS).map(|g| sheets::read_indicators(g, file, plan, &mut diags)).unwrap_or_default();
    let report = match (cover.township, cover.period) {
        (Some(township), Some(period)) => {
            Some(Report { file: file.to_string(), township, period, cover: cover.cover, villages, unread_villages, projects, indicators })
        }
        _ => None,
    };
    Read { report, xun: None, form: Some(form), identity, diagnostics: diags }
}

/// How a 旬 workbook is named, for this file: its township (else the plan's first) and month.
fn xun_example(identity: &Identity, plan: &Plan) -> String {
    let township = identity.township.clone().or_else(|| plan.townships.first().cloned()).unwrap_or_else(|| "某乡".into());
    let month = identity.period.map_or_else(|| "某年某月".into(), Period::chinese);
    format!("{township}{month}上旬.xlsx")
}

/// A 旬 workbook read: its township, month and 旬 from its path (E-XUN-NAME when one is not
/// there), and its projects.
fn xun_read(identity: Identity, projects: Vec<ProjectRow>, mut diags: Vec<Diagnostic>, example: &str) -> Read {
    let xun = match (&identity.township, identity.period, identity.xun) {
        (Some(township), Some(period), Some(xun)) => Some(XunReport { file: identity.file.clone(), township: township.clone(), period, xun, projects }),
        _ => {
            let msg = format!("这是旬报表（只有“项目资金”工作表，文件名写明了旬），但文件名或文件夹没有写明乡镇和月份。请按“{example}”的样子命名。");
            diags.push(Diagnostic::error("E-XUN-NAME", &identity.file, msg));
            None
        }
    };
    Read { report: None, xun, form: Some(&XUN), identity, diagnostics: diags }
}

/// What a file that is no workbook (by its bytes) is, and what to do: E-PASSWORD for a file
/// saved with a password, E-FORMAT for every other kind.
fn not_a_workbook(file: &str, kind: Kind) -> Diagnostic {
    let send_template = "请乡镇用县扶贫办下发的报表模板（.xlsx）填报后重新发送。";
    let msg = match kind {
        Kind::Encrypted => {
            let msg = "文件设有密码，无法读取。请乡镇取消打开密码后重新发送（Excel：文件 › 信息 › 保护工作簿 › 用密码进行加密，清空密码；WPS：文件 › 文档加密 › 密码加密，清空密码）。";
            return Diagnostic::error("E-PASSWORD", file, msg);
        }
        Kind::Empty => format!("这是一个空文件（0 字节），没有任何内容，可能在发送或复制时出了错。{send_template}"),
        Kind::Damaged => "文件不完整或已损坏（可能没有接收完整），无法打开。请乡镇重新发送。".to_string(),
        Kind::Html => {
            format!("这是网页文件（网上系统导出的“Excel”常是网页格式），不是电子表格。请在 Excel 或 WPS 中打开它，另存为 .xlsx 后重新放入，或{send_template}")
        }
        Kind::Csv => format!("这是 CSV 文本表格，一个文件只能存一个工作表，装不下报表的各个工作表（基本信息、村级进度等）。{send_template}"),
        other => format!("这是{}，不是电子表格，无法作为报表读取。{send_template}", other.label()),
    };
    Diagnostic::error("E-FORMAT", file, msg)
}

/// A formula whose result was never saved has no value to read: an error at its cell.
fn report_formulas_without_values(g: &Grid, file: &str, diags: &mut Vec<Diagnostic>) {
    for (r, row) in g.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let grid::Cell::NoCache(formula) = cell {
                let msg = format!("公式“={formula}”没有保存计算结果，无法读取。请在 Excel 或 WPS 中打开此文件、保存后重新发送。");
                diags.push(Diagnostic::error("E-FORMULA", file, msg).at_cell(&g.name, g.a1(r, c)));
            }
        }
    }
}

fn missing_sheet(file: &str, name: &str, sheets: &[Grid], required: bool) -> Diagnostic {
    let present: Vec<&str> = sheets.iter().map(|g| g.name.as_str()).collect();
    let msg = format!("缺少工作表“{name}”（现有工作表：{}）。请使用县扶贫办下发的模板，勿改动工作表名称。", present.join("、"));
    if required {
        Diagnostic::error("E-SHEET", file, msg)
    } else {
        Diagnostic::warning("W-SHEET", file, msg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbooks_form_is_told_by_its_sheets_and_only_forms_sheets_are_read() {
        assert_eq!(Form::of(|s| [COVER, VILLAGES].contains(&s)), &MONTHLY);
        // A workbook of no form is read as the first, whose missing sheets are named.
        assert_eq!(Form::of(|_| false), FORMS[0]);
        assert!(Form::wanted(PROJECTS) && Form::wanted(COVER) && !Form::wanted("Sheet1"));
    }
}
