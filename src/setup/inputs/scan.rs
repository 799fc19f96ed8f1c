//! Finding the inputs before reading them: every file's path and stamp (size, modification
//! time and, on Unix, change time and inode). When every stamp is one the last build recorded,
//! the content hashes it recorded stand in for the contents, and a build with nothing changed
//! reads no workbook, template or font. Any other build reads and hashes everything.
//!
//! A file rewritten with the same size and a restored modification time still gets a new
//! change time (Unix sets it on every write and no program can set it back), so it is read
//! again. Stamps younger than `SETTLED` when they were taken are never recorded: the file may
//! change again within the same timestamp tick.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::discover;
use super::{limits, read_files, File, Folders, Input, Origin, Refused, Why};
use crate::base::diag::Diagnostic;
use crate::base::error::{Error, Result};
use crate::setup::config::Config;

/// How old a stamp must be to be recorded (FAT file systems count time in 2 s steps).
const SETTLED: Duration = Duration::from_secs(2);

/// What a file's metadata says about its contents without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Modification time: seconds and nanoseconds since 1970.
    pub modified: (u64, u32),
    /// Status-change time (Unix; zero elsewhere).
    pub changed: (u64, u32),
    /// Inode number (Unix; zero elsewhere): a file replaced by another is another file.
    pub inode: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        let since = |t: SystemTime| t.duration_since(UNIX_EPOCH).ok().map(|d| (d.as_secs(), d.subsec_nanos()));
        let modified = since(meta.modified().ok()?)?;
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            ((u64::try_from(meta.ctime()).ok()?, u32::try_from(meta.ctime_nsec()).ok()?), meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = ((0, 0), 0);
        Some(Stamp { size: meta.len(), modified, changed, inode })
    }

    /// Whether the file had not changed for `SETTLED` when the stamp was taken at `at`.
    fn settled(&self, at: SystemTime) -> bool {
        let Ok(now) = at.duration_since(UNIX_EPOCH) else { return false };
        let latest = self.modified.max(self.changed);
        Duration::new(latest.0, latest.1) + SETTLED < now
    }
}

/// A file's stamp and the SHA-256 of its contents when it had that stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub stamp: Stamp,
    pub sha256: String,
}

/// Known files by path, as the last run that read them recorded them in
/// `out/.jianbao/stamps.json` (state of this machine's files, not an output).
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamps(BTreeMap<String, Known>);

impl Stamps {
    fn path(out: &Path) -> PathBuf {
        out.join(".jianbao").join("stamps.json")
    }

    /// The recorded stamps; none if there is no record or it cannot be read.
    pub fn load(out: &Path) -> Stamps {
        std::fs::read(Stamps::path(out)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    /// Records these stamps, unless they are the `known` ones already.
    pub fn save(&self, out: &Path, known: &Stamps) -> Result<()> {
        if self == known {
            return Ok(());
        }
        crate::base::output::write_atomic(&Stamps::path(out), &serde_json::to_vec(self).expect("serialisable"))
    }

    /// The stamps of `files` worth recording: the settled ones.
    pub(super) fn record<'a>(files: impl Iterator<Item = &'a File>, at: SystemTime) -> Stamps {
        Stamps(files.filter_map(|f| f.stamp.filter(|s| s.settled(at)).map(|stamp| (key(&f.path), Known { stamp, sha256: f.sha256.clone() }))).collect())
    }

    fn get(&self, path: &Path) -> Option<&Known> {
        self.0.get(&key(path))
    }
}

fn key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// A file found but not read.
#[derive(Debug, Clone)]
pub struct Listed {
    pub rel: String,
    pub path: PathBuf,
    pub stamp: Option<Stamp>,
}

impl Input for Listed {
    fn rel(&self) -> &str {
        &self.rel
    }

    fn contents(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        std::fs::read(&self.path).ok().map(std::borrow::Cow::Owned)
    }
}

/// Every input of a run, found and stamped; only `config.yaml` has been read (it says where
/// the templates and fonts are).
#[derive(Debug)]
pub struct Scan {
    pub(super) at: SystemTime,
    pub(super) config: Option<File>,
    pub(super) settings: Config,
    pub(super) plan: Listed,
    pub(super) workbooks: Vec<Listed>,
    pub(super) pieces: Vec<Listed>,
    /// Workbooks and pieces too large to read, by their size.
    pub(super) refused: Vec<Refused>,
    pub(super) skipped: Vec<Diagnostic>,
    pub(super) templates: Vec<(Origin, Listed)>,
    pub(super) fonts: Vec<(Origin, Listed)>,
    pub(super) manifest: Option<Listed>,
}

impl Scan {
    /// Finds every input of a run with data in `data`, outputs in `out`, and template and
    /// font folders given as options.
    pub fn new(data: &Path, out: &Path, templates: Option<&Path>, fonts: Option<&Path>) -> Result<Scan> {
        let at = SystemTime::now();
        if !data.is_dir() {
            return Err(Error::Usage { msg: missing_data_folder(data) });
        }
        if out.exists() && !out.is_dir() {
            let msg = format!("输出位置“{}”是一个文件，不是文件夹。请用 --out 指定一个文件夹（不存在时会自动新建）。", out.display());
            return Err(Error::Usage { msg });
        }
        let config = match listed_if_there("读取配置文件", "config.yaml", data.join("config.yaml"))? {
            Some(l) => Some(read_files("读取配置文件", &[within(l, limits::TEXT)?])?.remove(0)),
            None => None,
        };
        let settings = config.as_ref().map_or(Ok(Config::default()), |f| Config::parse(&f.bytes, &f.path))?;
        let folders = Folders::of(data, &settings, templates, fonts);
        let skip: Vec<&Path> = folders.all().collect();
        let found = discover::discover(data, Some(out), &skip)?;
        let (workbooks, mut refused) = sized(found.workbooks, limits::WORKBOOK);
        let (pieces, too_large) = sized(found.pieces, limits::PIECE);
        refused.extend(too_large);
        let manifest = listed_if_there("读取归档清单", "archive/manifest.json", out.join("archive").join("manifest.json"))?;
        Ok(Scan {
            at,
            plan: within(listed("读取规划数据", "plan.yaml".into(), data.join("plan.yaml"))?, limits::TEXT)?,
            manifest: manifest.map(|m| within(m, limits::MANIFEST)).transpose()?,
            templates: list_layers("读取模板", &folders.templates, limits::TEXT)?,
            fonts: list_layers("读取字体", &folders.fonts, limits::FONT)?,
            config,
            settings,
            workbooks,
            pieces,
            refused,
            skipped: found.notes,
        })
    }

    /// The SHA-256 of every input by the build key's names, if each file's stamp is among the
    /// `known` ones (nothing is read); none if any file is new or changed.
    pub fn known_hashes(&self, known: &Stamps) -> Option<Vec<(&'static str, String, String)>> {
        let sha = |l: &Listed| known.get(&l.path).filter(|k| l.stamp == Some(k.stamp)).map(|k| k.sha256.clone());
        let mut parts =
            super::key_parts(self.manifest.as_ref(), &self.plan, self.config.as_ref(), [&self.workbooks, &self.pieces], &self.templates, &self.fonts, sha)?;
        parts.extend(super::refused_parts(&self.refused));
        Some(parts)
    }

    /// The files whose contents were read so far (`config.yaml`).
    pub fn read_so_far(&self) -> Vec<PathBuf> {
        self.config.iter().map(|f| f.path.clone()).collect()
    }

    /// The templates and fonts not built in, for the report of a build.
    pub fn overrides(&self) -> Vec<String> {
        super::overrides(&self.templates, &self.fonts)
    }
}

/// The data folder named does not exist: what to do about it, where it was looked for (a
/// relative `--data` is looked up in the current folder, which a double-clicked program has
/// as its own folder).
fn missing_data_folder(data: &Path) -> String {
    let full = std::path::absolute(data).unwrap_or_else(|_| data.to_path_buf());
    format!(
        "找不到数据文件夹“{}”（在 {} 中查找）。请新建这个文件夹并放入 plan.yaml、config.yaml 和各乡镇报表，或用 jianbao init 新建一个，或用 --data 指定数据文件夹。",
        data.display(),
        full.parent().map_or_else(|| full.display().to_string(), |p| p.display().to_string())
    )
}

/// The files found, stamped; those larger than `limit` are refused from their size alone, and
/// so is one that cannot be looked at (it vanished, or no permission).
fn sized(found: Vec<discover::Found>, limit: u64) -> (Vec<Listed>, Vec<Refused>) {
    let stamped: Vec<(discover::Found, std::io::Result<std::fs::Metadata>)> = found
        .into_par_iter()
        .map(|f| {
            let m = std::fs::metadata(&f.path);
            (f, m)
        })
        .collect();
    let (mut ok, mut refused) = (Vec::new(), Vec::new());
    for (f, meta) in stamped {
        match meta {
            Ok(meta) if meta.len() > limit => {
                refused.push(Refused { rel: f.rel, path: f.path, stamp: Stamp::of(&meta), why: Why::TooLarge { size: meta.len(), limit } });
            }
            Ok(meta) => ok.push(Listed { rel: f.rel, stamp: Stamp::of(&meta), path: f.path }),
            Err(e) => refused.push(Refused { rel: f.rel, path: f.path, stamp: None, why: Why::Unreadable(crate::base::error::io_reason(&e)) }),
        }
    }
    (ok, refused)
}

/// A file the run cannot do without (plan, config, template, font, manifest), refused with an
/// error when it is larger than `limit`.
fn within(l: Listed, limit: u64) -> Result<Listed> {
    match l.stamp {
        Some(s) if s.size > limit => Err(Error::Usage {
            msg: format!("文件 {} 大小为{}，超过上限{}，未读取。请检查是否放错了文件。", l.path.display(), super::megabytes(s.size), super::megabytes(limit)),
        }),
        _ => Ok(l),
    }
}

fn listed(doing: &'static str, rel: String, path: PathBuf) -> Result<Listed> {
    let meta = std::fs::metadata(&path).map_err(|e| Error::io(doing, &path, e))?;
    Ok(Listed { rel, stamp: Stamp::of(&meta), path })
}

/// The file at `path`, or none if there is no such file.
fn listed_if_there(doing: &'static str, rel: &str, path: PathBuf) -> Result<Option<Listed>> {
    match std::fs::metadata(&path) {
        Ok(meta) => Ok(Some(Listed { rel: rel.into(), stamp: Stamp::of(&meta), path })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(doing, &path, e)),
    }
}

/// The files of each folder, with its origin; a data folder's folder may be absent.
fn list_layers(doing: &'static str, folders: &[(Origin, PathBuf)], limit: u64) -> Result<Vec<(Origin, Listed)>> {
    let mut out = Vec::new();
    for (origin, dir) in folders {
        if *origin == Origin::DataFolder && !dir.is_dir() {
            continue;
        }
        for l in list_dir(doing, dir)? {
            out.push((*origin, within(l, limit)?));
        }
    }
    Ok(out)
}

/// The plain files directly in `dir` (not hidden), sorted by name.
pub fn list_dir(doing: &'static str, dir: &Path) -> Result<Vec<Listed>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(doing, dir, e))? {
        let path = entry.map_err(|e| Error::io(doing, dir, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if path.is_file() && !discover::passed_over_by_name(&name) {
            found.push(listed(doing, name, path)?);
        }
    }
    found.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}
