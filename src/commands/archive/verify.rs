//! `jianbao verify`: every archived file against the manifest (SHA-256 and SM3), and every
//! file an archived document carries against the manifest's record of it.

use std::path::Path;

use std::collections::BTreeMap;

use super::manifest::{Entry, Manifest};
use super::{attachments, folder, ENTRY, LOCK};
use crate::base::error::{Error, Result};
use crate::setup::inputs::{sha256, sm3};

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
    /// Entries that do not link to the one before them (an entry removed, inserted, reordered
    /// or edited): `第3条 2018/第03期-….pdf`.
    pub unlinked: Vec<String>,
    /// Fields of an entry that differ from the entry its PDF carries: `2018/第01期-….pdf 的 期号（清单 7，文件 1）`.
    pub edited: Vec<String>,
}

impl Verified {
    pub fn is_clean(&self) -> bool {
        !self.no_archive
            && [&self.missing, &self.altered, &self.unlisted, &self.mismatched, &self.leftovers, &self.gaps, &self.unlinked, &self.edited]
                .iter()
                .all(|l| l.is_empty())
    }
}

/// Each series is numbered 1, 2, 3 … within a year: a number that is not there (an entry
/// deleted with its PDF) is a gap.
fn gaps(manifest: &Manifest) -> Vec<String> {
    let mut numbers: std::collections::BTreeMap<(u16, &str), Vec<u32>> = Default::default();
    for e in &manifest.entries {
        numbers.entry((e.year, e.series.name())).or_default().push(e.number);
    }
    let mut out = Vec::new();
    for ((year, series), mut ns) in numbers {
        ns.sort_unstable();
        let max = ns.last().copied().unwrap_or(0);
        out.extend((1..=max).filter(|n| ns.binary_search(n).is_err()).map(|n| format!("{year}年{series}{}", crate::base::series::number_label(n))));
    }
    out
}

/// Checks every archived file against the manifest: missing, altered and unlisted files.
pub fn verify(out: &Path) -> Result<Verified> {
    let archive = folder(out);
    let manifest = Manifest::load(&archive)?;
    let no_archive = !Manifest::path(&archive).is_file();
    let unlinked = manifest.unlinked().into_iter().map(|i| format!("第{}条 {}", i + 1, manifest.entries[i].file)).collect();
    let mut v = Verified { listed: manifest.entries.len(), no_archive, gaps: gaps(&manifest), unlinked, ..Verified::default() };
    for e in &manifest.entries {
        for (file, sha, sm) in e.files() {
            let intact = |b: &[u8]| sha256(b) == sha && (sm.is_empty() || sm3(b) == sm);
            match std::fs::read(crate::base::output::under(&archive, file)) {
                Ok(bytes) if !intact(&bytes) => v.altered.push(file.to_string()),
                // The OFD-A carries no files: its digests are its proof.
                Ok(_) if file != e.file => {}
                Ok(bytes) => {
                    let attached = attachments(&bytes).map_err(|err| Error::Archive { msg: format!("{file}：{err}") })?;
                    v.mismatched.extend(carried(e, &attached).into_iter().map(|name| format!("{file} › 附件 {name}")));
                    v.edited.extend(edited(e, &attached).into_iter().map(|field| format!("{file} 的 {field}")));
                }
                Err(_) => v.missing.push(file.to_string()),
            }
        }
    }
    if archive.is_dir() {
        for entry in walkdir::WalkDir::new(&archive).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io("读取归档目录", &archive, e.into()))?;
            let rel = crate::setup::inputs::discover::relative(&archive, entry.path());
            let leftover = crate::base::output::is_temporary(&entry.file_name().to_string_lossy());
            if entry.file_type().is_file() && leftover {
                v.leftovers.push(rel);
            } else if entry.file_type().is_file()
                && rel != "manifest.json"
                && rel != LOCK
                && !manifest.entries.iter().any(|e| e.files().iter().any(|(f, ..)| *f == rel))
            {
                v.unlisted.push(rel);
            }
        }
    }
    Ok(v)
}

/// The files a document's record says it carries (its workbooks, pieces, plan and configuration) that
/// it does not carry as recorded: missing, or with another SHA-256 or SM3.
fn carried(e: &Entry, attached: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    e.inputs
        .iter()
        .filter(|i| i.is_data())
        .filter(|i| !attached.get(&i.path).is_some_and(|b| sha256(b) == i.sha256 && (i.sm3.is_empty() || sm3(b) == i.sm3)))
        .map(|i| i.path.clone())
        .collect()
}

/// The fields of an entry that differ from the entry its PDF carries, in words; an entry of
/// the chain whose PDF carries none is an edit too.
fn edited(e: &Entry, attached: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let Some(bytes) = attached.get(ENTRY) else {
        return if e.previous.is_some() { vec![format!("归档登记（文件中没有 {ENTRY}）")] } else { Vec::new() };
    };
    let Ok(serde_json::Value::Object(theirs)) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return vec![format!("归档登记（文件中的 {ENTRY} 无法读取）")];
    };
    let serde_json::Value::Object(ours) = serde_json::to_value(e.carried()).expect("serialisable") else { unreachable!("an entry is an object") };
    let keys: std::collections::BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    keys.into_iter()
        .filter(|k| ours.get(*k) != theirs.get(*k))
        .map(|k| {
            let shown = |v: Option<&serde_json::Value>| match v {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(_) | serde_json::Value::Object(_)) => "……".into(),
                Some(other) => other.to_string(),
                None => "无".into(),
            };
            format!("{}（清单 {}，文件中 {}）", field_name(k), shown(ours.get(k)), shown(theirs.get(k)))
        })
        .collect()
}

/// An entry field in Chinese.
fn field_name(key: &str) -> &str {
    match key {
        "series" => "系列",
        "number" => "期号",
        "year" => "年份",
        "period" => "所报期间",
        "title" => "标题",
        "published" => "签发日期",
        "file" => "文件名",
        "corrects" => "更正的期号",
        "jianbao" => "生成程序",
        "inputs" => "所用文件",
        "previous" => "与前一条登记的链接",
        "ofd" => "OFD 文件",
        other => other,
    }
}
