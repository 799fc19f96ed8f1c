//! The validation report (数据校验报告) as a PDF: every diagnostic grouped by file, with
//! sheet and cell, so that staff can phone each township with a precise list.

use serde::Serialize;

use super::tables::{to_data_json, PdfMeta};
use super::{coverage, Engine, Prepared};
use crate::figures::checked::Checked;
use crate::office::status::Board;
use crate::office::xun_board::XunBoard;

pub const MAIN: &str = "report.typ";
/// The Typst templates the report is compiled from.
pub const TEMPLATES: &[&str] = &["gongwen.typ", "report.typ"];

/// The report's view (`/data.json`).
#[derive(Serialize)]
struct View {
    meta: PdfMeta,
    title: &'static str,
    span: String,
    summary: String,
    board: Option<BoardView>,
    xun: Option<XunView>,
    empty: bool,
    pieces: Vec<Vec<String>>,
    groups: Vec<Group>,
}

/// The problems of one file: sheet and cell, severity, code, message.
#[derive(Serialize)]
struct Group {
    file: String,
    rows: Vec<Vec<String>>,
}

/// The board as the report prints it: a table to tick off, and the call list.
#[derive(Serialize)]
struct BoardView {
    caption: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    legend: String,
    pieces: String,
    calls_title: String,
    no_calls: &'static str,
    calls: Vec<Call>,
}

/// Who sent which 旬 (`xun_board`): a table, what its labels mean, and whom to phone.
#[derive(Serialize)]
struct XunView {
    caption: String,
    header: [&'static str; 4],
    rows: Vec<Vec<String>>,
    legend: String,
    calls: Vec<String>,
}

fn xun_view(x: &XunBoard) -> XunView {
    let rows = x.rows.iter().map(|(t, cells)| std::iter::once(t.clone()).chain(cells.iter().map(|c| c.label())).collect()).collect();
    let caption = format!("{}旬报表报送情况", x.month.chinese());
    XunView { caption, header: ["乡镇", "上旬", "中旬", "下旬"], rows, legend: crate::office::xun_board::legend(x), calls: x.calls.clone() }
}

/// A township to phone, and what to tell it.
#[derive(Serialize)]
struct Call {
    title: String,
    problems: Vec<String>,
}

/// The report's sources: the 报送情况 board first (when there is data), who sent which 旬 (when
/// townships send 旬 workbooks), then every problem.
pub fn prepare(engine: &Engine, c: &Checked, board: Option<&Board>, xun: Option<&XunBoard>) -> Prepared {
    let (diags, office) = (&c.diagnostics, &c.config.office);
    let periods = c.reports.iter().map(|r| r.period).min().zip(c.reports.iter().map(|r| r.period).max());
    let book = engine.fonts().book();
    // A character no font has (reported as E-GLYPH) is printed as its code point instead; a
    // path may break after each `/` (a zero-width space: a long path never runs past the margin).
    let printable = |s: &str| -> String {
        s.chars()
            .map(|c| match coverage::missing_in(book, engine.fonts().roles(), c) {
                Some(_) => format!("〔U+{:04X}〕", c as u32),
                None if c == '/' => "/\u{200B}".to_string(),
                None => c.to_string(),
            })
            .collect()
    };
    let groups: Vec<Group> = crate::figures::report::grouped(diags)
        .into_iter()
        .map(|(file, list)| {
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|d| {
                    let place = [&d.sheet, &d.cell].into_iter().flatten().cloned().collect::<Vec<_>>().join("　");
                    vec![d.severity.label().to_string(), d.code.clone(), printable(&place), printable(&d.message)]
                })
                .collect();
            Group { file: printable(file), rows }
        })
        .collect();
    let pieces: Vec<Vec<String>> = c
        .pieces
        .iter()
        .map(|p| {
            let source = p.source.clone().unwrap_or_else(|| "未注明".into());
            vec![p.period.chinese(), p.kind.label().into(), printable(&p.title), printable(&source), p.chars().to_string(), printable(&p.file)]
        })
        .collect();
    let span = periods.map(|(a, b)| if a == b { a.chinese() } else { format!("{}—{}", a.chinese(), b.chinese()) });
    let subject = span.clone().map(|s| format!("报表数据校验报告（{s}）")).unwrap_or("报表数据校验报告".into());
    let data = View {
        meta: PdfMeta::new("数据校验报告", subject, office, &[&c.config.work, "数据校验报告"], ""),
        title: "数据校验报告",
        span: span.map(|s| format!("数据期间：{s}")).unwrap_or_default(),
        summary: crate::figures::report::summary(diags, c.files_read),
        board: board.map(|b| board_view(b, &printable)),
        xun: xun.map(xun_view),
        empty: diags.is_empty(),
        pieces,
        groups,
    };
    let generated = vec![("/data.json".to_string(), to_data_json(&data))];
    // Without reports, the plan's first day.
    let date = periods.map_or((c.plan.first_year(), 1, 1), |(_, b)| (b.year, b.month, b.last_day()));
    Prepared::new("数据校验报告", MAIN, TEMPLATES, generated, date)
}

fn board_view(b: &Board, printable: &dyn Fn(&str) -> String) -> BoardView {
    let months = usize::from(b.month);
    let header: Vec<String> = std::iter::once("乡镇".to_string()).chain((1..=months).map(|m| format!("{m}月"))).chain(["核实".to_string()]).collect();
    let rows: Vec<Vec<String>> = b
        .rows
        .iter()
        .map(|r| {
            let unknown = (!r.month_unknown.is_empty()).then(|| format!("（另有月份不明的文件{}份）", r.month_unknown.len()));
            std::iter::once(printable(&format!("{}{}", r.township, unknown.unwrap_or_default())))
                .chain(r.months.iter().take(months).map(|c| c.label()))
                .chain([String::new()])
                .collect()
        })
        .collect();
    let calls: Vec<Call> = b
        .calls
        .iter()
        .map(|c| {
            let contact = [c.contact.as_deref().map(|x| format!("联系人：{x}")), c.phone.as_deref().map(|x| format!("电话：{x}"))];
            let contact: Vec<String> = contact.into_iter().flatten().collect();
            Call {
                title: printable(&format!("{}（{}）　{}", c.township, c.status, if contact.is_empty() { "无联系人记录".into() } else { contact.join("　") })),
                // The PDF fonts have no ›: the place is separated by spaces, as in the tables below.
                problems: c.problems.iter().map(|p| printable(&p.replace(" › ", "　"))).collect(),
            }
        })
        .collect();
    BoardView {
        caption: format!("{}年各乡镇报送情况（截至{}月）", b.year, b.month),
        header,
        rows,
        legend: crate::office::status::legend(b),
        pieces: printable(&crate::office::status::pieces_line(b)),
        calls_title: format!("{}年{}月需要联系的乡镇", b.year, b.month),
        no_calls: crate::office::status::NO_CALLS,
        calls,
    }
}
