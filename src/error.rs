//! System failures (I/O, a broken template, a bad plan file): errors that carry the path and
//! what was being done. Problems in the township data are `Diagnostic`s, not errors.

use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{doing}失败：{}：{source}", path.display())]
    Io {
        doing: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("规划数据 {} 有误：{msg}", path.display())]
    Plan { path: PathBuf, msg: String },
    #[error("配置文件 {} 有误：{msg}", path.display())]
    Config { path: PathBuf, msg: String },
    #[error("模板 {name} 有误：{msg}")]
    Template { name: String, msg: String },
    #[error("排版 {document} 失败：\n{msg}")]
    Typeset { document: String, msg: String },
    #[error("{msg}")]
    Archive { msg: String },
    /// A request that cannot be carried out as given (an unknown township, a folder in use).
    #[error("{msg}")]
    Usage { msg: String },
    #[error("没有可用的字体")]
    NoFonts,
}

impl Error {
    pub fn io(doing: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io { doing, path: path.to_path_buf(), source }
    }
}
