//! `汇总表.xlsx`: a month's tables (townships, deep-poverty villages, 统筹整合 projects,
//! indicators) as a formatted workbook for offices that ask for Excel. Numbers are numbers,
//! percentages are fractions shown with a percent format; text is written as text, never as
//! a formula. Reproducible: the document date is the month's last day.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::base::error::{Error, Result};
use crate::figures::aggregate::{MonthFigures, Status};
use crate::office::xun_board::{XunBoard, XunCell};

/// One cell of a table.
enum Cell {
    Text(String),
    Count(Option<i64>),
    Amount(f64),
    /// Percent, as the figures hold it (25.1 for 25.1 %).
    Pct(Option<f64>),
    Number(f64),
    /// Text on a coloured background (RGB): a status on the 报送情况 board.
    Marked(String, u32),
}

impl Cell {
    fn count(n: impl Into<i64>) -> Cell {
        Cell::Count(Some(n.into()))
    }

    fn count_opt(n: Option<u32>) -> Cell {
        Cell::Count(n.map(i64::from))
    }
}

struct Table<'a> {
    sheet: &'static str,
    title: String,
    header: Vec<&'a str>,
    rows: Vec<Vec<Cell>>,
}

/// The workbook bytes.
pub fn month(f: &MonthFigures, draft: bool) -> Result<Vec<u8>> {
    write(f, draft).map_err(|e| xlsx_error("汇总表.xlsx", e)).and_then(portable)
}

/// The same workbook with the same bytes on every machine: the zip writer records the system
/// that made each entry (Unix on Linux, MS-DOS on Windows), so the package is written again
/// with that field fixed (Unix), the entries' contents, names, order, times and permissions
/// unchanged. Every workbook jianbao writes goes through here.
pub fn portable(xlsx: Vec<u8>) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let err = |e: &dyn std::fmt::Display| Error::Workbook { name: "xlsx".into(), msg: e.to_string() };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).map_err(|e| err(&e))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| err(&e))?;
        let name = entry.name().map_err(|e| err(&e))?.to_string();
        let options = zip::write::SimpleFileOptions::default()
            .system(zip::System::Unix)
            .compression_method(entry.compression())
            // What rust_xlsxwriter writes; read back from an MS-DOS entry it would differ.
            .unix_permissions(0o600)
            .last_modified_time(entry.last_modified().unwrap_or_default());
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| err(&e))?;
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(&bytes).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

/// `报送情况-<年>年.xlsx`: the board (one sheet, statuses as text on coloured cells), the call
/// list (contacts as text) and, when townships send 旬 workbooks that year, who sent which 旬.
/// Reproducible: the document date is the board's month's last day.
pub fn board(b: &crate::office::status::Board, xun: Option<&XunBoard>) -> Result<Vec<u8>> {
    write_board(b, xun).map_err(|e| xlsx_error("报送情况.xlsx", e)).and_then(portable)
}

/// The sheet of who sent which 旬 (`xun_board`): each township's three 旬, and what to phone it about.
fn xun_sheet(x: &XunBoard) -> Table<'static> {
    let colour = |c: &XunCell| match c {
        XunCell::Sent => 0xC6EFCE,
        XunCell::Errors(_) | XunCell::Missing | XunCell::Late => 0xFFC7CE,
        XunCell::NotDue => 0xFFFFFF,
    };
    let rows = x
        .rows
        .iter()
        .map(|(t, cells)| {
            let call = crate::office::xun_board::what_to_say(x.month, cells).unwrap_or_default();
            let mut line = vec![Cell::Text(t.clone())];
            line.extend(cells.iter().map(|c| Cell::Marked(c.label(), colour(c))));
            line.push(Cell::Text(call));
            line
        })
        .collect();
    let title = format!("{}旬报表报送情况", x.month.chinese());
    Table { sheet: "旬报表报送情况", title, header: vec!["乡镇", "上旬", "中旬", "下旬", "需要联系"], rows }
}

/// A failure of the workbook writer, told as what it is: a system failure (a full disk) in
/// Chinese, else the writer's own words.
pub fn xlsx_error(name: &str, e: XlsxError) -> Error {
    let msg = match &e {
        XlsxError::IoError(io) => crate::base::error::io_reason(io),
        _ => e.to_string(),
    };
    Error::Workbook { name: name.into(), msg }
}

/// The background of a status: green when done, yellow to look at, red to act on.
fn colour(c: &crate::office::status::Cell) -> u32 {
    use crate::office::status::Cell as S;
    match c {
        S::Reported { .. } => 0xC6EFCE,
        S::Warnings { .. } | S::Carried { .. } => 0xFFEB9C,
        S::Errors { .. } | S::Unreadable { .. } | S::Duplicate { .. } | S::Late { .. } | S::Missing => 0xFFC7CE,
        S::NotDue | S::Empty | S::BeforeStart => 0xFFFFFF,
    }
}

fn write_board(b: &crate::office::status::Board, xun: Option<&XunBoard>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let at = crate::base::period::Period::new(b.year, b.month).expect("a board's month");
    let date = ExcelDateTime::from_ymd(at.year, at.month, at.last_day())?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&date).set_title(format!("{}年报送情况", b.year)));
    // The columns up to the board's own (months after it are not yet due).
    let due = crate::office::status::own_column(b).map_or(0, |i| i + 1);
    let months: Vec<String> = b.columns.iter().take(due).map(|s| s.short()).collect();
    let mut header: Vec<&str> = vec!["乡镇"];
    header.extend(months.iter().map(String::as_str));
    header.extend(["月份不明", "本月稿件", "核实"]);
    let rows = b
        .rows
        .iter()
        .map(|r| {
            let mut line = vec![Cell::Text(r.township.clone())];
            line.extend(r.months.iter().take(due).map(|c| Cell::Marked(c.label(), colour(c))));
            line.push(Cell::Text(r.month_unknown.join("、")));
            line.push(Cell::Text(if r.pieces > 0 { format!("{}篇", r.pieces) } else { String::new() }));
            line.push(Cell::Text(String::new()));
            line
        })
        .collect();
    let board = Table { sheet: "报送情况", title: format!("{}年报送情况（截至{}月）", b.year, b.month), header, rows };
    let calls = b
        .calls
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.township.clone()),
                Cell::Text(c.status.clone()),
                Cell::Text(c.contact.clone().unwrap_or_default()),
                Cell::Text(c.phone.clone().unwrap_or_default()),
                Cell::Text(c.problems.join("\n")),
            ]
        })
        .collect();
    let calls = Table {
        sheet: "电话清单",
        title: format!("{}年{}月需要联系的乡镇", b.year, b.month),
        header: vec!["乡镇", "情况", "联系人", "联系电话", "需要改正的问题"],
        rows: calls,
    };
    for t in [board, calls].into_iter().chain(xun.filter(|x| x.month.year == b.year).map(xun_sheet)) {
        table(book.add_worksheet(), &t)?;
    }
    book.save_to_buffer()
}

/// A draft's workbook says so in its title and above every table (草稿).
fn write(f: &MonthFigures, draft: bool) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(f.period.year, f.period.month, f.period.last_day())?;
    let mark = if draft { "（草稿）" } else { "" };
    book.set_properties(&DocProperties::new().set_creation_datetime(&date).set_title(format!("{}汇总表{mark}", f.period.chinese())));
    for mut t in [townships(f), villages(f), projects(f), indicators(f)] {
        t.title.push_str(mark);
        table(book.add_worksheet(), &t)?;
    }
    book.save_to_buffer()
}

/// A percentage (at most four decimals, as the figures carry it) as the fraction a cell stores:
/// 91.3 → 0.913, never 0.9129999999999999 (the nearest double to the decimal written).
fn fraction(pct: f64) -> f64 {
    (pct * 10_000.0).round() / 1_000_000.0
}

fn table(ws: &mut Worksheet, t: &Table<'_>) -> Result<(), XlsxError> {
    let border = Format::new().set_border(FormatBorder::Thin);
    let head = border.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap();
    let text = border.clone();
    let count = border.clone().set_num_format("#,##0");
    let amount = border.clone().set_num_format("#,##0.00");
    let pct = border.clone().set_num_format("0.0%");
    let number = border.clone().set_num_format("#,##0.##");
    ws.set_name(t.sheet)?;
    ws.write_string_with_format(0, 0, &t.title, &Format::new().set_bold().set_font_size(14))?;
    for (c, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &head)?;
        ws.set_column_width(c as u16, if c < 3 { 16 } else { 12 })?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 2;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => ws.write_string_with_format(r, c, s, &text)?,
                Cell::Count(Some(n)) => ws.write_number_with_format(r, c, *n as f64, &count)?,
                Cell::Amount(x) => ws.write_number_with_format(r, c, *x, &amount)?,
                Cell::Pct(Some(p)) => ws.write_number_with_format(r, c, fraction(*p), &pct)?,
                Cell::Number(x) => ws.write_number_with_format(r, c, *x, &number)?,
                Cell::Count(None) | Cell::Pct(None) => ws.write_blank(r, c, &text)?,
                Cell::Marked(s, rgb) => ws.write_string_with_format(r, c, s, &text.clone().set_background_color(*rgb).set_align(FormatAlign::Center))?,
            };
        }
    }
    ws.set_freeze_panes(2, 0)?;
    Ok(())
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Reported => "已报送",
        Status::CarriedForward => "未报送（沿用）",
        Status::Missing => "未报送",
        Status::Unverified => "有误（数据待核）",
    }
}

fn townships(f: &MonthFigures) -> Table<'static> {
    let mut rows: Vec<Vec<Cell>> = f
        .townships
        .iter()
        .map(|t| {
            vec![
                Cell::Text(t.name.clone()),
                Cell::Text(status(t.status).into()),
                Cell::count(t.poor_at_start),
                Cell::count_opt(t.lifted_this_month),
                Cell::count(t.lifted_to_date),
                Cell::Pct(t.progress_pct),
                Cell::count(t.exited_this_year),
                Cell::count(t.exited_total),
                Cell::Amount(t.planned_wan),
                Cell::Amount(t.disbursed_wan),
                Cell::Pct(t.disbursement_pct),
                Cell::count_opt(t.rank),
            ]
        })
        .collect();
    let c = &f.county;
    rows.push(vec![
        Cell::Text("全县合计".into()),
        Cell::Text(String::new()),
        Cell::count(c.poor_at_start),
        Cell::count(c.lifted_this_month),
        Cell::count(c.lifted_to_date),
        Cell::Pct(c.progress_pct),
        Cell::count(c.exited_this_year),
        Cell::count(c.exited_total),
        Cell::Amount(c.planned_wan),
        Cell::Amount(c.disbursed_wan),
        Cell::Pct(c.disbursement_pct),
        Cell::Count(None),
    ]);
    Table {
        sheet: "乡镇进展",
        title: format!("各乡镇{}脱贫进展（单位：人、个、万元）", f.period.chinese()),
        header: vec![
            "乡镇",
            "报送情况",
            "年初贫困人口",
            "本月脱贫",
            "本年累计脱贫",
            f.ranked_by.label(),
            "本年出列村数",
            "累计出列村数",
            "计划投资",
            "累计拨付",
            "资金拨付率",
            "排名",
        ],
        rows,
    }
}

fn villages(f: &MonthFigures) -> Table<'static> {
    let rows = f
        .deep_villages
        .iter()
        .map(|v| {
            vec![
                Cell::Text(v.township.clone()),
                Cell::Text(v.name.clone()),
                Cell::Text(if v.focus { "是" } else { "" }.into()),
                Cell::count_opt(v.population),
                Cell::count_opt(v.poor_at_start),
                Cell::count_opt(v.remaining_poor),
                Cell::Pct(v.incidence_pct),
                Cell::Text(if v.exited { "是" } else { "否" }.into()),
                Cell::Text(v.remark.clone()),
            ]
        })
        .collect();
    Table {
        sheet: "深度贫困村",
        title: "深度贫困村脱贫进展（单位：人）".into(),
        header: vec!["乡镇", "村名", "重点村", "户籍人口", "年初贫困人口", "剩余贫困人口", "贫困发生率", "已出列", "备注"],
        rows,
    }
}

fn projects(f: &MonthFigures) -> Table<'static> {
    let rows = f
        .deep_projects
        .iter()
        .map(|p| {
            vec![
                Cell::Text(p.township.clone()),
                Cell::Text(p.name.clone()),
                Cell::Text(p.village.clone()),
                Cell::Text(p.category.clone().unwrap_or_default()),
                Cell::Amount(p.planned_wan),
                Cell::Amount(p.disbursed_wan),
                Cell::Pct(p.disbursement_pct),
                Cell::Text(p.status.clone().unwrap_or_default()),
            ]
        })
        .collect();
    Table {
        sheet: "统筹整合项目",
        title: "统筹整合资金投向深度贫困村的项目（单位：万元）".into(),
        header: vec!["乡镇", "项目名称", "所在村", "项目类别", "计划投资", "累计拨付", "拨付率", "状态"],
        rows,
    }
}

fn indicators(f: &MonthFigures) -> Table<'static> {
    let rows = f
        .indicators
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.name.clone()),
                Cell::Text(i.unit.clone()),
                Cell::Text(i.section.clone()),
                Cell::Number(i.year_to_date),
                Cell::Number(i.value),
                i.target.map_or(Cell::Text(String::new()), Cell::Number),
                Cell::Text(i.target_span.clone().unwrap_or_default()),
                Cell::Pct(i.completion_pct),
                Cell::Pct(i.time_progress_pct),
                Cell::Text(if i.behind_schedule { "是" } else { "" }.into()),
            ]
        })
        .collect();
    Table {
        sheet: "专项指标",
        title: format!("专项指标完成情况（截至{}）", f.period.chinese()),
        header: vec!["指标名称", "单位", "规划章节", "本年累计", "计入目标的完成值", "目标", "目标期间", "完成率", "时序进度", "落后于时序进度"],
        rows,
    }
}

/// `公示/<年>/公示清单-<年>年.xlsx`: every project's notices (`lines`: 乡镇, 所在村, 项目名称, 首次报送,
/// 项目状态, 项目公示, 项目公告) and the county's 公示 (`funds`).
pub fn notice_list(year: u16, lines: &[[String; 7]], funds: &str, draft: bool) -> Result<Vec<u8>> {
    write_notice_list(year, lines, funds, draft).map_err(|e| xlsx_error("公示清单.xlsx", e)).and_then(portable)
}

fn write_notice_list(year: u16, lines: &[[String; 7]], funds: &str, draft: bool) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mark = if draft { "（草稿）" } else { "" };
    let date = ExcelDateTime::from_ymd(year, 12, 31)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&date).set_title(format!("{year}年公示清单{mark}")));
    let county = Table {
        sheet: "资金公示",
        title: format!("{year}年度资金分配使用情况公示{mark}"),
        header: vec!["文件", "情况"],
        rows: vec![vec![Cell::Text("资金分配使用情况公示".into()), Cell::Text(funds.into())]],
    };
    let header = vec!["序号", "乡镇", "所在村", "项目名称", "首次报送", "项目状态", "项目公示", "项目公告"];
    let rows =
        lines.iter().enumerate().map(|(i, l)| std::iter::once(Cell::count(i as i64 + 1)).chain(l.iter().map(|s| Cell::Text(s.clone()))).collect()).collect();
    let projects = Table { sheet: "项目公示公告", title: format!("{year}年项目公示、公告清单{mark}"), header, rows };
    for t in [projects, county] {
        table(book.add_worksheet(), &t)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::portable;
    use std::io::{Read, Write};

    /// The same package as written on another system (the zip field "made by").
    fn made_on(xlsx: &[u8], system: zip::System) -> Vec<u8> {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut e = zip.by_index(i).unwrap();
            let name = e.name().unwrap().to_string();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            out.start_file(name, zip::write::SimpleFileOptions::default().system(system).unix_permissions(0o600)).unwrap();
            out.write_all(&bytes).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    #[test]
    fn a_workbook_has_the_same_bytes_whichever_system_wrote_it() {
        let sheet = crate::setup::sample::xlsx::Sheet { name: "表".into(), rows: vec![vec!["村名".into(), 12.0.into()]], hidden_rows: vec![] };
        let xlsx = crate::setup::sample::xlsx::write(&[sheet]).unwrap();
        let (unix, dos) = (made_on(&xlsx, zip::System::Unix), made_on(&xlsx, zip::System::Dos));
        assert!(unix != dos, "the field differs as written");
        assert!(portable(unix.clone()).unwrap() == portable(dos).unwrap(), "the same bytes after portable()");
        // The contents are unchanged.
        let mut a = zip::ZipArchive::new(std::io::Cursor::new(portable(unix).unwrap())).unwrap();
        let mut b = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
        assert_eq!(a.len(), b.len());
        for i in 0..a.len() {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            a.by_index(i).unwrap().read_to_end(&mut x).unwrap();
            b.by_index(i).unwrap().read_to_end(&mut y).unwrap();
            assert_eq!(x, y);
        }
    }
}
