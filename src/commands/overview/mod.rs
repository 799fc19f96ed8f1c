//! 结果一览 (`out/结果一览.html`): one self-contained page that shows a run at a glance: the
//! latest month's documents and their state, whom to phone and the reporting board, the
//! problems by file, every document, and the year's progress as a chart. Written by `build`
//! (and so `watch`) and by `status`; values are escaped by the template engine (HTML
//! auto-escaping), so a township name or a cell value never becomes markup.

mod chart;
mod view;

use std::path::{Path, PathBuf};

use crate::base::error::{Error, Result};
use crate::commands::archive::manifest::Manifest;
use crate::commands::build::cache::Cache;
use crate::documents::kinds::Registry;
use crate::figures::checked::Checked;
use crate::office::status::Board;
use crate::setup::options::Options;

/// The page's file name, in the output folder.
pub const FILE: &str = "结果一览.html";

const TEMPLATE: &str = include_str!("page.html");

/// What a run knows that the page shows.
pub struct Run<'a> {
    pub checked: &'a Checked,
    /// The board of the latest month with data.
    pub board: Option<&'a Board>,
    /// The build record: every document with its pages, and the ones held back with why.
    pub cache: &'a Cache,
    /// Documents typeset by this run (the others in the record were unchanged).
    pub rendered: &'a [String],
    /// Every problem found, as the console and 数据校验报告 list them.
    pub diagnostics: &'a [crate::base::diag::Diagnostic],
    pub draft: bool,
    /// The kinds of document the run made.
    pub kinds: Registry,
}

/// Writes `out/结果一览.html` (atomically) and returns its path.
pub fn write(opts: &Options, run: &Run) -> Result<PathBuf> {
    let manifest = Manifest::load(&crate::commands::archive::folder(&opts.out)).unwrap_or_default();
    let page = view::page(opts, run, &manifest);
    let html = render(&page).map_err(|e| Error::Usage { msg: format!("结果一览无法生成（{e}）") })?;
    let path = opts.out.join(FILE);
    crate::base::output::write_atomic(&path, html.as_bytes())?;
    Ok(path)
}

/// `status`: the page with the build record as the last build left it (nothing typeset) and the
/// board `status` shows.
pub fn write_for_status(opts: &Options, checked: &Checked, board: &Board) -> Result<PathBuf> {
    let cache = Cache::load(&opts.out);
    let run =
        Run { checked, board: Some(board), cache: &cache, rendered: &[], diagnostics: &checked.diagnostics, draft: opts.draft, kinds: crate::documents::KINDS };
    write(opts, &run)
}

/// The page's HTML: the template with the view, every value escaped.
fn render(page: &view::Page) -> std::result::Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // The name ends in .html: minijinja escapes every value for HTML (&, <, >, " and ').
    env.add_template("结果一览.html", TEMPLATE)?;
    env.get_template("结果一览.html")?.render(minijinja::Value::from(minijinja::value::Serde(page)))
}

/// `to` relative to the folder `from` (`../data/submissions`), `/`-separated, for a link; the
/// absolute path when the two share no ancestor.
fn relative(from: &Path, to: &Path) -> String {
    let (from, to) = (std::path::absolute(from).unwrap_or(from.to_path_buf()), std::path::absolute(to).unwrap_or(to.to_path_buf()));
    let (a, b): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return to.to_string_lossy().replace('\\', "/");
    }
    let up = std::iter::repeat_n("..".to_string(), a.len() - common);
    let down = b[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned());
    up.chain(down).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_output_folder() {
        assert_eq!(relative(Path::new("/w/county/out"), Path::new("/w/county/data/submissions")), "../data/submissions");
        assert_eq!(relative(Path::new("/w/out"), Path::new("/w/out/2019-03")), "2019-03");
    }
}
