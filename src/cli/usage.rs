//! Usage errors in Chinese; `--help` and `--version` print as asked.

use std::process::ExitCode;

pub fn error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let arg = e.get(ContextKind::InvalidArg).map(|a| a.to_string()).unwrap_or_default();
    let value = e.get(ContextKind::InvalidValue).map(|v| v.to_string()).unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::ValueValidation | ErrorKind::InvalidValue => match std::error::Error::source(&e) {
            Some(reason) => format!("{arg} 的值“{value}”有误：{reason}"),
            None => format!("{arg} 的值“{value}”有误"),
        },
        ErrorKind::UnknownArgument => format!("不认识的参数 {arg}"),
        ErrorKind::InvalidSubcommand => format!("不认识的命令 {}", e.get(ContextKind::InvalidSubcommand).map(|v| v.to_string()).unwrap_or_default()),
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {}", e.get(ContextKind::InvalidArg).map(|a| a.to_string()).unwrap_or_default()),
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        _ => e.to_string(),
    };
    error_text(&msg)
}

pub fn error_text(msg: &str) -> ExitCode {
    eprintln!("用法错误：{msg}\n用 jianbao --help 查看用法。");
    ExitCode::from(2)
}
