//! A small workbook writer (rust_xlsxwriter) for sample data and tests: sheets of rows.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Blank,
    Text(String),
    Number(f64),
    /// A date cell: the serial number as stored, shown in a date format (`yyyy-mm-dd`).
    DateSerial(f64),
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(f64::from(n))
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Value::Number(n)
    }
}

/// One worksheet: rows written from A1 down.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<Value>>,
    /// Zero-based rows to hide.
    pub hidden_rows: Vec<u32>,
}

impl Sheet {
    pub fn new(name: &str) -> Sheet {
        Sheet { name: name.to_string(), ..Sheet::default() }
    }

    pub fn row(&mut self, cells: Vec<Value>) -> &mut Sheet {
        self.rows.push(cells);
        self
    }
}

/// Writes the sheets as an .xlsx file. The document date is fixed so that output is reproducible.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2018, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("jianbao 示例数据"));
    let header = Format::new().set_bold().set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (r, row) in s.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    Value::Blank => {}
                    Value::Text(t) if t.ends_with("（人）") || t.ends_with("（万元）") => {
                        ws.write_string_with_format(r, c, t, &header)?;
                    }
                    Value::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Value::Number(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    Value::DateSerial(n) => {
                        ws.write_number_with_format(r, c, *n, &date)?;
                    }
                }
            }
        }
        for &r in &s.hidden_rows {
            ws.set_row_hidden(r)?;
        }
        let widths = s.rows.iter().map(Vec::len).max().unwrap_or(0);
        for c in 0..widths {
            ws.set_column_width(c as u16, if c == 0 { 16 } else { 12 })?;
        }
    }
    book.save_to_buffer()
}
