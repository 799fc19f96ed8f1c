//! The fonts of a run: one store for the whole build, faces parsed lazily and shared by every
//! document; the family each role is set in; what `check` needs to find characters the fonts
//! cannot print (no templates involved).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};
use typst_kit::fonts::{FontPath, FontSource, FontStore};

use crate::base::error::{Error, Result};
use crate::setup::config::{FontConfig, FontRoles};
use crate::setup::inputs::{self, Asset};

/// A face the store can load: which font it comes from, and how often it was parsed.
struct LoadedFont {
    /// `内置/FandolSong-Regular.otf`, the office's font file, or an installed font's path.
    name: String,
    path: Option<std::path::PathBuf>,
    /// The file's bytes, when in memory (built in, or the office's own).
    data: Option<Bytes>,
    sha256: Option<String>,
    loads: Arc<AtomicUsize>,
}

/// A face of a font file already in memory (read once or built in, shared by the faces of a
/// collection), parsed on first use.
struct Face {
    data: Bytes,
    index: u32,
    loads: Arc<AtomicUsize>,
}

/// Font stores created and font faces parsed in this process, for tests that prove sharing.
static STORES: AtomicUsize = AtomicUsize::new(0);
static FACES_PARSED: AtomicUsize = AtomicUsize::new(0);

/// (font stores created, font faces parsed) so far in this process.
pub fn process_counts() -> (usize, usize) {
    (STORES.load(Ordering::Relaxed), FACES_PARSED.load(Ordering::Relaxed))
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

/// How the fonts were used: for tests that prove the fonts are shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontUse {
    /// Font faces known to the store.
    pub files: usize,
    /// Font faces parsed so far, over all documents.
    pub parsed: usize,
    /// The most times any one face was parsed (1 when they are shared).
    pub most_parses_of_one: usize,
}

/// The fonts of a run and the families each role is set in.
pub struct Fonts {
    store: FontStore,
    /// The font behind each of the store's slots, and how often it was parsed.
    files: Vec<LoadedFont>,
    roles: FontRoles,
    /// Office fonts named in the configuration but not installed (with system fonts on).
    missing: Vec<String>,
}

impl Fonts {
    /// The fonts of a run: the office's and the built-in ones, plus the installed ones if the
    /// options (`--system-fonts`) or `config.yaml` ask for them.
    pub fn for_run(inputs: &crate::setup::inputs::Inputs, system_fonts: bool) -> Result<Fonts> {
        let config = &inputs.settings;
        Fonts::new(&inputs.fonts(), &config.fonts, system_fonts || config.fonts.system)
    }

    /// `fonts` in search order (the office's, then the built-in ones); with `system`, the
    /// installed fonts too, and the configured office fonts come first in each role, the
    /// bundled ones after them as the fallback.
    pub fn new(fonts: &[Asset], config: &FontConfig, system: bool) -> Result<Fonts> {
        STORES.fetch_add(1, Ordering::Relaxed);
        let mut store = FontStore::new();
        let mut files = Vec::new();
        let mut aliases = Aliases::default();
        for font in fonts {
            let data = Bytes::new(font.bytes.clone()); // shares the bytes, never copies them
            for (index, info) in (0..).map_while(|i| FontInfo::new(&font.bytes, i).map(|info| (i, info))) {
                aliases.add(family_names(&font.bytes, index), &info.family);
                let loads = Arc::new(AtomicUsize::new(0));
                files.push(LoadedFont {
                    name: font.label(),
                    path: font.path.clone(),
                    data: Some(data.clone()),
                    sha256: Some(font.sha256.clone()),
                    loads: loads.clone(),
                });
                store.push((Face { data: data.clone(), index, loads }, info));
            }
        }
        if system {
            for (path, info, names) in installed() {
                aliases.add(names, &info.family);
                let loads = Arc::new(AtomicUsize::new(0));
                let name = path.path.display().to_string();
                files.push(LoadedFont { name, path: Some(path.path.clone()), data: None, sha256: None, loads: loads.clone() });
                store.push((CountedFont { path, loads }, info));
            }
        }
        if store.book().families().next().is_none() {
            return Err(Error::NoFonts);
        }
        let resolve = |name: &str| aliases.resolve(store.book(), name);
        let roles = FontRoles::new(config, system, resolve);
        let mut missing: Vec<String> = if system { config.all().filter(|f| resolve(f).is_none()).cloned().collect() } else { Vec::new() };
        missing.dedup();
        Ok(Fonts { store, files, roles, missing })
    }

    /// What each role is set in, for the closing summary: `仿宋：FangSong（本机字体）`.
    pub fn summary(&self) -> Vec<String> {
        let book = self.store.book();
        let roles = [("仿宋", &self.roles.fang), ("宋体", &self.roles.song), ("黑体", &self.roles.hei), ("楷体", &self.roles.kai), ("标题", &self.roles.title)];
        roles
            .iter()
            .map(|(role, families)| {
                let family = families.first().map(String::as_str).unwrap_or_default();
                let file = self.files.iter().enumerate().find(|(i, _)| book.info(*i).is_some_and(|info| info.family.eq_ignore_ascii_case(family)));
                let from = match file.map(|(_, f)| f) {
                    Some(f) if f.data.is_none() => "本机字体".to_string(),
                    Some(f) if f.name.starts_with("内置/") => "内置".to_string(),
                    Some(f) => f.name.clone(),
                    None => "内置".to_string(),
                };
                format!("{role}：{family}（{from}）")
            })
            .collect()
    }

    pub fn store(&self) -> &FontStore {
        &self.store
    }

    pub fn book(&self) -> &typst::text::FontBook {
        self.store.book()
    }

    pub fn roles(&self) -> &FontRoles {
        &self.roles
    }

    /// Office fonts named in the configuration that this computer does not have.
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// How often the fonts were parsed so far.
    pub fn font_use(&self) -> FontUse {
        let counts: Vec<usize> = self.files.iter().map(|f| f.loads.load(Ordering::Relaxed)).collect();
        FontUse { files: counts.len(), parsed: counts.iter().sum(), most_parses_of_one: counts.iter().copied().max().unwrap_or(0) }
    }

    /// The font files the document roles can be set in (every face of every role family), as
    /// (name, SHA-256), sorted by name without repeats: the fonts that go into a document. A
    /// built-in or office font's hash is known already; an installed one is read here.
    pub fn role_font_hashes(&self) -> Result<Vec<(String, String)>> {
        self.role_fonts()
            .into_iter()
            .map(|f| {
                Ok((
                    f.name.clone(),
                    match &f.sha256 {
                        Some(s) => s.clone(),
                        None => inputs::sha256(&f.bytes()?),
                    },
                ))
            })
            .collect()
    }

    /// The same fonts with their SM3 (for the archive's manifest: read or hashed here).
    pub fn role_font_sm3(&self) -> Result<Vec<(String, String)>> {
        self.role_fonts().into_iter().map(|f| Ok((f.name.clone(), inputs::sm3(&f.bytes()?)))).collect()
    }

    fn role_fonts(&self) -> Vec<&LoadedFont> {
        let book = self.store.book();
        let families: Vec<String> = self.roles.all_families().map(|f| f.to_lowercase()).collect();
        let mut files: Vec<&LoadedFont> = self
            .files
            .iter()
            .enumerate()
            .filter(|(i, _)| book.info(*i).is_some_and(|info| families.contains(&info.family.to_lowercase())))
            .map(|(_, f)| f)
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files.dedup_by(|a, b| a.name == b.name);
        files
    }
}

/// Every family name a font gives itself (name IDs 1 and 16, in every language it can be read
/// in): Windows' own 仿宋 is "FangSong" in English and "仿宋" in Chinese.
fn family_names(data: &[u8], index: u32) -> Vec<String> {
    let Ok(face) = ttf_parser::Face::parse(data, index) else { return Vec::new() };
    let family = |id: u16| id == ttf_parser::name_id::FAMILY || id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY;
    face.names().into_iter().filter(|n| family(n.name_id)).filter_map(|n| n.to_string()).collect()
}

/// The fonts installed on this computer, with every family name each one has (as
/// `typst_kit::fonts::system` finds them, through fontdb, which reads the names in every language).
fn installed() -> Vec<(FontPath, FontInfo, Vec<String>)> {
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    db.faces()
        .filter_map(|face| {
            let path = match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => path.clone(),
                fontdb::Source::Binary(_) => return None,
            };
            let info = db.with_face_data(face.id, FontInfo::new)??;
            let names = face.families.iter().map(|(name, _)| name.clone()).collect();
            Some((FontPath { path, index: face.index }, info, names))
        })
        .collect()
}

/// Any family name of a font (lowercase) → the family typst knows it by.
#[derive(Default)]
struct Aliases(std::collections::HashMap<String, String>);

impl Aliases {
    fn add(&mut self, names: Vec<String>, family: &str) {
        for n in names {
            self.0.entry(n.to_lowercase()).or_insert_with(|| family.to_string());
        }
    }

    /// The family typst sets a configured name in: the name itself if typst knows it, else the
    /// family of the font that has it among its other names (any language).
    fn resolve(&self, book: &typst::text::FontBook, name: &str) -> Option<String> {
        let lower = name.to_lowercase();
        if book.contains_family(&lower) {
            return Some(name.to_string());
        }
        self.0.get(&lower).cloned()
    }
}

impl LoadedFont {
    /// The font file's bytes: in memory, or read from its path (an installed font).
    fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>> {
        match (&self.data, &self.path) {
            (Some(d), _) => Ok(std::borrow::Cow::Borrowed(d.as_slice())),
            (None, Some(path)) => std::fs::read(path).map(std::borrow::Cow::Owned).map_err(|e| Error::io("读取字体", path, e)),
            (None, None) => unreachable!("a font without bytes or a path"),
        }
    }
}
