//! The rules on 旬 workbooks: one per township and 旬 (E-DUPLICATE), and a month's 下旬 tells
//! the same day as the month's report: every project's 计划投资, 累计拨付 and 项目状态 agree
//! (E-XUN-MONTH at the 旬 workbook's cell, which holds back the 旬报; W-XUN-MONTH at the month's,
//! whose documents do not depend on the 旬).

use crate::base::diag::Diagnostic;
use crate::base::period::Xun;
use crate::reading::submission::{ProjectRow, Report, XunReport};

/// Checks the 旬 workbooks against each other and the months' reports; drops duplicates.
pub fn validate(xun: &mut Vec<XunReport>, reports: &[Report]) -> Vec<Diagnostic> {
    let mut diags = remove_duplicates(xun);
    for x in xun.iter().filter(|x| x.xun == Xun::Lower) {
        if let Some(month) = reports.iter().find(|r| r.township == x.township && r.period == x.period) {
            agree(x, month, &mut diags);
        }
    }
    diags
}

fn remove_duplicates(xun: &mut Vec<XunReport>) -> Vec<Diagnostic> {
    super::drop_duplicates(xun, |x| (x.township.clone(), format!("{}{}", x.period.chinese(), x.xun.chinese()), "旬报表"), |x| &x.file)
}

/// A project's key across workbooks: its name and village.
fn key(p: &ProjectRow) -> (&str, &str) {
    (p.name.as_str(), p.village.as_deref().unwrap_or(""))
}

/// Each project of the 下旬 against the month's report, field by field, and the projects only
/// one of them has.
fn agree(x: &XunReport, month: &Report, diags: &mut Vec<Diagnostic>) {
    let when = format!("{}{}", x.period.chinese(), x.xun.chinese());
    for p in &x.projects {
        let Some(m) = month.projects.iter().find(|m| key(m) == key(p)) else {
            let msg = format!("项目“{}”在{when}旬报表中有，在同月月报表（{}）中没有。下旬与月报表应为同一天的情况，请核对。", p.name, month.file);
            diags.push(at(Diagnostic::error("E-XUN-MONTH", &x.file, msg), p, ""));
            continue;
        };
        let money = |v: i64| format!("{} 万元", crate::base::format::wan(v as f64 / 100.0));
        let fields = [
            ("计划投资", money(p.planned), money(m.planned), &p.cells.planned, &m.cells.planned),
            ("累计拨付", money(p.disbursed), money(m.disbursed), &p.cells.disbursed, &m.cells.disbursed),
            ("项目状态", text(&p.status), text(&m.status), &p.cells.status, &m.cells.status),
        ];
        for (field, ours, theirs, cell, their_cell) in fields.into_iter().filter(|(_, a, b, ..)| a != b) {
            let msg = format!(
                "项目“{}”的“{field}”，{when}旬报表为 {ours}，同月月报表（{}）为 {theirs}。下旬与月报表应为同一天的情况，请核对后改正其中一份。",
                p.name, month.file
            );
            diags.push(at(Diagnostic::error("E-XUN-MONTH", &x.file, msg), p, cell));
            let msg = format!("项目“{}”的“{field}”，本月报表为 {theirs}，{when}旬报表（{}）为 {ours}。请核对后改正其中一份。", p.name, x.file);
            diags.push(at(Diagnostic::warning("W-XUN-MONTH", &month.file, msg), m, their_cell));
        }
    }
    for m in month.projects.iter().filter(|m| !x.projects.iter().any(|p| key(p) == key(m))) {
        let msg = format!("项目“{}”在月报表中有，在{when}旬报表（{}）中没有。下旬与月报表应为同一天的情况，请核对。", m.name, x.file);
        let sheet = x.projects.first().map_or(crate::reading::submission::PROJECTS, |p| p.cells.sheet.as_str());
        diags.push(Diagnostic::error("E-XUN-MONTH", &x.file, msg).at_sheet(sheet));
        let msg = format!("项目“{}”在{when}旬报表（{}）中没有。请核对。", m.name, x.file);
        diags.push(at(Diagnostic::warning("W-XUN-MONTH", &month.file, msg), m, ""));
    }
}

/// At a cell of the project's row: the field's, else (no such column) its name's.
fn at(d: Diagnostic, p: &ProjectRow, cell: &str) -> Diagnostic {
    d.at_cell(&p.cells.sheet, if cell.is_empty() { p.name_cell.clone() } else { cell.to_string() })
}

fn text(t: &Option<String>) -> String {
    t.clone().unwrap_or_else(|| "（空）".into())
}
