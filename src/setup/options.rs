//! The options of a run: the folders, the month, and what the command line asked for.

use std::path::{Path, PathBuf};

use crate::base::bundled;
use crate::base::period::{self, Period};
use crate::setup::config;

/// Checked options for a run; the command line is turned into this.
#[derive(Debug, Clone)]
pub struct Options {
    pub data: PathBuf,
    pub out: PathBuf,
    /// Only this month.
    pub period: Option<Period>,
    /// Folders of fonts and templates given on the command line: they win over the data
    /// folder's own and the built-in ones.
    pub fonts: Option<PathBuf>,
    pub templates: Option<PathBuf>,
    /// Render even with data errors, watermarked 草稿.
    pub draft: bool,
    /// Also write each document's Typst sources and data beside its PDF.
    pub keep_typst: bool,
    /// Use the fonts installed on this computer, by the names in `config.yaml`, before the bundled ones.
    pub system_fonts: bool,
    /// Typeset every document even if its inputs are unchanged.
    pub force: bool,
    /// The identity of the program doing the work (its build id): part of every build key and
    /// recorded with every archived document.
    pub program: String,
    /// The date 逾期 is judged on (else `today` in `config.yaml`; never the clock in a document).
    pub today: Option<period::Date>,
    /// The formats given on the command line (`--formats pdf,ofd`); else `config.yaml`'s.
    pub formats: Option<Vec<config::Format>>,
}

impl Options {
    /// Defaults relative to `root`: `data/` and `out/`, the built-in fonts and templates.
    pub fn in_dir(root: &Path) -> Options {
        Options {
            data: root.join("data"),
            out: root.join("out"),
            period: None,
            fonts: None,
            templates: None,
            draft: false,
            keep_typst: false,
            system_fonts: false,
            force: false,
            program: bundled::BUILD_ID.to_string(),
            today: None,
            formats: None,
        }
    }
}
