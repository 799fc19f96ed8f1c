//! Reading a sheet as a table: find the header row by name, then read typed fields cell by
//! cell, reporting every problem at its cell.

use std::collections::BTreeMap;

use super::grid::{Cell, Grid};
use super::normalize::{header_key, parse_number, parse_yes_no};
use crate::base::diag::{quote, Diagnostic};
use crate::base::period::Date;

/// A column the contract knows: its canonical name and accepted aliases.
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

/// How many rows from the top the header row may be.
const HEADER_SEARCH_ROWS: usize = 10;

/// A located table: which grid column holds each known column, and where data starts.
pub struct Table<'g> {
    pub grid: &'g Grid,
    pub file: &'g str,
    columns: BTreeMap<&'static str, usize>,
    pub first_data_row: usize,
}

impl<'g> Table<'g> {
    /// Finds the first row within the first ten that holds every required header.
    pub fn locate(grid: &'g Grid, file: &'g str, spec: &[Column], diags: &mut Vec<Diagnostic>) -> Option<Self> {
        for row in 0..grid.rows.len().min(HEADER_SEARCH_ROWS) {
            let columns = match_headers(grid, row, spec);
            if spec.iter().filter(|c| c.required).all(|c| columns.contains_key(c.name)) {
                report_unknown_columns(grid, file, row, &columns, diags);
                let table = Table { grid, file, columns, first_data_row: row + 1 };
                table.report_merges(diags);
                return Some(table);
            }
        }
        let missing: Vec<&str> = spec.iter().filter(|c| c.required).map(|c| c.name).collect();
        diags.push(
            Diagnostic::error(
                "E-HEADER",
                file,
                format!("前{HEADER_SEARCH_ROWS}行中找不到表头行。表头应包含这些列：{}。请勿删除或改写表头。", missing.join("、")),
            )
            .at_sheet(&grid.name),
        );
        None
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// Data rows: every non-blank row below the header.
    pub fn rows(&self) -> impl Iterator<Item = usize> + '_ {
        (self.first_data_row..self.grid.rows.len()).filter(|&r| !self.grid.row_is_blank(r))
    }

    /// The cell as the office sees it: inside a range merged across data rows, the range's
    /// value (the file holds it only in the first cell; W-MERGED says so).
    pub fn cell(&self, row: usize, column: &str) -> &Cell {
        match self.columns.get(column) {
            Some(&c) => {
                let (r, c) = self.merge_of(row, c).map_or((row, c), |(first, _)| first);
                self.grid.cell(r, c)
            }
            None => self.grid.cell(usize::MAX, 0),
        }
    }

    /// The merged range (grid positions of its first and last cell) that holds a data cell.
    fn merge_of(&self, row: usize, col: usize) -> Option<((usize, usize), (usize, usize))> {
        self.data_merges().find(|((r0, c0), (r1, c1))| (*r0..=*r1).contains(&row) && (*c0..=*c1).contains(&col))
    }

    /// The merged ranges below the header, as grid positions.
    fn data_merges(&self) -> impl Iterator<Item = ((usize, usize), (usize, usize))> + '_ {
        let (or, oc) = self.grid.origin;
        self.grid
            .merged
            .iter()
            .filter(move |((r0, c0), _)| *r0 >= or && *c0 >= oc)
            .map(move |((r0, c0), (r1, c1))| (((r0 - or) as usize, (c0 - oc) as usize), ((r1 - or) as usize, (c1 - oc) as usize)))
            .filter(|((r0, _), _)| *r0 >= self.first_data_row)
    }

    /// W-MERGED at each range merged across data cells: what the file holds, what is counted,
    /// and what to do.
    fn report_merges(&self, diags: &mut Vec<Diagnostic>) {
        for (first, last) in self.data_merges() {
            let range = format!("{}:{}", self.grid.a1(first.0, first.1), self.grid.a1(last.0, last.1));
            let value = self.grid.cell(first.0, first.1).as_text();
            let msg = format!(
                "{range} 是合并单元格：文件中只有 {} 有值“{}”，其余格子是空的。已按合并后显示的值计入其中每一行；请在 Excel/WPS 中取消合并，在每个格子里分别填写后重新报送。",
                self.grid.a1(first.0, first.1),
                quote(&value)
            );
            diags.push(Diagnostic::warning("W-MERGED", self.file, msg).at_cell(&self.grid.name, range));
        }
    }

    pub fn a1(&self, row: usize, column: &str) -> String {
        self.grid.a1(row, self.columns.get(column).copied().unwrap_or(0))
    }

    pub fn diag(&self, d: Diagnostic, row: usize, column: &str) -> Diagnostic {
        d.at_cell(&self.grid.name, self.a1(row, column))
    }

    fn err(&self, code: &str, row: usize, column: &str, msg: String) -> Diagnostic {
        self.diag(Diagnostic::error(code, self.file, msg), row, column)
    }

    /// A formula cell with no saved value (reported once, as E-FORMULA, when the file is read).
    fn no_cache(&self, row: usize, column: &str) -> bool {
        matches!(self.cell(row, column), Cell::NoCache(_))
    }

    /// Text of a cell; `None` when blank. Text longer than its column allows (`text_limit`)
    /// is an error at the cell and is not taken: a remark pasted full of text is not a remark.
    pub fn text(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
        let t = self.cell(row, column).as_text();
        let limit = text_limit(column);
        let chars = t.chars().count();
        if chars > limit {
            let msg = format!("“{column}”有{chars}个字，超过上限{limit}个字。请检查是否粘贴了多余的内容，精简后重新报送。");
            diags.push(self.err("E-TEXT-LONG", row, column, msg));
            return None;
        }
        (!t.is_empty()).then_some(t)
    }

    /// Required text; a blank cell is an error.
    pub fn required_text(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
        let before = diags.len();
        let t = self.text(row, column, diags);
        if t.is_none() && diags.len() == before && !self.no_cache(row, column) {
            diags.push(self.err("E-REQUIRED", row, column, format!("“{column}”不能为空。请填写{column}。")));
        }
        t
    }

    /// A number, or `None` when blank. Text that is not a number is an error at the cell.
    pub fn number(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<f64> {
        match self.cell(row, column) {
            Cell::Number(n) => Some(*n),
            Cell::NoCache(_) => None,
            c if c.is_blank() => None,
            Cell::Text(t) => {
                let v = parse_number(t);
                if v.is_none() {
                    diags.push(self.err("E-NUMBER", row, column, format!("“{column}”应为数字，实际为“{}”。请填写阿拉伯数字，例如 50。", quote(t.trim()))));
                }
                v
            }
            other => {
                diags.push(self.err("E-NUMBER", row, column, format!("“{column}”应为数字，实际为“{}”。请填写阿拉伯数字，例如 50。", quote(&other.as_text()))));
                None
            }
        }
    }

    /// A date: a date cell, or text written `YYYY-MM-DD` (or `2019年3月5日`, `2019/3/5`,
    /// `2019.3.5`). Blank is `None`; anything else is an error at the cell.
    pub fn date(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<Date> {
        let col = self.columns.get(column).copied()?;
        if let Some((year, month, day)) = self.grid.date(row, col) {
            return Some(Date { year, month, day });
        }
        let text = match self.cell(row, column) {
            c if c.is_blank() || matches!(c, Cell::NoCache(_)) => return None,
            c => c.as_text(),
        };
        let parts: Vec<&str> = text.trim().split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
        let written = match parts.as_slice() {
            [y, m, d] => format!("{y}-{:0>2}-{:0>2}", m, d).parse::<Date>().ok(),
            _ => None,
        };
        if written.is_none() {
            let msg = format!("“{column}”应为日期，实际为“{}”。请填写如 2019-03-05 的日期。", quote(text.trim()));
            diags.push(self.err("E-DATE", row, column, msg));
        }
        written
    }

    /// A count of people or households: a whole number ≥ 0. Blank is `None`.
    pub fn count(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<u32> {
        let v = self.number(row, column, diags)?;
        if v < 0.0 || v.fract() != 0.0 || v > f64::from(u32::MAX) {
            diags.push(self.err(
                "E-INTEGER",
                row,
                column,
                format!("“{column}”应为不小于 0 的整数，实际为 {}。请填写整数人数或户数。", super::grid::format_number(v)),
            ));
            return None;
        }
        Some(v as u32)
    }

    /// A required count: blank is an error.
    pub fn required_count(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<u32> {
        if self.cell(row, column).is_blank() && !self.no_cache(row, column) {
            diags.push(self.err("E-REQUIRED", row, column, format!("“{column}”不能为空。请填写数字，没有请填 0。")));
            return None;
        }
        self.count(row, column, diags)
    }

    /// Money in 万元, kept as hundredths (分 of 万元) so that sums are exact. Must be ≥ 0.
    pub fn money(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<i64> {
        let v = self.number(row, column, diags)?;
        if !(0.0..=1e12).contains(&v) {
            diags.push(self.err("E-RANGE", row, column, format!("“{column}”不能为负数，实际为 {v}。")));
            return None;
        }
        Some((v * 100.0).round() as i64)
    }

    /// An amount kept in hundredths of its unit (an indicator), so that sums are exact.
    pub fn hundredths(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> Option<i64> {
        let v = self.number(row, column, diags)?;
        if v.abs() > 1e12 {
            diags.push(self.err("E-RANGE", row, column, format!("“{column}”的数值 {v} 超出范围，请核对。")));
            return None;
        }
        Some((v * 100.0).round() as i64)
    }

    /// 是/否 and its spellings; blank is 否.
    pub fn yes_no(&self, row: usize, column: &str, diags: &mut Vec<Diagnostic>) -> bool {
        let Some(t) = self.text(row, column, diags) else { return false };
        parse_yes_no(&t).unwrap_or_else(|| {
            diags.push(self.err("E-YESNO", row, column, format!("“{column}”应填“是”或“否”，实际为“{t}”。")));
            false
        })
    }

    /// One of a fixed list of values; blank is `None`.
    pub fn choice(&self, row: usize, column: &str, allowed: &[&str], diags: &mut Vec<Diagnostic>) -> Option<String> {
        let t = self.text(row, column, diags)?;
        if allowed.contains(&t.as_str()) {
            return Some(t);
        }
        diags.push(self.err("E-CHOICE", row, column, format!("“{column}”为“{t}”，不在可选范围内。应为以下之一：{}。", allowed.join("、"))));
        None
    }
}

/// The longest text a column takes, in characters: names are short, a remark a paragraph.
/// Anything longer is a slip (text pasted into the wrong cell) and is reported at its cell.
pub fn text_limit(column: &str) -> usize {
    match column {
        "村名" | "所在村" => 30,
        "指标名称" => 50,
        "项目名称" => 100,
        "备注" => 500,
        _ => 100,
    }
}

fn match_headers(grid: &Grid, row: usize, spec: &[Column]) -> BTreeMap<&'static str, usize> {
    let mut found = BTreeMap::new();
    for col in 0..grid.rows[row].len() {
        let key = header_key(&grid.cell(row, col).as_text());
        if key.is_empty() {
            continue;
        }
        let known = spec.iter().find(|c| c.name == key || c.aliases.contains(&key.as_str()));
        if let Some(c) = known {
            found.entry(c.name).or_insert(col);
        }
    }
    found
}

fn report_unknown_columns(grid: &Grid, file: &str, row: usize, known: &BTreeMap<&'static str, usize>, diags: &mut Vec<Diagnostic>) {
    for col in 0..grid.rows[row].len() {
        let text = grid.cell(row, col).as_text();
        if !text.is_empty() && !known.values().any(|&c| c == col) {
            diags.push(Diagnostic::note("N-COLUMN", file, format!("未识别的列“{text}”，已忽略。")).at_cell(&grid.name, grid.a1(row, col)));
        }
    }
}
