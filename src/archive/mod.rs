//! The archive (签发): published bulletins and summaries as PDF/A-2b under `out/archive/<YYYY>/`,
//! numbered within the year, never overwritten; a correction is a new number. `verify` checks
//! every archived file against the manifest.

pub mod manifest;
pub mod numbering;

use std::path::{Path, PathBuf};

use crate::aggregate::quarter::Quarter;
use crate::diag::Diagnostic;
use crate::documents::{self, Document, Settings};
use crate::error::{Error, Result};
use crate::inputs::{sha256, Inputs};
use crate::period::{Date, Period};
use crate::render::{bulletin, summary, Engine, PdfKind};
use crate::{check_with, output, Checked, Options};
use manifest::{Entry, Input, Manifest};

/// The program that publishes: its version and build id.
fn program(build_id: &str) -> manifest::Program {
    manifest::Program { version: env!("CARGO_PKG_VERSION").into(), build: build_id.into() }
}

/// What to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Month(Period),
    Quarter(Quarter),
}

impl Target {
    fn series(self) -> &'static str {
        match self {
            Target::Month(_) => "工作简报",
            Target::Quarter(_) => "季度汇总",
        }
    }

    fn period(self) -> String {
        match self {
            Target::Month(p) => p.to_string(),
            Target::Quarter(q) => q.to_string(),
        }
    }

    fn year(self) -> u16 {
        match self {
            Target::Month(p) => p.year,
            Target::Quarter(q) => q.year,
        }
    }
}

/// A publication request: what, the 签发日期 (an option, else `publish_date` in the
/// configuration; never the clock), and whether it is a correction.
#[derive(Debug, Clone)]
pub struct Request {
    pub target: Target,
    pub date: Option<Date>,
    pub correction: bool,
}

/// What publishing did.
#[derive(Debug)]
pub enum Outcome {
    /// Newly archived.
    Published { entry: Entry, path: PathBuf },
    /// Already archived from identical inputs: nothing written.
    Unchanged { entry: Entry },
    /// Archived before from other inputs, and this is not a correction: nothing written.
    Refused { entry: Entry, changes: Vec<String> },
    /// The data has errors: nothing written.
    DataErrors,
    /// No workbook for that period.
    NoData,
}

#[derive(Debug)]
pub struct Publication {
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
    pub outcome: Outcome,
}

/// The archive folder of an output folder.
pub fn folder(out: &Path) -> PathBuf {
    out.join("archive")
}

/// Publishes one bulletin or summary (see `Outcome`).
pub fn publish(opts: &Options, req: &Request) -> Result<Publication> {
    // Locked before the data is read: what is published is what was read under the lock.
    let lock = Lock::take(&folder(&opts.out))?;
    let inputs = Inputs::read(&opts.data, &opts.out, opts.templates.as_deref(), opts.fonts.as_deref())?;
    let date = match (req.date, &inputs.settings.publish_date) {
        (Some(d), _) => d,
        (None, Some(s)) => s.parse().map_err(|e| Error::Archive { msg: format!("config.yaml 中的 publish_date 有误：{e}") })?,
        (None, None) => return Err(Error::Archive { msg: "请用 --date YYYY-MM-DD 给出签发日期（或在 config.yaml 中写 publish_date）".into() }),
    };
    let engine = crate::build::engine(opts, &inputs)?;
    let checked = check_with(&inputs, engine.fonts())?;
    let _lock = lock;
    let p = Publishing { engine: &engine, inputs: &inputs, checked: &checked, req, date, opts };
    let outcome = p.decide()?;
    comemo::evict(4);
    Ok(Publication { diagnostics: checked.diagnostics, files_read: checked.files_read, outcome })
}

/// One publication: what it is made from and where it goes.
struct Publishing<'a> {
    engine: &'a Engine,
    inputs: &'a Inputs,
    checked: &'a Checked,
    req: &'a Request,
    date: Date,
    opts: &'a Options,
}

impl Publishing<'_> {
    fn decide(&self) -> Result<Outcome> {
        let c = self.checked;
        let last = match self.req.target {
            Target::Month(p) => p,
            Target::Quarter(q) => match documents::quarters(&c.reports).into_iter().find(|(x, _)| *x == q) {
                Some((_, as_of)) => as_of,
                None => return Ok(Outcome::NoData),
            },
        };
        if !c.reports.iter().any(|r| r.period == last) {
            return Ok(Outcome::NoData);
        }
        if c.blocked(last) {
            return Ok(Outcome::DataErrors);
        }
        let used = self.used_inputs(last)?;
        let manifest = Manifest::load(&folder(&self.opts.out))?;
        let previous = manifest.latest(self.req.target.series(), &self.req.target.period()).cloned();
        if let Some(prev) = previous.clone() {
            let changes = manifest::changes(&prev, &used, &program(&self.opts.program));
            if changes.is_empty() {
                return Ok(Outcome::Unchanged { entry: prev });
            }
            if !self.req.correction {
                return Ok(Outcome::Refused { entry: prev, changes });
            }
        }
        self.issue(last, used, previous.map(|p| p.number), manifest)
    }

    /// Numbers, renders (PDF/A-3b, carrying its figures and inputs), stores the document
    /// and appends it to the manifest.
    fn issue(&self, last: Period, used: Vec<Input>, previous: Option<u32>, mut manifest: Manifest) -> Result<Outcome> {
        let (req, c) = (self.req, self.checked);
        let (series, year, archive) = (req.target.series(), req.target.year(), folder(&self.opts.out));
        let number = manifest.next_number(series, year);
        let corrects = previous.filter(|_| req.correction);
        let s = Settings { number, date: Some(self.date.tuple()), corrects, ..Settings::default() };
        let doc = match req.target {
            Target::Month(p) => documents::bulletin(self.engine, c, p, s)?,
            Target::Quarter(q) => documents::summary(self.engine, c, q, last, s)?,
        };
        let mut prepared = doc.prepared.clone();
        attach(&mut prepared, &self.attachments(&doc, last));
        let pdf = self.engine.render(&prepared, PdfKind::Archival)?;
        let file = file_name(series, year, number, &doc);
        store(&archive.join(&file), &pdf)?;
        let entry = Entry {
            series: series.into(),
            number,
            year,
            period: req.target.period(),
            title: doc.title.clone(),
            published: self.date.to_string(),
            file: file.clone(),
            sha256: sha256(&pdf),
            corrects,
            jianbao: program(&self.opts.program),
            inputs: used,
        };
        manifest.entries.push(entry.clone());
        manifest.save(&archive)?;
        Ok(Outcome::Published { entry, path: archive.join(file) })
    }

    /// The files an archived document carries: its figures (the JSON written beside it in
    /// `out/`), and the workbooks, plan and configuration it was made from, byte for byte.
    fn attachments(&self, doc: &Document, last: Period) -> Vec<Attachment> {
        let mut out: Vec<Attachment> = doc
            .files
            .iter()
            .filter(|(rel, _)| rel.ends_with(".json"))
            .map(|(rel, bytes)| Attachment::new(rel.rsplit('/').next().unwrap_or(rel), bytes.clone(), "data", "本文件中的全部数字"))
            .collect();
        for r in crate::aggregate::feeding(&self.checked.reports, last) {
            if let Some(f) = self.inputs.workbook(&r.file) {
                out.push(Attachment::new(&f.rel, f.bytes.to_vec(), "source", &format!("{}{}报表", r.township, r.period.chinese())));
            }
        }
        out.push(Attachment::new("plan.yaml", self.inputs.plan.bytes.to_vec(), "source", "规划数据"));
        if let Some(f) = &self.inputs.config {
            out.push(Attachment::new("config.yaml", f.bytes.to_vec(), "source", "配置"));
        }
        out
    }

    /// Every file that went into the document: its workbooks, the plan and configuration, the
    /// templates it uses (with its narrative template) and the fonts of its roles.
    fn used_inputs(&self, last: Period) -> Result<Vec<Input>> {
        let engine = self.engine;
        let mut used = numbering::data_inputs(self.checked, self.inputs, last);
        let mut add = |kind: &str, path: &str, sha: &str| used.push(Input { kind: kind.into(), path: path.into(), sha256: sha.into() });
        let templates: &[&str] = match self.req.target {
            Target::Month(_) => &[bulletin::TEMPLATES, &[bulletin::NARRATIVE]].concat(),
            Target::Quarter(_) => &[summary::TEMPLATES, &[summary::NARRATIVE]].concat(),
        };
        for t in templates {
            let f = engine.template_asset(t).ok_or_else(|| Error::Template { name: t.to_string(), msg: "模板文件不存在".into() })?;
            add("template", &f.label(), &f.sha256);
        }
        for (name, sha) in engine.fonts().role_font_hashes()? {
            add("font", &name, &sha);
        }
        used.sort();
        used.dedup();
        Ok(used)
    }
}

/// A file embedded in an archived PDF.
struct Attachment {
    name: String,
    bytes: Vec<u8>,
    /// PDF/A-3 relationship: `source` (made from) or `data` (the figures shown).
    relationship: &'static str,
    description: String,
}

impl Attachment {
    fn new(name: &str, bytes: Vec<u8>, relationship: &'static str, description: &str) -> Attachment {
        Attachment { name: name.to_string(), bytes, relationship, description: description.to_string() }
    }
}

/// The MIME type PDF/A-3 asks for, by extension.
fn mime_type(name: &str) -> &'static str {
    match name.rsplit('.').next().map(str::to_lowercase).as_deref() {
        Some("json") => "application/json",
        Some("yaml") => "application/yaml",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("xlsm") => "application/vnd.ms-excel.sheet.macroEnabled.12",
        Some("xls") => "application/vnd.ms-excel",
        Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
        _ => "application/octet-stream",
    }
}

/// Adds the attachments to a document's sources: `/attachments.json` lists them (as data,
/// never markup) and `/attachments/N` holds each one's bytes; `gongwen.typ` attaches them
/// when the document is typeset for the archive.
fn attach(prepared: &mut crate::render::Prepared, files: &[Attachment]) {
    let list: Vec<serde_json::Value> = files
        .iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::json!({"name": a.name, "file": format!("/attachments/{i}"), "mime": mime_type(&a.name),
                "relationship": a.relationship, "description": a.description})
        })
        .collect();
    prepared.generated.push(("/attachments.json".into(), serde_json::to_vec_pretty(&list).expect("serialisable")));
    for (i, a) in files.iter().enumerate() {
        prepared.generated.push((format!("/attachments/{i}"), a.bytes.clone()));
    }
}

/// The lock file in the archive folder; it stays there, and only the lock on it matters.
pub const LOCK: &str = ".publishing";

/// Held while a publication reads the data and appends to the manifest, so that two
/// publications at once (two clerks, one shared folder) cannot take the same number. It is an
/// advisory lock of the operating system on `.publishing`: it ends with the process, however
/// the process ends (Ctrl+C, a crash, power off), and never blocks the next publication.
struct Lock(#[allow(dead_code)] std::fs::File);

impl Lock {
    fn take(archive: &Path) -> Result<Lock> {
        std::fs::create_dir_all(archive).map_err(|e| Error::io("创建归档目录", archive, e))?;
        let path = archive.join(LOCK);
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io("锁定归档目录", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock(file)),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Archive { msg: "另一次签发正在进行，请等它结束后再签发。".into() }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io("锁定归档目录", &path, e)),
        }
    }
}

/// `2018/第03期-全县2018年3月脱贫攻坚工作进展情况.pdf`; summaries are `季度汇总第01期-…`.
fn file_name(series: &str, year: u16, number: u32, doc: &Document) -> String {
    let title: String = doc.title.chars().map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() { '_' } else { c }).collect();
    let prefix = if series == "工作简报" { String::new() } else { series.to_string() };
    format!("{year}/{prefix}第{number:02}期-{title}.pdf")
}

/// Writes a new archive file. A file already there with the same bytes is a publication
/// interrupted before its manifest entry was written, and is taken over; any other is an error.
fn store(path: &Path, pdf: &[u8]) -> Result<()> {
    match output::write_new(path, pdf) {
        Ok(()) => Ok(()),
        Err(_) if std::fs::read(path).is_ok_and(|b| b == pdf) => Ok(()),
        Err(_) if path.exists() => Err(Error::Archive { msg: format!("归档文件 {} 已存在且内容不同，不会覆盖；请运行 jianbao verify 检查归档", path.display()) }),
        Err(e) => Err(e),
    }
}

/// What `verify` found.
#[derive(Debug, Default)]
pub struct Verified {
    pub listed: usize,
    pub missing: Vec<String>,
    pub altered: Vec<String>,
    pub unlisted: Vec<String>,
}

impl Verified {
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty() && self.altered.is_empty() && self.unlisted.is_empty()
    }
}

/// Checks every archived file against the manifest: missing, altered and unlisted files.
pub fn verify(out: &Path) -> Result<Verified> {
    let archive = folder(out);
    let manifest = Manifest::load(&archive)?;
    let mut v = Verified { listed: manifest.entries.len(), ..Verified::default() };
    for e in &manifest.entries {
        match std::fs::read(archive.join(&e.file)) {
            Ok(bytes) if sha256(&bytes) == e.sha256 => {}
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
