//! The incremental-build record, `out/.jianbao/build.json`: the key of all inputs of the last
//! build, what it found, and per document the key of its sources and the outputs it wrote.
//! Keys are content hashes (see `inputs`), never modification times.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::base::diag::Diagnostic;
use crate::base::error::{Error, Result};
use crate::base::output;

const FORMAT: u32 = 3;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Cache {
    pub format: u32,
    /// Hash of every input and option of the last build.
    pub inputs: String,
    pub files_read: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Documents held back by errors in the workbooks that feed them, with those workbooks.
    pub held: BTreeMap<String, Vec<String>>,
    /// Documents by id (`2018-03/工作简报`).
    pub documents: BTreeMap<String, Entry>,
    /// Documents of earlier builds whose data is no longer there (kept, reported).
    pub stale: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// Hash of the document's sources, fonts, figures and jianbao version.
    pub key: String,
    /// Files written for it, relative to the output folder, with their sizes.
    pub outputs: Vec<(String, u64)>,
    /// Its pages (shown on 结果一览).
    pub pages: usize,
    /// Made as a draft: a build that holds it back removes its files (a draft never stays
    /// beside official documents as if it were one).
    #[serde(default)]
    pub draft: bool,
}

impl Entry {
    /// Whether every output is still there with the size it was written with.
    pub fn present(&self, out: &Path) -> bool {
        self.outputs.iter().all(|(rel, size)| std::fs::metadata(out.join(rel)).is_ok_and(|m| m.len() == *size))
    }
}

impl Cache {
    pub fn path(out: &Path) -> PathBuf {
        out.join(".jianbao").join("build.json")
    }

    /// The record of the last build; an empty one (everything is built) if there is none or
    /// it cannot be read.
    pub fn load(out: &Path) -> Cache {
        std::fs::read(Cache::path(out)).ok().and_then(|b| serde_json::from_slice::<Cache>(&b).ok()).filter(|c| c.format == FORMAT).unwrap_or_default()
    }

    /// Whether the last build had exactly these inputs and all its outputs are still there.
    pub fn is_fresh(&self, key: &str, out: &Path) -> bool {
        self.inputs == key && self.documents.values().all(|d| d.present(out))
    }

    /// Removed before outputs are replaced, written after: a build killed in between leaves
    /// no record, and the next build renders everything.
    pub fn remove(out: &Path) -> Result<()> {
        let path = Cache::path(out);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io("删除构建记录", &path, e)),
            _ => Ok(()),
        }
    }

    pub fn save(&mut self, out: &Path) -> Result<()> {
        self.format = FORMAT;
        output::write_atomic(&Cache::path(out), &serde_json::to_vec_pretty(self).expect("serialisable"))
    }
}
