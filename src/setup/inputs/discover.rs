//! Where each file under the data folder is looked at, by its name alone, and finding them:
//! pieces (稿件, by folder and extension), the folder's own files, the files never read, and
//! every other file, which may be a township's report whatever its extension (`inputs::kind`
//! tells by its bytes what it is). Every other module asks here.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::base::diag::Diagnostic;
use crate::base::error::{Error, Result};

/// Extensions of spreadsheets and of what offices send as one (WPS's `.et`, templates, CSV
/// exports, archives): a file named so is meant as a report, and is never passed over.
const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods", "et", "ett", "xlt", "xltx", "xltm", "csv", "zip", "7z", "rar"];
/// The data folder's own files, which are not submissions.
const OWN_FILES: &[&str] = &["plan.yaml", "config.yaml", "README.md"];
/// The folder of the pieces, under the data folder.
pub const PIECES_FOLDER: &str = "稿件";
/// Pieces: Word and WPS Writer documents (.docx, .doc, .wps and their templates), OpenDocument
/// text, RTF, plain text and Markdown, and PDF (which is refused with what to do). What each
/// is read as is decided by its bytes (`inputs::kind`).
pub const PIECE_EXTENSIONS: &[&str] = &["docx", "docm", "dotx", "doc", "dot", "wps", "wpt", "odt", "rtf", "txt", "md", "pdf"];
/// Photos beside a piece, named like it (`01-南村乡-推进会-1.jpg`): set with the piece.
pub const PHOTO_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png"];

/// A file found under the data folder.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the data folder, `/`-separated.
    pub rel: String,
}

/// What is under the data folder: the files that may be reports and the pieces (稿件), each
/// sorted by path, and notes on the files passed over.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Every file outside 稿件 but the folder's own: read, and told apart by their bytes.
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
        let passed_over = e.file_type().is_dir() && (name == "out" || canonical(e.path()).is_some_and(|p| not_here.contains(&p)));
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
        if in_pieces_folder(&rel) {
            if is_piece(&rel) {
                found.pieces.push(file);
            } else {
                let msg = "不是稿件文件，已跳过。稿件应为 Word 或 WPS 文字文档（.docx、.doc、.wps）、.odt、.rtf、.txt 或 .md 文件；照片（.jpg、.png）以稿件的文件名开头时随稿件排印。";
                found.notes.push(Diagnostic::note("N-SKIPPED", &rel, msg));
            }
        } else if !(entry.depth() == 1 && OWN_FILES.contains(&rel.as_str())) {
            found.workbooks.push(file);
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
    let reason = e.io_error().map_or_else(|| e.to_string(), crate::base::error::io_reason);
    Diagnostic::warning("W-UNREADABLE", &rel, format!("无法读取（{reason}），已跳过。请检查文件夹的访问权限。"))
}

/// The one rule for files that are never inputs, by name: hidden files and folders (`.…`,
/// including LibreOffice's `.~lock…#`), and the temporary and lock files Office and WPS leave
/// beside an open document (`~$…`, `~WRL….tmp`). Discovery, the template and font folders and
/// watch mode all ask here.
pub fn passed_over_by_name(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('~')
}

/// Whether `rel` is named like a spreadsheet or what offices send as one (by extension, any
/// case): such a file is a report whatever its bytes turn out to be.
pub fn is_spreadsheet(rel: &str) -> bool {
    SPREADSHEET_EXTENSIONS.contains(&extension(rel).as_str())
}

/// A folder's name, or an archive's name without its extension (`2019-03.zip` stands for the
/// folder `2019-03`).
pub fn archive_stem(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext)) if ["zip", "7z", "rar"].contains(&ext.to_lowercase().as_str()) => stem,
        _ => name,
    }
}

/// `a/b/c.xlsx` relative to the data folder, with forward slashes on every platform.
pub fn relative(data: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(data).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Whether a path relative to the data folder is in the pieces' folder.
pub fn in_pieces_folder(rel: &str) -> bool {
    rel.split_once('/').is_some_and(|(first, _)| first == PIECES_FOLDER)
}

/// Whether a file in the pieces' folder is a photo that goes with a piece named like it.
pub fn is_photo(rel: &str) -> bool {
    PHOTO_EXTENSIONS.contains(&extension(rel).as_str())
}

/// Whether a file in the pieces' folder is a piece or a photo beside one (read, or refused
/// with a diagnostic), by its extension; any other file there is passed over with a note.
pub fn is_piece(rel: &str) -> bool {
    let ext = extension(rel);
    PIECE_EXTENSIONS.contains(&ext.as_str()) || PHOTO_EXTENSIONS.contains(&ext.as_str())
}

/// A file's extension, in lower case.
pub fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default()
}
