//! What a workbook may be (sheets, rows, columns, cells) and why one could not be opened:
//! shared by the reader (`grid`) and the .xls pre-check (`xls_guard`).

/// Limits that keep a hostile or broken workbook from hanging the tool or exhausting memory.
/// A township workbook is a few kilobytes with a few hundred rows (its size and a zip's are
/// limited where files are read: `inputs::limits`).
pub mod limits {
    pub const SHEETS: usize = 50;
    pub const ROWS: u32 = 5_000;
    pub const COLUMNS: u32 = 100;
    pub const CELLS: usize = 200_000;
}

/// Why a file could not be opened at all.
#[derive(Debug)]
pub enum OpenError {
    /// Too large or a zip bomb: (what, limit).
    TooLarge(String),
    /// Not readable as a spreadsheet (calamine's message).
    Unreadable(String),
}
