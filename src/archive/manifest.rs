//! `out/archive/manifest.json`: one entry per published document, with the SHA-256 of its PDF
//! and of every input, template and font that went into it. Only ever appended to, and
//! written atomically.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::output;

const FORMAT: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub entries: Vec<Entry>,
}

/// One published document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// 工作简报 or 季度汇总: each series is numbered within the year.
    pub series: String,
    pub number: u32,
    pub year: u16,
    /// `2018-03` or `2018-Q1`.
    pub period: String,
    pub title: String,
    /// 签发日期, `YYYY-MM-DD`.
    pub published: String,
    /// Relative to the archive folder: `2018/第03期-….pdf`.
    pub file: String,
    pub sha256: String,
    /// The number this one corrects, for a correction.
    pub corrects: Option<u32>,
    /// The jianbao version that made it.
    pub jianbao: String,
    pub inputs: Vec<Input>,
}

/// A file that went into a document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Input {
    /// workbook, plan, config, template or font.
    pub kind: String,
    /// Relative to its folder (data, templates, fonts), or a full path for an installed font.
    pub path: String,
    pub sha256: String,
}

impl Manifest {
    pub fn path(archive: &Path) -> PathBuf {
        archive.join("manifest.json")
    }

    /// The manifest of `archive`; empty if there is none yet.
    pub fn load(archive: &Path) -> Result<Manifest> {
        let path = Manifest::path(archive);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| Error::Archive {
                    msg: format!("归档清单 {} 无法读取（{e}），请勿手工修改该文件", path.display()),
                })?;
                Ok(m)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest { format: FORMAT, entries: Vec::new() }),
            Err(e) => Err(Error::io("读取归档清单", &path, e)),
        }
    }

    pub fn save(&self, archive: &Path) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(self).expect("serialisable");
        output::write_atomic(&Manifest::path(archive), &bytes)
    }

    /// The latest entry of a series for a period (a correction supersedes what it corrects).
    pub fn latest(&self, series: &str, period: &str) -> Option<&Entry> {
        self.entries.iter().filter(|e| e.series == series && e.period == period).max_by_key(|e| e.number)
    }

    /// The number the next document of a series gets in `year`.
    pub fn next_number(&self, series: &str, year: u16) -> u32 {
        self.entries.iter().filter(|e| e.series == series && e.year == year).map(|e| e.number).max().unwrap_or(0) + 1
    }
}

/// What differs between the inputs of a published document and the current ones, in words.
pub fn changes(before: &Entry, now: &[Input], version: &str) -> Vec<String> {
    let mut out = Vec::new();
    for i in now {
        match before.inputs.iter().find(|b| b.kind == i.kind && b.path == i.path) {
            None => out.push(format!("新增 {}", i.path)),
            Some(b) if b.sha256 != i.sha256 => out.push(format!("已修改 {}", i.path)),
            Some(_) => {}
        }
    }
    for b in &before.inputs {
        if !now.iter().any(|i| i.kind == b.kind && i.path == b.path) {
            out.push(format!("已删除 {}", b.path));
        }
    }
    if before.jianbao != version {
        out.push(format!("jianbao 版本 {} → {version}", before.jianbao));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, sha: &str) -> Input {
        Input { kind: "workbook".into(), path: path.into(), sha256: sha.into() }
    }

    #[test]
    fn changes_name_each_file() {
        let before = Entry {
            series: "工作简报".into(),
            number: 3,
            year: 2018,
            period: "2018-03".into(),
            title: String::new(),
            published: "2018-04-05".into(),
            file: String::new(),
            sha256: String::new(),
            corrects: None,
            jianbao: "0.1.0".into(),
            inputs: vec![input("a.xlsx", "1"), input("b.xlsx", "2")],
        };
        let now = [input("a.xlsx", "9"), input("c.xlsx", "3")];
        assert_eq!(changes(&before, &now, "0.1.0"), ["已修改 a.xlsx", "新增 c.xlsx", "已删除 b.xlsx"]);
        assert!(changes(&before, &before.inputs, "0.1.0").is_empty());
        assert_eq!(changes(&before, &before.inputs, "0.2.0"), ["jianbao 版本 0.1.0 → 0.2.0"]);
    }
}
