//! Rendering: templates and figures into Typst sources, typeset in-process into PDF.

pub mod bulletin;
pub mod coverage;
mod filters;
pub mod format;
pub mod markup;
pub mod report;
pub mod summary;
pub mod world;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use typst::diag::{Severity, SourceDiagnostic};
use typst::foundations::{Datetime, Smart};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::config::{FontConfig, FontRoles};
use crate::error::{Error, Result};
use world::DocWorld;

/// What every document of a build shares: the standard library, the fonts, the templates.
pub struct Engine {
    library: LazyHash<Library>,
    fonts: FontStore,
    roles: FontRoles,
    /// Office fonts named in the configuration but not installed (with system fonts on).
    missing_fonts: Vec<String>,
    templates: BTreeMap<String, String>,
}

/// A typeset document ready to be written: its PDF and the sources that made it.
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// Generated files (`/data.json`, `/narrative.typ`) for `--keep-typst`.
    pub generated: Vec<(String, Vec<u8>)>,
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
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::scan(fonts_dir));
        if fonts.book().families().next().is_none() {
            return Err(Error::NoFonts { path: fonts_dir.to_path_buf() });
        }
        if system {
            fonts.extend(typst_kit::fonts::system());
        }
        let available = |name: &str| fonts.book().contains_family(&name.to_lowercase());
        let roles = FontRoles::new(config, system, available);
        let mut missing_fonts: Vec<String> = if system { config.all().filter(|f| !available(f)).cloned().collect() } else { Vec::new() };
        missing_fonts.dedup();
        let templates = load_templates(templates_dir)?;
        Ok(Engine { library: LazyHash::new(Library::default()), fonts, roles, missing_fonts, templates })
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

    /// Every file a document's compilation sees: the Typst templates and the generated files,
    /// by project path (`/bulletin.typ`, `/data.json`). `--keep-typst` writes exactly these.
    pub fn sources(&self, generated: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = self
            .templates
            .iter()
            .filter(|(n, _)| n.ends_with(".typ"))
            .map(|(n, t)| (format!("/{n}"), t.as_bytes().to_vec()))
            .collect();
        files.push(("/fonts.json".into(), serde_json::to_vec_pretty(&self.roles).expect("serialisable")));
        files.extend(generated.iter().cloned());
        files
    }

    /// Typesets `main` (a template name) with the generated files beside the templates.
    pub fn typeset(&self, document: &str, main: &str, generated: &[(String, Vec<u8>)], date: (u16, u8, u8)) -> Result<PagedDocument> {
        let files = self.sources(generated);
        let today = Datetime::from_ymd(i32::from(date.0), date.1, date.2).expect("valid date");
        let world = DocWorld::new(&self.library, &self.fonts, &format!("/{main}"), files, today);
        let result = typst::compile::<PagedDocument>(&world);
        let mut problems: Vec<&SourceDiagnostic> = result.warnings.iter().collect();
        match &result.output {
            Ok(_) if problems.is_empty() => {}
            Ok(_) => return Err(typeset_error(document, &world, &problems)),
            Err(errors) => {
                problems.extend(errors.iter());
                return Err(typeset_error(document, &world, &problems));
            }
        }
        Ok(result.output.expect("checked above"))
    }

    /// The PDF bytes of a document, with a fixed identity and date so that builds are reproducible.
    pub fn pdf(&self, document: &str, doc: &PagedDocument, date: (u16, u8, u8)) -> Result<Vec<u8>> {
        let dt = Datetime::from_ymd_hms(i32::from(date.0), date.1, date.2, 0, 0, 0).expect("valid date");
        let options = PdfOptions {
            ident: Smart::Custom(format!("jianbao/{document}")),
            creator: Smart::Custom(Some("jianbao".into())),
            timestamp: Some(Timestamp::new_local(dt, 480).expect("valid offset")),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(doc, &options).map_err(|errs| Error::Typeset {
            document: document.to_string(),
            msg: errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("\n"),
        })
    }
}

fn load_templates(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("读取模板目录", dir, e))?;
    for entry in entries {
        let path: PathBuf = entry.map_err(|e| Error::io("读取模板目录", dir, e))?.path();
        if path.is_file() {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io("读取模板", &path, e))?;
            out.insert(name, text);
        }
    }
    Ok(out)
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
