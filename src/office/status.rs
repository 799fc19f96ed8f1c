//! 报送情况: who has reported. A township × month board for a year, made from the files
//! themselves (every workbook read, readable or not), and the call list for one month: whom
//! to phone, at what number, about what. Shown by `jianbao status`, on the first page of the
//! validation report, in `报送情况-<年>年.xlsx`, and as JSON.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::diag::{Diagnostic, Severity};
use crate::base::period::{Date, Period, Span};
use crate::figures::checked::Checked;
use crate::reading::pieces::Kind;
use crate::reading::submission::MONTHLY;

/// One cell of the board: a township in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Cell {
    /// 已报: one workbook, no problems.
    Reported { file: String },
    /// 有警告: one workbook with warnings only; `changing` of them change a figure (a call).
    Warnings {
        file: String,
        warnings: usize,
        #[serde(skip_serializing_if = "is_zero")]
        changing: usize,
    },
    /// 有误: one workbook with errors.
    Errors { file: String, errors: usize },
    /// 已收到·无法读取: one file for the month that could not be read at all, and why.
    Unreadable { file: String, reason: String },
    /// 重复: several workbooks for the month (none is used).
    Duplicate { files: Vec<String> },
    /// 沿用: no workbook; the township's figures carry forward from an earlier month.
    Carried { from: Period },
    /// 未报: no workbook, and none earlier in the year.
    Missing,
    /// 逾期: no workbook, and the month's deadline has passed.
    Late { carried_from: Option<Period> },
    /// Not yet due: a month after the one the board stands at.
    NotDue,
    /// 启用前: a month before the office started reporting with jianbao (nobody's failure).
    BeforeStart,
    /// No file, in a row that is not a township of the plan (nothing is expected there).
    Empty,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Cell {
    /// What the board shows, two to four characters.
    pub fn label(&self) -> String {
        match self {
            Cell::Reported { .. } => "已报".into(),
            Cell::Warnings { warnings, .. } => format!("警告{warnings}"),
            Cell::Errors { errors, .. } => format!("有误{errors}"),
            Cell::Unreadable { .. } => "已收到·无法读取".into(),
            Cell::Duplicate { files } => format!("重复{}", files.len()),
            Cell::Carried { from } => format!("沿用{}", from.month),
            Cell::Missing => "未报".into(),
            Cell::Late { .. } => "逾期".into(),
            Cell::BeforeStart => "启用前".into(),
            Cell::NotDue | Cell::Empty => String::new(),
        }
    }

    /// Whether the office has to phone about it.
    pub fn needs_a_call(&self) -> bool {
        matches!(self, Cell::Errors { .. } | Cell::Unreadable { .. } | Cell::Duplicate { .. } | Cell::Carried { .. } | Cell::Missing | Cell::Late { .. })
            || matches!(self, Cell::Warnings { changing, .. } if *changing > 0)
    }
}

/// One row: a township of the plan, or files that name another township or none.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub township: String,
    /// False for a township the plan does not have, or files whose township cannot be read.
    pub in_plan: bool,
    /// Months 1 … 12.
    pub months: Vec<Cell>,
    /// Files of this township whose month cannot be read.
    pub month_unknown: Vec<String>,
    /// Pieces (稿件) it sent for the board's month that are set in the bulletin.
    pub pieces: usize,
}

/// A township to phone about the board's month.
#[derive(Debug, Clone, Serialize)]
pub struct Call {
    pub township: String,
    pub status: String,
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// The first problems to fix, with their places.
    pub problems: Vec<String>,
}

/// The board of a year, standing at one of its months.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub year: u16,
    pub month: u8,
    /// What each column of `Row::months` is for: the monthly form's times of the year.
    #[serde(skip)]
    pub columns: Vec<Span>,
    /// The date 逾期 is judged on, if any; and whether it is the computer's clock.
    pub today: Option<Date>,
    pub today_from_clock: bool,
    /// 报送截止日: the day of the following month a month's workbook is due.
    pub deadline_day: Option<u8>,
    /// The first month reports are expected: `plan.yaml`'s `start.month`, else the first
    /// month any file is for (earlier months are 启用前).
    pub start: Option<Period>,
    /// Months of the year up to the board's, from the start, that no township of the plan sent
    /// a file for.
    pub gaps: Vec<Period>,
    pub rows: Vec<Row>,
    pub calls: Vec<Call>,
    /// The pieces (稿件) of the board's month, in the bulletin's order, then those left out.
    pub pieces: Vec<Sent>,
}

/// A piece sent for the board's month.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    pub file: String,
    pub title: String,
    pub source: Option<String>,
    /// 工作动态, 经验做法 or 不采用.
    pub kind: crate::reading::pieces::Kind,
}

/// The year and month a board stands at by default: the latest month with a workbook.
pub fn latest(c: &Checked) -> Option<Period> {
    c.files.iter().filter_map(|f| f.period).max()
}

/// The board of `year` standing at `month` (months after it are not yet due).
pub fn board(c: &Checked, at: Period, today: Option<Date>, today_from_clock: bool) -> Board {
    let deadline_day = c.config.deadline_day;
    let mut names: Vec<(String, bool)> = c.plan.townships.iter().map(|t| (t.clone(), true)).collect();
    for f in &c.files {
        let name = row_name(f);
        if !names.iter().any(|(n, _)| *n == name) {
            names.push((name, false));
        }
    }
    let set = crate::reading::pieces::of_month(&c.pieces, at);
    // What the townships of the plan sent, by month: where reports are expected from, and gaps.
    let sent: Vec<(&str, Period)> = c.files.iter().filter_map(|f| Some((f.township.as_deref()?, f.period?))).collect();
    let start = crate::seen::start(&c.plan, &sent);
    let when = When { at, today, deadline_day, start };
    let columns = (MONTHLY.times)(at.year);
    let rows: Vec<Row> = names
        .into_iter()
        .map(|(township, in_plan)| {
            let months = months(&columns).map(|p| cell(c, &township, in_plan, p, &when)).collect();
            let month_unknown = c.files.iter().filter(|f| f.period.is_none() && row_name(f) == township).map(|f| f.file.clone()).collect();
            let pieces = set.iter().filter(|p| p.township.as_deref() == Some(township.as_str())).count();
            Row { township, in_plan, months, month_unknown, pieces }
        })
        .collect();
    let calls = rows.iter().filter_map(|r| call(c, r, at)).collect();
    let left_out = c.pieces.iter().filter(|p| p.period == at && p.kind == Kind::LeftOut);
    let pieces =
        set.into_iter().chain(left_out).map(|p| Sent { file: p.file.clone(), title: p.title.clone(), source: p.source.clone(), kind: p.kind }).collect();
    let gaps = crate::seen::unreported(&c.plan, &sent, at.year_to_date());
    Board { year: at.year, month: at.month, columns, today, today_from_clock, deadline_day, start, gaps, rows, calls, pieces }
}

/// The months of a monthly board's columns.
fn months(columns: &[Span]) -> impl Iterator<Item = Period> + '_ {
    columns.iter().filter_map(|s| if let Span::Month(p) = s { Some(*p) } else { None })
}

/// The column of the board's own month.
pub fn own_column(b: &Board) -> Option<usize> {
    b.columns.iter().position(|s| s.end() == Period::new(b.year, b.month))
}

/// What a cell is judged against: the board's month, today, the deadline, the start.
struct When {
    at: Period,
    today: Option<Date>,
    deadline_day: Option<u8>,
    start: Option<Period>,
}

/// The pieces of the board's month in a line: `3月稿件：南村乡1篇、县扶贫办1篇（不采用1篇）`.
pub fn pieces_line(b: &Board) -> String {
    let mut by_source: Vec<(String, usize)> = Vec::new();
    for p in b.pieces.iter().filter(|p| p.kind != Kind::LeftOut) {
        let source = p.source.clone().unwrap_or_else(|| "未注明来源".into());
        match by_source.iter_mut().find(|(s, _)| *s == source) {
            Some((_, n)) => *n += 1,
            None => by_source.push((source, 1)),
        }
    }
    let left_out = b.pieces.iter().filter(|p| p.kind == Kind::LeftOut).count();
    let mut line = format!("{}月稿件：", b.month);
    if by_source.is_empty() {
        line.push_str("未收到");
    } else {
        let list: Vec<String> = by_source.iter().map(|(s, n)| format!("{s}{n}篇")).collect();
        line.push_str(&format!("共{}篇，{}", by_source.iter().map(|(_, n)| n).sum::<usize>(), list.join("、")));
    }
    if left_out > 0 {
        line.push_str(&format!("（另有不采用{left_out}篇）"));
    }
    line.push('。');
    line
}

/// The row a file shows up in: its plan township, the township it names, or 乡镇不明.
fn row_name(f: &crate::reading::submission::Identity) -> String {
    match (&f.township, &f.typed_township) {
        (Some(t), _) => t.clone(),
        (None, Some(typed)) => format!("{typed}（不在规划中）"),
        (None, None) => "乡镇不明的文件".into(),
    }
}

fn count(diags: &[Diagnostic], file: &str, severity: Severity) -> usize {
    diags.iter().filter(|d| d.file == file && d.severity == severity).count()
}

fn cell(c: &Checked, township: &str, in_plan: bool, p: Period, w: &When) -> Cell {
    let mut files: Vec<&crate::reading::submission::Identity> = c.files.iter().filter(|f| f.period == Some(p) && row_name(f) == township).collect();
    // A file refused by its kind (a CSV export beside the workbook) can never be the one used:
    // it never makes a 重复 beside a readable one (the report lists it under its own name).
    if files.iter().any(|f| f.unreadable.is_none()) {
        files.retain(|f| f.unreadable.is_none());
    }
    match files.as_slice() {
        [] if !in_plan => Cell::Empty,
        [] if p > w.at => Cell::NotDue,
        [] if w.start.is_some_and(|s| p < s) => Cell::BeforeStart,
        [] => {
            let carried = match crate::figures::aggregate::Seen::new(&c.reports, p, &Default::default()).source(township, p) {
                (crate::figures::aggregate::Status::CarriedForward, Some(r)) => Some(r.period),
                _ => None,
            };
            // 逾期 only while nothing later has come: a month a later report covers is a gap
            // (未报, 沿用), no longer a call.
            let later = c.files.iter().any(|f| row_name(f) == township && f.period.is_some_and(|q| p < q && q <= w.at));
            match (p.deadline(w.deadline_day), w.today) {
                (Some(due), Some(today)) if today > due && !later => Cell::Late { carried_from: carried },
                _ => carried.map_or(Cell::Missing, |from| Cell::Carried { from }),
            }
        }
        [crate::reading::submission::Identity { file, unreadable: Some(reason), .. }] => Cell::Unreadable { file: file.clone(), reason: reason.clone() },
        [file] => {
            let file = file.file.as_str();
            let (errors, warnings) = (count(&c.diagnostics, file, Severity::Error), count(&c.diagnostics, file, Severity::Warning));
            let file = file.to_string();
            if errors > 0 {
                Cell::Errors { file, errors }
            } else if warnings > 0 {
                let changing = c.diagnostics.iter().filter(|d| d.file == file && d.changes_figures()).count();
                Cell::Warnings { file, warnings, changing }
            } else {
                Cell::Reported { file }
            }
        }
        several => Cell::Duplicate { files: several.iter().map(|f| f.file.clone()).collect() },
    }
}

/// Whom to phone about a row's month, with the contact on its latest cover and what to fix.
fn call(c: &Checked, row: &Row, at: Period) -> Option<Call> {
    let here = &row.months[usize::from(at.month) - 1];
    if !here.needs_a_call() && row.month_unknown.is_empty() {
        return None;
    }
    let month = at.chinese();
    let mut problems: Vec<String> = match here {
        Cell::Missing | Cell::Carried { .. } | Cell::Late { .. } => {
            // Every month still overdue, with the board's own.
            let mut months: Vec<Period> = row.months.iter().zip(at.year_to_date()).filter(|(c, _)| matches!(c, Cell::Late { .. })).map(|(_, p)| p).collect();
            months.push(at);
            vec![format!("{}报表未报送", crate::base::period::months_cn(&months, true))]
        }
        Cell::Duplicate { files } => vec![format!("{month}有{}份报表：{}，请确认用哪一份、删除其余", files.len(), files.join("、"))],
        Cell::Errors { file, .. } => first_errors(&c.diagnostics, file),
        Cell::Unreadable { file, reason } => vec![format!("{month}报表已收到但无法读取（{file}）：{reason}")],
        Cell::Warnings { file, .. } => {
            let changing = c.diagnostics.iter().filter(|d| d.file == *file && d.changes_figures());
            changing.map(|d| format!("{}：{}", d.location(), d.message)).collect()
        }
        _ => Vec::new(),
    };
    for f in &row.month_unknown {
        problems.extend(first_errors(&c.diagnostics, f));
    }
    let (contact, phone) = contact(c, &row.township);
    Some(Call { township: row.township.clone(), status: here.label(), contact, phone, problems })
}

/// A row's contact and phone, as its latest workbook's cover (填表人, 联系电话) gives them.
pub fn contact(c: &Checked, township: &str) -> (Option<String>, Option<String>) {
    let latest = c.files.iter().filter(|f| row_name(f) == township && (f.cover.filled_by.is_some() || f.cover.phone.is_some())).max_by_key(|f| f.period);
    (latest.and_then(|f| f.cover.filled_by.clone()), latest.and_then(|f| f.cover.phone.clone()))
}

/// The first three errors of a file, with their places.
fn first_errors(diags: &[Diagnostic], file: &str) -> Vec<String> {
    let errors: Vec<&Diagnostic> =
        crate::figures::report::grouped(diags).get(file).map(|l| l.iter().copied().filter(|d| d.severity == Severity::Error).collect()).unwrap_or_default();
    let mut out: Vec<String> = errors.iter().take(3).map(|d| format!("{}：{}", d.location(), d.message)).collect();
    if errors.len() > 3 {
        out.push(format!("另有{}处错误，见数据校验报告", errors.len() - 3));
    }
    out
}

/// A table as text, its columns aligned by display width (a Chinese character is two columns).
pub fn aligned(table: &[Vec<String>]) -> String {
    use unicode_width::UnicodeWidthStr;
    let widths: Vec<usize> = (0..table.first().map_or(0, Vec::len)).map(|i| table.iter().map(|l| l[i].width()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for line in table {
        let cells: Vec<String> = line.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.width()))).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The board as text for a terminal or a file: columns aligned by display width (a Chinese
/// character is two columns), then the call list.
pub fn text(b: &Board) -> String {
    let unknown = b.rows.iter().any(|r| !r.month_unknown.is_empty());
    let mut table: Vec<Vec<String>> = vec![std::iter::once("乡镇".to_string()).chain(b.columns.iter().map(|s| s.short())).collect()];
    if unknown {
        table[0].push("月份不明".into());
    }
    for r in &b.rows {
        let mut line: Vec<String> = std::iter::once(r.township.clone()).chain(r.months.iter().map(Cell::label)).collect();
        if unknown {
            line.push(if r.month_unknown.is_empty() { String::new() } else { format!("{}份", r.month_unknown.len()) });
        }
        table.push(line);
    }
    let mut out = format!("{}年报送情况（截至{}月）\n", b.year, b.month);
    out.push_str(&aligned(&table));
    out.push_str(&legend(b));
    out.push('\n');
    out.push_str(&pieces_line(b));
    out.push_str(&format!("\n\n{}年{}月需要联系的乡镇：", b.year, b.month));
    if b.calls.is_empty() {
        out.push_str(NO_CALLS);
        out.push('\n');
    } else {
        out.push('\n');
        for (i, call) in b.calls.iter().enumerate() {
            let contact = [call.contact.as_deref().map(|c| format!("联系人 {c}")), call.phone.as_deref().map(|p| format!("电话 {p}"))];
            let contact: Vec<String> = contact.into_iter().flatten().collect();
            let contact = if contact.is_empty() { "无联系人记录".to_string() } else { contact.join("  ") };
            out.push_str(&format!("{}. {}（{}）  {contact}\n", i + 1, call.township, call.status));
            for p in &call.problems {
                out.push_str(&format!("   - {p}\n"));
            }
        }
    }
    out
}

/// What the call list says when there is nobody to phone about the board's month.
pub const NO_CALLS: &str = "无，本月各乡镇均已报送且报表无误。";

/// What the labels mean, the date 逾期 is judged on, and the months no township reported.
pub fn legend(b: &Board) -> String {
    let mut s = String::from("已报：报表无问题；警告N／有误N：报表有N条警告／错误；已收到·无法读取：收到了文件，但它不是可读的报表（格式不对、设有密码或已损坏），原因见下；重复N：同月有N份报表；沿用N：未报送，沿用N月数据；未报：未报送；空白：未到期");
    match (b.deadline_day, b.today) {
        (Some(day), Some(today)) => {
            let source = if b.today_from_clock { "（按本机日期）" } else { "" };
            s.push_str(&format!(
                "；逾期：过了报送截止日（次月{day}日）仍未报送，按{}{source}判断",
                crate::base::format::date(today.year, today.month, today.day)
            ));
        }
        (Some(day), None) => s.push_str(&format!("；报送截止日为次月{day}日，未给出今天的日期，不判断逾期")),
        (None, _) => {}
    }
    if b.rows.iter().any(|r| r.months.contains(&Cell::BeforeStart)) {
        s.push_str(&format!("；启用前：{}以前，开始使用本系统之前，不需报送", b.start.map_or(String::new(), Period::chinese)));
    }
    s.push('。');
    if !b.gaps.is_empty() {
        s.push_str(&format!("{}无任何乡镇报表。", crate::base::period::months_cn(&b.gaps, true)));
    }
    s
}

/// The months of each year in which any file was read: the years with a board.
pub fn years(c: &Checked) -> BTreeMap<u16, Period> {
    let mut out: BTreeMap<u16, Period> = BTreeMap::new();
    for p in c.files.iter().filter_map(|f| f.period) {
        let e = out.entry(p.year).or_insert(p);
        *e = (*e).max(p);
    }
    out
}
