//! The `jianbao` command: parse arguments (in Chinese, `args`), call the library, print, exit.
//! Exit codes: 0 done; 1 problems in the data or the archive, or a refused publication;
//! 2 usage or system errors.

mod args;
mod console;
mod print;
mod progress;
mod run;
mod usage;

use std::process::ExitCode;

use args::{Cli, Command};
use clap::Parser;
use jianbao::archive;

fn main() -> ExitCode {
    quiet_when_the_reader_goes_away();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage::error(e),
    };
    let out = cli.common.out.clone();
    let opts = cli.common.options();
    if let Some(msg) = opts.formats.as_deref().and_then(jianbao::config::formats_refused) {
        return usage::error_text(&msg);
    }
    let command = match cli.command {
        None => Command::Build { build: cli.build },
        // A build's options before another command (`jianbao --force check`).
        Some(_) if cli.build.any() => {
            return usage::error_text("--draft、--force、--keep-typst 是生成的选项，只能单独用（jianbao --force）或写在 build 之后（jianbao build --force）");
        }
        Some(command) => command,
    };
    let writes_overview = matches!(command, Command::Build { .. } | Command::Status { .. } | Command::Watch { .. });
    let result = match command {
        Command::Build { build } => run::build(&build.apply(opts)),
        Command::Check { format } => run::check(&opts, format),
        Command::Publish { quarter, xun, year, bind: _, date, correction, skip_earlier } => {
            let Some(target) = args::target(quarter, xun, year, opts.period) else {
                return usage::error_text("请用 --period、--quarter、--xun 或 --year 指定签发的文件");
            };
            run::publish(&opts, &archive::Request { target, date, correction, skip_earlier })
        }
        Command::Verify { volume: None } => archive::verify(&opts.out).map(|v| print::verified(&v)),
        Command::Verify { volume: Some(v) } => archive::anchor::check(&opts.out, &v).map(|c| print::volume_checked(&c)),
        Command::Status { year, format } => run::status(&opts, year, format),
        Command::Template { township } => run::template(&opts, township.as_deref()),
        Command::Watch { build } => run::watch(&build.apply(opts)),
        Command::Init { dir, county, years } => run::init(&dir, county, years),
    };
    finish(result, out, writes_overview)
}

/// The exit code of a command's result; when the program was started by a double click, the
/// window stays open with where the files are (and 结果一览, when the command wrote it).
fn finish(result: jianbao::error::Result<bool>, out: std::path::PathBuf, writes_overview: bool) -> ExitCode {
    let out = std::path::absolute(&out).unwrap_or(out);
    let code = match &result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    };
    let page = out.join(jianbao::overview::FILE);
    let page = (writes_overview && result.is_ok() && page.is_file()).then_some(page.as_path());
    console::pause_if_double_clicked(
        &match result {
            Ok(_) => format!("生成的文件在 {} 中。", out.display()),
            Err(_) => "如果还没有数据文件夹：在上面所说的文件夹中新建 data 文件夹（双击运行时即 jianbao.exe 所在的文件夹），放入 plan.yaml、config.yaml 和各乡镇报表；\n或在命令提示符中运行 jianbao init 数据 新建一个，再运行 jianbao --data 数据。".into(),
        },
        page,
    );
    code
}

/// Output piped into a reader that closes early (`jianbao verify | head -1`) ends the program
/// quietly, as command-line tools end: Rust's `println!` panics on a closed pipe (EPIPE, or
/// ERROR_NO_DATA on Windows), and that one panic is turned into a plain exit.
fn quiet_when_the_reader_goes_away() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied()).unwrap_or_default();
        if msg.starts_with("failed printing to std") && (msg.contains("(os error 32)") || msg.contains("(os error 232)")) {
            std::process::exit(0);
        }
        default(info);
    }));
}
