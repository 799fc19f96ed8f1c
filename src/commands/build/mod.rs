//! The build: read and hash the inputs; if anything changed, check them, prepare every
//! document, typeset in parallel the ones whose sources changed, and write them all at once.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::base::diag::{has_errors, Diagnostic};
use crate::base::error::Result;
use crate::base::output::Staged;
use crate::commands::archive::manifest::Manifest;
use crate::documents::{self, kinds::Registry, Document};
use crate::setup::inputs::{Inputs, KeyHasher, Scan, Stamps};
use cache::{Cache, Entry};

pub mod cache;
mod parallel;
use crate::check::check_with;
use crate::render::{self, FontUse, PdfKind};
use crate::setup::options::Options;

/// What a build did.
#[derive(Debug)]
pub struct Built {
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
    /// Files written by this build.
    pub written: Vec<PathBuf>,
    /// Documents of this build, and the ones typeset (the others were unchanged).
    pub documents: usize,
    pub rendered: Vec<String>,
    /// Nothing changed since the last build: nothing was parsed, checked or typeset.
    pub up_to_date: bool,
    /// Documents of earlier builds whose data is gone; their files were left in place.
    pub stale: Vec<String>,
    /// How the fonts were used (absent when up to date).
    pub fonts: Option<FontUse>,
    /// What each role was set in and where the font comes from (`仿宋：FangSong（本机字体）`);
    /// empty when up to date.
    pub font_roles: Vec<String>,
    /// The templates and fonts that are not the built-in ones, and where they come from.
    pub overrides: Vec<String>,
    /// Documents not made because a workbook that feeds them has errors (not a draft).
    pub held: Vec<String>,
    /// The 报送情况 board of the latest year (absent when up to date).
    pub board: Option<crate::office::status::Board>,
    /// The files whose contents this build read (with nothing changed, only `config.yaml`).
    pub read: Vec<PathBuf>,
    /// 结果一览 (`out/结果一览.html`): written by every build that did anything, and left as
    /// the last one wrote it when nothing changed.
    pub overview: Option<PathBuf>,
}

impl Built {
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// Told how typesetting goes, for a progress display. Called from several threads.
pub trait Progress: Sync {
    /// `total` documents are about to be typeset.
    fn start(&self, _total: usize) {}
    /// One document was typeset.
    fn done(&self, _id: &str) {}
    /// Typesetting is over (also after a failure).
    fn finish(&self) {}
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {}

/// The whole pipeline: inputs → check → documents → typeset what changed → write. The
/// validation report is part of every build; data errors stop the rest unless `draft`.
pub fn build(opts: &Options) -> Result<Built> {
    build_with(opts, &Quiet)
}

/// `build`, reporting progress.
pub fn build_with(opts: &Options, progress: &dyn Progress) -> Result<Built> {
    build_in(opts, progress, documents::KINDS)
}

/// `build_with` of the kinds of a registry (the program's is `documents::KINDS`).
pub fn build_in(opts: &Options, progress: &dyn Progress, kinds: Registry) -> Result<Built> {
    let scan = Scan::new(&opts.data, &opts.out, opts.templates.as_deref(), opts.fonts.as_deref())?;
    let mut cache = Cache::load(&opts.out);
    let known = Stamps::load(&opts.out);
    // Installed fonts are not among the hashed inputs, so with them every build looks inside.
    let trust = !opts.force && !opts.system_fonts;
    if trust && scan.known_hashes(&known).is_some_and(|h| cache.is_fresh(&build_key(&h, opts), &opts.out)) {
        return Ok(up_to_date(cache, opts, scan.overrides(), scan.read_so_far()));
    }
    let inputs = scan.read()?;
    let key = build_key(&inputs.hashes(), opts);
    if trust && cache.is_fresh(&key, &opts.out) {
        inputs.stamps().save(&opts.out, &known)?;
        return Ok(up_to_date(cache, opts, inputs.overrides(), inputs.read_paths()));
    }
    let system_fonts = opts.system_fonts || inputs.settings.fonts.system;
    let Planned { engine, mut checked, made, mut boards } = plan_in(opts, &inputs, kinds)?;
    let ofd = crate::setup::config::wants_ofd(opts.formats.as_deref(), &inputs.settings);
    let keyed = keyed(&engine, made.documents, opts, ofd)?;
    let (staged, mut rendered, mut failed) = typeset_changed(&engine, &keyed, &mut cache, opts, ofd, progress)?;
    failed.extend(made.failed);
    Cache::remove(&opts.out)?;
    // A document whose files cannot be replaced (held open on Windows) keeps its old files
    // whole; the others go in. It is not recorded, so the next build (or watch) tries again.
    let (written, locked) = staged.persist_each();
    if !ofd {
        // OFD turned off: an OFD of an earlier build would no longer match its PDF.
        for id in &rendered {
            let _ = std::fs::remove_file(opts.out.join(format!("{id}.ofd")));
        }
    }
    for l in &locked {
        cache.documents.remove(&l.group);
        rendered.retain(|id| *id != l.group);
        failed.push(Diagnostic::error("E-LOCKED", &l.group, l.message()));
    }
    remove_drafts(&mut cache, made.held.keys(), opts);
    if opts.period.is_none() {
        let kept: Vec<String> = made.held.keys().cloned().chain(failed.iter().map(|d| d.file.clone())).collect();
        mark_stale(&mut cache, &keyed, &kept, opts);
    }
    cache.stale.retain(|id| !keyed.iter().any(|(d, _)| d.id == *id));
    // A build with a document that failed is never up to date: the next one tries it again.
    cache.inputs = if system_fonts || !failed.is_empty() { String::new() } else { key };
    cache.files_read = checked.files_read;
    cache.held = made.held;
    checked.diagnostics.extend(failed);
    cache.diagnostics = std::mem::take(&mut checked.diagnostics);
    cache.save(&opts.out)?;
    // Recorded once the build's outputs are in: a build that fails leaves no stamps behind.
    inputs.stamps().save(&opts.out, &known)?;
    let run = crate::commands::overview::Run {
        checked: &checked,
        board: boards.last(),
        cache: &cache,
        rendered: &rendered,
        diagnostics: &cache.diagnostics,
        draft: opts.draft,
        kinds,
    };
    let overview = Some(crate::commands::overview::write(opts, &run)?);
    // Typst memoises across compilations; keep only recent entries so that repeated builds in
    // one process (tests, watch mode) stay bounded.
    comemo::evict(4);
    Ok(Built {
        diagnostics: cache.diagnostics,
        files_read: cache.files_read,
        written,
        documents: keyed.len(),
        rendered,
        up_to_date: false,
        stale: cache.stale,
        fonts: Some(engine.fonts().font_use()),
        font_roles: engine.fonts().summary(),
        overrides: inputs.overrides(),
        held: cache.held.keys().cloned().collect(),
        board: boards.pop(),
        read: inputs.read_paths(),
        overview,
    })
}

/// What a build makes, before typesetting: its engine, the checked data and the documents.
pub struct Planned {
    pub engine: render::Engine,
    pub checked: crate::figures::checked::Checked,
    pub made: documents::Made,
    /// The 报送情况 board of every year with data.
    pub boards: Vec<crate::office::status::Board>,
}

/// The documents a build with these inputs makes (numbered from the archive), ready to typeset.
pub fn plan_documents(opts: &Options, inputs: &Inputs) -> Result<Planned> {
    plan_in(opts, inputs, documents::KINDS)
}

/// `plan_documents` of the kinds of a registry.
pub fn plan_in(opts: &Options, inputs: &Inputs, kinds: Registry) -> Result<Planned> {
    let engine = render::Engine::for_run(inputs, opts.system_fonts)?;
    let mut checked = check_with(inputs, engine.fonts())?;
    let manifest = manifest(inputs)?;
    let numbering = crate::commands::archive::numbering::numbering(&manifest, &checked, inputs, kinds);
    checked.diagnostics.extend(crate::commands::archive::numbering::pending_corrections(&manifest, &checked, inputs, kinds));
    let today = checked.today(opts)?;
    let boards: Vec<crate::office::status::Board> =
        crate::office::status::years(&checked).into_values().map(|at| crate::office::status::board(&checked, at, today, false)).collect();
    let cx = documents::kinds::Context { engine: &engine, checked: &checked, boards: &boards };
    let made = documents::all_of(kinds, &cx, opts.period, opts.draft, &numbering)?;
    Ok(Planned { engine, checked, made, boards })
}

/// The archive's manifest, as the run read it (the numbers the documents show come from it).
fn manifest(inputs: &Inputs) -> Result<Manifest> {
    match &inputs.manifest {
        Some(f) => Manifest::parse(&f.bytes, &f.path),
        None => Ok(Manifest::default()),
    }
}

/// Each document with the key of everything that makes its outputs.
fn keyed(engine: &render::Engine, docs: Vec<Document>, opts: &Options, ofd: bool) -> Result<Vec<(Document, String)>> {
    let fonts = fonts_key(engine, &opts.program)?;
    docs.into_iter().map(|d| document_key(engine, &d, &fonts, opts, ofd).map(|k| (d, k))).collect()
}

/// Typesets the documents whose key or outputs changed (all with `force`), stages their
/// files and records them in the cache; returns the staged files, the ids typeset and an
/// E-DOCUMENT diagnostic for each document that could not be typeset (the others are made).
fn typeset_changed(
    engine: &render::Engine,
    keyed: &[(Document, String)],
    cache: &mut Cache,
    opts: &Options,
    ofd: bool,
    progress: &dyn Progress,
) -> Result<(Staged, Vec<String>, Vec<Diagnostic>)> {
    let todo: Vec<&(Document, String)> =
        keyed.iter().filter(|(d, k)| opts.force || !cache.documents.get(&d.id).is_some_and(|e| e.key == *k && e.present(&opts.out))).collect();
    progress.start(todo.len());
    let cost = |(d, _): &&(Document, String)| d.prepared.iter().flat_map(|p| &p.generated).map(|(_, b)| b.len()).sum();
    let pages = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let made = parallel::make_all(
        &todo,
        &opts.out,
        cost,
        |(d, _)| d.id.as_str(),
        |(d, _)| {
            let rendered = d.prepared.as_ref().map(|p| engine.render_with(p, PdfKind::Plain, ofd)).transpose()?;
            pages.lock().expect("not poisoned").insert(d.id.clone(), rendered.as_ref().map_or(0, |r| r.pages));
            progress.done(&d.id);
            files(engine, d, rendered, opts)
        },
    );
    progress.finish();
    let (made, staged) = made?;
    let (mut rendered, mut failed) = (Vec::new(), Vec::new());
    for ((doc, key), outputs) in todo.iter().zip(made) {
        match outputs {
            Ok(outputs) => {
                let pages = pages.lock().expect("not poisoned").get(&doc.id).copied().unwrap_or(0);
                cache.documents.insert(doc.id.clone(), Entry { key: key.clone(), outputs, pages, draft: doc.draft });
                rendered.push(doc.id.clone());
            }
            Err(e) => {
                cache.documents.remove(&doc.id);
                failed.push(documents::failure(&doc.id, &e));
            }
        }
    }
    Ok((staged, rendered, failed))
}

fn up_to_date(mut cache: Cache, opts: &Options, overrides: Vec<String>, read: Vec<PathBuf>) -> Built {
    cache.stale.retain(|id| opts.out.join(format!("{id}.pdf")).exists());
    Built {
        held: cache.held.keys().cloned().collect(),
        documents: cache.documents.len(),
        diagnostics: cache.diagnostics,
        files_read: cache.files_read,
        written: Vec::new(),
        rendered: Vec::new(),
        up_to_date: true,
        stale: cache.stale,
        fonts: None,
        font_roles: Vec::new(),
        overrides,
        board: None,
        read,
        overview: Some(opts.out.join(crate::commands::overview::FILE)).filter(|p| p.is_file()),
    }
}

/// Hash of every input (by its SHA-256) and every option that changes the outputs.
fn build_key(hashes: &[(&'static str, String, String)], opts: &Options) -> String {
    let mut k = KeyHasher::new("build", &opts.program);
    crate::setup::inputs::add_hashes(&mut k, hashes);
    let options = format!("{:?} {} {} {} {:?}", opts.period, opts.draft, opts.keep_typst, opts.system_fonts, opts.formats);
    k.add("options", options.as_bytes());
    k.finish()
}

/// Hash of the fonts a document can be set in (their names and contents).
fn fonts_key(engine: &render::Engine, program: &str) -> Result<String> {
    let mut k = KeyHasher::new("fonts", program);
    for (name, sha) in engine.fonts().role_font_hashes()? {
        k.add(&name, sha.as_bytes());
    }
    Ok(k.finish())
}

/// Hash of everything that makes a document's outputs: its sources (the templates it uses,
/// the font roles, the generated files), its fonts, its other files, and the options.
fn document_key(engine: &render::Engine, doc: &Document, fonts: &str, opts: &Options, ofd: bool) -> Result<String> {
    let mut k = KeyHasher::new("document", &opts.program);
    k.add("id", doc.id.as_bytes());
    if let Some(p) = &doc.prepared {
        k.add("main", p.main.as_bytes()).add("fonts", fonts.as_bytes());
        k.add("date", format!("{:?}", p.date).as_bytes()).add("keep_typst", &[u8::from(opts.keep_typst)]).add("ofd", &[u8::from(ofd)]);
        for (path, bytes) in engine.sources(p)? {
            k.add(&path, &bytes);
        }
    }
    for (path, bytes) in &doc.files {
        k.add(path, bytes);
    }
    Ok(k.finish())
}

/// A document's files: `<id>.pdf`, `<id>.ofd` if asked for, its other files and, on request,
/// the `<id>.typst/` sources (`typst compile --font-path fonts <id>.typst/<main>` reproduces
/// the PDF), relative to the output folder. A workbook-only document has its files only.
fn files(engine: &render::Engine, doc: &Document, rendered: Option<render::Rendered>, opts: &Options) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    if let Some(rendered) = rendered {
        files.push((format!("{}.pdf", doc.id), rendered.pdf));
        files.extend(rendered.ofd.map(|ofd| (format!("{}.ofd", doc.id), ofd)));
    }
    files.extend(doc.files.iter().cloned());
    if let Some(p) = doc.prepared.as_ref().filter(|_| opts.keep_typst) {
        for (path, bytes) in engine.sources(p)? {
            files.push((format!("{}.typst{path}", doc.id), bytes));
        }
    }
    Ok(files)
}

/// The files a draft build left of documents this build holds back: removed, with their record
/// (a held document that was made officially before keeps its files, and is named as held).
fn remove_drafts<'a>(cache: &mut Cache, held: impl Iterator<Item = &'a String>, opts: &Options) {
    for id in held {
        if cache.documents.get(id).is_some_and(|e| e.draft) {
            for (rel, _) in cache.documents.remove(id).map(|e| e.outputs).unwrap_or_default() {
                let _ = std::fs::remove_file(crate::base::output::under(&opts.out, &rel));
            }
        }
    }
}

/// Documents of earlier builds that this full build did not make (and did not hold back):
/// their data was removed. Their files stay (an office deletes its own documents); they are
/// reported while they exist.
fn mark_stale(cache: &mut Cache, keyed: &[(Document, String)], held: &[String], opts: &Options) {
    let current: BTreeSet<&str> = keyed.iter().map(|(d, _)| d.id.as_str()).chain(held.iter().map(String::as_str)).collect();
    let gone: Vec<String> = cache.documents.keys().filter(|id| !current.contains(id.as_str())).cloned().collect();
    for id in gone {
        if let Some(entry) = cache.documents.remove(&id) {
            if entry.outputs.iter().any(|(rel, _)| opts.out.join(rel).exists()) {
                cache.stale.push(id);
            }
        }
    }
    cache.stale.retain(|id| opts.out.join(format!("{id}.pdf")).exists());
    cache.stale.sort();
    cache.stale.dedup();
}
