//! Writing outputs atomically: each file goes to a temporary file beside it and is renamed
//! into place, so a reader never sees half a file and a failed build leaves the old one.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::base::error::{Error, Result};

/// How every temporary file jianbao writes is named: `.jianbao-…`.
pub const TEMPORARY: &str = ".jianbao-";

/// Whether a file name is one of jianbao's temporary files (left behind if it was interrupted).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(TEMPORARY)
}

/// Writes one file atomically, replacing what was there.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    staged(path, bytes)?.persist(path).map_err(|e| Error::io("写入输出文件", path, e.error))?;
    Ok(())
}

/// Writes a new file atomically and never replaces one: fails if `path` exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    staged(path, bytes)?.persist_noclobber(path).map_err(|e| Error::io("写入归档文件", path, e.error))?;
    Ok(())
}

/// `bytes` in a synced temporary file beside `path`, ready to be renamed into place.
fn staged(path: &Path, bytes: &[u8]) -> Result<NamedTempFile> {
    staged_in(path, bytes, &mut Vec::new())
}

/// `staged`, recording in `created` the folders it had to make (outermost first), so that a
/// batch that fails can take them away again.
fn staged_in(path: &Path, bytes: &[u8], created: &mut Vec<PathBuf>) -> Result<NamedTempFile> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut missing: Vec<PathBuf> = dir.ancestors().take_while(|d| !d.as_os_str().is_empty() && !d.exists()).map(Path::to_path_buf).collect();
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建输出目录", dir, e))?;
    missing.reverse();
    created.extend(missing);
    faults::disk_full(path)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMPORARY);
    // Outputs are ordinary documents: readable by others, as a plain file write would make them.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder.tempfile_in(dir).map_err(|e| Error::io("创建临时文件", dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io("写入临时文件", tmp.path(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io("写入临时文件", path, e))?;
    Ok(tmp)
}

/// Files to write together: all are staged as temporaries first, and only when every one is
/// written are they renamed into place. A failure while staging leaves every target as it was.
#[derive(Default)]
pub struct Batch {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Batch {
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Stages every file, then renames them into place; returns the paths written.
    pub fn commit(self) -> Result<Vec<PathBuf>> {
        self.stage()?.persist()
    }

    /// Writes every file to a temporary beside its target. Nothing is replaced yet; dropping
    /// the result removes the temporaries.
    pub fn stage(self) -> Result<Staged> {
        let mut staged = Staged::default();
        for (path, bytes) in self.files {
            staged.add(path, &bytes)?;
        }
        Ok(staged)
    }
}

/// Files written to temporaries, ready to be renamed into place, in groups (a document's
/// files) that are replaced together or not at all.
#[derive(Default)]
pub struct Staged {
    groups: Vec<(String, Vec<(PathBuf, NamedTempFile)>)>,
    /// Folders made for the temporaries; taken away again (when empty) unless persisted.
    created: Vec<PathBuf>,
}

/// Staged files that are never persisted (a later file could not be written, the disk is
/// full) leave nothing: their temporaries are removed, then the folders made for them.
impl Drop for Staged {
    fn drop(&mut self) {
        self.groups.clear();
        for dir in self.created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// A group whose files could not be replaced (a target held open by a PDF viewer or Excel, on
/// Windows): every target of the group is as it was.
#[derive(Debug)]
pub struct Locked {
    pub group: String,
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl Locked {
    /// What to tell the office, naming the file with this system's separators.
    pub fn message(&self) -> String {
        format!(
            "无法替换 {}（{}），可能正被PDF阅读器或Excel打开。关闭后重新生成；这份文件的其他输出也保持原样。",
            self.path.display(),
            crate::base::error::io_reason(&self.error)
        )
    }
}

/// How long a target held for a moment (a viewer refreshing, antivirus scanning) is waited for.
const RETRIES: u32 = 5;
const RETRY_PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

impl Staged {
    /// Writes `bytes` to a synced temporary beside `path`, in the group of that name.
    pub fn add_to(&mut self, group: &str, path: PathBuf, bytes: &[u8]) -> Result<()> {
        if path.is_dir() {
            let e = std::io::Error::other("目标位置是一个文件夹");
            return Err(Error::io("写入输出文件", &path, e));
        }
        let tmp = staged_in(&path, bytes, &mut self.created)?;
        match self.groups.iter_mut().find(|(g, _)| g == group) {
            Some((_, files)) => files.push((path, tmp)),
            None => self.groups.push((group.to_string(), vec![(path, tmp)])),
        }
        Ok(())
    }

    /// Writes `bytes` to a synced temporary beside `path` (one group for everything added so).
    pub fn add(&mut self, path: PathBuf, bytes: &[u8]) -> Result<()> {
        self.add_to("", path, bytes)
    }

    /// Adds the files staged in `other`.
    pub fn append(&mut self, mut other: Staged) {
        self.groups.append(&mut other.groups);
        self.created.append(&mut other.created);
    }

    /// Replaces every group's targets; a group that cannot be replaced whole is an error, and
    /// the groups after it are not replaced. Returns the paths written.
    pub fn persist(self) -> Result<Vec<PathBuf>> {
        let (written, locked) = self.persist_each();
        match locked.into_iter().next() {
            Some(l) => Err(Error::io("写入输出文件", &l.path, l.error)),
            None => Ok(written),
        }
    }

    /// Replaces each group's targets together, group by group: a group whose targets cannot
    /// all be moved aside (after brief retries) keeps every old file and is returned as locked;
    /// the other groups are replaced. Returns the paths written and the locked groups.
    pub fn persist_each(mut self) -> (Vec<PathBuf>, Vec<Locked>) {
        self.groups.sort_by(|a, b| a.0.cmp(&b.0));
        // The folders stay: files go into them now.
        self.created.clear();
        let (mut written, mut locked) = (Vec::new(), Vec::new());
        for (group, mut files) in std::mem::take(&mut self.groups) {
            files.sort_by(|a, b| a.0.cmp(&b.0));
            match replace_group(files) {
                Ok(paths) => written.extend(paths),
                Err((path, error)) => locked.push(Locked { group, path, error }),
            }
        }
        (written, locked)
    }
}

/// Moves each existing target aside, then renames each temporary into place, then removes
/// the old files. If a target cannot be moved aside, or a temporary cannot be put in place,
/// everything done is undone and every target is as it was.
fn replace_group(files: Vec<(PathBuf, NamedTempFile)>) -> std::result::Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut aside: Vec<(PathBuf, PathBuf)> = Vec::new();
    let undo = |aside: &[(PathBuf, PathBuf)]| {
        for (target, old) in aside.iter().rev() {
            let _ = std::fs::rename(old, target);
        }
    };
    for (target, _) in &files {
        if target.exists() {
            let old = aside_name(target);
            if let Err(e) = retrying(|| rename(target, &old)) {
                undo(&aside);
                return Err((target.clone(), e));
            }
            aside.push((target.clone(), old));
        }
    }
    let mut placed: Vec<PathBuf> = Vec::new();
    for (target, tmp) in files {
        if let Err(e) = retrying(|| rename(tmp.path(), &target)) {
            placed.iter().for_each(|p| drop(std::fs::remove_file(p)));
            undo(&aside);
            return Err((target, e));
        }
        // The temporary is now the target: forget it without deleting.
        let _ = tmp.into_temp_path().keep();
        placed.push(target);
    }
    for (_, old) in &aside {
        let _ = std::fs::remove_file(old);
    }
    Ok(placed)
}

/// A hidden name beside `target` for its old contents while the new ones go in.
fn aside_name(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nonce = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    target.with_file_name(format!("{TEMPORARY}old-{}-{nonce}-{name}", std::process::id()))
}

fn retrying(mut op: impl FnMut() -> std::io::Result<()>) -> std::io::Result<()> {
    let mut tries = 0;
    loop {
        match op() {
            Ok(()) => return Ok(()),
            Err(e) if tries + 1 < RETRIES && may_pass(&e) => {
                tries += 1;
                std::thread::sleep(RETRY_PAUSE);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Failures that a moment's wait may cure: a file held by another program.
fn may_pass(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::PermissionDenied || matches!(e.raw_os_error(), Some(32 | 33)) && cfg!(windows)
}

/// A rename that waits a moment for a file another program holds (Windows), as outputs do.
#[cfg(feature = "render")]
pub(crate) fn rename_retrying(from: &Path, to: &Path) -> std::io::Result<()> {
    retrying(|| rename(from, to))
}

/// `std::fs::rename`, unless a test has declared `from` or `to` locked (`faults`).
fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    if faults::is_locked(from) || faults::is_locked(to) {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "Access is denied. (os error 5)"));
    }
    std::fs::rename(from, to)
}

/// Fault injection for tests: files to treat as held open by another program, as a PDF
/// viewer or Excel holds them on Windows (renaming them fails with "access denied"). Empty
/// unless a test sets it; process-wide.
#[doc(hidden)]
pub mod faults {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static LOCKED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

    /// Treats `path` as held open until `release`.
    pub fn lock(path: &Path) {
        LOCKED.lock().expect("not poisoned").push(path.to_path_buf());
    }

    pub fn release(path: &Path) {
        LOCKED.lock().expect("not poisoned").retain(|p| p != path);
    }

    static FULL_AFTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(usize::MAX);

    /// Makes every staged write after the next `n` fail as a full disk does, until `n` is
    /// `usize::MAX` again.
    pub fn disk_full_after(n: usize) {
        FULL_AFTER.store(n, std::sync::atomic::Ordering::SeqCst);
    }

    /// The full disk `disk_full_after` asked for, if it is full now.
    pub(super) fn disk_full(path: &Path) -> crate::base::error::Result<()> {
        use std::sync::atomic::Ordering;
        let left = FULL_AFTER.load(Ordering::SeqCst);
        if left == usize::MAX {
            return Ok(());
        }
        if left == 0 {
            let e = std::io::Error::from(std::io::ErrorKind::StorageFull);
            return Err(crate::base::error::Error::io("写入临时文件", path, e));
        }
        FULL_AFTER.store(left - 1, Ordering::SeqCst);
        Ok(())
    }

    pub(super) fn is_locked(path: &Path) -> bool {
        let locked = LOCKED.lock().expect("not poisoned");
        !locked.is_empty() && locked.iter().any(|p| p == path)
    }
}

/// `rel` (`/`-separated, as outputs are named) under `dir`, with this system's separators, so
/// that messages name it as the office's file manager does.
pub fn under(dir: &Path, rel: &str) -> PathBuf {
    let mut p = dir.to_path_buf();
    p.extend(rel.split('/').filter(|c| !c.is_empty()));
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b.json");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["b.json"]);
    }

    #[test]
    fn write_new_never_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.pdf");
        write_new(&p, b"first").unwrap();
        assert!(write_new(&p, b"second").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"first");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary left behind");
    }

    #[test]
    fn a_batch_that_cannot_stage_every_file_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        write_atomic(&a, b"old").unwrap();
        let blocked = dir.path().join("b.txt");
        std::fs::create_dir(&blocked).unwrap();
        let mut batch = Batch::default();
        batch.add(a.clone(), b"new".to_vec());
        batch.add(blocked, b"new".to_vec());
        assert!(batch.commit().is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 2, "no temporaries left: {names:?}");
    }

    #[test]
    fn a_locked_target_keeps_its_whole_group_as_it_was_and_other_groups_go_in() {
        let dir = tempfile::tempdir().unwrap();
        let (pdf, json, other) = (dir.path().join("a.pdf"), dir.path().join("a.json"), dir.path().join("b.pdf"));
        for p in [&pdf, &json, &other] {
            write_atomic(p, b"old").unwrap();
        }
        let mut staged = Staged::default();
        staged.add_to("a", json.clone(), b"new").unwrap();
        staged.add_to("a", pdf.clone(), b"new").unwrap();
        staged.add_to("b", other.clone(), b"new").unwrap();
        faults::lock(&pdf);
        let (written, locked) = staged.persist_each();
        faults::release(&pdf);
        assert_eq!(written, std::slice::from_ref(&other));
        assert_eq!((locked.len(), locked[0].group.as_str(), &locked[0].path), (1, "a", &pdf));
        assert!(locked[0].message().contains("可能正被PDF阅读器或Excel打开"), "{}", locked[0].message());
        // a.json sorts before a.pdf and was moved aside first: it is back, unchanged.
        assert_eq!(
            (std::fs::read(&json).unwrap(), std::fs::read(&pdf).unwrap(), std::fs::read(&other).unwrap()),
            (b"old".to_vec(), b"old".to_vec(), b"new".to_vec())
        );
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 3, "no temporaries or old copies left: {names:?}");
    }

    #[test]
    fn output_paths_use_this_systems_separators() {
        let p = under(Path::new("out"), "2018/年度总结-2018年.json");
        assert_eq!(p, Path::new("out").join("2018").join("年度总结-2018年.json"));
    }
}
