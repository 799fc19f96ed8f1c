//! The `jianbao` command: parse arguments, call the library, print, exit.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jianbao::aggregate::quarter::Quarter;
use jianbao::archive::{self, Outcome};
use jianbao::period::{Date, Period};
use jianbao::{diag::Diagnostic, report, Options};

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
        /// 全部重新生成，即使输入没有变化
        #[arg(long)]
        force: bool,
    },
    /// 签发：把某月简报（或某季度汇总）编号、生成 PDF/A 存入 out/archive/ 并登记清单
    #[command(after_help = "示例：\n  jianbao publish --period 2018-03 --date 2018-04-05\n  jianbao publish --quarter 2018-Q1 --date 2018-04-10\n  jianbao publish --period 2018-03 --date 2018-04-20 --correction")]
    Publish {
        /// 签发的季度汇总，格式 YYYY-Qn，例如 2018-Q1（与 --period 二选一）
        #[arg(long, conflicts_with = "period", required_unless_present = "period")]
        quarter: Option<Quarter>,
        /// 签发日期，格式 YYYY-MM-DD；不给出时用 config.yaml 中的 publish_date
        #[arg(long)]
        date: Option<Date>,
        /// 已签发的数据有改动时，签发一期更正（新编号，注明更正哪一期）
        #[arg(long)]
        correction: bool,
    },
    /// 核对归档：逐一校验 out/archive/ 中的文件与清单，列出缺失、被改动和未登记的文件
    Verify,
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
    let mut opts = Options {
        data: c.data,
        out: c.out,
        period: c.period,
        fonts: c.fonts,
        templates: c.templates,
        draft: false,
        keep_typst: false,
        system_fonts: c.system_fonts,
        force: false,
    };
    let result = match cli.command.unwrap_or(Command::Build { draft: false, keep_typst: false, force: false }) {
        Command::Build { draft, keep_typst, force } => {
            opts.draft = draft;
            opts.keep_typst = keep_typst;
            opts.force = force;
            jianbao::build(&opts).map(|b| {
                print_built(&b);
                b.has_errors()
            })
        }
        Command::Publish { quarter, date, correction } => {
            let target = match (quarter, opts.period) {
                (Some(q), _) => archive::Target::Quarter(q),
                (None, Some(p)) => archive::Target::Month(p),
                (None, None) => unreachable!("clap requires --period or --quarter"),
            };
            let req = archive::Request { target, date, correction };
            archive::publish(&opts, &req).map(|p| {
                print_diagnostics(&p.diagnostics, p.files_read);
                print_outcome(&p.outcome)
            })
        }
        Command::Verify => archive::verify(&opts.out).map(|v| print_verified(&v)),
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

fn print_built(b: &jianbao::Built) {
    print_diagnostics(&b.diagnostics, b.files_read);
    for p in &b.written {
        println!("已写入 {}", p.display());
    }
    for id in &b.stale {
        println!("注意：{id}.pdf 对应的报表已不在数据目录中，文件未删除，请确认是否仍需要。");
    }
    if b.up_to_date {
        println!("输入没有变化，{} 份文件均为最新，未重新生成（用 --force 可强制重新生成）。", b.documents);
    } else {
        println!("共 {} 份文件：重新生成 {} 份，未变化 {} 份。", b.documents, b.rendered.len(), b.documents - b.rendered.len());
    }
    if b.stopped {
        println!("数据有错误，未生成简报。请按上面的清单改正报表后重新生成，或用 --draft 生成草稿。");
    }
}

/// Prints what publishing did; true when it did not publish (exit 1).
fn print_outcome(outcome: &Outcome) -> bool {
    match outcome {
        Outcome::Published { entry, path } => {
            let corrects = entry.corrects.map(|n| format!("（更正第{n}期）")).unwrap_or_default();
            println!("已签发 {}第{}期{corrects}：{}", entry.series, entry.number, path.display());
            false
        }
        Outcome::Unchanged { entry } => {
            println!("{} {} 已于 {} 签发为第{}期，数据没有变化，未重复签发。", entry.series, entry.period, entry.published, entry.number);
            false
        }
        Outcome::Refused { entry, changes } => {
            println!("{} {} 已签发为第{}期，此后以下输入有变化：", entry.series, entry.period, entry.number);
            for c in changes {
                println!("  {c}");
            }
            println!("已签发的简报不能改动。如需更正，请加 --correction 签发一期更正（新编号）。");
            true
        }
        Outcome::DataErrors => {
            println!("数据有错误，不能签发。请按上面的清单改正报表后再签发。");
            true
        }
        Outcome::NoData => {
            println!("数据目录中没有该期间的报表，无法签发。");
            true
        }
    }
}

/// Prints the archive check; true when something is wrong (exit 1).
fn print_verified(v: &archive::Verified) -> bool {
    for (label, list) in [("缺失", &v.missing), ("被改动", &v.altered), ("未登记", &v.unlisted)] {
        for f in list {
            println!("{label}：archive/{f}");
        }
    }
    if v.is_clean() {
        println!("归档完好：清单登记 {} 份，文件全部存在且未被改动。", v.listed);
    } else {
        println!("归档有问题：缺失 {} 份，被改动 {} 份，未登记 {} 份。", v.missing.len(), v.altered.len(), v.unlisted.len());
    }
    !v.is_clean()
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
