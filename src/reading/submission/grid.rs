//! A worksheet as a plain grid of typed cells, independent of the file format, with the
//! absolute position of its first cell so that diagnostics show Excel's own A1 references.

use calamine::{Data, Reader};
use std::io::Cursor;

pub use super::bounds::{limits, OpenError};
use super::normalize::clean_text;
use crate::base::diag::a1;
use crate::setup::inputs::limits::{UNZIPPED, WORKBOOK, ZIP_ENTRIES};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// A date cell, as calamine read it: it knows its workbook's epoch (1900 or 1904).
    Date(calamine::ExcelDateTime),
    /// An error value such as `#DIV/0!`.
    Error(String),
    /// A formula whose result was never saved (the file was not recalculated in Excel/WPS).
    NoCache(String),
}

impl Cell {
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => clean_text(t).is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a person would read it (`12` rather than `12.0`).
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Number(n) => format_number(*n),
            Cell::Date(d) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                format!("{y}-{m:02}-{day:02}")
            }
            Cell::Text(t) => clean_text(t),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Error(e) => e.clone(),
            Cell::NoCache(_) => String::new(),
        }
    }
}

pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One worksheet's used range.
#[derive(Debug, Clone)]
pub struct Grid {
    pub name: String,
    /// Zero-based absolute (row, column) of `rows[0][0]`.
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Cell>>,
    /// The workbook counts dates from 1904 (Excel for Mac, some WPS settings).
    pub is_1904: bool,
    /// Merged ranges, absolute zero-based ((first row, first column), (last row, last column)):
    /// the file holds a value only in each one's first cell.
    pub merged: Vec<((u32, u32), (u32, u32))>,
}

static EMPTY: Cell = Cell::Empty;

impl Grid {
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// Excel's reference for a grid position.
    pub fn a1(&self, row: usize, col: usize) -> String {
        a1(self.origin.0 + row as u32, self.origin.1 + col as u32)
    }

    /// Excel's row number for a grid row.
    pub fn row_number(&self, row: usize) -> u32 {
        self.origin.0 + row as u32 + 1
    }

    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// Year, month and day of a date cell, or of a number that is a plausible date serial
    /// (a date whose format was lost), counted from the workbook's own epoch by calamine.
    pub fn date(&self, row: usize, col: usize) -> Option<(u16, u8, u8)> {
        let dt = match self.cell(row, col) {
            Cell::Date(d) if d.is_datetime() => *d,
            Cell::Number(n) if (20_000.0..80_000.0).contains(n) => calamine::ExcelDateTime::new(*n, calamine::ExcelDateTimeType::DateTime, self.is_1904),
            _ => return None,
        };
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        Some((y, m, d))
    }

    pub fn row_is_blank(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(|r| r.iter().all(Cell::is_blank))
    }
}

/// An opened workbook: its sheets in file order, and sheets cut short by the limits.
pub struct Workbook {
    pub sheets: Vec<Grid>,
    /// Dates count from 1904 (every sheet's `Grid::is_1904`).
    pub is_1904: bool,
    /// Sheets that exceeded `limits::ROWS`, `COLUMNS` or `CELLS`: (sheet, what).
    pub truncated: Vec<(String, String)>,
}

/// Opens any supported format from bytes, within the limits. Only sheets for which `wanted`
/// is true are read; the others are listed by name with no cells. A panic inside the
/// spreadsheet parser on malformed input (seen while fuzzing calamine's .xls reader) is
/// caught and reported as an unreadable file, so that every other file is still read.
pub fn open(bytes: &[u8], wanted: &dyn Fn(&str) -> bool) -> Result<Workbook, OpenError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_within_limits(bytes, wanted)))
        .unwrap_or_else(|_| Err(OpenError::Unreadable("文件内容无法解析".into())))
}

fn open_within_limits(bytes: &[u8], wanted: &dyn Fn(&str) -> bool) -> Result<Workbook, OpenError> {
    if bytes.len() as u64 > WORKBOOK {
        return Err(OpenError::TooLarge(format!("文件大小 {} 字节，超过上限 {} 字节", bytes.len(), WORKBOOK)));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        super::xls_guard::check(bytes)?;
    }
    if bytes.starts_with(b"PK") {
        check_zip(bytes)?;
        if let Ok(mut xlsx) = calamine::Xlsx::new(Cursor::new(bytes)) {
            return open_xlsx(&mut xlsx, wanted);
        }
    }
    // calamine's own messages are English: the office is told in Chinese what it can act on.
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| OpenError::Unreadable("文件内容无法解析".into()))?;
    let names = book.sheet_names().to_vec();
    let is_1904 = match &book {
        calamine::Sheets::Xls(x) => x.has_1904_epoch(),
        calamine::Sheets::Xlsx(x) => x.has_1904_epoch(),
        _ => false,
    };
    read_sheets(names, is_1904, wanted, |name| read_range_sheet(&mut book, name))
}

/// Reads the wanted sheets with `read`; the others are kept by name only.
fn read_sheets(
    names: Vec<String>,
    is_1904: bool,
    wanted: &dyn Fn(&str) -> bool,
    mut read: impl FnMut(&str) -> Result<SparseGrid, OpenError>,
) -> Result<Workbook, OpenError> {
    check_sheet_count(names.len())?;
    let mut out = Workbook { sheets: Vec::new(), is_1904, truncated: Vec::new() };
    for name in names {
        let grid = if wanted(&name) { read(&name)? } else { SparseGrid::new(&name) };
        out.finish(grid);
    }
    Ok(out)
}

fn unreadable(name: &str, _calamine_says: impl std::fmt::Display) -> OpenError {
    OpenError::Unreadable(format!("工作表“{name}”的内容无法解析"))
}

/// .xls and .ods: calamine's ranges of values and of formulas.
fn read_range_sheet<R: std::io::Read + std::io::Seek>(book: &mut calamine::Sheets<R>, name: &str) -> Result<SparseGrid, OpenError> {
    let range = book.worksheet_range(name).map_err(|e| unreadable(name, e))?;
    let formulas = book.worksheet_formula(name).ok();
    let mut grid = SparseGrid::new(name);
    if let calamine::Sheets::Xls(xls) = book {
        grid.merged = xls.merge_cells_by_sheet_name(name).unwrap_or_default().iter().map(|d| (d.start, d.end)).collect();
    }
    let at = |start: Option<(u32, u32)>, r: usize, c: usize| {
        let (r0, c0) = start.unwrap_or((0, 0));
        (r0 + r as u32, c0 + c as u32)
    };
    for (r, c, v) in range.used_cells() {
        let (row, col) = at(range.start(), r, c);
        if !grid.push(row, col, cell_from_data(v)) {
            return Ok(grid);
        }
    }
    if let Some(f) = formulas {
        for (r, c, formula) in f.used_cells() {
            let (row, col) = at(f.start(), r, c);
            if !formula.is_empty() && range.get_value((row, col)).is_none_or(|v| *v == Data::Empty) {
                grid.push(row, col, Cell::NoCache(formula.clone()));
            }
        }
    }
    Ok(grid)
}

fn check_sheet_count(n: usize) -> Result<(), OpenError> {
    if n > limits::SHEETS {
        return Err(OpenError::TooLarge(format!("共 {n} 个工作表，超过上限 {} 个", limits::SHEETS)));
    }
    Ok(())
}

/// Refuses zip archives whose declared contents are too many or too large (zip bombs).
fn check_zip(bytes: &[u8]) -> Result<(), OpenError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else { return Ok(()) };
    if zip.len() > ZIP_ENTRIES {
        return Err(OpenError::TooLarge(format!("压缩包内有 {} 个文件，超过上限 {} 个", zip.len(), ZIP_ENTRIES)));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip.by_index_raw(i).map(|f| f.size()).unwrap_or(0);
        total = total.saturating_add(size);
    }
    if total > UNZIPPED {
        return Err(OpenError::TooLarge(format!("解压后 {total} 字节，超过上限 {} 字节（疑为压缩炸弹）", UNZIPPED)));
    }
    Ok(())
}

fn open_xlsx(xlsx: &mut calamine::Xlsx<Cursor<&[u8]>>, wanted: &dyn Fn(&str) -> bool) -> Result<Workbook, OpenError> {
    let names = xlsx.sheet_names().to_vec();
    let is_1904 = xlsx.has_1904_epoch();
    read_sheets(names, is_1904, wanted, |name| {
        // Streamed cell by cell, so a far-away cell costs nothing before the limits stop it.
        let merged: Vec<((u32, u32), (u32, u32))> = xlsx.merge_cells_by_sheet_name(name).unwrap_or_default().iter().map(|d| (d.start, d.end)).collect();
        let mut reader = xlsx.worksheet_cells_reader(name).map_err(|e| unreadable(name, e))?;
        let mut grid = SparseGrid::new(name);
        grid.merged = merged;
        while let Some(c) = reader.next_cell_with_formula().map_err(|e| unreadable(name, e))? {
            let value = match (c.value, c.formula) {
                (calamine::DataRef::Empty, Some(f)) if !f.is_empty() => Cell::NoCache(f),
                (v, _) => cell_from_data(&Data::from(v)),
            };
            if !grid.push(c.pos.0, c.pos.1, value) {
                break;
            }
        }
        Ok(grid)
    })
}

/// Cells collected sparsely with the limits enforced, then laid out as a dense grid of the
/// used range (bounded by `limits::ROWS × limits::COLUMNS`).
struct SparseGrid {
    name: String,
    cells: Vec<(u32, u32, Cell)>,
    truncated: Option<String>,
    merged: Vec<((u32, u32), (u32, u32))>,
}

impl SparseGrid {
    fn new(name: &str) -> Self {
        SparseGrid { name: name.to_string(), cells: Vec::new(), truncated: None, merged: Vec::new() }
    }

    /// Adds a cell; `false` once a limit is reached (the rest of the sheet is not read).
    fn push(&mut self, row: u32, col: u32, cell: Cell) -> bool {
        if cell == Cell::Empty {
            return true;
        }
        let over = if row >= limits::ROWS {
            Some(format!("第 {} 行超过行数上限 {}", row + 1, limits::ROWS))
        } else if col >= limits::COLUMNS {
            Some(format!("第 {} 列超过列数上限 {}", col + 1, limits::COLUMNS))
        } else if self.cells.len() >= limits::CELLS {
            Some(format!("非空单元格超过上限 {}", limits::CELLS))
        } else {
            None
        };
        if let Some(what) = over {
            self.truncated = Some(what);
            return false;
        }
        self.cells.push((row, col, cell));
        true
    }
}

impl Workbook {
    fn finish(&mut self, g: SparseGrid) {
        if let Some(what) = g.truncated {
            self.truncated.push((g.name.clone(), what));
        }
        let r0 = g.cells.iter().map(|c| c.0).min().unwrap_or(0);
        let c0 = g.cells.iter().map(|c| c.1).min().unwrap_or(0);
        let height = g.cells.iter().map(|c| c.0 - r0 + 1).max().unwrap_or(0) as usize;
        let width = g.cells.iter().map(|c| c.1 - c0 + 1).max().unwrap_or(0) as usize;
        let mut rows = vec![vec![Cell::Empty; width]; height];
        for (r, c, cell) in g.cells {
            rows[(r - r0) as usize][(c - c0) as usize] = cell;
        }
        self.sheets.push(Grid { name: g.name, origin: (r0, c0), rows, is_1904: self.is_1904, merged: g.merged });
    }
}

fn cell_from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => Cell::Date(*dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}
