//! Writing outputs atomically: each file goes to a temporary file beside it and is renamed
//! into place, so a reader never sees half a file and a failed build leaves the old one.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("创建输出目录", dir, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".jianbao-");
    // Outputs are ordinary documents: readable by others, as a plain file write would make them.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("创建临时文件", dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io("写入临时文件", tmp.path(), e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io("写入临时文件", path, e))?;
    tmp.persist(path).map_err(|e| Error::io("写入输出文件", path, e.error))?;
    Ok(())
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
}
