//! A pre-check of legacy .xls files (BIFF8 in a compound file) before calamine reads them:
//! calamine lays each sheet out densely from its largest row and column, so one cell record
//! at row 65535 would cost hundreds of megabytes. We walk the records and refuse such files.

use std::io::{Cursor, Read};

use super::bounds::{limits, OpenError};
use crate::setup::inputs::limits::WORKBOOK;

/// BIFF record types that start with (row: u16, col: u16).
const CELL_RECORDS: &[u16] = &[
    0x0006, // FORMULA
    0x00BD, // MULRK (first col; last col at the end)
    0x00BE, // MULBLANK (likewise)
    0x00D6, // RSTRING
    0x00FD, // LABELSST
    0x0201, // BLANK
    0x0203, // NUMBER
    0x0204, // LABEL
    0x0205, // BOOLERR
    0x027E, // RK
];
const BOUNDSHEET: u16 = 0x0085;
/// DIMENSIONS: calamine reserves rows × columns cells from it before reading any cell.
const DIMENSIONS: u16 = 0x0200;
const EOF: u16 = 0x000A;

/// Refuses a compound file that the strict `cfb` crate cannot read (calamine's own reader
/// can loop on a cyclic sector chain until memory runs out), or whose cells reach beyond the
/// limits.
pub fn check(bytes: &[u8]) -> Result<(), OpenError> {
    let broken = |e: std::io::Error| OpenError::Unreadable(format!("文件结构损坏（{e}）"));
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(broken)?;
    let stream = ["/Workbook", "/Book"].into_iter().find(|p| cfb.is_stream(p));
    let Some(path) = stream else {
        return Err(OpenError::Unreadable("不是 Excel 工作簿（缺少 Workbook 数据流）".into()));
    };
    let mut data = Vec::new();
    let s = cfb.open_stream(path).map_err(broken)?;
    s.take(WORKBOOK * 2).read_to_end(&mut data).map_err(broken)?;
    walk(&data).map_err(OpenError::TooLarge)
}

/// Checks the whole stream in order, then each sheet's substream from the offset its
/// BOUNDSHEET record gives: calamine seeks there, and a hostile offset can start in the
/// middle of a record, where the sequential walk reads something else.
fn walk(data: &[u8]) -> Result<(), String> {
    let offsets = scan(data, 0)?;
    if offsets.len() > limits::SHEETS {
        return Err(format!("工作表超过上限 {} 个", limits::SHEETS));
    }
    for offset in offsets {
        if offset >= data.len() {
            return Err(format!("工作表位置 {offset} 超出数据流长度 {}", data.len()));
        }
        scan(data, offset)?;
    }
    Ok(())
}

/// Walks records from `start` to an EOF record (for a sheet) or the end of the stream,
/// checking cell positions and declared dimensions; returns the sheet offsets it saw.
fn scan(data: &[u8], start: usize) -> Result<Vec<usize>, String> {
    let mut offsets = Vec::new();
    let mut at = start;
    while at + 4 <= data.len() {
        let kind = u16::from_le_bytes([data[at], data[at + 1]]);
        let len = usize::from(u16::from_le_bytes([data[at + 2], data[at + 3]]));
        let body = &data[at + 4..(at + 4 + len).min(data.len())];
        at += 4 + len;
        if kind == BOUNDSHEET && body.len() >= 4 {
            offsets.push(u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize);
        }
        if kind == DIMENSIONS {
            check_dimensions(body)?;
        }
        if kind == EOF && start > 0 {
            break;
        }
        if !CELL_RECORDS.contains(&kind) || body.len() < 4 {
            continue;
        }
        let row = u32::from(u16::from_le_bytes([body[0], body[1]]));
        let mut col = u32::from(u16::from_le_bytes([body[2], body[3]]));
        if matches!(kind, 0x00BD | 0x00BE) && body.len() >= 6 {
            col = col.max(u32::from(u16::from_le_bytes([body[body.len() - 2], body[body.len() - 1]])));
        }
        if row >= limits::ROWS {
            return Err(format!("第 {} 行超过行数上限 {}", row + 1, limits::ROWS));
        }
        if col >= limits::COLUMNS {
            return Err(format!("第 {} 列超过列数上限 {}", col + 1, limits::COLUMNS));
        }
    }
    Ok(offsets)
}

/// The declared used range: last row + 1 and last column + 1 within the limits.
fn check_dimensions(body: &[u8]) -> Result<(), String> {
    let u16_at = |i: usize| u32::from(u16::from_le_bytes([body[i], body[i + 1]]));
    let u32_at = |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
    let (first_row, rows, first_col, cols) = match body.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return Ok(()),
    };
    if rows > limits::ROWS || first_row > rows {
        return Err(format!("声明的行数 {rows} 超过上限 {}", limits::ROWS));
    }
    if cols > limits::COLUMNS || first_col > cols {
        return Err(format!("声明的列数 {cols} 超过上限 {}", limits::COLUMNS));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend((body.len() as u16).to_le_bytes());
        r.extend(body);
        r
    }

    #[test]
    fn far_cells_are_refused_and_near_ones_pass() {
        let near = record(0x0203, &[3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(walk(&near).is_ok());
        let far_row = record(0x0203, &[0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert!(walk(&far_row).unwrap_err().contains("65536"));
        let far_mulblank = record(0x00BE, &[0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0]);
        assert!(walk(&far_mulblank).unwrap_err().contains("列"));
        let huge = record(0x0200, &[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0xFF, 0, 0, 0]);
        assert!(walk(&huge).unwrap_err().contains("行数"));
    }

    #[test]
    fn the_xls_fixture_passes() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/南村乡-2018-03.xls")).unwrap();
        assert!(check(&bytes).is_ok());
    }
}
