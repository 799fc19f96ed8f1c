//! The archive (签发): published bulletins and summaries as PDF/A-2b under `out/archive/<YYYY>/`,
//! numbered within the year, never overwritten; a correction is a new number. `verify` checks
//! every archived file against the manifest.

pub mod anchor;
mod attach;
pub mod commit;
mod dates;
pub mod manifest;
pub mod numbering;
mod verify;
mod volume;

pub use attach::attachments;
use attach::{attach, Attachment};
pub use verify::{verify, Verified};

use std::path::{Path, PathBuf};

use crate::base::diag::Diagnostic;
use crate::base::error::{Error, Result};
use crate::base::period::{Date, Period, Quarter, Span};
use crate::base::series::Series;
use crate::check::check_with;
use crate::documents::{self, kinds, kinds::Registry, Document, Kind, Settings};
use crate::figures::checked::Checked;
use crate::render::{Engine, PdfKind};
use crate::setup::inputs::{sha256, Inputs};
use crate::setup::options::Options;
use manifest::{Entry, Input, InputKind, Manifest};

/// The program that publishes: its version and build id.
fn program(build_id: &str) -> manifest::Program {
    manifest::Program { version: env!("CARGO_PKG_VERSION").into(), build: build_id.into() }
}

/// What to publish: a document of a published kind for a span, or a year's bound volume.
#[derive(Clone, Copy)]
pub enum Target {
    /// The document `kind` makes for the span (a bulletin's month, a summary's quarter).
    Issue(&'static dyn Kind, Span),
    /// 合订本: the year's published bulletins and summaries in one volume.
    Volume(u16),
}

impl Target {
    /// A month's bulletin.
    pub fn month(p: Period) -> Target {
        Target::Issue(&kinds::Bulletin, Span::Month(p))
    }

    /// A quarter's summary.
    pub fn quarter(q: Quarter) -> Target {
        Target::Issue(&kinds::QuarterSummary, Span::Quarter(q))
    }

    /// What it covers.
    pub fn span(self) -> Span {
        match self {
            Target::Issue(_, span) => span,
            Target::Volume(y) => Span::Year(y),
        }
    }

    /// The kind of document it publishes (a bound volume is made in `volume`).
    pub fn kind(self) -> Option<&'static dyn Kind> {
        match self {
            Target::Issue(kind, _) => Some(kind),
            Target::Volume(_) => None,
        }
    }

    /// The series it is numbered in: its kind's (`publish_in` takes only published kinds), or
    /// the volume's.
    pub fn series(self) -> Series {
        match self {
            Target::Issue(kind, _) => kind.published().expect("a published kind (publish_in)").0,
            Target::Volume(_) => Series::Volume,
        }
    }

    fn year(self) -> u16 {
        self.span().year().unwrap_or_default()
    }
}

/// `工作简报 2018-03`, `合订本 2018`.
impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.series(), self.span())
    }
}

/// A publication request: what, the 签发日期 (an option, else `publish_date` in the
/// configuration; never the clock), and whether it is a correction.
#[derive(Debug, Clone)]
pub struct Request {
    pub target: Target,
    pub date: Option<Date>,
    pub correction: bool,
    /// The earlier periods of the year not yet published will never be: recorded as such
    /// (they take no number), so that this one may be published before them.
    pub skip_earlier: bool,
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
    /// The 签发日期 breaks a rule (`dates`): nothing written.
    BadDate { msg: String },
    /// Earlier periods of the year with documents are not published yet (`--skip-earlier` to
    /// declare they never will be): nothing written. Their periods (`2025-10`, `2025-Q3`).
    OutOfOrder { earlier: Vec<Span> },
    /// The period was declared never to be published: nothing written.
    Skipped { declared: Date },
    /// Another publication holds the archive: nothing read or written.
    Busy,
}

#[derive(Debug)]
pub struct Publication {
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
    pub outcome: Outcome,
    /// What was done about an earlier, interrupted publication (finished or rolled back).
    pub recovered: Option<String>,
}

/// `check`, with the W-CORRECTION-PENDING of the archive under `opts.out` among its
/// diagnostics (what `status` shows), from one read of the inputs. A build says the same from
/// the inputs it read.
pub fn check_with_pending(opts: &Options) -> Result<Checked> {
    let inputs = Inputs::read(&opts.data, &opts.out, opts.templates.as_deref(), opts.fonts.as_deref())?;
    let fonts = crate::render::Fonts::for_run(&inputs, opts.system_fonts)?;
    let mut c = check_with(&inputs, &fonts)?;
    let manifest = Manifest::load(&folder(&opts.out))?;
    c.diagnostics.extend(numbering::pending_corrections(&manifest, &c, &inputs, documents::KINDS));
    Ok(c)
}

/// The archive folder of an output folder.
pub fn folder(out: &Path) -> PathBuf {
    out.join("archive")
}

/// Publishes one bulletin, summary or bound volume (see `Outcome`).
pub fn publish(opts: &Options, req: &Request) -> Result<Publication> {
    publish_in(opts, req, documents::KINDS)
}

/// `publish` with the kinds of a registry (a volume binds the documents of its published kinds).
pub fn publish_in(opts: &Options, req: &Request, kinds: Registry) -> Result<Publication> {
    if req.target.kind().is_some_and(|k| k.published().is_none()) {
        return Err(Error::Usage { msg: "这类文件不编期号，不签发。".into() });
    }
    // Locked before the data is read: what is published is what was read under the lock.
    let Some(lock) = Lock::take(&folder(&opts.out))? else {
        return Ok(Publication { diagnostics: Vec::new(), files_read: 0, outcome: Outcome::Busy, recovered: None });
    };
    let recovered = commit::recover(&folder(&opts.out))?;
    let inputs = Inputs::read(&opts.data, &opts.out, opts.templates.as_deref(), opts.fonts.as_deref())?;
    let Some(date) = req.date.or(inputs.settings.publish_date) else {
        return Err(Error::Archive { msg: "请用 --date YYYY-MM-DD 给出签发日期（或在 config.yaml 中写 publish_date）".into() });
    };
    let engine = crate::render::Engine::for_run(&inputs, opts.system_fonts)?;
    let Some(kind) = req.target.kind() else {
        let year = req.target.year();
        let plan = crate::setup::plan::Plan::from_bytes(&inputs.plan.bytes).map_err(|msg| Error::Plan { path: inputs.plan.path.clone(), msg })?;
        let outcome = volume::bind(&engine, &inputs.settings.clone().for_plan(&plan), (year, kinds), req, date, opts)?;
        drop(lock);
        comemo::evict(4);
        return Ok(Publication { diagnostics: Vec::new(), files_read: 0, outcome, recovered });
    };
    let checked = check_with(&inputs, engine.fonts())?;
    let _lock = lock;
    let p = Publishing { engine: &engine, inputs: &inputs, checked: &checked, kind, req, date, opts };
    let outcome = p.decide()?;
    comemo::evict(4);
    Ok(Publication { diagnostics: checked.diagnostics, files_read: checked.files_read, outcome, recovered })
}

/// Against what was published before for the same target: nothing new (`Unchanged`), refused
/// (other inputs, not a correction), or go ahead, with the number it corrects.
fn against_previous(manifest: &Manifest, req: &Request, used: &[Input], program: &manifest::Program) -> std::result::Result<Option<u32>, Box<Outcome>> {
    let Some(prev) = manifest.latest(req.target.series(), req.target.span()).cloned() else { return Ok(None) };
    let changes = manifest::changes(&prev, used, program);
    // An archive published out of period order is repaired by re-issuing the later period as a
    // correction after the earlier one: allowed with unchanged data, and only then.
    if changes.is_empty() && !(req.correction && manifest.out_of_order(&prev)) {
        return Err(Box::new(Outcome::Unchanged { entry: prev }));
    }
    if !req.correction {
        return Err(Box::new(Outcome::Refused { entry: prev, changes }));
    }
    Ok(Some(prev.number))
}

/// The templates (by name) and fonts a document is set with, as manifest inputs.
fn program_inputs(engine: &Engine, templates: &[&str]) -> Result<Vec<Input>> {
    let mut used = Vec::new();
    for t in templates {
        let f = engine.template_asset(t).ok_or_else(|| Error::Template { name: t.to_string(), msg: "模板文件不存在".into() })?;
        used.push(Input { kind: InputKind::Template, path: f.label(), sha256: f.sha256.clone(), sm3: crate::setup::inputs::sm3(&f.bytes) });
    }
    let sm3s = engine.fonts().role_font_sm3()?;
    for ((name, sha256), (_, sm3)) in engine.fonts().role_font_hashes()?.into_iter().zip(sm3s) {
        used.push(Input { kind: InputKind::Font, path: name, sha256, sm3 });
    }
    Ok(used)
}

/// Typesets an archived document with the files it carries (its own entry among them) as a
/// PDF/A and, when its entry has an OFD, as an OFD carrying the same files; stores them (never
/// over another file) and appends the entry to the manifest, in steps that an interruption
/// cannot leave half-done (`commit`).
fn render_and_record(
    engine: &Engine,
    archive: &Path,
    mut manifest: Manifest,
    mut entry: Entry,
    mut prepared: crate::render::Prepared,
    files: &[Attachment],
) -> Result<Outcome> {
    attach(&mut prepared, files);
    let rendered = engine.render_with(&prepared, PdfKind::Archival, entry.ofd.is_some())?;
    (entry.sha256, entry.sm3) = (sha256(&rendered.pdf), crate::setup::inputs::sm3(&rendered.pdf));
    let mut stored = vec![rendered.pdf];
    if let (Some(copy), Some(ofd)) = (entry.ofd.as_mut(), rendered.ofd) {
        (copy.sha256, copy.sm3) = (sha256(&ofd), crate::setup::inputs::sm3(&ofd));
        stored.push(ofd);
    }
    manifest.entries.push(entry.clone());
    commit::commit(archive, &manifest, &stored)?;
    let path = crate::base::output::under(archive, &entry.file);
    Ok(Outcome::Published { entry, path })
}

/// One publication: what it is made from and where it goes.
struct Publishing<'a> {
    engine: &'a Engine,
    inputs: &'a Inputs,
    checked: &'a Checked,
    kind: &'static dyn Kind,
    req: &'a Request,
    date: Date,
    opts: &'a Options,
}

impl Publishing<'_> {
    fn decide(&self) -> Result<Outcome> {
        let (c, span) = (self.checked, self.req.target.span());
        if !self.kind.spans(c, None).contains(&span) {
            return Ok(Outcome::NoData);
        }
        if !self.kind.held_back_by(c, span).is_empty() {
            return Ok(Outcome::DataErrors);
        }
        let used = self.used_inputs(span)?;
        let mut manifest = Manifest::load(&folder(&self.opts.out))?;
        let (series, key) = (self.req.target.series(), self.req.target.span());
        if let Some(s) = manifest.skip_of(series, key) {
            return Ok(Outcome::Skipped { declared: s.declared });
        }
        if manifest.latest(series, key).is_none() {
            let earlier = self.earlier_unpublished(&manifest);
            if !earlier.is_empty() && !self.req.skip_earlier {
                return Ok(Outcome::OutOfOrder { earlier });
            }
            manifest.skipped.extend(earlier.into_iter().map(|period| manifest::Skip { series, period, declared: self.date }));
        }
        match against_previous(&manifest, self.req, &used, &program(&self.opts.program)) {
            Ok(corrects) => self.issue(used, corrects, manifest),
            Err(outcome) => Ok(*outcome),
        }
    }

    /// The periods of the target's year and series before it that have documents but are
    /// neither published nor declared never to be: publishing the target first would give it
    /// a number before theirs.
    fn earlier_unpublished(&self, manifest: &Manifest) -> Vec<Span> {
        let (span, series) = (self.req.target.span(), self.req.target.series());
        let earlier = self.kind.spans(self.checked, None).into_iter().filter(|s| s.year() == span.year() && *s < span);
        earlier.filter(|k| manifest.latest(series, *k).is_none() && !manifest.is_skipped(series, *k)).collect()
    }

    /// Numbers, renders (PDF/A-3b, carrying its figures and inputs), stores the document
    /// and appends it to the manifest.
    fn issue(&self, used: Vec<Input>, corrects: Option<u32>, manifest: Manifest) -> Result<Outcome> {
        let (req, c) = (self.req, self.checked);
        if let Some(msg) = dates::refused(&manifest, req.target, self.date, corrects, Date::from_clock()) {
            return Ok(Outcome::BadDate { msg });
        }
        let number = manifest.next_number(req.target.series(), req.target.year());
        let s = Settings { number, date: Some(self.date.tuple()), corrects, ..Settings::default() };
        let cx = kinds::Context { engine: self.engine, checked: c, boards: &[] };
        let Some(doc) = self.kind.make(&cx, req.target.span(), s)?.into_iter().next() else { return Ok(Outcome::NoData) };
        let ofd = crate::setup::config::wants_ofd(self.opts.formats.as_deref(), &self.inputs.settings);
        let entry = new_entry(req, &manifest, corrects, &doc.title, self.date, &self.opts.program, used, ofd);
        let prepared = doc.prepared.clone().ok_or_else(|| Error::Archive { msg: format!("{} 没有可排版的正文，不能签发", doc.id) })?;
        let mut files = self.attachments(&doc, &entry.inputs);
        files.push(entry_attachment(&entry));
        render_and_record(self.engine, &folder(&self.opts.out), manifest, entry, prepared, &files)
    }

    /// The files an archived document carries: its figures (the JSON written beside it in
    /// `out/`), the typst sources of its text (what a bound volume sets again), and its data
    /// inputs (`used`: workbooks, pieces, plan and configuration), byte for byte.
    fn attachments(&self, doc: &Document, used: &[Input]) -> Vec<Attachment> {
        let mut out: Vec<Attachment> = doc
            .files
            .iter()
            .filter(|(rel, _)| rel.ends_with(".json"))
            .map(|(rel, bytes)| Attachment::new(rel.rsplit('/').next().unwrap_or(rel), bytes.clone(), "data", "本文件中的全部数字"))
            .collect();
        for (path, bytes) in doc.prepared.iter().flat_map(|p| &p.generated) {
            let name = format!("{SOURCES}{}", path.trim_start_matches('/'));
            out.push(Attachment::new(&name, bytes.clone(), "source", "本文件正文和版面的数据（排版源文件）"));
        }
        for kind in InputKind::DATA {
            for i in used.iter().filter(|i| i.kind == kind) {
                if let Some(bytes) = self.data_bytes(i) {
                    out.push(Attachment::new(&i.path, bytes.to_vec(), "source", &self.describe(i)));
                }
            }
        }
        out
    }

    /// The bytes of one of the document's data inputs.
    fn data_bytes(&self, i: &Input) -> Option<&crate::setup::inputs::Shared> {
        match i.kind {
            InputKind::Plan => Some(&self.inputs.plan.bytes),
            InputKind::Config => self.inputs.config.as_ref().map(|f| &f.bytes),
            InputKind::Piece => self.inputs.piece(&i.path).map(|f| &f.bytes),
            InputKind::Workbook => self.inputs.workbook(&i.path).map(|f| &f.bytes),
            InputKind::Document | InputKind::Font | InputKind::Template => None,
        }
    }

    /// How an attached data input is described: `南村乡2019年3月报表`, `稿件：标题`.
    fn describe(&self, i: &Input) -> String {
        let c = self.checked;
        match i.kind {
            InputKind::Workbook => c.reports.iter().find(|r| r.file == i.path).map(|r| format!("{}{}报表", r.township, r.period.chinese())),
            InputKind::Piece => c
                .pieces
                .iter()
                .find(|p| p.file == i.path)
                .map(|p| format!("稿件：{}", p.title))
                .or_else(|| c.pieces.iter().find(|p| p.photo_files.iter().any(|(f, _)| *f == i.path)).map(|p| format!("稿件照片：{}", p.title))),
            InputKind::Plan => Some("规划数据".into()),
            InputKind::Config => Some("配置".into()),
            InputKind::Document | InputKind::Font | InputKind::Template => None,
        }
        .unwrap_or_default()
    }

    /// Every file that went into the document: its workbooks, a bulletin's pieces, the plan and
    /// configuration, the templates it uses (with its narrative template) and the fonts of its roles.
    fn used_inputs(&self, span: Span) -> Result<Vec<Input>> {
        let engine = self.engine;
        let mut used = numbering::data_inputs(self.checked, self.inputs, self.kind, span);
        for i in &mut used {
            i.sm3 = self.data_bytes(i).map(|b| crate::setup::inputs::sm3(b)).unwrap_or_default();
        }
        let t = self.kind.templates();
        let templates: Vec<&str> = t.iter().flat_map(|t| t.files.iter().copied().chain(t.narrative.map(|(n, _)| n))).collect();
        used.extend(program_inputs(engine, &templates)?);
        used.sort();
        used.dedup();
        Ok(used)
    }
}

/// Where an archived document carries the typst sources of its text (`排版/data.json`,
/// `排版/narrative.typ`).
pub const SOURCES: &str = "排版/";

/// The lock file in the archive folder; it stays there, and only the lock on it matters.
pub const LOCK: &str = ".publishing";

/// Held while a publication reads the data and appends to the manifest, so that two
/// publications at once (two clerks, one shared folder) cannot take the same number. It is an
/// advisory lock of the operating system on `.publishing`: it ends with the process, however
/// the process ends (Ctrl+C, a crash, power off), and never blocks the next publication.
struct Lock(#[allow(dead_code)] std::fs::File);

impl Lock {
    /// The lock; none while another publication holds it.
    fn take(archive: &Path) -> Result<Option<Lock>> {
        std::fs::create_dir_all(archive).map_err(|e| Error::io("创建归档目录", archive, e))?;
        let path = archive.join(LOCK);
        let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io("锁定归档目录", &path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Lock(file))),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io("锁定归档目录", &path, e)),
        }
    }
}

/// The manifest entry of a new archived document (its file name, numbered within its year
/// and series: `2018/第03期-全县….pdf`, `2018/季度汇总第01期-….pdf`, and its `.ofd` beside it
/// when `ofd`; hashes filled in when stored).
#[allow(clippy::too_many_arguments)]
fn new_entry(req: &Request, manifest: &Manifest, corrects: Option<u32>, title: &str, date: Date, build: &str, inputs: Vec<Input>, ofd: bool) -> Entry {
    let (series, year) = (req.target.series(), req.target.year());
    let number = manifest.next_number(series, year);
    let file = series.archive_file(year, number, title);
    let ofd = ofd.then(|| manifest::Copy { file: format!("{}.ofd", file.trim_end_matches(".pdf")), ..Default::default() });
    Entry {
        series,
        number,
        year,
        period: req.target.span(),
        title: title.into(),
        published: date,
        file,
        sha256: String::new(),
        sm3: String::new(),
        corrects,
        jianbao: program(build),
        inputs,
        ofd,
        previous: Some(manifest.next_link()),
    }
}

/// The attachment by which an archived document carries its own manifest entry (but the
/// digests of the document itself), so that `verify` can tell an edited entry.
pub const ENTRY: &str = "归档登记.json";

fn entry_attachment(entry: &Entry) -> Attachment {
    let bytes = serde_json::to_vec_pretty(&entry.carried()).expect("serialisable");
    Attachment::new(ENTRY, bytes, "data", "本文件的归档登记（期号、签发日期、所用文件，以及与前一份登记的链接）")
}
