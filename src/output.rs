//! Writing outputs atomically: each file goes to a temporary file beside it and is renamed
//! into place, so a reader never sees half a file and a failed build leaves the old one.

use std::io::Write;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

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
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建输出目录", dir, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jianbao-");
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

/// Files written to temporaries, ready to be renamed into place.
#[derive(Default)]
pub struct Staged {
    files: Vec<(PathBuf, NamedTempFile)>,
}

impl Staged {
    /// Writes `bytes` to a synced temporary beside `path`.
    pub fn add(&mut self, path: PathBuf, bytes: &[u8]) -> Result<()> {
        if path.is_dir() {
            let e = std::io::Error::other("目标位置是一个文件夹");
            return Err(Error::io("写入输出文件", &path, e));
        }
        let tmp = staged(&path, bytes)?;
        self.files.push((path, tmp));
        Ok(())
    }

    /// Adds the files staged in `other`.
    pub fn append(&mut self, other: Staged) {
        self.files.extend(other.files);
    }

    /// Renames every temporary onto its target (within a folder, which does not fail short of
    /// the disk going away); returns the paths written.
    pub fn persist(mut self) -> Result<Vec<PathBuf>> {
        self.files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut written = Vec::with_capacity(self.files.len());
        for (path, tmp) in self.files {
            tmp.persist(&path).map_err(|e| Error::io("写入输出文件", &path, e.error))?;
            written.push(path);
        }
        Ok(written)
    }
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
}
