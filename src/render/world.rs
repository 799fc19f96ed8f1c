//! The Typst `World` for one document: it only delegates. Sources and data are served from
//! memory (the templates and the generated files); nothing is read from disk or the network.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};
use typst_kit::fonts::FontStore;

/// One document's world over a shared library and font store.
pub struct DocWorld<'a> {
    library: &'a LazyHash<Library>,
    fonts: &'a FontStore,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    main: FileId,
    today: Datetime,
}

/// The file id of a project path such as `/main.typ`.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl<'a> DocWorld<'a> {
    /// `parsed` are sources already parsed, with their bytes (shared templates); `files` maps
    /// project paths (`/narrative.typ`, `/data.json`) to contents, and its `.typ` files become sources.
    pub fn new(
        library: &'a LazyHash<Library>,
        fonts: &'a FontStore,
        main: &str,
        parsed: Vec<(Source, Bytes)>,
        files: Vec<(String, Bytes)>,
        today: Datetime,
    ) -> Self {
        let mut sources = HashMap::new();
        let mut blobs = HashMap::new();
        for (source, bytes) in parsed {
            blobs.insert(source.id(), bytes);
            sources.insert(source.id(), source);
        }
        for (path, bytes) in files {
            let id = file_id(&path);
            if path.ends_with(".typ") {
                sources.insert(id, Source::new(id, String::from_utf8_lossy(&bytes).into_owned()));
            }
            blobs.insert(id, bytes);
        }
        DocWorld { library, fonts, sources, files: blobs, main: file_id(main), today }
    }

    fn check_root(id: FileId) -> FileResult<()> {
        match id.root() {
            VirtualRoot::Project => Ok(()),
            VirtualRoot::Package(_) => Err(FileError::Other(Some("不允许导入 Typst 包".into()))),
        }
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        Self::check_root(id)?;
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        Self::check_root(id)?;
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
