//! Everything a run reads, read once (in parallel) and hashed once: the plan, the
//! configuration, the workbooks, the templates and the bundled fonts. The content hashes are
//! the identity of the inputs for the incremental cache and the archive's manifest.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::load;

/// One file read from disk.
#[derive(Debug, Clone)]
pub struct File {
    /// Relative to its folder (data, templates or fonts), `/`-separated.
    pub rel: String,
    pub path: PathBuf,
    /// Shared, so that the font store can use a font's bytes without copying them.
    pub bytes: Shared,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

/// File contents shared without copying (`AsRef<[u8]>`, so typst can hold them as font data).
#[derive(Debug, Clone)]
pub struct Shared(Arc<Vec<u8>>);

impl std::ops::Deref for Shared {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// The inputs of a run.
#[derive(Debug)]
pub struct Inputs {
    pub plan: File,
    /// `config.yaml`, when there is one.
    pub config: Option<File>,
    /// Spreadsheets under the data folder, sorted by path.
    pub workbooks: Vec<File>,
    /// Files under the data folder that were passed over (N-SKIPPED).
    pub skipped: Vec<Diagnostic>,
    pub templates: Vec<File>,
    /// The bundled fonts.
    pub fonts: Vec<File>,
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// A hash over labelled parts; each part is length-prefixed so that no two different
/// sequences of parts give the same stream.
pub struct KeyHasher(Sha256);

impl KeyHasher {
    pub fn new(domain: &str) -> KeyHasher {
        let mut k = KeyHasher(Sha256::new());
        k.add(domain, env!("CARGO_PKG_VERSION").as_bytes());
        k
    }

    pub fn add(&mut self, label: &str, bytes: &[u8]) -> &mut KeyHasher {
        for part in [label.as_bytes(), bytes] {
            self.0.update((part.len() as u64).to_le_bytes());
            self.0.update(part);
        }
        self
    }

    pub fn finish(self) -> String {
        format!("{:x}", self.0.finalize())
    }
}

impl Inputs {
    /// Reads every input of a run with data in `data`, outputs in `out`.
    pub fn read(data: &Path, out: &Path, templates: &Path, fonts: &Path) -> Result<Inputs> {
        let (found, skipped) = load::discover(data, Some(out))?;
        let paths: Vec<(String, PathBuf)> = found.into_iter().map(|f| (f.rel, f.path)).collect();
        let (workbooks, (templates, fonts)) = rayon::join(
            || read_files("读取报表", &paths),
            || rayon::join(|| read_dir("读取模板", templates), || read_dir("读取字体", fonts)),
        );
        let config_path = data.join("config.yaml");
        let config = match std::fs::metadata(&config_path) {
            Ok(_) => Some(read_one("读取配置文件", "config.yaml".into(), config_path)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("读取配置文件", &config_path, e)),
        };
        Ok(Inputs {
            plan: read_one("读取规划数据", "plan.yaml".into(), data.join("plan.yaml"))?,
            config,
            workbooks: workbooks?,
            skipped,
            templates: templates?,
            fonts: fonts?,
        })
    }

    /// The workbook at `rel`, if it was read.
    pub fn workbook(&self, rel: &str) -> Option<&File> {
        self.workbooks.iter().find(|f| f.rel == rel)
    }

    pub fn template(&self, name: &str) -> Option<&File> {
        self.templates.iter().find(|f| f.rel == name)
    }

    /// One hash over every input's path and content.
    pub fn key(&self, hasher: &mut KeyHasher) {
        let groups: [(&str, Vec<&File>); 5] = [
            ("plan", vec![&self.plan]),
            ("config", self.config.iter().collect()),
            ("workbook", self.workbooks.iter().collect()),
            ("template", self.templates.iter().collect()),
            ("font", self.fonts.iter().collect()),
        ];
        for (group, files) in groups {
            for f in files {
                hasher.add(group, f.rel.as_bytes()).add("sha256", f.sha256.as_bytes());
            }
        }
    }
}

fn read_one(doing: &'static str, rel: String, path: PathBuf) -> Result<File> {
    let bytes = std::fs::read(&path).map_err(|e| Error::io(doing, &path, e))?;
    Ok(File { sha256: sha256(&bytes), rel, path, bytes: Shared(Arc::new(bytes)) })
}

fn read_files(doing: &'static str, paths: &[(String, PathBuf)]) -> Result<Vec<File>> {
    paths.par_iter().map(|(rel, path)| read_one(doing, rel.clone(), path.clone())).collect()
}

/// The plain files directly in `dir` (not hidden), sorted by name.
pub fn read_dir(doing: &'static str, dir: &Path) -> Result<Vec<File>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(doing, dir, e))? {
        let path = entry.map_err(|e| Error::io(doing, dir, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_file() && !name.starts_with('.') {
            paths.push((name, path));
        }
    }
    paths.sort();
    read_files(doing, &paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_parts_do_not_run_together() {
        let key = |parts: &[(&str, &str)]| {
            let mut k = KeyHasher::new("t");
            for (l, v) in parts {
                k.add(l, v.as_bytes());
            }
            k.finish()
        };
        assert_ne!(key(&[("a", "bc")]), key(&[("ab", "c")]));
        assert_ne!(key(&[("a", "b"), ("c", "")]), key(&[("a", "bc")]));
        assert_eq!(key(&[("a", "b")]), key(&[("a", "b")]));
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
