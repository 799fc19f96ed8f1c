//! System failures (I/O, a broken template, a bad plan file): errors that carry the path and
//! what was being done. Problems in the township data are `Diagnostic`s, not errors.

use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{doing}失败：{}：{}", path.display(), io_reason(source))]
    Io { doing: &'static str, path: PathBuf, source: std::io::Error },
    #[error("规划数据 {} 有误：{msg}", path.display())]
    Plan { path: PathBuf, msg: String },
    #[error("配置文件 {} 有误：{msg}", path.display())]
    Config { path: PathBuf, msg: String },
    #[error("模板 {name} 有误：{msg}")]
    Template { name: String, msg: String },
    /// Writing a workbook in memory failed (never a template's fault).
    #[error("生成 {name} 失败：{msg}")]
    Workbook { name: String, msg: String },
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

/// What an I/O failure means, in Chinese, without the path (the message names it once) and
/// with what the office can do about it; the system's own words for anything else.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // Windows: ERROR_SHARING_VIOLATION (32) and ERROR_LOCK_VIOLATION (33).
    if matches!(e.raw_os_error(), Some(32 | 33)) && cfg!(windows) {
        return "文件正被其他程序占用".into();
    }
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".into(),
        K::PermissionDenied => "没有访问权限，或文件正被其他程序占用".into(),
        K::StorageFull => "磁盘空间已满，请清理磁盘后重试".into(),
        K::NotADirectory => "路径中有一段是文件而不是文件夹".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::ReadOnlyFilesystem => "磁盘是只读的".into(),
        K::InvalidData => "文件内容不是有效的文本".into(),
        K::ResourceBusy => "文件正被其他程序占用".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_failures_name_the_path_once_in_chinese() {
        let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = Error::io("写入输出文件", Path::new("out/2018-03/工作简报.pdf"), full).to_string();
        assert_eq!(e, "写入输出文件失败：out/2018-03/工作简报.pdf：磁盘空间已满，请清理磁盘后重试");
        let not_dir = std::io::Error::from(std::io::ErrorKind::NotADirectory);
        assert!(io_reason(&not_dir).contains("不是文件夹"));
        // Anything else keeps the system's words.
        let other = std::io::Error::other("奇怪的错误");
        assert_eq!(io_reason(&other), "奇怪的错误");
    }
}
