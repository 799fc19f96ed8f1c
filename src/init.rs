//! `jianbao init DIR`: a new data folder for another county: a commented plan.yaml skeleton
//! (valid as it stands, with placeholder values), a config.yaml, and an empty submissions
//! folder. Existing files are never replaced.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::output;

const PLAN: &str = include_str!("skeleton/plan.yaml");
const CONFIG: &str = include_str!("skeleton/config.yaml");

/// Creates the data folder `dir`; returns what it wrote.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = [(dir.join("plan.yaml"), PLAN), (dir.join("config.yaml"), CONFIG)];
    for (path, _) in &files {
        if path.exists() {
            return Err(Error::Usage { msg: format!("{} 已存在，不会覆盖。请换一个空文件夹。", path.display()) });
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        output::write_new(&path, text.as_bytes())?;
        written.push(path);
    }
    let submissions = dir.join("submissions");
    std::fs::create_dir_all(&submissions).map_err(|e| Error::io("创建文件夹", &submissions, e))?;
    written.push(submissions);
    Ok(written)
}
