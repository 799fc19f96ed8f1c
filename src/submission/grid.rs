//! A worksheet as a plain grid of typed cells, independent of the file format, with the
//! absolute position of its first cell so that diagnostics show Excel's own A1 references.

use calamine::{Data, Range, Reader};
use std::io::Cursor;

use super::normalize::clean_text;
use crate::diag::a1;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Bool(bool),
    /// An Excel date serial.
    Date(f64),
    /// An error value such as `#DIV/0!`.
    Error(String),
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
            Cell::Number(n) | Cell::Date(n) => format_number(*n),
            Cell::Text(t) => clean_text(t),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Error(e) => e.clone(),
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

    pub fn row_is_blank(&self, row: usize) -> bool {
        self.rows.get(row).is_none_or(|r| r.iter().all(Cell::is_blank))
    }
}

/// An opened workbook: its sheets by name, in file order.
pub struct Workbook {
    pub sheets: Vec<Grid>,
}

/// Opens any supported format from bytes. The error is calamine's, for the diagnostic.
pub fn open(bytes: &[u8]) -> Result<Workbook, String> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let names = book.sheet_names().to_vec();
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| format!("工作表“{name}”：{e}"))?;
        sheets.push(grid_from_range(name, &range));
    }
    Ok(Workbook { sheets })
}

fn grid_from_range(name: String, range: &Range<Data>) -> Grid {
    let origin = range.start().unwrap_or((0, 0));
    let rows = range.rows().map(|r| r.iter().map(cell_from_data).collect()).collect();
    Grid { name, origin, rows }
}

fn cell_from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => Cell::Date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}
