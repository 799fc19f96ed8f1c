//! `jianbao verify`: every archived file against the manifest (SHA-256 and SM3), and every
//! file an archived document carries against the manifest's record of it.

use std::path::Path;

use super::manifest::{Entry, Manifest};
use super::{attachments, folder, LOCK};
use crate::error::{Error, Result};
use crate::inputs::{sha256, sm3};

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Verified {
    pub listed: usize,
    pub missing: Vec<String>,
    pub altered: Vec<String>,
    pub unlisted: Vec<String>,
    /// Files carried by an archived document that differ from the manifest's record of them
    /// (or are missing from it): `2018/第01期-….pdf › 附件 plan.yaml`.
    pub mismatched: Vec<String>,
    /// There is no archive: no folder, or no manifest in it (never "完好").
    pub no_archive: bool,
    /// Temporary files left by an interrupted publication (`.jianbao-…`).
    pub leftovers: Vec<String>,
    /// Numbers missing in a series of a year: `2018年工作简报第2期`.
    pub gaps: Vec<String>,
}

impl Verified {
    pub fn is_clean(&self) -> bool {
        !self.no_archive
            && [&self.missing, &self.altered, &self.unlisted, &self.mismatched, &self.leftovers, &self.gaps].iter().all(|l| l.is_empty())
    }
}

/// Each series is numbered 1, 2, 3 … within a year: a number that is not there (an entry
/// deleted with its PDF) is a gap.
fn gaps(manifest: &Manifest) -> Vec<String> {
    let mut numbers: std::collections::BTreeMap<(u16, &str), Vec<u32>> = Default::default();
    for e in &manifest.entries {
        numbers.entry((e.year, e.series.as_str())).or_default().push(e.number);
    }
    let mut out = Vec::new();
    for ((year, series), mut ns) in numbers {
        ns.sort_unstable();
        let max = ns.last().copied().unwrap_or(0);
        out.extend((1..=max).filter(|n| ns.binary_search(n).is_err()).map(|n| format!("{year}年{series}第{n}期")));
    }
    out
}

/// Checks every archived file against the manifest: missing, altered and unlisted files.
pub fn verify(out: &Path) -> Result<Verified> {
    let archive = folder(out);
    let manifest = Manifest::load(&archive)?;
    let no_archive = !Manifest::path(&archive).is_file();
    let mut v = Verified { listed: manifest.entries.len(), no_archive, gaps: gaps(&manifest), ..Verified::default() };
    for e in &manifest.entries {
        match std::fs::read(crate::output::under(&archive, &e.file)) {
            Ok(bytes) if sha256(&bytes) == e.sha256 && (e.sm3.is_empty() || sm3(&bytes) == e.sm3) => {
                v.mismatched.extend(carried(e, &bytes)?.into_iter().map(|name| format!("{} › 附件 {name}", e.file)));
            }
            Ok(_) => v.altered.push(e.file.clone()),
            Err(_) => v.missing.push(e.file.clone()),
        }
    }
    if archive.is_dir() {
        for entry in walkdir::WalkDir::new(&archive).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io("读取归档目录", &archive, e.into()))?;
            let rel = crate::inputs::discover::relative(&archive, entry.path());
            let leftover = entry.file_name().to_string_lossy().starts_with(".jianbao-");
            if entry.file_type().is_file() && leftover {
                v.leftovers.push(rel);
            } else if entry.file_type().is_file() && rel != "manifest.json" && rel != LOCK && !manifest.entries.iter().any(|e| e.file == rel) {
                v.unlisted.push(rel);
            }
        }
    }
    Ok(v)
}

/// The files a document's record says it carries (its workbooks, pieces, plan and configuration) that
/// it does not carry as recorded: missing, or with another SHA-256 or SM3.
fn carried(e: &Entry, pdf: &[u8]) -> Result<Vec<String>> {
    let records: Vec<_> = e.inputs.iter().filter(|i| i.is_data()).collect();
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let attached = attachments(pdf).map_err(|err| Error::Archive { msg: format!("{}：{err}", e.file) })?;
    Ok(records
        .into_iter()
        .filter(|i| !attached.get(&i.path).is_some_and(|b| sha256(b) == i.sha256 && (i.sm3.is_empty() || sm3(b) == i.sm3)))
        .map(|i| i.path.clone())
        .collect())
}
