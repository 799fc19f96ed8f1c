//! Rendering: templates and figures into Typst sources, typeset in-process into PDF.

pub mod bulletin;
pub mod coverage;
mod filters;
pub mod fonts;
pub use crate::base::format;
pub mod markup;
pub mod notices;
pub mod ofd;
pub mod report;
pub mod summary;
pub mod tables;
mod typst_zh;
pub mod world;
pub mod xunbao;
pub mod yearly;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Smart};
use typst::syntax::Source;
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::base::error::{Error, Result};
use crate::setup::config::FontConfig;
use crate::setup::inputs::Asset;
pub use fonts::{process_counts, FontUse, Fonts};
use world::DocWorld;

/// What every document of a build shares: the standard library, the fonts, the templates
/// (each `.typ` parsed once). It is `Sync`: documents are typeset from it in parallel.
pub struct Engine {
    library: LazyHash<Library>,
    /// The library for PDF/A: `sys.inputs.pdfa` is `"true"` (the templates then use RGB red,
    /// since typst cannot embed the CMYK profile PDF/A asks for with CMYK colours).
    archival: LazyHash<Library>,
    fonts: Fonts,
    /// Every template by name (built in, or the office's own).
    templates: BTreeMap<String, Asset>,
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
        Prepared { label: label.into(), main: main.to_string(), templates: templates.iter().map(|t| t.to_string()).collect(), generated, date }
    }
}

/// A numbered document's identity, printed on its masthead: its number in its series (第N期),
/// its date, and whether it is a draft, a preview not yet signed (待签发) or a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub number: u32,
    pub date: (u16, u8, u8),
    pub draft: bool,
    /// Not yet published as it stands: the number is the one publishing will give it.
    pub pending: bool,
    pub corrects: Option<u32>,
    /// Declared never to be published: it has no number.
    pub skipped: bool,
}

impl Meta {
    /// `第3期`, `第3期（待签发）`; `不签发` for a period declared never to be published.
    pub fn issue(&self) -> String {
        if self.skipped {
            return "（不签发）".into();
        }
        format!("{}{}", crate::base::series::number_label(self.number), if self.pending { "（待签发）" } else { "" })
    }

    /// `本期更正第1期，原第1期作废`, for a correction.
    pub fn correction(&self) -> Option<String> {
        self.corrects.map(|n| {
            let label = crate::base::series::number_label(n);
            format!("本期更正{label}，原{label}作废")
        })
    }

    pub fn date_cn(&self) -> String {
        format::date(self.date.0, self.date.1, self.date.2)
    }
}

/// A document in the formats asked for: its PDF and, if asked, its OFD.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub ofd: Option<Vec<u8>>,
    pub pages: usize,
}

/// PDF flavour: ordinary, or PDF/A for the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfKind {
    Plain,
    Archival,
}

impl Engine {
    /// The built-in templates and fonts only: the reproducible default.
    pub fn built_in() -> Result<Engine> {
        Engine::with_template_dir(None)
    }

    /// The built-in fonts, and the built-in templates overridden by the files of `dir`.
    pub fn with_template_dir(dir: Option<&Path>) -> Result<Engine> {
        let inputs = crate::setup::inputs::read_dir("读取模板", dir.unwrap_or(Path::new(".")))?;
        let mut templates: BTreeMap<String, Asset> = crate::base::bundled::TEMPLATES.iter().map(|b| (b.name.to_string(), Asset::from_bundled(b))).collect();
        for f in inputs.iter().filter(|_| dir.is_some()) {
            templates.insert(f.rel.clone(), Asset::from_file(f, crate::setup::inputs::Origin::Option));
        }
        let fonts = Fonts::new(&crate::base::bundled::FONTS.iter().map(Asset::from_bundled).collect::<Vec<_>>(), &FontConfig::default(), false)?;
        Ok(Engine::new(fonts, templates))
    }

    /// The engine of a run: its fonts (`Fonts::for_run`) and its templates (the office's over
    /// the built-in ones).
    pub fn for_run(inputs: &crate::setup::inputs::Inputs, system_fonts: bool) -> Result<Engine> {
        Ok(Engine::new(Fonts::for_run(inputs, system_fonts)?, inputs.templates()))
    }

    /// The engine over fonts already loaded and the templates by name.
    pub fn new(fonts: Fonts, templates: BTreeMap<String, Asset>) -> Engine {
        let parsed = templates
            .iter()
            .filter(|(n, _)| n.ends_with(".typ"))
            .map(|(n, t)| {
                let text = String::from_utf8_lossy(&t.bytes).into_owned();
                (n.clone(), (Source::new(world::file_id(&format!("/{n}")), text), Bytes::new(t.bytes.clone())))
            })
            .collect();
        let roles_json = Bytes::new(serde_json::to_vec_pretty(fonts.roles()).expect("serialisable"));
        let mut pdfa = Dict::new();
        pdfa.insert("pdfa".into(), "true".into_value());
        let archival = LazyHash::new(Library::builder().with_inputs(pdfa).build());
        Engine { library: LazyHash::new(Library::default()), archival, fonts, templates, parsed, roles_json }
    }

    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// A template's text.
    pub fn template(&self, name: &str) -> Result<std::borrow::Cow<'_, str>> {
        self.templates
            .get(name)
            .map(|t| String::from_utf8_lossy(&t.bytes))
            .ok_or_else(|| Error::Template { name: name.to_string(), msg: "模板文件不存在".into() })
    }

    /// The template of that name, with where it comes from.
    pub fn template_asset(&self, name: &str) -> Option<&Asset> {
        self.templates.get(name)
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
        let world = DocWorld::new(library, self.fonts.store(), &format!("/{}", doc.main), parsed, files, today);
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
        Ok(self.render_with(doc, kind, false)?.pdf)
    }

    /// Typesets once and exports the PDF and, when `ofd` is set, the OFD of the same pages (an
    /// OFD-A beside an archival PDF).
    pub fn render_with(&self, doc: &Prepared, kind: PdfKind, ofd: bool) -> Result<Rendered> {
        let paged = self.typeset_for(doc, kind)?;
        let pdf = self.pdf(&doc.label, &paged, doc.date, kind)?;
        let ofd = ofd.then(|| self.ofd(&doc.label, &paged, doc.date, kind == PdfKind::Archival)).transpose()?;
        Ok(Rendered { pdf, ofd, pages: paged.pages().len() })
    }

    /// The OFD bytes of a typeset document (`ofd::write`).
    pub fn ofd(&self, label: &str, doc: &PagedDocument, date: (u16, u8, u8), archival: bool) -> Result<Vec<u8>> {
        ofd::write(doc, &ofd::OfdMeta { label, date, archival }).map_err(|msg| Error::Typeset { document: label.to_string(), msg })
    }

    /// The PDF bytes of a document, with a fixed identity and date so that builds are reproducible.
    pub fn pdf(&self, label: &str, doc: &PagedDocument, date: (u16, u8, u8), kind: PdfKind) -> Result<Vec<u8>> {
        let dt = Datetime::from_ymd_hms(i32::from(date.0), date.1, date.2, 0, 0, 0).expect("valid date");
        let standards = match kind {
            PdfKind::Plain => PdfStandards::default(),
            PdfKind::Archival => PdfStandards::new(&[PdfStandard::A_3b, PdfStandard::Ua_1])
                .map_err(|e| Error::Typeset { document: label.to_string(), msg: typst_zh::message(e.message()) })?,
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
            msg: errs.iter().map(|e| typst_zh::message(&e.message)).collect::<Vec<_>>().join("\n"),
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
        // In Chinese; typst's hints are English prose about its own syntax, left out.
        msg.push_str(&format!("{kind} {}：{}\n", at.unwrap_or_default(), typst_zh::message(&d.message)));
    }
    Error::Typeset { document: document.to_string(), msg }
}
