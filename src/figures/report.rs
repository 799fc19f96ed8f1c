//! The validation report (数据校验报告) as plain text: diagnostics grouped by file.

use std::collections::BTreeMap;

use crate::base::diag::{count, Diagnostic, Severity};

/// Diagnostics grouped by file (in path order), each group sorted by severity then place.
pub fn grouped(diags: &[Diagnostic]) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut groups: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags {
        groups.entry(d.file.as_str()).or_default().push(d);
    }
    for list in groups.values_mut() {
        list.sort_by(|a, b| (a.severity, &a.sheet, cell_order(&a.cell)).cmp(&(b.severity, &b.sheet, cell_order(&b.cell))));
    }
    groups
}

/// Sorts A1 references by row then column rather than as strings.
fn cell_order(cell: &Option<String>) -> (u32, String) {
    let c = cell.as_deref().unwrap_or("");
    let letters: String = c.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let row = c[letters.len()..].parse().unwrap_or(0);
    (row, format!("{:>3}", letters))
}

/// One line: files read, errors, warnings, notes.
pub fn summary(diags: &[Diagnostic], files_read: usize) -> String {
    format!(
        "共读取 {files_read} 个文件：错误 {} 个，警告 {} 个，提示 {} 个。",
        count(diags, Severity::Error),
        count(diags, Severity::Warning),
        count(diags, Severity::Note)
    )
}

/// The full text report.
pub fn text(diags: &[Diagnostic], files_read: usize) -> String {
    let mut out = String::from("数据校验报告\n\n");
    if diags.is_empty() {
        out.push_str("未发现问题。\n");
    }
    for (file, list) in grouped(diags) {
        out.push_str(&format!("【{file}】\n"));
        for d in list {
            out.push_str(&format!("{d}\n"));
        }
        out.push('\n');
    }
    out.push_str(&summary(diags, files_read));
    out.push('\n');
    out
}
