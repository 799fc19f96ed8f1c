//! Finding and reading the submissions under the data folder.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::inputs::{File, Refused};
use crate::pieces;
use crate::plan::Plan;
use crate::submission::{self, Identity, Report};

const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];
/// The data folder's own files, which are not submissions.
const OWN_FILES: &[&str] = &["plan.yaml", "config.yaml", "README.md"];

/// A workbook found under the data folder.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the data folder, `/`-separated.
    pub rel: String,
}

/// Everything read from the submissions.
#[derive(Debug, Default)]
pub struct Loaded {
    pub reports: Vec<Report>,
    /// Every workbook read, with what it says about itself (readable or not), in path order.
    pub files: Vec<Identity>,
    pub diagnostics: Vec<Diagnostic>,
    pub files_read: usize,
}

/// What is under the data folder: workbooks and pieces (稿件), each sorted by path, and notes
/// on the files passed over.
#[derive(Debug, Default)]
pub struct Discovered {
    pub workbooks: Vec<Found>,
    pub pieces: Vec<Found>,
    pub notes: Vec<Diagnostic>,
}

/// Lists the workbooks and pieces under `data`; notes other files it passes over. The
/// output folder and the `skip` folders (the office's templates and fonts) are not looked into.
pub fn discover(data: &Path, out_dir: Option<&Path>, skip: &[&Path]) -> Result<Discovered> {
    let mut found = Discovered::default();
    let canonical = |p: &Path| p.canonicalize().ok();
    let not_here: Vec<PathBuf> = out_dir.into_iter().chain(skip.iter().copied()).filter_map(canonical).collect();
    // Links are followed: a workbook linked into the folder is read like the file it points to.
    let walker = WalkDir::new(data).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        let hidden = e.depth() > 0 && passed_over_by_name(&name);
        let passed_over = e.file_type().is_dir()
            && (name == "out" || canonical(e.path()).is_some_and(|p| not_here.contains(&p)));
        !hidden && !passed_over
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) if e.depth() == 0 => {
                let path = e.path().unwrap_or(data).to_path_buf();
                return Err(Error::io("读取数据文件夹", &path, e.into()));
            }
            Err(e) => {
                found.notes.push(passed_over(data, &e));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(data, entry.path());
        let file = Found { path: entry.path().to_path_buf(), rel: rel.clone() };
        if pieces::in_folder(&rel) {
            if pieces::is_piece(&rel) {
                found.pieces.push(file);
            } else {
                let msg = "不是稿件文件，已跳过。稿件应为 .docx、.txt 或 .md 文件（图片不排入简报）。";
                found.notes.push(Diagnostic::note("N-SKIPPED", &rel, msg));
            }
        } else if is_spreadsheet(entry.path()) {
            found.workbooks.push(file);
        } else if !(entry.depth() == 1 && OWN_FILES.contains(&rel.as_str())) {
            let msg = "不是电子表格文件，已跳过。乡镇报表应为 .xlsx、.xlsm、.xls 或 .ods 文件。";
            found.notes.push(Diagnostic::note("N-SKIPPED", &rel, msg));
        }
    }
    Ok(found)
}

/// A file or folder under the data folder that could not be looked at: a link whose target is
/// gone (W-LINK), a folder link back to a parent (N-SKIPPED), or no permission (W-UNREADABLE).
/// Never passed over without a word.
fn passed_over(data: &Path, e: &walkdir::Error) -> Diagnostic {
    let rel = e.path().map(|p| relative(data, p)).unwrap_or_default();
    if e.loop_ancestor().is_some() {
        return Diagnostic::note("N-SKIPPED", &rel, "这个文件夹链接指回它的上级文件夹，已跳过。");
    }
    let is_link = e.path().and_then(|p| p.symlink_metadata().ok()).is_some_and(|m| m.file_type().is_symlink());
    if is_link {
        let msg = "这是一个链接（快捷方式），但它指向的文件不存在，已跳过。请放入文件本身。";
        return Diagnostic::warning("W-LINK", &rel, msg);
    }
    let reason = e.io_error().map_or_else(|| e.to_string(), crate::error::io_reason);
    Diagnostic::warning("W-UNREADABLE", &rel, format!("无法读取（{reason}），已跳过。请检查文件夹的访问权限。"))
}

/// The one rule for files that are never inputs, by name: hidden files and folders (`.…`,
/// including LibreOffice's `.~lock…#`), and the temporary and lock files Office and WPS leave
/// beside an open document (`~$…`, `~WRL….tmp`). Discovery, the template and font folders and
/// watch mode all ask here.
pub fn passed_over_by_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~')
}

/// Whether `path` names a workbook format townships send (by extension, any case).
pub fn is_spreadsheet(path: &Path) -> bool {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    SPREADSHEET_EXTENSIONS.contains(&ext.as_str())
}

/// `a/b/c.xlsx` relative to the data folder, with forward slashes on every platform.
pub fn relative(data: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(data).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Reads every workbook (in parallel, results in path order); a file that cannot be read, or
/// was refused before reading (`refused`: too large, held open), is a diagnostic with what its
/// path says it is, and the rest go on.
pub fn parse_all(files: &[File], refused: &[Refused], plan: &Plan) -> Loaded {
    let parsed: Vec<_> = files.par_iter().map(|f| submission::read(&f.bytes, &f.rel, plan)).collect();
    let unread = refused.iter().filter(|r| !pieces::in_folder(&r.rel)).map(|r| submission::Read {
        report: None,
        identity: Identity::from_path(&r.rel, plan),
        diagnostics: vec![r.diagnostic()],
    });
    let mut loaded = Loaded { files_read: files.len(), ..Loaded::default() };
    for read in parsed.into_iter().chain(unread) {
        loaded.reports.extend(read.report);
        loaded.files.push(read.identity);
        loaded.diagnostics.extend(read.diagnostics);
    }
    loaded.files.sort_by(|a, b| a.file.cmp(&b.file));
    loaded
}
