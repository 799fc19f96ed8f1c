//! What 公告公示 needs of the projects (docs/旬报与公示.md), asked of each township's latest
//! report of a year (what the notices and the 公示清单 read): W-NOTICE-FIELD where a township
//! that gives the notice columns leaves one empty, N-NOTICE-COLUMNS where a township gives none
//! of them while others of the year do (the county's 公示 cannot be made without it).

use std::collections::BTreeSet;

use crate::base::diag::Diagnostic;
use crate::reading::submission::{Need, ProjectRow, Report, PROJECTS};

/// W-NOTICE-FIELD: a project lacks a column its next notice needs.
pub const FIELD: &str = "W-NOTICE-FIELD";
/// N-NOTICE-COLUMNS: a township gives none of the notice columns while others do.
pub const COLUMNS: &str = "N-NOTICE-COLUMNS";

/// Whether a diagnostic is about what 公告公示 needs (not about the figures).
pub fn is_notices(d: &Diagnostic) -> bool {
    d.code == FIELD || d.code == COLUMNS
}

/// The checks, over `reports` (duplicates removed).
pub fn check(reports: &[Report], diags: &mut Vec<Diagnostic>) {
    let years: BTreeSet<u16> = reports.iter().map(|r| r.period.year).collect();
    for year in years {
        let latest = latest_of_year(reports, year);
        let any_takes_part = latest.iter().any(|r| r.projects.iter().any(ProjectRow::takes_part_in_notices));
        for r in latest {
            if r.projects.iter().any(ProjectRow::takes_part_in_notices) {
                r.projects.iter().for_each(|p| field_gaps(r, p, diags));
            } else if any_takes_part && !r.projects.is_empty() {
                let columns = Need::Funds.columns().iter().filter(|c| r.projects.iter().any(|p| p.missing(Need::Funds).contains(c)));
                let named: Vec<String> = columns.map(|c| format!("“{c}”")).collect();
                let msg = format!(
                    "本表项目资金没有公示所需的{}，{}年全县资金分配使用情况公示暂不能生成，本乡镇的项目公示、公告也不能生成。请按新版报表格式增加这些列（见“报表格式”说明）。",
                    named.join(""),
                    year
                );
                diags.push(Diagnostic::note(COLUMNS, &r.file, msg).at_sheet(PROJECTS));
            }
        }
    }
}

/// Each township's latest report of `year` (the one the next year starts from), by name.
fn latest_of_year(reports: &[Report], year: u16) -> Vec<&Report> {
    let townships: BTreeSet<&str> = reports.iter().filter(|r| r.period.year == year).map(|r| r.township.as_str()).collect();
    townships.into_iter().filter_map(|t| crate::seen::year_start(reports, t, year + 1)).collect()
}

/// W-NOTICE-FIELD at the first empty cell (or the name's cell, when the sheet lacks the column)
/// of a project whose next notice lacks a column: where the township posts village notices, its
/// 公告 once 已完工, else its 公示; else the county's 公示.
fn field_gaps(r: &Report, p: &ProjectRow, diags: &mut Vec<Diagnostic>) {
    let need = match (p.posts_in_villages(), p.status.as_deref() == Some("已完工")) {
        (false, _) => Need::Funds,
        (true, true) => Need::After,
        (true, false) => Need::Before,
    };
    let missing = p.missing(need);
    if missing.is_empty() {
        return;
    }
    let named: Vec<String> = missing.iter().map(|c| format!("“{c}”")).collect();
    let absent: Vec<&str> = missing.iter().copied().filter(|c| p.cell_of(c).is_none()).collect();
    let lacking = if absent.is_empty() { String::new() } else { format!("（本表没有{}列）", absent.join("、")) };
    let msg = format!("项目“{}”缺少{}{lacking}，{}暂不能生成。请补填后重新生成。", p.name, named.join(""), need.name());
    let cell = missing.iter().find_map(|c| p.cell_of(c)).unwrap_or(&p.name_cell);
    diags.push(Diagnostic::warning(FIELD, &r.file, msg).at_cell(&p.cells.sheet, cell.to_string()));
}
