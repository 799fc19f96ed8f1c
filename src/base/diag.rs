//! Diagnostics: problems found in the data, collected as values and reported together.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a problem is. Errors stop an official build; warnings and notes do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    /// The Chinese label shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Note => "提示",
        }
    }
}

/// One problem in the data, located as precisely as we can: file › sheet › cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    /// Path relative to the data folder, with `/` separators.
    pub file: String,
    pub sheet: Option<String>,
    /// A1 notation as Excel shows it, or null.
    pub cell: Option<String>,
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, file: &str, message: impl Into<String>) -> Self {
        Diagnostic { severity, code: code.to_string(), file: file.to_string(), sheet: None, cell: None, message: message.into() }
    }

    pub fn error(code: &str, file: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, message)
    }

    pub fn warning(code: &str, file: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, file, message)
    }

    pub fn note(code: &str, file: &str, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, file, message)
    }

    pub fn at_sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.to_string());
        self
    }

    pub fn at_cell(mut self, sheet: &str, cell: String) -> Self {
        self.sheet = Some(sheet.to_string());
        self.cell = Some(cell);
        self
    }

    /// A warning whose reading changes a figure (a merged range's value counted in every row
    /// it covers): the township is phoned about it, and it is said in every month's file.
    pub fn changes_figures(&self) -> bool {
        self.severity == Severity::Warning && self.code == "W-MERGED"
    }

    /// `file › sheet › cell`, as far as it is known.
    pub fn location(&self) -> String {
        let mut s = self.file.clone();
        for part in [&self.sheet, &self.cell].into_iter().flatten() {
            s.push_str(" › ");
            s.push_str(part);
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}  {}\n     {}", self.severity.label(), self.code, self.location(), self.message)
    }
}

/// A1 notation of a zero-based (row, column) position: (0, 0) is `A1`.
pub fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(b'A' + rem as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8(letters).expect("ascii"), row + 1)
}

/// Counts by severity.
/// A typed value quoted in a message: as typed, or its first 30 characters and how long it
/// is, so that a cell pasted full of text makes a readable message.
pub fn quote(typed: &str) -> String {
    const SHOWN: usize = 30;
    let chars = typed.chars().count();
    if chars <= SHOWN {
        return typed.to_string();
    }
    format!("{}…（共{chars}字）", typed.chars().take(SHOWN).collect::<String>())
}

pub fn count(diags: &[Diagnostic], severity: Severity) -> usize {
    diags.iter().filter(|d| d.severity == severity).count()
}

pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_notation() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 4), "E7");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn display_names_file_sheet_cell() {
        let d = Diagnostic::error("E-NUMBER", "2019-03/南村乡.xlsx", "应为数字").at_cell("村级进度", "E7".into());
        assert_eq!(d.to_string(), "错误 E-NUMBER  2019-03/南村乡.xlsx › 村级进度 › E7\n     应为数字");
    }
}
