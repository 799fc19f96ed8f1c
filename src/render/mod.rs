//! Rendering: templates and figures into Typst sources, typeset in-process into PDF.

pub mod bulletin;
pub mod coverage;
mod filters;
pub use crate::format;
pub mod markup;
pub mod report;
pub mod summary;
pub mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Smart};
use typst::syntax::Source;
use typst::text::{Font, FontInfo};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::{FontPath, FontSource, FontStore};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::config::{FontConfig, FontRoles};
use crate::error::{Error, Result};
use crate::inputs::{self, File};
use world::DocWorld;

/// What every document of a build shares: the standard library, the fonts, the templates
/// (each `.typ` parsed once). It is `Sync`: documents are typeset from it in parallel.
pub struct Engine {
    library: LazyHash<Library>,
    /// The library for PDF/A: `sys.inputs.pdfa` is `"true"` (the templates then use RGB red,
    /// since typst cannot embed the CMYK profile PDF/A asks for with CMYK colours).
    archival: LazyHash<Library>,
    fonts: FontStore,
    /// The font files behind the store's slots, and how often each was parsed.
    font_files: Vec<LoadedFont>,
    roles: FontRoles,
    /// Office fonts named in the configuration but not installed (with system fonts on).
    missing_fonts: Vec<String>,
    templates: BTreeMap<String, String>,
    /// The `.typ` templates, parsed once, with their bytes.
    parsed: BTreeMap<String, (Source, Bytes)>,
    /// `/fonts.json`: the font roles the templates read.
    roles_json: Bytes,
}

/// One document to typeset: its main template, the templates it uses, and the files generated
/// for it. The templates it names are the only ones its compilation can see, so the list is
/// exactly what the document depends on (a change to another template cannot affect it).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// How the document is named in messages (`2018-03 工作简报`).
    pub label: String,
    /// The main file: a template name, or a generated file's name.
    pub main: String,
    pub templates: Vec<String>,
    /// Generated files by project path (`/data.json`, `/narrative.typ`).
    pub generated: Vec<(String, Vec<u8>)>,
    /// The document date (Typst's `today`, and the PDF's date).
    pub date: (u16, u8, u8),
}

impl Prepared {
    pub fn new(label: impl Into<String>, main: &str, templates: &[&str], generated: Vec<(String, Vec<u8>)>, date: (u16, u8, u8)) -> Prepared {
        Prepared {
            label: label.into(),
            main: main.to_string(),
            templates: templates.iter().map(|t| t.to_string()).collect(),
            generated,
            date,
        }
    }
}

/// PDF flavour: ordinary, or PDF/A-2b for the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfKind {
    Plain,
    Archival,
}

/// A face the store can load: which file it comes from, and how often it was parsed.
struct LoadedFont {
    /// `fonts/FandolSong-Regular.otf` for a bundled font, the full path for an installed one.
    name: String,
    path: PathBuf,
    sha256: Option<String>,
    loads: Arc<AtomicUsize>,
}

/// A bundled face: its file's bytes (read once, shared by the faces of a collection), parsed
/// on first use.
struct Face {
    data: Bytes,
    index: u32,
    loads: Arc<AtomicUsize>,
}

/// Engines created and font faces parsed in this process, for tests that prove sharing.
static ENGINES: AtomicUsize = AtomicUsize::new(0);
static FACES_PARSED: AtomicUsize = AtomicUsize::new(0);

/// (engines created, font faces parsed) so far in this process.
pub fn process_counts() -> (usize, usize) {
    (ENGINES.load(Ordering::Relaxed), FACES_PARSED.load(Ordering::Relaxed))
}

impl FontSource for Face {
    fn load(&self) -> Option<Font> {
        FACES_PARSED.fetch_add(1, Ordering::Relaxed);
        self.loads.fetch_add(1, Ordering::Relaxed);
        Font::new(self.data.clone(), self.index)
    }
}

/// An installed font file, read and parsed on first use, counting its loads.
struct CountedFont {
    path: FontPath,
    loads: Arc<AtomicUsize>,
}

impl FontSource for CountedFont {
    fn load(&self) -> Option<Font> {
        FACES_PARSED.fetch_add(1, Ordering::Relaxed);
        self.loads.fetch_add(1, Ordering::Relaxed);
        self.path.load()
    }
}

/// How an engine's fonts were used: for tests that prove the fonts are shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontUse {
    /// Font files known to the store.
    pub files: usize,
    /// Font faces parsed so far, over all documents.
    pub parsed: usize,
    /// The most times any one face was parsed (1 when they are shared).
    pub most_parses_of_one: usize,
}

impl Engine {
    /// Loads the bundled fonts of `fonts_dir` (lazily: files are parsed on first use) and the
    /// templates, with the bundled font roles only: the reproducible default.
    pub fn new(fonts_dir: &Path, templates_dir: &Path) -> Result<Engine> {
        Engine::with_fonts(fonts_dir, templates_dir, &FontConfig::default(), false)
    }

    /// As `new`; with `system`, the installed fonts are added and the configured office
    /// fonts come first in each role, the bundled ones after them as the fallback.
    pub fn with_fonts(fonts_dir: &Path, templates_dir: &Path, config: &FontConfig, system: bool) -> Result<Engine> {
        let fonts = inputs::read_dir("读取字体", fonts_dir)?;
        let templates = inputs::read_dir("读取模板", templates_dir)?;
        Engine::from_files(fonts_dir, &fonts, &templates, config, system)
    }

    /// The engine over files already read: the bundled `fonts` (of `fonts_dir`) and the templates.
    pub fn from_files(fonts_dir: &Path, fonts: &[File], templates: &[File], config: &FontConfig, system: bool) -> Result<Engine> {
        ENGINES.fetch_add(1, Ordering::Relaxed);
        let mut store = FontStore::new();
        let mut font_files = Vec::new();
        for file in fonts {
            let data = Bytes::new(file.bytes.clone()); // shares the bytes read with the inputs
            for (index, info) in (0..).map_while(|i| FontInfo::new(&file.bytes, i).map(|info| (i, info))) {
                let loads = Arc::new(AtomicUsize::new(0));
                let name = format!("fonts/{}", file.rel);
                font_files.push(LoadedFont { name, path: file.path.clone(), sha256: Some(file.sha256.clone()), loads: loads.clone() });
                store.push((Face { data: data.clone(), index, loads }, info));
            }
        }
        if store.book().families().next().is_none() {
            return Err(Error::NoFonts { path: fonts_dir.to_path_buf() });
        }
        if system {
            for (path, info) in typst_kit::fonts::system() {
                let loads = Arc::new(AtomicUsize::new(0));
                let name = path.path.display().to_string();
                font_files.push(LoadedFont { name, path: path.path.clone(), sha256: None, loads: loads.clone() });
                store.push((CountedFont { path, loads }, info));
            }
        }
        let available = |name: &str| store.book().contains_family(&name.to_lowercase());
        let roles = FontRoles::new(config, system, available);
        let mut missing_fonts: Vec<String> = if system { config.all().filter(|f| !available(f)).cloned().collect() } else { Vec::new() };
        missing_fonts.dedup();
        let templates: BTreeMap<String, String> =
            templates.iter().map(|f| (f.rel.clone(), String::from_utf8_lossy(&f.bytes).into_owned())).collect();
        let parsed = templates
            .iter()
            .filter(|(n, _)| n.ends_with(".typ"))
            .map(|(n, t)| (n.clone(), (Source::new(world::file_id(&format!("/{n}")), t.clone()), Bytes::from_string(t.clone()))))
            .collect();
        let roles_json = Bytes::new(serde_json::to_vec_pretty(&roles).expect("serialisable"));
        let mut pdfa = Dict::new();
        pdfa.insert("pdfa".into(), "true".into_value());
        let archival = LazyHash::new(Library::builder().with_inputs(pdfa).build());
        Ok(Engine { library: LazyHash::new(Library::default()), archival, fonts: store, font_files, roles, missing_fonts, templates, parsed, roles_json })
    }

    /// Office fonts named in the configuration that this computer does not have.
    pub fn missing_fonts(&self) -> &[String] {
        &self.missing_fonts
    }

    pub fn font_roles(&self) -> &FontRoles {
        &self.roles
    }

    pub fn template(&self, name: &str) -> Result<&str> {
        self.templates.get(name).map(String::as_str).ok_or_else(|| Error::Template {
            name: name.to_string(),
            msg: "模板文件不存在".into(),
        })
    }

    pub fn fonts(&self) -> &FontStore {
        &self.fonts
    }

    /// How often the fonts were parsed so far.
    pub fn font_use(&self) -> FontUse {
        let counts: Vec<usize> = self.font_files.iter().map(|f| f.loads.load(Ordering::Relaxed)).collect();
        FontUse { files: counts.len(), parsed: counts.iter().sum(), most_parses_of_one: counts.iter().copied().max().unwrap_or(0) }
    }

    /// The font files the document roles can be set in (every face of every role family), as
    /// (name, SHA-256), sorted by name without repeats: the fonts that go into a document. A
    /// bundled font's hash is the one computed when it was read; an installed one is read here.
    pub fn role_font_hashes(&self) -> Result<Vec<(String, String)>> {
        let book = self.fonts.book();
        let families: Vec<String> = self.roles.all_families().map(|f| f.to_lowercase()).collect();
        let mut files: Vec<&LoadedFont> = self
            .font_files
            .iter()
            .enumerate()
            .filter(|(i, _)| book.info(*i).is_some_and(|info| families.contains(&info.family.to_lowercase())))
            .map(|(_, f)| f)
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files.dedup_by(|a, b| a.name == b.name);
        files
            .into_iter()
            .map(|f| {
                let sha = match &f.sha256 {
                    Some(s) => s.clone(),
                    None => inputs::sha256(&std::fs::read(&f.path).map_err(|e| Error::io("读取字体", &f.path, e))?),
                };
                Ok((f.name.clone(), sha))
            })
            .collect()
    }

    /// Every file a document's compilation sees: the templates it uses, the font roles and the
    /// generated files, by project path (`/bulletin.typ`, `/data.json`). `--keep-typst` writes
    /// exactly these, and the incremental cache hashes them.
    pub fn sources(&self, doc: &Prepared) -> Result<Vec<(String, Vec<u8>)>> {
        let mut files = Vec::new();
        for name in &doc.templates {
            files.push((format!("/{name}"), self.template(name)?.as_bytes().to_vec()));
        }
        files.push(("/fonts.json".into(), self.roles_json.to_vec()));
        files.extend(doc.generated.iter().cloned());
        Ok(files)
    }

    /// Typesets a prepared document (for an ordinary PDF).
    pub fn typeset(&self, doc: &Prepared) -> Result<PagedDocument> {
        self.typeset_for(doc, PdfKind::Plain)
    }

    fn typeset_for(&self, doc: &Prepared, kind: PdfKind) -> Result<PagedDocument> {
        let mut parsed = Vec::new();
        let mut files = Vec::new();
        for name in &doc.templates {
            match self.parsed.get(name) {
                Some(source) => parsed.push(source.clone()),
                None => files.push((format!("/{name}"), Bytes::from_string(self.template(name)?.to_string()))),
            }
        }
        files.push(("/fonts.json".into(), self.roles_json.clone()));
        files.extend(doc.generated.iter().map(|(path, bytes)| (path.clone(), Bytes::new(bytes.clone()))));
        let (y, m, d) = doc.date;
        let today = Datetime::from_ymd(i32::from(y), m, d).expect("valid date");
        let library = if kind == PdfKind::Archival { &self.archival } else { &self.library };
        let world = DocWorld::new(library, &self.fonts, &format!("/{}", doc.main), parsed, files, today);
        let result = typst::compile::<PagedDocument>(&world);
        let mut problems: Vec<&SourceDiagnostic> = result.warnings.iter().collect();
        match &result.output {
            Ok(_) if problems.is_empty() => {}
            Ok(_) => return Err(typeset_error(&doc.label, &world, &problems)),
            Err(errors) => {
                problems.extend(errors.iter());
                return Err(typeset_error(&doc.label, &world, &problems));
            }
        }
        Ok(result.output.expect("checked above"))
    }

    /// Typesets and exports: the PDF bytes of a prepared document.
    pub fn render(&self, doc: &Prepared, kind: PdfKind) -> Result<Vec<u8>> {
        let paged = self.typeset_for(doc, kind)?;
        self.pdf(&doc.label, &paged, doc.date, kind)
    }

    /// The PDF bytes of a document, with a fixed identity and date so that builds are reproducible.
    pub fn pdf(&self, label: &str, doc: &PagedDocument, date: (u16, u8, u8), kind: PdfKind) -> Result<Vec<u8>> {
        let dt = Datetime::from_ymd_hms(i32::from(date.0), date.1, date.2, 0, 0, 0).expect("valid date");
        let standards = match kind {
            PdfKind::Plain => PdfStandards::default(),
            PdfKind::Archival => PdfStandards::new(&[PdfStandard::A_3b]).map_err(|e| Error::Typeset { document: label.to_string(), msg: e.message().to_string() })?,
        };
        let options = PdfOptions {
            ident: Smart::Custom(format!("jianbao/{label}")),
            creator: Smart::Custom(Some("jianbao".into())),
            timestamp: Some(Timestamp::new_local(dt, 480).expect("valid offset")),
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(doc, &options).map_err(|errs| Error::Typeset {
            document: label.to_string(),
            msg: errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("\n"),
        })
    }
}

/// Typst's errors and warnings with file, line and column, as typst-cli shows them.
fn typeset_error(document: &str, world: &DocWorld, diags: &[&SourceDiagnostic]) -> Error {
    let mut msg = String::new();
    for d in diags {
        let kind = if d.severity == Severity::Error { "错误" } else { "警告" };
        let at = d.span.id().and_then(|id| {
            let source = world.source(id).ok()?;
            let range = world.range(d.span)?;
            let (line, col) = source.lines().byte_to_line_column(range.start)?;
            Some(format!("{}:{}:{}", id.vpath().get_with_slash(), line + 1, col + 1))
        });
        msg.push_str(&format!("{kind} {}：{}\n", at.unwrap_or_default(), d.message));
        for h in &d.hints {
            msg.push_str(&format!("    提示：{}\n", h.v));
        }
    }
    Error::Typeset { document: document.to_string(), msg }
}
