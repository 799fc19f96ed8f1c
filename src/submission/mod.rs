//! One township's monthly workbook (乡镇月报): opened with calamine, read sheet by sheet into
//! a typed `Report`, with every problem found reported as a diagnostic at its cell.

pub mod file_name;
pub mod grid;
pub mod normalize;
mod sheets;
pub use sheets::{CoverRead, FUND_SOURCES, PROJECT_CATEGORIES, PROJECT_STATUSES, VILLAGE_TYPES};
pub mod table;
mod xls_guard;

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::period::Period;
use crate::plan::Plan;
use grid::Grid;
use normalize::header_key;

/// Sheet names of the contract.
pub const COVER: &str = "基本信息";
pub const VILLAGES: &str = "村级进度";
pub const PROJECTS: &str = "项目资金";
pub const INDICATORS: &str = "专项指标";

/// A township's report for one month, as read from its workbook.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Path relative to the data folder.
    pub file: String,
    pub township: String,
    pub period: Period,
    pub cover: Cover,
    pub villages: Vec<VillageRow>,
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

pub use crate::plan::VillageType;

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

/// What reading one workbook gave: its report when it could be read well enough to aggregate,
/// what it says about itself (from its cover, else from its file name and folder), and every
/// diagnostic found either way.
#[derive(Debug)]
pub struct Read {
    pub report: Option<Report>,
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
    /// Township or month taken from the file's path, not its cover.
    pub from_path: bool,
    pub cover: Cover,
}

impl Identity {
    /// What the path says: a plan township named in it, and a month of the plan's years named
    /// in the file name or in a folder named like `2019-03`.
    pub fn from_path(file: &str, plan: &Plan) -> Identity {
        let name = file.rsplit('/').next().unwrap_or(file);
        let township = plan.townships.iter().find(|t| name.contains(t.as_str())).cloned();
        let folder = file.rsplit('/').nth(1).and_then(|f| f.parse::<Period>().ok());
        let named = file_name::month_in_name(file).and_then(|m| Period::new(m.year.or(folder.map(|f| f.year))?, m.month));
        // A month outside the plan's years is no month the plan knows (E-MONTH-RANGE on the cover).
        let period = named.or(folder).filter(|p| plan.years.is_empty() || plan.years.contains(&p.year));
        Identity { file: file.into(), township, period, from_path: true, ..Identity::default() }
    }
}

/// Reads one workbook from its bytes.
pub fn read(bytes: &[u8], file: &str, plan: &Plan) -> Read {
    let mut diags = Vec::new();
    let mut identity = Identity::from_path(file, plan);
    let wanted = |name: &str| [COVER, VILLAGES, PROJECTS, INDICATORS].contains(&header_key(name).as_str());
    let book = match grid::open(bytes, &wanted) {
        Ok(b) => b,
        Err(grid::OpenError::Unreadable(e)) => {
            let msg = format!("无法打开此文件（{e}）。请确认它是 Excel 或 WPS 保存的 .xlsx/.xls/.ods 文件、未加密且未损坏，然后重新发送。");
            diags.push(Diagnostic::error("E-OPEN", file, msg));
            return Read { report: None, identity, diagnostics: diags };
        }
        Err(grid::OpenError::TooLarge(what)) => {
            let msg = format!("文件过大，未读取：{what}。乡镇月报通常只有几十KB，请检查是否发错了文件。");
            diags.push(Diagnostic::error("E-TOO-LARGE", file, msg));
            return Read { report: None, identity, diagnostics: diags };
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
        for name in [COVER, VILLAGES] {
            if sheet(name).is_none() {
                diags.push(missing_sheet(file, name, &book.sheets, true));
            }
        }
        return Read { report: None, identity, diagnostics: diags };
    };
    let villages = sheets::read_villages(villages, file, &mut diags);
    let projects = match sheet(PROJECTS) {
        Some(g) => sheets::read_projects(g, file, &mut diags),
        None => {
            diags.push(missing_sheet(file, PROJECTS, &book.sheets, false));
            Vec::new()
        }
    };
    let indicators = match sheet(INDICATORS) {
        Some(g) => sheets::read_indicators(g, file, plan, &mut diags),
        None => {
            diags.push(missing_sheet(file, INDICATORS, &book.sheets, false));
            Vec::new()
        }
    };
    let report = match (cover.township, cover.period) {
        (Some(township), Some(period)) => Some(Report { file: file.to_string(), township, period, cover: cover.cover, villages, projects, indicators }),
        _ => None,
    };
    Read { report, identity, diagnostics: diags }
}

/// A formula whose result was never saved has no value to read: an error at its cell.
fn report_formulas_without_values(g: &Grid, file: &str, diags: &mut Vec<Diagnostic>) {
    for (r, row) in g.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let grid::Cell::NoCache(formula) = cell {
                let msg = format!(
                    "公式“={formula}”没有保存计算结果，无法读取。请在 Excel 或 WPS 中打开此文件、保存后重新发送。"
                );
                diags.push(Diagnostic::error("E-FORMULA", file, msg).at_cell(&g.name, g.a1(r, c)));
            }
        }
    }
}

fn missing_sheet(file: &str, name: &str, sheets: &[Grid], required: bool) -> Diagnostic {
    let present: Vec<&str> = sheets.iter().map(|g| g.name.as_str()).collect();
    let msg = format!(
        "缺少工作表“{name}”（现有工作表：{}）。请使用县扶贫办下发的模板，勿改动工作表名称。",
        present.join("、")
    );
    if required {
        Diagnostic::error("E-SHEET", file, msg)
    } else {
        Diagnostic::warning("W-SHEET", file, msg)
    }
}
