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
}

impl Verified {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.altered.is_empty() && self.unlisted.is_empty() && self.mismatched.is_empty()
    }
}

/// Checks every archived file against the manifest: missing, altered and unlisted files.
pub fn verify(out: &Path) -> Result<Verified> {
    let archive = folder(out);
    let manifest = Manifest::load(&archive)?;
    let mut v = Verified { listed: manifest.entries.len(), ..Verified::default() };
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
            let rel = crate::load::relative(&archive, entry.path());
            let own = rel == "manifest.json" || rel == LOCK || entry.file_name().to_string_lossy().starts_with(".jianbao-");
            if entry.file_type().is_file() && !own && !manifest.entries.iter().any(|e| e.file == rel) {
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
