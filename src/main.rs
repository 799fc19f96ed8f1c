//! The `jianbao` command: parse arguments, call the library, print, exit.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jianbao::{diag::Diagnostic, period::Period, report, Options};

/// 简报：把各乡镇报送的月报表生成为正式的脱贫攻坚工作简报（PDF）。
#[derive(Parser)]
#[command(name = "jianbao", version, about, long_about = None,
    after_help = "示例：\n  jianbao                      按 data/ 中的报表生成全部简报到 out/\n  jianbao check                只检查报表，列出全部问题\n  jianbao build --period 2018-03  只生成 2018年3月的简报")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// 数据目录（含 plan.yaml 和各乡镇报表）
    #[arg(long, global = true, default_value = "data")]
    data: PathBuf,
    /// 输出目录
    #[arg(long, global = true, default_value = "out")]
    out: PathBuf,
    /// 只处理这个月份，格式 YYYY-MM，例如 2018-03
    #[arg(long, global = true)]
    period: Option<Period>,
    /// 字体目录
    #[arg(long, global = true, default_value = "fonts")]
    fonts: PathBuf,
    /// 模板目录
    #[arg(long, global = true, default_value = "templates")]
    templates: PathBuf,
    /// 使用本机安装的字体（仿宋_GB2312、方正小标宋简体等，名称见 config.yaml），附带字体作为后备
    #[arg(long, global = true)]
    system_fonts: bool,
}

#[derive(Subcommand)]
enum Command {
    /// 生成简报（默认）
    Build {
        /// 数据有错误时仍生成，每页加“草稿”水印
        #[arg(long)]
        draft: bool,
        /// 同时保存每份文件的 Typst 源文件和数据（可用 typst compile --font-path fonts 重现）
        #[arg(long)]
        keep_typst: bool,
    },
    /// 只检查报表，不生成文件
    Check {
        /// 输出格式
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let c = cli.common;
    let mut opts = Options { data: c.data, out: c.out, period: c.period, fonts: c.fonts, templates: c.templates, draft: false, keep_typst: false, system_fonts: c.system_fonts };
    let result = match cli.command.unwrap_or(Command::Build { draft: false, keep_typst: false }) {
        Command::Build { draft, keep_typst } => {
            opts.draft = draft;
            opts.keep_typst = keep_typst;
            jianbao::build(&opts).map(|b| {
                print_diagnostics(&b.checked.diagnostics, b.checked.files_read);
                for p in &b.written {
                    println!("已写入 {}", p.display());
                }
                if b.checked.has_errors() && !draft {
                    println!("数据有错误，未生成简报。请按上面的清单改正报表后重新生成，或用 --draft 生成草稿。");
                }
                b.checked.has_errors()
            })
        }
        Command::Check { format } => jianbao::check(&opts).map(|c| {
            match format {
                Format::Text => print_diagnostics(&c.diagnostics, c.files_read),
                Format::Json => println!("{}", serde_json::to_string_pretty(&c.diagnostics).expect("serialisable")),
            }
            c.has_errors()
        }),
    };
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic], files_read: usize) {
    for (file, list) in report::grouped(diags) {
        println!("【{file}】");
        for d in list {
            println!("{d}");
        }
    }
    println!("{}", report::summary(diags, files_read));
}
