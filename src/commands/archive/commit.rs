//! Storing a publication in steps that a crash, a killed process or a full disk may interrupt
//! anywhere, leaving the archive either as it was or complete:
//!
//! 1. the PDF (and OFD), synced, under a staging name beside its place (`.jianbao-staged-…`);
//! 2. the manifest as it will be, written atomically, as `.jianbao-pending.json`: the commit point;
//! 3. the PDF (and OFD) into its place, never over another file;
//! 4. the pending manifest renamed over `manifest.json`.
//!
//! The next publication, under the archive's lock, first finishes what was committed (a
//! pending manifest: steps 3 and 4 again) or rolls back what was not (removes staged files).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

use super::manifest::Manifest;
use crate::base::error::{Error, Result};
use crate::setup::inputs::sha256;

/// The pending manifest: its presence is the commit point.
pub const PENDING: &str = ".jianbao-pending.json";

/// For tests: fail right after this step (1–3); 0 never fails.
#[doc(hidden)]
pub static FAIL_AFTER: AtomicU8 = AtomicU8::new(0);

fn step_done(n: u8) -> Result<()> {
    if FAIL_AFTER.load(Ordering::SeqCst) == n {
        return Err(Error::Archive { msg: format!("签发在第{n}步之后中断（故障注入）") });
    }
    Ok(())
}

/// Where an archived file (`2018/第03期-….pdf`) waits before it is moved into place.
fn staged(archive: &Path, file: &str) -> PathBuf {
    let place = crate::base::output::under(archive, file);
    let name = place.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    place.with_file_name(format!("{}staged-{name}", crate::base::output::TEMPORARY))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建归档目录", dir, e))?;
    let mut f = std::fs::File::create(path).map_err(|e| Error::io("写入归档临时文件", path, e))?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(|e| Error::io("写入归档临时文件", path, e))
}

/// Makes renames in `dir` durable where the system allows it (not on Windows, where
/// directories cannot be opened so).
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Stores the files of `manifest`'s last entry (its PDF, then its OFD, as `Entry::files`
/// lists them) and the manifest with them (steps 1–4).
pub fn commit(archive: &Path, manifest: &Manifest, files: &[Vec<u8>]) -> Result<()> {
    let entry = manifest.entries.last().expect("the new entry is the manifest's last");
    for ((file, ..), bytes) in entry.files().into_iter().zip(files) {
        write_synced(&staged(archive, file), bytes)?;
    }
    step_done(1)?;
    // Atomically: the commit point is either wholly there or not at all.
    crate::base::output::write_atomic(&archive.join(PENDING), &serde_json::to_vec_pretty(manifest).expect("serialisable"))?;
    sync_dir(archive);
    step_done(2)?;
    finish(archive, manifest)?;
    Ok(())
}

/// Steps 3 and 4 of a committed publication.
fn finish(archive: &Path, manifest: &Manifest) -> Result<()> {
    let entry = manifest.entries.last().ok_or_else(|| Error::Archive { msg: "待完成的归档清单是空的".into() })?;
    for (file, sha, _) in entry.files() {
        let (from, to) = (staged(archive, file), crate::base::output::under(archive, file));
        place(&from, &to, sha)?;
        sync_dir(to.parent().unwrap_or(archive));
    }
    step_done(3)?;
    let pending = archive.join(PENDING);
    let target = Manifest::path(archive);
    crate::base::output::rename_retrying(&pending, &target).map_err(|e| Error::io("写入归档清单", &target, e))?;
    sync_dir(archive);
    Ok(())
}

/// Moves the staged PDF into its place, never over another file; a place already holding the
/// same PDF (step 3 done before an interruption) is fine.
fn place(from: &Path, to: &Path, sha: &str) -> Result<()> {
    let there = |p: &Path| std::fs::read(p).is_ok_and(|b| sha256(&b) == sha);
    if there(to) {
        let _ = std::fs::remove_file(from);
        return Ok(());
    }
    if to.exists() {
        return Err(Error::Archive {
            msg: format!("归档文件 {} 已存在且内容不同，不会覆盖；请运行 jianbao verify 检查归档", to.display())
        });
    }
    if !there(from) {
        return Err(Error::Archive { msg: format!("待归档的文件 {} 不完整", from.display()) });
    }
    // A hard link never replaces a file; where links are not possible, a rename after the check.
    match std::fs::hard_link(from, to) {
        Ok(()) => std::fs::remove_file(from).map_err(|e| Error::io("清理归档临时文件", from, e)),
        Err(_) => crate::base::output::rename_retrying(from, to).map_err(|e| Error::io("写入归档文件", to, e)),
    }
}

/// Finishes a committed publication or rolls back an uncommitted one; says what it did.
pub fn recover(archive: &Path) -> Result<Option<String>> {
    let pending = archive.join(PENDING);
    let mut said = None;
    if let Ok(bytes) = std::fs::read(&pending) {
        let done = Manifest::parse(&bytes, &pending).and_then(|m| finish(archive, &m).map(|()| m));
        said = Some(match done {
            Ok(m) => format!("上次签发在写入清单前中断，已完成：{}", m.entries.last().map_or("", |e| e.file.as_str())),
            Err(e) => {
                let _ = std::fs::remove_file(&pending);
                format!("上次签发中断且无法完成（{e}），已撤销")
            }
        });
    }
    remove_staged(archive);
    Ok(said)
}

/// Temporary files an interrupted publication left (`.jianbao-…`): removed under the lock, so
/// nobody else is writing them.
fn remove_staged(archive: &Path) {
    for e in walkdir::WalkDir::new(archive).max_depth(2).into_iter().filter_map(|e| e.ok()) {
        if e.file_type().is_file() && crate::base::output::is_temporary(&e.file_name().to_string_lossy()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
