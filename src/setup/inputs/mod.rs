//! Everything a run reads, read once (in parallel) and hashed once: the plan, the
//! configuration, the workbooks, and the templates and fonts of the data folder and of the
//! options, layered over the ones built into the program. The content hashes are the identity
//! of the inputs for the incremental cache and the archive's manifest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::base::bundled;
use crate::base::diag::Diagnostic;
use crate::base::error::{Error, Result};
use crate::setup::config::Config;

pub mod discover;
pub mod kind;
mod scan;
mod unpack;
pub use scan::{Known, Listed, Scan, Stamp, Stamps};

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
    /// What its metadata said just before it was read.
    pub stamp: Option<Stamp>,
}

/// A file that may be a township's report, with its kind as its bytes say (told once, when
/// archives are opened).
#[derive(Debug, Clone)]
pub struct Submission {
    pub file: File,
    pub kind: kind::Kind,
}

/// A workbook or piece that was found but not read: too large by its size alone (nothing of
/// it is read), or unreadable (held open by another program, no permission). It holds back
/// nothing but itself: it is a diagnostic at its path, and the rest is built.
#[derive(Debug, Clone)]
pub struct Refused {
    pub rel: String,
    pub path: PathBuf,
    pub stamp: Option<Stamp>,
    pub why: Why,
}

#[derive(Debug, Clone)]
pub enum Why {
    /// Its size and the limit for its kind, in bytes.
    TooLarge { size: u64, limit: u64 },
    /// What the system said when it was opened.
    Unreadable(String),
    /// An archive that cannot be unpacked (a `.rar`, a damaged or oversized zip): why.
    Archive(String),
}

impl Refused {
    /// E-TOO-LARGE or E-READ at the file.
    pub fn diagnostic(&self) -> Diagnostic {
        match &self.why {
            Why::TooLarge { size, limit } => {
                let msg = format!(
                    "文件大小{}，超过上限{}，未读取。乡镇报表通常只有几十KB，稿件通常不超过几MB，请检查是否放错了文件。",
                    megabytes(*size),
                    megabytes(*limit)
                );
                Diagnostic::error("E-TOO-LARGE", &self.rel, msg)
            }
            Why::Unreadable(e) => {
                let msg = format!("无法读取此文件（{e}）。它可能正被 Excel、WPS 或其他程序打开，关闭后重新生成。");
                Diagnostic::error("E-READ", &self.rel, msg)
            }
            Why::Archive(why) => Diagnostic::error("E-ARCHIVE", &self.rel, format!("{why}。")),
        }
    }

    /// Whether it was refused for its size alone (a file of any kind may be that large).
    pub fn too_large(&self) -> bool {
        matches!(self.why, Why::TooLarge { .. })
    }

    /// What stands for its contents in the build key: its size and modification time, so that
    /// replacing it makes the next build look again.
    fn key(&self) -> String {
        self.stamp.map_or_else(|| "unknown".into(), |s| format!("refused:{}:{}.{}", s.size, s.modified.0, s.modified.1))
    }
}

/// `3.2 MB`, `20 MB`: a size as an office reads it.
pub fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// The largest file of each kind that is read at all (checked from its size before reading).
pub mod limits {
    /// A township workbook, or a zip or 7z of a month's workbooks.
    pub const WORKBOOK: u64 = 20 * 1024 * 1024;
    /// All the files in a workbook (an .xlsx is a zip) or in a zip or 7z, unpacked.
    pub const UNZIPPED: u64 = 200 * 1024 * 1024;
    /// The files in a workbook's zip, or in a zip or 7z.
    pub const ZIP_ENTRIES: usize = 2_000;
    /// A piece (稿件): a .docx with a few photos; text is limited by characters after reading.
    pub const PIECE: u64 = 20 * 1024 * 1024;
    /// `plan.yaml`, `config.yaml`, a template.
    pub const TEXT: u64 = 5 * 1024 * 1024;
    /// A font (a CJK collection can be tens of MB).
    pub const FONT: u64 = 200 * 1024 * 1024;
    /// The archive's manifest.
    pub const MANIFEST: u64 = 64 * 1024 * 1024;
}

/// A file of the inputs, read or not.
pub trait Input {
    /// Relative to its folder, `/`-separated.
    fn rel(&self) -> &str;
    /// Its contents (read now if they were not yet: templates are small).
    fn contents(&self) -> Option<std::borrow::Cow<'_, [u8]>>;
}

impl Input for File {
    fn rel(&self) -> &str {
        &self.rel
    }

    fn contents(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        Some(std::borrow::Cow::Borrowed(&self.bytes))
    }
}

/// File contents shared without copying (`AsRef<[u8]>`, so typst can hold them as font data):
/// read from disk, or compiled into the program.
#[derive(Debug, Clone)]
pub enum Shared {
    Read(Arc<Vec<u8>>),
    BuiltIn(&'static [u8]),
}

impl std::ops::Deref for Shared {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Shared::Read(b) => b,
            Shared::BuiltIn(b) => b,
        }
    }
}

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

/// Where a template or font comes from. Later ones win: a template of the options' folder
/// overrides the data folder's, which overrides the built-in one of the same name; fonts are
/// searched in the opposite order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    BuiltIn,
    DataFolder,
    Option,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::BuiltIn => "内置",
            Origin::DataFolder => "数据目录",
            Origin::Option => "命令行指定",
        }
    }
}

/// A template or font: its name, contents and hash, and where it comes from.
#[derive(Debug, Clone)]
pub struct Asset {
    pub name: String,
    pub bytes: Shared,
    pub sha256: String,
    pub origin: Origin,
    /// The file it was read from (none when built in).
    pub path: Option<PathBuf>,
}

impl Asset {
    pub fn from_bundled(b: &bundled::Bundled) -> Asset {
        Asset { name: b.name.into(), bytes: Shared::BuiltIn(b.bytes), sha256: b.sha256.into(), origin: Origin::BuiltIn, path: None }
    }

    pub fn from_file(f: &File, origin: Origin) -> Asset {
        Asset { name: f.rel.clone(), bytes: f.bytes.clone(), sha256: f.sha256.clone(), origin, path: Some(f.path.clone()) }
    }

    /// How the manifest and messages name it: `内置/bulletin.typ`, or the file's path.
    pub fn label(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => format!("内置/{}", self.name),
        }
    }
}

/// The inputs of a run.
#[derive(Debug)]
pub struct Inputs {
    pub plan: File,
    /// `config.yaml`, when there is one, and what it says (the defaults without one).
    pub config: Option<File>,
    pub settings: Config,
    /// The files under the data folder outside 稿件 (reports in any format, archives of them,
    /// or other files), sorted by path.
    pub workbooks: Vec<File>,
    /// What is read as a report: the files of `workbooks` that are no archive, and the files
    /// inside the archives (named `<archive>/<path inside>`), each with its kind.
    pub submissions: Vec<Submission>,
    /// Pieces (稿件) under the data folder's `稿件/`, sorted by path.
    pub pieces: Vec<File>,
    /// Workbooks and pieces found but not read (too large, or unreadable).
    pub refused: Vec<Refused>,
    /// Files under the data folder that were passed over (N-SKIPPED).
    pub skipped: Vec<Diagnostic>,
    /// Templates and fonts read from folders: the data folder's, then the options'.
    pub templates: Vec<(Origin, File)>,
    pub fonts: Vec<(Origin, File)>,
    /// The archive's manifest (`out/archive/manifest.json`), if anything was published: the
    /// numbers the previews show come from it.
    pub manifest: Option<File>,
    /// When the files were found (their stamps are trusted only if older).
    pub scanned_at: SystemTime,
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// SM3 (GB/T 32905) of `bytes` as lowercase hex: the digest Chinese electronic-records rules
/// cite, recorded in the archive beside every SHA-256.
pub fn sm3(bytes: &[u8]) -> String {
    use sm3::Digest as _;
    format!("{:x}", sm3::Sm3::digest(bytes))
}

/// A hash over labelled parts; each part is length-prefixed so that no two different
/// sequences of parts give the same stream. It starts with the program's identity.
pub struct KeyHasher(Sha256);

impl KeyHasher {
    pub fn new(domain: &str, program: &str) -> KeyHasher {
        let mut k = KeyHasher(Sha256::new());
        k.add(domain, program.as_bytes());
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

/// The folders templates and fonts are taken from, besides the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    pub templates: Vec<(Origin, PathBuf)>,
    pub fonts: Vec<(Origin, PathBuf)>,
}

impl Folders {
    /// The data folder's (`templates/` and `fonts/`, or the folders `config.yaml` names), then
    /// the options'. A data-folder folder that does not exist is simply not there; an option's is an error.
    pub fn of(data: &Path, settings: &Config, templates: Option<&Path>, fonts: Option<&Path>) -> Folders {
        let in_data = |named: &Option<String>, default: &str| data.join(named.as_deref().unwrap_or(default));
        let mut f = Folders::default();
        f.templates.push((Origin::DataFolder, in_data(&settings.template_folder, "templates")));
        f.fonts.push((Origin::DataFolder, in_data(&settings.font_folder, "fonts")));
        f.templates.extend(templates.map(|p| (Origin::Option, p.to_path_buf())));
        f.fonts.extend(fonts.map(|p| (Origin::Option, p.to_path_buf())));
        f
    }

    /// Every folder, for discovery to pass over and for watch mode to watch.
    pub fn all(&self) -> impl Iterator<Item = &Path> {
        self.templates.iter().chain(&self.fonts).map(|(_, p)| p.as_path())
    }
}

impl Inputs {
    /// Reads every input of a run with data in `data`, outputs in `out`, and template and font
    /// folders given as options.
    pub fn read(data: &Path, out: &Path, templates: Option<&Path>, fonts: Option<&Path>) -> Result<Inputs> {
        Scan::new(data, out, templates, fonts)?.read()
    }

    /// The workbook at `rel` (a file of the folder, or one inside an archive), if it was read.
    pub fn workbook(&self, rel: &str) -> Option<&File> {
        self.submissions.iter().map(|s| &s.file).find(|f| f.rel == rel)
    }

    /// The piece at `rel`, if it was read.
    pub fn piece(&self, rel: &str) -> Option<&File> {
        self.pieces.iter().find(|f| f.rel == rel)
    }

    /// Every template by name: the built-in ones, each replaced by a file of the same name in
    /// the data folder's templates, and that by one in the options' folder.
    pub fn templates(&self) -> BTreeMap<String, Asset> {
        let mut all: BTreeMap<String, Asset> = bundled::TEMPLATES.iter().map(|b| (b.name.to_string(), Asset::from_bundled(b))).collect();
        for (origin, f) in &self.templates {
            all.insert(f.rel.clone(), Asset::from_file(f, *origin));
        }
        all
    }

    /// Every font in the order it is searched: the options' folder, the data folder's, built in.
    pub fn fonts(&self) -> Vec<Asset> {
        let mut read: Vec<&(Origin, File)> = self.fonts.iter().filter(|(_, f)| is_font(&f.rel)).collect();
        read.sort_by_key(|(o, _)| std::cmp::Reverse(*o));
        read.into_iter().map(|(o, f)| Asset::from_file(f, *o)).chain(bundled::FONTS.iter().map(Asset::from_bundled)).collect()
    }

    /// What the templates and fonts not built in are, for the report of a build:
    /// `数据目录：bulletin-narrative.typ.j2`.
    pub fn overrides(&self) -> Vec<String> {
        overrides(&self.templates, &self.fonts)
    }

    /// The files of the data folder and the manifest.
    fn all(&self) -> impl Iterator<Item = &File> {
        [&self.plan].into_iter().chain(&self.config).chain(&self.manifest).chain(&self.workbooks).chain(&self.pieces)
    }

    /// The stamps of the files read, to record for the next build.
    pub fn stamps(&self) -> Stamps {
        let layered = self.templates.iter().chain(&self.fonts).map(|(_, f)| f);
        Stamps::record(self.all().chain(layered), self.scanned_at)
    }

    /// Every file whose contents were read.
    pub fn read_paths(&self) -> Vec<PathBuf> {
        let layered = self.templates.iter().chain(&self.fonts).map(|(_, f)| f);
        self.all().chain(layered).map(|f| f.path.clone()).collect()
    }

    /// The SHA-256 of every input by the build key's names.
    pub fn hashes(&self) -> Vec<(&'static str, String, String)> {
        let sha = |f: &File| Some(f.sha256.clone());
        let mut parts = key_parts(self.manifest.as_ref(), &self.plan, self.config.as_ref(), [&self.workbooks, &self.pieces], &self.templates, &self.fonts, sha)
            .expect("every file read is hashed");
        parts.extend(refused_parts(&self.refused));
        parts
    }
}

/// Adds the inputs' hashes to a key: one hash over every input's path and content (the
/// built-in files are the program's).
pub fn add_hashes(hasher: &mut KeyHasher, hashes: &[(&'static str, String, String)]) {
    for (group, name, sha) in hashes {
        hasher.add(group, name.as_bytes()).add("sha256", sha.as_bytes());
    }
}

/// The inputs as a build key names them, in order: (group, name, SHA-256 from `sha`); none if
/// `sha` has none for a file. The data folder's and the options' templates and fonts are named
/// by origin, so that moving one from one to the other changes the key.
fn key_parts<T: Input>(
    manifest: Option<&T>,
    plan: &T,
    config: Option<&File>,
    [workbooks, pieces]: [&[T]; 2],
    templates: &[(Origin, T)],
    fonts: &[(Origin, T)],
    sha: impl Fn(&T) -> Option<String>,
) -> Option<Vec<(&'static str, String, String)>> {
    let plain = |group: &'static str, f: &T| Some((group, f.rel().to_string(), sha(f)?));
    let layered = |group: &'static str, (o, f): &(Origin, T)| Some((group, format!("{o:?}/{}", f.rel()), sha(f)?));
    let mut parts: Vec<Option<_>> = manifest.map(|m| plain("manifest", m)).into_iter().collect();
    parts.push(plain("plan", plan));
    parts.extend(config.map(|c| Some(("config", c.rel.clone(), c.sha256.clone()))));
    parts.extend(workbooks.iter().map(|w| plain("workbook", w)));
    parts.extend(pieces.iter().map(|p| plain("piece", p)));
    parts.extend(templates.iter().map(|t| layered("template", t)));
    parts.extend(fonts.iter().map(|f| layered("font", f)));
    parts.into_iter().collect()
}

/// The refused files as a build key names them.
fn refused_parts(refused: &[Refused]) -> impl Iterator<Item = (&'static str, String, String)> + '_ {
    refused.iter().map(|r| ("refused", r.rel.clone(), r.key()))
}

/// The templates and fonts that are not built in, by origin: `模板（数据目录）：a.typ、b.typ`.
fn overrides<T: Input>(templates: &[(Origin, T)], fonts: &[(Origin, T)]) -> Vec<String> {
    let mut out = Vec::new();
    for (what, files) in [("模板", templates), ("字体", fonts)] {
        for origin in [Origin::DataFolder, Origin::Option] {
            // A template `init` copied and nobody changed is the built-in one, not the office's.
            let own = |f: &T| if what == "模板" { !f.contents().is_some_and(|b| crate::base::bundled::is_init_copy(f.rel(), &b)) } else { is_font(f.rel()) };
            let names: Vec<&str> = files.iter().filter(|(o, f)| *o == origin && own(f)).map(|(_, f)| f.rel()).collect();
            if !names.is_empty() {
                out.push(format!("{what}（{}）：{}", origin.label(), names.join("、")));
            }
        }
    }
    out
}

/// Font files by extension.
pub fn is_font(name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or_default().to_lowercase();
    ["otf", "ttf", "ttc", "otc"].contains(&ext.as_str())
}

impl Scan {
    /// Reads and hashes every input found, in parallel. A workbook or piece that cannot be
    /// read is refused (a diagnostic); any other input that cannot be read stops the run.
    pub fn read(self) -> Result<Inputs> {
        let plan = [self.plan];
        let manifest: Vec<Listed> = self.manifest.into_iter().collect();
        let (((workbooks, pieces), plan), ((templates, fonts), manifest)) = rayon::join(
            || rayon::join(|| rayon::join(|| read_or_refuse(&self.workbooks), || read_or_refuse(&self.pieces)), || read_files("读取规划数据", &plan)),
            || {
                rayon::join(
                    || rayon::join(|| read_layers("读取模板", &self.templates), || read_layers("读取字体", &self.fonts)),
                    || read_files("读取归档清单", &manifest),
                )
            },
        );
        let ((workbooks, mut refused), (pieces, unread_pieces)) = (workbooks, pieces);
        let (submissions, bad_archives) = unpack::unpack(&workbooks);
        refused.extend(bad_archives);
        refused.extend(self.refused);
        refused.extend(unread_pieces);
        refused.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(Inputs {
            plan: plan?.remove(0),
            config: self.config,
            settings: self.settings,
            workbooks,
            submissions,
            pieces,
            refused,
            skipped: self.skipped,
            templates: templates?,
            fonts: fonts?,
            manifest: manifest?.pop(),
            scanned_at: self.at,
        })
    }
}

fn read_one(doing: &'static str, l: &Listed) -> Result<File> {
    let bytes = std::fs::read(&l.path).map_err(|e| Error::io(doing, &l.path, e))?;
    Ok(File { sha256: sha256(&bytes), rel: l.rel.clone(), path: l.path.clone(), bytes: Shared::Read(Arc::new(bytes)), stamp: l.stamp })
}

fn read_files(doing: &'static str, files: &[Listed]) -> Result<Vec<File>> {
    files.par_iter().map(|l| read_one(doing, l)).collect()
}

/// Reads workbooks or pieces; one that cannot be read is refused with what the system said.
fn read_or_refuse(files: &[Listed]) -> (Vec<File>, Vec<Refused>) {
    use rayon::iter::Either;
    files.par_iter().partition_map(|l| match read_one("读取", l) {
        Ok(f) => Either::Left(f),
        Err(e) => {
            let why = Why::Unreadable(match e {
                Error::Io { source, .. } => crate::base::error::io_reason(&source),
                other => other.to_string(),
            });
            Either::Right(Refused { rel: l.rel.clone(), path: l.path.clone(), stamp: l.stamp, why })
        }
    })
}

fn read_layers(doing: &'static str, files: &[(Origin, Listed)]) -> Result<Vec<(Origin, File)>> {
    files.par_iter().map(|(o, l)| Ok((*o, read_one(doing, l)?))).collect()
}

/// The plain files directly in `dir` (not hidden), sorted by name, read.
pub fn read_dir(doing: &'static str, dir: &Path) -> Result<Vec<File>> {
    read_files(doing, &scan::list_dir(doing, dir)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_parts_do_not_run_together() {
        let key = |parts: &[(&str, &str)]| {
            let mut k = KeyHasher::new("t", "p");
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
    fn a_workbook_that_cannot_be_read_is_refused_not_fatal() {
        // Excel holding a file exclusively makes reading it fail with a sharing violation on
        // Windows; here the read fails because the path is a folder. Either way the file is
        // refused with E-READ, and the readable one is read.
        let dir = tempfile::tempdir().unwrap();
        let (ok, held) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
        std::fs::write(&ok, b"bytes").unwrap();
        std::fs::create_dir(&held).unwrap();
        let listed = |rel: &str, path: &Path| Listed { rel: rel.into(), path: path.to_path_buf(), stamp: None };
        let (read, refused) = read_or_refuse(&[listed("a.xlsx", &ok), listed("b.xlsx", &held)]);
        assert_eq!(read.iter().map(|f| f.rel.as_str()).collect::<Vec<_>>(), ["a.xlsx"]);
        let d = refused[0].diagnostic();
        assert_eq!((d.code.as_str(), d.file.as_str()), ("E-READ", "b.xlsx"));
        assert!(d.message.contains("关闭后重新生成"), "{}", d.message);
    }

    #[test]
    fn sm3_of_known_text() {
        // GB/T 32905-2016, appendix A.1: the digest of "abc".
        assert_eq!(sm3(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(sha256(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
